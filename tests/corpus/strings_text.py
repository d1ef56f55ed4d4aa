"""Text processing: words, palindromes, anagrams, run-length encoding, case conversions, histograms."""
from kiln import compile


@compile(examples=["A man, a plan, a canal: Panama", "racecar", "hello", "", "Was it a car or a cat I saw?", "ésé"])
def is_palindrome(s: str) -> bool:
    cleaned = "".join([c.lower() for c in s if c.isalnum()])
    return cleaned == cleaned[::-1]


@compile(examples=[("listen", "silent"), ("Dormitory", "dirty room"), ("abc", "abd"), ("", "")])
def is_anagram(a: str, b: str) -> bool:
    return sorted(a.lower().replace(" ", "")) == sorted(b.lower().replace(" ", ""))


@compile(examples=["aaabccdddd", "", "abc", "zzzzzzzzzzzz", "ééé😀😀"])
def rle_encode(s: str) -> str:
    if not s:
        return ""
    out = ""
    run = s[0]
    count = 1
    for c in s[1:]:
        if c == run:
            count += 1
        else:
            out += f"{count}{run}"
            run = c
            count = 1
    return out + f"{count}{run}"


@compile(examples=["3a1b2c4d", "12z", "", "a", "2"])
def rle_decode(s: str) -> str:
    out = ""
    num = 0
    for c in s:
        if c.isdigit():
            num = num * 10 + int(c)
        else:
            if num == 0:
                raise ValueError(f"missing count before {c!r}")
            out += c * num
            num = 0
    if num:
        raise ValueError("trailing count")
    return out


@compile(examples=["helloWorldFooBar", "already_snake", "HTTPServer", "x"])
def camel_to_snake(s: str) -> str:
    out = ""
    for i, c in enumerate(s):
        if c.isupper():
            if i > 0 and (s[i - 1].islower() or (i + 1 < len(s) and s[i + 1].islower())):
                out += "_"
            out += c.lower()
        else:
            out += c
    return out


@compile(examples=["hello_world_foo", "single", "__private_name", "trailing_"])
def snake_to_camel(s: str) -> str:
    parts = s.split("_")
    return parts[0] + "".join([p.capitalize() for p in parts[1:]])


@compile(examples=["Portable Network Graphics", "as soon as possible", "  leading spaces", ""])
def acronym(s: str) -> str:
    return "".join([w[0].upper() for w in s.replace("-", " ").split()])


@compile(examples=["The quick brown fox jumps over the lazy dog", "Hello", "", "Pack my box with five dozen liquor jugs"])
def is_pangram(s: str) -> bool:
    seen = [False] * 26
    for c in s.lower():
        if "a" <= c <= "z":
            seen[ord(c) - ord("a")] = True
    return all(seen)


@compile(examples=["lumberjacks", "isogram", "six-year-old", "Alphabet"])
def is_isogram(s: str) -> bool:
    letters = [c for c in s.lower() if c.isalpha()]
    for i in range(len(letters)):
        if letters[i] in letters[i + 1:]:
            return False
    return True


@compile(examples=["hello world", "", "Mississippi", "AaBb"])
def letter_histogram(s: str) -> list[int]:
    counts = [0] * 26
    for c in s.lower():
        if c.isascii() and c.isalpha():
            counts[ord(c) - ord("a")] += 1
    return counts


@compile(examples=["the cat sat on the mat with the hat", "", "one", "a bb ccc bb a"])
def most_common_word(text: str) -> str:
    words = text.split()
    best = ""
    best_count = 0
    for w in words:
        n = words.count(w)
        if n > best_count:
            best = w
            best_count = n
    return best


@compile(examples=["the quick brown fox", "a", "", "tie tie tie"])
def longest_word(text: str) -> str:
    best = ""
    for w in text.split():
        if len(w) > len(best):
            best = w
    return best


@compile(examples=["hello world", "  a  b  ", "ÉCOLE élève"])
def title_words(s: str) -> str:
    words = []
    for w in s.split(" "):
        words.append(w[:1].upper() + w[1:].lower())
    return " ".join(words)


@compile(examples=["Hello World", "", "abc😀def", "e\u0301"])
def reverse_words_and_chars(s: str) -> str:
    return " ".join(reversed(s.split())) + "|" + s[::-1] + "|" + s[::2] + "|" + s[-1:-4:-1]


@compile(examples=[("hello world", 5), ("a", 3), ("The quick brown fox jumps over the lazy dog", 10)])
def wrap(text: str, width: int) -> str:
    if width < 1:
        raise ValueError("width must be positive")
    lines = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        elif line:
            line += " " + word
        else:
            line = word
    if line:
        lines.append(line)
    return "\n".join(lines)


@compile(examples=["Hello, World! 123", "", "ümlaut ÄÖ"])
def vowel_consonant_counts(s: str) -> tuple[int, int, int]:
    vowels = 0
    consonants = 0
    other = 0
    for c in s.lower():
        if c in "aeiou":
            vowels += 1
        elif c.isalpha():
            consonants += 1
        else:
            other += 1
    return vowels, consonants, other


@compile(examples=[("abcabcbb",), ("bbbbb",), ("pwwkew",), ("",)])
def longest_unique_substring(s: str) -> int:
    best = 0
    start = 0
    for end in range(len(s)):
        j = s.find(s[end], start, end)
        if j >= 0:
            start = j + 1
        if end - start + 1 > best:
            best = end - start + 1
    return best


@compile(examples=[("flower", "flow"), ("dog", "racecar"), ("", "x"), ("same", "same")])
def common_prefix(a: str, b: str) -> str:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return a[:i]


@compile(examples=["hello world", "aAbB", "", "ß"])
def char_codes(s: str) -> list[int]:
    return [ord(c) for c in s]


@compile(examples=[[72, 105, 33], [], [233, 128512]])
def from_codes(codes: list[int]) -> str:
    return "".join([chr(c) for c in codes])
