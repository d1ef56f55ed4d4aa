"""A tiny GPT-2 forward pass in plain NumPy, written as the well-known 60-line NumPy GPT (picoGPT) writes it, compiled by Kiln.

The model (gelu to gpt2 below) is that code unchanged apart from annotations: token and position embeddings
(`wte[inputs] + wpe[range(len(inputs))]`), pre-norm transformer blocks (layer norm, causal multi-head self-attention
with softmax, a GELU feed-forward), a final layer norm and the logits against the tied token embedding, the weights
in picoGPT's nested dict (params["blocks"][i]["attn"]["c_attn"]["w"]) passed down by `**`. Kiln types a dict whose
values differ in type per constant key ({"w": matrix, "b": vector}) as a record, and binds `**` of a dict whose values
share one type (the layer norms' {"g", "b"}) by key at run time, with CPython's TypeErrors.

The weights are made inside the compiled code from a seed by integer hashing (exact in int64, then one division), so
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


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def softmax(x):
    exp_x = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return exp_x / np.sum(exp_x, axis=-1, keepdims=True)


def layer_norm(x, g, b, eps: float = 1e-5):
    mean = np.mean(x, axis=-1, keepdims=True)
    variance = np.var(x, axis=-1, keepdims=True)
    x = (x - mean) / np.sqrt(variance + eps)
    return g * x + b


def linear(x, w, b):
    return x @ w + b


def ffn(x, c_fc, c_proj):
    a = gelu(linear(x, **c_fc))
    x = linear(a, **c_proj)
    return x


def attention(q, k, v, mask):
    return softmax(q @ k.T / np.sqrt(q.shape[-1]) + mask) @ v


def mha(x, c_attn, c_proj, n_head: int):
    x = linear(x, **c_attn)
    qkv = np.split(x, 3, axis=-1)
    qkv_heads = list(map(lambda x: np.split(x, n_head, axis=-1), qkv))
    causal_mask = (1 - np.tri(x.shape[0], dtype=x.dtype)) * -1e10
    out_heads = [attention(q, k, v, causal_mask) for q, k, v in zip(*qkv_heads)]
    x = np.hstack(out_heads)
    x = linear(x, **c_proj)
    return x


def transformer_block(x, mlp, attn, ln_1, ln_2, n_head: int):
    x = x + mha(layer_norm(x, **ln_1), **attn, n_head=n_head)
    x = x + ffn(layer_norm(x, **ln_2), **mlp)
    return x


def gpt2(inputs, wte, wpe, blocks, ln_f, n_head: int):
    x = wte[inputs] + wpe[range(len(inputs))]
    for block in blocks:
        x = transformer_block(x, **block, n_head=n_head)
    x = layer_norm(x, **ln_f)
    return x @ wte.T


# ---- the weights: picoGPT loads a checkpoint; here they come from a seed, or from the caller's stacked arrays ----

def weights(seed: int, salt: int, rows: int, cols: int, scale: float) -> npt.NDArray[np.float64]:
    """rows x cols values in [-scale, scale), a hash of (seed, salt, index): the same bits in NumPy and Kiln."""
    i = np.arange(rows * cols)
    h = (i * 40503 + seed * 7919 + salt * 104729) % 65521
    h = (h * h + i) % 65521
    return ((h - 32760.0) / 32760.0 * scale).reshape(rows, cols)


def norm(n: int) -> dict[str, npt.NDArray[np.float64]]:
    """A layer norm of unit gain and zero bias."""
    return {"g": np.ones(n), "b": np.zeros(n)}


def params_of(wte: npt.NDArray[np.float64], wpe: npt.NDArray[np.float64], w_qkv: npt.NDArray[np.float64], w_proj: npt.NDArray[np.float64],
              w_fc: npt.NDArray[np.float64], w_out: npt.NDArray[np.float64]):
    """picoGPT's params from stacked matrices (w_qkv[layer] is n_embd x 3*n_embd), zero biases and unit-gain layer norms."""
    e = wte.shape[1]
    blocks = []
    for layer in range(w_qkv.shape[0]):
        blocks.append({
            "attn": {"c_attn": {"w": w_qkv[layer], "b": np.zeros(3 * e)}, "c_proj": {"w": w_proj[layer], "b": np.zeros(e)}},
            "ln_1": norm(e), "ln_2": norm(e),
            "mlp": {"c_fc": {"w": w_fc[layer], "b": np.zeros(4 * e)}, "c_proj": {"w": w_out[layer], "b": np.zeros(e)}},
        })
    return {"wte": wte, "wpe": wpe, "blocks": blocks, "ln_f": norm(e)}


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
    """The logits for the tokens (one row per position) with the weights given, stacked along a first axis of one
    item per layer (what the benchmark times)."""
    params = params_of(wte, wpe, w_qkv, w_proj, w_fc, w_out)
    return gpt2(tokens, **params, n_head=N_HEAD)


@compile(examples=[([3, 14, 15, 9, 2, 6], 7), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], 1)])
def gpt_logits(tokens: npt.NDArray[np.int64], seed: int) -> npt.NDArray[np.float64]:
    """Logits (one row per position) of the tiny GPT for the token ids, with the weights of the seed."""
    params = params_of(weights(seed, 1, N_VOCAB, N_EMBD, 0.1), weights(seed, 2, N_CTX, N_EMBD, 0.05),
                       stacked(seed, 10, N_EMBD, 3 * N_EMBD, 0.2), stacked(seed, 20, N_EMBD, N_EMBD, 0.2),
                       stacked(seed, 30, N_EMBD, 4 * N_EMBD, 0.2), stacked(seed, 40, 4 * N_EMBD, N_EMBD, 0.1))
    return gpt2(tokens, **params, n_head=N_HEAD)
