"""trendkit.cluster.novelty: a theme born after the fit is found by monthly updates.

The demo corpus's "mixture-of-experts" theme is absent from its first 18
months. The themes are fitted on the first 12 months; the other 18 are then
fed month by month, as ``trendkit assign`` would, carrying the pending
novelty pool from one update to the next.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import trendkit
from trendkit.cluster import OUTLIER, auto_min_topic_size, nearest_centroid
from trendkit.cluster.novelty import (
    TABLE_COLUMNS,
    coherence_floor,
    new_themes,
    novelty_threshold,
    split_novel,
    update_assignments,
)
from trendkit.embed import embed_texts
from trendkit.label import name_topics
from trendkit.text import document_texts

MOE = "mixture-of-experts"
FIT_MONTHS = 12


@pytest.fixture(scope="module")
def fitted(demo_corpus):
    corpus = demo_corpus.assign(month=pd.to_datetime(demo_corpus["date"]).dt.to_period("M"))
    months = sorted(corpus["month"].unique())
    first = corpus[corpus["month"] < months[FIT_MONTHS]].reset_index(drop=True)
    later = corpus[corpus["month"] >= months[FIT_MONTHS]].reset_index(drop=True)
    embedder, vectors = embed_texts(document_texts(first["title"], first["abstract"]), "lsa",
                              cache=False, return_embedder=True)
    model = trendkit.TopicModel(cache=False).fit(first["abstract"], titles=first["title"],
                                                 embeddings=vectors, embedder=embedder)
    calibration = (vectors, model.labels_, model.centroids_, model.topic_ids_)
    texts = document_texts(later["title"], later["abstract"])
    first_moe = months.index(corpus.loc[corpus["true_theme"] == MOE, "month"].min())
    return SimpleNamespace(
        months=months, first_moe=first_moe,  # month 18 of 30 (demo._share_curves)
        first=first, later=later, vectors=vectors, model=model,
        texts=texts, later_vectors=embedder.transform(texts),  # the run's fitted LSA space
        threshold=novelty_threshold(*calibration), coherence=coherence_floor(*calibration),
        min_size=auto_min_topic_size(len(first)))


def replay(fitted, threshold, months):
    """Monthly updates over ``months``: final ids of the later documents and a per-month log."""
    later, W = fitted.later, fitted.later_vectors
    labels = np.full(len(later), OUTLIER)
    pending = np.array([], dtype=int)
    C, ids = fitted.model.centroids_, fitted.model.topic_ids_
    log = []
    for month in months:
        rows = np.concatenate([pending, np.flatnonzero(later["month"].to_numpy() == month)])
        pool = int(split_novel(W[rows], C, ids, threshold)[1].sum())
        update = update_assignments(W[rows], [fitted.texts[i] for i in rows], C, ids,
                                    threshold=threshold, coherence=fitted.coherence,
                                    min_size=fitted.min_size, next_id=int(ids.max()) + 1,
                                    namer=name_topics)
        labels[rows] = update.labels
        pending = rows[update.pending]
        C, ids = update.centroids, update.ids
        log.append({"month": str(month), "pool": pool, "pending": len(pending),
                    "new_ids": update.new_ids, "table": update.table})
    return SimpleNamespace(labels=labels, log=log, centroids=C, ids=ids)


@pytest.fixture(scope="module")
def replayed(fitted):
    return replay(fitted, fitted.threshold, fitted.months[FIT_MONTHS:])


def test_fit_predates_the_new_theme(fitted):
    assert MOE not in set(fitted.first["true_theme"])
    assert fitted.first_moe >= FIT_MONTHS + 3  # quiet months after the fit, for false alarms
    assert fitted.model.topic_ids_.tolist() == list(range(6))


def test_threshold_is_calibrated_on_fitted_documents(fitted):
    model = fitted.model
    _, novel = split_novel(fitted.vectors, model.centroids_, model.topic_ids_, fitted.threshold)
    assert 0.005 <= novel.mean() <= 0.03  # quantile=0.02 of the fitted documents
    assert 0 < fitted.threshold < fitted.coherence < 1


def test_new_theme_holds_the_late_burst(fitted, replayed):
    n_old = len(fitted.model.topic_ids_)
    born = [i for entry in replayed.log for i in entry["new_ids"]]
    assert len(born) == 1 and born[0] >= n_old  # ONE new theme, with a fresh id
    moe = replayed.labels[(fitted.later["true_theme"] == MOE).to_numpy()]
    assert np.mean(moe == born[0]) >= 0.8
    table = next(e["table"] for e in replayed.log if e["new_ids"])
    assert list(table.columns) == TABLE_COLUMNS
    assert table["n_docs"].iloc[0] >= fitted.min_size
    assert "expert" in f"{table['topic_label'].iloc[0]} {table['top_terms'].iloc[0]}"


def test_pool_persists_until_the_theme_is_big_enough(fitted, replayed):
    first_moe = fitted.first_moe - FIT_MONTHS
    entry = replayed.log[first_moe]
    # The first month brings fewer MoE papers than min_size: they wait in the pool...
    assert 0 < entry["pending"] < fitted.min_size and not entry["new_ids"]
    # ...and the theme is born once enough have accumulated, the waiting papers included.
    born = next(i for i, e in enumerate(replayed.log) if e["new_ids"])
    assert born <= first_moe + 2
    assert replayed.log[born]["table"]["n_docs"].iloc[0] > entry["pending"]


def test_old_themes_keep_their_documents(fitted, replayed):
    model = fitted.model
    old = (fitted.later["true_theme"] != MOE).to_numpy()
    assert np.mean(np.isin(replayed.labels[old], model.topic_ids_)) >= 0.95
    plain = nearest_centroid(fitted.later_vectors[old], model.centroids_, model.topic_ids_)
    assert np.mean(replayed.labels[old] == plain) >= 0.95  # novelty leaves them where they were


def test_old_ids_and_centroids_unchanged(fitted, replayed):
    n_old = len(fitted.model.topic_ids_)
    np.testing.assert_array_equal(replayed.ids[:n_old], fitted.model.topic_ids_)
    np.testing.assert_array_equal(replayed.centroids[:n_old], fitted.model.centroids_)
    assert len(replayed.ids) == len(replayed.centroids) == n_old + 1


def test_no_false_alarm_before_the_new_theme(fitted, replayed):
    quiet = replayed.log[:fitted.first_moe - FIT_MONTHS]
    assert all(not e["new_ids"] for e in quiet)
    # Even with half the fitted documents' similarity as threshold, old themes'
    # stragglers fill the pool but form no theme: not coherent, or an old theme's fringe.
    model = fitted.model
    loose = novelty_threshold(fitted.vectors, model.labels_, model.centroids_, model.topic_ids_,
                              quantile=0.5)
    stressed = replay(fitted, loose, fitted.months[FIT_MONTHS:fitted.first_moe])
    assert stressed.log[-1]["pending"] >= fitted.min_size
    assert all(not e["new_ids"] for e in stressed.log)


def test_small_pool_and_empty_batch():
    C, ids = np.eye(3)[:1], np.array([0])
    labels, table = new_themes(np.eye(3)[1:], ["moe", "gnn"], min_size=3, next_id=1,
                               threshold=0.5, coherence=0.6, centroids=C)
    assert labels.tolist() == [OUTLIER, OUTLIER] and table.empty
    assert list(table.columns) == TABLE_COLUMNS
    empty = update_assignments(np.zeros((0, 3)), [], C, ids, threshold=0.5, coherence=0.6,
                               min_size=3, next_id=1)
    assert len(empty.labels) == 0 and empty.new_ids == [] and len(empty.centroids) == 1


def test_new_ids_never_reuse_old_ones():
    with pytest.raises(ValueError, match="reuse"):
        update_assignments(np.eye(2), ["a", "b"], np.eye(2), [0, 5], threshold=0.5,
                           coherence=0.6, min_size=2, next_id=5)


@pytest.mark.parametrize("max_linkage", [5000, 5])  # 5: the clustering used for huge pools
def test_two_new_groups_and_noise(monkeypatch, max_linkage):
    monkeypatch.setattr("trendkit.cluster.novelty.MAX_LINKAGE", max_linkage)
    rng = np.random.default_rng(0)
    dims = np.eye(20)
    pool = np.vstack([dims[1] + rng.normal(0, 0.1, (25, 20)),  # a new subject
                      dims[2] + rng.normal(0, 0.1, (20, 20)),  # another one, smaller
                      rng.normal(0, 1, (15, 20)) * (np.arange(20) >= 3)])  # scattered papers
    texts = ["sparse experts"] * 25 + ["state space"] * 20 + ["misc paper"] * 15
    labels, table = new_themes(pool, texts, min_size=10, next_id=4, threshold=0.5,
                               coherence=0.6, centroids=dims[:1])
    assert labels[:25].tolist() == [4] * 25 and labels[25:45].tolist() == [5] * 20
    assert (labels[45:] == OUTLIER).all()
    assert table["n_docs"].tolist() == [25, 20] and table["centroid_row"].tolist() == [1, 2]
    assert (table["nearest_existing"] < 0.5).all() and (table["mean_similarity"] >= 0.6).all()


def _near_group_world(seed=0):
    """Six old themes; a batch of them plus a tight new group inside old theme 0's cloud."""
    rng = np.random.default_rng(seed)
    centres = np.eye(6, 24) * 3
    def around(c, n, spread=0.5):
        return c + rng.normal(scale=spread, size=(n, 24))
    reference = np.vstack([around(c, 120) for c in centres])
    new_centre = centres[0] + (np.eye(1, 24, 1)[0] + np.eye(1, 24, 7)[0]) * 1.2
    batch = np.vstack([*[around(c, 40) for c in centres], around(new_centre, 50, 0.25)])
    is_new = np.r_[np.zeros(240, bool), np.ones(50, bool)]
    return reference, batch, is_new, centres


