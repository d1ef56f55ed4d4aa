"""The suite's array inputs in Python (stdlib only): the same generator as src-compiler/bench/inputs.ts.

    python3 bench/gen_inputs.py 'rand[200x3]#7'      prints the values (C order), one repr() per line
    from gen_inputs import rand; rand([200, 3], seed=7) -> a flat list of floats (np.array(...).reshape(shape))

splitmix64 seeded with `seed`; per element x = next(), u = (x >> 11) * 2**-53, value = low + (high - low) * u
(float64). Kiln generates the inputs itself and passes the exact values to every variant; this file is for
reproducing an input by hand.
"""
import re
import sys

MASK = (1 << 64) - 1


def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def rand(shape, seed=1, low=0.0, high=1.0):
    n = 1
    for s in shape:
        n *= s
    g = splitmix64(seed)
    return [low + (high - low) * ((next(g) >> 11) * 2.0 ** -53) for _ in range(n)]


def main(text):
    m = re.fullmatch(r"rand\[(\d+(?:x\d+)*)\](?:#(\d+))?(?:\((-?[\d.eE+-]+)\.\.(-?[\d.eE+-]+)\))?", text.strip())
    if not m:
        sys.exit("expected rand[N], rand[NxM], rand[N]#SEED or rand[N]#SEED(LOW..HIGH)")
    shape = [int(s) for s in m.group(1).split("x")]
    low, high = (float(m.group(3)), float(m.group(4))) if m.group(3) else (0.0, 1.0)
    for v in rand(shape, int(m.group(2) or 1), low, high):
        print(repr(v))


if __name__ == "__main__":
    main(sys.argv[1])
