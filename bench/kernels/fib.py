"""Naive recursive Fibonacci: function-call cost."""
from kiln import compile


@compile(tag="bench/fib", description="Naive recursive Fibonacci.")
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
