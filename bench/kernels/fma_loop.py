"""The example that introduced the idea, benchmark variant: x * y + z repeated n_iter times."""
from kiln import compile


@compile(tag="bench/fma_loop", description="Multiply-add repeated n_iter times.")
def fma_loop(x: float, y: float, z: float, n_iter: int) -> float:
    for _ in range(n_iter):
        result = x * y + z
    return result
