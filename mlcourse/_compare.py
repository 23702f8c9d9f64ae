"""The comparison behind mlcourse.check: a student's answer against the expected value, with the reason why
it differs in 中文 and English. The reasons name types, shapes and counts, never the expected value."""

from __future__ import annotations

import numbers
import re
from typing import Any

import numpy as np

# Why an answer is wrong, as (中文, English) templates. Never put the expected value into one of them.
MESSAGES = {
    "text": (
        "需要一个数或数组，得到的是文本 {t}（去掉引号？）",
        "expected a number or an array, got text ({t}; remove the quotes?)",
    ),
    "type": ("需要一个数或数组，得到的是 {t}", "expected a number or an array of numbers, got {t}"),
    "entry": ("需要数值，但其中有 {t} 类型的元素", "expected numbers, but an entry is {t}"),
    "dtype": (
        "需要一个数或数组，得到的是 {t}（dtype {d}）",
        "expected a number or an array of numbers, got {t} of dtype {d}",
    ),
    "bool": ("需要一个数，得到的是布尔值 True/False", "expected a number, got a bool (True/False)"),
    "complex": ("需要实数，得到的是复数", "expected real numbers, got complex numbers"),
    "ragged": (
        "各行长度不一致，组不成数组",
        "the nested lists have different lengths, so they do not form an array",
    ),
    "convert": ("无法转换为数组（{e}）", "could not convert it to an array ({e})"),
    "scalar": (
        "应为一个数（标量），实际是形状为 {g} 的数组",
        "expected a single number (a scalar), got shape {g}",
    ),
    "array": ("应为形状 {s} 的数组，实际是一个数", "expected an array of shape {s}, got a single number"),
    "shape": ("形状应为 {s}，实际为 {g}", "expected shape {s}, got shape {g}"),
    "nan1": ("结果是 NaN", "the result is NaN"),
    "nan": ("有 {k}/{n} 个元素是 NaN", "{k} of {n} entries are NaN"),
    "inf1": ("结果是无穷大（inf）", "the result is infinite (inf)"),
    "inf": ("有 {k}/{n} 个元素是无穷大（inf）", "{k} of {n} entries are infinite (inf)"),
    "off1": ("数值不对（超出了容差）", "the value is off (outside the tolerance)"),
    "off": ("有 {k}/{n} 个元素不对", "{k} of {n} entries differ"),
    "dict": ("应为字典 dict，得到的是 {t}", "expected a dict, got {t}"),
    "key": ("缺少键 {k}", "missing key {k}"),
    "kind": ("应为 {s}，得到的是 {t}", "expected {s}, got {t}"),
    "content": ("内容不对", "the content is not right"),
    "seq": ("应为含 {n} 项的 {s}，得到的是 {t}", "expected a {s} of {n} items, got {t}"),
    "len": ("应有 {n} 项，实际有 {k} 项", "expected {n} items, got {k}"),
    "unchecked": ("无法检查这个答案（{e}）", "this answer could not be checked ({e})"),
    "raised": ("抛出了 {e}", "raised {e}"),
    "fn": ("需要一个函数，得到的是 {t}", "expected a function, got {t}"),
    "cases": ("{f}/{n} 个用例不对；第 {i} 个：{zh}", "{f} of {n} cases fail; case {i}: {en}"),
    "option": ("这不是选项之一，可选：{zh}", "that is not one of the options: {en}"),
    "choice": ("这个选择不对", "that is not the right choice"),
    "tf": ("需要 True 或 False，得到的是 {t}", "expected True or False, got {t}"),
    "tf_wrong": ("判断不对", "that is not right"),
}


class Missing(Exception):
    """(Part of) the answer is still `...` or None."""


class Wrong(Exception):
    """The answer is wrong: .zh and .en say why, prefixed by where (`path`, e.g. "[1]['W']")."""

    def __init__(self, key: str, path: str = "", **fields: Any) -> None:
        zh, en = (template.format(**fields) for template in MESSAGES[key])
        self.zh, self.en = (f"{path}：{zh}", f"{path}: {en}") if path else (zh, en)
        super().__init__(self.en)


class BadReference(TypeError):
    """The author's expected value is not something an answer can be compared with."""


def type_name(x: Any) -> str:
    return type(x).__name__


def exc_text(exc: BaseException) -> str:
    """'Type: message' on one line, without memory addresses, at most about 120 characters."""
    try:
        msg = re.sub(r"\s+", " ", re.sub(r"0x[0-9a-fA-F]+", "0x…", str(exc))).strip()
    except Exception:
        msg = ""
    msg = msg if len(msg) <= 120 else msg[:117] + "..."
    return f"{type_name(exc)}: {msg}" if msg else type_name(exc)


