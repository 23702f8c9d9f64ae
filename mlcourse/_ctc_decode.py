"""CTC decoding: best path (greedy) and prefix beam search, in log space. Public through mlcourse.ctc."""

from __future__ import annotations

import math

import numpy as np

from mlcourse import _ctc_lattice as _lat
from mlcourse._validate import as_float_array, non_empty

_NEG = -math.inf


def _log_probs(log_probs, blank) -> tuple[np.ndarray, int]:
    lp = as_float_array(log_probs, "log_probs", ndim=2)
    non_empty(lp, "log_probs")
    _lat.check_log_rows(lp, "log_probs")
    return lp, _lat.check_blank(blank, lp.shape[1])


def _lse(a: float, b: float) -> float:
    """ln(e^a + e^b) for two floats, −∞ allowed."""
    if a < b:
        a, b = b, a
    return a if b == _NEG else a + math.log1p(math.exp(b - a))


def greedy_decode(log_probs, blank: int = 0) -> list[int]:
    """Best path: B(argmax_k ŷ_t(k) for each t), not always the most probable labelling.  (T, C) -> list[int]."""
    lp, blank = _log_probs(log_probs, blank)
    best = lp.argmax(axis=1)
    new = np.ones(best.shape, dtype=bool)
    new[1:] = best[1:] != best[:-1]
    return best[new & (best != blank)].tolist()


def beam_search_decode(log_probs, beam_width: int | None = 10, blank: int = 0) -> list[tuple[list[int], float]]:
    """Prefix beam search: up to beam_width (labels, ln(p_b + p_nb)) pairs, best first.  log_probs: (T, C).

    Each prefix keeps ln p_b (paths ending in a blank) and ln p_nb (ending in its last label). A label equal to
    the prefix's last one extends it only from p_b (a blank must separate repeats); otherwise it merges into
    the same prefix. beam_width=None keeps every prefix: the scores are then the exact ln p(l|x).
    """
    lp, blank = _log_probs(log_probs, blank)
    if beam_width is not None:
        if isinstance(beam_width, bool) or not isinstance(beam_width, (int, np.integer)):
            raise TypeError(f"beam_width must be an int or None, got {type(beam_width).__name__}")
        if beam_width < 1:
            raise ValueError(f"beam_width must be >= 1, got {beam_width}")
    T, C = lp.shape
    labels = [k for k in range(C) if k != blank]
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (0.0, _NEG)}
    for t in range(T):
        row = lp[t].tolist()
        nxt: dict[tuple[int, ...], list[float]] = {}
        for prefix, (p_b, p_nb) in beams.items():
            p = _lse(p_b, p_nb)
            same = nxt.setdefault(prefix, [_NEG, _NEG])
            same[0] = _lse(same[0], p + row[blank])  # a blank: the prefix does not change
            last = prefix[-1] if prefix else None
            for k in labels:
                if row[k] == _NEG:
                    continue
                longer = nxt.setdefault((*prefix, k), [_NEG, _NEG])
                if k == last:
                    same[1] = _lse(same[1], p_nb + row[k])  # "a" + "a" stays "a"
                    longer[1] = _lse(longer[1], p_b + row[k])  # "a-" + "a" becomes "aa"
                else:
                    longer[1] = _lse(longer[1], p + row[k])
        scored = sorted(((_lse(*v), key) for key, v in nxt.items()), key=lambda item: (-item[0], item[1]))
        scored = [item for item in scored if item[0] > _NEG][:beam_width]
        beams = {key: tuple(nxt[key]) for _, key in scored}
    ranked = sorted(((_lse(*v), key) for key, v in beams.items()), key=lambda item: (-item[0], item[1]))
    return [(list(key), float(score)) for score, key in ranked[:beam_width]]
