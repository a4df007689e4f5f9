import numpy as np

from trendkit.trend import find_bursts, kleinberg_states
from trendkit.trend.burst import _emission_cost


def test_toy_sequence_states():
    # base rate 0.1; periods 3-4 at 0.6 are a burst; a single mild bump is not
    relevant = [2, 2, 3, 12, 12, 2, 2, 2, 3, 2]
    states = kleinberg_states(relevant, [20] * 10)
    assert states.tolist() == [0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def test_viterbi_matches_brute_force_on_a_short_sequence():
    import itertools

    r = np.array([1, 5, 6, 1, 0, 4])
    d = np.array([10, 10, 10, 10, 10, 10])
    p0 = r.sum() / d.sum()
    emit = np.vstack([_emission_cost(r, d, p0), _emission_cost(r, d, 2 * p0)])
    up = np.log(len(r))
    best, best_cost = None, np.inf
    for seq in itertools.product([0, 1], repeat=len(r)):
        cost = sum(emit[s, t] for t, s in enumerate(seq))
        prev = 0
        for s in seq:
            cost += up if s > prev else 0
            prev = s
        if cost < best_cost - 1e-12:
            best, best_cost = list(seq), cost
    assert kleinberg_states(r, d).tolist() == best


def test_no_burst_in_a_steady_stream_and_weights_positive():
    assert find_bursts([5] * 12, [50] * 12) == []
    bursts = find_bursts([5, 5, 5, 25, 5, 5], [50] * 6)
    assert [(b.start, b.end) for b in bursts] == [(3, 3)]
    assert bursts[0].weight > 0


def test_empty_inputs():
    assert kleinberg_states([], []).tolist() == []
    assert kleinberg_states([0, 0], [5, 5]).tolist() == [0, 0]
