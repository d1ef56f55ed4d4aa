"""Lambdas, nested functions and closures: factories, counters with nonlocal, composition, recursion in a
nested def, and loops that make closures over their variables."""
from kiln import compile


def make_adder(k):
    return lambda x: x + k


def make_affine(a, b):
    def f(x):
        return a * x + b
    return f


def compose(f, g):
    return lambda x: f(g(x))


def make_counter(start=0):
    count = start

    def step(by=1):
        nonlocal count
        count += by
        return count
    return step


def make_ema(alpha):
    state = 0.0
    seen = False

    def update(x):
        nonlocal state, seen
        if not seen:
            state = x
            seen = True
        else:
            state = alpha * x + (1.0 - alpha) * state
        return state
    return update


@compile
def adders(x: int) -> int:
    add3 = make_adder(3)
    add10 = make_adder(10)
    return add3(x) * 100 + add10(add3(x))


@compile
def affine_chain(x: float) -> float:
    f = make_affine(2.0, 1.0)
    g = make_affine(0.5, -3.0)
    h = compose(f, g)
    return h(x) + compose(g, f)(x)


@compile
def counters(n: int) -> int:
    c = make_counter()
    d = make_counter(100)
    for i in range(n):
        c()
        if i % 2 == 0:
            d(2)
    return c(0) * 1000 + d(0)


@compile
def smoothing(xs: list[float]) -> float:
    ema = make_ema(0.25)
    last = 0.0
    for x in xs:
        last = ema(x)
    return last


@compile
def local_lambda(a: float, b: float) -> float:
    area = lambda w, h: w * h
    perimeter = lambda w, h=1.0: 2.0 * (w + h)
    return area(a, b) + perimeter(a) + perimeter(a, b) + (lambda: a - b)()


@compile
def nested_reads_enclosing(xs: list[float], scale: float) -> float:
    offset = scale / 2.0

    def transform(v):
        return v * scale + offset

    total = 0.0
    for x in xs:
        total += transform(x)
    return total


@compile
def nonlocal_accumulator(xs: list[int]) -> int:
    total = 0
    evens = 0

    def visit(v):
        nonlocal total, evens
        total += v
        if v % 2 == 0:
            evens += 1

    for x in xs:
        visit(x)
    return total * 1000 + evens


@compile
def nested_recursion(n: int) -> int:
    memo_hits = 0

    def fib(k):
        nonlocal memo_hits
        memo_hits += 1
        return k if k < 2 else fib(k - 1) + fib(k - 2)

    return fib(n) * 1000 + memo_hits % 1000


@compile
def loop_closures(n: int) -> int:
    # Each lambda reads the loop variable when it is called (late binding), as in Python.
    total = 0
    for i in range(n):
        f = lambda x: x * i + 1
        total += f(i)
    return total


@compile
def default_capture(n: int) -> int:
    # The default captures the value when the lambda is made: a classic way to freeze a loop variable.
    total = 0
    g = lambda x, k=n: x + k
    for i in range(n):
        total += g(i)
    return total


@compile
def three_levels(x: float) -> float:
    a = x + 1.0

    def middle(y):
        b = y * 2.0

        def inner(z):
            return a + b + z

        return inner(y) + inner(1.0)

    return middle(x) + middle(a)


@compile
def closure_in_comprehension(xs: list[int], k: int) -> list[int]:
    shift = lambda v: v + k
    return [shift(x) * 2 for x in xs if shift(x) > 0]


@compile
def choose_function(flag: bool, x: float) -> float:
    # The function varies at run time: one indirect call through the funcset's table.
    f = (lambda v: v * v) if flag else (lambda v: -v)
    return f(x) + f(x + 1.0)


@compile(examples=[0, 1, 2, 5, -1, 3])
def counter_factory_escapes(n: int) -> int:
    step = make_counter(n)
    step()
    step(10)
    other = make_counter()
    other()
    return step() * 100 + other()


# Containers that start empty and are filled only by a helper or a closure: the item types are learnt from the
# callee's stores (a DFS that records its finishing order, a tally kept by a nested function).

def _finish_order(adj: list[list[int]], u: int, seen: set[int], order: list[int]) -> None:
    seen.add(u)
    for v in adj[u]:
        if v not in seen:
            _finish_order(adj, v, seen, order)
    order.append(u)


@compile
def topological_order(n: int) -> list[int]:
    adj = [[(i * 7 + k) % n for k in range(2) if (i * 7 + k) % n > i] for i in range(n)]
    seen = set()
    order = []
    for u in range(n):
        if u not in seen:
            _finish_order(adj, u, seen, order)
    order.reverse()
    return order


@compile
def busiest_word_length(text: str) -> int:
    tally = {}

    def bump(word: str) -> None:
        tally[len(word)] = tally.get(len(word), 0) + 1

    for word in text.split():
        bump(word)
    best = 0
    for length in tally:
        best = max(best, length * tally[length])
    return best


def _flatten_into(rows: list[list[float]], out):
    for row in rows:
        for v in row:
            out.append(v)


@compile
def flattened_total(n: int) -> float:
    grid = [[i * 0.5 + j for j in range(3)] for i in range(n)]
    out = []
    _flatten_into(grid, out)
    return sum(out) if out else 0.0


@compile
def multiples_kept(xs: list[int], n: int) -> int:
    kept = []

    def keep(v):
        if v % 2 == 0:
            kept.append(v * 3)

    for i in range(n):
        keep(i)
    return sum(kept) + len(xs)


@compile
def distinct_seen(xs: list[int]) -> int:
    seen = set()

    def visit(v: int) -> None:
        seen.add(v % 7)

    for x in xs:
        visit(x)
    return len(seen) * 10 + (3 in seen)


@compile(examples=[(4,), (6,), (1,), (0,)])
def queens_sets(n: int) -> int:
    """A nested def whose set parameters are annotated: the set() given at the first call takes set[int]."""
    size = max(0, min(n, 7))

    def place(row: int, cols: set[int], diag: set[int], anti: set[int]) -> int:
        if row == size:
            return 1
        total = 0
        for c in range(size):
            if c in cols or row - c in diag or row + c in anti:
                continue
            total += place(row + 1, cols | {c}, diag | {row - c}, anti | {row + c})
        return total

    return place(0, set(), set(), set())
