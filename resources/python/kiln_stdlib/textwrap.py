"""Kiln's compiled textwrap: wrap, fill, shorten, dedent, indent and TextWrapper with CPython's results for every
keyword argument of its TextWrapper (width, initial_indent, subsequent_indent, expand_tabs, tabsize,
replace_whitespace, fix_sentence_endings, break_long_words, drop_whitespace, break_on_hyphens, max_lines,
placeholder), compiled as helpers of the program that imports textwrap. CPython cuts the text into chunks with
regular expressions; here a scanner over the characters finds the same chunks (_chunk_end says which pattern
each test stands for), and tests/stdlib/kiln_stdlib_vs_cpython.py compares them on random texts. Not a module
for CPython to import."""

# The whitespace textwrap knows (ASCII only: a no-break space is part of a word, as in CPython's patterns).
_WS = "\t\n\x0b\x0c\r "


def _word_char(c):
    # The regular expression \w on str: a letter, a digit or numeric character, or the underscore.
    return c == "_" or c.isalnum()


def _letter(c):
    # [^\d\W]: a \w character that is not a decimal digit (the underscore counts).
    return _word_char(c) and not c.isdecimal()


def _word_punct(c):
    # [\w!"'&.,?]: what may stand before an em-dash.
    return _word_char(c) or c in "!\"'&.,?"


def _dashes_then_word(text, j, n):
    # Two or more '-' from j and a \w character right after the last of them.
    k = j
    while k < n and text[k] == "-":
        k += 1
    return k - j >= 2 and k < n and _word_char(text[k])


def _hyphen_breaks(text, j, n):
    # text[j] is '-': a word may end after it when two letters (or letter, '-', letter) come before it and a
    # letter follows it, then another letter or a '-' and a letter.
    before = (j >= 2 and _letter(text[j - 2]) and _letter(text[j - 1])) or (
        j >= 3 and _letter(text[j - 3]) and text[j - 2] == "-" and _letter(text[j - 1]))
    if not before or j + 1 >= n or not _letter(text[j + 1]):
        return False
    if j + 2 < n and _letter(text[j + 2]):
        return True
    return j + 3 < n and text[j + 2] == "-" and _letter(text[j + 3])


def _chunk_end(text, i, n):
    # Where the chunk that starts at i ends, when break_on_hyphens is on. In the order CPython's pattern tries
    # them: a run of whitespace; an em-dash (two or more '-' after a word character or punctuation and before a
    # word character); else the shortest run of other characters that ends after a hyphen between letters
    # ("long-" of "long-term"), before whitespace or the end, or before an em-dash.
    if text[i] in _WS:
        k = i + 1
        while k < n and text[k] in _WS:
            k += 1
        return k
    if i > 0 and _word_punct(text[i - 1]) and _dashes_then_word(text, i, n):
        k = i
        while text[k] == "-":
            k += 1
        return k
    j = i + 1
    while True:
        if j < n and text[j] == "-" and _hyphen_breaks(text, j, n):
            return j + 1
        if j == n or text[j] in _WS:
            return j
        if _word_punct(text[j - 1]) and _dashes_then_word(text, j, n):
            return j
        j += 1


def _chunks(text, expand_tabs, tabsize, replace_whitespace, break_on_hyphens):
    if expand_tabs:
        text = text.expandtabs(tabsize)
    if replace_whitespace:
        for c in "\t\n\x0b\x0c\r":
            text = text.replace(c, " ")
    n = len(text)
    out = []
    i = 0
    while i < n:
        if break_on_hyphens:
            k = _chunk_end(text, i, n)
        else:
            # Runs of whitespace and runs of the rest, in turn.
            blank = text[i] in _WS
            k = i + 1
            while k < n and (text[k] in _WS) == blank:
                k += 1
        out.append(text[i:k])
        i = k
    return out


def _ends_sentence(chunk):
    # A lowercase ASCII letter, then '.', '!' or '?', then maybe one quote, at the end of the chunk.
    n = len(chunk)
    if n >= 1 and chunk[n - 1] in "\"'":
        n -= 1
    return n >= 2 and chunk[n - 1] in ".!?" and "a" <= chunk[n - 2] <= "z"


