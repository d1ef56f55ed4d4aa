"""How often this machine's C library (through CPython's math) is not correctly rounded, against mpmath at 200
bits, for the functions random.py and cmath lean on.   python3 bench/runtime/libm_rounding.py [N]"""
import math
import random
import sys

import mpmath

mpmath.mp.prec = 200
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
r = random.Random(5)
TESTS = {
    'sin': (math.sin, mpmath.sin, lambda: (r.random() * math.tau,)),
    'cos': (math.cos, mpmath.cos, lambda: (r.random() * math.tau,)),
    'log': (math.log, mpmath.log, lambda: (1.0 - r.random(),)),
    'exp': (math.exp, mpmath.exp, lambda: ((r.random() - 0.5) * 40,)),
    'acos': (math.acos, mpmath.acos, lambda: (2 * r.random() - 1,)),
    'pow': (math.pow, mpmath.power, lambda: (r.random() * 3, (r.random() - 0.5) * 40)),
    'log1p': (math.log1p, mpmath.log1p, lambda: (-r.random(),)),
    'expm1': (math.expm1, mpmath.expm1, lambda: ((r.random() - 0.5) * 4,)),
    'erf': (math.erf, mpmath.erf, lambda: ((r.random() - 0.5) * 10,)),
    'erfc': (math.erfc, mpmath.erfc, lambda: ((r.random() - 0.5) * 20,)),
}
for name, (f, g, gen) in TESTS.items():
    bad = 0
    for _ in range(N):
        a = gen()
        bad += f(*a) != float(g(*[mpmath.mpf(x) for x in a]))
    print('%-6s %6.2f%% of %d results not correctly rounded' % (name, 100.0 * bad / N, N))
