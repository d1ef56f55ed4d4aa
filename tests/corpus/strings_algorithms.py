"""String algorithms from a textbook: edit distance, LCS, KMP, Z-function, palindromes, brackets."""
from kiln import compile


@compile(examples=[("kitten", "sitting"), ("", "abc"), ("flaw", "lawn"), ("same", "same")])
def levenshtein(a: str, b: str) -> int:
    prev = [j for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev = cur
    return prev[len(b)]


@compile(examples=[("ABCBDAB", "BDCABA"), ("", "x"), ("abc", "abc")])
def lcs(a: str, b: str) -> str:
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if a[i] == b[j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    out = ""
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            out += a[i]
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


@compile(examples=[("abxabcabcaby", "abcaby"), ("aaaa", "aa"), ("abc", ""), ("abc", "d")])
def kmp_search(text: str, pattern: str) -> list[int]:
    if not pattern:
        return [i for i in range(len(text) + 1)]
    fail = [0] * len(pattern)
    k = 0
    for i in range(1, len(pattern)):
        while k > 0 and pattern[i] != pattern[k]:
            k = fail[k - 1]
        if pattern[i] == pattern[k]:
            k += 1
        fail[i] = k
    found = []
    k = 0
    for i, c in enumerate(text):
        while k > 0 and c != pattern[k]:
            k = fail[k - 1]
        if c == pattern[k]:
            k += 1
        if k == len(pattern):
            found.append(i - k + 1)
            k = fail[k - 1]
    return found


@compile(examples=["aabxaab", "aaaaa", "", "abc"])
def z_function(s: str) -> list[int]:
    n = len(s)
    z = [0] * n
    left = right = 0
    for i in range(1, n):
        if i < right:
            z[i] = min(right - i, z[i - left])
        while i + z[i] < n and s[z[i]] == s[i + z[i]]:
            z[i] += 1
        if i + z[i] > right:
            left, right = i, i + z[i]
    return z


@compile(examples=["babad", "cbbd", "a", "", "forgeeksskeegfor"])
def longest_palindrome(s: str) -> str:
    best = ""
    for center in range(2 * len(s) - 1):
        lo = center // 2
        hi = lo + center % 2
        while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
            lo -= 1
            hi += 1
        if hi - lo - 1 > len(best):
            best = s[lo + 1:hi]
    return best


@compile(examples=["([]{})", "([)]", "((", "", "a(b)c", "}"])
def balanced(s: str) -> bool:
    stack = ""
    for c in s:
        if c in "([{":
            stack += c
        elif c in ")]}":
            if not stack or "([{".index(stack[-1]) != ")]}".index(c):
                return False
            stack = stack[:-1]
    return stack == ""


@compile(examples=[("waterbottle", "erbottlewat"), ("abc", "acb"), ("", "")])
def is_rotation(a: str, b: str) -> bool:
    return len(a) == len(b) and b in a + a


@compile(examples=["abracadabra", "", "aaaa"])
def distinct_substrings(s: str) -> int:
    seen = []
    for i in range(len(s)):
        for j in range(i + 1, min(len(s), i + 6) + 1):
            sub = s[i:j]
            if sub not in seen:
                seen.append(sub)
    return len(seen)


@compile(examples=[("hello", "world"), ("", "x"), ("aaa", "aaa")])
def hamming_or_error(a: str, b: str) -> int:
    if len(a) != len(b):
        raise ValueError(f"lengths differ: {len(a)} != {len(b)}")
    return sum([1 for x, y in zip(a, b) if x != y])


@compile(examples=["3[a]2[bc]", "2[abc]3[cd]ef", "10[x]", "abc"])
def decode_repeats(s: str) -> str:
    counts = []
    parts = [""]
    num = 0
    for c in s:
        if c.isdigit():
            num = num * 10 + int(c)
        elif c == "[":
            counts.append(num)
            parts.append("")
            num = 0
        elif c == "]":
            piece = parts.pop() * counts.pop()
            parts[-1] += piece
        else:
            parts[-1] += c
    return parts[0]


@compile(examples=["hello world", "aabbcc", "", "abcabc"])
def first_unique_char(s: str) -> int:
    for i, c in enumerate(s):
        if s.count(c) == 1:
            return i
    return -1


@compile(examples=[("ab", 3), ("xyz", 1), ("", 2)])
def all_strings(alphabet: str, n: int) -> int:
    """How many strings of length n over the alphabet, built one level at a time."""
    n = n % 5
    level = [""]
    for _ in range(n):
        nxt = []
        for w in level:
            for c in alphabet[:4]:
                nxt.append(w + c)
        level = nxt
    return len(level)


@compile(examples=["hello", "", "Mississippi"])
def compress_if_shorter(s: str) -> str:
    out = []
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append(s[i] + str(j - i))
        i = j
    packed = "".join(out)
    return packed if len(packed) < len(s) else s
