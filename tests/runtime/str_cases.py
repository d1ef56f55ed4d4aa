#!/usr/bin/env python3
"""
Differential tests of Kiln's str runtime (resources/c/kiln_str.h) against CPython: one operation per line.

  python3 str_cases.py gen SEED SCALE [--floats N] [--only GROUP,...]   prints test lines (edge cases + seeded random)
  python3 str_cases.py ref < lines                                        prints CPython's answer to each line

tests/runtime/str_driver.c answers the same lines with the C runtime; str.test.ts and scripts/str-fuzz.mjs compare
the two outputs line by line. The line protocol is described at the top of str_driver.c.
"""
import math
import random
import struct
import sys

# ---------------------------------------------------------------- protocol

def enc_str(s):
    out = ["'"]
    for ch in s:
        c = ord(ch)
        if 0x21 <= c <= 0x7E and ch not in "\\',":
            out.append(ch)
        else:
            out.append('\\%x;' % c)
    return ''.join(out)


def enc_float(x):
    return 'd%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]


def enc(v):
    if v is None:
        return '~'
    if v is True:
        return 'T'
    if v is False:
        return 'F'
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return enc_float(v)
    if isinstance(v, str):
        return enc_str(v)
    if isinstance(v, bytes):
        return 'b' + v.hex()
    if isinstance(v, (list, tuple)):
        return 'L' + ''.join(enc_str(x) for x in v)
    raise TypeError(repr(v))


class Ints(list):
    """A result that is a list of ints (bytes iteration)."""


def enc_result(v):
    if isinstance(v, Ints):
        return 'I' + ','.join(str(x) for x in v)
    return enc(v)


def dec_str(t):
    out = []
    i = 0
    while i < len(t):
        if t[i] == '\\':
            j = t.index(';', i)
            out.append(chr(int(t[i + 1:j], 16)))
            i = j + 1
        else:
            out.append(t[i])
            i += 1
    return ''.join(out)


class Kw:
    def __init__(self, name):
        self.name = name


def dec(t):
    c = t[0]
    if c == "'":
        return dec_str(t[1:])
    if c == 'L':
        return [dec_str(x) for x in t[2:].split("'")] if len(t) > 1 else []
    if c == 'K':
        return Kw(dec_str(t[2:]))
    if c == '~':
        return None
    if c == 'T':
        return True
    if c == 'F':
        return False
    if c == 'd':
        return struct.unpack('<d', struct.pack('<Q', int(t[1:], 16)))[0]
    if c == 'b':
        return bytes.fromhex(t[1:])
    return int(t)


def sl(a, b, c):
    return slice(a, b, c)


# ---------------------------------------------------------------- the operations, as Python does them

def _iadd(a, b, n):
    v = a
    for _ in range(n):
        v += b
    return v


def _pad(name):
    def f(s, w, fill=None):
        return getattr(s, name)(w) if fill is None else getattr(s, name)(w, fill)
    return f


def _split(name):
    def f(s, sep, maxsplit):
        return getattr(s, name)(sep, maxsplit)
    return f


def _find(name):
    def f(s, sub, start, end):
        return getattr(s, name)(sub, start, end)
    return f


def _tail(name):
    def f(s, sub, start, end):
        return getattr(s, name)(tuple(sub) if isinstance(sub, list) else sub, start, end)
    return f


