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
    if isinstance(v, Kw):
        return 'K' + enc_str(v.name)
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
    if c == 'M':
        return None
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


def _iadd_self(v, n):
    for _ in range(n):
        v += v
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


# the literals str_driver.c defines with KR_STR_LITERAL
LITERALS = ['hello', 'caf\u00e9', '\u4e2d\u6587', 'a\U0001f600b', '\ud800a', '', '\x00\xff\n']

OPS = {
    'lit': lambda k: LITERALS[k],
    'litutf8': lambda k: LITERALS[k].encode('utf-8'),
    'litconcat': lambda k, s: LITERALS[k] + s,
    'liteq': lambda k, s: LITERALS[k] == s,
    'len': len,
    'getitem': lambda s, i: s[i],
    'slice': lambda s, a, b, c: s[a:b:c],
    'iter': lambda s: list(s),
    'concat': lambda a, b: a + b,
    'iadd': _iadd,
    'iaddself': _iadd_self,
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
    'splititer': lambda s, sep: s.split(sep),
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
    'utf8': lambda s: s.encode('utf-8'),
    'decode': lambda b: b.decode('utf-8'),
    'cabi': lambda b: b.decode('utf-8').encode('utf-8'),
    'blen': len,
    'bgetitem': lambda b, i: b[i],
    'bslice': lambda b, a, c, d: b[a:c:d],
    'biter': lambda b: Ints(b),
    'bconcat': lambda a, b: a + b,
    'bcmp': lambda a, b: (a > b) - (a < b),
    'brepr': repr,
}
for _m in ['lower', 'upper', 'casefold', 'swapcase', 'capitalize', 'title', 'isalpha', 'isdigit', 'isdecimal',
           'isnumeric', 'isalnum', 'isspace', 'isupper', 'islower', 'istitle', 'isidentifier', 'isprintable',
           'isascii']:
    OPS[_m] = (lambda m: lambda s: getattr(s, m)())(_m)


def int64(v):
    """Kiln's ints are int64 for now: a bigger result raises OverflowError (Python would give a bigger int)."""
    if not -2 ** 63 <= v < 2 ** 63:
        raise OverflowError('integer result does not fit in 64 bits (Python would give a bigger int)')
    return v


def _percent(fmt, mode, *args):
    if mode is True:
        return fmt % tuple(args)
    if mode is False:
        return fmt % args[0]
    return fmt % {args[i].name: args[i + 1] for i in range(0, len(args), 2)}


def _sformat(fmt, *args):
    pos = [a for i, a in enumerate(args) if not isinstance(a, Kw) and not (i > 0 and isinstance(args[i - 1], Kw))]
    kw = {args[i].name: args[i + 1] for i in range(len(args) - 1) if isinstance(args[i], Kw)}
    return fmt.format(*pos, **kw)


