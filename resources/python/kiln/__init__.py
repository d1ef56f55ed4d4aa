"""Kiln's marker package.

`@compile` and `@compile(...)` leave the function unchanged, so the module still
runs under CPython; Kiln finds decorated functions by reading the source.
"""

__all__ = ["compile"]


def compile(fn=None, **options):  # noqa: A001 - the public name is `compile`
    """Mark a function for Kiln. Options (tag, description, examples, ...) are read statically."""
    if callable(fn) and not options:
        fn.__kiln__ = {}
        return fn

    def mark(f):
        f.__kiln__ = dict(options)
        return f

    return mark
