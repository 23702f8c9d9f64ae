"""mlcourse.check: bilingual feedback that never shows the expected value and never raises on odd input."""

import contextlib
import dataclasses
import io
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from mlcourse import check
from mlcourse._compare import MESSAGES

CJK = "\u4e00-\u9fff"
Y_HAT = np.array([1.0, 2.0, 3.0])
Y = np.array([1.5, 2.0, 2.0])
CASES = [(Y_HAT, Y), (np.arange(4.0), np.ones(4))]


def mse(y_hat, y):
    return float(np.mean((np.asarray(y_hat) - y) ** 2))


def mse_grad(y_hat, y):
    return 2.0 * (np.asarray(y_hat) - y) / y.size


class ArrayRaises:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("cannot be an array")


class DetachRaises:
    """Looks like a torch tensor, but converting it fails."""

    def detach(self):
        raise RuntimeError("device lost")

    def cpu(self):
        return self

    def numpy(self):
        return np.zeros(3)


class GetattrRaises:
    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        raise KeyError(attr)


def generator():
    yield 1.0


# ---------------------------------------------------------------- the text format


def test_format_of_the_three_outcomes():
    assert repr(check.value(0.25, 0.25, name="mse")) == "✅ 正确 / Correct — mse"
    assert repr(check.value(0.25, 0.25)) == "✅ 正确 / Correct"
    assert repr(check.value(..., 0.25, name="mse")) == "❌ 未完成 / not filled in yet — mse"
    assert repr(check.value(None, 0.25)) == "❌ 未完成 / not filled in yet"
    wrong = repr(check.value(0.5, 0.25, name="mse"))
    assert (
        wrong
        == "❌ 不对 / Not quite — mse: 数值不对（超出了容差） / the value is off (outside the tolerance)"
    )
    assert repr(check.value(0.5, 0.25)).startswith("❌ 不对 / Not quite: ")
    done = check.function(mse_grad, mse_grad, CASES, name="mse_grad")
    assert repr(done) == "✅ 正确 / Correct — mse_grad: 2/2 个用例通过 / 2/2 cases pass"


def test_result_is_a_frozen_truthy_object():
    good, bad, missing = check.value(1.0, 1.0), check.value(2.0, 1.0), check.value(..., 1.0)
    assert (good.status, good.ok, bool(good)) == ("correct", True, True)
    assert (bad.status, bad.ok, bool(bad)) == ("wrong", False, False)
    assert (missing.status, missing.ok, bool(missing)) == ("missing", False, False)
    assert str(good) == repr(good) == good.text
    with pytest.raises(dataclasses.FrozenInstanceError):
        good.status = "wrong"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_chinese_typography_of_every_message(key):
    zh, en = MESSAGES[key]
    assert re.search(f"[{CJK}]", zh), "the Chinese template has no Chinese"
    assert not re.search(f"[{CJK}][A-Za-z0-9{{]|[A-Za-z0-9}}][{CJK}]", zh), (
        "need a space between 中文 and Latin"
    )
    assert not re.search("[,;:()]", zh.replace("{", "").replace("}", "")), (
        "Chinese needs full-width punctuation"
    )
    assert not re.search(f"[{CJK}]", en), "the English template has Chinese in it"


def test_chinese_typography_of_composed_texts():
    texts = [
        check.function(lambda a, b: mse_grad(a, b)[:2], mse_grad, CASES, name="g"),
        check.function(mse_grad, mse_grad, CASES),
        check.value([1.0, np.nan, 3.0], [1.0, 2.0, 3.0]),
        check.choice("x", "a", options=["a", "b"]),
    ]
    for text in map(repr, texts):
        assert not re.search(f"[{CJK}][A-Za-z0-9]|[A-Za-z0-9][{CJK}]", text), text


# ---------------------------------------------------------------- correct answers of each kind

EXPECTED = 1.0 / 3.0


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(EXPECTED, id="float"),
        pytest.param([EXPECTED], id="length-1 list"),
        pytest.param(np.array([[EXPECTED]]), id="1x1 array"),
        pytest.param(np.float64(EXPECTED), id="numpy scalar"),
        pytest.param(np.float32(EXPECTED), id="numpy float32"),
        pytest.param(np.array(EXPECTED), id="0-d array"),
        pytest.param(torch.tensor(EXPECTED, dtype=torch.float32), id="float32 tensor"),
        pytest.param(
            torch.tensor([EXPECTED], dtype=torch.float64, requires_grad=True), id="tensor with grad"
        ),
        pytest.param(Fraction(1, 3), id="Fraction"),
    ],
)
def test_correct_scalar_answers(answer):
    result = check.value(answer, EXPECTED, name="third")
    assert result.status == "correct", repr(result)


