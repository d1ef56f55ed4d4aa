"""Generator objects and iterators read item by item: a header read with next() before a loop takes the rest,
merging two sorted streams with iter()/next(), pairwise differences, a lexer with one token of lookahead,
round-robin over generators, and streams that stop (StopIteration, defaults) as CPython's do."""
from typing import Iterator, Optional

from kiln import compile


def lines_of(text):
    line = ""
    for c in text:
        if c == "\n":
            yield line
            line = ""
        else:
            line += c
    if line:
        yield line


def collatz(n):
    while n != 1:
        yield n
        if n % 2:
            n = 3 * n + 1
        else:
            n //= 2
    yield 1


def blocks(xs, stop_at):
    """Runs of positive numbers, each summed; a zero ends a run, stop_at ends everything."""
    run = 0
    for x in xs:
        if x == stop_at:
            break
        if x == 0:
            if run:
                yield run
            run = 0
            continue
        run += x
    else:
        if run:
            yield run
        return
    yield -run


def digits(n):
    if n == 0:
        yield 0
        return
    while n:
        yield n % 10
        n //= 10


@compile(examples=["name,age\nann,31\nbob,27", "", "only header", "h\n\nx"])
def csv_shape(text: str) -> tuple[int, int, int]:
    rows = lines_of(text)
    header = next(rows, "")
    columns = len(header.split(",")) if header else 0
    count = 0
    longest = 0
    for row in rows:
        count += 1
        longest = max(longest, len(row))
    return columns, count, longest


@compile(examples=[([1, 4, 9], [2, 3, 10, 11]), ([], [5]), ([1, 1], [])])
def merge_sorted(xs: list[int], ys: list[int]) -> list[int]:
    a, b = iter(xs), iter(ys)
    out = []
    x = next(a, None)
    y = next(b, None)
    while x is not None and y is not None:
        if x <= y:
            out.append(x)
            x = next(a, None)
        else:
            out.append(y)
            y = next(b, None)
    if x is not None:
        out.append(x)
        out.extend(list(a))
    if y is not None:
        out.append(y)
        out.extend(list(b))
    return out


@compile(examples=[([1.0, 4.0, 9.0, 16.0],), ([2.5],), ([],)])
def pairwise_gaps(xs: list[float]) -> list[float]:
    it = iter(xs)
    prev = next(it, 0.0)
    gaps = []
    for x in it:
        gaps.append(x - prev)
        prev = x
    return gaps


@compile(examples=[(27,), (1,), (6,)])
def collatz_head(n: int) -> tuple[int, int, int]:
    if n < 1 or n > 10**6:
        return 0, 0, 0
    seq = collatz(n)
    first = next(seq)
    second = next(seq, -1)
    rest = sum(1 for _ in seq)
    return first, second, rest


@compile(examples=[(1,), (3,), (8,)])
def collatz_third(n: int) -> int:
    # StopIteration when the sequence has fewer than three items, as CPython's next().
    if n < 1 or n > 10**6:
        return 0
    seq = collatz(n)
    next(seq)
    next(seq)
    return next(seq)


@compile(examples=[([3, 4, 0, 5, 0, 0, 6, 7], 9), ([1, 2, 9, 3], 9), ([], 0), ([5, 0, 6], 7)])
def block_sums(xs: list[int], stop_at: int) -> list[int]:
    g = blocks(xs, stop_at)
    first = next(g, 0)
    return [first] + [b * 10 for b in g]


@compile(examples=[(0,), (7,), (12345,), (-5,)])
def digit_walk(n: int) -> tuple[int, int]:
    if n < 0:
        return -1, -1
    d = digits(n)
    low = next(d)
    total = low
    count = 1
    while True:
        x = next(d, -1)
        if x < 0:
            break
        total += x
        count += 1
    return low, total * 100 + count


@compile(examples=[("a bb ccc", 2), ("x", 5), ("", 1)])
def round_robin(text: str, k: int) -> str:
    k = max(1, min(k, 5))
    words = iter(text.split())
    letters = iter(text.replace(" ", ""))
    out = []
    for _ in range(k):
        out.append(next(words, "_"))
        out.append(next(letters, "."))
    return "".join(out)


