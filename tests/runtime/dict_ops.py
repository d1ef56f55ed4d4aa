"""
The CPython side of the dict/set/collections differential test (tests/runtime/dict.test.ts).

  python3 dict_ops.py gen SEED NOPS   writes a script of operations (edge cases, then seeded random ones)
  python3 dict_ops.py run < script    runs it on CPython's dict, set, frozenset, OrderedDict, defaultdict,
                                      Counter and deque and prints one line per operation

tests/runtime/dict_driver.c runs the same script on Kiln's runtime (resources/c/kiln_dict.h,
kiln_collections.h) and must print the same lines.

Values, as the script writes them: an int is 5; a float is its repr (nan, -0.0, 1e+300); a number of the union
bool|int|float is b:True, i:5 or f:1.5; a str is s:abc; a pair of ints is p:1,2; a (number, str) tuple is
t:i:1,s:ab; a list of ints is l:1,2,3; a frozenset is the register holding it (r3).

Two stand-ins keep the comparison exact where Kiln and CPython differ by design (docs/design/dicts.md):
- str: Kiln's str hash comes from kiln_str.h, CPython's is randomised per process; both sides here hash a str
  with FNV-1a (class S), so sets of str iterate in the same order;
- NaN: an unboxed float has no identity, so Kiln treats every NaN as one object; here every NaN is one object
  (NAN), whose hash is 0, Kiln's value for NaN (CPython 3.10+ hashes a NaN by its address).
"""
import random
import sys
from collections import Counter, OrderedDict, defaultdict, deque


class S(str):
    __slots__ = ()

    def __hash__(self):
        h = 0xCBF29CE484222325
        for b in self.encode():
            h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
        if h >= 1 << 63:
            h -= 1 << 64
        return -2 if h == -1 else h


class NaN(float):
    __slots__ = ()

    def __hash__(self):
        return 0


NAN = NaN('nan')

# dict instantiations of the driver: key kind, value kind
DICTS = {
    'ii': ('int', 'int'), 'nf': ('num', 'float'), 'ni': ('num', 'int'), 'ss': ('str', 'str'),
    'si': ('str', 'int'), 'tl': ('tns', 'intlist'), 'pi': ('pair', 'int'), 'il': ('int', 'intlist'),
}
SETS = {'i': 'int', 'n': 'num', 's': 'str', 'p': 'pair', 't': 'tns', 'fz': 'fz'}
DEQUES = {'i': 'int', 's': 'str'}
FACTORIES = {'int': int, 'list': list}

regs = {}
types = {}  # register -> ('dict', inst, flavor) | ('set', kind, frozen) | ('deque', kind)


def fl(v):
    x = float(v)
    return NAN if x != x else x


def parse(kind, tok):
    if kind == 'int':
        return int(tok)
    if kind == 'float':
        return fl(tok)
    if kind == 'num':
        p, v = tok[0], tok[2:]
        return (v == 'True') if p == 'b' else int(v) if p == 'i' else fl(v)
    if kind == 'str':
        return S(tok[2:])
    if kind == 'pair':
        a, b = tok[2:].split(',')
        return (int(a), int(b))
    if kind == 'tns':
        n, s = tok[2:].split(',', 1)
        return (parse('num', n), parse('str', s))
    if kind == 'intlist':
        return [int(x) for x in tok[2:].split(',')] if tok[2:] else []
    if kind == 'fz':
        return regs[tok]
    raise ValueError(kind)


def view(obj, mode):
    if mode == 'k':
        return obj
    if mode == 'v':
        return obj.values()
    if mode == 'i':
        return obj.items()
    return reversed(obj)


def run(argv):
    try:
        r = execute(argv)
        return 'None' if r is None else r
    except (KeyError, IndexError, ValueError, RuntimeError, OverflowError) as e:
        return '!%s: %s' % (type(e).__name__, e)


def execute(a):
    op = a[0]
    if op == 'hash':
        kind = a[1]
        if kind == 'tup':
            return repr(hash(tuple(parse('num', t) for t in a[2:])))
        if kind == 'nest':
            x, y, z = (parse('num', t) for t in a[2:5])
            return repr(hash(((x, y), z)))
        return repr(hash(parse(kind, a[2])))
    if op == 'floatrepr':
        return repr(fl(a[1]))
    if op == 'new':
        r, cat = a[1], a[2]
        if cat in ('dict', 'odict', 'ddict', 'counter'):
            inst = a[3]
            types[r] = ('dict', inst, cat)
            regs[r] = {'dict': dict, 'odict': OrderedDict, 'counter': Counter}[cat]() if cat != 'ddict' else defaultdict(FACTORIES[a[4]])
        elif cat in ('set', 'fset'):
            types[r] = ('set', a[3], cat == 'fset')
            regs[r] = set() if cat == 'set' else frozenset()
        else:
            types[r] = ('deque', a[3])
            m = int(a[4])
            regs[r] = deque(maxlen=None if m < 0 else m)
        return None
    r = a[1]
    t = types[r]
    o = regs[r]
    if op in ('bulkset', 'bulkdel'):
        start, count, step = int(a[2]), int(a[3]), int(a[4])
        for i in range(count):
            k = start + i * step
            if op == 'bulkdel':
                o.discard(k) if t[0] == 'set' else o.pop(k, None)
            elif t[0] == 'set':
                o.add(k)
            else:
                o[k] = i
        return None
    if op == 'digest':
        return digest(repr(list(o)))
    if t[0] == 'dict':
        return dict_op(op, a, r, o, *DICTS[t[1]])
    if t[0] == 'set':
        return set_op(op, a, r, o, SETS[t[1]])
    return deque_op(op, a, r, o, DEQUES[t[1]])