@pytest.mark.parametrize(
    "answer, expected",
    [
        pytest.param(3, 3.0, id="int"),
        pytest.param(3.0, np.int64(3), id="int expected"),
        pytest.param([0.5, -1.0, 0.0], np.array([0.5, -1.0, 0.0]), id="list"),
        pytest.param((0.5, -1.0, 0.0), np.array([0.5, -1.0, 0.0]), id="tuple"),
        pytest.param(np.arange(6.0).reshape(2, 3), np.arange(6).reshape(2, 3), id="2-D array"),
        pytest.param(torch.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(2, 3), id="tensor"),
        pytest.param(np.array([1.0, np.nan, np.inf]), np.array([1.0, np.nan, np.inf]), id="same nan/inf"),
        pytest.param(np.array([True, False]), np.array([True, False]), id="bool expected"),
        pytest.param(np.zeros((0, 3)), np.zeros((0, 3)), id="empty"),
    ],
)
def test_correct_array_answers(answer, expected):
    result = check.value(answer, expected)
    assert result.status == "correct", repr(result)


def test_bfloat16_tensor_is_converted():
    result = check.value(torch.tensor(0.5, dtype=torch.bfloat16), 0.5)
    assert result.ok, repr(result)


# ---------------------------------------------------------------- wrong or odd answers