OPS.update({
    'str_int': str, 'repr_float': repr, 'str_bool': str,
    'int': lambda s, base: int64(int(s) if base is None else int(s, base)),
    'float': float,
    'repr': repr, 'ascii': ascii,
    'format': format,
    'conv': lambda v, how: [str, repr, ascii][how](v),
    'percent': _percent,
    'sformat': _sformat,
})


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
    for k, lit in enumerate(LITERALS):
        emit('lit', k)
        emit('litutf8', k)
        for t in ['', 'x', lit, 'ß', '😀']:
            emit('litconcat', k, t)
            emit('liteq', k, lit + t)
        emit('liteq', k, lit)
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
        emit('iaddself', s, 3)
    for c in [-1, 0, 65, 127, 128, 255, 256, 0xd800, 0xffff, 0x10000, 0x10ffff, 0x110000, 2 ** 63 - 1, -2 ** 63]:
        emit('chr', c)
    emit('repeat', 'ab', 2 ** 62)
    emit('repeat', 'a', 2 ** 62)  # MemoryError, as CPython
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
    # periodic needles in periodic text: the fast search gives up and the linear-time one finishes
    for unit, mid in [('a', 'b'), ('ab', 'c'), ('\u4e2d', '\u6587'), ('\U0001f600', 'x')]:
        half = unit * 150
        needle = half + mid + half
        for text in [unit * 20000, unit * 20000 + needle + unit * 10, unit * 7 + needle + unit * 20000,
                     unit * 10000 + needle + unit * 10000 + needle]:
            for op in ['find', 'rfind', 'count']:
                emit(op, text, needle, None, None)
            emit('contains', text, needle)
            emit('replace', text[:3000] + needle, needle, 'X', -1)
            emit('split', text[-2000:] + needle + 'tail', needle, -1)
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
        for sep in [None, ' ', ',', 'ab', '', 'Σ']:
            emit('splititer', s, sep)
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
        emit('splititer', s, sep)
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
    for b in [b"it's", b'say "hi"', b'both \' and "', b'\\\t\n\r\x00\x7f\x80\xff']:
        emit('brepr', b)
    for b in BAD_UTF8 + [b'', b'abc', 'héllo 😀 中文'.encode()]:
        emit('brepr', b)
        emit('decode', b)
        emit('decode', b'ok ' + b + b' tail')
        emit('cabi', b)
    for s in EDGE_STRS + SPECIAL:
        emit('encode', s)
        emit('utf8', s)
    for s in ['\ud800', 'a\ud800\udc00b', '\udfff\ud800x\ud801', 'ok\U0001f600\udc80']:
        emit('encode', s)
    for _ in range(scale * 60):
        b = rand_utf8(rng)
        emit('decode', b)
        emit('cabi', b)
        emit('encode', rand_str(rng, 8))
        emit('utf8', rand_str(rng, 8))
    for _ in range(scale * 10):
        b = bytes(rng.randrange(256) for _ in range(rng.randint(0, 8)))
        n = len(b)
        emit('blen', b)
        emit('biter', b)
        emit('bgetitem', b, rng.randint(-n - 2, n + 2))
        emit('bslice', b, ri(rng, n), ri(rng, n), rng.choice([None, 1, -1, 2, -3, 0]))
        emit('bconcat', b, b[:2])
        emit('brepr', b)
        emit('bcmp', b, bytes(rng.randrange(256) for _ in range(rng.randint(0, 3))))


def nextup(x):
    return math.nextafter(x, math.inf)


def bits_to_float(b):
    return struct.unpack('<d', struct.pack('<Q', b))[0]


def hard_floats():
    """Doubles whose shortest repr is known to be hard: boundaries, powers, long digit strings."""
    out = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e16, 1e-5, 1e-4, 0.0001, 123456789012345678.0, 1e22,
           1e23, 9007199254740993.0, 2.0 ** 53, 2.0 ** 53 + 2, 2.0 ** 63, 5e-324, 1e-323, 2.2250738585072014e-308,
           2.225073858507201e-308, 1.7976931348623157e308, math.inf, -math.inf, math.nan, -math.nan, 4.35, 0.3 + 0.6,
           9.5, 2 ** -1074 * 3, 5.684341886080802e-14, 2.98023223876953125e-8, 1.0e15, 9.999999999999999e22,
           1.2345678901234567e-300, 4.940656458412465e-324, 8.41e21, 5.2e-199, 1.1805916207174113e21]
    for e in range(-1074, 1024):
        out.append(2.0 ** e)
    for e in range(-323, 309):
        x = float('1e%d' % e)
        out += [x, nextup(x), math.nextafter(x, 0), nextup(nextup(x))]
    for m in [1, 2, 3, 5, 7, 9, 11, 123, 999999]:
        for e in range(-20, 25, 3):
            out.append(float('%de%d' % (m, e)))
    return out


