"""Kiln's compiled itertools, compiled with the program that imports it. Every function but the combinatoric ones
(product, permutations, combinations, combinations_with_replacement) is a generator: the tracer inlines it into the
loop that reads it, as it does a generator of the program (ir/generators.ts), so it calls a function on no item,
and reads no item of a generator given to it, past where the consumer stops, as CPython's lazy iterators (the
groups of groupby are generators sharing its state). The combinatoric ones build the list of the items CPython's
iterator yields, in the same order (CPython reads their input whole when they are made). Calls whose tuple length
is fixed by an argument go to a variant chosen from the call's syntax (project/compiled_stdlib.ts):
combinations(xs, 2) is combinations__2, product(a, b) is product__2, product(xs, repeat=3) is product__3r, chain(a,
b) is chain__2; these differ only in the tuple they build or the iterables they read, written out for 1 to 4.
Parameters named seq* are read by index: the tracer refuses a generator there. count(), repeat() and cycle() are
infinite: the tracer compiles them as loops where a loop reads them (ir/trace.ts); given to another iterator
(islice(count(), 5)) or held by a variable (c = count(); next(c)), they are the generators _count, _repeat and
_cycle below. Not a module for CPython to import."""


def _add(a, b):
    return a + b


def accumulate(iterable, func=_add):
    # A generator: inlined into the loop that reads it, so func runs on no item past where the consumer stops.
    first = True
    for x in iterable:
        if first:
            total = x
            first = False
        else:
            total = func(total, x)
        yield total


def accumulate__initial(iterable, func=_add, *, initial):
    total = initial
    yield total
    for x in iterable:
        total = func(total, x)
        yield total


def chain(*iterables):
    # chain(*xss): CPython unpacks the starred iterable at the call, and its items here are sequences (a generator
    # cannot be unpacked into a compiled call), which nothing observes being read early.
    out = []
    for i in range(len(iterables)):
        for x in iterables[i]:
            out.append(x)
    return out


# chain(a, b) goes to chain__2 (compiled_stdlib.ts): a generator that reads each iterable only when the one before it
# ended, so a consumer that stops early reads (and computes) nothing of the later ones.
def chain__1(p0):
    for x in p0:
        yield x


def chain__2(p0, p1):
    for x in p0:
        yield x
    for x in p1:
        yield x


def chain__3(p0, p1, p2):
    for x in p0:
        yield x
    for x in p1:
        yield x
    for x in p2:
        yield x


def chain__4(p0, p1, p2, p3):
    for x in p0:
        yield x
    for x in p1:
        yield x
    for x in p2:
        yield x
    for x in p3:
        yield x


def chain_from_iterable(iterables):
    # The outer iterable is read one iterable at a time, as CPython's chain reads it.
    for it in iterables:
        for x in it:
            yield x


def takewhile(predicate, iterable):
    # CPython stops at the first item the predicate rejects, calling it no further; a generator, so the predicate
    # also runs on no item past where the consumer stops.
    for x in iterable:
        if not predicate(x):
            return
        yield x


def dropwhile(predicate, iterable):
    # The predicate runs until it first rejects an item; that item and every later one are yielded.
    dropping = True
    for x in iterable:
        if dropping:
            if predicate(x):
                continue
            dropping = False
        yield x


def starmap(function, iterable):
    for args in iterable:
        yield function(*args)


def pairwise(iterable):
    # CPython's pairwise reads the first two items for the first pair, then one item per pair.
    first = True
    for x in iterable:
        if first:
            first = False
        else:
            yield (prev, x)
        prev = x


