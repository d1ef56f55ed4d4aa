"""Classical ciphers over str: shifts, substitutions and keyed alphabets, as in a cryptography primer."""
import string
from string import ascii_lowercase

from kiln import compile

ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@compile(examples=[("Hello, World!", 3), ("xyz", 4), ("", 5), ("Zebra", -1)])
def caesar(text: str, shift: int) -> str:
    """Shift ASCII letters by `shift`, keeping case; everything else stays."""
    out = ""
    for c in text:
        if "a" <= c <= "z":
            out += chr((ord(c) - ord("a") + shift) % 26 + ord("a"))
        elif "A" <= c <= "Z":
            out += chr((ord(c) - ord("A") + shift) % 26 + ord("A"))
        else:
            out += c
    return out


@compile(examples=["Why did the chicken cross the road?", "Gb trg gb gur bgure fvqr!"])
def rot13(text: str) -> str:
    chars = []
    for c in text:
        if c.isascii() and c.isalpha():
            base = ord("a") if c.islower() else ord("A")
            chars.append(chr((ord(c) - base + 13) % 26 + base))
        else:
            chars.append(c)
    return "".join(chars)


@compile(examples=["wizard", "Attack at dawn"])
def atbash(text: str) -> str:
    out = ""
    for c in text.lower():
        i = ALPHABET.find(c)
        out += ALPHABET[25 - i] if i >= 0 else c
    return out


@compile(examples=["Hello, World! 42", "a-b_c\td", "", "~é9"])
def char_classes(text: str) -> str:
    """The string module's constants: a class letter per character, then the text stripped of punctuation."""
    out = []
    for c in text:
        if c in string.digits:
            out.append("d")
        elif c in ascii_lowercase:
            out.append("l")
        elif c in string.ascii_uppercase:
            out.append("u")
        elif c in string.punctuation:
            out.append("p")
        elif c in string.whitespace:
            out.append("w")
        else:
            out.append("?")
    return "".join(out) + "|" + text.strip(string.punctuation + string.whitespace) + "|" + str(len(string.printable))


@compile(examples=[("ATTACKATDAWN", "LEMON"), ("attack at dawn", "lemon"), ("abc", "")])
def vigenere_encrypt(text: str, key: str) -> str:
    if not key:
        raise ValueError("empty key")
    key = key.lower()
    out = []
    k = 0
    for c in text:
        if c.isascii() and c.isalpha():
            shift = ord(key[k % len(key)]) - ord("a")
            base = ord("A") if c.isupper() else ord("a")
            out.append(chr((ord(c) - base + shift) % 26 + base))
            k += 1
        else:
            out.append(c)
    return "".join(out)


@compile(examples=[("LXFOPVEFRNHR", "LEMON")])
def vigenere_decrypt(text: str, key: str) -> str:
    if not key:
        raise ValueError("empty key")
    key = key.lower()
    out = ""
    k = 0
    for c in text:
        if c.isascii() and c.isalpha():
            shift = ord(key[k % len(key)]) - ord("a")
            base = ord("A") if c.isupper() else ord("a")
            out += chr((ord(c) - base - shift) % 26 + base)
            k += 1
        else:
            out += c
    return out


@compile(examples=[("affine cipher", 5, 8), ("abc", 2, 1)])
def affine_encrypt(text: str, a: int, b: int) -> str:
    """E(x) = (a*x + b) mod 26; `a` must be coprime with 26."""
    if a % 2 == 0 or a % 13 == 0:
        raise ValueError(f"a={a} is not coprime with 26")
    out = ""
    for c in text:
        if "a" <= c <= "z":
            out += ALPHABET[(a * ALPHABET.index(c) + b) % 26]
        else:
            out += c
    return out


@compile(examples=[("WEAREDISCOVEREDFLEEATONCE", 3), ("hello", 1), ("abcdef", 2)])
def rail_fence(text: str, rails: int) -> str:
    if rails < 1:
        raise ValueError("rails must be at least 1")
    if rails == 1:
        return text
    rows = [""] * rails
    r = 0
    step = 1
    for c in text:
        rows[r] += c
        if r == 0:
            step = 1
        elif r == rails - 1:
            step = -1
        r += step
    return "".join(rows)


@compile(examples=[("the quick brown fox", "zebras"), ("hello", "key")])
def keyword_substitution(text: str, keyword: str) -> str:
    """A substitution alphabet that starts with the keyword's letters (each once), then the rest in order."""
    key = ""
    for c in keyword.lower() + ALPHABET:
        if c in ALPHABET and c not in key:
            key += c
    out = ""
    for c in text:
        i = ALPHABET.find(c.lower())
        if i < 0:
            out += c
        elif c.isupper():
            out += key[i].upper()
        else:
            out += key[i]
    return out


@compile(examples=["SOS", "hello world", "éa"])
def to_morse(text: str) -> str:
    codes = [".-", "-...", "-.-.", "-..", ".", "..-.", "--.", "....", "..", ".---", "-.-", ".-..", "--",
             "-.", "---", ".--.", "--.-", ".-.", "...", "-", "..-", "...-", ".--", "-..-", "-.--", "--.."]
    words = []
    for word in text.upper().split():
        letters = []
        for c in word:
            if "A" <= c <= "Z":
                letters.append(codes[ord(c) - ord("A")])
            else:
                letters.append("?")
        words.append(" ".join(letters))
    return " / ".join(words)


@compile(examples=[("hello", 42), ("", 7)])
def xor_checksum(text: str, seed: int) -> int:
    h = seed & 0xFF
    for b in text.encode("utf-8"):
        h = ((h << 1) | (h >> 7)) & 0xFF
        h ^= b
    return h


# `out += ...` in a loop that uses out for nothing else appends through a builder (opt/appendLoops.ts); these take
# its other paths: widening past one byte per character, a break, an error raised while it is open, and split loops
# whose word string is reused (kr_str_piece) or kept.
@compile(examples=[("ab", 4), ("", 3), ("é", 2)])
def mixed_width_build(s: str, n: int) -> str:
    out = ""
    for i in range(min(n, 50)):
        for c in s:
            out += c
        out += "é" if i % 3 == 0 else "中"
        out += chr(0x1F600 + i % 3)
    return out


@compile(examples=[("the quick brown fox", "brown"), ("a b c", "z"), ("", "a")])
def words_until(text: str, stop: str) -> str:
    out = "x"
    long_words = []
    for w in text.split():
        if w == stop:
            break
        if len(w) > 3:
            long_words.append(w)
        out += w
        out += "-"
    for w in text.split(" "):
        w = w.strip()
        out += w.upper()
    return out + "|" + ",".join(long_words)


@compile(examples=[("abc", 1), ("abc", 1114100), ("", 5)])
def shift_chars(s: str, shift: int) -> str:
    out = ""
    k = 0
    while k < len(s):
        out += chr(ord(s[k]) + shift)
        k += 1
    return out


@compile(examples=[("hé😀", 5), ("", 2)])
def byte_values(s: str, n: int) -> list[int]:
    out = list(s.encode("utf-8")[: min(n, 50)])
    out.append(len(list(b"")))
    return out
