"""The example that introduced the idea: a fused multiply-add, and its benchmark variant."""
from fxn import compile


@compile(tag="@yusuf/fma", description="Fused multiply-add.", examples=[(3.0, -1.0, 2.0)])
def fma(x: float, y: float, z: float) -> float:
    """Perform a fused multiply-add."""
    return x * y + z


@compile(tag="@yusuf/fma-loop", description="Fused multiply-add, repeated n_iter times (for benchmarks).")
def fma_loop(x: float, y: float, z: float, n_iter: int) -> float:
    for _ in range(n_iter):
        result = x * y + z
    return result
