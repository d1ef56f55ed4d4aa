"""Classes that act like Python's own containers and iterators: a range-like span with its own iterator class, a
countdown and a Fibonacci iterator (one endless, stopped by a break), a singly linked list whose __iter__ is a
generator, a queue and a bag whose truth is their length, callable accumulators and money that refuses to add
other currencies. Errors raised by the protocol methods (IndexError, ValueError, TypeError, NotImplementedError,
AttributeError) reach the caller as CPython's. Abstract shapes (abc.ABC with @abstractmethod) dispatch to their
overrides, and making a class that still has abstract methods raises CPython's TypeError naming them."""
import abc
from abc import ABC, ABCMeta, abstractmethod
from typing import Optional

from kiln import compile


def show(xs: list[int]) -> str:
    return "[" + ", ".join([str(x) for x in xs]) + "]"


class SpanIter:
    def __init__(self, start: int, stop: int, step: int):
        self.cur = start
        self.stop = stop
        self.step = step

    def __iter__(self) -> "SpanIter":
        return self

    def __next__(self) -> int:
        if (self.step > 0 and self.cur >= self.stop) or (self.step < 0 and self.cur <= self.stop):
            raise StopIteration
        v = self.cur
        self.cur += self.step
        return v


class Span:
    """range() written by hand: len, indexing (negative too), membership and iteration."""

    def __init__(self, start: int, stop: int, step: int = 1):
        if step == 0:
            raise ValueError("Span() arg 3 must not be zero")
        self.start = start
        self.stop = stop
        self.step = step

    def __len__(self) -> int:
        if self.step > 0:
            n = (self.stop - self.start + self.step - 1) // self.step
        else:
            n = (self.start - self.stop - self.step - 1) // -self.step
        return max(n, 0)

    def __getitem__(self, i: int) -> int:
        n = len(self)
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError("Span index out of range")
        return self.start + i * self.step

    def __contains__(self, v: int) -> bool:
        if self.step > 0 and not (self.start <= v < self.stop):
            return False
        if self.step < 0 and not (self.stop < v <= self.start):
            return False
        return (v - self.start) % self.step == 0

    def __iter__(self) -> SpanIter:
        return SpanIter(self.start, self.stop, self.step)


@compile(examples=[(0, 10, 3), (10, 0, -4), (5, 5, 1), (2, 9, 0)])
def span_summary(start: int, stop: int, step: int) -> str:
    stop = max(min(stop, start + 300), start - 300)  # a span CPython can list in a moment
    s = Span(start, stop, step)
    items = [v for v in s]
    last = s[-1] if s else -1
    return f"{len(s)} {sum(s)} {show(items)} {last} {4 in s} {start in s} {stop in s} {list(s) == items}"


@compile(examples=[(0, 10, 3, 2), (0, 10, 3, 7), (0, 10, 3, -5)])
def span_index(start: int, stop: int, step: int, i: int) -> int:
    return Span(start, stop, step)[i]


class Countdown:
    def __init__(self, n: int):
        self.n = n

    def __iter__(self) -> "Countdown":
        return self

    def __next__(self) -> int:
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1


@compile(examples=[5, 0, 1])
def countdown_stats(n: int) -> str:
    c = Countdown(n)
    first = []
    for v in c:
        first.append(v)
        if v <= n // 2 + 1:
            break
    else:
        first.append(0)
    rest = list(c)  # the same iterator goes on where the loop left it
    return f"{show(first)} {show(rest)} {show(sorted(Countdown(n)))} {max(Countdown(n + 1))} {show([v * v for v in Countdown(n) if v % 2])}"


class Fib:
    """The Fibonacci numbers, endlessly."""

    def __init__(self):
        self.a = 0
        self.b = 1

    def __iter__(self) -> "Fib":
        return self

    def __next__(self) -> int:
        v = self.a
        self.a, self.b = self.b, self.a + self.b
        return v


@compile(examples=[100, 1, 0, 10**15])
def fib_below(limit: int) -> str:
    count = 0
    total = 0
    for f in Fib():
        if f >= limit:
            break
        count += 1
        total += f
    else:
        count = -1
    return f"{count} {total}"


