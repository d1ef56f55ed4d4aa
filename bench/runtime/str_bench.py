"""
CPython's side of bench/runtime/str_bench.c: the same string work, timed the same way (best of REPS runs, CPU time).

  python3 str_bench.py gen FILE           writes the 1 MB text both sides read (deterministic)
  python3 str_bench.py CASE FILE [REPS]   prints "CASE best_ms checksum"

Cases: iadd_100k / iadd_1m (s += 'word ' 100,000 / 1,000,000 times: linear time), wordfreq (text.lower().split()
counted in a dict; wordfreq_iter is the same here, Kiln's side iterates the split), caesar (shift letters by 3, ''.join of a list), caesar_iadd (the same with out += c),
caesar_cp (the same as caesar here: Kiln's side lowers it to code points).
"""
import sys
import time


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return state, z ^ (z >> 31)


def gen(path):
    """About 1 MB of words (a Zipf-like vocabulary of 5,000, mixed case, some accented), spaces, punctuation."""
    state = 42
    letters = 'etaoinshrdlucmfwypvbgkjqxz'
    vocab = []
    for _ in range(5000):
        state, r = splitmix64(state)
        n = 2 + r % 9
        w = ''
        for _ in range(n):
            state, r = splitmix64(state)
            w += letters[min(r % 26, r % 27 % 26)]
        state, r = splitmix64(state)
        if r % 50 == 0:
            w += '\u00e9'
        vocab.append(w)
    out, size = [], 0
    while size < 1 << 20:
        state, r = splitmix64(state)
        # a rough Zipf: small ranks much more often
        rank = int(5000 ** ((r % 10000) / 10000)) - 1
        w = vocab[rank]
        state, r = splitmix64(state)
        if r % 7 == 0:
            w = w.capitalize()
        sep = ' ' if r % 11 else ('.\n' if r % 2 else ', ')
        out.append(w + sep)
        size += len(w) + len(sep)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(''.join(out))


def iadd(n):
    s = ''
    for _ in range(n):
        s += 'word '
    return len(s)


def wordfreq(text):
    counts = {}
    for w in text.lower().split():
        counts[w] = counts.get(w, 0) + 1
    return len(counts) * 1000003 + max(counts.values())


def caesar(text):
    out = []
    for c in text:
        if 'a' <= c <= 'z':
            out.append(chr((ord(c) - 97 + 3) % 26 + 97))
        elif 'A' <= c <= 'Z':
            out.append(chr((ord(c) - 65 + 3) % 26 + 65))
        else:
            out.append(c)
    return ''.join(out)


def caesar_iadd(text):
    out = ''
    for c in text:
        if 'a' <= c <= 'z':
            out += chr((ord(c) - 97 + 3) % 26 + 97)
        elif 'A' <= c <= 'Z':
            out += chr((ord(c) - 65 + 3) % 26 + 65)
        else:
            out += c
    return out


def main():
    if sys.argv[1] == 'gen':
        gen(sys.argv[2])
        return
    case, path = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with open(path, encoding='utf-8') as f:
        text = f.read()
    work = {
        'iadd_100k': lambda: iadd(100_000),
        'iadd_1m': lambda: iadd(1_000_000),
        'wordfreq': lambda: wordfreq(text),
        'wordfreq_iter': lambda: wordfreq(text),
        'caesar': lambda: (lambda r: len(r) * 1000 + r.count('d'))(caesar(text)),
        'caesar_iadd': lambda: (lambda r: len(r) * 1000 + r.count('d'))(caesar_iadd(text)),
        'caesar_cp': lambda: (lambda r: len(r) * 1000 + r.count('d'))(caesar(text)),
    }[case]
    best, check = float('inf'), None
    for _ in range(reps):
        t = time.process_time()
        check = work()
        best = min(best, time.process_time() - t)
    print(f'{case} {best * 1000:.3f} {check}')


if __name__ == '__main__':
    main()
