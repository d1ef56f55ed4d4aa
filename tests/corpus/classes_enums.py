"""Enums and named tuples in the style of real code: a traffic-light state machine, playing cards (suits and
ranks), HTTP status handling with IntEnum codes (ValueError for an unknown code), a task record whose state is an
enum, the repr/str/format texts CPython gives members; typing.NamedTuple records (points with defaults, HTTP
responses holding an enum, grades compared in tuple order) built by position and keyword, indexed and unpacked."""
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import NamedTuple

from kiln import compile


class Light(Enum):
    RED = 1
    GREEN = 2
    AMBER = 3


class Suit(Enum):
    CLUBS = "c"
    DIAMONDS = "d"
    HEARTS = "h"
    SPADES = "s"


class Rank(IntEnum):
    TWO = 2
    THREE = 3
    FOUR = 4
    FIVE = 5
    SIX = 6
    SEVEN = 7
    EIGHT = 8
    NINE = 9
    TEN = 10
    JACK = 11
    QUEEN = 12
    KING = 13
    ACE = 14


class Status(IntEnum):
    OK = 200
    CREATED = 201
    NO_CONTENT = 204
    MOVED = 301
    NOT_FOUND = 404
    TEAPOT = 418
    SERVER_ERROR = 500


class Level(IntEnum):
    OFF = 0
    ON = 1


class State(Enum):
    TODO = "todo"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def next_light(light: Light) -> Light:
    if light is Light.RED:
        return Light.GREEN
    if light is Light.GREEN:
        return Light.AMBER
    return Light.RED


def duration(light: Light) -> int:
    if light == Light.RED:
        return 30
    if light == Light.GREEN:
        return 25
    return 5


@compile(examples=[(0,), (1,), (7,), (100,)])
def traffic(seconds: int) -> str:
    """Runs the light for `seconds`, returns the light then and how many times it turned red."""
    light = Light.RED
    left = duration(light)
    reds = 0
    for _ in range(seconds):
        left -= 1
        if left == 0:
            light = next_light(light)
            left = duration(light)
            if light == Light.RED:
                reds += 1
    return f"{light.name.lower()} after {seconds}s ({reds} reds, {light!r}, {light})"


@compile(examples=[(0,), (1,), (2,), (3,)])
def light_cycle(start: int) -> str:
    """The cycle of lights from Light(start + 1), by value lookup; ValueError past the last value."""
    light = Light(start + 1)
    names = []
    for _ in range(len(Light)):
        names.append(light.name)
        light = next_light(light)
    return " -> ".join(names)


def card_value(rank: Rank) -> int:
    if rank == Rank.ACE:
        return 11
    if rank >= Rank.JACK:
        return 10
    return int(rank)


@compile(examples=[(0,), (5,), (12,), (51,)])
def blackjack(seed: int) -> str:
    """Deals from a deck shuffled by a linear congruential generator until the hand passes 16."""
    deck = []
    for s in Suit:
        for r in Rank:
            deck.append((s.value, r.value))
    state = seed
    for i in range(len(deck) - 1, 0, -1):
        state = (state * 1103515245 + 12345) % 2147483648
        j = state % (i + 1)
        deck[i], deck[j] = deck[j], deck[i]
    total = 0
    aces = 0
    cards = []
    k = 0
    while total <= 16:
        suit, value = deck[k]
        rank = Rank(value)
        k += 1
        total += card_value(rank)
        if rank is Rank.ACE:
            aces += 1
        if total > 21 and aces:
            total -= 10
            aces -= 1
        cards.append(f"{rank.name.title()}{suit}")
    return f"{' '.join(cards)} = {total}"


@compile(examples=[(0,), (3,)])
def suit_table(k: int) -> str:
    """Every suit with its value and repr; the rank arithmetic of IntEnum."""
    rows = [f"{s.name}={s.value!r} {s!r} {s}" for s in Suit]
    ranks = Rank.KING - Rank.TEN + k
    return "; ".join(rows) + f" | {ranks} {Rank.QUEEN:>4} {Rank.QUEEN!r} {str(Rank.TWO)} {Rank.ACE * 2}"