def test_group_new_in_time_is_found_though_not_far_from_old_themes():
    from trendkit.cluster.novelty import new_in_time

    reference, batch, is_new, centres = _near_group_world()
    C = centres / np.linalg.norm(centres, axis=1, keepdims=True)
    # not "far": the far-only rule (threshold from the fitted rows) misses the group
    threshold = novelty_threshold(reference, np.repeat(np.arange(6), 120), C, np.arange(6))
    assert split_novel(batch[is_new], C, np.arange(6), threshold)[1].mean() < 0.2
    found = new_in_time(batch, reference)
    assert found[is_new].mean() >= 0.8 and found[~is_new].mean() <= 0.05
    up = update_assignments(batch, [f"doc {i}" for i in range(len(batch))], C, np.arange(6),
                            threshold=threshold, coherence=0.5, min_size=20, next_id=6,
                            reference=reference, apart=0.05)
    assert up.new_ids == [6]
    assert (up.labels[is_new] == 6).mean() >= 0.8 and (up.labels[~is_new] == 6).mean() <= 0.05


def test_nothing_new_in_time_when_the_batch_is_like_the_fit():
    from trendkit.cluster.novelty import new_in_time

    reference, batch, is_new, centres = _near_group_world(seed=1)
    # a candidate row now and then by chance; no group of them, so no theme
    assert new_in_time(batch[~is_new], reference).mean() <= 0.02
    C = centres / np.linalg.norm(centres, axis=1, keepdims=True)
    threshold = novelty_threshold(reference, np.repeat(np.arange(6), 120), C, np.arange(6))
    up = update_assignments(batch[~is_new], [f"doc {i}" for i in range(240)], C, np.arange(6),
                            threshold=threshold, coherence=0.5, min_size=20, next_id=6,
                            reference=reference, apart=0.05)
    assert up.new_ids == []


