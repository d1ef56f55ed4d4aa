"""`sum(x * x for x in gen(n))` against the same sum written as a for loop: the generator is inlined where it is
consumed (src-compiler/ir/generators.ts), so both compile to one loop. bench/generators.mjs prints the numbers."""
from typing import Iterator

from kiln import compile


def evens(n):
    i = 0
    while i < n:
        yield i
        i += 2


@compile
def gen_sum(n: int) -> int:
    return sum(x * x for x in evens(n))


@compile
def evens_compiled(n: int) -> Iterator[int]:
    """evens as a @compile generator: a caller outside gets an iterator over its frames (ir/generator_frames.ts);
    compiled code consuming a call of it where it is made inlines it as any generator."""
    i = 0
    while i < n:
        yield i
        i += 2


@compile
def gen_sum_compiled(n: int) -> int:
    return sum(x * x for x in evens_compiled(n))


@compile
def loop_sum(n: int) -> int:
    total = 0
    i = 0
    while i < n:
        total += i * i
        i += 2
    return total


@compile
def next_sum(n: int) -> int:
    # The same generator read with next(): a state machine (ir/generators.ts generatorStateMachine).
    g = evens(n)
    total = 0
    while True:
        x = next(g, -1)
        if x < 0:
            break
        total += x * x
    return total