def reason(status: Status) -> str:
    if status == Status.OK or status == Status.CREATED:
        return "success"
    if status is Status.NO_CONTENT:
        return "empty"
    if 300 <= status < 400:
        return "redirect"
    if status == 418:
        return "I'm a teapot"
    if status >= Status.SERVER_ERROR:
        return "server error"
    return "client error"


@compile(examples=[(200,), (204,), (301,), (404,), (418,), (500,), (302,)])
def http_status(code: int) -> str:
    """Looks a status code up (ValueError: 302 is not a valid Status) and describes it."""
    status = Status(code)
    return f"{status.value} {status.name.replace('_', ' ').title()}: {reason(status)} (status={status!r})"


@compile(examples=[(0,), (1,), (5,)])
def status_summary(k: int) -> str:
    """Counts the members by class of code, as a report over the whole enum."""
    ok = 0
    errors = 0
    codes = []
    for s in Status:
        if s < 300:
            ok += 1
        elif s >= 400:
            errors += 1
        codes.append(str(s.value + k))
    return f"{len(Status)} codes, {ok} ok, {errors} errors: {','.join(codes)}"


@dataclass
class Task:
    name: str
    state: State
    attempts: int = 0

    def run(self, fails: bool) -> None:
        if self.state is State.DONE:
            raise ValueError(f"task {self.name} is already {self.state.value}")
        self.attempts += 1
        self.state = State.FAILED if fails else State.DONE


@compile(examples=[(0,), (1,), (6,)])
def task_runs(mask: int) -> str:
    """Runs a task until it is done (a failed run is retried; bit i of mask fails run i); a repr of the record."""
    task = Task("build", State.TODO)
    i = 0
    while task.state is not State.DONE and i < 20:
        task.run(bool(mask >> i & 1))
        i += 1
    changed = task.state != State.TODO and task.state == State("done")
    return f"{task!r} {changed} {task.state.name}"


@compile(examples=[(0,), (1,)])
def rerun_done(k: int) -> str:
    """Running a finished task again: CPython's ValueError with the enum's value in the message."""
    task = Task("deploy", State.DONE, k)
    task.run(False)
    return repr(task)


@compile(examples=[(0,), (1,), (2,)])
def compare_members(k: int) -> str:
    """Equality, identity and their negations between members; a plain Enum member never equals its value."""
    a = Light(k + 1)
    out = []
    for b in Light:
        out.append(f"{a == b}{a is b}{a != b}{a is not b}")
    level = Level(k % 2)
    tests = f"{bool(a)} {bool(level)} {not level} {isinstance(a, Light)} {type(a) is Light} {isinstance(level, int)}"
    return " ".join(out) + f" {a == k + 1} {Rank.TWO == 2} {Rank(2) is Rank.TWO} {tests} {'on' if level else 'off'}"


class Point(NamedTuple):
    x: float
    y: float = 0.0

    def dist2(self, other: "Point") -> float:
        dx = self.x - other.x
        dy = self.y - other.y
        return dx * dx + dy * dy


@compile(examples=[(0.0, 0.0), (3.0, 4.0), (-1.5, 2.25)])
def closest_point(x: float, y: float) -> str:
    """The nearest of a few points to (x, y); points built by position, by keyword and with the default y."""
    here = Point(x, y)
    points = [Point(1.0, 1.0), Point(y=-2.0, x=0.5), Point(4.0), Point(-3.0, 3.5)]
    best = points[0]
    for p in points:
        if p.dist2(here) < best.dist2(here):
            best = p
    bx, by = best
    return f"{best!r} {best} at {best.dist2(here)} ({bx}, {by}) first={best[0]} last={best[-1]} n={len(best)}"


class Response(NamedTuple):
    status: Status
    body: str
    retries: int = 0


