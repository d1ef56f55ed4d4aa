"""CPython's side of the big-int differential test (tests/runtime/bigint.test.ts, driver bigint.c).

  python3 bigint_cases.py gen SEED N   prints the edge-value commands, then N seeded random ones, one per line
  python3 bigint_cases.py eval         reads commands on stdin, prints what CPython computes, one line each

Ints travel as hex ("-0x1f"), floats as "f" + their IEEE bits, text and bytes as "h" + hex of the bytes.
"""
import math
import random
import struct
import sys


def h(v):
    return hex(v)


def fbits(x):
    return 'f%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]


def unbits(t):
    return struct.unpack('<d', struct.pack('<Q', int(t[1:], 16)))[0]


def unhex(t):
    return bytes.fromhex(t[1:])


BOUND = 2 ** 24
BOUND_MSG = "int result of ** or << would have 2**24 bits or more (Kiln's bound on one such result in compiled code; docs/design/numbers.md)"


def err(e):
    return 'ERR %s %s' % (type(e).__name__, e)


def run(cmd):
    t = cmd.split(' ')
    op = t[0]
    ints = [int(x, 16) for x in t[1:] if x.startswith('0x') or x.startswith('-0x')]
    a = ints[0] if ints else 0
    b = ints[1] if len(ints) > 1 else 0
    try:
        if op == 'add': return h(a + b)
        if op == 'sub': return h(a - b)
        if op == 'mul': return h(a * b)
        if op == 'floordiv': return h(a // b)
        if op == 'mod': return h(a % b)
        if op == 'divmod':
            q, r = divmod(a, b)
            return h(q) + ' ' + h(r)
        if op == 'truediv': return fbits(a / b)
        if op == 'pow':
            r = a ** b
            return fbits(r) if isinstance(r, float) else h(r)
        if op == 'powmod': return h(pow(a, b, ints[2]))
        if op == 'neg': return h(-a)
        if op == 'abs': return h(abs(a))
        if op == 'invert': return h(~a)
        if op == 'lshift': return h(a << b)
        if op == 'rshift': return h(a >> b)
        if op == 'and': return h(a & b)
        if op == 'or': return h(a | b)
        if op == 'xor': return h(a ^ b)
        if op == 'cmp': return '%d %d %d' % ((a > b) - (a < b), a == b, a < b)
        if op == 'cmpf':
            f = unbits(t[2])
            return '2' if f != f else str((a > f) - (a < f))
        if op == 'hash': return str(hash(a))
        if op == 'bitlen': return '%d %d' % (a.bit_length(), a.bit_count())
        if op == 'tofloat': return fbits(float(a))
        if op == 'fromfloat': return h(int(unbits(t[1])))
        if op == 'floor': return h(math.floor(unbits(t[1])))
        if op == 'ceil': return h(math.ceil(unbits(t[1])))
        if op == 'round': return h(round(unbits(t[1])))
        if op in ('str', 'oct', 'bin', 'hex'):
            s = {'str': str, 'oct': oct, 'bin': bin, 'hex': hex}[op](a)
            return '%s %d' % (s, len(s))
        if op == 'parse': return h(int(unhex(t[2]).decode('utf-8', 'surrogateescape'), int(t[1])))
        if op == 'tobytes':
            return 'h' + a.to_bytes(int(t[2]), 'little' if t[3] == '1' else 'big', signed=t[4] == '1').hex()
        if op == 'frombytes':
            return h(int.from_bytes(unhex(t[1]), 'little' if t[2] == '1' else 'big', signed=t[3] == '1'))
        if op == 'i64': return str(a) if -2**63 <= a < 2**63 else 'none'
        # The big-int twins' bound on one ** or << result (kiln_bigint.h, KR_INT_BOUND_BITS = 2**24 bits).
        if op == 'powb':
            if abs(a) >= 2 and b > 0 and (a.bit_length() - 1) > (BOUND - 1) // b:
                return 'ERR OverflowError ' + BOUND_MSG
            return h(a ** b)
        if op == 'lshb':
            if b >= 0 and a != 0 and b >= BOUND - a.bit_length():
                return 'ERR OverflowError ' + BOUND_MSG
            return h(a << b)
        if op in ('tslice', 'tindex'):
            text = unhex(t[1]).decode('ascii')
            bounds = [None if x == 'n' else int(x, 16) for x in t[2:]]
            r = text[slice(*bounds)] if op == 'tslice' else text[bounds[0]]
            return 'h' + r.encode('ascii').hex()
        if op == 'itext':
            return '%s %d %s' % (str(a), str(a) == '0', h(int(str(a))))
        if op == 'ints':
            values = ints[1:]
            alias = values
            return '%s %s %d' % (h(sum(alias)), h(values[a]), len(values))
    except Exception as e:  # noqa: BLE001 - every exception is part of the expected output
        return err(e)
    raise SystemExit('unknown command ' + op)


# ---- inputs ----------------------------------------------------------------------------------------------
def edge_ints():
    vals = {0, 1, -1, 2, -2, 3, 10, -10}
    for k in (29, 30, 31, 32, 53, 54, 59, 60, 61, 62, 63, 64, 65, 89, 90, 91, 120, 1023, 1024, 1025, 1074, 2100, 4200, 8400):
        for d in (-1, 0, 1):
            vals.add(2 ** k + d)
            vals.add(-(2 ** k) + d)
    vals.add(10 ** 18)
    vals.add(-(10 ** 30))
    return sorted(vals)


def rand_int(rng, maxbits):
    kind = rng.random()
    if kind < 0.25:
        bits = rng.randrange(0, 64)
    elif kind < 0.5:
        bits = rng.randrange(55, 130)
    else:
        bits = rng.randrange(0, maxbits)
    v = rng.getrandbits(bits) if bits else 0
    r = rng.random()
    if r < 0.1 and bits:      # runs of ones and zeros (carries, borrows)
        v = (1 << bits) - 1 - (rng.getrandbits(bits // 2 + 1) if rng.random() < 0.5 else 0)
    elif r < 0.15 and bits:
        v = 1 << (bits - 1)
    return -v if rng.random() < 0.5 else v


def rand_float(rng):
    r = rng.random()
    if r < 0.2:
        return rng.choice([0.0, -0.0, math.inf, -math.inf, math.nan, 0.5, -0.5, 1.5, 2.5, -2.5, 2.0 ** 62, -2.0 ** 62,
                           2.0 ** 63, 2.0 ** 64, 1e300, -1e300, 5e-324, 1.7976931348623157e308, 4611686018427387904.5])
    if r < 0.5:
        return struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0]
    if r < 0.8:
        return rng.uniform(-1, 1) * 2.0 ** rng.randrange(-10, 300)
    return float(rng.randrange(-2 ** 70, 2 ** 70)) + rng.choice([0.0, 0.5, 0.25])


def gen(seed, n):
    rng = random.Random(seed)
    out = []
    E = edge_ints()
    binops = ['add', 'sub', 'mul', 'floordiv', 'mod', 'divmod', 'truediv', 'and', 'or', 'xor', 'cmp']
    # every binary operation on every pair of edge values
    for op in binops:
        for a in E:
            for b in E[::3]:
                out.append('%s %s %s' % (op, h(a), h(b)))
    for a in E:
        for op in ('neg', 'abs', 'invert', 'hash', 'bitlen', 'tofloat', 'str', 'oct', 'bin', 'hex', 'i64'):
            out.append('%s %s' % (op, h(a)))
        for s in (0, 1, 29, 30, 31, 62, 63, 64, 100, 1000):
            out.append('lshift %s %s' % (h(a), h(s)))
            out.append('rshift %s %s' % (h(a), h(s)))
    for s in ('-0x1', '0x' + 'f' * 30, '-0x' + 'f' * 30):
        out.append('lshift 0x1 %s' % s if s.startswith('-') else 'rshift -0x5 %s' % s)
        out.append('rshift 0x5 %s' % s)
    out.append('lshift 0x0 0x' + 'f' * 30)
    # pow and pow with a modulus
    for a in (0, 1, -1, 2, -2, 3, 10, -7, 2 ** 62, 3 ** 50):
        for b in (0, 1, 2, 3, 5, 17, 64, 100, -1, -2, -3):
            out.append('pow %s %s' % (h(a), h(b)))
    out.append('pow %s -0x1' % h(10 ** 400))
    for m in (1, -1, 2, 7, -7, 2 ** 61 - 1, 10 ** 30 + 7, -(10 ** 30 + 7), 2 ** 127, 3 ** 100):
        for a in (0, 1, -3, 2, 6, 3 ** 40, -(5 ** 60)):
            for b in (0, 1, 5, -1, -5, 2 ** 64 + 1, -(2 ** 64 + 1)):
                out.append('powmod %s %s %s' % (h(a), h(b), h(m)))
    out.append('powmod 0x2 0x3 0x0')
    # floats
    for x in (0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -1.5, -2.5, 1e300, -1e300, 2.0 ** 62, -2.0 ** 62, 2.0 ** 63, 9007199254740993.0,
              math.inf, -math.inf, math.nan, 5e-324, 4611686018427387903.5, 1.7976931348623157e308):
        for op in ('fromfloat', 'floor', 'ceil', 'round'):
            out.append('%s %s' % (op, fbits(x)))
        for a in (0, 1, -1, 2 ** 62, -(2 ** 62), 2 ** 63, 2 ** 1023, 2 ** 1024, -(2 ** 1024), 2 ** 53 + 1):
            out.append('cmpf %s %s' % (h(a), fbits(x)))
    # text
    texts = ['0', '-0', '+1', ' 42 ', '\t-5\n', '1_000', '_1', '1_', '1__0', '0x_1f', '0X1F', '0b101', '0o17', '017', '00', '0_0',
             '0_7', '', ' ', '-', '+', '- 1', '1 1', 'abc', 'zz', 'Zz', '1e5', '12.5', '\x00', '1\x00', '\x1c7\x1f', '\x0b7\x0c\r', "it's",
             '"q"', '\u00e9', '9' * 4300, '9' * 4301, '0' * 4301, '1' * 4301 + '_', '1' * 5000 + 'x', 'a' * 250, 'f' * 5000,
             '1' * 300, ' ' + '1' * 4301 + ' ']
    for t in texts:
        for base in (0, 10, 16, 2, 8, 36, 7, 1, 37):
            out.append('parse %d h%s' % (base, t.encode('utf-8').hex()))
    out.append('str %s' % h(10 ** 4300 - 1))
    out.append('str %s' % h(10 ** 4300))
    out.append('str %s' % h(-(10 ** 4300) + 1))
    out.append('str %s' % h(2 ** 14285))
    out.append('str %s' % h(2 ** 14286))
    # bytes
    for a in (0, 1, -1, 127, 128, -128, -129, 255, 256, 2 ** 63, -(2 ** 63), 2 ** 64 - 1, 2 ** 100, -(2 ** 100), -(2 ** 99)):
        for length in (0, 1, 2, 8, 9, 13, 14):
            for little in (0, 1):
                for signed in (0, 1):
                    out.append('tobytes %s %d %d %d' % (h(a), length, little, signed))
    for bs in (b'', b'\x00', b'\x80', b'\xff', b'\xff' * 20, b'\x00\x80', b'\x80' + b'\x00' * 15, bytes(range(40))):
        for little in (0, 1):
            for signed in (0, 1):
                out.append('frombytes h%s %d %d' % (bs.hex(), little, signed))
    # the big-int twins' operations: ** and << at Kiln's bound, slices and indexing of digit text, lists of ints
    # (results near the bound are megabytes of hex: only errors there, and results up to 2**16 bits)
    for a in (0, 1, -1, 2, -2, 3, 2 ** 62, -(2 ** 100), 7 ** 30):
        for e in (0, 1, 2, 3, 63, 1000, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, 2 ** 62, 2 ** 64, 2 ** 200):
            if abs(a) < 2 or a.bit_length() * e < 2 ** 16 or (a.bit_length() - 1) * e >= 2 ** 24:
                out.append('powb %s %s' % (h(a), h(e)))
            if a == 0 or a.bit_length() + e < 2 ** 16 or a.bit_length() + e >= 2 ** 24:
                out.append('lshb %s %s' % (h(a), h(e)))
        if a:
            out.append('lshb %s %s' % (h(a), h(2 ** 24 - a.bit_length())))   # exactly 2**24 bits: the bound
    out.append('lshb 0x5 -0x1')
    out.append('lshb 0x0 -0x1')
    for text in ('', '7', '-12', '1234567890', str(3 ** 200), '-' + str(2 ** 127)):
        th = text.encode('ascii').hex()
        for bnd in ('n', '0x0', '0x1', '-0x1', '0x3', '-0x3', '0x64', '-0x64', '0x' + 'f' * 20, '-0x' + 'f' * 20):
            out.append('tindex h%s %s' % (th, bnd if bnd != 'n' else '0x0'))
            for stop in ('n', '0x2', '-0x2', '0x' + 'f' * 20):
                for step in ('n', '0x1', '-0x1', '0x2', '-0x3', '0x0', '-0x' + 'f' * 20):
                    out.append('tslice h%s %s %s %s' % (th, bnd, stop, step))
    for a in (0, 1, -1, 10 ** 30, -(10 ** 30), 2 ** 62, 2 ** 62 - 1, -(2 ** 62)):
        out.append('itext %s' % h(a))
    out.append('itext %s' % h(10 ** 4300))
    for idx in (0, 1, -1, 2, -3, 3, -4, 2 ** 70):
        out.append('ints %s %s %s %s' % (h(idx), h(2 ** 62 - 1), h(2 ** 62), h(-(3 ** 90))))
    out.append('ints 0x0')
    # n seeded random operations, operands of every size up to Karatsuba's range
    target = len(out) + n
    while len(out) < target:
        r = rng.random()
        maxbits = 12000 if r < 0.1 else 2400 if r < 0.4 else 300
        a, b = rand_int(rng, maxbits), rand_int(rng, maxbits)
        op = rng.choice(binops + ['pow', 'powmod', 'neg', 'invert', 'hash', 'bitlen', 'tofloat', 'str', 'hex', 'oct', 'bin',
                                  'lshift', 'rshift', 'cmpf', 'fromfloat', 'parse', 'tobytes', 'frombytes', 'mulsq'])
        if op == 'pow':
            out.append('pow %s %s' % (h(rand_int(rng, 200)), h(rng.randrange(-3, 40))))
        elif op == 'mulsq':
            out.append('mul %s %s' % (h(a), h(a)))
        elif op == 'powmod':
            m = rand_int(rng, 400) or 1
            out.append('powmod %s %s %s' % (h(rand_int(rng, 400)), h(rand_int(rng, 200)), h(m)))
        elif op in ('lshift', 'rshift'):
            out.append('%s %s %s' % (op, h(a), h(rng.randrange(0, 400))))
        elif op == 'cmpf':
            f = float(a) if rng.random() < 0.3 and abs(a) < 2 ** 1000 else rand_float(rng)
            out.append('cmpf %s %s' % (h(a), fbits(f)))
        elif op == 'fromfloat':
            out.append('%s %s' % (rng.choice(['fromfloat', 'floor', 'ceil', 'round']), fbits(rand_float(rng))))
        elif op == 'parse':
            base = rng.choice([0, 10, 10, 16, 2, 8, 36, 3, 7, 12])
            v = rand_int(rng, 3000)
            if base in (0, 10):
                s = str(v) if abs(v) < 10 ** 4300 else '1'
            else:
                digs = '0123456789abcdefghijklmnopqrstuvwxyz'[:base]
                s = ''.join(rng.choice(digs) for _ in range(rng.randrange(1, 400)))
            if rng.random() < 0.2:   # underscores, spaces, junk
                i = rng.randrange(len(s) + 1)
                s = s[:i] + rng.choice(['_', ' ', 'x', '__', '-', '0x']) + s[i:]
            out.append('parse %d h%s' % (base, s.encode().hex()))
        elif op == 'tobytes':
            out.append('tobytes %s %d %d %d' % (h(rand_int(rng, 300)), rng.randrange(0, 45), rng.randrange(2), rng.randrange(2)))
        elif op == 'frombytes':
            bs = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 60)))
            out.append('frombytes h%s %d %d' % (bs.hex(), rng.randrange(2), rng.randrange(2)))
        elif op in binops:
            if op in ('floordiv', 'mod', 'divmod', 'truediv') and rng.random() < 0.5:
                b = rand_int(rng, 200)   # small divisors: the single-digit path and short quotients
            out.append('%s %s %s' % (op, h(a), h(b)))
        else:
            out.append('%s %s' % (op, h(a)))
    return out


if __name__ == '__main__':
    sys.set_int_max_str_digits(4300)
    if sys.argv[1] == 'gen':
        for line in gen(int(sys.argv[2]), int(sys.argv[3])):
            print(line)
    else:
        for line in sys.stdin:
            print(run(line.rstrip('\n')))
