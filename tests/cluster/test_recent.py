"""trendkit.cluster.recent: regions that filled up after a fit."""

import numpy as np

from trendkit.cluster.recent import new_in_time, rise


def _world(seed: int = 0, new_group: bool = True):
    """A reference and a batch drawn from the same 8 blobs; the batch may add a 9th."""
    rng = np.random.default_rng(seed)
    centres = np.eye(9, 32) * 3
    reference = np.vstack([c + rng.normal(scale=0.6, size=(300, 32)) for c in centres[:8]])
    batch = [c + rng.normal(scale=0.6, size=(60, 32)) for c in centres[:8]]
    if new_group:  # a blob next to blob 0, absent from the reference
        batch.append(centres[0] + centres[8] * 0.6 + rng.normal(scale=0.3, size=(40, 32)))
    return reference, np.vstack(batch)


def test_rows_of_a_group_absent_before_are_candidates_and_few_others_are():
    reference, batch = _world()
    found = new_in_time(batch, reference)
    # old rows bordering the new group see it among their neighbours: a few are candidates
    assert found[-40:].mean() >= 0.8 and found[:-40].mean() <= 0.05
    reference, batch = _world(seed=1, new_group=False)
    assert new_in_time(batch, reference).mean() <= 0.01


def test_a_group_absent_before_rises_tenfold_and_an_old_blob_does_not():
    from sklearn.preprocessing import normalize

    reference, batch = _world()
    R, X = normalize(reference), normalize(batch)
    def centre(rows):
        return normalize(rows.mean(axis=0, keepdims=True))[0]
    assert rise(centre(X[-40:]), X[-40:], X, R) >= 10
    assert rise(centre(X[:60]), X[:60], X, R) < 3


def test_no_candidates_without_enough_reference():
    reference, batch = _world(new_group=False)
    assert not new_in_time(batch, reference[:5]).any()


def test_a_rise_is_significant_for_a_group_absent_before_and_not_for_a_small_old_ball():
    from sklearn.preprocessing import normalize

    from trendkit.cluster.recent import rise_p_value

    reference, batch = _world()
    R, X = normalize(reference), normalize(batch)
    def centre(rows):
        return normalize(rows.mean(axis=0, keepdims=True))[0]
    assert rise_p_value(centre(X[-40:]), X[-40:], X, R, at=10) < 0.01
    # an old blob's few new rows: its ball holds the fit's rows as well, no significance
    assert rise_p_value(centre(X[:10]), X[:10], X, R, at=10) > 0.5
