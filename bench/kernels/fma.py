"""The example that introduced the idea: one fused multiply-add (a scalar call: measures per-call overhead)."""
from kiln import compile


@compile(tag="bench/fma", description="Fused multiply-add.")
def fma(x: float, y: float, z: float) -> float:
    return x * y + z
