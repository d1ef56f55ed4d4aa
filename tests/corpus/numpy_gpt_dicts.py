"""Model weights in nested dicts of NumPy arrays, as picoGPT keeps them (params["blocks"][i]["attn"]["c_attn"]["w"]).

A small GPT-2 forward pass written as picoGPT writes it: token and position embeddings (`wte[inputs] +
wpe[range(len(inputs))]`: fancy indexing with an int array and a range), pre-norm blocks (layer norm, causal
multi-head attention over `zip(*qkv_heads)`, a GELU feed-forward), a final layer norm and the logits against the token
embedding, with the weights passed down by ** (`linear(x, **c_attn)`, `layer_norm(x, **ln_1)`,
`transformer_block(x, **block, n_head=n_head)`). The weights are made inside the compiled code from a seed (integer
hashing, exact in int64) in picoGPT's layout: a dict holding matrices, a list of blocks and a dict, each block a dict
of dicts of a matrix and a vector. Kiln types such dicts of constant keys whose values differ per key as records
(** binds their keys when compiling); dicts whose values share one type (the layer norms' {"g": vector, "b": vector},
the dicts below) stay dicts that can change, and ** binds their keys at run time, with CPython's TypeErrors.
"""
import numpy as np
import numpy.typing as npt
from kiln import compile

N_VOCAB = 24
N_CTX = 8
N_EMBD = 16
N_HEAD = 2
N_LAYER = 2


def weights(seed: int, salt: int, rows: int, cols: int, scale: float) -> npt.NDArray[np.float64]:
    i = np.arange(rows * cols)
    h = (i * 40503 + seed * 7919 + salt * 104729) % 65521
    h = (h * h + i) % 65521
    return ((h - 32760.0) / 32760.0 * scale).reshape(rows, cols)


def vector(seed: int, salt: int, n: int, scale: float) -> npt.NDArray[np.float64]:
    return weights(seed, salt, 1, n, scale)[0]


