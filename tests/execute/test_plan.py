"""Duplicates, renaming ranks and the period-stratified fit sample."""

from __future__ import annotations

import numpy as np

from trendkit.execute.plan import stratified
from trendkit.load.dedupe import first_occurrence, occurrence_rank


def test_first_occurrence_respects_among():
    keys = np.array([1, 2, 1, 2, 3], dtype=np.uint64)
    among = np.array([False, True, True, True, True])
    assert first_occurrence(keys, among).tolist() == [False, True, True, False, True]


def test_occurrence_rank_counts_in_row_order():
    keys = np.array([9, 1, 9, 9, 1], dtype=np.uint64)
    assert occurrence_rank(keys).tolist() == [1, 1, 2, 3, 2]


def test_stratified_sample_is_proportional_and_order_free():
    rng = np.random.default_rng(0)
    strata = np.repeat([0, 1, 2], [6000, 3000, 1000])
    priority = rng.integers(0, 2**63, len(strata), dtype=np.uint64)
    chosen = stratified(strata, priority, 1000)
    assert [int(chosen[strata == s].sum()) for s in range(3)] == [600, 300, 100]
    order = rng.permutation(len(strata))  # same rows chosen whatever the row order
    again = stratified(strata[order], priority[order], 1000)
    assert set(order[again]) == set(np.flatnonzero(chosen))


def test_small_input_is_taken_whole():
    assert stratified(np.zeros(50, int), np.arange(50, dtype=np.uint64), 100).all()