def fetch(path: str, attempt: int) -> Response:
    if path == "/":
        return Response(Status.OK, "home")
    if path == "/new":
        return Response(Status.CREATED, "made", attempt)
    if path.startswith("/old"):
        return Response(Status.MOVED, path.replace("/old", "/new"))
    if attempt < 2 and path == "/flaky":
        return Response(Status.SERVER_ERROR, "", attempt)
    if path == "/flaky":
        return Response(Status.OK, "finally", attempt)
    return Response(Status.NOT_FOUND, "")


@compile(examples=[("/",), ("/new",), ("/old/page",), ("/flaky",), ("/missing",)])
def get_with_retries(path: str) -> str:
    """Retries a server error up to 3 times, follows one redirect; the record's repr names the enum member."""
    attempt = 0
    r = fetch(path, attempt)
    while r.status >= Status.SERVER_ERROR and attempt < 3:
        attempt += 1
        r = fetch(path, attempt)
    if r.status is Status.MOVED:
        r = fetch(r.body, attempt)
    status, body, retries = r
    return f"{r!r} -> {status.name} {body!r} {retries} {r == Response(Status.OK, 'home')} ok={200 <= r.status < 300}"


class Grade(NamedTuple):
    score: int
    late: int
    student: str


@compile(examples=[(0,), (1,), (9,)])
def rank_grades(bonus: int) -> str:
    """Grades compared in tuple order (score, then lateness, then name), as CPython compares named tuples."""
    grades = [Grade(88, 0, "ana"), Grade(88 + bonus, 1, "ben"), Grade(91, 2, "cy"), Grade(88, 0, "al")]
    best = grades[0]
    worst = grades[0]
    for g in grades:
        if g > best:
            best = g
        if g <= worst:
            worst = g
    ties = 0
    for i in range(len(grades)):
        for j in range(i + 1, len(grades)):
            if grades[i][0] == grades[j][0]:
                ties += 1
    return f"best {best} worst {worst!r} ties {ties} {grades[0] < grades[1]} {grades[0] != grades[3]}"


class Op(Enum):
    PUSH = 1
    ADD = 2
    DUP = 3
    DEC = 4
    JMPZ = 5
    JMP = 6


def run_program(prog: list[tuple[Op, int]], limit: int) -> list[int]:
    """A stack machine over (opcode, argument) pairs, dispatched with match on enum members."""
    stack: list[int] = []
    pc = steps = 0
    while pc < len(prog):
        steps += 1
        if steps > limit:
            raise RuntimeError(f"step limit {limit} hit at pc={pc}")
        op, arg = prog[pc]
        match op:
            case Op.PUSH:
                stack.append(arg)
            case Op.ADD:
                b, a = stack.pop(), stack.pop()
                stack.append(a + b)
            case Op.DUP:
                stack.append(stack[-1])
            case Op.DEC:
                stack[-1] -= 1
            case Op.JMPZ:
                if stack.pop() == 0:
                    pc = arg
                    continue
            case Op.JMP:
                pc = arg
                continue
        pc += 1
    return stack


@compile(examples=[(4, 200), (11, 200), (9, 30), (-1, 50)])
def stack_machine(n: int, limit: int) -> str:
    """Lists of tuples holding enum members: built, searched with `in`, compared, run (IndexError on an empty stack)."""
    prog = [(Op.PUSH, 0), (Op.PUSH, n), (Op.DUP, 0), (Op.JMPZ, 8), (Op.DEC, 0)]
    prog += [(Op.PUSH, 0), (Op.ADD, 0), (Op.JMP, 2)]
    found = (Op.JMP, 2) in prog, (Op.JMP, 3) in prog, prog[0] == (Op.PUSH, 0), prog[1] != (Op.PUSH, n)
    try:
        return f"{run_program(prog, limit)} {found}"
    except (RuntimeError, IndexError) as e:
        return f"{type(e).__name__}: {e} {found}"
