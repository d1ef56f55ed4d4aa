"""A tiny GPT-2-style forward pass in plain NumPy, compiled by Kiln.

Token and position embeddings, pre-norm transformer blocks (layer norm, causal multi-head self-attention with
softmax, a GELU feed-forward), a final layer norm and the logits against the tied token embedding. The weights
are made inside the compiled function from a seed by integer hashing (exact in int64, then one division), so
Kiln and NumPy start from bit-identical weights and the browser needs only the token ids and the seed.
"""
import numpy as np
import numpy.typing as npt
from kiln import compile

N_VOCAB = 64
N_CTX = 16
N_EMBD = 32
N_HEAD = 4
N_LAYER = 2


def weights(seed: int, salt: int, rows: int, cols: int, scale: float) -> npt.NDArray[np.float64]:
    """rows x cols values in [-scale, scale), a hash of (seed, salt, index): the same bits in NumPy and Kiln."""
    i = np.arange(rows * cols)
    h = (i * 40503 + seed * 7919 + salt * 104729) % 65521
    h = (h * h + i) % 65521
    return ((h - 32760.0) / 32760.0 * scale).reshape(rows, cols)


def layer_norm(x: npt.NDArray[np.float64], g: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    return g * (x - mean) / np.sqrt(var + 1e-5) + b


def gelu(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def softmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def attention(q: npt.NDArray[np.float64], k: npt.NDArray[np.float64], v: npt.NDArray[np.float64],
              mask: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return softmax(q @ k.T / np.sqrt(q.shape[-1]) + mask) @ v


def causal_self_attention(x: npt.NDArray[np.float64], w_qkv: npt.NDArray[np.float64],
                          w_proj: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n = x.shape[0]
    qkv = x @ w_qkv
    mask = np.where(np.triu(np.ones((n, n)), k=1) > 0, -1e10, 0.0)
    e = x.shape[1]
    hd = e // N_HEAD
    heads = np.zeros((n, e))
    for h in range(N_HEAD):
        q = qkv[:, h * hd:(h + 1) * hd]
        k = qkv[:, e + h * hd:e + (h + 1) * hd]
        v = qkv[:, 2 * e + h * hd:2 * e + (h + 1) * hd]
        heads[:, h * hd:(h + 1) * hd] = attention(q, k, v, mask)
    return heads @ w_proj


def forward(tokens: npt.NDArray[np.int64], wte: npt.NDArray[np.float64], wpe: npt.NDArray[np.float64],
            w_qkv: npt.NDArray[np.float64], w_proj: npt.NDArray[np.float64], w_fc: npt.NDArray[np.float64],
            w_out: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The logits for the tokens: one row per position. The blocks' weights are stacked along a first axis of
    one item per layer (w_qkv[layer] is n_embd x 3*n_embd); layer norms have unit gain and zero bias."""
    n = tokens.shape[0]
    x = wte[tokens] + wpe[:n]
    ones = np.ones(wte.shape[1])
    zeros = np.zeros(wte.shape[1])
    for layer in range(w_qkv.shape[0]):
        x = x + causal_self_attention(layer_norm(x, ones, zeros), w_qkv[layer], w_proj[layer])
        x = x + gelu(layer_norm(x, ones, zeros) @ w_fc[layer]) @ w_out[layer]
    return layer_norm(x, ones, zeros) @ wte.T


def stacked(seed: int, salt: int, rows: int, cols: int, scale: float) -> npt.NDArray[np.float64]:
    """N_LAYER matrices of rows x cols, one per layer (salts salt, salt + 1, ...)."""
    w = np.zeros((N_LAYER, rows, cols))
    for layer in range(N_LAYER):
        w[layer] = weights(seed, salt + layer, rows, cols, scale)
    return w


@compile(ndim={"tokens": 1, "wte": 2, "wpe": 2, "w_qkv": 3, "w_proj": 3, "w_fc": 3, "w_out": 3})
def gpt_forward(tokens: npt.NDArray[np.int64], wte: npt.NDArray[np.float64], wpe: npt.NDArray[np.float64],
                w_qkv: npt.NDArray[np.float64], w_proj: npt.NDArray[np.float64], w_fc: npt.NDArray[np.float64],
                w_out: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The forward pass with the weights given (what the benchmark times)."""
    return forward(tokens, wte, wpe, w_qkv, w_proj, w_fc, w_out)


@compile(examples=[([3, 14, 15, 9, 2, 6], 7), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], 1)])
def gpt_logits(tokens: npt.NDArray[np.int64], seed: int) -> npt.NDArray[np.float64]:
    """Logits (one row per position) of the tiny GPT for the token ids, with the weights of the seed."""
    wte = weights(seed, 1, N_VOCAB, N_EMBD, 0.1)
    wpe = weights(seed, 2, N_CTX, N_EMBD, 0.05)
    w_qkv = stacked(seed, 10, N_EMBD, 3 * N_EMBD, 0.2)
    w_proj = stacked(seed, 20, N_EMBD, N_EMBD, 0.2)
    w_fc = stacked(seed, 30, N_EMBD, 4 * N_EMBD, 0.2)
    w_out = stacked(seed, 40, 4 * N_EMBD, N_EMBD, 0.1)
    return forward(tokens, wte, wpe, w_qkv, w_proj, w_fc, w_out)
