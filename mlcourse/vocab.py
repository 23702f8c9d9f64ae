"""Vocabulary: token ↔ index with the sentence markers <s>, </s> and <unk> for unknown tokens, one-hot vectors,
and padded input/target batches for next-token prediction."""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

from mlcourse.softmax import one_hot

BOS, EOS, UNK = "<s>", "</s>", "<unk>"

__all__ = ["BOS", "EOS", "UNK", "Vocabulary"]


class Vocabulary:
    """token ↔ index: 0 = <unk> (any unknown token), 1 = <s>, 2 = </s>, then the words in the order given."""

    def __init__(self, words: Iterable[str]):
        if isinstance(words, str):
            raise TypeError("words must be a list of tokens, not one string")
        words = list(dict.fromkeys(words))
        bad = [w for w in words if not isinstance(w, str) or not w or w in (UNK, BOS, EOS) or w.split() != [w]]
        if bad:
            raise ValueError(f"words must be non-empty strings without spaces, other than {UNK} {BOS} {EOS}: {bad}")
        self.tokens = (UNK, BOS, EOS, *words)
        self._index = {t: i for i, t in enumerate(self.tokens)}
        self.unk, self.bos, self.eos = 0, 1, 2

    @classmethod
    def from_sentences(cls, sentences: Iterable, min_count: int = 1) -> Vocabulary:
        """The words seen at least min_count times, in order of first appearance; rarer words become <unk>."""
        min_count = _count(min_count, "min_count")
        counts: dict[str, int] = {}
        for sentence in sentences:
            for w in _words(sentence):
                counts[w] = counts.get(w, 0) + 1
        return cls(w for w, c in counts.items() if c >= min_count)

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token) -> bool:
        return token in self._index

    def index(self, token: str) -> int:
        """The index of token, or of <unk> when it is not in the vocabulary."""
        return self._index.get(token, self.unk)

    def encode(self, sentence, *, markers: bool = True) -> np.ndarray:
        """[<s>, w_1, …, w_L, </s>] as indices (markers=False: the words only).  -> (L+2,) or (L,) int64"""
        tokens = [BOS, *_words(sentence), EOS] if markers else _words(sentence)
        return np.array([self.index(t) for t in tokens], dtype=np.int64)

    def decode(self, ids, *, markers: bool = True) -> list[str]:
        """Indices -> tokens; markers=False drops <s> and </s>."""
        ids = self._checked_ids(ids)
        return [self.tokens[i] for i in ids if markers or i not in (self.bos, self.eos)]

    def one_hot(self, ids) -> np.ndarray:
        """X[t, i] = 1 if i = ids[t].  ids: (T,) -> (T, K), K = len(vocabulary)"""
        return one_hot(self._checked_ids(ids), len(self))

    def encode_batch(self, sentences: Iterable, pad: int = -100) -> tuple[np.ndarray, np.ndarray]:
        """Inputs [<s>, w…] and targets [w…, </s>] of each sentence, padded: inputs with </s>, targets with pad
        (torch's ignore_index).  -> (N, T_max), (N, T_max) int64, T_max = longest sentence + 1"""
        encoded = [self.encode(s) for s in sentences]
        if not encoded:
            raise ValueError("sentences is empty")
        T = max(len(e) for e in encoded) - 1
        inputs, targets = np.full((len(encoded), T), self.eos), np.full((len(encoded), T), int(pad))
        for i, e in enumerate(encoded):
            inputs[i, : len(e) - 1], targets[i, : len(e) - 1] = e[:-1], e[1:]
        return inputs, targets

    def _checked_ids(self, ids) -> np.ndarray:
        arr = np.asarray(ids)
        if arr.ndim != 1 or not (arr.size == 0 or np.issubdtype(arr.dtype, np.integer)):
            raise TypeError(f"ids must be a 1-D array of integer indices, got dtype {arr.dtype} shape {arr.shape}")
        if arr.size and (arr.min() < 0 or arr.max() >= len(self)):
            raise ValueError(f"ids must be indices in [0, {len(self)}), got min {arr.min()} and max {arr.max()}")
        return arr.astype(np.int64)


def _words(sentence) -> tuple[str, ...]:
    """A sentence as a tuple of tokens: "我 昨天 上学" is split on spaces; a list or tuple is kept."""
    if isinstance(sentence, str):
        return tuple(sentence.split())
    if isinstance(sentence, Iterable):
        tokens = tuple(sentence)
        if all(isinstance(w, str) for w in tokens):
            return tokens
    raise TypeError(f"a sentence must be a string or a sequence of string tokens, got {sentence!r}")


def _count(x, name: str, minimum: int = 1) -> int:
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(x).__name__}")
    if x < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {x}")
    return int(x)
