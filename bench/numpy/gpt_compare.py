"""The GPT forward pass (examples/gpt/gpt.py): Kiln's exported package against NumPy in one process (run by
bench/numpy/gpt.ts).

  gpt_compare.py PACKAGE_DIR SOURCE_FILE PAIRS WEIGHTS_DIR
PACKAGE_DIR holds the package `gpt` that `kiln export` wrote from SOURCE_FILE (a copy of examples/gpt/gpt.py with the
benchmark's dimensions); SOURCE_FILE is also imported as `gpt_py` and run by CPython with NumPy. The inputs (tokens
filling the context, weights from numpy.random.default_rng(20)) are written to WEIGHTS_DIR as raw little-endian
files for the wasm side. Pairs of calls in alternating order, each timed in this thread's CPU time; prints
"kiln_ms numpy_ms max_rel" (medians; the largest difference over the largest magnitude of NumPy's logits).
"""
import importlib.util
import os
import statistics
import sys
import time

import numpy as np


def main():
    pkg_dir, source, pairs, wdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    sys.path.insert(0, pkg_dir)
    import gpt as kiln  # the exported package

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../resources/python"))  # the no-op `kiln` decorator
    spec = importlib.util.spec_from_file_location("gpt_py", source)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    rng = np.random.default_rng(20)
    v, c, e, layers = ref.N_VOCAB, ref.N_CTX, ref.N_EMBD, ref.N_LAYER
    args = (
        rng.integers(0, v, c, dtype=np.int64),
        rng.standard_normal((v, e)) * 0.1, rng.standard_normal((c, e)) * 0.05,
        rng.standard_normal((layers, e, 3 * e)) * 0.1, rng.standard_normal((layers, e, e)) * 0.1,
        rng.standard_normal((layers, e, 4 * e)) * 0.1, rng.standard_normal((layers, 4 * e, e)) * 0.05,
    )
    names = ["tokens", "wte", "wpe", "w_qkv", "w_proj", "w_fc", "w_out"]
    for name, a in zip(names, args):
        a.astype(a.dtype.newbyteorder("<")).tofile(os.path.join(wdir, f"{name}.bin"))
    k, n = kiln.gpt_forward, ref.gpt_forward
    rk, rn = k(*args), n(*args)
    np.asarray(rn, dtype="<f8").tofile(os.path.join(wdir, "logits.bin"))
    reps = max(1, int(0.05 / max(1e-6, timed(n, args))))
    tk, tn = [], []
    for i in range(pairs):
        for side in ((0, 1) if i % 2 == 0 else (1, 0)):
            f = k if side == 0 else n
            t0 = time.thread_time()
            for _ in range(reps):
                f(*args)
            (tk if side == 0 else tn).append((time.thread_time() - t0) / reps)
    rel = float(np.max(np.abs(rk - rn)) / np.max(np.abs(rn)))
    print(f"{statistics.median(tk) * 1e3:.4f}\t{statistics.median(tn) * 1e3:.4f}\t{rel:.3g}", flush=True)


def timed(f, args):
    t0 = time.thread_time()
    f(*args)
    return time.thread_time() - t0


if __name__ == "__main__":
    main()
