"""Word frequencies of a text: how often each of 16 common English words occurs (case-insensitive), and how many
other words there are. The vocabulary is fixed (a list, searched); a count of every distinct word needs a dict."""
from kiln import compile

VOCAB = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on"]


@compile
def word_freq(text: str) -> list[int]:
    vocab = VOCAB
    counts = [0] * (len(vocab) + 1)
    for w in text.lower().split():
        if w in vocab:
            counts[vocab.index(w)] += 1
        else:
            counts[len(vocab)] += 1
    return counts