def _two_spaces_after_sentences(chunks):
    i = 0
    while i < len(chunks) - 1:
        if chunks[i + 1] == " " and _ends_sentence(chunks[i]):
            chunks[i + 1] = "  "
            i += 2
        else:
            i += 1


def _fill_lines(chunks, width, initial_indent, subsequent_indent, break_long_words, drop_whitespace,
                break_on_hyphens, limited, max_lines, placeholder):
    # Greedy: each line takes the chunks that fit after its indent; a chunk longer than any line is cut (after its
    # last hyphen that fits, when there is a letter before it) or, without break_long_words, put alone on a line.
    # With max_lines, the last line allowed ends with the placeholder where it fits.
    if width <= 0:
        raise ValueError("invalid width " + repr(width) + " (must be > 0)")
    if limited:
        last_indent = subsequent_indent if max_lines > 1 else initial_indent
        if len(last_indent) + len(placeholder.lstrip()) > width:
            raise ValueError("placeholder too large for max width")
    lines = []
    n = len(chunks)
    k = 0
    while k < n:
        indent = subsequent_indent if len(lines) > 0 else initial_indent
        room = width - len(indent)
        if drop_whitespace and len(lines) > 0 and chunks[k].strip() == "":
            k += 1
        line = []
        used = 0
        while k < n and used + len(chunks[k]) <= room:
            line.append(chunks[k])
            used += len(chunks[k])
            k += 1
        if k < n and len(chunks[k]) > room:
            if break_long_words:
                cut = room - used if room >= 1 else 1
                chunk = chunks[k]
                if break_on_hyphens and len(chunk) > cut:
                    hyphen = chunk.rfind("-", 0, cut)
                    if hyphen > 0 and chunk.count("-", 0, hyphen) < hyphen:
                        cut = hyphen + 1
                line.append(chunk[:cut])
                chunks[k] = chunk[cut:]
            elif len(line) == 0:
                line.append(chunks[k])
                k += 1
            used = 0
            for c in line:
                used += len(c)
        if drop_whitespace and len(line) > 0 and line[len(line) - 1].strip() == "":
            used -= len(line[len(line) - 1])
            line.pop()
        if len(line) == 0:
            continue
        rest_blank = k == n or (drop_whitespace and k == n - 1 and chunks[k].strip() == "")
        if not limited or len(lines) + 1 < max_lines or (rest_blank and used <= room):
            lines.append(indent + "".join(line))
            continue
        # The last line allowed: drop chunks from its end until the placeholder fits after a word.
        while len(line) > 0:
            if line[len(line) - 1].strip() != "" and used + len(placeholder) <= room:
                lines.append(indent + "".join(line) + placeholder)
                return lines
            used -= len(line[len(line) - 1])
            line.pop()
        if len(lines) > 0:
            previous = lines[len(lines) - 1].rstrip()
            if len(previous) + len(placeholder) <= width:
                lines[len(lines) - 1] = previous + placeholder
                return lines
        lines.append(indent + placeholder.lstrip())
        return lines
    return lines


def _wrapped(text, width, initial_indent, subsequent_indent, expand_tabs, replace_whitespace,
             fix_sentence_endings, break_long_words, drop_whitespace, break_on_hyphens, tabsize, max_lines,
             placeholder):
    chunks = _chunks(text, expand_tabs, tabsize, replace_whitespace, break_on_hyphens)
    if fix_sentence_endings:
        _two_spaces_after_sentences(chunks)
    limited = max_lines is not None
    limit = max_lines if max_lines is not None else 0
    return _fill_lines(chunks, width, initial_indent, subsequent_indent, break_long_words, drop_whitespace,
                       break_on_hyphens, limited, limit, placeholder)