def _slice_check(start, stop, step):
    # CPython's checks in its order: a stop of -1 is its parser's error value, so it has a message of its own.
    if stop == -1:
        raise ValueError("Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
    if start < 0 or stop < -1:
        raise ValueError("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
    if step <= 0:
        raise ValueError("Step for islice() must be a positive integer or None.")


# islice(xs, ...) is a generator, inlined into the loop that reads it: items past the slice are never read (a
# generator expression passed in computes none of them). CPython checks the arguments when islice() is called, so
# each variant has a __check function that the tracer calls where the generator is made, before it is read
# (ir/trace.ts, generatorArgs).
def _slice(iterable, start, stop, step):
    # CPython's reads, item by item: it skips to the next index it yields, and reads nothing once both that index
    # and stop are reached (so islice(xs, 5, 2) still reads 5 items, and islice(xs, 0, 5, 3) reads item 4).
    i = 0
    nxt = start
    if i >= nxt and i >= stop:
        return
    for x in iterable:
        i += 1
        if i > nxt:
            nxt = stop if step >= stop - nxt else nxt + step
            yield x
        if i >= nxt and i >= stop:
            return


# A stop of None is no stop (islice(xs, 2, None)), a start or step of None is 0 or 1: each call is specialised by
# its arguments' types, so _given decides when the call is compiled.
_NO_STOP = 9223372036854775807  # sys.maxsize, CPython's own limit for a stop


def _given(v, default):
    if v is None:
        return default
    return v


def islice__2__check(stop):
    _slice_check(0, _given(stop, _NO_STOP), 1)


def islice__2(iterable, stop):
    yield from _slice(iterable, 0, _given(stop, _NO_STOP), 1)


def islice__3__check(start, stop):
    _slice_check(_given(start, 0), _given(stop, _NO_STOP), 1)


def islice__3(iterable, start, stop):
    yield from _slice(iterable, _given(start, 0), _given(stop, _NO_STOP), 1)


def islice__4__check(start, stop, step):
    _slice_check(_given(start, 0), _given(stop, _NO_STOP), _given(step, 1))


def islice__4(iterable, start, stop, step):
    yield from _slice(iterable, _given(start, 0), _given(stop, _NO_STOP), _given(step, 1))


# count(), repeat() and cycle() given to another iterator (islice(count(1), 5), map(f, cycle(xs)), zip(gen(), repeat(0)))
# or held by a variable (c = count(); next(c)):
# the tracer calls these instead, their arguments evaluated where CPython makes the iterator (ir/trace.ts,
# endlessCall). CPython's count adds step to the current value each time (floats included).
def _count(start=0, step=1):
    n = start
    while True:
        yield n
        n += step


_ENDLESS = 4611686018427387904  # 2**62 items: more than any program reads


def _repeat(object, times=None):
    # A negative times is no item, as CPython's.
    for _ in range(_given(times, _ENDLESS)):
        yield object


def _cycle(iterable):
    # CPython's cycle saves each item of its first pass as it reads it, then repeats the saved items (none: stops).
    saved = []
    for x in iterable:
        saved.append(x)
        yield x
    while saved:
        for x in saved:
            yield x


def _combination_indices(n, r):
    # Index tuples in lexicographic order, as CPython's combinations yields them.
    out = []
    if r > n:
        return out
    idx = [i for i in range(r)]
    out.append([i for i in idx])
    while True:
        i = r - 1
        while i >= 0 and idx[i] == i + n - r:
            i -= 1
        if i < 0:
            return out
        idx[i] += 1
        for j in range(i + 1, r):
            idx[j] = idx[j - 1] + 1
        out.append([i for i in idx])


def _replacement_indices(n, r):
    # Non-decreasing index tuples in lexicographic order (combinations_with_replacement).
    out = []
    if n == 0 and r > 0:
        return out
    idx = [0 for _ in range(r)]
    out.append([i for i in idx])
    while True:
        i = r - 1
        while i >= 0 and idx[i] == n - 1:
            i -= 1
        if i < 0:
            return out
        v = idx[i] + 1
        for j in range(i, r):
            idx[j] = v
        out.append([i for i in idx])


def _permutation_indices(n, r):
    # r distinct indices in lexicographic order (permutations): a depth-first walk, smallest free index first.
    out = []
    if r > n:
        return out
    if r == 0:
        out.append([i for i in range(0)])
        return out
    cur = [-1 for _ in range(r)]
    used = [False for _ in range(n)]
    k = 0
    while k >= 0:
        if cur[k] >= 0:
            used[cur[k]] = False
        j = cur[k] + 1
        while j < n and used[j]:
            j += 1
        if j == n:
            cur[k] = -1
            k -= 1
            continue
        cur[k] = j
        used[j] = True
        if k == r - 1:
            out.append([i for i in cur])
        else:
            k += 1
    return out


def _product_indices(sizes):
    # Index tuples of a cartesian product, the last position advancing fastest.
    out = []
    r = len(sizes)
    for s in sizes:
        if s == 0:
            return out
    idx = [0 for _ in range(r)]
    while True:
        out.append([i for i in idx])
        k = r - 1
        while k >= 0 and idx[k] == sizes[k] - 1:
            idx[k] = 0
            k -= 1
        if k < 0:
            return out
        idx[k] += 1



def combinations__1(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]],) for c in _combination_indices(len(pool), 1)]