class Readings:
    """An iterator over sensor readings that refuses a negative one halfway through."""

    def __init__(self, values: list[float]):
        self.values = values
        self.i = 0

    def __iter__(self) -> "Readings":
        return self

    def __next__(self) -> float:
        if self.i >= len(self.values):
            raise StopIteration
        v = self.values[self.i]
        self.i += 1
        if v < 0.0:
            raise ValueError(f"negative reading {v} at {self.i - 1}")
        return v


@compile(examples=[[1.5, 2.5, 3.0], [], [1.0, -2.0, 3.0]])
def mean_reading(values: list[float]) -> float:
    total = 0.0
    n = 0
    for v in Readings(values):
        total += v
        n += 1
    return total / n if n else 0.0


class Cell:
    def __init__(self, value: int, next: "Optional[Cell]" = None):
        self.value = value
        self.next = next


class LinkedList:
    def __init__(self):
        self.head: Optional[Cell] = None
        self.size = 0

    def push(self, v: int) -> None:
        self.head = Cell(v, self.head)
        self.size += 1

    def __iter__(self):
        node = self.head
        while node is not None:
            yield node.value
            node = node.next

    def __len__(self) -> int:
        return self.size

    def __contains__(self, v: int) -> bool:
        for x in self:
            if x == v:
                return True
        return False

    def __getitem__(self, i: int) -> int:
        if i < 0:
            i += self.size
        for k, x in enumerate(self):
            if k == i:
                return x
        raise IndexError("LinkedList index out of range")

    def total(self) -> int:
        return sum(self)


@compile(examples=[5, 0, 1])
def linked_list_ops(n: int) -> str:
    xs = LinkedList()
    for i in range(n):
        xs.push(i * i)
    evens = [x for x in xs if x % 2 == 0]
    state = "full" if xs else "empty"
    return f"{state} {len(xs)} {xs.total()} {show(evens)} {4 in xs} {5 in xs} {xs[0] if xs else -1} {show(list(xs))}"


@compile(examples=[(3, 1), (3, -1), (3, 3), (0, 0)])
def linked_list_at(n: int, i: int) -> int:
    xs = LinkedList()
    for k in range(n):
        xs.push(k + 10)
    return xs[i]


class Queue:
    def __init__(self):
        self.items: list[int] = []
        self.start = 0

    def put(self, v: int) -> None:
        self.items.append(v)

    def get(self) -> int:
        if self.start >= len(self.items):
            raise IndexError("get from an empty queue")
        v = self.items[self.start]
        self.start += 1
        return v

    def __len__(self) -> int:
        return len(self.items) - self.start


