"""Instances, enum members and named tuples in dicts and sets: a grid of frozen-dataclass cells (BFS with a visited
set), user classes with __hash__ and __eq__ as keys (colliding hashes, del, KeyError with the key's repr), objects
keyed by identity, an unhashable dataclass (TypeError), hash() of instances, enums as keys, items and list items,
and collections.namedtuple / typing.NamedTuple records with _replace (None included), _asdict and _fields, == over
Optional[str] fields, and a NamedTuple chained through an Optional field of its own class (nested repr)."""
from collections import deque, namedtuple
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import NamedTuple, Optional

from kiln import compile


@dataclass(frozen=True)
class Cell:
    row: int
    col: int


@dataclass
class Mutable:
    x: int


class Word:
    """Case-insensitive key: equal when the lower-cased texts are, hashed by the length only (every key of one length collides)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: "Word") -> bool:
        return self.text.lower() == other.text.lower()

    def __hash__(self) -> int:
        return len(self.text) - 2

    def __repr__(self) -> str:
        return f"Word({self.text!r})"


class Node:
    def __init__(self, label: int) -> None:
        self.label = label


class Dir(Enum):
    N = "north"
    E = "east"
    S = "south"
    W = "west"


class Level(IntEnum):
    LOW = 1
    MID = 5
    HIGH = 9


Item = namedtuple("Item", "qty size")
Price = namedtuple("Price", ["amount", "currency", "rate"], defaults=["EUR", 1.0])


class Span(NamedTuple):
    start: int
    stop: int = 10


@compile(examples=[(4, 5), (1, 1), (0, 3)])
def grid_reachable(rows: int, cols: int) -> int:
    """Cells reachable from (0, 0) around a wall, by breadth-first search with a set of visited Cells."""
    rows, cols = min(rows, 12), min(cols, 12)
    wall = {Cell(r, 1) for r in range(rows - 1)}
    seen: set[Cell] = set()
    todo = deque([Cell(0, 0)])
    while todo:
        c = todo.popleft()
        if c in seen or c in wall or not (0 <= c.row < rows and 0 <= c.col < cols):
            continue
        seen.add(c)
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            todo.append(Cell(c.row + dr, c.col + dc))
    return len(seen) * 1000 + sum(c.row * cols + c.col for c in seen)


@compile(examples=[("Apple",), ("kiwi",), ("fig",)])
def word_counts(probe: str) -> str:
    """Words as case-insensitive keys: the first spelling stays the key, colliding hashes still compare by __eq__."""
    counts: dict[Word, int] = {}
    for t in ["apple", "Kiwi", "APPLE", "pear", "kiwi", "plum", "Pear"]:
        w = Word(t)
        counts[w] = counts.get(w, 0) + 1
    del counts[Word("PLUM")]
    keys = ",".join([f"{w.text}={n}" for w, n in counts.items()])
    return f"{keys} {Word(probe) in counts} {counts[Word(probe)]}"


@compile(examples=[(3,), (-1,), (1,)])
def hash_of_instances(n: int) -> str:
    """hash() calls __hash__ (-1 becomes -2); a frozen dataclass hashes as the tuple of its fields."""
    return f"{hash(Word('a' * (n + 2)))} {hash(Word('x'))} {hash(Cell(n, -n)) == hash((n, -n))} {hash(Span(n)) == hash((n, 10))}"


@compile(examples=[(5,), (0,)])
def identity_keys(n: int) -> int:
    """Instances without __eq__ and __hash__ are keys by identity: an equal-looking new instance is another key."""
    nodes = [Node(i) for i in range(min(n, 20))]
    depth: dict[Node, int] = {}
    for i, nd in enumerate(nodes):
        depth[nd] = i * i
    total = sum(depth[nd] for nd in nodes)
    if Node(0) in depth:
        total = -1
    members = set(nodes)
    members.add(nodes[0] if nodes else Node(0))
    return total * 100 + len(members)


@compile(examples=[(1,)])
def unhashable_dataclass(x: int) -> int:
    """A dataclass with eq and without frozen has __hash__ = None: TypeError: unhashable type: 'Mutable'."""
    s: set[Mutable] = set()
    s.add(Mutable(x))
    return len(s)


@compile(examples=[("east",), ("up",)])
def enum_keys(heading: str) -> str:
    """Enum members as dict keys, set items and in tuple keys with instances, Dir(value) lookups, a list of the
    members, KeyError with their repr."""
    turns = {Dir.N: Dir.E, Dir.E: Dir.S, Dir.S: Dir.W, Dir.W: Dir.N}
    visited: set[Dir] = set()
    d = Dir(heading)
    path: list[Dir] = []
    states: dict[tuple[Cell, Dir], int] = {}
    for i in range(6):
        visited.add(d)
        path.append(d)
        states[(Cell(i % 2, 0), d)] = i
        d = turns[d]
    order = [m for m in Dir]
    del turns[Dir.S]
    return f"{len(visited)} {'>'.join([p.name for p in path])} {len(states)} {order[3].value} {Dir.S in visited} {turns[d]}"


@compile(examples=[(5,), (3,), (0,)])
def level_counts(k: int) -> str:
    """IntEnum members as keys (hashed as their values: sets of them iterate as sets of ints) and in lists."""
    counts: dict[Level, int] = {}
    for i in range(min(k, 30) + 3):
        lv = Level(i % 3 * 4 + 1)
        counts[lv] = counts.get(lv, 0) + i
    s = {Level.HIGH, Level(k % 3 * 4 + 1)}
    levels = [Level.LOW, Level.HIGH]
    order = ",".join([str(v.value) for v in s])
    return f"{','.join([f'{lv.name}:{n}' for lv, n in counts.items()])} {order} {Level.MID in s} {Level.MID in levels} {hash(Level(k % 3 * 4 + 1))}"


@compile(examples=[(3, 4), (0, -2)])
def named_items(qty: int, extra: int) -> str:
    """collections.namedtuple: fields by name and index, _replace, _asdict, _fields, equality, hashing as tuples."""
    a = Item(qty, 8)
    b = a._replace(qty=qty + extra)
    d = b._asdict()
    stock = {a: 1, Item(qty, 8): 2, b: 3}
    n, size = b
    return f"{a} {b} {d['qty']} {','.join([k for k in d.keys()])} {'/'.join(Item._fields)} {a._fields[1]} {a == b} {len(stock)} {stock[a]} {n * size + a[1]}"


@compile(examples=[(2.5,), (0.0,)])
def priced(amount: float) -> str:
    """namedtuple defaults apply to the last fields; _replace of one field keeps the others."""
    p = Price(amount)
    q = Price(amount, "USD", 1.1)._replace(rate=0.9)
    return f"{p} {q} {p.currency}{q.currency} {p.amount * p.rate + q.amount * q.rate} {p[1]}"


@compile(examples=[(3,), (12,)])
def spans(start: int) -> str:
    """typing.NamedTuple with a default: _replace, _fields, as a set item and dict key."""
    s = Span(min(start, 1000))
    t = s._replace(stop=s.start + 2)
    seen = {s, t, Span(start, 10)}
    by_span = {t: "t", s: "s"}
    return f"{s} {t} {len(seen)} {by_span[Span(s.start)]} {'/'.join(Span._fields)} {t._asdict()['stop']} {s < t}"


@compile(examples=[(2,), (3,), (0,)])
def made(n: int) -> str:
    """NamedTuple._make and namedtuple._make from a list or a tuple; the wrong count is CPython's TypeError."""
    s = Span._make([n, n + 3])
    t = Item._make((n * 2, n * 2 + 1))
    xs = [k for k in range(min(max(n, 0), 5))]
    u = Span._make(xs)
    return f"{s} {t} {u} {u._replace(start=7)}"


