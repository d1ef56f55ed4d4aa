"""A small ray tracer with Vector, Ray and Sphere classes: a w x h image of five spheres over a ground sphere, lit
by one light, with shadows, diffuse and specular-free shading and one mirror bounce. Every ray makes and drops small
Vector instances. Returns the sum of the pixels' brightness (only + - * / and sqrt: the same bits everywhere)."""
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

    def scale(self, k: float) -> "Vector":
        return Vector(self.x * k, self.y * k, self.z * k)

    def dot(self, o: "Vector") -> float:
        return self.x * o.x + self.y * o.y + self.z * o.z

    def norm(self) -> "Vector":
        return self.scale(1.0 / math.sqrt(self.dot(self)))


class Ray:
    def __init__(self, origin: Vector, direction: Vector):
        self.origin = origin
        self.direction = direction

    def at(self, t: float) -> Vector:
        return self.origin + self.direction.scale(t)


class Sphere:
    def __init__(self, center: Vector, radius: float, shade: float, mirror: float):
        self.center = center
        self.radius = radius
        self.shade = shade
        self.mirror = mirror

    def hit(self, ray: Ray) -> float:
        """The distance along the ray to the nearest intersection in front of its origin, or -1.0."""
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0.0:
            return -1.0
        s = math.sqrt(disc)
        t = -b - s
        if t > 1e-6:
            return t
        t = -b + s
        return t if t > 1e-6 else -1.0

    def normal(self, p: Vector) -> Vector:
        return (p - self.center).scale(1.0 / self.radius)


class Scene:
    def __init__(self):
        self.spheres: list[Sphere] = []
        self.light = Vector(-4.0, 6.0, -3.0)

    def add(self, s: Sphere) -> None:
        self.spheres.append(s)

    def nearest(self, ray: Ray) -> int:
        best = -1
        best_t = 1e30
        for i in range(len(self.spheres)):
            t = self.spheres[i].hit(ray)
            if t > 0.0 and t < best_t:
                best_t = t
                best = i
        return best

    def trace(self, ray: Ray, depth: int) -> float:
        i = self.nearest(ray)
        if i < 0:
            return 0.1 + 0.2 * max(ray.direction.y, 0.0)
        s = self.spheres[i]
        p = ray.at(s.hit(ray))
        n = s.normal(p)
        to_light = (self.light - p).norm()
        lit = 0.0
        if self.nearest(Ray(p, to_light)) < 0:
            lit = max(n.dot(to_light), 0.0)
        colour = s.shade * (0.15 + 0.85 * lit)
        if s.mirror > 0.0 and depth > 0:
            d = ray.direction
            bounce = d - n.scale(2.0 * d.dot(n))
            colour = colour * (1.0 - s.mirror) + s.mirror * self.trace(Ray(p, bounce), depth - 1)
        return colour


def make_scene() -> Scene:
    scene = Scene()
    scene.add(Sphere(Vector(0.0, -1000.0, 0.0), 999.0, 0.6, 0.0))
    scene.add(Sphere(Vector(0.0, 0.0, 4.0), 1.0, 0.9, 0.5))
    scene.add(Sphere(Vector(-2.2, -0.3, 5.0), 0.7, 0.8, 0.0))
    scene.add(Sphere(Vector(2.0, -0.5, 3.5), 0.5, 0.7, 0.2))
    scene.add(Sphere(Vector(0.8, -0.7, 2.5), 0.3, 1.0, 0.0))
    scene.add(Sphere(Vector(-0.9, 1.4, 6.0), 0.6, 0.5, 0.8))
    return scene


@compile(tag="bench/raytrace", description="Brightness of a w x h ray-traced image of spheres.", examples=[(8, 6), (1, 1)])
def raytrace(w: int, h: int) -> float:
    scene = make_scene()
    eye = Vector(0.0, 0.0, -1.0)
    total = 0.0
    for j in range(h):
        for i in range(w):
            x = (i + 0.5) / w * 2.0 - 1.0
            y = 1.0 - (j + 0.5) / h * 2.0
            d = Vector(x * w / h, y, 1.5).norm()
            total += scene.trace(Ray(eye, d), 2)
    return total
