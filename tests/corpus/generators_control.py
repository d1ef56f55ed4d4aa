"""Generators in control flow: tokenizers that yield strings, tree walks with an explicit stack and `yield from`,
early exits (break, return, for-else) through inlined generator bodies, generators stored in variables and
passed down a pipeline, and the builtins that consume them."""
from kiln import compile


def tokens(text):
    word = ""
    for c in text:
        if c.isalnum():
            word += c
        else:
            if word:
                yield word
            word = ""
            if not c.isspace():
                yield c
    if word:
        yield word


def numbers(text):
    for tok in tokens(text):
        if tok.isdigit():
            yield int(tok)


def preorder(children, root):
    """Nodes of a tree given as child lists, depth first, with an explicit stack."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        kids = children[node]
        for i in range(len(kids) - 1, -1, -1):
            stack.append(kids[i])


def leaves(children, root):
    for node in preorder(children, root):
        if not children[node]:
            yield node


def both_ends(xs):
    yield from xs[:2]
    yield from range(len(xs), len(xs) + 2)
    yield from reversed(xs[-2:])


def until_negative(xs):
    for x in xs:
        if x < 0:
            return x
        yield x


def grid(rows, cols):
    for r in range(rows):
        for c in range(cols):
            yield r * cols + c


def count(start, step=1):
    n = start
    while True:
        yield n
        n += step


def running_max(xs):
    best = None
    for x in xs:
        if best is None or x > best:
            best = x
        yield best


@compile(examples=["a = b+12 * (c - 3)", "", "x", "  hello,  world!  "])
def token_count(text: str) -> int:
    return sum(1 for _ in tokens(text))


@compile(examples=["a = b+12 * (c - 3)", "", "7 8 9"])
def token_list(text: str) -> str:
    return "|".join(list(tokens(text)))


@compile(examples=["a = b+12 * (c - 3)", "no digits", "1 22 333 x 4444"])
def digit_sum(text: str) -> int:
    return sum(numbers(text))


@compile(examples=["find the first long word here", "tiny", ""])
def first_long(text: str) -> str:
    for w in tokens(text):
        if len(w) > 4:
            return w
    return ""


@compile(examples=["alpha beta gamma", "a b", ""])
def longest_token(text: str) -> str:
    return max(tokens(text), key=len, default="")


@compile(examples=["to be or not to be", "x"])
def upper_join(text: str) -> str:
    return "-".join(t.upper() for t in tokens(text) if t.isalpha())


@compile(examples=[([[1, 2, 3], [4, 5], [], [6], [], [7, 8], [], [], []], 0), ([[1, 2, 3], [4, 5], [], [6], [], [7, 8], [], [], []], 5), ([[]], 0), ([[1], [0]], 0)])
def walk_order(children: list[list[int]], root: int) -> list[int]:
    order = []
    for k, node in enumerate(preorder(children, root)):
        if k >= 50:
            break
        order.append(node)
    return order


@compile(examples=[([[1, 2, 3], [4, 5], [], [6], [], [7, 8], [], [], []], 0), ([[1, 2, 3], [4, 5], [], [6], [], [7, 8], [], [], []], 1), ([[]], 0)])
def leaf_sum(children: list[list[int]], root: int) -> int:
    total = 0
    for node, _ in zip(leaves(children, root), range(50)):
        total = total * 10 + node
    return total


@compile(examples=[([1, 2, 3, 4],), ([5],), ([],)])
def ends(xs: list[int]) -> list[int]:
    return list(both_ends(xs))


@compile(examples=[([3, 1, 4, -1, 5],), ([2, 7],), ([-3],)])
def before_negative(xs: list[int]) -> int:
    total = 0
    for x in until_negative(xs):
        total += x
    else:
        total += 1000
    return total


@compile(examples=[(3, 4, 5), (0, 3, 1), (2, 2, 100)])
def grid_search(rows: int, cols: int, target: int) -> int:
    rows, cols = min(rows, 50), min(cols, 50)
    steps = 0
    for cell in grid(rows, cols):
        steps += 1
        if cell % 2 == 0:
            continue
        if cell == target:
            break
    else:
        steps = -steps
    return steps


@compile(examples=[(0, 3, 100), (5, -2, -20), (1, 1, 0)])
def count_until(start: int, step: int, limit: int) -> int:
    if step == 0:
        return 0
    seen = 0
    for x in count(start, step):
        if (step > 0 and x > limit) or (step < 0 and x < limit):
            break
        seen += 1
    return seen


@compile(examples=[(10,), (0,), (3,)])
def first_multiples(k: int) -> list[int]:
    k = min(max(k, 1), 1000)
    return [x for x, _ in zip(count(k, k), range(5))]


@compile(examples=[([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0],), ([],), ([-1.5],)])
def record_highs(xs: list[float]) -> int:
    changes = 0
    last = None
    for i, m in enumerate(running_max(xs)):
        if m != last:
            changes += i
        last = m
    return changes


@compile(examples=[([1, 2, 3, 4, 5, 6], 2), ([], 3), ([7, 7], 7)])
def stored_stream(xs: list[int], k: int) -> int:
    small = (x for x in xs if x <= k)
    big = until_negative(x - k for x in xs)
    return sum(small) * 1000 + max(big, default=-1)


@compile(examples=[(10,), (0,), (1,)])
def any_all(n: int) -> tuple[bool, bool, int]:
    found = any(x * x > n for x in count(0))
    ok = all(c < n * n for c in grid(n, n))
    first = min(c for c in grid(min(n, 20), 3) if c % 4 == 3) if n > 1 else -1
    return found, ok, first


def checked(words):
    for w in words:
        if not w:
            raise ValueError("empty field")
        yield w.strip()


@compile(examples=["a,b,,c", "x, y ,z", "", "solo"])
def strict_fields(text: str) -> int:
    parts = text.split(",")
    label = "n=" + str(len(parts))
    total = 0
    for w in checked(parts):
        total += len(w) * 10 + len(label)
    return total