OPS = {
    'len': len,
    'getitem': lambda s, i: s[i],
    'slice': lambda s, a, b, c: s[a:b:c],
    'iter': lambda s: list(s),
    'concat': lambda a, b: a + b,
    'iadd': _iadd,
    'repeat': lambda s, n: s * n,
    'eq': lambda a, b: a == b,
    'cmp': lambda a, b: (a > b) - (a < b),
    'contains': lambda a, b: b in a,
    'hashcheck': lambda s: True,
    'ord': ord,
    'chr': chr,
    'find': _find('find'), 'rfind': _find('rfind'), 'index': _find('index'), 'rindex': _find('rindex'),
    'count': _find('count'),
    'startswith': _tail('startswith'), 'endswith': _tail('endswith'),
    'split': _split('split'), 'rsplit': _split('rsplit'),
    'splitlines': lambda s, keep: s.splitlines(keep),
    'join': lambda sep, items: sep.join(items),
    'strip': lambda s, c: s.strip(c), 'lstrip': lambda s, c: s.lstrip(c), 'rstrip': lambda s, c: s.rstrip(c),
    'replace': lambda s, a, b, n: s.replace(a, b, n),
    'partition': lambda s, sep: list(s.partition(sep)), 'rpartition': lambda s, sep: list(s.rpartition(sep)),
    'center': _pad('center'), 'ljust': _pad('ljust'), 'rjust': _pad('rjust'),
    'zfill': lambda s, w: s.zfill(w),
    'expandtabs': lambda s, n=8: s.expandtabs(n),
    'removeprefix': lambda s, p: s.removeprefix(p), 'removesuffix': lambda s, p: s.removesuffix(p),
    'encode': lambda s: s.encode('utf-8'),
    'decode': lambda b: b.decode('utf-8'),
    'cabi': lambda b: b.decode('utf-8').encode('utf-8'),
    'blen': len,
    'bgetitem': lambda b, i: b[i],
    'bslice': lambda b, a, c, d: b[a:c:d],
    'biter': lambda b: Ints(b),
    'bconcat': lambda a, b: a + b,
    'bcmp': lambda a, b: (a > b) - (a < b),
}
for _m in ['lower', 'upper', 'casefold', 'swapcase', 'capitalize', 'title', 'isalpha', 'isdigit', 'isdecimal',
           'isnumeric', 'isalnum', 'isspace', 'isupper', 'islower', 'istitle', 'isidentifier', 'isprintable',
           'isascii']:
    OPS[_m] = (lambda m: lambda s: getattr(s, m)())(_m)


def answer(line):
    op, *toks = line.split(' ')
    args = [dec(t) for t in toks] if toks and toks != [''] else []
    try:
        r = OPS[op](*args)
    except Exception as e:  # noqa: BLE001 -- every exception is an answer
        return '!%s %s' % (type(e).__name__, enc_str(str(e)))
    return enc_result(r)


def ref():
    out = sys.stdout
    for line in sys.stdin:
        out.write(answer(line.rstrip('\n')) + '\n')


# ---------------------------------------------------------------- the cases

WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]
LINEBREAKS = ['\n', '\r', '\r\n', '\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029']
SPECIAL = [
    'a', 'Z', '0', '9', '_', ' ', '-', '+', '.', ',', "'", '"', '\\', '\t', '\x00', '\x7f', '\x80', '\x85', '\xa0',
    '\xb5', '\xba', '\xdf', '\xe9', '\xff', '\u0130', '\u0131', '\u0149', '\u01c4', '\u01c5', '\u01c6', '\u01f0',
    '\u0345', '\u0390', '\u03a3', '\u03c3', '\u03c2', '\u03b0', '\u0301', '\u0308', '\u0587', '\u1e9e', '\u1f80',
    '\u1fb3', '\u2126', '\u212a', '\u2160', '\u216b', '\u2460', '\u00bd', '\u0663', '\u0e53', '\uff11', '\ufb01',
    '\ufb03', '\ufb13', '\u4e2d', '\u6587', '\uac00', '\u200b', '\u200d', '\ufeff', '\ud800', '\udbff', '\udc00',
    '\udfff', '\ue000', '\uffff', '\U0001f600', '\U0001f44d', '\U0001d518', '\U00010400', '\U00010428', '\U0001e900',
    '\U000e0041', '\U0010ffff', '\U00020000', '\u00aa', '\u02b0', '\u1d2c', '\u24b6', '\u24d0', '\u2c00', '\ua7ae',
    '\u13a0', '\uab70', '\u1c90', '\u10d0',
]
POOLS = {
    'ascii': [chr(c) for c in range(32, 127)],
    'lower': list('abcdefghijklmnopqrstuvwxyz'),
    'words': list('abc xyz ABC'),
    'latin1': [chr(c) for c in range(0xa0, 0x100)],
    'space': WHITESPACE,
    'special': SPECIAL,
    'bmp': None,
    'astral': None,
}