def wrap(text, width=70, *, initial_indent="", subsequent_indent="", expand_tabs=True, replace_whitespace=True,
         fix_sentence_endings=False, break_long_words=True, drop_whitespace=True, break_on_hyphens=True, tabsize=8,
         max_lines=None, placeholder=" [...]"):
    return _wrapped(text, width, initial_indent, subsequent_indent, expand_tabs, replace_whitespace,
                    fix_sentence_endings, break_long_words, drop_whitespace, break_on_hyphens, tabsize, max_lines,
                    placeholder)


def fill(text, width=70, *, initial_indent="", subsequent_indent="", expand_tabs=True, replace_whitespace=True,
         fix_sentence_endings=False, break_long_words=True, drop_whitespace=True, break_on_hyphens=True, tabsize=8,
         max_lines=None, placeholder=" [...]"):
    return "\n".join(_wrapped(text, width, initial_indent, subsequent_indent, expand_tabs, replace_whitespace,
                              fix_sentence_endings, break_long_words, drop_whitespace, break_on_hyphens, tabsize,
                              max_lines, placeholder))


def shorten(text, width, *, initial_indent="", subsequent_indent="", expand_tabs=True, replace_whitespace=True,
            fix_sentence_endings=False, break_long_words=True, drop_whitespace=True, break_on_hyphens=True,
            tabsize=8, placeholder=" [...]"):
    # The words of the text (split at any whitespace) joined by one space, on one line.
    return "\n".join(_wrapped(" ".join(text.strip().split()), width, initial_indent, subsequent_indent, expand_tabs,
                              replace_whitespace, fix_sentence_endings, break_long_words, drop_whitespace,
                              break_on_hyphens, tabsize, 1, placeholder))


def dedent(text):
    # Lines (split at '\n' only) of spaces and tabs alone become empty; the longest run of spaces and tabs that
    # starts every other line is taken off each.
    lines = text.split("\n")
    margin = ""
    found = False
    for i in range(len(lines)):
        line = lines[i]
        lead = len(line) - len(line.lstrip(" \t"))
        if lead == len(line):
            lines[i] = ""
            continue
        head = line[:lead]
        if not found:
            margin = head
            found = True
        elif not head.startswith(margin):
            common = 0
            while common < len(margin) and common < len(head) and margin[common] == head[common]:
                common += 1
            margin = margin[:common]
    if len(margin) > 0:
        for i in range(len(lines)):
            if lines[i].startswith(margin):
                lines[i] = lines[i][len(margin):]
    return "\n".join(lines)


def _has_text(line):
    return line.strip()


# CPython's default predicate: the line has more than whitespace. indent(text, prefix, None) written out goes to
# indent__default (compiled_stdlib.ts), whose None is not called.
def indent(text, prefix, predicate=_has_text):
    out = []
    for line in text.splitlines(True):
        if predicate(line):
            out.append(prefix + line)
        else:
            out.append(line)
    return "".join(out)


def indent__default(text, prefix, predicate=None):
    return indent(text, prefix)


class TextWrapper:
    def __init__(self, width=70, initial_indent="", subsequent_indent="", expand_tabs=True, replace_whitespace=True,
                 fix_sentence_endings=False, break_long_words=True, drop_whitespace=True, break_on_hyphens=True,
                 tabsize=8, *, max_lines=None, placeholder=" [...]"):
        self.width = width
        self.initial_indent = initial_indent
        self.subsequent_indent = subsequent_indent
        self.expand_tabs = expand_tabs
        self.replace_whitespace = replace_whitespace
        self.fix_sentence_endings = fix_sentence_endings
        self.break_long_words = break_long_words
        self.drop_whitespace = drop_whitespace
        self.break_on_hyphens = break_on_hyphens
        self.tabsize = tabsize
        self.max_lines = max_lines
        self.placeholder = placeholder

    def wrap(self, text):
        return _wrapped(text, self.width, self.initial_indent, self.subsequent_indent, self.expand_tabs,
                        self.replace_whitespace, self.fix_sentence_endings, self.break_long_words,
                        self.drop_whitespace, self.break_on_hyphens, self.tabsize, self.max_lines, self.placeholder)

    def fill(self, text):
        return "\n".join(self.wrap(text))
