"""CPython's and NumPy's side of the random differential test (tests/runtime/random.test.ts, driver random.c).

  python3 random_cases.py gen VALUES [SEEDS...]   prints the commands: every method, VALUES draws each, per seed
  python3 random_cases.py eval                   reads commands on stdin, prints what CPython/NumPy give

Results: values separated by spaces, then "ERR <Kind> <message>" when the call raised. Ints are hex, floats
"f" + IEEE bits in hex, lists comma-separated ("-" for an empty list), "none" for None.
"""
import random
import struct
import sys

import numpy as np

SEEDS = [0, 1, 42, 2 ** 32 + 5, -7, 123456789012345678901234567890]


def fb(x):
    return 'f%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]


def uf(t):
    return struct.unpack('<d', struct.pack('<Q', int(t[1:], 16)))[0]


def ui(t):
    return int(t, 16)


def items(t):
    return [] if t == '-' else t.split(',')


state = {'py': random.Random(0), 'np': None}


def run(cmd):
    t = cmd.split(' ')
    op = t[0]
    out = []
    py, g = state['py'], state['np']
    count = int(t[-1]) if len(t) > 1 and t[-1].lstrip('-').isdigit() else 0
    try:
        if op == 'seed':
            state['py'] = random.Random(ui(t[1]))
            return 'ok'
        if op == 'seedf':
            state['py'] = random.Random(uf(t[1]))
            return 'ok'
        if op == 'random':
            for _ in range(count): out.append(fb(py.random()))
        elif op == 'getrandbits':
            for _ in range(count): out.append(hex(py.getrandbits(int(t[1]))))
        elif op == 'randrange':
            for _ in range(count): out.append(hex(py.randrange(ui(t[1]), ui(t[2]), ui(t[3]))))
        elif op == 'randrange1':
            for _ in range(count): out.append(hex(py.randrange(ui(t[1]))))
        elif op in ('randint', 'randint64'):
            for _ in range(count): out.append(hex(py.randint(ui(t[1]), ui(t[2]))))
        elif op == 'choice':
            seq = list(range(int(t[1])))
            for _ in range(count): out.append(hex(py.choice(seq)))
        elif op == 'shuffle':
            x = list(range(int(t[1])))
            py.shuffle(x)
            out = [hex(v) for v in x]
        elif op == 'sample':
            out = [hex(v) for v in py.sample(range(int(t[1])), int(t[2]))]
        elif op == 'samplecounts':
            counts = [ui(v) for v in items(t[1])]
            out = [hex(v) for v in py.sample(range(len(counts)), k=int(t[2]), counts=counts)]
        elif op == 'choices':
            pop = list(range(int(t[1])))
            out = [hex(v) for v in py.choices(pop, k=count)]
        elif op in ('choicesw', 'choicesc'):
            w = [uf(v) for v in items(t[1])]
            pop = list(range(len(w)))
            res = py.choices(pop, weights=w, k=count) if op == 'choicesw' else py.choices(pop, cum_weights=w, k=count)
            out = [hex(v) for v in res]
        elif op == 'choicesi':
            w = [ui(v) for v in items(t[1])]
            out = [hex(v) for v in py.choices(list(range(len(w))), weights=w, k=count)]
        elif op == 'randbytes':
            b = py.randbytes(int(t[1]))
            return b.hex() or '-'
        elif op == 'uniform':
            for _ in range(count): out.append(fb(py.uniform(uf(t[1]), uf(t[2]))))
        elif op == 'triangular':
            mode = None if t[3] == 'none' else uf(t[3])
            for _ in range(count): out.append(fb(py.triangular(uf(t[1]), uf(t[2]), mode)))
        elif op in ('normalvariate', 'gauss', 'lognormvariate', 'gammavariate', 'betavariate', 'weibullvariate',
                    'vonmisesvariate'):
            f = getattr(py, op)
            for _ in range(count): out.append(fb(f(uf(t[1]), uf(t[2]))))
        elif op in ('expovariate', 'paretovariate'):
            f = getattr(py, op)
            for _ in range(count): out.append(fb(f(uf(t[1]))))
        elif op == 'npseed':
            state['np'] = np.random.default_rng(ui(t[1]))
            return 'ok'
        elif op == 'nprandom':
            for _ in range(count): out.append(fb(g.random()))
        elif op == 'npintegers':
            for _ in range(count): out.append(hex(int(g.integers(ui(t[1]), ui(t[2]), endpoint=t[3] == '1'))))
        elif op == 'npstdnormal':
            for _ in range(count): out.append(fb(g.standard_normal()))
        elif op == 'npnormal':
            for _ in range(count): out.append(fb(g.normal(uf(t[1]), uf(t[2]))))
        elif op == 'npuniform':
            for _ in range(count): out.append(fb(g.uniform(uf(t[1]), uf(t[2]))))
        elif op == 'npchoice':
            for _ in range(count): out.append(hex(int(g.choice(int(t[1])))))
        elif op == 'npchoicep':
            p = [uf(v) for v in items(t[1])]
            for _ in range(count): out.append(hex(int(g.choice(len(p), p=p))))
        elif op == 'npchoicenr':
            out = [hex(int(v)) for v in g.choice(int(t[1]), size=int(t[2]), replace=False, shuffle=t[3] == '1')]
        elif op == 'npchoicenrp':
            p = [uf(v) for v in items(t[1])]
            out = [hex(int(v)) for v in g.choice(len(p), size=int(t[2]), replace=False, p=p)]
        elif op == 'npshuffle':
            x = list(range(int(t[1])))
            g.shuffle(x)
            out = [hex(v) for v in x]
        elif op == 'nppermutation':
            out = [hex(int(v)) for v in g.permutation(int(t[1]))]
        else:
            raise SystemExit('unknown command ' + op)
    except (ValueError, IndexError, TypeError, OverflowError, ZeroDivisionError) as e:
        out.append('ERR %s %s' % (type(e).__name__, e))
    return ' '.join(out)