def rand_char(rng, pool):
    if pool == 'bmp':
        return chr(rng.randrange(0x100, 0x10000))
    if pool == 'astral':
        return chr(rng.randrange(0x10000, 0x110000))
    return rng.choice(POOLS[pool])


def rand_str(rng, maxlen=12, pools=None):
    pools = pools or list(POOLS)
    n = rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 8, 12, maxlen])
    weights = [rng.random() for _ in pools]
    out = []
    for _ in range(n):
        pool = rng.choices(pools, weights)[0]
        out.append(rand_char(rng, pool))
    return ''.join(out)


EDGE_STRS = [
    '', 'a', 'abc', 'Hello, World!', '  spaced  out  ', '\t\n x \r\n', 'a,b,,c,', 'ABC def GhI', 'ß', 'straße',
    'İstanbul', 'ΣΑΣ', 'ὈΔΥΣΣΕΎΣ', 'όσος Σ', 'aΣ b', 'ﬁ ﬀ ﬃ', 'ǅungla', 'ǆ', 'ŉ', 'ΐ', '\u0345', 'é', 'e\u0301',
    '中文字符', '한국어', '😀👍🏽', 'a😀b', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '𐐀𐐨', '\ud800', 'a\udfffb', '\ud83d\ude00', '\x00\x01\x7f',
    '0x1F', '-42', '+7', '١٢٣', '①②', '½', 'Ⅻ', 'x' * 40, 'ab' * 30, ''.join(WHITESPACE), ''.join(LINEBREAKS),
    'line1\nline2\r\nline3\rline4\x0bline5\x0cline6\x1cline7\x85line8\u2028line9\u2029', 'tab\tbed\t\tx\n\ty',
    "it's", 'say "hi"', 'both \' and "', 'back\\slash', 'a\u200bb', '\ufeffbom', 'ÿ\u0100', '\u00ff' * 3,
]


def ri(rng, n):
    """A random index-like argument for a sequence of length n (None sometimes, extremes sometimes)."""
    r = rng.random()
    if r < 0.15:
        return None
    if r < 0.2:
        return rng.choice([2 ** 63 - 1, -2 ** 63, 2 ** 62, -2 ** 62])
    return rng.randint(-n - 3, n + 3)


def gen_core(rng, emit, scale):
    for s in EDGE_STRS:
        emit('len', s)
        emit('iter', s)
        emit('hashcheck', s)
        for i in [-len(s) - 1, -1, 0, 1, len(s)]:
            emit('getitem', s, i)
        emit('ord', s)
        for step in [None, 1, 2, -1, -2, 3, 0]:
            emit('slice', s, None, None, step)
        for t in ['', 'a', 'ß', 'Σ', '😀', s]:
            emit('concat', s, t)
            emit('eq', s, t)
            emit('cmp', s, t)
            emit('contains', s, t)
            emit('iadd', s, t, 3)
        for n in [-1, 0, 1, 3]:
            emit('repeat', s, n)
    for c in [-1, 0, 65, 127, 128, 255, 256, 0xd800, 0xffff, 0x10000, 0x10ffff, 0x110000, 2 ** 63 - 1, -2 ** 63]:
        emit('chr', c)
    emit('repeat', 'ab', 2 ** 62)
    emit('repeat', '', 2 ** 62)
    for _ in range(scale * 40):
        s, t = rand_str(rng), rand_str(rng)
        n = len(s)
        emit('getitem', s, rng.randint(-n - 2, n + 2))
        emit('slice', s, ri(rng, n), ri(rng, n), rng.choice([None, None, 1, -1, 2, -2, 3, -3, 5, 2 ** 62, -2 ** 63, 0]))
        emit('concat', s, t)
        emit('iadd', s, t, rng.randint(0, 20))
        emit('repeat', s, rng.randint(-2, 5))
        emit('eq', s, t)
        emit('eq', s, s[:])
        emit('cmp', s, t)
        emit('cmp', s, s + t)
        emit('contains', s, t)
        emit('contains', s, s[rng.randint(0, n):rng.randint(0, n)])
        emit('hashcheck', s)
        emit('ord', rand_str(rng, 2))
        emit('chr', rng.choice([rng.randrange(0x110000), rng.randrange(256), rng.randrange(-5, 0x110005)]))


