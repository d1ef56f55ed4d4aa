"""Kiln's compiled functools: reduce and partial, compiled as helpers of the program that imports functools.
A call with two arguments goes to reduce__2, partial(f, a) to partial__1 (project/compiled_stdlib.ts chooses
them from the call). lru_cache and cache are decorators the tracer accepts on helpers (compiled_stdlib.ts says
why the results are the same). Not a module for CPython to import."""


def reduce(function, iterable, initial):
    value = initial
    for element in iterable:
        value = function(value, element)
    return value


def reduce__2(function, sequence):
    if len(sequence) == 0:
        raise TypeError("reduce() of empty iterable with no initial value")
    value = sequence[0]
    for i in range(1, len(sequence)):
        value = function(value, sequence[i])
    return value



# partial(f, a, b) goes to partial__2 (compiled_stdlib.ts): the bound arguments are parameters of their own.
def partial__1(func, a0):
    def call(*more):
        return func(a0, *more)
    return call


def partial__2(func, a0, a1):
    def call(*more):
        return func(a0, a1, *more)
    return call


def partial__3(func, a0, a1, a2):
    def call(*more):
        return func(a0, a1, a2, *more)
    return call