def gen(values, seeds):
    rng = random.Random(2024)
    out = []
    n = values
    small = max(n // 2, 10)
    for s in seeds:
        out.append('seed %s' % hex(s))
        out.append('random %d' % n)
        for k in (0, 1, 5, 31, 32, 33, 53, 63, 64, 65, 100, 1000):
            out.append('getrandbits %d %d' % (k, small))
        out.append('getrandbits -1 1')
        for (a, b, st) in ((0, 10, 1), (0, 1, 1), (-5, 5, 1), (0, 2 ** 31, 1), (0, 2 ** 32, 1), (0, 2 ** 32 + 1, 1),
                           (1, 2 ** 62, 1), (-(2 ** 63), 2 ** 63, 1), (0, 10 ** 30, 1), (0, 100, 7), (100, 0, -3),
                           (0, 100, -1), (5, 5, 1), (5, 3, 1), (0, 10, 0), (10 ** 30, -(10 ** 30), -7),
                           (10 ** 40, 0, 1), (10 ** 5000, 0, 1)):
            out.append('randrange %s %s %s %d' % (hex(a), hex(b), hex(st), small))
        for a in (1, 7, 2 ** 40, 0, -3, 10 ** 25):
            out.append('randrange1 %s %d' % (hex(a), small))
        for (a, b) in ((1, 6), (0, 0), (-1000, 1000), (0, 2 ** 63 - 1), (2 ** 63 - 1, 2 ** 63 - 1), (3, 2)):
            out.append('randint %s %s %d' % (hex(a), hex(b), small))
            if -(2 ** 63) <= a and b < 2 ** 63:
                out.append('randint64 %s %s %d' % (hex(a), hex(b), small))
        for m in (1, 2, 10, 1000, 0):
            out.append('choice %d %d' % (m, small))
        for m in (0, 1, 2, 10, 100, 1000):
            out.append('shuffle %d' % m)
        for (m, k) in ((10, 3), (10, 10), (100, 5), (100, 30), (1000, 10), (1000, 200), (10 ** 6, 100), (22, 5),
                       (21, 6), (45, 6), (46, 6), (5, 6), (5, -1), (0, 0)):
            out.append('sample %d %d' % (m, k))
        out.append('samplecounts %s 7' % ','.join(hex(v) for v in (4, 2, 0, 3)))
        out.append('samplecounts %s 3' % ','.join(hex(v) for v in (0, 0)))
        out.append('choices 7 %d' % small)
        out.append('choices 1 %d' % small)
        out.append('choicesw %s %d' % (','.join(fb(w) for w in (0.1, 0.2, 0.3, 0.4)), small))
        out.append('choicesw %s %d' % (','.join(fb(w) for w in (1e-300, 0.0, 5.0)), small))
        out.append('choicesc %s %d' % (','.join(fb(w) for w in (1.0, 1.0, 3.5)), small))
        out.append('choicesc %s 1' % ','.join(fb(w) for w in (0.0, 0.0)))
        out.append('choicesc %s 1' % ','.join(fb(w) for w in (1.0, float('inf'))))
        out.append('choicesi %s %d' % (','.join(hex(w) for w in (3, 0, 2 ** 60, 7)), small))
        out.append('randbytes 0')
        out.append('randbytes 13')
        out.append('uniform %s %s %d' % (fb(-3.0), fb(7.5), small))
        out.append('triangular %s %s none %d' % (fb(0.0), fb(1.0), small))
        out.append('triangular %s %s %s %d' % (fb(0.0), fb(10.0), fb(2.5), small))
        out.append('triangular %s %s %s %d' % (fb(3.0), fb(3.0), fb(3.0), 3))
        out.append('normalvariate %s %s %d' % (fb(0.0), fb(1.0), n))
        out.append('gauss %s %s %d' % (fb(10.0), fb(2.0), n))
        out.append('gauss %s %s 3' % (fb(0.0), fb(1.0)))   # odd count: the cached value carries over
        out.append('random 3')
        out.append('gauss %s %s 1' % (fb(0.0), fb(1.0)))
        out.append('lognormvariate %s %s %d' % (fb(0.0), fb(0.5), small))
        out.append('lognormvariate %s %s 1' % (fb(800.0), fb(1.0)))
        out.append('expovariate %s %d' % (fb(1.5), n))
        out.append('expovariate %s 1' % fb(0.0))
        out.append('vonmisesvariate %s %s %d' % (fb(1.0), fb(4.0), small))
        out.append('vonmisesvariate %s %s %d' % (fb(0.5), fb(0.0), 10))
        for (a, b) in ((0.5, 1.0), (1.0, 2.0), (2.5, 0.5), (0.01, 1.0), (200.0, 1.0), (0.0, 1.0)):
            out.append('gammavariate %s %s %d' % (fb(a), fb(b), small))
        out.append('betavariate %s %s %d' % (fb(2.0), fb(5.0), small))
        out.append('betavariate %s %s %d' % (fb(0.1), fb(0.1), small))
        out.append('paretovariate %s %d' % (fb(3.0), small))
        out.append('paretovariate %s 1' % fb(0.0))
        out.append('weibullvariate %s %s %d' % (fb(1.0), fb(1.5), small))
    for s in (0.0, 1.5, -1.5, 1e300, -2.0 ** 70, float('inf'), 3.0):
        out.append('seedf %s' % fb(s))
        out.append('random 5')
    # NumPy
    for s in seeds:
        out.append('npseed %s' % hex(s))
        if s < 0:
            continue
        out.append('nprandom %d' % n)
        for (lo, hi, ep) in ((0, 10, 0), (0, 1, 0), (-5, 5, 1), (0, 2 ** 32 - 1, 0), (0, 2 ** 32, 0), (0, 2 ** 32 + 1, 0),
                             (0, 2 ** 32, 1), (-(2 ** 63), 2 ** 63, 0), (-(2 ** 63), 2 ** 63 - 1, 1), (0, 2 ** 63, 0),
                             (10, 10 ** 15, 0), (5, 5, 0), (5, 5, 1), (0, 0, 0), (0, -1, 1), (-(2 ** 64), 5, 0),
                             (0, 2 ** 64, 0), (2 ** 64, 5, 0)):
            out.append('npintegers %s %s %d %d' % (hex(lo), hex(hi), ep, small))
        out.append('npstdnormal %d' % n)
        out.append('npnormal %s %s %d' % (fb(5.0), fb(2.0), small))
        out.append('npnormal %s %s 2' % (fb(0.0), fb(-0.0)))
        out.append('npnormal %s %s 2' % (fb(0.0), fb(-1.0)))
        out.append('npuniform %s %s %d' % (fb(-2.0), fb(3.0), small))
        out.append('npuniform %s %s 1' % (fb(1.0), fb(0.0)))
        out.append('npuniform %s %s 1' % (fb(-1e308), fb(1e308)))
        for m in (1, 7, 1000, 2 ** 33, 0):
            out.append('npchoice %d %d' % (m, small))
        out.append('npchoicep %s %d' % (','.join(fb(v) for v in (0.1, 0.2, 0.3, 0.4)), small))
        out.append('npchoicep %s 1' % ','.join(fb(v) for v in (0.5, 0.6)))
        out.append('npchoicep %s 1' % ','.join(fb(v) for v in (1.5, -0.5)))
        out.append('npchoicep %s 1' % ','.join(fb(v) for v in (float('nan'), 1.0)))
        for (m, k, sh) in ((10, 3, 1), (10, 10, 0), (1000, 7, 1), (20000, 1000, 1), (20000, 300, 1), (20000, 300, 0),
                           (20000, 500, 0), (5, 6, 1), (100, 0, 1)):
            out.append('npchoicenr %d %d %d' % (m, k, sh))
        out.append('npchoicenrp %s 3' % ','.join(fb(v) for v in (0.1, 0.2, 0.3, 0.4)))
        out.append('npchoicenrp %s 3' % ','.join(fb(v) for v in (0.5, 0.5, 0.0, 0.0)))
        for m in (0, 1, 2, 10, 1000):
            out.append('npshuffle %d' % m)
            out.append('nppermutation %d' % m)
        out.append('nprandom 5')
    return out


if __name__ == '__main__':
    if sys.argv[1] == 'gen':
        seeds = [int(s) for s in sys.argv[3:]] or SEEDS
        for line in gen(int(sys.argv[2]), seeds):
            print(line)
    else:
        for line in sys.stdin:
            print(run(line.rstrip('\n')))