def rand_double(rng):
    r = rng.random()
    if r < 0.5:
        return bits_to_float(rng.getrandbits(64))
    if r < 0.7:
        return rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30)
    if r < 0.8:
        return float(rng.randint(-2 ** 60, 2 ** 60))
    if r < 0.9:
        return float('%.*g' % (rng.randint(1, 17), rng.uniform(0, 1) * 10 ** rng.randint(-320, 308)))
    return bits_to_float(rng.getrandbits(12) << 52 | rng.choice([0, 1, 2, (1 << 52) - 1, (1 << 52) - 2, rng.getrandbits(8)]))


def gen_float_repr(rng, emit, count):
    for x in hard_floats():
        emit('repr_float', x)
    for _ in range(count):
        emit('repr_float', rand_double(rng))


INT_EDGE = ['0', '-0', '+5', ' 12 ', '\t\n 12\x0b\x0c', '1_000', '1__0', '_1', '1_', '0x1f', '0X1F', '0o17', '0b101',
            '0b', '0x', '0x_1', '0x__1', '0_0', '00', '010', '0_7', '0b_', '-0x1F', '+0b1', '\u0663', '\u3000 7 \u2003',
            '\u0661\u0662_\u0663', '12abc', 'abc', '', ' ', '9223372036854775807', '9223372036854775808',
            '-9223372036854775808', '-9223372036854775809', '18446744073709551616', '1' * 30, '1' * 5000,
            '0' * 4301, ' ' + '9' * 4300, '1' * 4301 + 'x', 'z', 'Z', '1\x00', '\x00', ' 1\x1c', '\x851\x85', '\xa0-1',
            '- 1', '--1', '+-1', '1.0', '1e5', '\u00b2', '\u2460', '1\u00e9', 'x' * 300, '0' * 300 + 'g',
            '\U0001d7d9', '\uff11\uff12', '12\u0301']


def gen_numbers(rng, emit, scale):
    for i in [0, 1, -1, 9, 10, -10, 99, 100, 2 ** 31, -2 ** 31, 2 ** 63 - 1, -2 ** 63, 10 ** 18, -10 ** 18]:
        emit('str_int', i)
    for b in [True, False]:
        emit('str_bool', b)
    for _ in range(scale * 50):
        emit('str_int', rng.choice([rng.randint(-2 ** 63, 2 ** 63 - 1), rng.randint(-1000, 1000), rng.randint(-10 ** 12, 10 ** 12)]))
    for s in INT_EDGE:
        for base in [None, 0, 2, 8, 10, 16, 36, 1, 37, -1, 3, 7]:
            emit('int', s, base)
    digits = '0123456789abcdefghijklmnopqrstuvwxyzABCXYZ_ +-\u0663\u3000\xa0.x'
    for _ in range(scale * 150):
        base = rng.choice([None, 0, 0, 2, 8, 10, 16, 36, rng.randint(2, 36)])
        r = rng.random()
        if r < 0.4:
            v = rng.randint(-2 ** 64, 2 ** 64)
            b = base if base not in (None, 0) else 10
            body = ''
            u = abs(v)
            while True:
                body = '0123456789abcdefghijklmnopqrstuvwxyz'[u % b] + body
                u //= b
                if not u:
                    break
            if rng.random() < 0.3:
                body = '_'.join(body[i:i + 3] for i in range(0, len(body), 3))
            prefix = {2: '0b', 8: '0o', 16: '0x'}.get(b, '') if base == 0 or rng.random() < 0.3 else ''
            if base == 0 and b != 10 and not prefix:
                prefix = {2: '0b', 8: '0o', 16: '0x'}.get(b, '')
            if base == 0 and not prefix:
                body = body.lstrip('0') or '0'
            s = rng.choice(['', ' ', '\t', '\u2003']) + ('-' if v < 0 else rng.choice(['', '+'])) + prefix + body + rng.choice(['', ' ', '\n'])
        else:
            s = ''.join(rng.choice(digits) for _ in range(rng.randint(0, 10)))
        emit('int', s, base)