def combinations__2(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]]) for c in _combination_indices(len(pool), 2)]


def combinations__3(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]], pool[c[2]]) for c in _combination_indices(len(pool), 3)]


def combinations__4(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]], pool[c[2]], pool[c[3]]) for c in _combination_indices(len(pool), 4)]


def combinations_with_replacement__1(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]],) for c in _replacement_indices(len(pool), 1)]


def combinations_with_replacement__2(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]]) for c in _replacement_indices(len(pool), 2)]


def combinations_with_replacement__3(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]], pool[c[2]]) for c in _replacement_indices(len(pool), 3)]


def combinations_with_replacement__4(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]], pool[c[2]], pool[c[3]]) for c in _replacement_indices(len(pool), 4)]


def permutations__1(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]],) for c in _permutation_indices(len(pool), 1)]


def permutations__2(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]]) for c in _permutation_indices(len(pool), 2)]


def permutations__3(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]], pool[c[2]]) for c in _permutation_indices(len(pool), 3)]


def permutations__4(iterable, r):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]], pool[c[2]], pool[c[3]]) for c in _permutation_indices(len(pool), 4)]


# permutations(xs) and a run-time r (permutations(xs, k), combinations(xs, k)) go to these (compiled_stdlib.ts): their
# tuples' length is known only at run time, so each is a tuple[T, ...] (a tuple(...) of the pool's items).
def _check_r(r):
    if r < 0:
        raise ValueError("r must be non-negative")


def _pick(pool, c):
    return tuple([pool[i] for i in c])


def permutations__all(iterable):
    pool = [x for x in iterable]
    return [_pick(pool, c) for c in _permutation_indices(len(pool), len(pool))]


def permutations__n(iterable, r):
    pool = [x for x in iterable]
    _check_r(r)
    return [_pick(pool, c) for c in _permutation_indices(len(pool), r)]


def combinations__n(iterable, r):
    pool = [x for x in iterable]
    _check_r(r)
    return [_pick(pool, c) for c in _combination_indices(len(pool), r)]


def combinations_with_replacement__n(iterable, r):
    pool = [x for x in iterable]
    _check_r(r)
    return [_pick(pool, c) for c in _replacement_indices(len(pool), r)]


def product__1(p0):
    pool0 = [x for x in p0]
    return [(pool0[c[0]],) for c in _product_indices([len(pool0)])]


def product__1r(iterable, repeat):
    pool = [x for x in iterable]
    return [(pool[c[0]],) for c in _product_indices([len(pool) for _ in range(1)])]


def product__2(p0, p1):
    pool0 = [x for x in p0]
    pool1 = [x for x in p1]
    return [(pool0[c[0]], pool1[c[1]]) for c in _product_indices([len(pool0), len(pool1)])]


