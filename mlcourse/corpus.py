"""Offline sentences for the RNN chapter: a probabilistic grammar with an exact entropy floor (the Vocabulary of
mlcourse.vocab is re-exported here).

A Grammar is a probabilistic finite automaton whose next state is fixed by the current state and the token it
emits. The words seen so far therefore determine the state, so the true p(w_t | w_1 … w_{t−1}) is that state's
token distribution, and the best possible per-token loss of any model is computable exactly:
H = E[−ln p(sentence)] / E[T] = Σ_q v_q H_q / Σ_q v_q, with v_q the expected visits of state q per sentence
(from (I − P)⁻¹) and T the number of tokens a model predicts per sentence (the words and </s>).
"""

from __future__ import annotations

import bisect
import itertools
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from mlcourse._corpus_rules import RULES
from mlcourse.vocab import BOS, EOS, UNK, Vocabulary, _count, _words

END = -1  # the state after </s>

__all__ = ["BOS", "END", "EOS", "UNK", "Grammar", "Vocabulary", "sentence_grammar"]


class Grammar:
    """rules: state -> [(probability, words, next state or None = end of sentence)]; words "迟到 了" or a tuple.

    Each state's probabilities sum to 1 and its rules start with different tokens (words=() only to end).
    Phrases of several words become chains of one-token states, so every state emits exactly one token.
    """

    def __init__(self, rules: Mapping[str, Sequence[tuple]], start: str):
        if not isinstance(rules, Mapping) or not rules:
            raise TypeError("rules must be a non-empty dict: state -> [(probability, words, next state or None)]")
        if start not in rules:
            raise ValueError(f"start must be one of the states {list(rules)}, got {start!r}")
        names = {name: i for i, name in enumerate(rules)}
        self._emit: list[list[str]] = [[] for _ in names]  # tokens of state q
        self._prob: list[list[float]] = [[] for _ in names]
        self._next: list[list[int]] = [[] for _ in names]
        for name, state_rules in rules.items():
            for p, words, nxt in _checked_rules(name, state_rules, names):
                chain = [*words, EOS] if nxt is None else list(words)
                q, p_step = names[name], p
                for i, token in enumerate(chain):
                    last = i == len(chain) - 1
                    target = (END if nxt is None else names[nxt]) if last else len(self._emit)
                    if not last:
                        self._add_state()
                    self._emit[q].append(token)
                    self._prob[q].append(p_step)
                    self._next[q].append(target)
                    q, p_step = target, 1.0
        self.start = names[start]
        self.words = tuple(
            dict.fromkeys(w for state_rules in rules.values() for _, ws, _ in state_rules for w in _words(ws))
        )
        P = np.zeros((len(self._emit), len(self._emit)))  # P[q, r] = p(next state r | q), END left out
        for q in range(len(self._emit)):
            for p, r in zip(self._prob[q], self._next[q], strict=True):
                if r != END:
                    P[q, r] += p
        if np.max(np.abs(np.linalg.eigvals(P))) > 1.0 - 1e-9:
            raise ValueError("rules must end every sentence with probability 1 (a loop without a way out?)")
        start_row = np.zeros(len(self._emit))
        start_row[self.start] = 1.0
        self.visits = np.linalg.solve((np.eye(len(P)) - P).T, start_row)  # v = e_start (I − P)⁻¹
        self.state_entropy = np.array([-sum(p * math.log(p) for p in probs) for probs in self._prob])

    def _add_state(self) -> None:
        self._emit.append([])
        self._prob.append([])
        self._next.append([])

    def sample(self, n: int, seed: int | np.random.Generator) -> list[tuple[str, ...]]:
        """n sentences (tuples of words, no <s> or </s>) drawn with a numpy Generator or an int seed."""
        n = _count(n, "n")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(_count(seed, "seed", 0))
        cum = [list(itertools.accumulate(probs)) for probs in self._prob]
        out = []
        for _ in range(n):
            words, q = [], self.start
            while q != END:
                i = min(bisect.bisect_right(cum[q], rng.random()), len(cum[q]) - 1)
                words.append(self._emit[q][i])
                q = self._next[q][i]
            out.append(tuple(words[:-1]))
        return out

    def log_prob(self, sentence) -> float:
        """ln p(w_1 … w_L </s>) = Σ_t ln p(w_t | w_<t); −inf for a sentence the grammar cannot produce."""
        q, total = self.start, 0.0
        for token in [*_words(sentence), EOS]:
            if q == END or token not in self._emit[q]:
                return -math.inf
            i = self._emit[q].index(token)
            total += math.log(self._prob[q][i])
            q = self._next[q][i]
        return total

    def next_token_probs(self, history) -> dict[str, float]:
        """p(w_t | w_1 … w_{t−1}) as {token: probability}; history: the words so far (no <s>)."""
        q = self.start
        for token in _words(history):
            if q == END or token not in self._emit[q]:
                raise ValueError(f"history {tuple(_words(history))} cannot be produced by this grammar")
            q = self._next[q][self._emit[q].index(token)]
        if q == END:
            raise ValueError("history already ends with </s>")
        return dict(zip(self._emit[q], self._prob[q], strict=True))

    def expected_tokens(self) -> float:
        """E[T]: tokens predicted per sentence, the words and </s> (every visit of a state emits one token)."""
        return float(self.visits.sum())

    def entropy_per_token(self) -> float:
        """H = E[−ln p(sentence)] / E[T] in nats: the lowest per-token loss any model can reach on average."""
        return float(self.visits @ self.state_entropy / self.visits.sum())

    def unigram_entropy_per_token(self) -> float:
        """The best per-token loss of a model that ignores the history: H of the token frequencies."""
        counts = self._bigram_counts().sum(axis=0)
        return _conditional_entropy(counts[None, :]) / self.expected_tokens()

    def bigram_entropy_per_token(self) -> float:
        """The best per-token loss of a model that sees only the previous token (<s> before the first)."""
        return _conditional_entropy(self._bigram_counts()) / self.expected_tokens()

    def nll_per_token(self, sentences: Iterable) -> float:
        """−Σ ln p(sentence) / Σ T over the given sentences: the true grammar's own loss on them."""
        sentences = [_words(s) for s in sentences]
        if not sentences:
            raise ValueError("sentences is empty")
        return -sum(self.log_prob(s) for s in sentences) / sum(len(s) + 1 for s in sentences)

    def all_sentences(self, max_words: int) -> list[tuple[tuple[str, ...], float]]:
        """Every sentence of at most max_words words with its probability, most probable first."""
        max_words = _count(max_words, "max_words", 0)
        found, stack = [], [(self.start, (), 1.0)]
        while stack:
            q, words, p = stack.pop()
            for token, p_tok, r in zip(self._emit[q], self._prob[q], self._next[q], strict=True):
                if token == EOS:
                    found.append((words, p * p_tok))
                elif len(words) < max_words:
                    stack.append((r, (*words, token), p * p_tok))
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def _bigram_counts(self) -> np.ndarray:
        """E[count of (previous token a, token b)] per sentence, a = <s> first; rows <s> + words, cols words + </s>."""
        prev, cur = {t: i for i, t in enumerate((BOS, *self.words))}, {t: i for i, t in enumerate((*self.words, EOS))}
        counts = np.zeros((len(prev), len(cur)))
        for b, p in zip(self._emit[self.start], self._prob[self.start], strict=True):
            counts[prev[BOS], cur[b]] += p
        for q, v in enumerate(self.visits):
            for a, p_a, r in zip(self._emit[q], self._prob[q], self._next[q], strict=True):
                if r != END:
                    for b, p_b in zip(self._emit[r], self._prob[r], strict=True):
                        counts[prev[a], cur[b]] += v * p_a * p_b
        return counts