FLOAT_EDGE = ['inf', '-inf', '+inf', 'Infinity', '-INFINITY', 'iNfInItY', 'infinit', 'infinityy', 'nan', '-nan', '+NaN',
              'nAn', 'nanx', '1e', '1e+', '1e-', '.5', '5.', '.', '-.5', '+.5e-3', '1_0.5', '1._5', '1_e5', '1e_5',
              '1e5_0', '1e+5_0', '_1.0', '1.0_', '1__0', '  3.14  ', '\u2003 1.5 \u3000', '\u0661.\u0665', '0x1p3', '',
              ' ', '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '2e308',
              '2.4703282292062327e-324', '2.4703282292062328e-324', '4.9406564584124654e-324', '1e-400', '1e400',
              '0.' + '0' * 400 + '1', '1' * 400, '1' * 400 + '.' + '9' * 400 + 'e-400', '0e0', '-0', '-0.0e-999',
              '1e99999999999999999999', '1e-99999999999999999999', '000000000000000000001.5', '1.5\x00', 'e5', '-e5',
              '1 .5', '1.5 e3', '++1', '9007199254740993', '9007199254740992.9999999999999999999999', '0.1', '1e23',
              '8.41e21', '2.2250738585072011e-308', '2.2250738585072012e-308', '\u00b2', '1\u00b2', '12\u0301']


def halfway_strings(rng, x):
    """Decimal strings at and around the exact midpoint between x and the next double up."""
    from decimal import Decimal, getcontext
    getcontext().prec = 1200
    y = nextup(x)
    if math.isinf(y) or math.isnan(x):
        return []
    mid = (Decimal(x) + Decimal(y)) / 2
    s = format(mid, 'e')
    out = [s]
    mant, exp = s.split('e')
    out.append(mant + '0000001e' + exp)
    out.append(mant.rstrip('0').rstrip('.') + 'e' + exp)
    if mant.rstrip('0')[-1:] not in ('', '.'):
        m2 = mant.rstrip('0')
        last = int(m2[-1])
        if last > 0:
            out.append(m2[:-1] + str(last - 1) + '9' * rng.randint(1, 30) + 'e' + exp)
    return out


def gen_float_parse(rng, emit, scale):
    for s in FLOAT_EDGE:
        emit('float', s)
    for _ in range(scale * 40):
        x = abs(rand_double(rng))
        for s in halfway_strings(rng, x):
            emit('float', s)
        emit('float', repr(x))
        emit('float', '%.*e' % (rng.randint(0, 25), x))
        emit('float', '%.*f' % (rng.randint(0, 30), rng.uniform(0, 1e6)))
    alphabet = '0123456789_.eE+- infatyINFATY\u0663\u2003'
    for _ in range(scale * 60):
        emit('float', ''.join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))))


def rand_spec(rng):
    r = rng.random()
    if r < 0.05:
        return ''.join(rng.choice('<>^=+- z#0123456789,_.bcdeEfFgGnosxX%\u0663\u2605') for _ in range(rng.randint(1, 6)))
    parts = []
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            parts.append(rng.choice([' ', '*', '0', 'x', '\u2605', '\U0001f600', '{', '}', '<']))
        parts.append(rng.choice('<>^='))
    if rng.random() < 0.3:
        parts.append(rng.choice('+- '))
    if rng.random() < 0.1:
        parts.append('z')
    if rng.random() < 0.2:
        parts.append('#')
    if rng.random() < 0.2:
        parts.append('0')
    if rng.random() < 0.5:
        parts.append(str(rng.choice([0, 1, 5, 8, 12, 20, rng.randint(0, 40)])))
    if rng.random() < 0.2:
        parts.append(rng.choice([',', '_', ',_', '_,']))
    if rng.random() < 0.4:
        parts.append('.' + rng.choice(['', '0', '1', '2', '3', '6', '10', '17', '20', '50', str(rng.randint(0, 120))]))
    if rng.random() < 0.7:
        parts.append(rng.choice('bcdeEfFgGnosxX%') if rng.random() < 0.95 else rng.choice('aAyZ\u00e9'))
    return ''.join(parts)


