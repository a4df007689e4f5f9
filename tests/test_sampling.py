"""sample_rows: the one way stages draw seeded subsamples."""

import numpy as np

from trendkit.sampling import sample_rows


def test_draws_what_the_idiom_it_replaced_drew():
    """Regression: the same seed gives the same rows as the stages' earlier inline code
    (``np.sort(default_rng(seed).choice(...))``), so fit samples stay reproducible."""
    for n, size, seed in [(100, 7, 0), (5000, 300, 3), (12345, 12000, 1)]:
        before = np.sort(np.random.default_rng(seed).choice(n, size, replace=False))
        assert np.array_equal(sample_rows(n, size, seed), before)
        rows = np.arange(0, 3 * n, 3)
        before = np.sort(np.random.default_rng(seed).choice(rows, size, replace=False))
        assert np.array_equal(sample_rows(rows, size, seed), before)


def test_keeps_order_and_returns_everything_when_small():
    picked = sample_rows(1000, 50, random_state=5)
    assert len(picked) == 50 and len(set(picked.tolist())) == 50
    assert np.all(np.diff(picked) > 0) and picked.max() < 1000
    assert sample_rows(np.array([9, 4, 7]), 3).tolist() == [9, 4, 7]  # no draw, as given
    assert sample_rows(0, 10).tolist() == []


def test_a_generator_draws_several_samples_from_one_stream():
    rng = np.random.default_rng(0)
    first, second = sample_rows(100, 5, rng), sample_rows(100, 5, rng)
    assert not np.array_equal(first, second)
    again = np.random.default_rng(0)
    assert np.array_equal(sample_rows(100, 5, again), first)
