"""Geometry and simulation with small classes: 2-D vectors with operators, particles and an n-body step,
axis-aligned boxes, polynomials that act like sequences and functions, versions and points as dataclasses."""
import math
from dataclasses import dataclass, field

from kiln import compile


class Vec:
    def __init__(self, x: float, y: float):
        self.x = x
        self.y = y

    def __add__(self, o: "Vec") -> "Vec":
        return Vec(self.x + o.x, self.y + o.y)

    def __sub__(self, o: "Vec") -> "Vec":
        return Vec(self.x - o.x, self.y - o.y)

    def __mul__(self, k: float) -> "Vec":
        return Vec(self.x * k, self.y * k)

    def __rmul__(self, k: float) -> "Vec":
        return Vec(k * self.x, k * self.y)

    def __truediv__(self, k: float) -> "Vec":
        return Vec(self.x / k, self.y / k)

    def __neg__(self) -> "Vec":
        return Vec(-self.x, -self.y)

    def __abs__(self) -> float:
        return math.sqrt(self.x * self.x + self.y * self.y)

    def __eq__(self, o: "Vec") -> bool:
        return self.x == o.x and self.y == o.y

    def __repr__(self) -> str:
        return f"Vec({self.x!r}, {self.y!r})"

    def dot(self, o: "Vec") -> float:
        return self.x * o.x + self.y * o.y

    def cross(self, o: "Vec") -> float:
        return self.x * o.y - self.y * o.x

    def rotated(self, c: float, s: float) -> "Vec":
        """Rotated by the angle whose cosine and sine are c and s."""
        return Vec(self.x * c - self.y * s, self.x * s + self.y * c)


@compile(examples=[(1.0, 2.0), (-0.5, 3.25), (0.0, 0.0)])
def vector_algebra(a: float, b: float) -> str:
    v = Vec(a, b)
    w = Vec(b, -a)
    u = v + w * 2.0 - (-v)
    u = 0.5 * u
    u += Vec(1.0, 1.0)
    return f"{u} {v.dot(w)} {v.cross(w)} {abs(u):.9f} {u == Vec(u.x, u.y)} {u != v}"


@compile(examples=[(3.0, 4.0, 0.5), (1.0, 0.0, 2.0)])
def rotate_and_measure(x: float, y: float, t: float) -> float:
    # The rotation whose half-angle tangent is t (rational: the same bits on every libm).
    c = (1.0 - t * t) / (1.0 + t * t)
    s = 2.0 * t / (1.0 + t * t)
    v = Vec(x, y)
    r = v.rotated(c, s)
    return abs(r) - abs(v) + r.dot(v)


@compile(examples=[(2.0, 0.0), (1.0, 1.0)])
def normalised(x: float, y: float) -> str:
    v = Vec(x, y)
    n = v / abs(v)
    return repr(n)


def polygon_area(points: list[Vec]) -> float:
    total = 0.0
    for i in range(len(points)):
        total += points[i].cross(points[(i + 1) % len(points)])
    return abs(total) / 2.0


@compile(examples=[(1.0, 2.0), (3.0, 3.0), (-1.0, 0.5)])
def rectangle_area(w: float, h: float) -> float:
    pts = [Vec(0.0, 0.0), Vec(w, 0.0), Vec(w, h), Vec(0.0, h)]
    return polygon_area(pts)


@compile(examples=[6, 1, 3])
def staircase_area(n: int) -> float:
    pts = [Vec(0.0, 0.0)]
    for k in range(n):
        pts.append(Vec(float(k + 1), float(k)))
        pts.append(Vec(float(k + 1), float(k + 1)))
    pts.append(Vec(0.0, float(n)))
    return polygon_area(pts)


class Body:
    def __init__(self, pos: Vec, vel: Vec, mass: float):
        self.pos = pos
        self.vel = vel
        self.mass = mass

    def kinetic(self) -> float:
        return 0.5 * self.mass * self.vel.dot(self.vel)


def advance(bodies: list[Body], dt: float) -> None:
    for i in range(len(bodies)):
        a = bodies[i]
        for j in range(i + 1, len(bodies)):
            b = bodies[j]
            d = a.pos - b.pos
            dist2 = d.dot(d) + 0.01
            mag = dt / (dist2 * math.sqrt(dist2))
            a.vel = a.vel - d * (b.mass * mag)
            b.vel = b.vel + d * (a.mass * mag)
    for body in bodies:
        body.pos = body.pos + body.vel * dt