@compile(examples=[("3 + 4 * 2",), ("10",), ("",), ("1 + + 2",)])
def eval_sum_product(text: str) -> int:
    """Sum of products of integers, with one token of lookahead: next() pulls, a loop takes what follows."""
    toks = iter(text.split())
    total = 0
    term = 1
    expect_number = True
    for tok in toks:
        if expect_number:
            if not tok.isdigit():
                raise ValueError("expected a number, got " + tok)
            term *= int(tok)
        elif tok == "+":
            total += term
            term = 1
        elif tok != "*":
            raise ValueError("unknown operator " + tok)
        expect_number = not expect_number
    if expect_number:
        return total if text.strip() == "" else -1
    return total + term


@compile(examples=[(0,), (5,), (907,)])
def exhausted(n: int) -> tuple[int, int, int]:
    # A second pass over a generator sees it exhausted, as CPython's does.
    if n < 0:
        return 0, 0, 0
    g = digits(n)
    first = sum(g)
    second = sum(g)
    return first, second, next(g, -7)


@compile(examples=["title\nfirst\n\nsecond", "", "solo"])
def numbered_after_title(text: str) -> int:
    rows = lines_of(text)
    next(rows, "")
    score = 0
    for i, row in enumerate(rows, 1):
        score += i * len(row)
    return score


def last_positive(xs):
    for x in xs:
        if x > 0:
            best = x
    yield best


@compile(examples=[([3, -1, 4],), ([-2, -5],), ([],)])
def last_positive_twice(xs: list[int]) -> int:
    # UnboundLocalError names the generator's own variable, as CPython does.
    return sum(last_positive(xs)) * 2


def squares_below(n: int):
    for i in range(n):
        yield i * i


@compile(examples=[0, 1, 2, 3, 5])
def first_three_squares(n: int) -> int:
    """next() past the end raises StopIteration, which an except clause catches (generators meet exceptions)."""
    g = squares_below(n)
    total = 0
    try:
        total += next(g)
        total += next(g)
        total += next(g)
    except StopIteration:
        total = -total - 1
    return total


# ---- generators resumed with send(): the value of `x = yield v` ----


def averager():
    total = 0.0
    count = 0
    avg = 0.0
    while True:
        x = yield avg
        total = total + x
        count += 1
        avg = total / count


@compile(examples=[[1.0, 2.0, 6.0], [], [3.5, -1.5]])
def running_mean(xs: list[float]) -> list[float]:
    """A coroutine primed with next(), then fed with send(): each send returns the mean so far."""
    g = averager()
    next(g)
    out = []
    for x in xs:
        out.append(g.send(x))
    return out


def stepper(limit: int):
    """Counts up to limit by the steps it is sent (1 when resumed by next())."""
    total = 0
    while total < limit:
        step = yield total
        if step is None:
            step = 1
        total += step


@compile(examples=[(10, 3), (5, 0), (2, 7), (6, -2)])
def drive(limit: int, step: int) -> list[int]:
    """send(None) starts it; a zero step resumes with next(), which sends None; StopIteration ends the loop."""
    g = stepper(min(limit, 50))
    seen = [g.send(None)]
    try:
        while True:
            seen.append(g.send(max(step, 1)) if step else next(g))
    except StopIteration:
        pass
    return seen


@compile(examples=[1, 0, 2])
def early_send(k: int) -> str:
    """A value sent before the first next() is CPython's TypeError; after close(), next() gives the default."""
    g = stepper(10)
    try:
        if k == 1:
            g.send(4)
        first = next(g)
        g.close()
        return f"{first} {next(g, -1)}"
    except TypeError as e:
        return "TypeError: " + str(e)


@compile(examples=[0, 1])
def none_sent(k: int) -> float:
    """next() on a running averager sends None: total + None is CPython's TypeError."""
    g = averager()
    next(g)
    g.send(2.0)
    if k:
        next(g)
    return g.send(4.0)


# ---- the value of a generator's `return`, read from the StopIteration of next() or send() ----


def tokens_until_end(text: str):
    """Yields the words up to `end`; returns how many words it skipped after it (the generator's result)."""
    words = text.split()
    for i in range(len(words)):
        if words[i] == "end":
            return len(words) - i - 1
        yield words[i]
    return -1


