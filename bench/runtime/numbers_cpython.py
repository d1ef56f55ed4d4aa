"""CPython's side of bench/runtime/numbers.c: the same benchmarks in Python, timed the same way (best process CPU time of the
repeats), with the same checksums.  python3 numbers_cpython.py factorial|pi|random|montecarlo [N]"""
import math
import random
import sys
import time


def pi_digits(n):
    q, r, t, k, m, x = 1, 0, 1, 1, 3, 3
    out = []
    while len(out) < n:
        if 4 * q + r - t < m * t:
            out.append(m)
            q, r, m = 10 * q, 10 * (r - m * t), (10 * (3 * q + r)) // t - 10 * m
        else:
            q, r, t, k, m, x = q * k, (2 * q + r) * x, t * x, k + 1, (q * (7 * k + 2) + r * x) // (t * x), x + 2
    return out


def random_loop(n):
    random.seed(12345)
    s = 0.0
    for _ in range(n):
        s += random.random()
    return s


def montecarlo(n):
    random.seed(12345)
    hits = 0
    for _ in range(n):
        x = random.random()
        y = random.random()
        if x * x + y * y <= 1.0:
            hits += 1
    return 4.0 * hits / n


def best(f, reps):
    b = 1e30
    for _ in range(reps):
        t0 = time.process_time()
        r = f()
        b = min(b, time.process_time() - t0)
    return b, r


what = sys.argv[1]
if what == 'factorial':
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    t, r = best(lambda: math.factorial(n), 200)
    print('factorial %.2f us digitsum=%d' % (t * 1e6, sum(map(int, str(r)))))
elif what == 'pi':
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    t, r = best(lambda: pi_digits(n), 5)
    print('pi %.2f ms digitsum=%d' % (t * 1e3, sum(r)))
else:
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000000
    f = random_loop if what == 'random' else montecarlo
    t, r = best(lambda: f(n), 3)
    print('%s %.2f ms (%.2f ns per iteration) check=%r' % (what, t * 1e3, t * 1e9 / n, r))