def gen_search(rng, emit, scale):
    for s in EDGE_STRS[:30]:
        for sub in ['', 'a', 'ab', 's', 'Σ', 'ß', ' ', s[1:3], s]:
            for op in ['find', 'rfind', 'index', 'rindex', 'count']:
                emit(op, s, sub, None, None)
            emit('startswith', s, sub, None, None)
            emit('endswith', s, sub, None, None)
    emit('find', 'abc', '', 3, None)
    emit('find', 'abc', '', 4, None)
    emit('rfind', 'abc', '', 4, None)
    emit('count', 'abc', '', 1, None)
    emit('count', 'abc', '', 5, None)
    emit('startswith', 'abc', '', 5, None)
    emit('startswith', 'abc', '', 3, None)
    for _ in range(scale * 40):
        s = rand_str(rng, 20, ['lower', 'words', 'special', 'latin1', 'astral']) * rng.choice([1, 1, 2, 3])
        n = len(s)
        k = rng.randint(0, n)
        sub = rng.choice([s[k:k + rng.randint(0, 4)], rand_str(rng, 3, ['lower', 'words', 'special']), '', s[k:k + 1]])
        a, b = ri(rng, n), ri(rng, n)
        for op in ['find', 'rfind', 'index', 'rindex', 'count']:
            emit(op, s, sub, a, b)
        subs = [rand_str(rng, 3, ['lower', 'special']) for _ in range(rng.randint(0, 3))] + [sub]
        rng.shuffle(subs)
        emit('startswith', s, sub, a, b)
        emit('endswith', s, sub, a, b)
        emit('startswith', s, subs, a, b)
        emit('endswith', s, subs, a, b)
        emit('startswith', s, s[:rng.randint(0, n)], None, None)
        emit('endswith', s, s[rng.randint(0, n):], None, None)


def gen_split(rng, emit, scale):
    for s in EDGE_STRS:
        for sep in [None, ' ', ',', 'a', 'ab', '', '\n', 'Σ']:
            for m in [-1, 0, 1, 2]:
                emit('split', s, sep, m)
                emit('rsplit', s, sep, m)
        emit('splitlines', s, False)
        emit('splitlines', s, True)
        for chars in [None, '', ' ', 'a', 'ab', 'xΣ', 'ß\u0345']:
            emit('strip', s, chars)
            emit('lstrip', s, chars)
            emit('rstrip', s, chars)
        for sep in ['', 'a', ',', 'ß', 'Σ', '😀', ' ']:
            emit('partition', s, sep)
            emit('rpartition', s, sep)
        for old, new in [('', '-'), ('a', ''), ('a', 'bb'), ('s', 'ß'), ('Σ', 'x'), ('😀', 'y'), (s, ''), ('', '')]:
            for cnt in [-1, 0, 1, 2]:
                emit('replace', s, old, new, cnt)
        emit('removeprefix', s, s[:2])
        emit('removesuffix', s, s[-2:])
        emit('removeprefix', s, '')
    for items in [[], [''], ['a'], ['a', 'b'], ['', ''], ['ß', '😀', 'x'], ['\ud800', 'ab'], ['Σ'] * 5]:
        for sep in ['', ',', ', ', 'Σ', '😀']:
            emit('join', sep, items)
    for _ in range(scale * 30):
        s = rand_str(rng, 24, ['words', 'space', 'special', 'lower', 'latin1'])
        n = len(s)
        k = rng.randint(0, n)
        sep = rng.choice([None, None, s[k:k + rng.randint(1, 3)] or ' ', rand_str(rng, 2, ['words', 'space']) or ',', ''])
        m = rng.choice([-1, -1, 0, 1, 2, 3, 2 ** 62])
        emit('split', s, sep, m)
        emit('rsplit', s, sep, m)
        emit('splitlines', s + rng.choice(LINEBREAKS) + rand_str(rng, 5), rng.random() < 0.5)
        chars = rng.choice([None, rand_str(rng, 3, ['words', 'space', 'special']), s[:2]])
        emit('strip', s, chars)
        emit('lstrip', s, chars)
        emit('rstrip', s, chars)
        emit('partition', s, sep or 'a')
        emit('rpartition', s, sep or 'a')
        emit('replace', s, rng.choice([s[k:k + 2], '', ' ', rand_str(rng, 2)]), rand_str(rng, 3), rng.choice([-1, 0, 1, 2, 5]))
        emit('join', rand_str(rng, 2), [rand_str(rng, 5) for _ in range(rng.randint(0, 5))])
        emit('removeprefix', s, s[:rng.randint(0, n)] + rng.choice(['', 'x']))
        emit('removesuffix', s, rng.choice(['', 'x']) + s[rng.randint(0, n):])


