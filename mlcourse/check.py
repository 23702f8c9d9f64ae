"""Exercise feedback: compare a student's answer with the reference and say what is off, in 中文 and English.

The feedback never shows the expected value. check.* never prints and never raises on what a student passes;
a bad `expected`, `reference`, `cases` or `options` is the author's bug and raises TypeError/ValueError.
"""

from __future__ import annotations

import contextlib
import copy
import io
import numbers
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlcourse._compare import BadReference, Missing, Wrong, compare, exc_text, type_name

__all__ = ["Result", "choice", "function", "true_false", "value"]


@dataclass(frozen=True, repr=False)
class Result:
    """Outcome of a check: status in {"correct", "wrong", "missing"}; its repr is the bilingual feedback."""

    status: str
    text: str

    @property
    def ok(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return self.text


def _result(status: str, name: Any, zh: str = "", en: str = "", detail: str = "") -> Result:
    label = f" — {name}" if name is not None and name != "" else ""
    if status == "correct":
        return Result(status, f"✅ 正确 / Correct{label}" + (f": {detail}" if detail else ""))
    if status == "missing":
        return Result(status, f"❌ 未完成 / not filled in yet{label}")
    return Result(status, f"❌ 不对 / Not quite{label}: {zh} / {en}")


def _wrong(name: Any, key: str, **fields: Any) -> Result:
    reason = Wrong(key, **fields)
    return _result("wrong", name, reason.zh, reason.en)


@contextlib.contextmanager
def _quiet():
    """Swallow what the student's code (or ours) prints or warns: the Result is the only output."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            yield


def _judge(got: Any, exp: Any, rtol: float, atol: float) -> tuple[str, str, str]:
    """Compare -> (status, why in 中文, why in English); only an unusable `exp` raises."""
    try:
        with _quiet():
            compare(got, exp, rtol, atol)
    except Missing:
        return "missing", "", ""
    except Wrong as reason:
        return "wrong", reason.zh, reason.en
    except BadReference:
        raise
    except Exception as exc:  # a student's object misbehaving in a way not foreseen in compare
        reason = Wrong("unchecked", e=exc_text(exc))
        return "wrong", reason.zh, reason.en
    return "correct", "", ""


def value(
    answer: Any, expected: Any, *, name: str | None = None, rtol: float = 1e-6, atol: float = 1e-9
) -> Result:
    """|answer − expected| ≤ atol + rtol·|expected| entrywise, same shape, no stray NaN/inf?  -> Result"""
    status, zh, en = _judge(answer, expected, float(rtol), float(atol))
    return _result(status, name, zh, en)


def function(
    fn: Any,
    reference: Callable,
    cases: Iterable[tuple],
    *,
    name: str | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> Result:
    """fn(*case) matches reference(*case) for every case (arguments deep-copied for each call)?  -> Result"""
    rtol, atol, cases = float(rtol), float(atol), list(cases)
    if not callable(reference) or not cases or not all(isinstance(c, tuple) for c in cases):
        raise TypeError(
            "reference must be a function and cases a non-empty list of argument tuples: [(y_hat, y)]"
        )
    if fn is None or fn is ...:
        return _result("missing", name)
    if not callable(fn):
        return _wrong(name, "fn", t=type_name(fn))
    with _quiet():
        expected = [reference(*copy.deepcopy(case)) for case in cases]
    failures = []
    for i, (case, exp) in enumerate(zip(cases, expected, strict=True), start=1):
        args = copy.deepcopy(case)
        try:
            with _quiet():
                got = fn(*args)
        except NotImplementedError:
            return _result("missing", name)
        except Exception as exc:
            reason = Wrong("raised", e=exc_text(exc))
            failures.append((i, reason.zh, reason.en))
            continue
        status, zh, en = _judge(got, exp, rtol, atol)
        if status == "missing":
            return _result("missing", name)
        if status == "wrong":
            failures.append((i, zh, en))
    n = len(cases)
    if not failures:
        return _result("correct", name, detail=f"{n}/{n} 个用例通过 / {n}/{n} cases pass")
    i, zh, en = failures[0]
    if n == 1:
        return _result("wrong", name, zh, en)
    return _wrong(name, "cases", f=len(failures), n=n, i=i, zh=zh, en=en)


def _key(x: Any) -> Any:
    if isinstance(x, str):
        return x.strip().casefold()
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    return str(int(x)) if isinstance(x, numbers.Integral) else x


def _same(a: Any, b: Any) -> bool:
    try:
        with _quiet():
            return bool(_key(a) == _key(b))
    except Exception:
        return False


def choice(answer: Any, expected: Any, *, options: Iterable | None = None, name: str | None = None) -> Result:
    """answer == expected, strings stripped and compared case-insensitively (2 == "2").  -> Result"""
    opts = None if options is None else list(options)
    if opts is not None and not any(_same(expected, o) for o in opts):
        raise ValueError("expected must be one of the options")
    if answer is None or answer is ...:
        return _result("missing", name)
    if _same(answer, expected):
        return _result("correct", name)
    if opts is not None and not any(_same(answer, o) for o in opts):
        shown = [repr(o) if isinstance(o, str) else str(o) for o in opts]
        return _wrong(name, "option", zh="、".join(shown), en=", ".join(shown))
    return _wrong(name, "choice")


def true_false(answer: Any, expected: bool, *, name: str | None = None) -> Result:
    """answer is the bool `expected` (True/False, not a string or a number)?  -> Result"""
    if answer is None or answer is ...:
        return _result("missing", name)
    if not isinstance(answer, (bool, np.bool_)):
        return _wrong(name, "tf", t=type_name(answer))
    return _result("correct", name) if bool(answer) == bool(expected) else _wrong(name, "tf_wrong")
