"""N-body (the benchmarks-game kernel with 3 bodies: the Sun, Jupiter, Saturn), every coordinate a scalar local
because lists do not compile yet. Returns the energy after `steps` steps of 0.01 days."""
import math
from kiln import compile


@compile(tag="bench/nbody", description="Energy of a 3-body system after steps steps.")
def nbody(steps: int) -> float:
    solar_mass = 4.0 * math.pi * math.pi
    days = 365.24
    dt = 0.01
    x1 = 4.84143144246472090e+00
    y1 = -1.16032004402742839e+00
    z1 = -1.03622044471123109e-01
    vx1 = 1.66007664274403694e-03 * days
    vy1 = 7.69901118419740425e-03 * days
    vz1 = -6.90460016972063023e-05 * days
    m1 = 9.54791938424326609e-04 * solar_mass
    x2 = 8.34336671824457987e+00
    y2 = 4.12479856412430479e+00
    z2 = -4.03523417114321381e-01
    vx2 = -2.76742510726862411e-03 * days
    vy2 = 4.99852801234917238e-03 * days
    vz2 = 2.30417297573763929e-05 * days
    m2 = 2.85885980666130812e-04 * solar_mass
    m0 = solar_mass
    x0 = 0.0
    y0 = 0.0
    z0 = 0.0
    vx0 = -(vx1 * m1 + vx2 * m2) / solar_mass
    vy0 = -(vy1 * m1 + vy2 * m2) / solar_mass
    vz0 = -(vz1 * m1 + vz2 * m2) / solar_mass
    for _ in range(steps):
        dx = x0 - x1
        dy = y0 - y1
        dz = z0 - z1
        d2 = dx * dx + dy * dy + dz * dz
        mag = dt / (d2 * math.sqrt(d2))
        vx0 -= dx * m1 * mag
        vy0 -= dy * m1 * mag
        vz0 -= dz * m1 * mag
        vx1 += dx * m0 * mag
        vy1 += dy * m0 * mag
        vz1 += dz * m0 * mag
        dx = x0 - x2
        dy = y0 - y2
        dz = z0 - z2
        d2 = dx * dx + dy * dy + dz * dz
        mag = dt / (d2 * math.sqrt(d2))
        vx0 -= dx * m2 * mag
        vy0 -= dy * m2 * mag
        vz0 -= dz * m2 * mag
        vx2 += dx * m0 * mag
        vy2 += dy * m0 * mag
        vz2 += dz * m0 * mag
        dx = x1 - x2
        dy = y1 - y2
        dz = z1 - z2
        d2 = dx * dx + dy * dy + dz * dz
        mag = dt / (d2 * math.sqrt(d2))
        vx1 -= dx * m2 * mag
        vy1 -= dy * m2 * mag
        vz1 -= dz * m2 * mag
        vx2 += dx * m1 * mag
        vy2 += dy * m1 * mag
        vz2 += dz * m1 * mag
        x0 += dt * vx0
        y0 += dt * vy0
        z0 += dt * vz0
        x1 += dt * vx1
        y1 += dt * vy1
        z1 += dt * vz1
        x2 += dt * vx2
        y2 += dt * vy2
        z2 += dt * vz2
    e = 0.0
    e += 0.5 * m0 * (vx0 * vx0 + vy0 * vy0 + vz0 * vz0)
    e += 0.5 * m1 * (vx1 * vx1 + vy1 * vy1 + vz1 * vz1)
    e += 0.5 * m2 * (vx2 * vx2 + vy2 * vy2 + vz2 * vz2)
    dx = x0 - x1
    dy = y0 - y1
    dz = z0 - z1
    e -= m0 * m1 / math.sqrt(dx * dx + dy * dy + dz * dz)
    dx = x0 - x2
    dy = y0 - y2
    dz = z0 - z2
    e -= m0 * m2 / math.sqrt(dx * dx + dy * dy + dz * dz)
    dx = x1 - x2
    dy = y1 - y2
    dz = z1 - z2
    e -= m1 * m2 / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e