ODD_VALUES = [
    # (id, answer, expected, status, parts of the text)
    ("ellipsis", ..., 0.5, "missing", ["未完成", "not filled in yet"]),
    ("none", None, 0.5, "missing", ["not filled in yet"]),
    ("ellipsis inside a list", [..., 1.0], np.ones(2), "missing", ["not filled in yet"]),
    ("tuple of ellipses", (..., ...), (np.ones(2), np.ones(3)), "missing", ["not filled in yet"]),
    ("string", "0.5", 0.5, "wrong", ["文本 str（去掉引号？）", "got text (str; remove the quotes?)"]),
    ("bytes", b"0.5", 0.5, "wrong", ["got text (bytes"]),
    ("bool", True, 1.0, "wrong", ["布尔值", "got a bool"]),
    ("bool array", np.array([True, False]), np.ones(2), "wrong", ["got a bool"]),
    ("complex", 0.5 + 0j, 0.5, "wrong", ["复数", "got complex numbers"]),
    ("complex tensor", torch.ones(2, dtype=torch.complex64), np.ones(2), "wrong", ["got complex numbers"]),
    ("dict", {"mse": 0.5}, 0.5, "wrong", ["得到的是 dict", "got dict"]),
    ("ragged list", [[1.0, 2.0], [3.0]], np.ones((2, 2)), "wrong", ["各行长度不一致", "different lengths"]),
    ("generator", generator(), 1.0, "wrong", ["得到的是 generator", "got generator"]),
    ("__array__ raises", ArrayRaises(), 1.0, "wrong", ["无法转换为数组", "RuntimeError: cannot be an array"]),
    (
        "detach raises",
        DetachRaises(),
        np.zeros(3),
        "wrong",
        ["could not convert", "RuntimeError: device lost"],
    ),
    (
        "__getattr__ raises",
        GetattrRaises(),
        1.0,
        "wrong",
        ["无法检查这个答案", "could not be checked (KeyError"],
    ),
    ("list with a dict", [1.0, {}], np.ones(2), "wrong", ["其中有 dict 类型的元素", "an entry is dict"]),
    ("list of strings", ["1", "2"], np.ones(2), "wrong", ["dtype <U1"]),
    ("plain object", object(), 1.0, "wrong", ["got object"]),
    ("a function", mse, 1.0, "wrong", ["got function"]),
    ("Decimal", Decimal("0.5"), 0.5, "wrong", ["got Decimal"]),
    ("datetime", np.datetime64("2020-01-01"), 1.0, "wrong", ["datetime64"]),
    ("huge int", 10**400, 1.0, "wrong", ["could not convert", "OverflowError"]),
    (
        "array for a scalar",
        [0.5, 0.5],
        0.5,
        "wrong",
        ["应为一个数（标量），实际是形状为 (2,) 的数组", "scalar), got shape (2,)"],
    ),
    (
        "scalar for an array",
        0.5,
        np.ones(3),
        "wrong",
        ["应为形状 (3,) 的数组，实际是一个数", "shape (3,), got a single"],
    ),
    (
        "wrong shape",
        np.ones(2),
        np.ones(3),
        "wrong",
        ["形状应为 (3,)，实际为 (2,)", "expected shape (3,), got shape (2,)"],
    ),
    ("transposed", np.ones((3, 2)), np.ones((2, 3)), "wrong", ["expected shape (2, 3), got shape (3, 2)"]),
    ("length-1 for length-1", 0.5, np.ones(1), "wrong", ["expected an array of shape (1,)"]),
    ("nan", float("nan"), 0.5, "wrong", ["结果是 NaN", "the result is NaN"]),
    ("inf", float("inf"), 0.5, "wrong", ["无穷大（inf）", "the result is infinite (inf)"]),
    ("-inf for +inf", -np.inf, np.inf, "wrong", ["the result is infinite (inf)"]),
    (
        "nan entries",
        [np.nan, 1, np.nan, 1, 1],
        np.ones(5),
        "wrong",
        ["有 2/5 个元素是 NaN", "2 of 5 entries are NaN"],
    ),
    (
        "inf entries",
        [np.inf, 1, 1],
        np.ones(3),
        "wrong",
        ["有 1/3 个元素是无穷大", "1 of 3 entries are infinite"],
    ),
    ("finite for nan", 1.0, np.nan, "wrong", ["the value is off"]),
    (
        "off scalar",
        0.51,
        0.5,
        "wrong",
        ["数值不对（超出了容差）", "the value is off (outside the tolerance)"],
    ),
    (
        "off entries",
        [1, 2, 0, 4, 0],
        np.arange(1.0, 6.0),
        "wrong",
        ["有 2/5 个元素不对", "2 of 5 entries differ"],
    ),
    ("wrong bools", np.array([True, True]), np.array([True, False]), "wrong", ["1 of 2 entries differ"]),
    ("number for text", 5, "state", "wrong", ["应为 str，得到的是 int", "expected str, got int"]),
    ("wrong text", "stat", "state", "wrong", ["内容不对", "the content is not right"]),
    ("list for dict", [1.0], {"W": np.ones(2)}, "wrong", ["expected a dict, got list"]),
    ("missing key", {"W": 1.0}, {"W": 1.0, "b": 2.0}, "wrong", ["缺少键 'b'", "missing key 'b'"]),
    (
        "nested shape",
        (np.ones(2), {"W": np.ones(3)}),
        (np.ones(2), {"W": np.ones(2)}),
        "wrong",
        ["[1]['W']：形状应为 (2,)", "[1]['W']: expected shape (2,), got shape (3,)"],
    ),
    (
        "too few items",
        (np.ones(2),),
        (np.ones(2), np.ones(3)),
        "wrong",
        ["应有 2 项，实际有 1 项", "expected 2 items, got 1"],
    ),
    (
        "scalar for a tuple",
        1.0,
        (np.ones(2), np.ones(3)),
        "wrong",
        ["expected a tuple of 2 items, got float"],
    ),
]


@pytest.mark.parametrize(
    "answer, expected, status, parts", [c[1:] for c in ODD_VALUES], ids=[c[0] for c in ODD_VALUES]
)
def test_odd_values(answer, expected, status, parts):
    result = check.value(answer, expected, name="q")
    assert result.status == status, repr(result)
    for part in parts:
        assert part in repr(result)


def stub_raises(y_hat, y):
    raise NotImplementedError


def stub_ellipsis(y_hat, y): ...


def stub_pass(y_hat, y):
    pass


def raises_value_error(y_hat, y):
    raise ValueError(f"bad shapes {y_hat.shape}\nat {object.__repr__(y)}")


def wrong_on_second_case(y_hat, y):
    return mse_grad(y_hat, y) if y.size == 3 else -mse_grad(y_hat, y)


def recursing(y_hat, y):
    return recursing(y_hat, y)


