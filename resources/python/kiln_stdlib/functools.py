"""Kiln's compiled functools: reduce, compiled as a helper of the program that imports functools. A call with
two arguments goes to reduce__2 (project/compiled_stdlib.ts chooses it from the call). Not a module for CPython
to import."""


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