def gen_case(rng, emit, scale):
    preds = ['isalpha', 'isdigit', 'isdecimal', 'isnumeric', 'isalnum', 'isspace', 'isupper', 'islower', 'istitle',
             'isidentifier', 'isprintable', 'isascii']
    cases = ['lower', 'upper', 'casefold', 'swapcase', 'capitalize', 'title']
    for s in EDGE_STRS + SPECIAL + WHITESPACE:
        for op in cases + preds:
            emit(op, s)
    # every code point once, in chunks, for the case mappings and predicates
    step = 0x110000 // (64 * scale)
    for start in range(0, 0x110000, step):
        chunk = ''.join(chr(c) for c in range(start, min(start + step, 0x110000)) if rng.random() < 64 / step + 0.02)
        for op in cases:
            emit(op, chunk)
        for op in preds:
            emit(op, chunk[:1])
    for _ in range(scale * 30):
        s = rand_str(rng, 16)
        for op in cases + preds:
            emit(op, s)
        t = rand_str(rng, 8, ['lower', 'special'])
        emit('title', t + ' ' + t.upper())
        emit('lower', 'A' + rand_str(rng, 3, ['special']) + 'Σ' + rand_str(rng, 3, ['special', 'lower']))


def gen_pad(rng, emit, scale):
    for s in EDGE_STRS[:40]:
        for w in [-1, 0, len(s), len(s) + 1, len(s) + 4]:
            emit('center', s, w)
            emit('ljust', s, w, '*')
            emit('rjust', s, w, 'ß')
            emit('center', s, w, '😀')
            emit('zfill', s, w)
        emit('center', s, 5, 'ab')
        emit('center', s, 5, '')
        for t in [-1, 0, 1, 4, 8]:
            emit('expandtabs', s, t)
    for s in ['-', '+', '-12', '+3.5', 'ab-', '--1', '']:
        for w in [0, 1, 3, 6]:
            emit('zfill', s, w)
    for _ in range(scale * 20):
        s = rand_str(rng, 10)
        w = rng.randint(-2, 20)
        f = rng.choice([' ', '*', 'ß', '中', '😀', '0'])
        emit('center', s, w, f)
        emit('ljust', s, w, f)
        emit('rjust', s, w, f)
        emit('zfill', rng.choice(['', '-', '+']) + s, w)
        emit('expandtabs', rand_str(rng, 12, ['words', 'space', 'special']) + '\t' + s, rng.randint(-1, 10))