def rand_value(rng):
    r = rng.random()
    if r < 0.3:
        return rng.choice([0, 1, -1, 42, -42, 255, 65, 0x10ffff, 0x110000, 1234567, -1234567, 2 ** 63 - 1, -2 ** 63,
                           rng.randint(-10 ** 6, 10 ** 6), rng.randint(-2 ** 63, 2 ** 63 - 1)])
    if r < 0.6:
        return rng.choice([0.0, -0.0, 1.0, -1.5, 0.5, 2.5, 0.125, 0.375, 1e16, 1e-5, 123456.789, math.pi, -math.e,
                           math.inf, -math.inf, math.nan, 1e300, 5e-324, 0.1, 9.995, 1.5e-7, 0.0005, 999.9999,
                           rand_double(rng), rng.uniform(-1e6, 1e6)])
    if r < 0.8:
        return rand_str(rng, 8)
    if r < 0.9:
        return rng.choice([True, False])
    return None


def gen_format(rng, emit, scale):
    for v in [0, 1, -1, 1234567, -1234567, 255, 65, 2 ** 63 - 1, -2 ** 63]:
        for spec in ['', 'd', 'b', 'o', 'x', 'X', '#b', '#o', '#x', '#X', 'c', 'n', ',', '_', '_x', '_b', ',x', '08',
                     '+08', ' 8', '=+10', '<10', '^10', '>10', '*^11', '010,', '012_', '04,', '05,', '06,', '#010x',
                     '+#x', 'e', '.2f', '%', 'g', '.3', 'z', '.2', 's', '0=+12,d', '\u0661\u0660']:
            emit('format', v, spec)
    for v in [0.0, -0.0, 1.0, -1.5, 0.5, 2.5, 0.125, 1e16, 1e-5, 123456.789, math.inf, -math.inf, math.nan, 1e300,
              5e-324, 9.995, 1.5e-7, 0.1, 1e22, 1234.5]:
        for spec in ['', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%', '.0f', '.0e', '.0g', '.1g', '#.0f', '#.0e', '#g',
                     '#.3g', '.3', '.0', '.17', '.30f', '.1000f', '.500e', 'z.1f', 'z', '+', ' ', '010', '010.2f',
                     '=+12.3e', '^15,.2f', ',', '_', ',.2f', '_.3e', '0=12,.2f', '.2%', 'x', 'd', 'c', ',g', '+.0%']:
            emit('format', v, spec)
    for v in ['', 'a', 'hello', 'ß\u4e2d\U0001f600', '\ud800x']:
        for spec in ['', 's', '10', '<10', '>10', '^10', '*^9', '.2', '10.3s', '=10', '+', ' ', '-', 'z', '#', '05',
                     ',', '_', 'd', 'x', '\u2605>7', '0>5', '.0']:
            emit('format', v, spec)
    for v in [True, False, None]:
        for spec in ['', 'd', '>5', 's', 'x', '.2f', '#b', 'c', '10']:
            emit('format', v, spec)
    for _ in range(scale * 200):
        emit('format', rand_value(rng), rand_spec(rng))
    for s in EDGE_STRS + SPECIAL:
        emit('repr', s)
        emit('ascii', s)
    for _ in range(scale * 40):
        s = rand_str(rng, 10)
        emit('repr', s)
        emit('ascii', s)
    for _ in range(scale * 30):
        emit('conv', rand_value(rng), rng.randint(0, 2))