def accumulate(limit: int):
    """A coroutine summing what is sent until the total passes the limit; returns the final total (negated when it
    was stopped early by a None)."""
    total = 0
    while total <= limit:
        x = yield total
        if x is None:
            return -total
        total += x
    return total


@compile(examples=["a b end c d", "x y", "end", ""])
def words_and_rest(text: str) -> str:
    """A pump that reads a generator to its end and reports its return value, as a caller of `yield from` would."""
    g = tokens_until_end(text)
    got = []
    while True:
        try:
            got.append(next(g))
        except StopIteration as e:
            rest = e.value
            again = next(g, "done")
            return f"{'-'.join(got)}: rest {rest} ({e!r}, args {e.args}, str {e}), then {again}"


@compile(examples=[(10, 3), (1, 1), (0, 5), (4, -1)])
def fill_until(limit: int, step: int) -> str:
    """Sends steps into a coroutine until it finishes; its result arrives in StopIteration.value."""
    acc = accumulate(limit)
    next(acc)
    sent = 0
    try:
        while sent < 30:
            acc.send(step)
            sent += 1
        acc.send(None)
    except StopIteration as e:
        return f"after {sent}: {e.value} / {e} / {e!r}"
    return "still running"


class TreeNode:
    def __init__(self, key, left, right):
        self.key = key
        self.left = left
        self.right = right


def in_order(node):
    """A recursive generator: each level is a frame of its own (yield from the subtrees)."""
    if node is not None:
        yield from in_order(node.left)
        yield node.key
        yield from in_order(node.right)


@compile(examples=[[5, 3, 8, 1, 4, 8], [], [2, 1]])
def bst_sorted(keys: list[int]) -> list[int]:
    """Inserts the keys into a binary search tree and reads them back in order, then the smallest alone."""
    root = None
    for k in keys[:40]:
        node = TreeNode(k, None, None)
        if root is None:
            root = node
            continue
        cur = root
        while True:
            if k < cur.key:
                if cur.left is None:
                    cur.left = node
                    break
                cur = cur.left
            else:
                if cur.right is None:
                    cur.right = node
                    break
                cur = cur.right
    out = list(in_order(root))
    smallest = in_order(root)
    out.append(next(smallest, -1))
    return out


def permutations_of(xs):
    if len(xs) <= 1:
        yield xs
        return
    for i in range(len(xs)):
        for rest in permutations_of(xs[:i] + xs[i + 1:]):
            yield [xs[i]] + rest


@compile(examples=[([1, 2, 3], 10), ([3, 1, 2, 1], 4), ([], 3), ([7], 0)])
def first_permutations(xs: list[int], count: int) -> list[list[int]]:
    """The first permutations in CPython's order, leaving the recursive generator suspended after `count` of them."""
    out = []
    for p in permutations_of(xs[:5]):
        if len(out) >= min(count, 12):
            break
        out.append(p)
    return out


class Section:
    def __init__(self, title, children):
        self.title = title
        self.children = children


def outline(section, depth, max_depth):
    """Flattens nested sections to numbered lines; too deep a nesting is an error raised from inside the recursion."""
    if depth > max_depth:
        raise ValueError(f"'{section.title}' is nested deeper than {max_depth}")
    yield "  " * depth + section.title
    for child in section.children:
        yield from outline(child, depth + 1, max_depth)


@compile(examples=[(3, 5), (4, 2), (0, 0), (2, 1)])
def outline_text(chapters: int, max_depth: int) -> str:
    """Lines of a book outline until an error; a generator that raised is finished (next gives the default)."""
    book = Section("book", [])
    part = book
    for i in range(min(chapters, 6)):
        chapter = Section(f"ch{i}", [Section(f"ch{i}.notes", [])])
        part.children.append(chapter)
        part = chapter
    lines = outline(book, 0, max_depth)
    got = []
    try:
        for line in lines:
            got.append(line)
    except ValueError as e:
        got.append(f"error: {e}")
    got.append(next(lines, "end"))
    return "\n".join(got)


