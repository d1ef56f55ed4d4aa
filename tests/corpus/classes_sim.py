"""Small simulations built from objects: a discrete-event queue with event subclasses behind an abstract base, a
particle system that iterates its particles, Conway's life on a grid object indexed by (row, column), a traffic
light as a chain of state objects, a zoo where only one kind of animal is ever made, and walkers whose position lists
are replaced at every step (a list a field owns alone is freed with its object or when replaced; one read out under
another name lives on). Abstract methods raise
NotImplementedError; fields read before they are set raise AttributeError, as in CPython."""
from typing import Optional

from kiln import compile


class Event:
    def __init__(self, time: float, who: int):
        self.time = time
        self.who = who

    def apply(self, q: "EventQueue") -> int:
        raise NotImplementedError("Event.apply")


class Arrival(Event):
    def apply(self, q: "EventQueue") -> int:
        q.in_line += 1
        if q.in_line == 1:
            q.push(Departure(self.time + q.service, self.who))
        return 1


class Departure(Event):
    def apply(self, q: "EventQueue") -> int:
        q.in_line -= 1
        q.served += 1
        q.waited += self.time
        if q.in_line > 0:
            q.push(Departure(self.time + q.service, self.who + 1))
        return -1


class EventQueue:
    """Events kept sorted by time (ties: the earlier pushed first)."""

    def __init__(self, service: float):
        self.events: list[Event] = []
        self.service = service
        self.in_line = 0
        self.served = 0
        self.waited = 0.0

    def push(self, e: Event) -> None:
        i = len(self.events)
        while i > 0 and self.events[i - 1].time > e.time:
            i -= 1
        self.events.insert(i, e)

    def __len__(self) -> int:
        return len(self.events)

    def pop(self) -> Event:
        return self.events.pop(0)


@compile(examples=[(5, 1.0, 0.75), (3, 0.5, 2.0), (0, 1.0, 1.0)])
def bank_queue(customers: int, gap: float, service: float) -> str:
    q = EventQueue(service)
    for k in range(customers):
        q.push(Arrival(k * gap, k))
    steps = 0
    longest = 0
    while q:
        q.pop().apply(q)
        steps += 1
        longest = max(longest, q.in_line)
    return f"{steps} {q.served} {longest} {q.waited:.4f}"


class Particle:
    def __init__(self, x: float, v: float, m: float):
        self.x = x
        self.v = v
        self.m = m

    def energy(self) -> float:
        return 0.5 * self.m * self.v * self.v


class Box:
    """Particles bouncing between two walls at 0 and width."""

    def __init__(self, width: float):
        self.width = width
        self.particles: list[Particle] = []
        self.bounces = 0

    def add(self, p: Particle) -> None:
        self.particles.append(p)

    def __iter__(self):
        for p in self.particles:
            yield p

    def step(self, dt: float) -> None:
        for p in self:
            p.x += p.v * dt
            if p.x < 0.0:
                p.x = -p.x
                p.v = -p.v
                self.bounces += 1
            elif p.x > self.width:
                p.x = 2.0 * self.width - p.x
                p.v = -p.v
                self.bounces += 1


@compile(examples=[(10, 0.1), (0, 0.5), (50, 0.25)])
def box_simulation(steps: int, dt: float) -> str:
    box = Box(4.0)
    for i in range(5):
        box.add(Particle(0.5 + i * 0.75, (i - 2) * 1.5, 1.0 + i))
    e0 = sum(p.energy() for p in box)
    for _ in range(steps):
        box.step(dt)
    e1 = sum([p.energy() for p in box])
    xs = [round(p.x, 6) for p in box]
    return f"{box.bounces} {e0 == e1} {xs[0]} {xs[-1]} {max(p.x for p in box) <= box.width}"


class Grid:
    def __init__(self, rows: int, cols: int):
        self.rows = rows
        self.cols = cols
        self.cells = [0] * (rows * cols)

    def __getitem__(self, rc: tuple[int, int]) -> int:
        r, c = rc
        if not (0 <= r < self.rows and 0 <= c < self.cols):
            raise IndexError(f"cell ({r}, {c}) is outside the {self.rows}x{self.cols} grid")
        return self.cells[r * self.cols + c]

    def __setitem__(self, rc: tuple[int, int], v: int) -> None:
        r, c = rc
        self.cells[r * self.cols + c] = v

    def neighbours(self, r: int, c: int) -> int:
        n = 0
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                if dr or dc:
                    n += self.cells[((r + dr) % self.rows) * self.cols + (c + dc) % self.cols]
        return n

    def step(self) -> "Grid":
        g = Grid(self.rows, self.cols)
        for r in range(self.rows):
            for c in range(self.cols):
                n = self.neighbours(r, c)
                g[r, c] = 1 if n == 3 or (n == 2 and self[r, c]) else 0
        return g

    def __len__(self) -> int:
        return sum(self.cells)