def digest(text):
    h = 0xCBF29CE484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return '%016x:%d' % (h, len(text))


def itermut(a, o):
    """itermut R MODE STEP OP ARGS... [; STEP OP ARGS...]: iterate, running each OP after item number STEP."""
    mode = a[2]
    actions, cur = [], []
    for tok in a[3:]:
        if tok == ';':
            actions.append(cur)
            cur = []
        else:
            cur.append(tok)
    actions.append(cur)
    it = iter(view(o, mode))
    parts, step = [], 0
    while True:
        try:
            x = next(it)
        except StopIteration:
            parts.append('end')
            break
        except RuntimeError as e:
            parts.append('!RuntimeError: %s' % e)
            break
        parts.append(repr(x))
        for act in actions:
            if int(act[0]) == step:
                parts.append('m=' + run([act[1], a[1]] + act[2:]))
        step += 1
        if step > 500:
            parts.append('...')
            break
    try:
        x = next(it)
        parts.append('then ' + repr(x))
    except StopIteration:
        parts.append('then end')
    except RuntimeError as e:
        parts.append('then !RuntimeError: %s' % e)
    return ' | '.join(parts)


def dict_size(o):
    s = sys.getsizeof(o)
    if s == 64:
        return 'E'
    for k in range(3, 40):
        n = 1 << k
        ib = n if k < 8 else 2 * n if k < 16 else 4 * n if k < 32 else 8 * n
        if 64 + 32 + ib + ((n << 1) // 3) * 24 == s:
            return str(k)
    return '?%d' % s


def dict_op(op, a, r, d, kk, vk):
    K = lambda i: parse(kk, a[i])
    V = lambda i: parse(vk, a[i])
    if op == 'set':
        d[K(2)] = V(3)
    elif op == 'get':
        return repr(d[K(2)])
    elif op == 'getd':
        return repr(d.get(K(2), V(3)))
    elif op == 'in':
        return repr(K(2) in d)
    elif op == 'del':
        del d[K(2)]
    elif op == 'pop':
        return repr(d.pop(K(2)))
    elif op == 'popd':
        return repr(d.pop(K(2), V(3)))
    elif op == 'popitem':
        return repr(d.popitem())
    elif op == 'odpop':
        return repr(d.popitem(last=a[2] == '1'))
    elif op == 'move':
        d.move_to_end(K(2), last=a[3] == '1')
    elif op == 'setdefault':
        return repr(d.setdefault(K(2), V(3)))
    elif op == 'clear':
        d.clear()
    elif op == 'copy':
        regs[a[2]] = d.copy()
        types[a[2]] = types[r]
    elif op == 'update':
        d.update(regs[a[2]])
    elif op == 'or':
        regs[a[3]] = d | regs[a[2]]
        types[a[3]] = types[r]
    elif op == 'ior':
        d |= regs[a[2]]
    elif op == 'eq':
        return repr(d == regs[a[2]])
    elif op == 'len':
        return repr(len(d))
    elif op == 'repr':
        return repr(d)
    elif op == 'keys':
        return repr(d.keys())
    elif op == 'values':
        return repr(d.values())
    elif op == 'items':
        return repr(d.items())
    elif op == 'list':
        return repr(list(d))
    elif op == 'rev':
        return repr(list(reversed(d)))
    elif op == 'vin':
        return repr(V(2) in d.values())
    elif op == 'iin':
        return repr((K(2), V(3)) in d.items())
    elif op == 'fromkeys':
        keys = [parse(kk, x) for x in a[4:]]
        regs[r] = dict.fromkeys(keys if a[3] == '0' else set(keys), V(2))
    elif op == 'size':
        return dict_size(d)
    elif op == 'toset':
        regs[a[2]] = set(d)
        types[a[2]] = ('set', {'ii': 'i', 'si': 's', 'ni': 'n', 'pi': 'p', 'tl': 't'}[types[r][1]], False)
    elif op == 'ddappend':
        d[K(2)].append(int(a[3]))
    elif op == 'itermut':
        return itermut(a, d)
    # Counter
    elif op == 'cupd':
        d.update([K(i) for i in range(2, len(a))])
    elif op == 'csub':
        d.subtract([K(i) for i in range(2, len(a))])
    elif op == 'cupdm':
        d.update(regs[a[2]])
    elif op == 'csubm':
        d.subtract(regs[a[2]])
    elif op == 'mc':
        n = int(a[2])
        return repr(d.most_common(None if n < 0 else n))
    elif op == 'total':
        return repr(d.total())
    elif op == 'elements':
        return repr(list(d.elements()))
    elif op == 'cbin':
        o2 = regs[a[2]]
        res = {'+': lambda: d + o2, '-': lambda: d - o2, '|': lambda: d | o2, '&': lambda: d & o2}[a[4]]()
        regs[a[3]] = res
        types[a[3]] = types[r]
    elif op == 'cin':
        o2 = regs[a[2]]
        if a[3] == '+':
            d += o2
        elif a[3] == '-':
            d -= o2
        elif a[3] == '|':
            d |= o2
        else:
            d &= o2
    elif op == 'cun':
        regs[a[2]] = +d if a[3] == '+' else -d
        types[a[2]] = types[r]
    elif op == 'ceq':
        o2 = regs[a[2]]
        return repr({'==': d == o2, '<=': d <= o2, '>=': d >= o2, '<': d < o2, '>': d > o2}[a[3]])
    else:
        raise SystemExit('unknown dict op %r' % op)
    return None


def set_size(o):
    s = sys.getsizeof(o)
    return '8' if s == 216 else str((s - 216) // 16)


def set_op(op, a, r, s, kk):
    K = lambda i: parse(kk, a[i])
    keys = lambda start: [parse(kk, x) for x in a[start:]]
    if op == 'add':
        s.add(K(2))
    elif op == 'remove':
        s.remove(K(2))
    elif op == 'discard':
        s.discard(K(2))
    elif op == 'in':
        return repr(K(2) in s)
    elif op == 'spop':
        return repr(s.pop())
    elif op == 'clear':
        s.clear()
    elif op == 'copy':
        c = s.copy()
        regs[a[2]] = c
        types[a[2]] = types[r]
    elif op == 'len':
        return repr(len(s))
    elif op in ('repr', 'list'):
        return repr(s) if op == 'repr' else repr(list(s))
    elif op == 'size':
        return set_size(s)
    elif op in ('sor', 'sand', 'ssub', 'sxor'):
        o2 = regs[a[2]]
        regs[a[3]] = {'sor': s | o2, 'sand': s & o2, 'ssub': s - o2, 'sxor': s ^ o2}[op]
        types[a[3]] = (types[r][0], types[r][1], isinstance(regs[a[3]], frozenset))
    elif op in ('sior', 'siand', 'sisub', 'sixor'):
        o2 = regs[a[2]]
        if op == 'sior':
            s |= o2
        elif op == 'siand':
            s &= o2
        elif op == 'sisub':
            s -= o2
        else:
            s ^= o2
    elif op == 'supdk':
        s.update(keys(2))
    elif op == 'sandk':
        regs[a[2]] = s.intersection(keys(3))
        types[a[2]] = types[r]
    elif op == 'sisubk':
        s.difference_update(keys(2))
    elif op == 'sixork':
        s.symmetric_difference_update(keys(2))
    elif op == 'subk':
        return repr(s.issubset(keys(2)))
    elif op == 'supk':
        return repr(s.issuperset(keys(2)))
    elif op == 'sdisk':
        return repr(s.isdisjoint(keys(2)))
    elif op == 'srel':
        o2 = regs[a[2]]
        return repr({'issubset': s.issubset(o2), 'issuperset': s.issuperset(o2), 'isdisjoint': s.isdisjoint(o2),
                     '==': s == o2, '!=': s != o2, '<': s < o2, '<=': s <= o2, '>': s > o2, '>=': s >= o2}[a[3]])
    elif op == 'freeze':
        regs[a[2]] = frozenset(s)
        types[a[2]] = (types[r][0], types[r][1], True)
    elif op == 'fhash':
        return repr(hash(s))
    elif op == 'itermut':
        return itermut(a, s)
    else:
        raise SystemExit('unknown set op %r' % op)
    return None


def deque_op(op, a, r, q, kk):
    X = lambda i: parse(kk, a[i])
    if op == 'app':
        q.append(X(2))
    elif op == 'appl':
        q.appendleft(X(2))
    elif op == 'dpop':
        return repr(q.pop())
    elif op == 'dpopl':
        return repr(q.popleft())
    elif op == 'ext':
        q.extend([parse(kk, x) for x in a[2:]])
    elif op == 'extl':
        q.extendleft([parse(kk, x) for x in a[2:]])
    elif op == 'dextd':
        q.extend(regs[a[2]])
    elif op == 'rot':
        q.rotate(int(a[2]))
    elif op == 'dget':
        return repr(q[int(a[2])])
    elif op == 'dset':
        q[int(a[2])] = X(3)
    elif op == 'ddel':
        del q[int(a[2])]
    elif op == 'dins':
        q.insert(int(a[2]), X(3))
    elif op == 'drem':
        q.remove(X(2))
    elif op == 'dindex':
        return repr(q.index(X(2)))
    elif op == 'dcount':
        return repr(q.count(X(2)))
    elif op == 'din':
        return repr(X(2) in q)
    elif op == 'drev':
        q.reverse()
    elif op == 'dclear':
        q.clear()
    elif op == 'dcopy':
        regs[a[2]] = q.copy()
        types[a[2]] = types[r]
    elif op == 'deq':
        return repr(q == regs[a[2]])
    elif op == 'len':
        return repr(len(q))
    elif op == 'repr':
        return repr(q)
    elif op == 'list':
        return repr(list(q))
    elif op == 'maxlen':
        return repr(q.maxlen)
    elif op == 'itermut':
        return itermut(a, q)
    else:
        raise SystemExit('unknown deque op %r' % op)
    return None


# ---------------------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------------------
M61 = (1 << 61) - 1
EDGE_INTS = [0, 1, -1, -2, 2, 7, 8, 16, 24, 32, 64, 1024, 4096, -8, -16, M61, M61 + 1, M61 - 1, -M61, -M61 - 1, 2 * M61,
             1 << 62, -(1 << 62), (1 << 63) - 1, -(1 << 63), -(1 << 63) + 1, (1 << 53) + 1, 1 << 53, 123456789012345]
EDGE_FLOATS = ['0.0', '-0.0', '1.0', '2.0', '-1.0', '-2.0', '0.5', '-1.5', '1e+300', '-1e+300', '5e-324', 'inf', '-inf', 'nan',
               '9007199254740992.0', '1e+16', '1e+22', '0.1', '2.5', '1e-05', '123456.789', '4.611686018427388e+18',
               '9.223372036854776e+18', '-9.223372036854776e+18', '3.141592653589793', '1.7976931348623157e+308',
               '2.2250738585072014e-308', '8.0', '16.0', '0.0001']


def fmt_float(x):
    return 'nan' if x != x else repr(x)


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.lines = []
        self.pools = {}

    def int_(self):
        rng = self.rng
        c = rng.random()
        if c < 0.45:
            return str(rng.randint(-6, 40))
        if c < 0.7:
            return str(rng.choice([8, 16, 32, 64, 128, 256, 1024]) * rng.randint(-3, 12))
        if c < 0.9:
            return str(rng.choice(EDGE_INTS))
        return str(rng.randint(-(1 << 63), (1 << 63) - 1))

    def float_(self):
        rng = self.rng
        c = rng.random()
        if c < 0.5:
            return rng.choice(EDGE_FLOATS)
        if c < 0.75:
            return fmt_float(float(rng.randint(-20, 40)))
        if c < 0.9:
            return fmt_float(rng.randint(-1000, 1000) / rng.choice([2, 4, 8, 10, 3]))
        return fmt_float(rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-30, 30))

    def num(self):
        c = self.rng.random()
        if c < 0.1:
            return 'b:' + self.rng.choice(['True', 'False'])
        if c < 0.55:
            return 'i:' + self.int_()
        return 'f:' + self.float_()

    def str_(self):
        n = self.rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 5])
        return 's:' + ''.join(self.rng.choice('abcxyz') for _ in range(n))

    def fresh(self, kind):
        if kind == 'int':
            return self.int_()
        if kind == 'float':
            return self.float_()
        if kind == 'num':
            return self.num()
        if kind == 'str':
            return self.str_()
        if kind == 'pair':
            return 'p:%d,%d' % (self.rng.randint(-3, 12), self.rng.randint(-3, 12))
        if kind == 'tns':
            return 't:%s,%s' % (self.num(), self.str_())
        if kind == 'intlist':
            return 'l:' + ','.join(str(self.rng.randint(-5, 50)) for _ in range(self.rng.randint(0, 3)))
        raise ValueError(kind)

    def key(self, reg, kind):
        pool = self.pools.setdefault(reg, [])
        if pool and self.rng.random() < 0.6:
            return self.rng.choice(pool)
        k = self.fresh(kind)
        pool.append(k)
        if len(pool) > 400:
            del pool[: len(pool) // 2]
        return k

    def emit(self, *tokens):
        self.lines.append(' '.join(str(t) for t in tokens))


def gen_hashes(g):
    for v in EDGE_INTS + [3, -3, 10 ** 18, -(10 ** 18)]:
        g.emit('hash', 'int', v)
    for v in EDGE_FLOATS + ['1e+100', '-1e-100', '0.3', '1.5e-310', '6.02214076e+23', '-7.5']:
        g.emit('hash', 'float', v)
        g.emit('floatrepr', v)
    for _ in range(300):
        g.emit('hash', 'float', g.float_())
        g.emit('floatrepr', g.float_())
        g.emit('hash', 'int', g.int_())
    for v in ['b:True', 'b:False', 'i:1', 'f:1.0', 'f:nan', 'f:inf', 'f:-inf', 'i:-1', 'f:-1.0']:
        g.emit('hash', 'num', v)
    for n in range(6):
        for _ in range(12):
            g.emit('hash', 'tup', *[g.num() for _ in range(n)])
    for _ in range(40):
        g.emit('hash', 'nest', g.num(), g.num(), g.num())
        g.emit('hash', 'pair', g.fresh('pair'))
        g.emit('hash', 'tns', g.fresh('tns'))
        g.emit('hash', 'str', g.str_())


DICT_FLAVORS = [('dict', 'ii'), ('dict', 'nf'), ('dict', 'ni'), ('dict', 'ss'), ('dict', 'tl'), ('dict', 'pi'),
                ('odict', 'ii'), ('odict', 'nf'), ('odict', 'ss'), ('ddict', 'ii', 'int'), ('ddict', 'tl', 'list'),
                ('ddict', 'il', 'list'), ('ddict', 'si', 'int'), ('counter', 'si'), ('counter', 'ni'), ('counter', 'pi')]


def gen_dict_session(g, regname, spec, nops):
    cat, inst = spec[0], spec[1]
    kk, vk = DICTS[inst]
    g.emit('new', regname, cat, inst, *spec[2:])
    other = regname + 'b'
    g.emit('new', other, 'dict' if cat != 'counter' else 'counter', inst)
    counter = cat == 'counter'
    V = (lambda: str(g.rng.randint(-3, 9))) if counter else (lambda: g.fresh(vk))
    phase = 'grow'
    for i in range(nops):
        if i % 60 == 0:
            phase = g.rng.choice(['grow', 'grow', 'shrink', 'churn'])
        rng = g.rng
        c = rng.random()
        K = lambda: g.key(regname, kk)
        if c < 0.04:
            g.emit('list', regname)
            g.emit('size', regname) if cat == 'dict' else None
            continue
        if phase == 'grow' and c < 0.55 or phase == 'churn' and c < 0.35 or phase == 'shrink' and c < 0.12:
            g.emit('set', regname, K(), V())
        elif c < 0.7 if phase != 'grow' else c < 0.62:
            op = rng.choice(['del', 'del', 'pop', 'popd', 'popitem'] + (['odpop', 'odpop', 'move'] if cat == 'odict' else []))
            if op == 'popd':
                g.emit('popd', regname, K(), V())
            elif op == 'odpop':
                g.emit('odpop', regname, rng.choice('01'))
            elif op == 'move':
                g.emit('move', regname, K(), rng.choice('01'))
            elif op == 'popitem':
                g.emit('popitem', regname)
            else:
                g.emit(op, regname, K())
        elif c < 0.8:
            op = rng.choice(['get', 'getd', 'in', 'setdefault', 'vin', 'iin', 'len'])
            if op in ('getd', 'setdefault', 'iin'):
                g.emit(op, regname, K(), V())
            elif op == 'vin':
                g.emit(op, regname, V())
            elif op == 'len':
                g.emit(op, regname)
            else:
                g.emit(op, regname, K())
        elif c < 0.86:
            g.emit(rng.choice(['repr', 'keys', 'values', 'items', 'rev']), regname)
        elif c < 0.9:
            # another dict of the same instantiation, then a binary operation with it
            for _ in range(rng.randint(0, 8)):
                g.emit('set', other, g.key(regname, kk), V())
            if rng.random() < 0.2:
                g.emit('del', other, g.key(regname, kk))
            if counter:
                op = rng.choice(['cupdm', 'csubm', 'cbin', 'cin', 'ceq', 'cun', 'eq', 'copy'])
                if op == 'cbin':
                    g.emit('cbin', regname, other, regname + 'c', rng.choice('+-|&'))
                    g.emit('repr', regname + 'c')
                elif op == 'cin':
                    g.emit('cin', regname, rng.choice([other, regname]), rng.choice('+-|&'))
                elif op == 'ceq':
                    g.emit('ceq', regname, rng.choice([other, regname]), rng.choice(['==', '<=', '>=', '<', '>']))
                elif op == 'cun':
                    g.emit('cun', regname, regname + 'c', rng.choice('+-'))
                    g.emit('repr', regname + 'c')
                elif op == 'eq':
                    g.emit('eq', regname, rng.choice([other, regname]))
                elif op == 'copy':
                    g.emit('copy', regname, regname + 'c')
                    g.emit('repr', regname + 'c')
                    g.emit('eq', regname + 'c', regname)
                else:
                    g.emit(op, regname, other)
            else:
                op = rng.choice(['update', 'or', 'ior', 'eq', 'copy'])
                if op == 'or':
                    g.emit('or', regname, rng.choice([other, regname]), regname + 'c')
                    g.emit('repr', regname + 'c')
                elif op == 'copy':
                    g.emit('copy', regname, regname + 'c')
                    g.emit('repr', regname + 'c')
                    g.emit('eq', regname + 'c', regname)
                    if cat == 'dict':
                        g.emit('size', regname + 'c')
                        g.emit('list', regname + 'c')
                else:
                    g.emit(op, regname, rng.choice([other, regname]))
        elif c < 0.93 and counter:
            op = rng.choice(['cupd', 'csub', 'mc', 'total', 'elements'])
            if op in ('cupd', 'csub'):
                g.emit(op, regname, *[K() for _ in range(rng.randint(0, 6))])
            elif op == 'mc':
                g.emit('mc', regname, rng.randint(-1, 6))
            else:
                g.emit(op, regname)
        elif c < 0.93 and spec[-1] == 'list':
            g.emit('ddappend', regname, K(), rng.randint(0, 9))
        elif c < 0.985:
            mode = rng.choice('kkvir')
            n = rng.randint(0, 6)
            mut = dict_mutation(g, regname, cat, K, V)
            extra = []
            if rng.random() < 0.3:
                extra = [';', n if rng.random() < 0.7 else n + 1] + dict_mutation(g, regname, cat, K, V)
            g.emit('itermut', regname, mode, n, *mut, *extra)
        elif c < 0.99 and cat == 'dict' and inst in ('ii', 'ss', 'nf'):
            keys = [K() for _ in range(rng.randint(0, 12))]
            g.emit('fromkeys', regname, V(), 0, *keys)
            g.emit('size', regname)
        else:
            g.emit('clear', regname)
    g.emit('repr', regname)
    g.emit('len', regname)


def dict_mutation(g, reg, cat, K, V):
    rng = g.rng
    ops = ['set', 'set', 'del', 'pop', 'popitem', 'setdefault', 'clear', 'get']
    if cat == 'odict':
        ops += ['move', 'odpop']
    op = rng.choice(ops)
    if op in ('set', 'setdefault'):
        return [op, K(), V()]
    if op in ('del', 'pop', 'get'):
        return [op, K()]
    if op == 'move':
        return [op, K(), rng.choice('01')]
    if op == 'odpop':
        return [op, rng.choice('01')]
    return [op]


def gen_set_session(g, regname, kind, nops):
    kk = SETS[kind]
    g.emit('new', regname, 'set', kind)
    other = regname + 'b'
    g.emit('new', other, 'set', kind)
    K = lambda: g.key(regname, kk) if kk != 'fz' else g.rng.choice(g.frozen)
    phase = 'grow'
    for i in range(nops):
        if i % 50 == 0:
            phase = g.rng.choice(['grow', 'grow', 'shrink', 'churn'])
        rng = g.rng
        c = rng.random()
        if c < 0.05:
            g.emit('list', regname)
            g.emit('size', regname)
            continue
        if phase == 'grow' and c < 0.55 or phase == 'churn' and c < 0.35 or phase == 'shrink' and c < 0.1:
            g.emit('add', regname, K())
        elif c < 0.68:
            op = rng.choice(['remove', 'discard', 'discard', 'spop'])
            g.emit(op, regname) if op == 'spop' else g.emit(op, regname, K())
        elif c < 0.74:
            g.emit(rng.choice(['in', 'in', 'len']), regname, K())
        elif c < 0.88:
            for _ in range(rng.randint(0, 10)):
                g.emit('add', other, K())
            if rng.random() < 0.3:
                g.emit('discard', other, K())
            if rng.random() < 0.2:
                g.emit('freeze', other, other + 'f')
                o2 = other + 'f'
            else:
                o2 = rng.choice([other, other, regname])
            op = rng.choice(['sor', 'sand', 'ssub', 'sxor', 'sior', 'siand', 'sisub', 'sixor', 'srel', 'copy', 'freeze'])
            if op in ('sor', 'sand', 'ssub', 'sxor'):
                left, right = (regname, o2) if rng.random() < 0.7 else (o2, regname)
                g.emit(op, left, right, regname + 'c')
                g.emit('repr', regname + 'c')
                g.emit('size', regname + 'c')
            elif op == 'srel':
                g.emit('srel', regname, o2, rng.choice(['issubset', 'issuperset', 'isdisjoint', '==', '!=', '<', '<=', '>', '>=']))
            elif op == 'copy':
                g.emit('copy', regname, regname + 'c')
                g.emit('repr', regname + 'c')
                g.emit('size', regname + 'c')
            elif op == 'freeze':
                g.emit('freeze', regname, regname + 'f')
                g.emit('repr', regname + 'f')
                g.emit('fhash', regname + 'f')
            else:
                g.emit(op, regname, o2)
        elif c < 0.885 and kk != 'fz':
            inst = {'int': 'ii', 'str': 'si', 'num': 'ni', 'pair': 'pi', 'tns': 'tl'}[kk]
            vk = DICTS[inst][1]
            g.emit('new', regname + 'd', 'dict', inst)
            for _ in range(rng.randint(0, 12)):
                g.emit('set', regname + 'd', K(), g.fresh(vk))
            g.emit('toset', regname + 'd', regname + 'c')
            g.emit('list', regname + 'c')
            g.emit('size', regname + 'c')
        elif c < 0.93 and kk != 'fz':
            op = rng.choice(['supdk', 'sandk', 'sisubk', 'sixork', 'subk', 'supk', 'sdisk'])
            keys = [K() for _ in range(rng.randint(0, 8))]
            if op == 'sandk':
                g.emit('sandk', regname, regname + 'c', *keys)
                g.emit('repr', regname + 'c')
            else:
                g.emit(op, regname, *keys)
        elif c < 0.985:
            n = rng.randint(0, 6)
            mut = rng.choice([['add', K()], ['discard', K()], ['remove', K()], ['spop'], ['clear'], ['in', K()]])
            extra = [';', n] + rng.choice([['add', K()], ['discard', K()]]) if rng.random() < 0.3 else []
            g.emit('itermut', regname, 'k', n, *mut, *extra)
        else:
            g.emit('clear', regname)
    g.emit('repr', regname)
    g.emit('size', regname)


def gen_deque_session(g, regname, kind, nops):
    kk = DEQUES[kind]
    maxlen = g.rng.choice([-1, -1, 0, 1, 3, 7])
    g.emit('new', regname, 'deque', kind, maxlen)
    X = lambda: g.key(regname, kk)
    for _ in range(nops):
        rng = g.rng
        c = rng.random()
        if c < 0.4:
            g.emit(rng.choice(['app', 'appl']), regname, X())
        elif c < 0.55:
            g.emit(rng.choice(['dpop', 'dpopl']), regname)
        elif c < 0.62:
            g.emit(rng.choice(['ext', 'extl']), regname, *[X() for _ in range(rng.randint(0, 5))])
        elif c < 0.7:
            g.emit('rot', regname, rng.randint(-12, 12))
        elif c < 0.8:
            op = rng.choice(['dget', 'dset', 'ddel', 'dins'])
            i = rng.randint(-10, 10)
            g.emit(op, regname, i, X()) if op in ('dset', 'dins') else g.emit(op, regname, i)
        elif c < 0.86:
            g.emit(rng.choice(['drem', 'dindex', 'dcount', 'din']), regname, X())
        elif c < 0.9:
            g.emit(rng.choice(['repr', 'list', 'len', 'maxlen', 'drev']), regname)
        elif c < 0.93:
            g.emit('dcopy', regname, regname + 'c')
            g.emit('deq', regname, regname + 'c')
            g.emit('app', regname + 'c', X())
            g.emit('deq', regname + 'c', regname)
            g.emit('dextd', regname, rng.choice([regname, regname + 'c']))
        elif c < 0.99:
            n = rng.randint(0, 5)
            mut = rng.choice([['app', X()], ['appl', X()], ['dpop'], ['dpopl'], ['rot', rng.randint(-3, 3)], ['dset', 0, X()],
                              ['drev'], ['dclear'], ['dget', 0], ['ext'], ['ddel', 0], ['dins', 1, X()], ['drem', X()]])
            g.emit('itermut', regname, rng.choice('kr'), n, *mut)
        else:
            g.emit('dclear', regname)
    g.emit('repr', regname)


def gen_edges(g):
    """Hand-picked cases: mutation during iteration at the boundaries CPython draws, equal keys of different
    types, NaN and -0.0, collisions that decide set order, big tables (a set's growth changes past 50,000)."""
    e = g.emit
    for mode in 'kvi':
        for name, acts in [('a', ['3', 'del', '0', ';', '3', 'set', '100', '1']),      # keys changed
                           ('b', ['3', 'del', '7', ';', '3', 'set', '100', '1']),      # same count: quiet
                           ('c', ['9', 'del', '0', ';', '9', 'set', '100', '1']),      # after the last item
                           ('d', ['1', 'popitem', ';', '1', 'set', '200', '2']),
                           ('e', ['2', 'set', '5', '55']),                             # a value changes: fine
                           ('f', ['0', 'clear', ';', '0', 'set', '1', '1'])]:
            r = 'e' + mode + name
            e('new', r, 'dict', 'ii')
            e('bulkset', r, 0, 10, 1)
            e('itermut', r, mode, *acts)
            e('repr', r)
        # a same-size change that resizes (compacts) the table under the iterator
        r = 'eg' + mode
        e('new', r, 'dict', 'ii')
        e('bulkset', r, 0, 5, 1)
        e('size', r)
        e('itermut', r, mode, '1', 'del', '0', ';', '1', 'set', '300', '3', ';', '2', 'del', '1', ';', '2', 'set', '301', '4')
        e('size', r)
        e('repr', r)
    for mode in 'kvir':
        for acts in [['1', 'move', 'i:1', '1'], ['3', 'move', 'i:1', '1'], ['3', 'set', 'i:9', '1.0'], ['3', 'set', 'i:1', '2.5'],
                     ['1', 'clear'], ['1', 'odpop', '0'], ['0', 'del', 'i:3'], ['3', 'del', 'i:3']]:
            r = 'eo'
            e('new', r, 'odict', 'nf')
            for i in range(4):
                e('set', r, 'i:%d' % i, '%d.5' % i)
            e('itermut', r, mode, *acts)
            e('repr', r)
    # OrderedDict == OrderedDict compares the order too; against a dict it does not
    e('new', 'eoa', 'odict', 'ii')
    e('new', 'eob', 'odict', 'ii')
    e('new', 'eoc', 'dict', 'ii')
    for k in [1, 2, 3]:
        e('set', 'eoa', k, k)
        e('set', 'eoc', 4 - k, 4 - k)
    for k in [3, 2, 1]:
        e('set', 'eob', k, k)
    e('eq', 'eoa', 'eob')
    e('eq', 'eoa', 'eoc')
    e('eq', 'eoc', 'eob')
    e('move', 'eob', 3, 1)
    e('move', 'eob', 1, 0)
    e('eq', 'eoa', 'eob')
    e('repr', 'eob')
    e('copy', 'eob', 'eod')
    e('eq', 'eod', 'eob')
    e('or', 'eoa', 'eoc', 'eoe')
    e('repr', 'eoe')
    e('eq', 'eoe', 'eoa')
    for acts in [['1', 'discard', '0', ';', '1', 'add', '3'], ['1', 'add', '3'], ['0', 'spop', ';', '0', 'add', '64'], ['2', 'in', '1']]:
        e('new', 'es', 'set', 'i')
        e('bulkset', 'es', 0, 3, 8)
        e('itermut', 'es', 'k', *acts)
        e('repr', 'es')
    # equal keys of different types keep the first key, take the last value
    e('new', 'en', 'dict', 'nf')
    for k, v in [('i:1', '1.0'), ('f:1.0', '2.0'), ('b:True', '3.0'), ('f:0.0', '4.0'), ('f:-0.0', '5.0'), ('b:False', '6.0'), ('i:0', '7.0'),
                 ('f:nan', '8.0'), ('f:nan', '9.0'), ('f:inf', 'nan'), ('i:9007199254740993', '1.0'), ('f:9007199254740992.0', '2.0'),
                 ('i:-1', '1.0'), ('i:-2', '2.0'), ('f:-1.0', '3.0'), ('i:2305843009213693951', '1.0'), ('i:0', '0.5')]:
        e('set', 'en', k, v)
        e('repr', 'en')
    for k in ['f:nan', 'i:1', 'f:2.0', 'b:False', 'f:-0.0', 'i:2305843009213693952', 'f:1e+300']:
        e('get', 'en', k)
        e('in', 'en', k)
    e('vin', 'en', 'nan')
    e('iin', 'en', 'f:inf', 'nan')
    e('copy', 'en', 'en2')
    e('eq', 'en', 'en2')
    e('new', 'esn', 'set', 'n')
    for k in ['i:1', 'f:1.0', 'b:True', 'f:nan', 'f:nan', 'f:-0.0', 'i:0', 'f:inf', 'i:314159', 'f:0.5', 'i:2305843009213693951']:
        e('add', 'esn', k)
        e('repr', 'esn')
    e('freeze', 'esn', 'esnf')
    e('fhash', 'esnf')
    # set order: the last dummy on the probe path is reused
    e('new', 'eo2', 'set', 'i')
    for k in [0, 8, 16]:
        e('add', 'eo2', k)
    e('remove', 'eo2', 0)
    e('remove', 'eo2', 8)
    e('add', 'eo2', 24)
    e('add', 'eo2', 32)
    e('list', 'eo2')
    # big tables, both directions
    e('new', 'eb', 'set', 'i')
    e('bulkset', 'eb', 0, 70000, 7)
    e('size', 'eb')
    e('digest', 'eb')
    e('bulkdel', 'eb', 0, 60000, 7)
    e('size', 'eb')
    e('bulkset', 'eb', 3, 100, 1000)
    e('size', 'eb')
    e('digest', 'eb')
    e('new', 'ebb', 'set', 'i')
    e('bulkset', 'ebb', 5, 30000, 11)
    e('sisub', 'eb', 'ebb')
    e('size', 'eb')
    e('digest', 'eb')
    e('sixor', 'ebb', 'eb')
    e('digest', 'ebb')
    e('freeze', 'ebb', 'ebbf')
    e('fhash', 'ebbf')
    e('new', 'ed', 'dict', 'ii')
    e('bulkset', 'ed', -50000, 100000, 3)
    e('size', 'ed')
    e('digest', 'ed')
    e('bulkdel', 'ed', -50000, 99000, 3)
    e('size', 'ed')
    e('set', 'ed', 1, 1)
    e('size', 'ed')
    e('bulkset', 'ed', 7, 20, 5)
    e('size', 'ed')
    e('digest', 'ed')
    e('copy', 'ed', 'ed2')
    e('size', 'ed2')
    # presizing: fromkeys of a set, and the doubling of exact powers of two
    for n in [5, 6, 10, 11, 21, 22, 42, 43, 85, 86]:
        e('fromkeys', 'ed', 0, 1, *range(n))
        e('size', 'ed')
        e('fromkeys', 'ed', 0, 0, *range(n))
        e('size', 'ed')
        e('new', 'eu', 'dict', 'ii')
        e('bulkset', 'eu', 0, n, 1)
        e('new', 'eu2', 'dict', 'ii')
        e('update', 'eu2', 'eu')
        e('size', 'eu2')
        e('popitem', 'eu')
        e('new', 'eu2', 'dict', 'ii')
        e('update', 'eu2', 'eu')
        e('size', 'eu2')
    # Counter: ties keep insertion order; arithmetic drops non-positive counts
    e('new', 'ec', 'counter', 'si')
    e('cupd', 'ec', 's:b', 's:a', 's:c', 's:a', 's:b', 's:d', 's:c', 's:e')
    e('mc', 'ec', -1)
    e('mc', 'ec', 2)
    e('mc', 'ec', 0)
    e('repr', 'ec')
    e('csub', 'ec', 's:a', 's:a', 's:a', 's:z')
    e('repr', 'ec')
    e('elements', 'ec')
    e('total', 'ec')
    e('cun', 'ec', 'ec2', '+')
    e('repr', 'ec2')
    e('cun', 'ec', 'ec2', '-')
    e('repr', 'ec2')
    e('get', 'ec', 's:zz')
    e('del', 'ec', 's:zz')
    e('len', 'ec')
    # deque: maxlen trimming from the other side, rotation both ways
    e('new', 'eq', 'deque', 'i', 3)
    e('ext', 'eq', 1, 2, 3, 4, 5)
    e('repr', 'eq')
    e('extl', 'eq', 6, 7)
    e('repr', 'eq')
    e('dins', 'eq', 1, 9)
    e('new', 'eq', 'deque', 'i', -1)
    e('ext', 'eq', *range(10))
    for n in [3, -3, 13, -13, 0, 5, -5, 10]:
        e('rot', 'eq', n)
        e('repr', 'eq')
    e('new', 'eq0', 'deque', 'i', 0)
    e('app', 'eq0', 1)
    e('ext', 'eq0', 1, 2)
    e('repr', 'eq0')


def generate(seed, nops):
    g = Gen(seed)
    if seed % 4 == 1:
        gen_edges(g)
    if seed % 4 == 0:
        gen_hashes(g)
    g.frozen = []
    for j in range(4):
        name = 'z%d' % j
        g.emit('new', name, 'set', 'i')
        for _ in range(g.rng.randint(0, 6)):
            g.emit('add', name, g.rng.randint(-3, 20))
        g.emit('freeze', name, name + 'f')
        g.frozen.append(name + 'f')
    per = max(20, nops // 8)
    k = 0
    while len(g.lines) < nops:
        c = g.rng.random()
        reg = 'r%d' % k
        k += 1
        if c < 0.5:
            gen_dict_session(g, reg, g.rng.choice(DICT_FLAVORS), per)
        elif c < 0.85:
            gen_set_session(g, reg, g.rng.choice(list(SETS)), per)
        else:
            gen_deque_session(g, reg, g.rng.choice(list(DEQUES)), per // 2)
    return g.lines


def main():
    if sys.argv[1] == 'gen':
        for line in generate(int(sys.argv[2]), int(sys.argv[3])):
            print(line)
        return
    out = []
    for line in sys.stdin:
        line = line.strip()
        if line:
            out.append(run(line.split()))
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