def product__2r(iterable, repeat):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]]) for c in _product_indices([len(pool) for _ in range(2)])]


def product__3(p0, p1, p2):
    pool0 = [x for x in p0]
    pool1 = [x for x in p1]
    pool2 = [x for x in p2]
    return [(pool0[c[0]], pool1[c[1]], pool2[c[2]]) for c in _product_indices([len(pool0), len(pool1), len(pool2)])]


def product__3r(iterable, repeat):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]], pool[c[2]]) for c in _product_indices([len(pool) for _ in range(3)])]


def product__4(p0, p1, p2, p3):
    pool0 = [x for x in p0]
    pool1 = [x for x in p1]
    pool2 = [x for x in p2]
    pool3 = [x for x in p3]
    return [(pool0[c[0]], pool1[c[1]], pool2[c[2]], pool3[c[3]]) for c in _product_indices([len(pool0), len(pool1), len(pool2), len(pool3)])]


def product__4r(iterable, repeat):
    pool = [x for x in iterable]
    return [(pool[c[0]], pool[c[1]], pool[c[2]], pool[c[3]]) for c in _product_indices([len(pool) for _ in range(4)])]


# zip_longest(a, b, fillvalue=x) goes to zip_longest__2 (compiled_stdlib.ts): the tuple's length is the number of
# iterables. The shorter ones are padded with fillvalue (None when it is left out) until the longest ends. A
# generator: the first iterable drives it (a generator given there runs one item per tuple, as CPython reads it),
# the others are read whole into lists (a list, a str, a dict: nothing of the program runs) and then by index (the
# tracer refuses a generator there: parameters named seq*).
def zip_longest__1(p0, *, fillvalue=None):
    for x in p0:
        yield (x,)


def zip_longest__2(p0, seq1, *, fillvalue=None):
    seq1 = [x for x in seq1]
    i = 0
    for x in p0:
        yield (x, seq1[i] if i < len(seq1) else fillvalue)
        i += 1
    while i < len(seq1):
        yield (fillvalue, seq1[i])
        i += 1


def zip_longest__3(p0, seq1, seq2, *, fillvalue=None):
    seq1 = [x for x in seq1]
    seq2 = [x for x in seq2]
    i = 0
    for x in p0:
        yield (x, seq1[i] if i < len(seq1) else fillvalue, seq2[i] if i < len(seq2) else fillvalue)
        i += 1
    while i < len(seq1) or i < len(seq2):
        yield (fillvalue, seq1[i] if i < len(seq1) else fillvalue, seq2[i] if i < len(seq2) else fillvalue)
        i += 1


def zip_longest__4(p0, seq1, seq2, seq3, *, fillvalue=None):
    seq1 = [x for x in seq1]
    seq2 = [x for x in seq2]
    seq3 = [x for x in seq3]
    i = 0
    for x in p0:
        yield (x, seq1[i] if i < len(seq1) else fillvalue, seq2[i] if i < len(seq2) else fillvalue,
               seq3[i] if i < len(seq3) else fillvalue)
        i += 1
    while i < len(seq1) or i < len(seq2) or i < len(seq3):
        yield (fillvalue, seq1[i] if i < len(seq1) else fillvalue, seq2[i] if i < len(seq2) else fillvalue,
               seq3[i] if i < len(seq3) else fillvalue)
        i += 1


def _same(v):
    return v


