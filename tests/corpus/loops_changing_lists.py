"""Loops over a list that their body makes longer or shorter (issues 14/16): CPython's list iterator reads the
length at every step, so items appended while the loop runs are visited (a worklist, a BFS over the list it
fills) and removed ones end it early (the classic skip of `for x in xs: del xs[xs.index(x)]`), directly, through an
alias, a helper, a method or a comprehension; range(len(xs)) reads the length once, so xs[i] past a shrunk end
raises IndexError. Each runs as CPython's does, where Kiln used to refuse it."""
from itertools import cycle, repeat

from kiln import compile


@compile(examples=[(6, [0, 0, 1, 2, 4], [1, 2, 3, 3, 5], 0), (4, [0, 1], [1, 0], 3), (1, [], [], 0), (5, [3, 3], [1, 4], 3)])
def bfs_order(n: int, us: list[int], vs: list[int], start: int) -> list[int]:
    # A breadth-first search whose queue is the list the loop iterates: each node found is appended to it.
    if n <= 0:
        return []
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(us, vs):
        adj[a % n].append(b % n)
        adj[b % n].append(a % n)
    order = [start % n]
    seen = {start % n}
    for u in order:
        for v in adj[u]:
            if v not in seen:
                seen.add(v)
                order.append(v)
    return order


