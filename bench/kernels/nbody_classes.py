"""N-body with classes: the benchmarks-game system (the Sun, Jupiter, Saturn, Uranus, Neptune) as a list of Body
objects whose position and velocity are Vector objects with operators. Every step makes and drops small Vector
instances (reference counted, freed as they go). Returns the energy after `steps` steps of 0.01 days."""
import math

from kiln import compile


class Vector:
    def __init__(self, x: float, y: float, z: float):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o: "Vector") -> "Vector":
        return Vector(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o: "Vector") -> "Vector":
        return Vector(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, k: float) -> "Vector":
        return Vector(self.x * k, self.y * k, self.z * k)

    def dot(self, o: "Vector") -> float:
        return self.x * o.x + self.y * o.y + self.z * o.z


class Body:
    def __init__(self, pos: Vector, vel: Vector, mass: float):
        self.pos = pos
        self.vel = vel
        self.mass = mass


def system() -> list[Body]:
    solar_mass = 4.0 * math.pi * math.pi
    days = 365.24
    bodies = [
        Body(Vector(0.0, 0.0, 0.0), Vector(0.0, 0.0, 0.0), solar_mass),
        Body(Vector(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01),
             Vector(1.66007664274403694e-03 * days, 7.69901118419740425e-03 * days, -6.90460016972063023e-05 * days),
             9.54791938424326609e-04 * solar_mass),
        Body(Vector(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01),
             Vector(-2.76742510726862411e-03 * days, 4.99852801234917238e-03 * days, 2.30417297573763929e-05 * days),
             2.85885980666130812e-04 * solar_mass),
        Body(Vector(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01),
             Vector(2.96460137564761618e-03 * days, 2.37847173959480950e-03 * days, -2.96589568540237556e-05 * days),
             4.36624404335156298e-05 * solar_mass),
        Body(Vector(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01),
             Vector(2.68067772490389322e-03 * days, 1.62824170038242295e-03 * days, -9.51592254519715870e-05 * days),
             5.15138902046611451e-05 * solar_mass),
    ]
    p = Vector(0.0, 0.0, 0.0)
    for b in bodies:
        p = p + b.vel * b.mass
    bodies[0].vel = p * (-1.0 / solar_mass)
    return bodies


def energy(bodies: list[Body]) -> float:
    e = 0.0
    for i in range(len(bodies)):
        a = bodies[i]
        e += 0.5 * a.mass * a.vel.dot(a.vel)
        for j in range(i + 1, len(bodies)):
            b = bodies[j]
            d = a.pos - b.pos
            e -= a.mass * b.mass / math.sqrt(d.dot(d))
    return e


@compile(tag="bench/nbody_classes", description="Energy of the 5-body system after steps steps, with Body and Vector classes.")
def nbody_classes(steps: int) -> float:
    bodies = system()
    dt = 0.01
    n = len(bodies)
    for _ in range(steps):
        for i in range(n):
            a = bodies[i]
            for j in range(i + 1, n):
                b = bodies[j]
                d = a.pos - b.pos
                d2 = d.dot(d)
                mag = dt / (d2 * math.sqrt(d2))
                a.vel = a.vel - d * (b.mass * mag)
                b.vel = b.vel + d * (a.mass * mag)
        for body in bodies:
            body.pos = body.pos + body.vel * dt
    return energy(bodies)