@compile(examples=[(10, 0.01), (0, 0.1), (3, 0.5)])
def nbody_energy(steps: int, dt: float) -> float:
    bodies = [
        Body(Vec(0.0, 0.0), Vec(0.0, 0.0), 10.0),
        Body(Vec(1.0, 0.0), Vec(0.0, 1.0), 0.1),
        Body(Vec(-2.0, 0.5), Vec(0.3, -0.7), 0.2),
    ]
    for _ in range(steps):
        advance(bodies, dt)
    e = 0.0
    for b in bodies:
        e += b.kinetic()
    return e


class Box:
    def __init__(self, lo: Vec, hi: Vec):
        if lo.x > hi.x or lo.y > hi.y:
            raise ValueError("empty box")
        self.lo = lo
        self.hi = hi

    @property
    def width(self) -> float:
        return self.hi.x - self.lo.x

    @property
    def height(self) -> float:
        return self.hi.y - self.lo.y

    @property
    def area(self) -> float:
        return self.width * self.height

    def __contains__(self, p: Vec) -> bool:
        return self.lo.x <= p.x <= self.hi.x and self.lo.y <= p.y <= self.hi.y

    @staticmethod
    def unit() -> "Box":
        return Box(Vec(0.0, 0.0), Vec(1.0, 1.0))

    @classmethod
    def around(cls, c: Vec, r: float) -> "Box":
        return cls(Vec(c.x - r, c.y - r), Vec(c.x + r, c.y + r))


@compile(examples=[(0.5, 0.5, 0.25), (2.0, 2.0, 1.0), (0.0, 0.0, -1.0)])
def boxes(x: float, y: float, r: float) -> str:
    b = Box.around(Vec(x, y), r)
    u = Box.unit()
    inside = Vec(x, y) in u
    return f"{b.width:.3f} {b.height:.3f} {b.area:.3f} {inside} {Vec(0.5, 0.5) in b}"


class Poly:
    def __init__(self, coeffs: list[int]):
        self.coeffs = coeffs

    def __len__(self) -> int:
        return len(self.coeffs)

    def __getitem__(self, i: int) -> int:
        return self.coeffs[i]

    def __setitem__(self, i: int, v: int) -> None:
        self.coeffs[i] = v

    def __call__(self, x: int) -> int:
        r = 0
        for c in reversed(self.coeffs):
            r = r * x + c
        return r

    def __add__(self, o: "Poly") -> "Poly":
        n = max(len(self), len(o))
        out = []
        for i in range(n):
            a = self.coeffs[i] if i < len(self) else 0
            b = o.coeffs[i] if i < len(o) else 0
            out.append(a + b)
        return Poly(out)

    def __lt__(self, o: "Poly") -> bool:
        return len(self) < len(o)


@compile(examples=[3, 0, -2])
def polynomials(x: int) -> int:
    p = Poly([1, 2, 3])
    p[0] = 5
    q = Poly([1, 1])
    s = p + q
    t = s(x) + len(s) + s[1]
    if q < p:
        t += 100
    return t


@compile(examples=[1, 5])
def poly_index_error(i: int) -> int:
    p = Poly([1, 2])
    return p[i]


@dataclass(order=True)
class Version:
    major: int
    minor: int = 0
    patch: int = 0

    def bump(self) -> "Version":
        return Version(self.major, self.minor, self.patch + 1)


@compile(examples=[(1, 2), (2, 0), (1, 1)])
def versions(a: int, b: int) -> str:
    v = Version(a, b)
    w = Version(a, 1, 3).bump()
    return f"{v} {w} {v < w} {v <= w} {v > w} {v >= w} {v == w} {v != w}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float = 0.0

    def dist(self, o: "Point") -> float:
        return math.sqrt((self.x - o.x) ** 2 + (self.y - o.y) ** 2)


@compile(examples=[(1.5, 2.0), (0.0, -3.0)])
def frozen_points(x: float, y: float) -> str:
    p = Point(x, y)
    q = Point(x)
    return f"{p} {q} {p == q} {p.dist(q):.6f}"


@dataclass
class Histogram:
    lo: float
    hi: float
    counts: list[int] = field(default_factory=list, repr=False)

    def add(self, v: float, bins: int) -> None:
        if not self.counts:
            self.counts = [0] * bins
        k = int((v - self.lo) / (self.hi - self.lo) * bins)
        if k < 0 or k >= bins:
            raise ValueError(f"{v} is outside [{self.lo}, {self.hi})")
        self.counts[k] += 1


@compile(examples=[(4, 0.25), (3, 1.5)])
def histogram(bins: int, step: float) -> str:
    if not step > 0.001:
        return f"step {step} too small"
    h = Histogram(0.0, 1.0)
    v = 0.0
    while v < 1.0:
        h.add(v, bins)
        v += step
    return f"{h} {sum(h.counts)} {len(h.counts)} {h.counts[0]}"
