"""Compatibility alias: `from fxn import compile` works the same as `from kiln import compile`."""
from kiln import compile  # noqa: F401

__all__ = ["compile"]