# groupby: CPython's groupby and its groups are lazy iterators sharing one state over one iterator of the iterable
# (it = iter(iterable): a generator, map() or filter() passed in is a generator object the tracer hands to both,
# resumed when CPython's groupby_step calls next() on it), kept in one-item lists both read: fresh (the current item
# is read and no group took it yet), vals/keys (the current item and its key), same (that key is the group's key
# object itself: CPython compares keys with identity first, so a NaN key still holds its group's first item; a later
# NaN starts a group, as compiled floats have no identity). The outer generator yields (key, _grouper(...)), which
# the tracer binds to the loop's group name as a generator made there (read by list(g), sum(g), a loop, next(g)),
# so the items and keys a group never asks for are read only when the groupby moves on, as CPython's groupby_next
# skips them. Each read is groupby_step: next(it), then its key (an error there leaves the state as it was); the
# `for x in it: ... break` reads one item, and `got` says whether there was one.
def _grouper(it, key, fresh, vals, keys, same, tgt):
    # _grouper_next: an item is taken while its key equals the group's (tgtkey == currkey, in that order).
    while True:
        if not fresh[0]:
            got = False
            for x in it:
                k = key(x)
                vals[0] = x
                keys[0] = k
                same[0] = False
                fresh[0] = True
                got = True
                break
            if not got:
                return
        if not (same[0] or tgt == keys[0]):
            return
        fresh[0] = False
        yield vals[0]


def groupby(iterable, key=_same):
    # One read of `it` (the first item, then groupby_next's), so a generator object passed in is resumed from two
    # places only, here and in _grouper: each is a copy of its step in the compiled code.
    it = iter(iterable)
    fresh = [True]
    vals = []
    keys = []
    same = [True]
    started = False
    while True:
        if started:
            tgt = keys[0]
            same[0] = True
            yield (tgt, _grouper(it, key, fresh, vals, keys, same, tgt))
        # The first item; then groupby_next: the rest of this group is read (and keyed) until a key differs from it.
        while not started or same[0] or tgt == keys[0]:
            got = False
            for x in it:
                k = key(x)
                if started:
                    vals[0] = x
                    keys[0] = k
                    same[0] = False
                else:
                    vals.append(x)
                    keys.append(k)
                fresh[0] = True
                got = True
                break
            if not got:
                return
            if not started:
                started = True
                break


# tee(it, n) over a generator (or map(), filter(), a generator object): the tracer makes n of these generator
# objects over one generator object of `it`, one list `buf` of the items some copy has not read yet and one list
# `at`: at[0] the number of items dropped from the front of buf, at[k] how many copy k has read (ir/trace.ts,
# lazyTee). A copy that has read every item in the list reads the next one from `it` (CPython's
# teedataobject_getitem: next(it), again at each read once `it` is exhausted), so the generator runs when CPython's
# does, in the order the copies are read. Items every copy has read are dropped, as CPython frees its blocks of
# items all copies have passed: in runs of at least 4 that are at least half of buf (amortised O(1) per item), so
# copies read in lockstep keep a bounded buffer over an endless generator.
def _tee_copy(it, buf, at, k):
    while True:
        i = at[k] - at[0]
        if i == len(buf):
            got = False
            for x in it:
                buf.append(x)
                got = True
                break
            if not got:
                return
        item = buf[i]
        at[k] += 1
        done = at[1]
        for j in range(2, len(at)):
            if at[j] < done:
                done = at[j]
        done -= at[0]
        if done >= 4 and 2 * done >= len(buf):
            del buf[:done]
            at[0] += done
        yield item


# tee(xs, n): n independent copies of the items (the tuple's length is n, an int literal: compiled_stdlib.ts).
# Its argument is a sequence (a generator goes to _tee_copy above; parameter seq: the tracer refuses one here), so
# copies made at once are read as CPython's lazy copies would read it.
def tee__1(seq, n=1):
    items = [x for x in seq]
    return ([x for x in items],)


def tee__2(seq, n=2):
    items = [x for x in seq]
    return ([x for x in items], [x for x in items])


def tee__3(seq, n=3):
    items = [x for x in seq]
    return ([x for x in items], [x for x in items], [x for x in items])


def tee__4(seq, n=4):
    items = [x for x in seq]
    return ([x for x in items], [x for x in items], [x for x in items], [x for x in items])