def rand_percent(rng, names):
    out, nargs = [], 0
    for _ in range(rng.randint(0, 4)):
        r = rng.random()
        if r < 0.3:
            out.append(rng.choice(['abc', ' ', 'x=', '\u00e9', '\U0001f600', '']))
        elif r < 0.35:
            out.append('%%')
        else:
            spec = '%'
            keyed = names and rng.random() < 0.8
            if keyed:
                spec += '(' + rng.choice(names + ['zz']) + ')'
            spec += ''.join(rng.choice('-+ #0') for _ in range(rng.choice([0, 0, 1, 2])))
            w = rng.random()
            if w < 0.3:
                spec += str(rng.randint(0, 12))
            elif w < 0.4 and not names:
                spec += '*'
                nargs += 1
            p = rng.random()
            if p < 0.3:
                spec += '.' + str(rng.randint(0, 8))
            elif p < 0.35 and not names:
                spec += '.*'
                nargs += 1
            if rng.random() < 0.05:
                spec += rng.choice('hlL')
            # (without a key, a dict operand is the value itself: its text is not built by the runtime)
            types = 'sradiuoxXeEfFgGc' if keyed or not names else 'diuoxXeEfFgGc'
            spec += rng.choice(types) if rng.random() < 0.95 else rng.choice('yZ%')
            out.append(spec)
            nargs += 1
    if rng.random() < 0.03:
        out.append('%')
    return ''.join(out), nargs


def gen_percent(rng, emit, scale):
    fixed = [('%s', [1]), ('%d', [3.7]), ('%d', [1e300]), ('%d', [-1e20]), ('%d', [math.nan]), ('%d', [math.inf]),
             ('%x', [3.0]), ('%x', [True]), ('%c', [True]), ('%c', ['ab']), ('%c', [1.5]), ('%c', [0x110000]),
             ('%5%', []), ('%5%', [1]), ('%y', []), ('%y', [1]), ('%', []), ('%(a)s', []), ('%*d', [5, 42]),
             ('%-*d|', [-5, 42]), ('%.*f', [2, math.pi]), ('%.*f', [-2, math.pi]), ('%*d', [1.5, 3]),
             ('%#x %#X %#o', [255, 255, 8]), ('%+d % d %05d %-5d|', [5, 5, -5, 5]), ('%.3s|%5.1s|', ['abcdef', 'xyz']),
             ('%r %a', ['\u00e9\n', '\u00e9\n']), ('%s %s', ['a']), ('%s', ['a', 'b']), ('%f %e %g', [1.5, 1.5, 1.5]),
             ('%#.0f %#.0e %#g', [1.0, 1.0, 1.0]), ('%010.3f|%-10.3e|%+g', [-3.14159, 2.5, 0.0001]),
             ('%.100f', [0.1]), ('%s %r', [None, None]), ('%d', [None]), ('%f', ['x']), ('%f', [None]), ('%d', ['x']),
             ('%i %u', [True, -7]), ('%5c|%-3c|', ['\u00e9', 65]), ('%lld %hs %Lf', [1, 'x', 2.0]), ('%.0x', [0]),
             ('%#.3o|%#5x|%#-8X|%#08x', [8, 255, 255, -255]), ('%+.3d|% .5x', [7, 255])]
    for fmt, args in fixed:
        emit('percent', fmt, True, *args)
        if len(args) == 1:
            emit('percent', fmt, False, args[0])
    for fmt in ['%(a)s %(b)d', '%(a)r%%', '%(a', '%(a)', '%(zz)s', '%(a)s %s', '%()s', '%(a(b))s', '%(a)*d', 'x']:
        emit('percent', fmt, None, Kw('a'), 'A', Kw('b'), 7, Kw('a(b)'), 1.5, Kw(''), 'empty')
    for _ in range(scale * 150):
        names = ['a', 'b', 'c'] if rng.random() < 0.2 else []
        fmt, n = rand_percent(rng, names)
        if names:
            emit('percent', fmt, None, *[x for nm in names for x in (Kw(nm), rand_value(rng))])
        else:
            k = n + rng.choice([0, 0, 0, -1, 1])
            args = [rand_value(rng) if rng.random() < 0.5 else rng.choice([rng.randint(-5, 20), 3.25, 'x'])
                    for _ in range(max(k, 0))]
            emit('percent', fmt, True, *args)
            if len(args) == 1:
                emit('percent', fmt, False, args[0])