ODD_FUNCTIONS = [
    ("not callable", 3, "wrong", ["需要一个函数，得到的是 int", "expected a function, got int"]),
    ("an array", np.ones(3), "wrong", ["expected a function, got ndarray"]),
    ("ellipsis", ..., "missing", ["not filled in yet — g"]),
    ("None", None, "missing", ["not filled in yet"]),
    ("raises NotImplementedError", stub_raises, "missing", ["not filled in yet"]),
    ("body is ...", stub_ellipsis, "missing", ["not filled in yet"]),
    ("body is pass", stub_pass, "missing", ["not filled in yet"]),
    (
        "raises",
        raises_value_error,
        "wrong",
        [
            "2/2 个用例不对；第 1 个：抛出了 ValueError: bad shapes (3,) at <numpy.ndarray object at 0x…>",
            "2 of 2 cases fail; case 1: raised ValueError: bad shapes (3,) at <numpy.ndarray object at 0x…>",
        ],
    ),
    ("recursion", recursing, "wrong", ["raised RecursionError"]),
    ("wrong arity", lambda y_hat: y_hat, "wrong", ["raised TypeError"]),
    ("returns text", lambda y_hat, y: "0.5", "wrong", ["case 1: expected a number or an array, got text"]),
    ("returns a generator", lambda y_hat, y: (v for v in y), "wrong", ["got generator"]),
    (
        "wrong shape",
        lambda y_hat, y: mse_grad(y_hat, y)[:2],
        "wrong",
        ["expected shape (3,), got shape (2,)"],
    ),
    ("wrong sign", lambda y_hat, y: -mse_grad(y_hat, y), "wrong", ["case 1: 2 of 3 entries differ"]),
    (
        "second case wrong",
        wrong_on_second_case,
        "wrong",
        ["1/2 个用例不对；第 2 个：", "1 of 2 cases fail; case 2: "],
    ),
    ("nan", lambda y_hat, y: mse_grad(y_hat, y) / 0.0, "wrong", ["entries are NaN"]),
]


@pytest.mark.parametrize(
    "fn, status, parts", [c[1:] for c in ODD_FUNCTIONS], ids=[c[0] for c in ODD_FUNCTIONS]
)
def test_odd_functions(fn, status, parts):
    result = check.function(fn, mse_grad, CASES, name="g")
    assert result.status == status, repr(result)
    for part in parts:
        assert part in repr(result)


def test_single_case_has_no_case_prefix():
    result = check.function(lambda y_hat, y: -mse_grad(y_hat, y), mse_grad, CASES[:1])
    assert repr(result) == "❌ 不对 / Not quite: 有 2/3 个元素不对 / 2 of 3 entries differ"


def test_function_with_structured_output():
    def dense_backward(dout, x, W):
        return dout @ W.T, {"W": x.T @ dout, "b": dout.sum(axis=0)}

    def forgot_to_transpose(dout, x, W):
        return dout @ W.T, {"W": dout.T @ x, "b": dout.sum(axis=0)}

    def half_done(dout, x, W):
        return dout @ W.T, {"W": ..., "b": None}

    rng = np.random.default_rng(0)
    cases = [(rng.normal(size=(4, 2)), rng.normal(size=(4, 3)), rng.normal(size=(3, 2)))]
    assert check.function(dense_backward, dense_backward, cases).ok
    wrong = check.function(forgot_to_transpose, dense_backward, cases)
    assert "[1]['W']: expected shape (3, 2), got shape (2, 3)" in repr(wrong)
    assert check.function(half_done, dense_backward, cases).status == "missing"


def test_function_that_prints_prints_nothing_and_passes(capsys):
    def chatty(y_hat, y):
        print("debugging", y_hat)
        print("to stderr", file=sys.stderr)
        return mse_grad(y_hat, y)

    assert check.function(chatty, mse_grad, CASES).ok
    assert check.value(0.25, 0.25).ok
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", "")


def test_warnings_of_the_student_code_are_not_raised():
    def log_of_zero(y_hat, y):
        return np.log(np.zeros_like(y))  # RuntimeWarning, an error under this pytest configuration

    assert "entries are infinite" in repr(check.function(log_of_zero, mse_grad, CASES))


# ---------------------------------------------------------------- mutation, determinism, secrecy