class Entry(NamedTuple):
    key: int
    note: Optional[str] = None
    weight: float | None = None


@compile(examples=[(2,), (-1,)])
def replaced_with_none(n: int) -> str:
    """_replace gives a field None where its annotation names None; no field given keeps every one."""
    a = Entry(n, "first", 0.5)
    b = a._replace(note=None)
    c = b._replace(weight=2.0 if n > 0 else None, key=n % 7)
    return f"{a} {b} {c} {c._replace()} {b.note is None} {c.weight} {a == b} {b == Entry(n, None, 0.5)} {c != b} {a.note == b.note}"


class Chain(NamedTuple):
    val: int
    next: Optional["Chain"] = None


@compile(examples=[(3,), (1,), (0,)])
def chain_repr(n: int) -> str:
    """A NamedTuple whose field holds another (or None): its repr nests the next one's, as CPython's does."""
    head: Optional[Chain] = None
    for i in range(min(max(n, 0), 4)):
        head = Chain(i, head)
    tail = Chain(-1)
    return f"{head} {head!r} {str(head)} {repr(tail)} {Chain(7, tail)} {head == Chain(2, Chain(1, Chain(0)))} {head != None} {tail.next == None}"



class TagIndex:
    """Containers made empty in __init__ and filled by methods: typed by what the methods store, or by the annotation."""

    def __init__(self) -> None:
        self.by_tag = {}
        self.order = []
        self.banned: set[str] = set()
        self.counts: dict[str, int] = {}

    def add(self, item: int, tag: str) -> None:
        if tag in self.banned:
            return
        self.by_tag.setdefault(tag, set()).add(item)
        self.order.append(tag)

    def ban(self, tag: str) -> None:
        self.banned.add(tag)
        self.by_tag.pop(tag, None)


def _tag_pairs(k: int, seen: set[str], out: dict[str, int]) -> int:
    """A helper given `set()` and `{}` at the call: its annotations type them."""
    for i in range(k):
        tag = "t" + str(i % 3)
        out[tag] = out.get(tag, 0) + 1
        seen.add(tag)
    return len(seen) * 10 + len(out)


@compile(examples=[(7,), (0,), (12,)])
def tag_index(n: int) -> str:
    ix = TagIndex()
    for i in range(min(max(n, 0), 40)):
        ix.add(i, "ab"[i % 2] + str(i % 3))
        if i == 5:
            ix.ban("b2")
    return f"{sorted((t, str(sorted(v))) for t, v in ix.by_tag.items())} {ix.order[:6]} {ix.banned} {ix.counts} {_tag_pairs(n % 9, set(), {})}"