def gelu(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def softmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    exp_x = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return exp_x / np.sum(exp_x, axis=-1, keepdims=True)


def layer_norm(x: npt.NDArray[np.float64], g: npt.NDArray[np.float64], b: npt.NDArray[np.float64], eps: float = 1e-5) -> npt.NDArray[np.float64]:
    mean = np.mean(x, axis=-1, keepdims=True)
    variance = np.var(x, axis=-1, keepdims=True)
    x = (x - mean) / np.sqrt(variance + eps)
    return g * x + b


def linear(x: npt.NDArray[np.float64], w: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return x @ w + b


def ffn(x, c_fc, c_proj):
    return linear(gelu(linear(x, **c_fc)), **c_proj)


def attention(q, k, v, mask):
    return softmax(q @ k.T / np.sqrt(q.shape[-1]) + mask) @ v


def mha(x, c_attn, c_proj, n_head: int):
    x = linear(x, **c_attn)
    qkv = np.split(x, 3, axis=-1)
    qkv_heads = list(map(lambda x: np.split(x, n_head, axis=-1), qkv))
    causal_mask = (1 - np.tri(x.shape[0], dtype=x.dtype)) * -1e10
    out_heads = [attention(q, k, v, causal_mask) for q, k, v in zip(*qkv_heads)]
    x = np.hstack(out_heads)
    return linear(x, **c_proj)


def transformer_block(x, mlp, attn, ln_1, ln_2, n_head: int):
    x = x + mha(layer_norm(x, **ln_1), **attn, n_head=n_head)
    return x + ffn(layer_norm(x, **ln_2), **mlp)


def gpt2(inputs, wte, wpe, blocks, ln_f, n_head: int):
    x = wte[inputs] + wpe[range(len(inputs))]
    for block in blocks:
        x = transformer_block(x, **block, n_head=n_head)
    return layer_norm(x, **ln_f) @ wte.T


def linear_params(seed: int, salt: int, n_in: int, n_out: int):
    return {"w": weights(seed, salt, n_in, n_out, 0.2), "b": vector(seed, salt + 1, n_out, 0.02)}


def norm_params(seed: int, salt: int, n: int) -> dict[str, npt.NDArray[np.float64]]:
    return {"g": 1.0 + vector(seed, salt, n, 0.1), "b": vector(seed, salt + 1, n, 0.05)}


def make_params(seed: int):
    """picoGPT's layout: {"wte", "wpe", "blocks": [{"attn": {"c_attn": {"w", "b"}, "c_proj"}, "ln_1", "ln_2", "mlp"}], "ln_f"}."""
    blocks = []
    for i in range(N_LAYER):
        salt = 100 * (i + 1)
        blocks.append({
            "attn": {"c_attn": linear_params(seed, salt + 10, N_EMBD, 3 * N_EMBD), "c_proj": linear_params(seed, salt + 20, N_EMBD, N_EMBD)},
            "ln_1": norm_params(seed, salt, N_EMBD), "ln_2": norm_params(seed, salt + 30, N_EMBD),
            "mlp": {"c_fc": linear_params(seed, salt + 40, N_EMBD, 4 * N_EMBD), "c_proj": linear_params(seed, salt + 50, 4 * N_EMBD, N_EMBD)},
        })
    return {"wte": weights(seed, 1, N_VOCAB, N_EMBD, 0.1), "wpe": weights(seed, 2, N_CTX, N_EMBD, 0.05),
            "blocks": blocks, "ln_f": norm_params(seed, 3, N_EMBD)}


@compile(examples=[([3, 14, 15, 9, 2, 6], 7), ([1, 2, 3, 4, 5, 6, 7, 8], 1), ([1, 2, 3, 4, 5, 6, 7, 8, 9], 1), ([30], 2)])
def gpt_dict_logits(tokens: list[int], seed: int) -> npt.NDArray[np.float64]:
    """Logits of the tiny GPT, one row per position, for a list of token ids as picoGPT takes them (an id past the
    vocabulary or more than N_CTX ids: NumPy's IndexError from wte[inputs] or wpe[range(len(inputs))])."""
    params = make_params(seed % 1000)
    return gpt2(tokens, **params, n_head=N_HEAD)


def scaled(x, g, b, eps: float = 0.5):
    return x * g + b + eps


def keyword_only(x, g, *, b):
    return x * g - b


@compile(examples=[(0,), (1,), (2,), (3,), (4,), (5,), (6,), (7,), (8,), (9,), (10,), (11,)])
def dict_star_binding(case: int) -> float:
    """** of a dict[str, float] binds its keys at run time: a missing, unexpected or repeated key is CPython's
    TypeError; a parameter with a default takes the dict's value when it names it, else keeps its default."""
    keys = [["g", "b"], ["g", "b", "zz"], ["g", "b", "x"], ["b"], [], ["b", "g"], ["g"], ["zz", "g", "b"], ["b", "zz"], ["b"], ["eps", "g", "b"], ["b", "eps"]][case % 12]
    d = {}
    for i, key in enumerate(keys):
        d[key] = 1.5 + i
    if case % 12 in (5, 6, 7, 8):
        return keyword_only(1.5, **d)
    if case % 12 in (9, 11):
        return scaled(2.0, **d, g=3.0) + scaled(2.0, g=1.0, **d)
    return scaled(1.5, **d)


@compile(examples=[(3, 2), (2, 3), (4, 1), (0, 3), (2, 0), (3, 0)])
def zip_star_heads(groups: int, width: int) -> float:
    """for q, k, v in zip(*heads): one item per position when there are 3 lists of heads, none when one is empty,
    else the unpacking's ValueError."""
    heads = [np.split(np.arange(2.0 * min(width, 10)).reshape(2, -1) + g, max(min(width, 10), 1), axis=-1) for g in range(min(groups, 10))]
    return float(sum(np.sum(q * k - v) for q, k, v in zip(*heads)))


@compile(ndim={"a": 2}, examples=[([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], 2, [2, -1, 0]), ([[1.0, 2.0]], 0, []), ([[1.0, 2.0]], 2, [0]), ([[1.0, 2.0]], 1, [3]), ([[1.0, 2.0]], 1, [-2])])
def fancy_range_list(a: npt.NDArray[np.float64], n: int, ids: list[int]) -> float:
    """a[range(...)] and a[list of ints] as NumPy indexes with them (an int index array; out of bounds: NumPy's
    IndexError); np.take of a range."""
    m = min(n, 50)
    rows = a[range(m)] + a[range(m - 1, -1, -1)]
    picked = a[ids]
    return float(np.sum(rows) * 10.0 + np.sum(picked)) + rows.shape[0] + picked.shape[0] + float(np.sum(np.take(a[0], range(1))))


@compile(ndim={"wte": 2, "wpe": 2, "blocks": [{"attn": {"c_attn": {"w": 2, "b": 1}, "c_proj": {"w": 2, "b": 1}}, "ln_1": {"g": 1, "b": 1}, "ln_2": {"g": 1, "b": 1},
                                                                     "mlp": {"c_fc": {"w": 2, "b": 1}, "c_proj": {"w": 2, "b": 1}}}],
                 "ln_f": {"g": 1, "b": 1}},
          examples=[([3, 0, 4], [[0.25, 0.48], [0.59, 0.88], [0.48, 0.84], [-0.94, -0.07], [0.89, 0.3]], [[0.4, -0.39], [-0.03,
          -0.25], [0.04, 0.07], [-0.49, -0.28]], [{"attn": {"c_attn": {"w": [[-0.44, 0.83, 0.53, -0.68, 0.59, -0.72],
          [0.23, -0.75, -1.0, 0.74, -0.58, -0.57]], "b": [0.1, 0.07, -0.04, 0.09, 0.01, 0.04]}, "c_proj": {"w": [[-0.59,
          0.88], [0.38, 0.93]], "b": [0.08, -0.04]}}, "ln_1": {"g": [0.94, 0.87], "b": [-0.07, -0.09]}, "ln_2": {"g":
          [0.92, 1.04], "b": [-0.1, 0.04]}, "mlp": {"c_fc": {"w": [[-0.32, -0.38], [0.64, -0.04]], "b": [-0.04, -0.0]},
          "c_proj": {"w": [[0.41, -0.89], [0.95, -0.95]], "b": [0.05, 0.07]}}}, {"attn": {"c_attn": {"w": [[-0.96, 0.58,
          -0.27, 0.16, -0.98, -0.91], [-0.64, 0.91, -0.61, 0.51, 0.86, 0.88]], "b": [-0.03, -0.03, 0.0, 0.06, -0.08,
          0.05]}, "c_proj": {"w": [[0.59, 0.72], [-0.93, 0.89]], "b": [-0.08, -0.03]}}, "ln_1": {"g": [1.04, 1.17], "b":
          [-0.03, 0.08]}, "ln_2": {"g": [1.02, 0.92], "b": [-0.04, -0.06]}, "mlp": {"c_fc": {"w": [[-0.84, -0.7], [0.38,
          0.99]], "b": [-0.07, -0.09]}, "c_proj": {"w": [[0.97, 0.07], [-0.19, -0.53]], "b": [0.02, 0.07]}}}], {"g":
          [0.98, 0.97], "b": [-0.09, 0.08]})])
def gpt2_weights(inputs: npt.NDArray[np.int64], wte: npt.NDArray[np.float64], wpe: npt.NDArray[np.float64],
                 blocks: list[dict[str, npt.NDArray[np.float64]]], ln_f: dict[str, npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
    """picoGPT's gpt2() with the weights the caller loads in Python, in picoGPT's layout: blocks[i]["attn"]["c_attn"]["w"]
    (the layout in ndim=: each array's rank; its dicts cross with exactly those keys, read-only)."""
    return gpt2(inputs, wte, wpe, blocks, ln_f, n_head=2)


@compile(examples=[([1.0, 2.0, 3.0], 2)])
def weight_record_reads(x: npt.NDArray[np.float64], n: int) -> float:
    """A dict of per-key types read by constant keys: [], get (None for a missing key), in, len, ** into a call; a
    write into an array it holds is a write into that array (the caller's x here), as in CPython."""
    m = min(abs(n), 50) + 1
    p = {"v": x, "m": np.ones((m, 3)), "n": m, "name": "layer"}
    p["v"][0] = 7.0
    p["m"][0, 1] += 1.0
    q = p
    q["v"][1] *= -2.0
    y = linear(np.ones((2, m)), **{"w": p["m"], "b": p["v"]})
    missing = p.get("zz")
    return float(np.sum(y)) + p.get("n") + len(p["name"]) + len(q) + ("m" in p) + ("w" in p) + (missing is None)


@compile(examples=[(3, 2.0)])
def weight_dict_ops(n: int, scale: float) -> float:
    """Stores, in-place updates through the dict, views shared with a name, iteration, pop, get (None for a missing
    key), setdefault, copy, a comprehension."""
    m = min(abs(n), 50)
    p = {"a": np.ones((m, 2)), "b": np.arange(2 * m, dtype=np.float64).reshape(m, 2)}
    p["a"] *= scale
    alias = p["b"]
    alias[:, 0] = -1.0
    p["c"] = p["a"] + p["b"]
    total = 0.0
    for name, w in p.items():
        total += float(np.sum(w)) * len(name)
    got = p.get("z", np.full((1, 2), 0.5))
    kept = p.setdefault("a", np.zeros((1, 1)))
    q = p.copy()
    dropped = q.pop("c")
    q["d"] = dropped * 2.0
    scaled = {k: v / 2.0 for k, v in q.items() if k != "a"}
    missing, found = p.get("zz"), q.get("d")
    extra = (1.0 if missing is None else 0.0) + (float(np.sum(found)) if found is not None else 0.0)
    return total + float(np.sum(got)) + float(np.sum(kept)) + float(np.sum(scaled["d"])) + len(q) + len(scaled) + ("c" in q) + extra


@compile(ndim={"x": 2, "p": 2}, examples=[([[1.0, 2.0], [3.0, -1.0]], {"g": [[1.0, 0.5]], "b": [[0.1, -0.2]], "w": [[0.5, -1.0], [2.0, 0.25]]})])
def dict_param_layer(x: npt.NDArray[np.float64], p: dict[str, npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
    """A pre-norm residual layer whose weights the caller passes in a dict (weights loaded in Python, a compiled
    forward pass): read, never written, as a dict of arrays crosses the boundary read-only. Its arrays share one
    number of dimensions (a parameter's dict has one value type), so the biases are rows (1, n)."""
    return x + linear(layer_norm(x, p["g"], p["b"]), p["w"], p["b"])


@compile(ndim={"p": 2}, examples=[({"w": [[1.0, 2.0]], "b": [[0.5, -0.5]], "zz": [[3.0, 4.0]]},), ({},)])
def dict_param_norms(p: dict[str, npt.NDArray[np.float64]]) -> float:
    """Iteration over a dict of arrays the caller passes (insertion order, str keys of any text), len, in and get."""
    total = 0.0
    for name, w in p.items():
        total += float(np.sum(w * w)) * (len(name) + 1)
    missing = p.get("zz")
    return total + len(p) + ("w" in p) + (0.0 if missing is None else float(np.sum(missing)))


@compile(ndim={"x": 2, "layers": 2}, examples=[([[1.0, -2.0]], {"a": {"w": [[1.0, 0.5], [0.0, 2.0]], "b": [[0.1, 0.2]]},
                                                               "b": {"w": [[0.5, 0.0], [1.0, 1.0]], "b": [[0.0, -1.0]]}})])
def dict_param_stack(x: npt.NDArray[np.float64], layers: dict[str, dict[str, npt.NDArray[np.float64]]]) -> npt.NDArray[np.float64]:
    """Layers from a dict of dicts of weights the caller passes (nested, read-only), applied in its insertion order."""
    for name in layers:
        layer = layers[name]
        x = np.tanh(linear(x, layer["w"], layer["b"]))
    return x


@compile(ndim={"params": 2, "grads": 2}, examples=[({"a": {"w": [[1.0, 0.5], [0.0, 2.0]], "b": [[0.1, 0.2]]}}, {"a": {"w": [[1.0, 1.0], [1.0, 1.0]], "b": [[0.5, -0.5]]}}, 0.1)])
def dict_param_sgd(params: dict[str, dict[str, npt.NDArray[np.float64]]], grads: dict[str, dict[str, npt.NDArray[np.float64]]], lr: float) -> float:
    """An optimiser step on nested parameter dicts the caller passes: `-=` and item stores write into the caller's own
    arrays (the caller sees them after the call, as in CPython); the dicts themselves are not changed."""
    total = 0.0
    for name in grads:
        layer = params[name]
        for k, g in grads[name].items():
            layer[k] -= lr * g
        w = layer["w"]
        w[0, 0] = float(np.sum(w))
        total += float(np.sum(layer["w"]))
    return total


@compile(examples=[(2, 3)])
def init_weights(n_layer: int, seed: int) -> dict[str, dict[str, npt.NDArray[np.float64]]]:
    """Nested parameter dicts of arrays as a result: the caller gets a dict of dicts of NumPy arrays, in insertion order."""
    out = {}
    for i in range(min(abs(n_layer), 4)):
        out[f"h{i}"] = {"w": weights(seed, i, 3, 2, 0.5), "b": weights(seed, i + 7, 1, 2, 0.1)}
    return out


@compile(examples=[(3, 1)])
def init_dense(n_out: int, seed: int) -> dict:
    """A record result, {"w": matrix, "b": vector} with its sizes: values of different ranks and types, a dict as CPython's."""
    m = min(abs(n_out), 8) + 1
    return {"w": weights(seed, 1, 3, m, 0.5), "b": vector(seed, 2, m, 0.1), "n_in": 3, "name": "dense"}
