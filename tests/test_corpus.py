"""mlcourse.corpus: the exact entropy floor against brute-force enumeration and Monte Carlo, seeded sampling,
log-probabilities, the bigram/unigram floors, and the checks of the grammar rules."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse import corpus, data
from mlcourse.corpus import BOS, EOS, Grammar

TINY = {
    "start": [(0.6, "a", "x"), (0.4, "b c", None)],
    "x": [(0.5, "c", None), (0.25, "a b", "y"), (0.25, (), None)],
    "y": [(1.0, "d", None)],
}


def brute_force(grammar, max_words=50):
    """(per-token entropy, bigram floor, unigram floor, total probability) from every sentence, by enumeration."""
    sentences = grammar.all_sentences(max_words)
    nll = sum(-p * math.log(p) for _, p in sentences)
    tokens = sum(p * (len(s) + 1) for s, p in sentences)
    pairs, singles = {}, {}
    for s, p in sentences:
        seq = (BOS, *s, EOS)
        for a, b in itertools.pairwise(seq):
            pairs[a, b] = pairs.get((a, b), 0.0) + p
            singles[b] = singles.get(b, 0.0) + p
    rows = {}
    for (a, _), c in pairs.items():
        rows[a] = rows.get(a, 0.0) + c
    bigram = -sum(c * math.log(c / rows[a]) for (a, _), c in pairs.items())
    unigram = -sum(c * math.log(c / tokens) for c in singles.values())
    return nll / tokens, bigram / tokens, unigram / tokens, sum(p for _, p in sentences)


def random_acyclic_rules(seed):
    """A random grammar whose states only move forward (a finite language), 1–3 rules per state."""
    rng = np.random.default_rng(seed)
    n_states = int(rng.integers(1, 5))
    rules = {}
    for q in range(n_states):
        k = int(rng.integers(1, 4))
        p = rng.dirichlet(np.ones(k))
        p[-1] = 1.0 - p[:-1].sum()
        firsts = rng.choice(list("abcdefg"), size=k, replace=False)
        state_rules = []
        for i in range(k):
            words = (str(firsts[i]), *rng.choice(list("xyz"), size=int(rng.integers(0, 2))))
            nxt = f"q{rng.integers(q + 1, n_states)}" if q + 1 < n_states and rng.random() < 0.6 else None
            state_rules.append((float(p[i]), words, nxt))
        rules[f"q{q}"] = state_rules
    return rules


# ---------------------------------------------------------------- exact floors


def test_tiny_grammar_against_enumeration_and_by_hand():
    g = Grammar(TINY, start="start")
    H, bigram, unigram, total = brute_force(g)
    assert total == pytest.approx(1.0, abs=1e-12)
    assert g.entropy_per_token() == pytest.approx(H, rel=1e-12)
    assert g.bigram_entropy_per_token() == pytest.approx(bigram, rel=1e-12)
    assert g.unigram_entropy_per_token() == pytest.approx(unigram, rel=1e-12)
    # by hand: a·c (.3), a (.15), a·a·b·d (.15), b·c (.4); tokens include </s>
    probs = {("a", "c"): 0.3, ("a",): 0.15, ("a", "a", "b", "d"): 0.15, ("b", "c"): 0.4}
    assert dict(g.all_sentences(10)) == pytest.approx(probs)
    e_tokens = sum(p * (len(s) + 1) for s, p in probs.items())
    assert g.expected_tokens() == pytest.approx(e_tokens)
    assert g.entropy_per_token() == pytest.approx(-sum(p * math.log(p) for p in probs.values()) / e_tokens)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_course_grammars_against_enumeration(lang):
    g = corpus.sentence_grammar(lang)
    H, bigram, unigram, total = brute_force(g)
    assert total == pytest.approx(1.0, abs=1e-12)
    assert g.entropy_per_token() == pytest.approx(H, rel=1e-12)
    assert g.bigram_entropy_per_token() == pytest.approx(bigram, rel=1e-12)
    assert g.unigram_entropy_per_token() == pytest.approx(unigram, rel=1e-12)
    # memory pays: the true floor is well below what the previous word alone allows
    assert g.entropy_per_token() < 0.9 * g.bigram_entropy_per_token() < g.unigram_entropy_per_token()


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_finite_grammars_against_enumeration(seed):
    g = Grammar(random_acyclic_rules(seed), start="q0")
    H, bigram, unigram, total = brute_force(g)
    assert total == pytest.approx(1.0, abs=1e-9)
    assert g.entropy_per_token() == pytest.approx(H, rel=1e-9, abs=1e-12)
    assert g.bigram_entropy_per_token() == pytest.approx(bigram, rel=1e-9, abs=1e-12)
    assert g.unigram_entropy_per_token() == pytest.approx(unigram, rel=1e-9, abs=1e-12)
    assert g.entropy_per_token() <= g.bigram_entropy_per_token() + 1e-12
    assert g.bigram_entropy_per_token() <= g.unigram_entropy_per_token() + 1e-12


def test_loop_grammar_closed_form():
    # a^k b with p = 0.3^k·0.7: visits of s = 1/0.7, each with entropy H(0.3, 0.7); T = k + 2 tokens
    g = Grammar({"s": [(0.3, "a", "s"), (0.7, "b", None)]}, start="s")
    h = -(0.3 * math.log(0.3) + 0.7 * math.log(0.7))
    assert g.expected_tokens() == pytest.approx(0.3 / 0.7 + 2)
    assert g.entropy_per_token() == pytest.approx(h / 0.7 / (0.3 / 0.7 + 2), rel=1e-12)
    H, _, _, total = brute_force(g, max_words=60)  # the enumeration misses only 0.3^60 of the mass
    assert total == pytest.approx(1.0, abs=1e-12)
    assert g.entropy_per_token() == pytest.approx(H, rel=1e-12)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_monte_carlo_estimate_agrees(lang):
    g = corpus.sentence_grammar(lang)
    sentences = g.sample(20_000, seed=0)
    nll = np.array([-g.log_prob(s) for s in sentences])
    tokens = np.array([len(s) + 1 for s in sentences])
    ratio = nll.sum() / tokens.sum()
    std_error = np.sqrt(np.sum((nll - ratio * tokens) ** 2)) / tokens.sum()  # delta method for a ratio
    assert abs(ratio - g.entropy_per_token()) < 4 * std_error
    assert g.nll_per_token(sentences) == pytest.approx(ratio)
    assert tokens.mean() == pytest.approx(g.expected_tokens(), rel=0.01)


def test_monte_carlo_bigram_floor():
    g = corpus.sentence_grammar("en")
    sentences = g.sample(20_000, seed=1)
    counts = {}
    for s in sentences:
        seq = (BOS, *s, EOS)
        for a, b in itertools.pairwise(seq):
            counts.setdefault(a, {}).setdefault(b, 0)
            counts[a][b] += 1
    loss = -sum(c * math.log(c / sum(row.values())) for row in counts.values() for c in row.values())
    assert loss / sum(len(s) + 1 for s in sentences) == pytest.approx(g.bigram_entropy_per_token(), rel=0.02)


# ---------------------------------------------------------------- sampling and probabilities


def test_sampling_is_seeded():
    g = corpus.sentence_grammar("zh")
    a = g.sample(50, seed=3)
    assert a == g.sample(50, seed=np.random.default_rng(3))
    assert a != g.sample(50, seed=4)
    assert all(isinstance(s, tuple) and all(w in g.words for w in s) for s in a)
    assert data.sentence_grammar("zh").sample(5, 3) == a[:5]  # re-exported from mlcourse.data


def test_the_seed_example_is_in_the_corpus():
    g = corpus.sentence_grammar("zh")
    assert g.log_prob("我 昨天 上学 迟到 了") == pytest.approx(math.log(0.3 * 0.45 * 0.5 * 0.45))
    assert g.log_prob(["我", "昨天", "上学", "迟到", "了"]) == g.log_prob("我 昨天 上学 迟到 了")
    assert g.next_token_probs("你 明天 上班 不会 迟到") == {"吗": 0.5, EOS: 0.5}
    assert g.next_token_probs("我 明天 上班 不会 迟到") == {EOS: 1.0}
    assert set(g.next_token_probs("我 昨天 上学")) == {"迟到", "没有", "到"}
    en = corpus.sentence_grammar("en")
    assert en.next_token_probs("they were early for work") == pytest.approx({"yesterday": 0.7, "last": 0.3})
    assert en.log_prob("I were late for school yesterday") == -math.inf


def test_log_prob_is_the_sum_of_conditionals_and_normalised():
    g = Grammar(TINY, start="start")
    assert sum(math.exp(g.log_prob(s)) for s, _ in g.all_sentences(10)) == pytest.approx(1.0)
    words = ("a", "a", "b", "d")
    chain = sum(math.log(g.next_token_probs(words[:t])[w]) for t, w in enumerate((*words, EOS)))
    assert g.log_prob(words) == pytest.approx(chain)
    assert g.log_prob("a c d") == -math.inf and g.log_prob("q") == -math.inf


def test_impossible_history():
    g = Grammar(TINY, start="start")
    with pytest.raises(ValueError, match="cannot be produced"):
        g.next_token_probs("b a")
    with pytest.raises(ValueError, match="cannot be produced"):
        g.next_token_probs("b c x")
    with pytest.raises(TypeError, match="sequence of string tokens"):
        g.log_prob([1, 2])
    with pytest.raises(ValueError, match="sentences is empty"):
        g.nll_per_token([])


@pytest.mark.parametrize(
    ("rules", "start", "error", "message"),
    [
        ({"s": [(0.5, "a", None)]}, "s", ValueError, "must sum to 1"),
        ({"s": [(0.5, "a", None), (0.5, "a b", None)]}, "s", ValueError, "start with different tokens"),
        ({"s": [(1.0, "a", "t")]}, "s", ValueError, "'t' is not a state"),
        ({"s": [(1.0, "a", "s")]}, "s", ValueError, "probability 1"),
        ({"s": [(1.0, "a </s>", None)]}, "s", ValueError, "added by the grammar"),
        ({"s": [(1.0, (), "s")]}, "s", ValueError, "at least one word"),
        ({"s": [(1.5, "a", None)]}, "s", ValueError, r"in \(0, 1\]"),
        ({"s": [(1.0, "a", None)]}, "t", ValueError, "start must be one of"),
        ({"s": [(1.0, "a")]}, "s", TypeError, r"expected \(probability, words"),
        ({"s": []}, "s", TypeError, "non-empty list"),
        ({}, "s", TypeError, "non-empty dict"),
    ],
)
def test_grammar_errors(rules, start, error, message):
    with pytest.raises(error, match=message):
        Grammar(rules, start=start)


def test_other_errors():
    with pytest.raises(ValueError, match="lang must be one of"):
        corpus.sentence_grammar("fr")
    g = Grammar(TINY, start="start")
    with pytest.raises(ValueError, match="n must be >= 1"):
        g.sample(0, seed=0)
    with pytest.raises(TypeError, match="seed must be an integer"):
        g.sample(3, seed=1.5)
    with pytest.raises(ValueError, match="max_words must be >= 0"):
        g.all_sentences(-1)