def test_new_area_merged_with_old_themes_new_papers_is_found_in_its_half():
    # regression (bench/novelty.py, "knowledge graphs"): the pool's group held the planted
    # area and as many new papers of an old theme's corner; the whole was not ten times
    # denser among the new documents, so the area went unnoticed
    from sklearn.preprocessing import normalize

    from trendkit.cluster.recent import rise

    rng = np.random.default_rng(3)
    def blob(centre, n, spread=0.25):
        return centre + rng.normal(scale=spread, size=(n, 24))
    old = np.eye(1, 24)[0] * 3
    area = old + (np.eye(1, 24, 1)[0] + np.eye(1, 24, 7)[0]) * 1.2  # absent from the fit
    corner = old + (np.eye(1, 24, 2)[0] + np.eye(1, 24, 9)[0]) * 1.2  # as dense in both
    reference = normalize(np.vstack([blob(old, 400, 0.5), blob(corner, 200)]))
    batch = normalize(np.vstack([blob(area, 40), blob(corner, 40), blob(old, 80, 0.5)]))
    pool = batch[:80]
    whole = normalize(pool.mean(axis=0, keepdims=True))[0]
    assert rise(whole, pool, batch, reference) < 10  # the group fails as a whole
    labels, table = new_themes(pool, ["kg"] * 40 + ["old"] * 40, min_size=40, next_id=3,
                               threshold=0.3, coherence=0.5, centroids=normalize([old]),
                               apart=1.0, batch=batch, reference=reference)
    assert table["topic_id"].tolist() == [3]
    assert (labels[:40] == 3).all() and (labels[40:] == OUTLIER).all()