def test_mutating_student_does_not_corrupt_reference_or_later_cases():
    seen = []

    def reference(y_hat, y):
        seen.append(y_hat.copy())
        return mse_grad(y_hat, y)

    def computes_then_zeroes(y_hat, y):
        out = mse_grad(y_hat, y)
        y_hat[:] = 0.0
        y[:] = 0.0
        return out

    y_hat, y = Y_HAT.copy(), Y.copy()
    cases = [(y_hat, y), (y_hat, y), (y_hat, y)]  # the same arrays in every case
    assert check.function(computes_then_zeroes, reference, cases).ok
    assert all(np.array_equal(s, Y_HAT) for s in seen)
    np.testing.assert_array_equal(y_hat, Y_HAT)
    np.testing.assert_array_equal(y, Y)

    def zeroes_then_computes(y_hat, y):
        y_hat[:] = 0.0
        return mse_grad(y_hat, y)

    assert not check.function(zeroes_then_computes, reference, cases)
    assert check.function(mse_grad, reference, cases).ok  # the cases are intact for the next attempt
    np.testing.assert_array_equal(y_hat, Y_HAT)


def test_same_input_gives_identical_text():
    runs = [
        lambda: check.function(raises_value_error, mse_grad, CASES, name="g"),
        lambda: check.value(object(), 1.0),
        lambda: check.value(ArrayRaises(), 1.0),
        lambda: check.value([np.nan, 1.0, 5.0], np.ones(3), name="v"),
        lambda: check.choice(object(), "a", options=["a", "b"]),
        lambda: check.function(mse_grad, mse_grad, CASES),
    ]
    for run in runs:
        texts = {repr(run()) for _ in range(3)}
        assert len(texts) == 1, texts
        assert not re.search("0x[0-9a-fA-F]{4,}", texts.pop())


SECRETS = [123.456789, -98765.4321, 0.000314159265, 2.718281828, 6.02214076e23]


def variants(v):
    out = {repr(v), str(v), "123.45", "123.46", "1.2345e+02"}
    out |= {f"{v:.{p}g}" for p in range(3, 10)} | {f"{v:.{p}e}" for p in range(2, 8)}
    if abs(v) >= 1:
        out |= {f"{v:.{p}f}" for p in range(1, 5)}
    return out


@pytest.mark.parametrize("secret", SECRETS)
def test_expected_value_never_appears(secret):
    wrong_answers = [secret * 1.01, -secret, [secret, secret], np.nan, np.inf, "x", True, np.ones((2, 2)), {}]
    results = [check.value(a, secret, name="q") for a in wrong_answers]
    arr = np.array([secret, secret / 7, 1.5])
    results += [
        check.value(a, arr)
        for a in (arr * 1.01, arr[:2], secret, arr.reshape(3, 1), arr + np.array([0, 0, np.nan]))
    ]
    results += [
        check.function(f, lambda: (arr, {"W": secret}), [()])
        for f in (lambda: (arr, {"W": 0.0}), lambda: 1.0)
    ]
    results += [check.function(lambda x: x, lambda x: x * secret, [(np.ones(2),), (2.0,)])]
    for result in results:
        assert not result.ok
        for v in variants(secret):
            assert v not in repr(result), (v, repr(result))


def test_choice_does_not_single_out_the_expected_option():
    options = ["mse", "mae", "huber"]
    for answer in ("xyz", 3, ["mse"]):
        texts = {repr(check.choice(answer, exp, options=options, name="q")) for exp in options}
        assert len(texts) == 1  # the same text whichever option is right
        assert "'mse'、'mae'、'huber'" in texts.pop()
    wrong = {repr(check.choice("huber", exp, options=options)) for exp in ("mse", "mae")}
    assert wrong == {"❌ 不对 / Not quite: 这个选择不对 / that is not the right choice"}


# ---------------------------------------------------------------- tolerance


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_tolerance_both_ways(sign):
    assert check.value(1.0 + sign * 0.9e-6, 1.0).ok  # default rtol=1e-6
    assert not check.value(1.0 + sign * 1.2e-6, 1.0).ok
    assert check.value(sign * 0.9e-9, 0.0).ok  # default atol=1e-9 near zero
    assert not check.value(sign * 2e-9, 0.0).ok
    assert check.value(1.0 + sign * 4e-3, 1.0, rtol=5e-3).ok  # a looser tolerance accepts more
    assert not check.value(1.0 + sign * 0.9e-6, 1.0, rtol=1e-7, atol=0).ok  # a stricter one rejects more
    assert check.value(sign * 5e-7, 0.0, atol=1e-6).ok
    assert check.function(lambda x: x * (1 + sign * 1e-3), lambda x: x, [(np.ones(3),)], rtol=2e-3).ok
    assert not check.function(lambda x: x * (1 + sign * 1e-3), lambda x: x, [(np.ones(3),)]).ok


