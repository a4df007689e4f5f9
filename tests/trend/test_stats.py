"""Statistics against values computed by hand."""

import numpy as np
import pytest
from scipy import stats

from trendkit.trend import benjamini_hochberg, mann_kendall, theil_sen, wilson_interval


def test_mann_kendall_hand_example():
    # x = 3, 1, 4, 1, 5: pairs (i<j) signs:
    # 3: -1 +1 -1 +1 = 0 ; 1: +1 0 +1 = 2 ; 4: -1 +1 = 0 ; 1: +1 = 1  -> S = 3
    # ties: value 1 twice -> Var = (5*4*15 - 2*1*9) / 18 = (300 - 18) / 18
    r = mann_kendall([3, 1, 4, 1, 5])
    assert r.s == 3
    assert r.var_s == pytest.approx(282 / 18)
    z = (3 - 1) / np.sqrt(282 / 18)
    assert r.z == pytest.approx(z)
    assert r.p_value == pytest.approx(2 * stats.norm.sf(z))


def test_mann_kendall_monotone_and_constant():
    assert mann_kendall(np.arange(10)).p_value < 0.001
    assert mann_kendall(np.arange(10)[::-1]).s == -45
    flat = mann_kendall([2.0] * 8)
    assert flat.s == 0 and flat.p_value == 1.0


def test_autocorrelation_correction_never_shrinks_variance():
    rng = np.random.default_rng(0)
    walk = np.cumsum(rng.normal(size=40))  # strongly autocorrelated
    plain = mann_kendall(walk)
    corrected = mann_kendall(walk, autocorrelation=True)
    assert corrected.var_s >= plain.var_s
    assert corrected.p_value >= plain.p_value


def test_theil_sen_hand_example():
    # pairwise slopes of 0, 1, 4: (1-0)/1=1, (4-0)/2=2, (4-1)/1=3 -> median 2
    r = theil_sen([0.0, 1.0, 4.0])
    assert r.slope == 2.0
    assert r.low <= r.slope <= r.high


def test_benjamini_hochberg_hand_example():
    # sorted p 0.01, 0.02, 0.03, 0.5 with m=4: 0.04, 0.04, 0.04, 0.5 after monotone step-up
    q = benjamini_hochberg([0.03, 0.5, 0.01, 0.02])
    assert q.tolist() == pytest.approx([0.04, 0.5, 0.04, 0.04])


def test_wilson_hand_example():
    # k=0, n=10: centre = (z^2/20)/(1+z^2/10), half equal -> low 0, high = z^2/10/(1+z^2/10)
    z = stats.norm.ppf(0.975)
    low, high = wilson_interval([0], [10])
    assert low[0] == 0
    assert high[0] == pytest.approx((z**2 / 10) / (1 + z**2 / 10))
    low, high = wilson_interval([3, 0], [0, 0])
    assert low.tolist() == [0, 0] and high.tolist() == [0, 0]
