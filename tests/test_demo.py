import numpy as np

from trendkit import demo_truth, make_demo_corpus
from trendkit.demo import DEMO_THEMES, _share_curves


def test_demo_corpus_meets_the_foundation_spec(demo_corpus):
    dates = demo_corpus["date"].astype("datetime64[ns]")
    months = dates.dt.to_period("M").nunique()
    assert len(demo_corpus) >= 1500
    assert months >= 24
    assert demo_corpus["true_theme"].nunique() >= 6
    assert demo_corpus["doc_id"].is_unique
    assert demo_corpus["title"].str.lower().is_unique
    assert demo_corpus["abstract"].str.split().str.len().median() > 60


def test_demo_is_seeded():
    a = make_demo_corpus(n_docs=300, seed=3)
    b = make_demo_corpus(n_docs=300, seed=3)
    c = make_demo_corpus(n_docs=300, seed=4)
    assert a.equals(b)
    assert not a.equals(c)


def test_planted_shares_follow_their_trajectories():
    shares = _share_curves(30)
    assert np.allclose(shares.sum(axis=0), 1)
    for theme, curve in zip(DEMO_THEMES, shares):
        if theme.trajectory == "rising":
            assert curve[-1] > 2 * curve[0]
        elif theme.trajectory == "declining":
            assert curve[-1] < curve[0] / 2
        elif theme.trajectory == "flat":
            assert np.ptp(curve) < 1e-12
        else:  # late appearance, then a burst
            assert curve[:15].sum() == 0 and curve.max() > 2 * np.median(curve[curve > 0])


def test_truth_table_names_every_theme():
    truth = demo_truth()
    assert set(truth["theme"]) == {t.name for t in DEMO_THEMES}
    assert set(truth["expected_status"]) <= {"emerging", "declining", "stable", "new"}
