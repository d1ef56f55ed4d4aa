"""Linked structures made of objects: a stack and a queue of nodes ending in None, a binary search tree, a doubly
linked ring (a reference cycle, freed when the call returns), an LRU-style move-to-front list, and a task
scheduler in the style of the Richards benchmark (tasks pointing at each other, packets passed between them)."""
from typing import Optional

from kiln import compile


class Node:
    def __init__(self, value: int, next: "Optional[Node]" = None):
        self.value = value
        self.next = next


class Stack:
    def __init__(self):
        self.top: Optional[Node] = None
        self.size = 0

    def push(self, v: int) -> None:
        self.top = Node(v, self.top)
        self.size += 1

    def pop(self) -> int:
        node = self.top
        if node is None:
            raise IndexError("pop from empty stack")
        self.top = node.next
        self.size -= 1
        return node.value

    def __len__(self) -> int:
        return self.size

    def pop_if(self, k: int) -> int:
        """node takes self.top's reference over in the branch that writes it, and counts its own after the branch."""
        node = self.top
        if node is None:
            raise IndexError("pop from empty stack")
        if k % 2 == 0:
            self.top = node.next
            self.size -= 1
            return node.value
        return -node.value


@compile(examples=[5, 0, 100])
def stack_sum(n: int) -> int:
    s = Stack()
    for i in range(n):
        s.push(i * i)
    total = 0
    while len(s) > 0:
        total += s.pop()
    return total


@compile(examples=[3, 0])
def stack_underflow(n: int) -> int:
    s = Stack()
    for i in range(n):
        s.push(i)
    t = 0
    for _ in range(n + 1):
        t += s.pop()
    return t


@compile(examples=[4, 0, 9])
def stack_pops(n: int) -> int:
    s = Stack()
    for i in range(min(n, 50)):
        s.push(i + 1)
    out = 0
    for k in range(min(n, 50) + 2):
        out = (out * 3 + s.pop_if(k)) % 1000003
    return out


class Queue:
    def __init__(self):
        self.head: Optional[Node] = None
        self.tail: Optional[Node] = None
        self.count = 0

    def put(self, v: int) -> None:
        node = Node(v)
        tail = self.tail
        if tail is None:
            self.head = node
        else:
            tail.next = node
        self.tail = node
        self.count += 1

    def get(self) -> int:
        head = self.head
        if head is None:
            raise IndexError("get from an empty queue")
        self.head = head.next
        if self.head is None:
            self.tail = None
        self.count -= 1
        return head.value


@compile(examples=[(7, 3), (1, 1), (10, 0)])
def josephus(n: int, k: int) -> int:
    q = Queue()
    for i in range(1, n + 1):
        q.put(i)
    last = 0
    while q.count > 0:
        for _ in range(k - 1):
            q.put(q.get())
        last = q.get()
    return last


def build(n: int) -> Optional[Node]:
    head = None
    for i in range(n):
        head = Node(i, head)
    return head


def reverse(head: Optional[Node]) -> Optional[Node]:
    prev = None
    node = head
    while node is not None:
        nxt = node.next
        node.next = prev
        prev = node
        node = nxt
    return prev


@compile(examples=[4, 0, 1, 50])
def reversed_digits(n: int) -> int:
    head = reverse(build(n))
    out = 0
    node = head
    while node is not None:
        out = out * 3 + node.value % 3
        node = node.next
    return out


def append_node(head: Optional[Node], last: Node) -> Optional[Node]:
    """p walks the chain without counting references (opt/lifetimes.ts borrowedLocals); None.next raises."""
    p = head
    while p.next is not None:
        p = p.next
    p.next = last
    return head


@compile(examples=[3, 0, 1])
def appended(n: int) -> int:
    node = append_node(build(min(n, 50)), Node(7))
    out = 0
    while node is not None:
        out = out * 10 + node.value
        node = node.next
    return out


class Inbox:
    def __init__(self, head: Optional[Node]):
        self.head = head

    def pop(self) -> int:
        """n takes self.head's reference over (opt/lifetimes.ts takeovers); an assert between gives it its own."""
        n = self.head
        assert n is not None, "empty inbox"
        assert n.value < 4, "too big"
        self.head = n.next
        return n.value


