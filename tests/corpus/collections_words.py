"""Word statistics over a text: frequencies, (word, length) pairs, bigrams, per-letter tallies.

The shapes real text tools use: Counter.most_common, lists of (str, int) tuples sorted and searched, tuple keys
holding str, defaultdict with a lambda, Counters merged in place, an optional dict argument, a dict only read.
"""
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kiln import compile

SAMPLE = "the cat sat on the mat and the dog sat on the log while a cat ran"
STOP = "a an and the on of"


def count_words(words: list[str], into: dict[str, int] | None = None) -> dict[str, int]:
    if into is None:
        into = {}
    for w in words:
        into[w] = into.get(w, 0) + 1
    return into


@compile(examples=[SAMPLE, "", "b a b c a b"])
def top_words(text: str) -> str:
    counts = Counter(text.split())
    out = []
    for word, n in counts.most_common(3):
        out.append(word + "=" + str(n))
    return ",".join(out)


@compile(examples=[SAMPLE, "", "x"])
def longest_words(text: str) -> str:
    pairs = [(w, len(w)) for w in text.split()]
    pairs.sort(key=lambda p: p[1], reverse=True)
    best = pairs[:3]
    return " ".join([w + ":" + str(n) for w, n in best])


@compile(examples=[SAMPLE, "", "a b"])
def frequent_bigram(text: str) -> str:
    words = text.split()
    seen: dict[tuple[str, str], int] = {}
    for i in range(len(words) - 1):
        key = (words[i], words[i + 1])
        seen[key] = seen.get(key, 0) + 1
    best = ("", "")
    best_n = 0
    for key, n in seen.items():
        if n > best_n:
            best, best_n = key, n
    return best[0] + " " + best[1] + " x" + str(best_n)


@compile(examples=[(SAMPLE, "the", "cat"), (SAMPLE, "cat", "dog"), (SAMPLE, "zebra", "cat")])
def bigram_count(text: str, first: str, second: str) -> int:
    words = text.split()
    pairs = Counter([(words[i], words[i + 1]) for i in range(len(words) - 1)])
    table: dict[tuple[str, str], int] = dict(pairs)
    return table[(first, second)]


@compile(examples=[SAMPLE, "", "apple avocado banana"])
def letter_stats(text: str) -> str:
    stats = defaultdict(lambda: [0, 0])
    for w in text.split():
        s = stats[w[0]]
        s[0] += 1
        s[1] += len(w)
    out = ""
    for letter in sorted(stats):
        n, total = stats[letter]
        out += letter + str(n) + "/" + str(total) + " "
    return out.strip()


@compile(examples=[(SAMPLE, "the dog ran away"), ("", "a a"), ("x y", "")])
def merged_counts(first: str, second: str) -> str:
    a = Counter(first.split())
    alias = a
    a += Counter(second.split())
    a -= Counter(["the"])
    return ",".join([w + str(n) for w, n in alias.most_common()])


@compile(examples=[(SAMPLE, "the"), ("", "x"), ("a b a", "a")])
def two_passes(text: str, word: str) -> int:
    words = text.split()
    half = len(words) // 2
    counts = count_words(words[:half])
    counts = count_words(words[half:], counts)
    fresh = count_words(words)
    return counts.get(word, 0) * 100 + fresh.get(word, 0) * 10 + len(counts)


@compile(examples=[SAMPLE, "", "of"])
def content_words(text: str) -> int:
    stop: set[str] = set(STOP.split())
    ignored: dict[str, int] = {}
    n = 0
    for w in text.split():
        if w in stop or w in ignored:
            continue
        n += ignored.get(w, 1)
    return n * 10 + len(ignored)


@compile(examples=[SAMPLE, "", "q"])
def word_positions(text: str) -> str:
    where: dict[str, tuple[int, int]] = {}
    for i, w in enumerate(text.split()):
        if w in where:
            first, _ = where[w]
            where[w] = (first, i)
        else:
            where[w] = (i, i)
    spans = sorted(where.items(), key=lambda kv: kv[1][0] - kv[1][1])
    return " ".join([k + str(v[1] - v[0]) for k, v in spans[:4]])


@dataclass(order=True)
class HuffNode:
    weight: int
    symbols: str = field(compare=False)
    left: "HuffNode | None" = field(default=None, compare=False)
    right: "HuffNode | None" = field(default=None, compare=False)


def code_lengths(node: HuffNode, depth: int, into: dict[str, int]) -> None:
    if node.left is None or node.right is None:
        into[node.symbols] = max(depth, 1)
        return
    code_lengths(node.left, depth + 1, into)
    code_lengths(node.right, depth + 1, into)


@compile(examples=[SAMPLE, "a", "abracadabra", "héllo wörld ☃☃"])
def huffman_size(text: str) -> str:
    """Counter of a str counts its characters; a Huffman tree of dataclass nodes ordered by weight."""
    letters = Counter(text)
    if not letters:
        return "empty"
    heap = [HuffNode(n, ch) for ch, n in sorted(letters.items())]
    heapq.heapify(heap)
    while len(heap) > 1:
        a = heapq.heappop(heap)
        b = heapq.heappop(heap)
        heapq.heappush(heap, HuffNode(a.weight + b.weight, a.symbols + b.symbols, a, b))
    lengths: dict[str, int] = {}
    code_lengths(heap[0], 0, lengths)
    bits = sum(lengths[ch] * n for ch, n in letters.items())
    common = "".join(ch for ch, _ in letters.most_common(2))
    return f"{bits} bits, {len(letters)} symbols, most common {common!r}"
