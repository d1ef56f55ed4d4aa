from kiln import compile


@compile
def bit_ops(a: int, b: int) -> int:
    return (a & b) | (a ^ b) | ~a


@compile
def shifts(a: int, n: int) -> int:
    return (a << n) + (a >> n)


@compile
def bool_bits(a: bool, b: bool) -> bool:
    return (a & b) | (a ^ b)


@compile
def popcount(n: int) -> int:
    count = 0
    n = n & 0xFFFFFFFF
    while n:
        count += n & 1
        n >>= 1
    return count


@compile
def aug_bits(a: int) -> int:
    a |= 5
    a &= 0xFF
    a ^= 3
    a <<= 2
    a >>= 1
    return a