@compile(examples=[([12, 5, 7],), ([],), ([1, 64],), ([-3, 0, 9],)])
def collatz_worklist(seeds: list[int]) -> list[int]:
    # A worklist: each value appends its successor until it reaches 1 (bounded by a step cap).
    work = [s for s in seeds if 0 < s < 1000]
    for x in work:
        if x != 1 and len(work) < 200:
            work.append(x // 2 if x % 2 == 0 else 3 * x + 1)
    return work


@compile(examples=[([1, 2, 3, 4, 5, 6],), ([],), ([7],), ([2, 4, 6, 8],)])
def remove_while_iterating(xs: list[int]) -> list[int]:
    # The classic bug, with CPython's exact result: deleting the current item shifts the next one under the index,
    # so it is skipped.
    for x in xs:
        if x % 2 == 0:
            del xs[xs.index(x)]
    return xs


@compile(examples=[([1, 2, 3, 4, 5, 6],), ([],), ([9],), ([3, 6, 9, 12, 15],)])
def pop_while_iterating(tasks: list[int]) -> list[int]:
    # Each task done may drop the last pending one: the loop ends where the shrinking list does; the else clause runs.
    done = []
    for t in tasks:
        done.append(t)
        if t % 3 != 1 and tasks:
            tasks.pop()
    else:
        done.append(-len(tasks))
    return done


@compile(examples=[([1, 2, 3, 4],), ([],), ([5],)])
def pop_in_comprehension(xs: list[int]) -> list[int]:
    # [xs.pop() for _ in xs]: the comprehension's loop meets the shrinking end halfway.
    return [xs.pop() for _ in xs]


def schedule(queue: list[int], job: int) -> None:
    if job > 1:
        queue.append(job // 2)
        queue.append(job - job // 2 - 1)


@compile(examples=[([5, 3],), ([],), ([1, 0, 8],)])
def grow_through_helper(jobs: list[int]) -> int:
    # A helper appends follow-up jobs to the queue the loop runs.
    queue = [j % 64 for j in jobs]
    total = 0
    for j in queue:
        total = total * 3 + j
        schedule(queue, j)
    return total + len(queue)


@compile(examples=[(["a", "bb", "ccc"],), ([],), (["", "xyz"],)])
def grow_through_alias(words: list[str]) -> list[str]:
    # `pending` is the same list as `words`: appending through it is seen by the loop over `words`.
    pending = words
    seen = 0
    for w in words:
        seen += 1
        if len(w) > 1 and seen < 50:
            pending.append(w[1:])
    return words


class Inbox:
    def __init__(self) -> None:
        self.messages: list[int] = []

    def post(self, m: int) -> None:
        self.messages.append(m)

    def drop_last(self) -> None:
        self.messages.pop()


@compile(examples=[([3, 10, 4],), ([],), ([0, 1],)])
def grow_through_method(first: list[int]) -> list[int]:
    # A method changes the list a field holds while a loop iterates that field.
    inbox = Inbox()
    for m in first:
        inbox.post(m % 20)
    for m in inbox.messages:
        if m >= 10:
            inbox.post(m - 10)
        elif m == 0 and inbox.messages:
            inbox.drop_last()
    return inbox.messages


@compile(examples=[([1, 2, 3, 4, 5],), ([],), ([8, 1],)])
def enumerate_growing(xs: list[int]) -> list[int]:
    # enumerate() over a growing list numbers the appended items too; break leaves it before the else clause.
    out = []
    for i, x in enumerate(xs):
        out.append(i * 100 + x)
        if x > 2:
            xs.append(x // 2)
        if i > 30:
            break
    else:
        out.append(-1)
    return out


@compile(examples=[([1, 2, 3, 4, 5, 6], [7, 8, 9]), ([], [1]), ([5], []), ([2, 2, 2], [1, 3])])
def zip_changing(xs: list[int], ys: list[int]) -> list[int]:
    # zip() over two lists, one growing and the other shrinking: each is asked for its next item as CPython asks it.
    out = []
    for x, y in zip(xs, ys):
        out.append(x * 10 + y)
        if x % 2 == 0 and len(ys) < 20:
            ys.append(x + y)
        elif xs:
            xs.pop()
    else:
        out.append(len(xs) * 100 + len(ys))
    return out


@compile(examples=[([1, 2, 3, 4, 5, 6],), ([],), ([4],), ([2, 1],)])
def reversed_shrinking(xs: list[int]) -> list[int]:
    # reversed() starts at the end the list had; it stops where its index passes the shrunk end, and appended
    # items are not visited.
    out = []
    for x in reversed(xs):
        out.append(x)
        if x % 2 == 0 and len(xs) >= 2:
            xs.pop()
            xs.pop()
        else:
            xs.append(x)
    return out + xs


def halves(xs: list[int]):
    for x in xs:
        yield x


@compile(examples=[([40, 3],), ([],), ([1],)])
def generator_over_growing(xs: list[int]) -> list[int]:
    # A generator's loop over a list its consumer appends to yields the appended items too.
    out = []
    for x in halves(xs):
        out.append(x)
        if x > 1:
            xs.append(x // 2)
    return out


@compile(examples=[([3, 1],), ([],), ([5, 2, 2],)])
def cycle_growing(xs: list[int]) -> list[int]:
    # cycle() saves the items of its first pass, which sees the items appended while it runs; then it repeats them.
    out = []
    for i, x in zip(range(12), cycle(xs)):
        out.append(x)
        if i < 2:
            xs.append(x + 10)
    return out


@compile(examples=[([1, 2, 3, 4],), ([],), ([1, 3, 5],), ([2],), ([1, 2],)])
def remove_evens_by_index(xs: list[int]) -> list[int]:
    # range(len(xs)) is computed once: after a del, xs[i] runs past the end and raises IndexError, as in CPython.
    for i in range(len(xs)):
        if xs[i] % 2 == 0:
            del xs[i]
    return xs


@compile(examples=[([5, 6, 7],), ([],), ([1],)])
def fixed_length_loop(xs: list[int]) -> list[int]:
    # Items written in place keep the length: the loop reads it once (no change to follow).
    for i, x in enumerate(xs):
        xs[i] = x * 2
        if i + 1 < len(xs):
            xs[i + 1] += 1
    return xs


@compile(examples=[([3, 1, 4],), ([],), ([5],)])
def repeat_beside_growing(xs: list[int]) -> list[int]:
    # zip() stops at repeat()'s last item or the list's end, whichever it meets first, as the list grows.
    out = []
    for x, r in zip(xs, repeat(7, 5)):
        out.append(x * r)
        if x % 2 == 1:
            xs.append(x + 1)
    return out
