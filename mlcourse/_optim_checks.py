"""Private helpers of mlcourse.optim: checks with torch's messages, state buffers, overflow guard."""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable

import numpy as np

from mlcourse._validate import as_float_array, real_number, same_shape

State = dict[str, object]


def guarded(step: Callable) -> Callable:
    """Run a step without numpy overflow warnings: finish turns a non-finite result into a ValueError."""

    @functools.wraps(step)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            return step(*args, **kwargs)

    return wrapper


def begin(theta, grad, state, weight_decay: float) -> tuple[np.ndarray, np.ndarray, int, State]:
    """Validate the inputs; return float64 copies θ, g (+ λθ), the new step count t and the old state."""
    theta = as_float_array(theta, "theta")
    grad = as_float_array(grad, "grad")
    same_shape(theta, grad, "theta", "grad")
    for arr, name in ((theta, "theta"), (grad, "grad")):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} must be finite, got inf (did the previous steps diverge? lower lr)")
    if state is None:
        state, t = {}, 1
    elif not isinstance(state, dict):
        raise TypeError(
            f"state must be None (first step) or the dict returned by the last step, got "
            f"{type(state).__name__}"
        )
    else:
        t = state.get("step")
        if isinstance(t, bool) or not isinstance(t, numbers.Integral) or t < 0:
            raise ValueError(f"state['step'] must be an integer >= 0, got {t!r}; start with state=None")
        t = int(t) + 1
    g = grad + weight_decay * theta if weight_decay != 0 else grad
    return theta, g, t, state


def buffer(state: State, key: str, shape: tuple[int, ...], *, zeros: bool = False) -> np.ndarray | None:
    """A float64 copy of state[key] (checked against theta's shape); missing -> zeros or None."""
    value = state.get(key)
    if value is None:
        return np.zeros(shape) if zeros else None
    arr = as_float_array(value, f"state[{key!r}]")
    if arr.shape != shape:
        raise ValueError(
            f"state[{key!r}] has shape {arr.shape} but theta has shape {shape}; "
            "was this state made for another parameter?"
        )
    return arr


def finish(theta: np.ndarray) -> np.ndarray:
    """Return the new θ; ValueError if the update overflowed (inf) or produced NaN."""
    if not np.isfinite(theta).all():
        raise ValueError("the update made theta non-finite (inf or NaN); the step diverged: lower lr")
    return theta


def at_least_0(value, name: str, what: str | None = None) -> float:
    """torch's check `0 <= value`, with torch's message ("Invalid learning rate: -1") naming the argument."""
    x = real_number(value, name)
    if not (0 <= x < math.inf):
        raise ValueError(f"Invalid {what or name + ' value'}: {value} ({name} must be finite and >= 0)")
    return x


def in_0_1(value, name: str, *, closed: bool = True, what: str | None = None) -> float:
    """value in [0, 1] (closed) or [0, 1); torch's message wording."""
    x = real_number(value, name)
    if not (0 <= x <= 1 if closed else 0 <= x < 1):
        interval = "[0, 1]" if closed else "[0, 1)"
        raise ValueError(f"Invalid {what or name + ' value'}: {value} ({name} must be in {interval})")
    return x
