"""Kleinberg's batched burst detection, solved exactly with Viterbi.

Kleinberg (2003), "Bursty and hierarchical structure in streams", §4: in each
period ``t`` we see ``r_t`` relevant documents out of ``d_t``. A hidden state
``i`` emits relevant documents at rate ``p_i = p_0 s^i`` (``p_0`` the overall
rate). Entering a higher state costs ``gamma * (j - i) * ln(n)``; staying or
going down is free. The cheapest state sequence marks the bursts.

Written here because the PyPI implementations fail on current NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln


@dataclass(frozen=True)
class Burst:
    start: int  # index of first period in the burst
    end: int  # index of last period (inclusive)
    level: int
    weight: float  # cost saved by the burst state over the base state


def _emission_cost(r: np.ndarray, d: np.ndarray, p: float) -> np.ndarray:
    p = min(max(p, 1e-12), 1 - 1e-12)
    log_binom = gammaln(d + 1) - gammaln(r + 1) - gammaln(d - r + 1)
    return -(log_binom + r * np.log(p) + (d - r) * np.log(1 - p))


def kleinberg_states(relevant, totals, *, s: float = 2.0, gamma: float = 1.0,
                     n_states: int = 2) -> np.ndarray:
    """Most likely burst state per period (0 = baseline).

    Parameters
    ----------
    relevant, totals : array-like of int
        Documents in the theme, and all documents, per period.
    s : float, default 2.0
        Rate multiplier between consecutive states.
    gamma : float, default 1.0
        Cost of moving up one state, in units of ``ln(n_periods)``.
    n_states : int, default 2

    Examples
    --------
    >>> kleinberg_states([2, 2, 2, 12, 13, 2, 2, 2], [20] * 8).tolist()
    [0, 0, 0, 1, 1, 0, 0, 0]
    """
    r = np.asarray(relevant, dtype=float)
    d = np.asarray(totals, dtype=float)
    n = len(r)
    if n == 0 or d.sum() == 0 or r.sum() == 0:
        return np.zeros(n, dtype=int)
    p0 = r.sum() / d.sum()
    rates = [min(p0 * s ** i, 0.9999) for i in range(n_states)]
    emissions = np.vstack([_emission_cost(r, d, p) for p in rates])  # states x periods
    step_up = gamma * np.log(max(n, 2))
    transition = np.array([[max(0, j - i) * step_up for j in range(n_states)]
                           for i in range(n_states)])
    cost = np.full(n_states, np.inf)
    cost[0] = 0.0
    back = np.zeros((n, n_states), dtype=int)
    for t in range(n):
        total = cost[:, None] + transition  # from i to j
        back[t] = np.argmin(total, axis=0)
        cost = total[back[t], np.arange(n_states)] + emissions[:, t]
    states = np.zeros(n, dtype=int)
    states[-1] = int(np.argmin(cost))
    for t in range(n - 1, 0, -1):
        states[t - 1] = back[t, states[t]]
    return states


def find_bursts(relevant, totals, **kwargs) -> list[Burst]:
    """Burst intervals (maximal runs of state ≥ 1) with their weights.

    Examples
    --------
    >>> [(b.start, b.end) for b in find_bursts([2, 2, 2, 12, 13, 2, 2, 2], [20] * 8)]
    [(3, 4)]
    """
    r = np.asarray(relevant, dtype=float)
    d = np.asarray(totals, dtype=float)
    states = kleinberg_states(r, d, **kwargs)
    if not states.any():
        return []
    p0 = r.sum() / d.sum()
    s = kwargs.get("s", 2.0)
    saved = _emission_cost(r, d, p0) - _emission_cost(r, d, min(p0 * s, 0.9999))
    bursts, t = [], 0
    while t < len(states):
        if states[t] > 0:
            start = t
            while t + 1 < len(states) and states[t + 1] > 0:
                t += 1
            bursts.append(Burst(start, t, int(states[start:t + 1].max()),
                                float(saved[start:t + 1].sum())))
        t += 1
    return bursts