def rand_utf8(rng):
    """Bytes that are often valid UTF-8, often one mistake away from it."""
    parts = []
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.5:
            parts.append(rand_str(rng, 4, ['ascii', 'latin1', 'bmp', 'astral', 'special']).encode('utf-8', 'surrogatepass'))
        elif r < 0.7:
            parts.append(bytes([rng.randrange(256)]))
        elif r < 0.85:
            enc_ = chr(rng.choice([rng.randrange(0x80, 0x800), rng.randrange(0x800, 0x10000), rng.randrange(0x10000, 0x110000)])).encode('utf-8', 'surrogatepass')
            parts.append(enc_[:rng.randint(1, len(enc_))])
        else:
            parts.append(rng.choice(BAD_UTF8))
    return b''.join(parts)


BAD_UTF8 = [
    b'\xff', b'\xfe', b'\x80', b'\xbf', b'\xc0\x80', b'\xc1\xbf', b'\xc2', b'\xc2\x41', b'\xe0\x80\x80', b'\xe0\x9f\xbf',
    b'\xe0\xa0', b'\xe0\xa0\x41', b'\xed\xa0\x80', b'\xed\xbf\xbf', b'\xed\xa0', b'\xed\x9f\xbf', b'\xef\xbf\xbf',
    b'\xf0\x80\x80\x80', b'\xf0\x8f\xbf\xbf', b'\xf0\x90\x80\x80', b'\xf0\x90', b'\xf0\x90\x80', b'\xf0\x90\x41',
    b'\xf0\x90\x80\x41', b'\xf4\x8f\xbf\xbf', b'\xf4\x90\x80\x80', b'\xf5\x80\x80\x80', b'\xf8\x88\x80\x80\x80',
    b'\xe1\x80', b'\xe1\x41', b'\xc3\xa9\xff', b'a\xe2\x82', b'\xc3',
]


def gen_codec(rng, emit, scale):
    for b in BAD_UTF8 + [b'', b'abc', 'héllo 😀 中文'.encode()]:
        emit('decode', b)
        emit('decode', b'ok ' + b + b' tail')
        emit('cabi', b)
    for s in EDGE_STRS + SPECIAL:
        emit('encode', s)
    for s in ['\ud800', 'a\ud800\udc00b', '\udfff\ud800x\ud801', 'ok\U0001f600\udc80']:
        emit('encode', s)
    for _ in range(scale * 60):
        b = rand_utf8(rng)
        emit('decode', b)
        emit('cabi', b)
        emit('encode', rand_str(rng, 8))
    for _ in range(scale * 10):
        b = bytes(rng.randrange(256) for _ in range(rng.randint(0, 8)))
        n = len(b)
        emit('blen', b)
        emit('biter', b)
        emit('bgetitem', b, rng.randint(-n - 2, n + 2))
        emit('bslice', b, ri(rng, n), ri(rng, n), rng.choice([None, 1, -1, 2, -3, 0]))
        emit('bconcat', b, b[:2])
        emit('bcmp', b, bytes(rng.randrange(256) for _ in range(rng.randint(0, 3))))


GROUPS = {
    'core': gen_core, 'search': gen_search, 'split': gen_split, 'case': gen_case, 'pad': gen_pad, 'codec': gen_codec,
}


def gen(seed, scale, only=None):
    rng = random.Random(seed)
    out = sys.stdout

    def emit(op, *args):
        out.write(' '.join([op] + [enc(a) for a in args]) + '\n')

    for name, fn in GROUPS.items():
        if only and name not in only:
            continue
        fn(random.Random(f'{seed}-{name}'), emit, scale)


def main():
    if sys.argv[1] == 'ref':
        ref()
    elif sys.argv[1] == 'gen':
        only = None
        if '--only' in sys.argv:
            only = sys.argv[sys.argv.index('--only') + 1].split(',')
        gen(int(sys.argv[2]), int(sys.argv[3]), only)
    else:
        sys.exit('usage: str_cases.py gen SEED SCALE [--only GROUPS] | ref')


if __name__ == '__main__':
    main()