@compile(examples=[3, 0, 6, 2])
def drained(n: int) -> int:
    box = Inbox(build(min(n, 50)))
    out = 0
    for _ in range(3):
        out = out * 10 + box.pop()
    return out


class Holder:
    def __init__(self, item: Node):
        self.item = item

    def replace(self, old: Node) -> int:
        """Drops what self.item held while the caller passes it as old: that read keeps its own reference."""
        self.item = Node(old.value + 1)
        return old.value * 10 + self.item.value


def chain_length(n: Optional[Node]) -> int:
    k = 0
    while n is not None:
        k += 1
        n = n.next
    return k


@compile(examples=[3, 0, 7])
def held_items(n: int) -> int:
    """h.item passed to a function that assigns no field `item` is read without a count (borrowedArgs)."""
    h = Holder(Node(min(n, 50), build(min(n, 50))))
    total = chain_length(h.item)
    for _ in range(2):
        total = total * 1000 + h.replace(h.item)
    return total


class Tree:
    def __init__(self, key: int):
        self.key = key
        self.left: Optional[Tree] = None
        self.right: Optional[Tree] = None
        self.count = 1


def insert(t: Optional[Tree], key: int) -> Tree:
    if t is None:
        return Tree(key)
    if key == t.key:
        t.count += 1
    elif key < t.key:
        t.left = insert(t.left, key)
    else:
        t.right = insert(t.right, key)
    return t


def height(t: Optional[Tree]) -> int:
    if t is None:
        return 0
    return 1 + max(height(t.left), height(t.right))


def inorder(t: Optional[Tree], out: list[int]) -> None:
    if t is None:
        return
    inorder(t.left, out)
    for _ in range(t.count):
        out.append(t.key)
    inorder(t.right, out)


@compile(examples=[[5, 3, 8, 1, 4, 7, 9, 3], [], [1, 2, 3, 4]])
def tree_sort(xs: list[int]) -> list[int]:
    root = None
    for x in xs:
        root = insert(root, x)
    out: list[int] = []
    inorder(root, out)
    return out


@compile(examples=[[5, 3, 8, 1, 4, 7, 9, 3], [], [1, 2, 3, 4, 5, 6]])
def tree_height(xs: list[int]) -> int:
    root = None
    for x in xs:
        root = insert(root, x)
    return height(root)


class DNode:
    def __init__(self, v: int):
        self.v = v
        self.prev: Optional[DNode] = None
        self.next: Optional[DNode] = None


@compile(examples=[10, 1, 0])
def ring_walk(n: int) -> int:
    if n == 0:
        return 0
    first = DNode(0)
    last = first
    for i in range(1, n):
        d = DNode(i)
        d.prev = last
        last.next = d
        last = d
    last.next = first
    first.prev = last
    t = 0
    node = first
    for _ in range(2 * n + 1):
        t = t * 7 % 1000003 + node.v
        p = node.prev
        if p is None:
            break
        node = p
    return t


@compile(examples=[1, 3])
def missing_link(n: int) -> int:
    d = DNode(n)
    if n > 2:
        d.weight = n * 2
    return d.v + d.weight


class Slot:
    def __init__(self, value: int):
        self.value = value


class Shelf:
    def __init__(self, n: int):
        self.slots = [Slot(k) for k in range(n)]

    def at(self, i: int) -> Slot:
        return self.slots[i]

    def taken(self) -> Slot:
        """The finally takes the item out after the return read it: the caller's is then its only reference."""
        try:
            return self.slots[0]
        finally:
            self.slots.pop(0)


def shelf_read(s: Shelf, k: int) -> int:
    """s.at(k) returns an item of a list nothing here can change: t and u hold no count (heldResults)."""
    t = s.at(k)
    u = s.at(0)
    return t.value * 100 + u.value


def shelf_taken(s: Shelf) -> int:
    """s.taken()'s finally takes the item out of the list: u keeps the reference the call returns."""
    u = s.taken()
    return u.value


