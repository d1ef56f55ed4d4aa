"""Seeded simulations with the random module and NumPy's default_rng: Monte Carlo estimates, random walks, a card
game dealt from a shuffled deck, reservoir sampling, bootstrap resampling, weighted dice, and the streams
themselves, which must be CPython's (and NumPy's) number for number on every target (the cross-target sample:
nothing here calls the C library's log/exp/cos; gauss and its kind are in stdlib_math.py)."""
import random
import numpy as np
from kiln import compile


@compile(examples=[(1, 1000), (42, 5000), (7, 0)])
def monte_carlo_pi(seed: int, n: int) -> float:
    random.seed(seed)
    inside = 0
    for _ in range(n):
        x = random.random()
        y = random.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return 4.0 * inside / n if n > 0 else 0.0


@compile(examples=[(3, 20), (12345, 7), (0, 0)])
def stream(seed: int, n: int) -> list[float]:
    """The first n draws of each kind, in order: the stream compared value for value."""
    random.seed(seed)
    out = []
    for i in range(n):
        out.append(random.random())
        out.append(random.uniform(-2.0, 5.0))
        out.append(float(random.randint(-3, 3)))
        out.append(float(random.randrange(0, 1000, 7)))
        out.append(float(random.getrandbits(33)))
        out.append(random.triangular(1.0, 4.0, 1.5))
        out.append(random.triangular())
    return out


@compile(examples=[(2024, 1000), (1, 10)])
def random_walk_2d(seed: int, steps: int) -> tuple[int, int, int]:
    """A lattice walk: the final position and the farthest squared distance reached."""
    random.seed(seed)
    x = 0
    y = 0
    far = 0
    moves = ((1, 0), (-1, 0), (0, 1), (0, -1))
    for _ in range(steps):
        dx, dy = random.choice(moves)
        x += dx
        y += dy
        far = max(far, x * x + y * y)
    return (x, y, far)


def hand_score(hand: list[int]) -> int:
    """Blackjack-style value of cards 0..51: ranks 1..13, faces count 10, an ace 11 when it fits."""
    total = 0
    aces = 0
    for c in hand:
        rank = c % 13 + 1
        if rank == 1:
            aces += 1
            total += 11
        else:
            total += min(rank, 10)
    while total > 21 and aces > 0:
        total -= 10
        aces -= 1
    return total


@compile(examples=[(11, 50), (8, 5), (3, 0)])
def card_game(seed: int, rounds: int) -> list[int]:
    """Each round: shuffle a fresh deck, deal two hands of two, draw to 17; the winner of each round (0, 1 or 2 for a push)."""
    random.seed(seed)
    results = []
    for _ in range(rounds):
        deck = list(range(52))
        random.shuffle(deck)
        player = [deck.pop(), deck.pop()]
        dealer = [deck.pop(), deck.pop()]
        while hand_score(player) < 17:
            player.append(deck.pop())
        while hand_score(dealer) < 17:
            dealer.append(deck.pop())
        p = hand_score(player)
        d = hand_score(dealer)
        if p > 21 or (d <= 21 and d > p):
            results.append(1)
        elif d > 21 or p > d:
            results.append(0)
        else:
            results.append(2)
    return results


@compile(examples=[(17, 100, 5), (4, 3, 5), (1, 50, 1)])
def reservoir_sample(seed: int, n: int, k: int) -> list[int]:
    """Algorithm R over the stream 0..n-1 with a seeded generator of its own."""
    rng = random.Random(seed)
    reservoir = []
    for i in range(n):
        if i < k:
            reservoir.append(i)
        else:
            j = rng.randint(0, i)
            if j < k:
                reservoir[j] = i
    return reservoir


@compile(examples=[(21, [2.5, 3.1, 4.8, 1.2, 9.9, 3.3], 200), (5, [1.0], 10)])
def bootstrap_mean_spread(seed: int, data: list[float], resamples: int) -> tuple[float, float]:
    """The smallest and largest mean over bootstrap resamples (random.choices with k = len(data))."""
    random.seed(seed)
    lo = float("inf")
    hi = float("-inf")
    for _ in range(resamples):
        sample = random.choices(data, k=len(data))
        m = sum(sample) / len(sample)
        lo = min(lo, m)
        hi = max(hi, m)
    return (lo, hi)


@compile(examples=[(8, 600), (100, 6)])
def weighted_dice(seed: int, rolls: int) -> list[int]:
    """A loaded die (weights) and its cumulative form (cum_weights) give the same faces for the same stream."""
    random.seed(seed)
    counts = [0, 0, 0, 0, 0, 0]
    faces = random.choices([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 5], k=rolls)
    for f in faces:
        counts[f - 1] += 1
    random.seed(seed)
    again = random.choices(range(1, 7), cum_weights=[1, 2, 3, 4, 5, 10], k=rolls)
    same = 1 if again == faces else 0
    return counts + [same]


