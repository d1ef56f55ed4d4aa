"""Mandelbrot escape counts over a size x size grid of [-1.5, 0.5] x [-1, 1]: the total of all counts."""
from kiln import compile


@compile(tag="bench/mandelbrot", description="Sum of Mandelbrot escape counts on a grid.")
def mandelbrot(size: int, max_iter: int) -> int:
    total = 0
    for py in range(size):
        ci = 2.0 * py / size - 1.0
        for px in range(size):
            cr = 2.0 * px / size - 1.5
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            total += n
    return total
