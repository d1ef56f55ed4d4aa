"""Times one array kernel (best of 7 batches, CPU time of the calling thread) with numba, pythran (the module
bench/arrays.ts builds), numpy (np_* twin) or a Kiln shared library through ctypes (kind kiln:/path/lib.so).
Usage: python3 peers.py KIND KERNEL"""
import sys, time, os, glob, importlib.util
import numpy as np
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'resources', 'python'))
spec = importlib.util.spec_from_file_location("ak", os.path.join(HERE, "..", "array_kernels.py")); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
sd = [1]
def rnd():
    sd[0] = (sd[0] * 1103515245 + 12345) % 2147483648
    return sd[0] / 2147483648.0
def mk(*shape):
    n = int(np.prod(shape)); return np.array([rnd() for _ in range(n)]).reshape(shape)
a1 = mk(100000); b1 = mk(100000); A = mk(120, 120); B = mk(120, 120); U = mk(200, 200); X = mk(50000); W = mk(16); H = mk(200000); P = mk(200, 3)
ARGS = {"dot": ((a1, b1), 200), "matmul": ((A, B), 20), "diffusion": ((U, 10), 5), "convolve": ((X, W), 20), "histogram": ((H, 32), 20), "pairwise": ((P,), 10)}
kind, name = sys.argv[1], sys.argv[2]
if kind == "numba":
    import numba; f = numba.njit(getattr(m, name).__wrapped__ if hasattr(getattr(m, name), "__wrapped__") else getattr(m, name))
elif kind == "pythran":
    src = lambda p: os.path.join(os.path.dirname(p), os.path.basename(p).split(".")[0] + ".py")
    so = [p for p in glob.glob(os.path.expanduser("~/.cache/kiln/peers/pythran-*/kb_pythran_*.so")) if os.path.exists(src(p)) and "pythran export pairwise" in open(src(p)).read()][0]  # built by bench/arrays.ts
    import kiln_bench as kb; f = getattr(kb.import_file(so, os.path.basename(so).split('.')[0]), name)
elif kind.startswith("kiln:"):
    import ctypes
    lib = ctypes.CDLL(kind[5:])
    class F64(ctypes.Structure): _fields_ = [("data", ctypes.POINTER(ctypes.c_double)), ("shape", ctypes.c_int64 * 3), ("strides", ctypes.c_int64 * 3)]
    class I64(ctypes.Structure): _fields_ = [("data", ctypes.POINTER(ctypes.c_int64)), ("shape", ctypes.c_int64 * 3), ("strides", ctypes.c_int64 * 3)]
    def conv(a):
        if isinstance(a, np.ndarray):
            s = F64(); s.data = a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
            for k in range(3): s.shape[k] = a.shape[k] if k < a.ndim else 1; s.strides[k] = a.strides[k] // 8 if k < a.ndim else 0
            return s
        return ctypes.c_int64(a)
    RT = {"dot": ctypes.c_double, "histogram": I64}
    fn = getattr(lib, "kiln_" + name); lib.kiln_free.argtypes = [ctypes.c_void_p]
    out = RT.get(name, F64)()
    def f(*a):
        rc = fn(*[conv(x) for x in a], ctypes.byref(out))
        assert rc == 0
        if name != "dot": lib.kiln_free(ctypes.cast(out.data, ctypes.c_void_p))
else:
    f = getattr(m, "np_" + name)
args, reps = ARGS[name]
f(*args)
best = 1e30
for r in range(7):
    t0 = time.thread_time_ns()
    for k in range(reps): f(*args)
    best = min(best, (time.thread_time_ns() - t0) / reps)
print("%-10s %9.4f ms" % (name, best / 1e6))