@compile(examples=[(9, 12, 4), (1, 5, 5)])
def lottery(seed: int, pool: int, picks: int) -> list[int]:
    """random.sample draws without replacement, in the order chosen; two generators with one seed agree."""
    a = random.Random(seed)
    b = random.Random(seed)
    first = a.sample(range(1, pool + 1), picks)
    second = b.sample(list(range(1, pool + 1)), picks)
    return first + second + sorted(first)


@compile(examples=[(0,), (1,), (2,), (3,), (4,), (5,), (6,)])
def random_errors(which: int) -> int:
    """CPython's exceptions and messages, raised by the compiled code."""
    random.seed(which)
    xs = [1, 2, 3]
    empty = [0]
    empty.pop()
    if which == 0:
        return random.randrange(0)
    if which == 1:
        return random.randint(10, 1)
    if which == 2:
        return random.randrange(0, 10, 0)
    if which == 3:
        return len(random.sample(xs, 4))
    if which == 4:
        return random.choice(empty)
    if which == 5:
        return len(random.choices(xs, [0.0, 0.0, 0.0], k=2))
    return random.getrandbits(-1)


@compile(examples=[(3,), (7,)])
def unseeded_draws(n: int) -> list[float]:
    """Draws from the module's generator without seeding it: verification seeds both sides alike before each call."""
    return [random.random() for _ in range(n)]


@compile(examples=[(42, 2000), (7, 10)])
def numpy_monte_carlo(seed: int, n: int) -> tuple[float, float, int]:
    """default_rng(seed): a Monte Carlo integral of 1/(1+x^2) on [0, 2) (atan(2)), a normal mean, and integer draws."""
    rng = np.random.default_rng(seed)
    acc = 0.0
    for _ in range(n):
        x = rng.uniform(0.0, 2.0)
        acc += 2.0 / (1.0 + x * x)
    s = 0.0
    for _ in range(n):
        s += rng.normal(1.0, 0.5)
    t = 0
    for _ in range(n):
        t += int(rng.integers(0, 6)) + 1
    return (acc / n, s / n, t)


@compile(examples=[(2, 8), (123, 3)])
def numpy_stream(seed: int, n: int) -> list[float]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        out.append(rng.random())
        out.append(rng.standard_normal())
        out.append(float(rng.integers(1000)))
        out.append(rng.normal(loc=-3.0))
        out.append(rng.uniform(high=10.0))
    return out


@compile(examples=[(5, 7), (2024, 3), (9, 0), (9, 1)])
def numpy_sized_draws(seed: int, n: int) -> tuple[list[float], list[int], float]:
    """size= draws: arrays filled in C order from the stream n one-number calls would read (integers keeps PCG64's
    spare 32-bit half between items); integers(3, 3, size=0) is empty where size=1 raises, as in NumPy."""
    rng = np.random.default_rng(seed)
    u = rng.random(size=n)
    z = rng.normal(1.0, 2.0, size=(n, 2))
    k = rng.integers(3, 3 + n, size=(2, n))
    w = rng.integers(-2**40, 2**40, n)
    e = rng.integers(3, 3, size=(n, 0))
    if n == 0:
        e = rng.integers(3, 3, size=(1, 1))
    v = rng.uniform(-1.0, 1.0, n)
    return (u.tolist() + z[:, 1].tolist() + v.tolist(), k[1].tolist() + w.tolist(), float(e.size + rng.standard_normal(size=(2, 2, n)).sum()))


@compile(examples=[(6, 5), (31, 1), (2, 0)])
def numpy_deal(seed: int, players: int) -> list[float]:
    """A Generator shuffles a deck and picks from lists and from range(players) (ValueError for 0 players)."""
    rng = np.random.default_rng(seed)
    deck = list(range(20))
    rng.shuffle(deck)
    prices = [0.5, 1.25, 2.0, 4.75]
    out = [float(x) for x in deck[:5]]
    for _ in range(4):
        out.append(float(rng.choice(prices)))
        out.append(float(rng.choice(deck)))
    out.append(float(rng.choice(players)))
    return out


@compile(examples=[(6, 5, 12), (31, 20000, 500), (2, 20000, 300), (4, 3, 4), (8, 0, 0), (9, 0, 2)])
def numpy_choice_samples(seed: int, population: int, k: int) -> list[int]:
    """choice(size=) with and without replacement: integers() draws, NumPy's Floyd sample then its shuffle, or its
    tail shuffle of a large population (20000 items, 500 > 20000 // 50); a larger sample than the population without
    replacement, or any from an empty one, is NumPy's ValueError."""
    rng = np.random.default_rng(max(seed, 0))
    n = min(max(population, 0), 30000)
    with_rep = rng.choice(n, size=min(k, 600))
    without = rng.choice(n, size=min(k, 600), replace=False)
    picks = rng.choice([0.5, 1.25, 2.0, 4.75], size=(2, 2), replace=False)
    return with_rep.tolist()[:20] + without.tolist()[:20] + [int(without.sum()), int(picks.sum() * 4)]