def rand_template(rng):
    out = []
    for _ in range(rng.randint(0, 4)):
        r = rng.random()
        if r < 0.25:
            out.append(rng.choice(['abc', ' ', '{{', '}}', '\u00e9', '=']))
        elif r < 0.3:
            out.append(rng.choice(['{', '}', '{0', '{!r}', '{:', '{0!}', '{0!rx}', '{[}', '{0[}', '{a.}', '{0]}']))
        else:
            name = rng.choice(['', '', '0', '1', '2', 'a', 'b', 'zz', '0[1]', 'a[0]', '0.real', '0.imag', 'a.x',
                               '\u0661', '0[x]', '0[1]x'])
            field = '{' + name
            if rng.random() < 0.3:
                field += '!' + rng.choice('rsa') if rng.random() < 0.9 else '!x'
            if rng.random() < 0.6:
                spec = rand_spec(rng) if rng.random() < 0.8 else rng.choice(['{}', '>{}', '{0}', '{w}', '.{}f', '{}{}'])
                field += ':' + spec
            field += '}'
            out.append(field)
    return ''.join(out)


def gen_sformat(rng, emit, scale):
    fixed = ['{}', '{0}{1}{0}', '{} {}', '{0} {}', '{} {0}', '{a}', '{a!r:>10}', '{:{}{}}', '{:{:{}}}', '{0[1]}',
             '{0.real}', '{a.imag}', '{0[5]}', '{{}}', '}', '{', 'x}y', '{!r}', '{0!x}', '{0!}', '{0!r', '{:', '{0:{',
             '{0[}', '{0.}', '{0[1]x}', '{1000000000000000000000}', '{\u0661}', '{:{w}}', '{!a}', '{0:}', '']
    for t in fixed:
        emit('sformat', t, 'ab\u00e9', 3.5, Kw('a'), 7, Kw('w'), 6)
    for _ in range(scale * 150):
        args = [rand_value(rng) for _ in range(rng.randint(0, 3))]
        kws = [x for nm in rng.sample(['a', 'b', 'w'], rng.randint(0, 3)) for x in (Kw(nm), rand_value(rng) if nm != 'w' else rng.randint(0, 9))]
        emit('sformat', rand_template(rng), *args, *kws)


GROUPS = {
    'core': gen_core, 'search': gen_search, 'split': gen_split, 'case': gen_case, 'pad': gen_pad, 'codec': gen_codec,
    'numbers': gen_numbers, 'floatparse': gen_float_parse, 'format': gen_format, 'percent': gen_percent,
    'sformat': gen_sformat,
}


def gen(seed, scale, only=None, floats=0):
    rng = random.Random(seed)
    out = sys.stdout

    def emit(op, *args):
        out.write(' '.join([op] + [enc(a) for a in args]) + '\n')

    for name, fn in GROUPS.items():
        if only and name not in only:
            continue
        fn(random.Random(f'{seed}-{name}'), emit, scale)
    if floats and (not only or 'floatrepr' in only):
        gen_float_repr(random.Random(f'{seed}-floatrepr'), emit, floats)


def main():
    if sys.argv[1] == 'ref':
        ref()
    elif sys.argv[1] == 'gen':
        only = None
        if '--only' in sys.argv:
            only = sys.argv[sys.argv.index('--only') + 1].split(',')
        floats = int(sys.argv[sys.argv.index('--floats') + 1]) if '--floats' in sys.argv else 0
        gen(int(sys.argv[2]), int(sys.argv[3]), only, floats)
    else:
        sys.exit('usage: str_cases.py gen SEED SCALE [--only GROUPS] | ref')


if __name__ == '__main__':
    main()
