"""mlcourse.vocab: token ↔ index round trips, <unk> for unknown tokens, one-hot rows, padded batches, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse import corpus, data
from mlcourse.vocab import BOS, EOS, UNK, Vocabulary


def test_vocabulary_layout_and_round_trip():
    g = corpus.sentence_grammar("zh")
    vocab = Vocabulary(g.words)
    assert vocab.tokens[:3] == (UNK, BOS, EOS) and (vocab.unk, vocab.bos, vocab.eos) == (0, 1, 2)
    assert len(vocab) == len(g.words) + 3 and "迟到" in vocab and "猫" not in vocab
    for s in g.sample(30, seed=0):
        ids = vocab.encode(s)
        assert ids.dtype == np.int64 and ids[0] == vocab.bos and ids[-1] == vocab.eos
        assert vocab.decode(ids) == [BOS, *s, EOS]
        assert tuple(vocab.decode(ids, markers=False)) == s
        np.testing.assert_array_equal(vocab.encode(s, markers=False), ids[1:-1])
        assert [vocab.index(t) for t in vocab.decode(ids)] == ids.tolist()


def test_unknown_tokens_map_to_unk():
    vocab = Vocabulary(["我", "昨天", "上学"])
    ids = vocab.encode("我 昨天 逃学 了")
    np.testing.assert_array_equal(ids, [1, 3, 4, 0, 0, 2])
    assert vocab.decode(ids) == [BOS, "我", "昨天", UNK, UNK, EOS]
    assert vocab.index("逃学") == vocab.unk


def test_one_hot():
    vocab = Vocabulary("a b c".split())
    X = vocab.one_hot(vocab.encode("a c"))
    assert X.shape == (4, 6) and X.dtype == np.float64
    np.testing.assert_array_equal(X.sum(axis=1), 1.0)
    np.testing.assert_array_equal(X.argmax(axis=1), [1, 3, 5, 2])
    assert vocab.one_hot(np.array([], dtype=np.int64)).shape == (0, 6)


def test_from_sentences_and_min_count():
    sentences = ["a b", "a c", ("b", "a")]
    assert Vocabulary.from_sentences(sentences).tokens[3:] == ("a", "b", "c")
    rare = Vocabulary.from_sentences(sentences, min_count=2)
    assert rare.tokens[3:] == ("a", "b") and rare.index("c") == rare.unk


def test_encode_batch_pads_inputs_and_targets():
    vocab = Vocabulary("a b c".split())
    inputs, targets = vocab.encode_batch(["a b c", "b"])
    np.testing.assert_array_equal(inputs, [[1, 3, 4, 5], [1, 4, 2, 2]])
    np.testing.assert_array_equal(targets, [[3, 4, 5, 2], [4, 2, -100, -100]])
    assert inputs.dtype == targets.dtype == np.int64
    _, targets = vocab.encode_batch(["b"], pad=0)
    np.testing.assert_array_equal(targets, [[4, 2]])


def test_vocabulary_errors():
    vocab = Vocabulary("a b".split())
    with pytest.raises(ValueError, match=r"indices in \[0, 5\)"):
        vocab.decode([0, 5])
    with pytest.raises(ValueError, match=r"indices in \[0, 5\)"):
        vocab.one_hot(np.array([-1]))
    with pytest.raises(TypeError, match="integer indices"):
        vocab.decode([0.0, 1.0])
    with pytest.raises(TypeError, match="integer indices"):
        vocab.one_hot([[0, 1]])
    with pytest.raises(ValueError, match="other than"):
        Vocabulary(["a", BOS])
    with pytest.raises(ValueError, match="without spaces"):
        Vocabulary(["a b"])
    with pytest.raises(TypeError, match="not one string"):
        Vocabulary("abc")
    with pytest.raises(ValueError, match="min_count must be >= 1"):
        Vocabulary.from_sentences(["a"], min_count=0)
    with pytest.raises(ValueError, match="sentences is empty"):
        vocab.encode_batch([])


def test_inputs_not_modified():
    words = ["a", "b"]
    ids = np.array([1, 3, 2])
    vocab = Vocabulary(words)
    vocab.one_hot(ids)
    vocab.decode(ids)
    assert words == ["a", "b"]
    np.testing.assert_array_equal(ids, [1, 3, 2])


def test_reexported():
    assert corpus.Vocabulary is Vocabulary is data.Vocabulary


@settings(max_examples=50, deadline=None)
@given(sentence=st.lists(st.sampled_from(["a", "b", "c", "zz", "ünknown", "猫"]), max_size=8))
def test_round_trip_property(sentence):
    vocab = Vocabulary(["a", "b", "c"])
    ids = vocab.encode(sentence)
    expected = [w if w in vocab else UNK for w in sentence]
    assert vocab.decode(ids) == [BOS, *expected, EOS]
    X = vocab.one_hot(ids)
    np.testing.assert_array_equal(X.argmax(axis=1), ids)
    inputs, targets = vocab.encode_batch([sentence])
    np.testing.assert_array_equal(inputs[0], ids[:-1])
    np.testing.assert_array_equal(targets[0], ids[1:])