@compile(examples=[10, 1, 0])
def collatz_queue(n: int) -> str:
    """Breadth-first over the Collatz tree from n, up to 20 numbers, with `while q:` through __len__."""
    q = Queue()
    q.put(n)
    seen = []
    while q and len(seen) < 20:
        v = q.get()
        seen.append(v)
        if v > 1:
            q.put(v // 2 if v % 2 == 0 else 3 * v + 1)
        if v % 6 == 4 and v > 4:
            q.put((v - 1) // 3)
    return f"{show(seen)} {bool(q)} {not q}"


class Tally:
    """A callable accumulator: tally(x) adds x and returns the running total."""

    def __init__(self, start: float):
        self.total = start
        self.calls = 0

    def __call__(self, x: float) -> float:
        self.calls += 1
        self.total += x
        return self.total

    def mean(self) -> float:
        if self.calls == 0:
            raise ZeroDivisionError("no values tallied")
        return self.total / self.calls


@compile(examples=[(3, 0.5), (0, 1.0)])
def tally_mean(n: int, step: float) -> float:
    t = Tally(0.0)
    for i in range(n):
        t(i * step)
    return t.mean()


class Money:
    def __init__(self, cents: int, currency: str):
        self.cents = cents
        self.currency = currency

    def __add__(self, o: "Money") -> "Money":
        if o.currency != self.currency:
            raise TypeError(f"cannot add {o.currency} to {self.currency}")
        return Money(self.cents + o.cents, self.currency)

    def __eq__(self, o: "Money") -> bool:
        return self.cents == o.cents and self.currency == o.currency

    def __lt__(self, o: "Money") -> bool:
        if o.currency != self.currency:
            raise TypeError(f"cannot compare {self.currency} with {o.currency}")
        return self.cents < o.cents

    def __bool__(self) -> bool:
        return self.cents != 0

    def __repr__(self) -> str:
        return f"{self.cents // 100}.{self.cents % 100:02d} {self.currency}"


@compile(examples=[(150, 275, "EUR"), (0, 0, "USD"), (100, 5, "GBP")])
def money_sum(a: int, b: int, currency: str) -> str:
    x = Money(a, currency)
    y = Money(b, "EUR")
    z = x + y
    return f"{z!r} {x < y} {z == Money(a + b, 'EUR')} {bool(Money(a - b, currency))}"


class Shape:
    def area(self) -> float:
        raise NotImplementedError("area")

    def describe(self) -> str:
        return f"{self.name()} of area {self.area():.3f}"

    def name(self) -> str:
        return "shape"


class Rect(Shape):
    def __init__(self, w: float, h: float):
        self.w = w
        self.h = h

    def area(self) -> float:
        return self.w * self.h

    def name(self) -> str:
        return "rect"


class Blob(Shape):
    def __init__(self, r: float):
        self.r = r


@compile(examples=[(2.0, 3.0, 0), (2.0, 3.0, 1)])
def describe_shape(w: float, h: float, kind: int) -> str:
    s: Shape = Rect(w, h) if kind == 0 else Blob(w)
    return s.describe()


class Lazy:
    """A value computed on first use and cached in a field that does not exist before."""

    def __init__(self, n: int):
        self.n = n

    def compute(self) -> None:
        self.cached = self.n * (self.n + 1) // 2

    def get(self) -> int:
        return self.cached


@compile(examples=[(4, True), (4, False)])
def lazy_value(n: int, ready: bool) -> int:
    v = Lazy(n)
    if ready:
        v.compute()
    return v.get()


class Figure(ABC):
    """An abstract base with two abstract methods and a concrete one that calls them."""

    def __init__(self, name: str):
        self.name = name

    @abstractmethod
    def perimeter(self) -> float:
        ...

    @abstractmethod
    def area(self) -> float:
        ...

    def describe(self) -> str:
        return f"{self.name}: area={self.area():.2f} perimeter={self.perimeter():.2f}"


class Circle(Figure):
    def __init__(self, r: float):
        super().__init__("circle")
        self.r = r

    def area(self) -> float:
        return 3.14159 * self.r * self.r

    def perimeter(self) -> float:
        return 2 * 3.14159 * self.r


class Square(Figure):
    def __init__(self, side: float):
        super().__init__("square")
        self.side = side

    def area(self) -> float:
        return self.side * self.side

    def perimeter(self) -> float:
        return 4 * self.side


class Sketch(Figure):
    """Overrides one of the two: still abstract."""

    def __init__(self) -> None:
        super().__init__("sketch")

    def area(self) -> float:
        return 0.0


@compile(examples=[(1.0, 2.0), (0.5, 3.0), (0.0, 0.0)])
def figures_report(r: float, side: float) -> str:
    figures: list[Figure] = [Circle(r), Square(side), Circle(side)]
    largest = max([f.area() for f in figures])
    return "; ".join([f.describe() for f in figures]) + f" largest={largest:.3f}"


@compile(examples=[(0,), (1,), (2,)])
def make_figure(kind: int) -> str:
    """Figure itself (two abstract methods), Sketch (one left) or a Square."""
    if kind == 0:
        f: Figure = Figure("bare")
    elif kind == 1:
        f = Sketch()
    else:
        f = Square(2.0)
    return f.describe()


class Codec(metaclass=ABCMeta):
    """metaclass=ABCMeta, abc.abstractmethod, and a subclass that leaves decode abstract."""

    @abc.abstractmethod
    def encode(self, s: str) -> str:
        ...

    @abc.abstractmethod
    def decode(self, s: str) -> str:
        ...


class Reverse(Codec):
    def encode(self, s: str) -> str:
        return s[::-1]

    def decode(self, s: str) -> str:
        return s[::-1]


class HalfCodec(Codec):
    def encode(self, s: str) -> str:
        return s.upper()


@compile(examples=[("kiln", True), ("kiln", False)])
def codec_round_trip(s: str, complete: bool) -> str:
    c: Codec = Reverse() if complete else HalfCodec()
    return c.decode(c.encode(s))


class Plain:
    """@abstractmethod without ABCMeta marks nothing: the class is made and its method runs."""

    @abstractmethod
    def value(self) -> int:
        return 7


@compile(examples=[(3,)])
def plain_abstract(n: int) -> int:
    return Plain().value() * n