@compile(examples=[4, 0, 1])
def glider(generations: int) -> str:
    g = Grid(6, 6)
    for r, c in [(0, 1), (1, 2), (2, 0), (2, 1), (2, 2)]:
        g[r, c] = 1
    for _ in range(generations):
        g = g.step()
    rows = ["".join(["#" if g[r, c] else "." for c in range(6)]) for r in range(6)]
    return f"{len(g)} {'/'.join(rows)}"


@compile(examples=[(2, 3), (6, 0), (0, -1)])
def grid_cell(r: int, c: int) -> int:
    g = Grid(3, 4)
    g[1, 1] = 7
    return g[r, c]


class Light:
    def __init__(self, ticks: int):
        self.ticks = ticks

    def name(self) -> str:
        raise NotImplementedError

    def next(self) -> "Light":
        raise NotImplementedError


class Red(Light):
    def name(self) -> str:
        return "red"

    def next(self) -> Light:
        return Green(3)


class Green(Light):
    def name(self) -> str:
        return "green"

    def next(self) -> Light:
        return Amber(1)


class Amber(Light):
    def name(self) -> str:
        return "amber"

    def next(self) -> Light:
        return Red(2)


@compile(examples=[10, 1, 0])
def traffic(ticks: int) -> str:
    light: Light = Red(2)
    left = light.ticks
    seen = []
    for _ in range(ticks):
        seen.append(light.name()[0])
        left -= 1
        if left == 0:
            light = light.next()
            left = light.ticks
    return "".join(seen) + " " + light.name()


class Animal:
    def __init__(self, name: str):
        self.name = name

    def sound(self) -> str:
        raise NotImplementedError("an animal makes no sound of its own")

    def speak(self, times: int) -> str:
        return f"{self.name}: " + " ".join([self.sound()] * times)


class Dog(Animal):
    def sound(self) -> str:
        return "woof"


class Cat(Animal):
    def sound(self) -> str:
        return "meow"


@compile(examples=[2, 0])
def kennel(n: int) -> str:
    """Only dogs are ever made here: Animal.sound never runs, the call goes straight to Dog's."""
    dogs: list[Animal] = [Dog("rex"), Dog("fido")]
    return " | ".join([d.speak(min(n, 3)) for d in dogs])


@compile(examples=[1])
def silent(n: int) -> str:
    return Animal("generic").speak(n)


class Sensor:
    def __init__(self, ident: int):
        self.ident = ident

    def calibrate(self, offset: float) -> None:
        self.offset = offset

    def read(self, raw: float) -> float:
        return raw - self.offset


@compile(examples=[(1.5, True), (1.5, False)])
def sensor_read(raw: float, calibrated: bool) -> float:
    s = Sensor(7)
    if calibrated:
        s.calibrate(0.25)
    return s.read(raw)


class Trail:
    """A walker's last positions: each step replaces the list (the old one is freed then, the last with its Trail)."""
    def __init__(self, x: int):
        self.points = [x, x + 1, x + 2]

    def step(self, dx: int) -> None:
        moved = self.points[1:]
        moved.append(self.points[-1] + dx)
        self.points = moved

    def spread(self) -> int:
        lo = self.points[0]
        hi = lo
        for p in self.points:
            lo = min(lo, p)
            hi = max(hi, p)
        return hi - lo


@compile(examples=[3, 0])
def trails(n: int) -> int:
    """Short-lived objects each holding their own list, and a field a new list replaces at every step."""
    total = 0
    for i in range(min(n, 50)):
        t = Trail(i)
        for k in range(i % 4):
            t.step(k - 1)
        t.points.append(-i)
        total += t.spread() * 100 + len(t.points)
    return total


class Snapshot:
    def __init__(self, v: int):
        self.values = [v, v * v]


@compile(examples=[3])
def snapshot_alias(n: int) -> int:
    """A list read out of a field that is then replaced lives on through the name that read it, as in CPython."""
    s = Snapshot(n % 7)
    old = s.values
    s.values = [n]
    old.append(len(s.values))
    return sum(old) * 10 + s.values[0]
