"""Model weights in nested dicts of NumPy arrays, as GPT-2 code in plain NumPy keeps them (params["blocks"][i]["attn"]...).

A small GPT-style forward pass: token and position embeddings, pre-norm blocks (layer norm, causal multi-head
attention, a GELU feed-forward), a final layer norm and the logits against the token embedding. The weights are
made inside the compiled code from a seed (integer hashing, exact in int64) and kept the way such code keeps them:
a list of blocks, each a dict of layers, each a dict of arrays. The arrays of one dict share a number of
dimensions, so biases and layer-norm gains are rows (1, n), which broadcast as vectors do.
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


def linear_params(seed: int, salt: int, n_in: int, n_out: int) -> dict[str, npt.NDArray[np.float64]]:
    return {"w": weights(seed, salt, n_in, n_out, 0.2), "b": weights(seed, salt + 1, 1, n_out, 0.02)}


def norm_params(seed: int, salt: int, n: int) -> dict[str, npt.NDArray[np.float64]]:
    return {"g": 1.0 + weights(seed, salt, 1, n, 0.1), "b": weights(seed, salt + 1, 1, n, 0.05)}


def layer_norm(x: npt.NDArray[np.float64], p: dict[str, npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    return p["g"] * (x - mean) / np.sqrt(var + 1e-5) + p["b"]


def linear(x: npt.NDArray[np.float64], p: dict[str, npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
    return x @ p["w"] + p["b"]


def gelu(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def softmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def attention(x: npt.NDArray[np.float64], p: dict[str, dict[str, npt.NDArray[np.float64]]]) -> npt.NDArray[np.float64]:
    n = x.shape[0]
    qkv = linear(layer_norm(x, p["ln"]), p["c_attn"])
    mask = (1 - np.tri(n, dtype=np.float64)) * -1e10
    hd = N_EMBD // N_HEAD
    heads = np.zeros((n, N_EMBD))
    for h in range(N_HEAD):
        q = qkv[:, h * hd:(h + 1) * hd]
        k = qkv[:, N_EMBD + h * hd:N_EMBD + (h + 1) * hd]
        v = qkv[:, 2 * N_EMBD + h * hd:2 * N_EMBD + (h + 1) * hd]
        heads[:, h * hd:(h + 1) * hd] = softmax(q @ k.T / np.sqrt(hd) + mask) @ v
    return linear(heads, p["c_proj"])


def feed_forward(x: npt.NDArray[np.float64], p: dict[str, dict[str, npt.NDArray[np.float64]]]) -> npt.NDArray[np.float64]:
    return linear(gelu(linear(layer_norm(x, p["ln"]), p["c_fc"])), p["c_proj"])


def make_params(seed: int) -> tuple[dict[str, npt.NDArray[np.float64]], list[dict[str, dict[str, dict[str, npt.NDArray[np.float64]]]]]]:
    """The embeddings and final norm in one dict, the blocks in a list: blocks[i]["attn"]["c_attn"]["w"]."""
    params = {"wte": weights(seed, 1, N_VOCAB, N_EMBD, 0.1), "wpe": weights(seed, 2, N_CTX, N_EMBD, 0.05)}
    ln_f = norm_params(seed, 3, N_EMBD)
    params["ln_f_g"] = ln_f["g"]
    params["ln_f_b"] = ln_f["b"]
    blocks = []
    for i in range(N_LAYER):
        salt = 100 * (i + 1)
        blocks.append({
            "attn": {"ln": norm_params(seed, salt, N_EMBD), "c_attn": linear_params(seed, salt + 10, N_EMBD, 3 * N_EMBD),
                     "c_proj": linear_params(seed, salt + 20, N_EMBD, N_EMBD)},
            "mlp": {"ln": norm_params(seed, salt + 30, N_EMBD), "c_fc": linear_params(seed, salt + 40, N_EMBD, 4 * N_EMBD),
                    "c_proj": linear_params(seed, salt + 50, 4 * N_EMBD, N_EMBD)},
        })
    return params, blocks


@compile(examples=[([3, 14, 15, 9, 2, 6], 7), ([1, 2, 3, 4, 5, 6, 7, 8], 1)])
def gpt_dict_logits(tokens: npt.NDArray[np.int64], seed: int) -> npt.NDArray[np.float64]:
    """Logits of the tiny GPT, one row per position (token ids taken modulo the vocabulary, at most N_CTX of them)."""
    ids = np.abs(tokens[:N_CTX]) % N_VOCAB
    params, blocks = make_params(seed % 1000)
    x = params["wte"][ids] + params["wpe"][:ids.shape[0]]
    for block in blocks:
        x = x + attention(x, block["attn"])
        x = x + feed_forward(x, block["mlp"])
    x = layer_norm(x, {"g": params["ln_f_g"], "b": params["ln_f_b"]})
    return x @ params["wte"].T


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
    forward pass): read, never written, as a dict of arrays crosses the boundary read-only."""
    return x + linear(layer_norm(x, p), p)


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
        x = np.tanh(linear(x, layers[name]))
    return x