def sentence_grammar(lang: str = "zh") -> Grammar:
    """The course corpus: short sentences like 我 昨天 上学 迟到 了 (zh) or I was late for school yesterday (en)."""
    if lang not in RULES:
        raise ValueError(f"lang must be one of {sorted(RULES)}, got {lang!r}")
    return Grammar(RULES[lang](), start="start")


def _checked_rules(name: str, state_rules, names: Mapping[str, int]) -> list[tuple[float, tuple[str, ...], str]]:
    if isinstance(state_rules, (str, bytes)) or not isinstance(state_rules, Sequence) or not state_rules:
        raise TypeError(f"rules[{name!r}] must be a non-empty list of (probability, words, next state) tuples")
    out = []
    for rule in state_rules:
        if not isinstance(rule, tuple) or len(rule) != 3:
            raise TypeError(f"rules[{name!r}] holds {rule!r}; expected (probability, words, next state or None)")
        p, words, nxt = rule
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 < p <= 1:
            raise ValueError(f"rules[{name!r}]: probability must be in (0, 1], got {p!r}")
        words = _words(words)
        if any(w in (UNK, BOS, EOS) for w in words):
            raise ValueError(f"rules[{name!r}]: {UNK}, {BOS} and {EOS} are added by the grammar, not written in rules")
        if nxt is not None and nxt not in names:
            raise ValueError(f"rules[{name!r}]: next state {nxt!r} is not a state")
        if nxt is not None and not words:
            raise ValueError(f"rules[{name!r}]: a rule going to {nxt!r} must emit at least one word")
        out.append((float(p), words, nxt))
    if abs(sum(p for p, _, _ in out) - 1.0) > 1e-9:
        raise ValueError(f"rules[{name!r}]: probabilities must sum to 1, got {sum(p for p, _, _ in out):.6g}")
    firsts = [words[0] if words else EOS for _, words, _ in out]
    if len(set(firsts)) != len(firsts):
        raise ValueError(f"rules[{name!r}]: rules must start with different tokens, got {firsts}")
    return out


def _conditional_entropy(counts: np.ndarray) -> float:
    """−Σ_ab c_ab ln(c_ab / Σ_b c_ab): the loss of the best model p(b | a) on expected counts c."""
    rows = counts.sum(axis=1, keepdims=True)
    mask = counts > 0
    return float(-np.sum(counts[mask] * np.log((counts / np.where(rows > 0, rows, 1.0))[mask])))
