"""CPython's side of the math/cmath/complex/statistics differential test (tests/runtime/math.test.ts, driver math.c).

  python3 math_cases.py gen SEED N   prints the edge-value commands, then N seeded random ones
  python3 math_cases.py eval         reads commands on stdin, prints what CPython computes, one line each

Ints travel as hex, floats as "f" + IEEE bits in hex, lists comma-separated ("-" for an empty list).
"""
import cmath
import math
import random
import statistics
import struct
import sys


def h(v):
    return hex(v)


def fb(x):
    """A float's bits in hex; every NaN is "nan" (their sign is not portable)."""
    if x != x:
        return 'nan'
    return 'f%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]


def enc(x):
    """A float argument in a command: its bits, NaN included."""
    return 'f%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]


def uf(t):
    return struct.unpack('<d', struct.pack('<Q', int(t[1:], 16)))[0]


def ui(t):
    return int(t, 16)


def flist(t):
    return [] if t == '-' else [uf(x) for x in t.split(',')]


def ilist(t):
    return [] if t == '-' else [ui(x) for x in t.split(',')]


def run(cmd):
    t = cmd.split(' ')
    op = t[0]
    try:
        if op in ('gcd', 'lcm', 'comb', 'perm'):
            return h(getattr(math, op)(ui(t[1]), ui(t[2])))
        if op in ('isqrt', 'factorial'):
            return h(getattr(math, op)(ui(t[1])))
        if op in ('acosh', 'asinh', 'atanh', 'cbrt', 'exp2', 'expm1', 'log1p', 'gamma', 'lgamma', 'erf', 'erfc',
                  'degrees', 'radians', 'ulp'):
            return fb(getattr(math, op)(uf(t[1])))
        if op in ('remainder', 'nextafter', 'copysign'):
            return fb(getattr(math, op)(uf(t[1]), uf(t[2])))
        if op == 'hypot2': return fb(math.hypot(uf(t[1]), uf(t[2])))
        if op == 'ldexp': return fb(math.ldexp(uf(t[1]), ui(t[2])))
        if op == 'frexp':
            m, e = math.frexp(uf(t[1]))
            return '%s %d' % (fb(m), e)
        if op == 'modf':
            f, i = math.modf(uf(t[1]))
            return fb(f) + ' ' + fb(i)
        if op == 'isclose':
            return str(int(math.isclose(uf(t[1]), uf(t[2]), rel_tol=uf(t[3]), abs_tol=uf(t[4]))))
        if op == 'hypot': return fb(math.hypot(*flist(t[1])))
        if op == 'dist': return fb(math.dist(flist(t[1]), flist(t[2])))
        if op == 'fsum': return fb(math.fsum(flist(t[1])))
        if op == 'prodf': return fb(math.prod(flist(t[1])))
        if op == 'prodi': return h(math.prod(ilist(t[1])))
        if op.startswith('c_'):
            f = op[2:]
            z = complex(uf(t[1]), uf(t[2]))
            w = complex(uf(t[3]), uf(t[4])) if len(t) > 4 else None
            if f in ('add', 'sub', 'mul', 'div', 'pow'):
                r = {'add': lambda: z + w, 'sub': lambda: z - w, 'mul': lambda: z * w, 'div': lambda: z / w,
                     'pow': lambda: z ** w}[f]()
                return fb(r.real) + ' ' + fb(r.imag)
            if f == 'abs': return fb(abs(z))
            if f == 'phase': return fb(cmath.phase(z))
            if f == 'polar':
                r, phi = cmath.polar(z)
                return fb(r) + ' ' + fb(phi)
            if f == 'rect':
                r = cmath.rect(uf(t[1]), uf(t[2]))
                return fb(r.real) + ' ' + fb(r.imag)
            if f == 'logb':
                r = cmath.log(z, w)
                return fb(r.real) + ' ' + fb(r.imag)
            if f == 'isclose': return str(int(cmath.isclose(z, w, rel_tol=uf(t[5]), abs_tol=uf(t[6]))))
            if f == 'flags': return '%d %d %d' % (cmath.isfinite(z), cmath.isinf(z), cmath.isnan(z))
            if f == 'repr': return repr(z)
            r = getattr(cmath, f)(z)
            return fb(r.real) + ' ' + fb(r.imag)
        if op.startswith('st_'):
            f = op[3:]
            ints = f.endswith('i') and f != 'fmeani'
            data = ilist(t[1]) if ints else flist(t[1])
            name = f[:-1] if ints else f
            if name == 'fmeanw':
                return fb(statistics.fmean(data, flist(t[2])))
            if name == 'median':
                data = sorted(data)
            args = [uf(t[2])] if len(t) > 2 and t[2].startswith('f') else []
            r = getattr(statistics, name)(data, *args)
            return h(r) if isinstance(r, int) else fb(r)
        if op == 'logint':
            f = {0: math.log, 2: math.log2, 10: math.log10}[int(t[2])]
            return fb(f(ui(t[1])))
    except statistics.StatisticsError as e:   # Kiln raises it as ValueError for now (KILN_StatisticsError)
        return 'ERR ValueError %s' % e
    except AttributeError as e:               # stdev of infinite data in CPython 3.11
        return 'ERR Exception %s' % e
    except Exception as e:  # noqa: BLE001 - every exception is part of the expected output
        return 'ERR %s %s' % (type(e).__name__, e)
    raise SystemExit('unknown command ' + op)


SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1e-300, -1e-300, 5e-324, -5e-324, 2.2250738585072014e-308,
           1e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308, math.inf, -math.inf, math.nan, 3.0, 1e-20,
           1.5e-20, 0.9999999999999999, 1.0000000000000002, 170.5, 171.7, -170.5, 200.0, 200.5, -200.5, 140.0, 141.5,
           -141.5, 5.524680040776729, 23.0, 24.0, -3.5, 710.0, -745.0, 1024.0, -1075.0, 1e16, 2.5e305, 1e307, 4.5, 5.0,
           0.1, 1.1, 10.0, 100.0, -100.5]


def rfloat(rng):
    r = rng.random()
    if r < 0.15:
        return rng.choice(SPECIAL)
    if r < 0.35:
        return struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0]
    if r < 0.7:
        return rng.uniform(-1, 1) * 10.0 ** rng.randrange(-5, 4)
    return rng.uniform(-1, 1) * 2.0 ** rng.randrange(-1074, 1024)


def rint(rng, bits):
    v = rng.getrandbits(rng.randrange(1, bits))
    return -v if rng.random() < 0.3 else v


def gen(seed, n):
    rng = random.Random(seed)
    out = []
    ints = [0, 1, -1, 2, -2, 12, -12, 18, 2 ** 62, 2 ** 63, 2 ** 64 + 1, -(2 ** 70), 10 ** 30, 3 ** 90, 2 ** 200 - 1]
    small = [0, 1, 2, 3, 12, 18, 40, -1, -2, -(2 ** 70)]
    for a in ints:
        for b in ints:
            for op in ('gcd', 'lcm'):
                out.append('%s %s %s' % (op, h(a), h(b)))
        for b in small:   # k (or n - k) small, negative or past 64 bits: the rest would not finish in CPython either
            for op in ('comb', 'perm'):
                out.append('%s %s %s' % (op, h(a), h(b)))
                out.append('%s %s %s' % (op, h(b), h(a)))
        out.append('isqrt %s' % h(a))
        for w in (0, 2, 10):
            out.append('logint %s %d' % (h(a), w))
    for a in (10 ** 400, 2 ** 1024, 2 ** 1024 - 1, 2 ** 2000, 3 ** 5000, 2 ** 1023 * 3):
        for w in (0, 2, 10):
            out.append('logint %s %d' % (h(a), w))
    for k in list(range(0, 40)) + [100, 255, 256, 1000, 1001, 2 ** 63, -1, -(2 ** 70)]:
        out.append('factorial %s' % h(k))
    for (nn, kk) in ((5, 2 ** 64), (2 ** 64, 2 ** 64 - 1), (2 ** 64, 3), (2 ** 64, 2 ** 64), (2 ** 65, 2 ** 64), (1000, 500),
                     (10 ** 20, 40), (100, 50), (67, 33), (2 ** 63 - 1, 2)):
        out.append('comb %s %s' % (h(nn), h(kk)))
        out.append('perm %s %s' % (h(nn), h(kk)))
    for x in SPECIAL:
        for op in ('acosh', 'asinh', 'atanh', 'cbrt', 'exp2', 'expm1', 'log1p', 'gamma', 'lgamma', 'erf', 'erfc',
                   'degrees', 'radians', 'ulp', 'frexp', 'modf'):
            out.append('%s %s' % (op, enc(x)))
        for y in SPECIAL[::4]:
            for op in ('remainder', 'nextafter', 'copysign', 'hypot2'):
                out.append('%s %s %s' % (op, enc(x), enc(y)))
        for e in (0, 1, -1, 1023, 1024, -1074, -1075, 2 ** 31, -(2 ** 31) - 1, 2 ** 70, -(2 ** 70)):
            out.append('ldexp %s %s' % (enc(x), h(e)))
    for args in ([], [3.0], [-3.0], [3.0, 4.0], [math.inf, math.nan], [math.nan, 1.0], [1e-320, 1e-321], [1e308, 1e308],
                 [0.0, -0.0, 0.0]):
        out.append('hypot %s' % (','.join(enc(v) for v in args) or '-'))
    out.append('dist %s %s' % (enc(1.0), ','.join([enc(1.0), enc(2.0)])))
    for seq in ([], [1e308, 1e308, -1e308], [1e308, -1e308, 1e308], [math.inf, -math.inf], [math.inf, 1e308, 1e308],
                [math.nan, math.inf], [1e-16, 1.0, 1e16], [0.1] * 10, [-0.0], [-0.0, -0.0], [math.inf, math.inf],
                [1.0, 1e100, 1.0, -1e100], [2.0 ** 53, 1.0, -2.0 ** -53]):
        out.append('fsum %s' % (','.join(enc(v) for v in seq) or '-'))
        out.append('prodf %s' % (','.join(enc(v) for v in seq) or '-'))
    out.append('prodi -')
    out.append('prodi %s' % ','.join(h(v) for v in [2 ** 40] * 3))
    for tol in ((1e-9, 0.0), (-1.0, 0.0), (0.0, -1.0), (0.0, 1e-3), (0.5, 0.0)):
        for (x, y) in ((1.0, 1.0000000001), (math.inf, math.inf), (math.inf, 1e308), (0.0, 1e-10), (math.nan, math.nan)):
            out.append('isclose %s %s %s %s' % (enc(x), enc(y), enc(tol[0]), enc(tol[1])))
    # complex arithmetic, cmath: every kind of part (infinities, NaN, signed zeros) against every other
    kinds = [-math.inf, -2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, math.inf, math.nan, 1e-310, 1e308, -1e308]
    cfuncs = ['sqrt', 'exp', 'log', 'log10', 'cos', 'sin', 'tan', 'acos', 'asin', 'atan', 'cosh', 'sinh', 'tanh',
              'acosh', 'asinh', 'atanh', 'abs', 'phase', 'polar', 'flags', 'repr', 'rect']
    for re_ in kinds:
        for im in kinds:
            for f in cfuncs:
                out.append('c_%s %s %s' % (f, enc(re_), enc(im)))
    for a in kinds[::2]:
        for b in kinds[::3]:
            for c in kinds[::2]:
                for d in kinds[::3]:
                    for f in ('add', 'sub', 'mul', 'div', 'pow', 'logb'):
                        out.append('c_%s %s %s %s %s' % (f, enc(a), enc(b), enc(c), enc(d)))
    for e in (0, 1, 2, 3, -1, -2, 7, 100, 101, -100, -101, 0.5, 1e10):
        for (a, b) in ((1.0, 1.0), (0.0, 0.0), (2.0, -3.0), (1e200, 1e200), (0.0, 1.0), (-1.0, 0.0), (1e-200, 0.0)):
            out.append('c_pow %s %s %s %s' % (enc(a), enc(b), enc(float(e)), enc(0.0)))
    for (a, b) in ((1.0, 2.0), (1e16, 1.0), (0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0), (1.5, -0.0), (1e-5, 1e22),
                   (123456789.0, 1e-7), (math.nan, math.inf), (-math.inf, math.nan), (0.0, -math.nan), (1.0, -math.nan)):
        out.append('c_repr %s %s' % (enc(a), enc(b)))
    out.append('c_isclose %s %s %s %s %s %s' % (enc(1.0), enc(1.0), enc(1.0), enc(1.0000000001), enc(1e-9), enc(0.0)))
    out.append('c_isclose %s %s %s %s %s %s' % (enc(1.0), enc(1.0), enc(1.0), enc(1.1), enc(-1.0), enc(0.0)))
    # statistics
    fsets = [[], [1.0], [1.0, 2.0], [1.5, 2.5, 4.0], [0.1] * 7, [1e308, 1e308], [1e308, -1e308], [1.0, math.inf],
             [1.0, math.inf, -math.inf], [math.nan, 1.0], [1e-300, 3e-300, 1e300], [2.0 ** 60, 1.0, -2.0 ** 60],
             [0.1, 0.2, 0.3, 0.4, 0.5], [-0.0, 0.0]]
    for fs in fsets:
        lst = ','.join(enc(v) for v in fs) or '-'
        for f in ('mean', 'fmean', 'variance', 'pvariance', 'stdev', 'pstdev'):
            out.append('st_%s %s' % (f, lst))
        if not any(v != v for v in fs):
            out.append('st_median %s' % ','.join(enc(v) for v in sorted(fs)) if fs else 'st_median -')
        for cc in (0.0, 1.5):
            for f in ('variance', 'pvariance', 'stdev', 'pstdev'):
                out.append('st_%s %s %s' % (f, lst, enc(cc)))
    out.append('st_fmeanw %s %s' % (','.join(enc(v) for v in (1.0, 2.0, 3.0)), ','.join(enc(v) for v in (3.0, 2.0, 1.0))))
    out.append('st_fmeanw %s %s' % (','.join(enc(v) for v in (1.0, 2.0)), ','.join(enc(v) for v in (1.0, -1.0))))
    out.append('st_fmeanw %s %s' % (','.join(enc(v) for v in (1.0, 2.0)), enc(1.0)))
    isets = [[], [2], [1, 2], [1, 2, 3], [1, 2, 4], [10 ** 30, -(10 ** 30), 7], [2 ** 64, 2 ** 64 + 1], [5, 5, 5, 5]]
    for iset in isets:
        lst = ','.join(h(v) for v in iset) or '-'
        for f in ('meani', 'variancei', 'pvariancei', 'stdevi', 'pstdevi'):
            out.append('st_%s %s' % (f, lst))
        out.append('st_mediani %s' % (','.join(h(v) for v in sorted(iset)) or '-'))
    target = len(out) + n
    while len(out) < target:
        if rng.random() < 0.1:   # statistics on random data
            k = rng.randrange(1, 40)
            if rng.random() < 0.3:
                data = [rng.randrange(-10 ** 6, 10 ** 6) for _ in range(k)]
                f = rng.choice(['meani', 'variancei', 'pvariancei', 'stdevi', 'pstdevi', 'mediani'])
                if f == 'mediani':
                    data.sort()
                out.append('st_%s %s' % (f, ','.join(h(v) for v in data)))
            else:
                scale = 10.0 ** rng.randrange(-30, 30)
                data = [rng.gauss(rng.uniform(-5, 5), 2.0) * scale for _ in range(k)]
                f = rng.choice(['mean', 'fmean', 'variance', 'pvariance', 'stdev', 'pstdev', 'median'])
                if f == 'median':
                    data.sort()
                extra = ' ' + enc(rng.uniform(-5, 5) * scale) if f in ('variance', 'pvariance', 'stdev', 'pstdev') and rng.random() < 0.3 else ''
                out.append('st_%s %s%s' % (f, ','.join(enc(v) for v in data), extra))
            continue
        if rng.random() < 0.3:   # complex and cmath on random values
            f = rng.choice(cfuncs + ['add', 'sub', 'mul', 'div', 'pow', 'logb', 'pow'])
            parts = [rng.uniform(-1, 1) * 10.0 ** rng.randrange(-3, 4) if rng.random() < 0.8 else rfloat(rng) for _ in range(4)]
            if f == 'pow' and rng.random() < 0.5:
                parts[2], parts[3] = float(rng.randrange(-120, 120)), 0.0
            nargs = 4 if f in ('add', 'sub', 'mul', 'div', 'pow', 'logb') else 2
            out.append('c_%s %s' % (f, ' '.join(enc(v) for v in parts[:nargs])))
            continue
        op = rng.choice(['gcd', 'lcm', 'comb', 'perm', 'isqrt', 'factorial', 'acosh', 'asinh', 'atanh', 'cbrt', 'exp2',
                         'expm1', 'log1p', 'gamma', 'lgamma', 'erf', 'erfc', 'remainder', 'hypot', 'dist', 'fsum', 'prodf',
                         'prodi', 'ulp', 'ldexp', 'isclose', 'logint', 'gamma', 'lgamma', 'hypot2'])
        if op in ('gcd', 'lcm'):
            g = rint(rng, 200)
            out.append('%s %s %s' % (op, h(rint(rng, 300) * g), h(rint(rng, 300) * g)))
        elif op in ('comb', 'perm'):
            nn = rng.randrange(0, 2000) if rng.random() < 0.8 else rng.getrandbits(100)
            out.append('%s %s %s' % (op, h(nn), h(rng.randrange(0, 300) if rng.random() < 0.9 else rng.randrange(0, nn + 2))))
        elif op == 'isqrt':
            out.append('isqrt %s' % h(rng.getrandbits(rng.randrange(1, 3000))))
        elif op == 'factorial':
            out.append('factorial %s' % h(rng.randrange(0, 3000)))
        elif op in ('gamma', 'lgamma'):
            out.append('%s %s' % (op, enc(rng.uniform(-200, 200) if rng.random() < 0.7 else rfloat(rng))))
        elif op in ('remainder', 'hypot2'):
            out.append('%s %s %s' % (op, enc(rfloat(rng)), enc(rfloat(rng))))
        elif op == 'hypot':
            out.append('hypot %s' % ','.join(enc(rfloat(rng) if rng.random() < 0.2 else rng.uniform(-10, 10)) for _ in range(rng.randrange(1, 20))))
        elif op == 'dist':
            k = rng.randrange(1, 12)
            out.append('dist %s %s' % (','.join(enc(rng.uniform(-1e3, 1e3)) for _ in range(k)),
                                       ','.join(enc(rng.uniform(-1e3, 1e3)) for _ in range(k))))
        elif op in ('fsum', 'prodf'):
            k = rng.randrange(0, 60)
            scale = rng.choice([1.0, 1e10, 1e-10, 1e300, 1e-300])
            out.append('%s %s' % (op, ','.join(enc(rng.uniform(-1, 1) * scale * (10.0 ** rng.randrange(-20, 20) if rng.random() < 0.3 else 1)) for _ in range(k)) or '-'))
        elif op == 'prodi':
            out.append('prodi %s' % ','.join(h(rint(rng, 100)) for _ in range(rng.randrange(1, 30))))
        elif op == 'ldexp':
            out.append('ldexp %s %s' % (enc(rfloat(rng)), h(rng.randrange(-1200, 1200))))
        elif op == 'isclose':
            x = rng.uniform(-10, 10)
            out.append('isclose %s %s %s %s' % (enc(x), enc(x * (1 + rng.uniform(-1e-8, 1e-8))), enc(1e-9), enc(rng.choice([0.0, 1e-9]))))
        elif op == 'logint':
            out.append('logint %s %d' % (h(rng.getrandbits(rng.randrange(1, 5000))), rng.choice([0, 2, 10])))
        else:
            out.append('%s %s' % (op, enc(rfloat(rng) if rng.random() < 0.5 else rng.uniform(-30, 30))))
    return out


if __name__ == '__main__':
    if sys.argv[1] == 'gen':
        for line in gen(int(sys.argv[2]), int(sys.argv[3])):
            print(line)
    else:
        for line in sys.stdin:
            print(run(line.rstrip('\n')))