# Recursive generators that return a value (x = yield from g(...)), call each other, or fail inside (UnboundLocalError,
# and a traceback that names the generator at each level).
def count_leaves(depth: int):
    """The leaves of a full binary tree, each yielded as 1; returns how many there were."""
    if depth == 0:
        yield 1
        return 1
    left = yield from count_leaves(depth - 1)
    right = yield from count_leaves(depth - 1)
    return left + right


@compile(examples=[0, 1, 3, 6])
def leaves(depth: int) -> int:
    total = 0
    for v in count_leaves(max(0, min(depth, 8))):
        total += v
    return total


def downs(n: int):
    if n >= 0:
        yield n
        yield from ups(n - 1)


def ups(n: int):
    if n >= 0:
        yield -n
        yield from downs(n - 1)


@compile(examples=[0, 1, 4, 9])
def alternating(n: int) -> list[int]:
    """Two generators that call each other: each level its own frame."""
    return [x for x in downs(min(n, 40))]


def marks(n: int, seed: bool):
    if n > 0:
        yield from marks(n - 1, seed)
    if seed and n == 0:
        first = 5
    if n == 1:
        yield first
    yield n


@compile(examples=[(0, True), (2, True), (2, False), (3, False)])
def marks_total(n: int, seed: bool) -> int:
    """A local read before it is assigned, one level down: UnboundLocalError."""
    total = 0
    for v in marks(min(n, 20), seed):
        total += v
    return total


def ratios(n: int):
    if n > 0:
        yield from ratios(n - 1)
    yield 10 // (n - 2)


@compile(examples=[0, 1, 3])
def ratio_sum(n: int) -> int:
    """ZeroDivisionError two levels down (the traceback names ratios at each level)."""
    total = 0
    for v in ratios(min(n, 20)):
        total += v
    return total


class Outline:
    """Generator methods (ir/generator_frames.ts): each call makes a frame, and a walk recurses through the children."""

    def __init__(self, title: str, children: list["Outline"]):
        self.title = title
        self.children = children

    def lines(self, depth: int) -> Iterator[str]:
        yield "  " * depth + self.title
        for child in self.children:
            yield from child.lines(depth + 1)

    def leaves(self) -> Iterator[str]:
        if not self.children:
            yield self.title
            return
        for child in self.children:
            yield from child.leaves()

    def checked(self, limit: int) -> Iterator[int]:
        if len(self.title) > limit:
            raise ValueError(f"title {self.title!r} is longer than {limit}")
        yield len(self.title)
        for child in self.children:
            yield from child.checked(limit)

    def __iter__(self) -> Iterator[str]:
        yield from self.leaves()


def outline_of(words: list[str]) -> Outline:
    """A three-level outline: each word a section, its prefixes its subsections."""
    return Outline("doc", [Outline(w, [Outline(w[:i], []) for i in range(1, min(len(w), 4))]) for w in words[:8]])


@compile(examples=[["ab", "cde"], [], ["x"]])
def outline_lines(words: list[str]) -> str:
    """A generator method recursing through child objects (yield from child.lines(...))."""
    return "\n".join(outline_of(words).lines(0))


@compile(examples=[["ab", "cde"], [], ["hello", "w"]])
def outline_leaves(words: list[str]) -> tuple[int, str, str]:
    """A generator __iter__ that makes frames: list(doc), sum() over it, and next() with a default on a method's generator."""
    doc = Outline("doc", [outline_of(words)])
    leaves = list(doc)
    it = doc.leaves()
    return sum(len(t) for t in doc), "/".join(leaves), next(it, "-") + next(it, "-")


@compile(examples=[(["ab", "cde"], 2), (["ab", "cde"], 3), ([], 0), (["abcdef"], 5)])
def outline_checked(words: list[str], limit: int) -> str:
    """An exception raised two levels down a method's generator; the loop that left early frees the frames."""
    total = 0
    try:
        for n in outline_of(words).checked(limit):
            total += n
            if total > 40:
                break
    except ValueError as e:
        return f"{total}: {e}"
    return str(total)


class Counter:
    def __init__(self, n: int):
        self.n = n

    def __iter__(self) -> Iterator[int]:
        for i in range(self.n):
            yield i