def as_numeric(x: Any, allow_bool: bool = False) -> tuple[np.ndarray, bool]:
    """(float64 array, was it boolean); raise Missing or Wrong for anything that is not numbers."""
    if x is None or x is ...:
        raise Missing
    if isinstance(x, (str, bytes)):
        raise Wrong("text", t=type_name(x))
    is_torch = str(getattr(type(x), "__module__", "")).startswith("torch")
    if callable(getattr(x, "detach", None)) and (is_torch or callable(getattr(x, "numpy", None))):
        try:  # a torch tensor, by duck typing: torch is never imported here
            x = x.detach()
            x = x.cpu() if callable(getattr(x, "cpu", None)) else x
            try:
                x = x.numpy()
            except Exception:  # bfloat16 and other dtypes that numpy lacks
                x = x.float().numpy()
        except Exception as exc:
            raise Wrong("convert", e=exc_text(exc)) from None
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists, objects whose __array__ raises
        raise Wrong("ragged" if "inhomogeneous" in str(exc) else "convert", e=exc_text(exc)) from None
    if arr.dtype.kind == "O":
        items = list(arr.flat)
        if any(v is None or v is ... for v in items):
            raise Missing
        bad = [v for v in items if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real)]
        if bad:
            raise Wrong("type" if arr.ndim == 0 else "entry", t=type_name(bad[0]))
        try:  # Fraction, sympy numbers, ints too large for int64
            arr = arr.astype(np.float64)
        except Exception as exc:
            raise Wrong("convert", e=exc_text(exc)) from None
    kind = arr.dtype.kind
    if kind == "b" and not allow_bool:
        raise Wrong("bool")
    if kind == "c":
        raise Wrong("complex")
    if kind not in "biuf":
        raise Wrong("dtype", t=type_name(x), d=arr.dtype)
    return arr.astype(np.float64), kind == "b"


def is_number(v: Any) -> bool:
    return isinstance(v, (numbers.Number, np.generic)) and not isinstance(v, (str, bytes))


def compare(got: Any, exp: Any, rtol: float, atol: float, path: str = "") -> None:
    """Return if `got` matches `exp`: numbers within tolerance, recursing into dicts, tuples and lists."""
    if (got is None or got is ...) and exp is not None:
        raise Missing
    if isinstance(exp, dict):
        if not isinstance(got, dict):
            raise Wrong("dict", path, t=type_name(got))
        for key in exp:
            if key not in got:
                raise Wrong("key", path, k=repr(key))
            compare(got[key], exp[key], rtol, atol, f"{path}[{key!r}]")
    elif isinstance(exp, (str, bytes)) or exp is None:
        if not isinstance(got, type(exp)):
            raise Wrong("kind", path, s=type_name(exp), t=type_name(got))
        if got != exp:
            raise Wrong("content", path)
    elif isinstance(exp, (list, tuple)) and not all(is_number(v) for v in exp):
        if not (isinstance(got, (list, tuple)) or (isinstance(got, np.ndarray) and got.ndim > 0)):
            raise Wrong("seq", path, n=len(exp), s=type_name(exp), t=type_name(got))
        if len(got) != len(exp):
            raise Wrong("len", path, n=len(exp), k=len(got))
        for i, (g, e) in enumerate(zip(got, exp, strict=True)):
            compare(g, e, rtol, atol, f"{path}[{i}]")
    else:
        compare_numbers(got, exp, rtol, atol, path)


def compare_numbers(got: Any, exp: Any, rtol: float, atol: float, path: str) -> None:
    try:
        e, e_bool = as_numeric(exp, allow_bool=True)
    except (Missing, Wrong):
        raise BadReference(
            f"expected must be numbers, text, a list/tuple or a dict, got {type_name(exp)}"
        ) from None
    try:
        g, _ = as_numeric(got, allow_bool=e_bool)
    except Wrong as w:
        if path:
            w.zh, w.en = f"{path}：{w.zh}", f"{path}: {w.en}"
        raise
    if g.shape != e.shape:
        if e.ndim != 0 or g.size != 1:  # a length-1 array is fine where a scalar is expected
            raise Wrong(
                "scalar" if e.ndim == 0 else "array" if g.ndim == 0 else "shape", path, s=e.shape, g=g.shape
            )
        g = g.reshape(())
    n, one = e.size, e.ndim == 0
    bad_nan = np.isnan(g) & ~np.isnan(e)
    bad_inf = np.isinf(g) & (g != e)
    off = ~np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    for key, mask in (("nan", bad_nan), ("inf", bad_inf), ("off", off)):
        if mask.any():
            raise Wrong(key + "1" if one else key, path, k=int(mask.sum()), n=n)
