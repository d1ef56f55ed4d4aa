"""Rearranging arrays as model code does: joining features, splitting heads, transposes, padding and rolling."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def concat_features(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.concatenate((a, b * 2.0, a))


@compile(ndim={"a": 2, "b": 2})
def concat_columns(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.concatenate([a, b], axis=1)


@compile(ndim={"a": 2, "b": 2})
def concat_rows_mixed(a: npt.NDArray[np.int64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.concatenate((a, b), axis=-2)


@compile(ndim={"a": 2, "b": 2})
def concat_flat(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.concatenate((a, b), axis=None)


@compile
def stack_pair(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.stack((a, b))


@compile
def stack_last(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.stack([a, b, a + b], axis=-1)


@compile
def hstack_1d(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.hstack((a, b))


@compile
def vstack_rows(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.vstack((a, b))


@compile
def column_stack_xy(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.column_stack((x, y))


@compile(ndim={"a": 2})
def dstack_self(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.dstack((a, a))


@compile
def split_halves(a: npt.NDArray[np.float64]) -> float:
    left, right = np.split(a, 2)
    return float(left.sum() - right.sum())


@compile
def array_split_sums(a: npt.NDArray[np.int64], n: int) -> list[int]:
    return [int(p.sum()) for p in np.array_split(a, n)]


@compile
def split_at(a: npt.NDArray[np.int64]) -> list[int]:
    return [p.shape[0] for p in np.split(a, [1, 3, 100])]


@compile(ndim={"qkv": 2})
def split_heads(qkv: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    q, k, v = np.split(qkv, 3, axis=-1)
    return q @ k.T + v.sum()


@compile(ndim={"a": 2})
def split_writes_through(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    parts = np.array_split(a, 2, axis=1)
    parts[0][:, 0] = -1.0
    return a


@compile(ndim={"x": 3})
def transpose_heads(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.transpose(x, (1, 0, 2)) * 1.0


@compile(ndim={"x": 3})
def transpose_method(x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return x.transpose(2, 0, 1) + 0


@compile(ndim={"a": 2})
def transpose_default(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.transpose(a) - 1.0


@compile(ndim={"x": 3})
def swap_last(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.swapaxes(x, -1, -2) + x.swapaxes(1, 2)


@compile(ndim={"x": 3})
def move_first_last(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.moveaxis(x, 0, -1) * 2.0


@compile
def expand_outer(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.expand_dims(a, 1) * np.expand_dims(b, 0)


@compile(ndim={"a": 2})
def squeeze_row(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.squeeze(a[:1, :], axis=0) + a[-1:, :].squeeze(axis=0)


@compile(ndim={"a": 2})
def squeeze_bad(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a.squeeze(axis=1)


@compile
def atleast_views(a: npt.NDArray[np.float64]) -> tuple[int, int, int]:
    b = np.atleast_2d(a)
    c = np.atleast_3d(a)
    return b.shape[0], c.shape[2], np.atleast_1d(a).shape[0]


@compile(ndim={"a": 2})
def flip_all(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.flip(a) + 0


@compile(ndim={"a": 2})
def flip_rows_cols(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.flipud(a) - np.fliplr(a) + np.flip(a, axis=1)


@compile(ndim={"a": 2})
def ravel_transposed(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.ravel(a.T) + a.flatten()[::-1].sum()


@compile(ndim={"a": 2})
def ravel_is_view(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    r = a.ravel()
    r[0] = 42.0
    return a


@compile
def reshape_fn(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.reshape(a, (-1, 2)) * 1.0


@compile
def tile_pattern(a: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.int64]:
    return np.tile(a, n)


@compile(ndim={"a": 2})
def tile_grid(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.tile(a, (2, 3))


@compile
def repeat_items(a: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.int64]:
    return np.repeat(a, n)


@compile(ndim={"a": 2})
def repeat_rows(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a.repeat(2, axis=0)


@compile(ndim={"a": 2})
def repeat_counts(a: npt.NDArray[np.float64], r: list[int]) -> npt.NDArray[np.float64]:
    return np.repeat(a, r, axis=1)


@compile
def roll_flat(a: npt.NDArray[np.int64], k: int) -> npt.NDArray[np.int64]:
    return np.roll(a, k)


@compile(ndim={"a": 2})
def roll_axes(a: npt.NDArray[np.int64], k: int) -> npt.NDArray[np.int64]:
    return np.roll(a, (k, 1), axis=(0, 1))


@compile
def pad_zero(a: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    return np.pad(a, n)


@compile(ndim={"a": 2})
def pad_modes(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.pad(a, ((1, 2), (0, 1)), mode="edge") + np.pad(a, ((1, 2), (0, 1)), mode="reflect")


@compile
def pad_wrap_sym(a: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.int64]:
    return np.pad(a, (n, 1), mode="wrap") - np.pad(a, (n, 1), mode="symmetric")


@compile
def pad_const(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.pad(a, (2, 0), constant_values=-7)


@compile(ndim={"a": 2})
def axis_error(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.concatenate((a, a), axis=2)


@compile(ndim={"a": 3})
def ellipsis_index(a: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    a[..., 0] = a[0, ..., 1] + 1.0
    b = np.broadcast_to(a[..., :1], (n, a.shape[1], 2))
    return a[..., 1] + b[0, ..., 1] + a[1:, ...].sum() + a[..., None, 0][0].sum()