def shelf_pop(s: Shelf) -> int:
    """The item is taken out of the list before t's last use: t counts its reference."""
    t = s.at(0)
    s.slots.pop(0)
    return t.value * 100 + (shelf_taken(s) if len(s.slots) > 0 else 0)


@compile(examples=[3, 1, 6])
def shelf_items(n: int) -> int:
    s = Shelf(min(n, 50))
    total = shelf_read(s, len(s.slots) - 1)
    while len(s.slots) > 0:
        total = total * 7 + shelf_pop(s)
    return total


class Packet:
    def __init__(self, link: "Optional[Packet]", ident: int, kind: int):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0


class Task:
    def __init__(self, ident: int, priority: int, work: "Optional[Packet]"):
        self.ident = ident
        self.priority = priority
        self.work = work
        self.next: Optional[Task] = None
        self.handled = 0

    def enqueue(self, p: Packet) -> None:
        p.link = None
        w = self.work
        if w is None:
            self.work = p
            return
        while w.link is not None:
            nxt = w.link
            if nxt is None:
                break
            w = nxt
        w.link = p

    def take(self) -> Optional[Packet]:
        w = self.work
        if w is not None:
            self.work = w.link
        return w

    def run(self) -> int:
        raise NotImplementedError("Task.run is abstract")


class Scheduler:
    def __init__(self):
        self.tasks: Optional[Task] = None
        self.count = 0

    def add(self, t: Task) -> None:
        t.next = self.tasks
        self.tasks = t
        self.count += 1

    def find(self, ident: int) -> Task:
        t = self.tasks
        while t is not None:
            if t.ident == ident:
                return t
            t = t.next
        raise KeyError(f"no task {ident}")

    def schedule(self, rounds: int) -> int:
        checksum = 0
        for r in range(rounds):
            t = self.tasks
            while t is not None:
                p = t.take()
                if p is not None:
                    t.handled += 1
                    p.datum += t.priority
                    checksum = (checksum * 31 + p.datum + p.ident) % 1000000007
                    dest = self.find((t.ident + p.kind) % self.count)
                    dest.enqueue(p)
                t = t.next
        return checksum


@compile(examples=[(4, 10), (1, 1), (6, 25)])
def richards(ntasks: int, rounds: int) -> int:
    s = Scheduler()
    for i in range(ntasks):
        work = None
        for k in range(3):
            work = Packet(work, i * 3 + k, k + 1)
        s.add(Task(i, i + 1, work))
    checksum = s.schedule(rounds)
    t = s.tasks
    while t is not None:
        checksum += t.handled * (t.ident + 1)
        t = t.next
    return checksum


@compile(examples=[2])
def lookup_missing(n: int) -> int:
    s = Scheduler()
    s.add(Task(0, 1, None))
    return s.find(n).priority


@compile(examples=[1])
def abstract_run(n: int) -> int:
    t = Task(n, 1, None)
    return t.run()


class Leaf:
    def __init__(self, v: int):
        self.v = v


class Pair:
    def __init__(self, leaf: Leaf):
        self.leaf = leaf


class Keeper:
    def __init__(self):
        self.pair: Optional[Pair] = None

    def take(self, p: Pair, leaf: Leaf) -> int:
        """Takes the caller's reference to p (consumedParams) and drops it: leaf must be kept alive by the caller."""
        self.pair = p
        self.pair = None
        leaf.v += 1
        return leaf.v

    def keep(self, p: Pair, k: int) -> int:
        """Consumes p: stored at its last use, or dropped where the error leaves first."""
        if k > 2:
            raise IndexError("keeper full")
        self.pair = p
        return k


def pass_pair(k: Keeper, p: Pair) -> int:
    """p.leaf, read out of p, goes to take with p: p is not given over (take could free it before reading leaf)."""
    return k.take(p, p.leaf)


@compile(examples=[3, 0, 5])
def kept_pairs(n: int) -> int:
    k = Keeper()
    total = pass_pair(k, Pair(Leaf(n)))
    for i in range(min(n, 50)):
        total += k.keep(Pair(Leaf(i)), i)
    return total
