"""The Vigenère cipher over the ASCII letters of a text, one character at a time (case kept, everything else as is)."""
from kiln import compile


@compile
def vigenere(text: str, key: str) -> str:
    out = ""
    k = 0
    n = len(key)
    for c in text:
        if "a" <= c <= "z":
            out += chr((ord(c) - 97 + ord(key[k % n]) - 65) % 26 + 97)
            k += 1
        elif "A" <= c <= "Z":
            out += chr((ord(c) - 65 + ord(key[k % n]) - 65) % 26 + 65)
            k += 1
        else:
            out += c
    return out
