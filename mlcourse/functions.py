"""Two-variable test functions for gradient descent and the optimisers, with their gradients.

Every f takes theta = (x, y): a (2,) array gives a float, and stacked grids of shape (2, ...)
(e.g. `np.stack(np.meshgrid(xs, ys))`) give an array of shape (...), ready for a contour plot. Each gradient
returns an array shaped like theta: (2,) for a point, (2, ...) for a grid (row 0 is ∂f/∂x, row 1 is ∂f/∂y).
"""

from __future__ import annotations

import numpy as np

from mlcourse._validate import as_float_array, real_number

__all__ = ["bowl", "bowl_grad", "rosenbrock", "rosenbrock_grad", "saddle", "saddle_grad"]


def bowl(theta, kappa: float = 10.0) -> float | np.ndarray:
    """f = ½(x² + κy²), ill-conditioned (condition number κ), minimum 0 at (0, 0).  theta: (2, ...)."""
    x, y = _xy(theta)
    kappa = _positive(kappa, "kappa")
    return _out(0.5 * (x * x + kappa * y * y))


def bowl_grad(theta, kappa: float = 10.0) -> np.ndarray:
    """∇f = (x, κy).  theta: (2, ...) -> (2, ...)."""
    x, y = _xy(theta)
    kappa = _positive(kappa, "kappa")
    return np.stack([x, kappa * y])


def rosenbrock(theta, a: float = 1.0, b: float = 100.0) -> float | np.ndarray:
    """f = (a − x)² + b(y − x²)², a curved valley; minimum 0 at (a, a²).  theta: (2, ...)."""
    x, y = _xy(theta)
    a, b = real_number(a, "a"), _positive(b, "b")
    return _out((a - x) ** 2 + b * (y - x * x) ** 2)


def rosenbrock_grad(theta, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    """∇f = (−2(a − x) − 4bx(y − x²), 2b(y − x²)).  theta: (2, ...) -> (2, ...)."""
    x, y = _xy(theta)
    a, b = real_number(a, "a"), _positive(b, "b")
    r = y - x * x
    return np.stack([-2.0 * (a - x) - 4.0 * b * x * r, 2.0 * b * r])


def saddle(theta) -> float | np.ndarray:
    """f = x² − y², saddle point at (0, 0): gradient 0, Hessian diag(2, −2) indefinite.  theta: (2, ...)."""
    x, y = _xy(theta)
    return _out(x * x - y * y)


def saddle_grad(theta) -> np.ndarray:
    """∇f = (2x, −2y).  theta: (2, ...) -> (2, ...)."""
    x, y = _xy(theta)
    return np.stack([2.0 * x, -2.0 * y])


def _xy(theta) -> tuple[np.ndarray, np.ndarray]:
    arr = as_float_array(theta, "theta")
    if arr.ndim == 0 or arr.shape[0] != 2:
        raise ValueError(
            f"theta must have shape (2,) or (2, ...) (x and y stacked on axis 0), got {arr.shape}"
        )
    return arr[0], arr[1]


def _out(value: np.ndarray) -> float | np.ndarray:
    return float(value) if value.ndim == 0 else value


def _positive(value, name: str) -> float:
    x = real_number(value, name)
    if not x > 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return x