def test_float32_tensor_against_float64_expected_within_tolerance():
    expected = np.array([1 / 3, 2 / 7, -5 / 11], dtype=np.float64)
    assert check.value(torch.tensor(expected, dtype=torch.float32), expected).ok
    assert not check.value(torch.tensor(expected, dtype=torch.float32), expected, rtol=1e-9, atol=0).ok


# ---------------------------------------------------------------- choice and true/false


@pytest.mark.parametrize(
    "answer, status",
    [("mae", "correct"), (" MAE\n", "correct"), ("Mae", "correct"), ("mse", "wrong"), ("l1", "wrong"),
     (2, "wrong"), (None, "missing"), (..., "missing"), (np.array([1, 2]), "wrong"), ({}, "wrong")],
)  # fmt: skip
def test_choice(answer, status):
    assert check.choice(answer, "mae", options=["mse", "mae"], name="outlier").status == status


def test_choice_of_numbers_and_letters():
    assert check.choice(2, 2, options=[1, 2, 3]).ok
    assert check.choice("2", 2).ok
    assert check.choice("B ", "b", options="abc").ok
    assert "1、2、3" in repr(check.choice(4, 2, options=[1, 2, 3]))


def test_true_false():
    assert check.true_false(True, True).ok
    assert check.true_false(np.bool_(False), False).ok
    assert repr(check.true_false(False, True)) == "❌ 不对 / Not quite: 判断不对 / that is not right"
    assert "expected True or False, got str" in repr(check.true_false("True", True))
    assert check.true_false(..., True, name="t").status == "missing"


# ---------------------------------------------------------------- the author's mistakes do raise


def test_author_errors_raise():
    with pytest.raises(TypeError, match="expected must be numbers"):
        check.value(1.0, object())
    with pytest.raises(TypeError, match="reference must be a function"):
        check.function(mse_grad, "mse_grad", CASES)
    with pytest.raises(TypeError, match="argument tuples"):
        check.function(mse_grad, mse_grad, [Y_HAT])
    with pytest.raises(TypeError, match="argument tuples"):
        check.function(mse_grad, mse_grad, [])
    with pytest.raises(ValueError, match="one of the options"):
        check.choice("a", "c", options=["a", "b"])


def test_import_does_not_pull_in_torch():
    code = "import sys, mlcourse.check; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- never raises, whatever the input

ODD_OBJECTS = [object(), ArrayRaises(), GetattrRaises(), DetachRaises(), mse, np.float64]
leaves = (
    st.none() | st.just(...) | st.booleans() | st.integers() | st.floats() | st.complex_numbers() | st.text()
    | st.binary() | st.fractions() | st.decimals() | st.sampled_from(ODD_OBJECTS)
)  # fmt: skip
answers = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=2), children, max_size=3)
    ),
    max_leaves=12,
) | arrays(
    st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128, "U2"]),
    array_shapes(min_dims=0, max_dims=3, max_side=3),
)
EXPECTATIONS = [0.5, np.arange(3.0), np.ones((2, 2)), (np.ones(2), {"W": 1.0}), "state", [1, 2, 3]]


@settings(max_examples=50, deadline=None)
@given(answer=answers)
def test_value_and_choice_never_raise_or_print(answer):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        for expected in EXPECTATIONS:
            result = check.value(answer, expected, name="q")
            assert result.status in {"correct", "wrong", "missing"}
            assert repr(result) == repr(check.value(answer, expected, name="q"))
        assert check.choice(answer, "b", options=["a", "b"]).status in {"correct", "wrong", "missing"}
        assert check.true_false(answer, True).status in {"correct", "wrong", "missing"}
    assert out.getvalue() == ""


@settings(max_examples=50, deadline=None)
@given(output=answers)
def test_function_never_raises(output):
    for reference in (mse_grad, lambda y_hat, y: (mse(y_hat, y), {"y": mse_grad(y_hat, y)})):
        result = check.function(lambda y_hat, y: output, reference, CASES, name="f")
        assert result.status in {"wrong", "missing"}
        assert result.text.startswith(("❌ 不对 / Not quite — f: ", "❌ 未完成"))