class Squares(Counter):
    def __iter__(self) -> Iterator[int]:
        for i in range(self.n):
            yield i * i


def counted(c: Counter) -> int:
    return sum(x for x in c)


@compile(examples=[(4, True), (4, False), (0, True)])
def counters(n: int, squares: bool) -> int:
    """An overridden generator __iter__: the instance's own runs (the frames of the override derive from the base's)."""
    return counted(Squares(min(n, 30)) if squares else Counter(min(n, 30)))


@compile(examples=[["ab"], []])
def outline_of_none(words: list[str]) -> int:
    """A method's generator called on None: CPython's AttributeError."""
    doc: Optional[Outline] = outline_of(words) if words else None
    total = 0
    for line in doc.lines(0):
        total += len(line)
    return total


# ---- @compile generators read by compiled code (inlined where consumed), send() and throw() ----


@compile(examples=[0, 7, 20])
def evens_upto(n: int) -> Iterator[int]:
    i = 0
    while i < min(n, 50):
        yield i
        i += 2


@compile(examples=[0, 7, 20])
def evens_total(n: int) -> tuple[int, int, list[int]]:
    """A @compile generator consumed where it is made (a loop, sum(), list()): inlined as any generator, no frames."""
    total = 0
    for x in evens_upto(n):
        total += x
    return total, sum(x * x for x in evens_upto(n)), list(evens_upto(n))


@compile(examples=[0, 5])
def tally(limit: int) -> Iterator[int]:
    """x = yield v in a @compile generator: send(v) gives x, next() gives None."""
    total = 0
    while total < min(limit, 50):
        got = yield total
        total += 1 if got is None else got


@compile(examples=[(10, 3), (2, 5), (0, 1)])
def tally_sends(limit: int, step: int) -> list[int]:
    """send() to a @compile generator held in a local; StopIteration when it ends."""
    g = tally(limit)
    out: list[int] = []
    try:
        out.append(next(g))
        while len(out) < 20:
            out.append(g.send(max(step, 1)))
    except StopIteration:
        out.append(-1)
    return out


@compile(examples=[0, 1, 2, 3])
def tally_thrown(k: int) -> str:
    """throw(): the exception comes out of the generator (before its start too), which is then finished;
    a non-None value sent to a just-started generator is CPython's TypeError."""
    g = tally(10)
    if k == 3:
        g.send(1)
    if k > 0:
        next(g)
    if k > 1:
        g.send(4)
    try:
        g.throw(ValueError(f"stop at {k}"))
    except ValueError as e:
        return f"{e} / {next(g, -1)}"
    return "not raised"


class Meter:
    """A generator method resumed with send(): its frames (ir/generator_frames.ts) take the value."""

    def __init__(self, start: int):
        self.start = start

    def readings(self) -> Iterator[int]:
        total = self.start
        while True:
            got = yield total
            if got is None:
                return
            total += got


@compile(examples=[(1, 2, 0), (0, 5, 1), (3, 0, 2), (2, 2, 3)])
def meter_sends(start: int, step: int, k: int) -> str:
    """send() and close() on a generator method's frames; throw() raises out of them; send() before the start is a
    TypeError; after close() (or a next() that ends it) StopIteration."""
    g = Meter(max(min(start, 100), -100)).readings()
    step = max(min(step, 100), -100)
    try:
        if k == 1:
            g.send(step)
        out = [next(g), g.send(step), g.send(step * 2)]
        if k == 2:
            g.throw(KeyError("meter"))
        if k == 3:
            next(g)
        g.close()
        out.append(next(g, -1))
        g.send(1)
    except (TypeError, KeyError, StopIteration) as e:
        return f"{type(e).__name__}: {e}"
    return str(out)


@compile(examples=[0, 5, 70])
def tally_skips(limit: int) -> Iterator[int]:
    """`if got is None` narrows what send() gave (int | None) in a @compile generator's frames, past a continue too:
    its items are ints, so it is iterable across the boundary."""
    total = 0
    while total < min(limit, 50):
        got = yield total
        if got is None:
            total += 1
            continue
        if got is not None and got < 0:
            got = -got
        total += got
