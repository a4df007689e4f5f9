import numpy as np
from sklearn.utils.estimator_checks import parametrize_with_checks

from trendkit.cluster import OUTLIER, ThemeClusterer, auto_max_topics, density, merge


def blobs(n_per=60, k=6, dim=20, noise=0.08, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.eye(dim)[:k]
    X = np.vstack([rng.normal(c, noise, size=(n_per, dim)) for c in centres])
    return X, np.repeat(np.arange(k), n_per)


def agreement(a, b):
    from sklearn.metrics import adjusted_rand_score
    return adjusted_rand_score(a, b)


def test_umap_hdbscan_path_finds_planted_blobs_and_assigns_everyone():
    X, truth = blobs(n_per=80)  # 480 docs: density path
    model = ThemeClusterer(random_state=0).fit(X)
    assert len(model.labels_) == len(X) and (model.labels_ >= 0).all()
    assert agreement(model.labels_, truth) > 0.95


def test_umap_leaves_no_thread_behind():
    """Regression: UMAP's disabled epoch bar started tqdm's monitor thread for good, which
    ruled out drawing the report's figures in a forked process (report.render.can_fork)."""
    import threading

    from tqdm import tqdm

    if getattr(tqdm, "monitor", None) is not None:  # one left by an earlier test
        tqdm.monitor.exit()
        tqdm.monitor.join()
        tqdm.monitor = None
    ThemeClusterer(random_state=0).fit(blobs(n_per=80, seed=3)[0])  # the UMAP path
    assert "tqdm_monitor" not in {t.name for t in threading.enumerate()}


def test_sampled_fit_assigns_the_rest_by_centroid():
    X, truth = blobs(n_per=150)
    model = ThemeClusterer(sample_size=400, random_state=0).fit(X)
    assert (model.labels_ >= 0).all()
    assert agreement(model.labels_, truth) > 0.95


def test_outliers_reassigned_by_default_and_kept_on_request(monkeypatch):
    X, truth = blobs(n_per=80)
    raw = truth.copy()
    raw[::10] = OUTLIER  # HDBSCAN's verdict, fixed so the test is about our handling of it
    monkeypatch.setattr(density, "umap_hdbscan", lambda X, *args: (raw.copy(), None))
    default = ThemeClusterer(random_state=0).fit(X)
    kept = ThemeClusterer(keep_outliers=True, random_state=0).fit(X)
    assert (default.labels_ != OUTLIER).all()
    assert default.outlier_share_ == 0.1
    assert agreement(default.labels_, truth) == 1.0  # each outlier went to its nearest theme
    assert (kept.labels_ == OUTLIER).sum() == 48
    assert kept.n_topics_ == 6


def test_a_catch_all_theme_is_split_into_the_sub_themes_it_holds(monkeypatch):
    # Regression: with minilm-map vectors HDBSCAN sometimes lumped 55 % of arXiv into one
    # theme. Here the first density run lumps three planted themes (half the corpus).
    X, truth = blobs(n_per=80, k=6)
    real, sizes = density.umap_hdbscan, []

    def lumping(rows, *args):
        sizes.append(len(rows))
        if len(sizes) > 1:
            return real(rows, *args)
        return np.where(truth < 3, 0, truth), np.zeros((len(rows), 2), np.float32)

    monkeypatch.setattr(density, "umap_hdbscan", lumping)
    model = ThemeClusterer(random_state=0).fit(X)
    assert sizes == [480, 240]  # the bin alone was clustered again
    assert model.n_topics_ == 6 and agreement(model.labels_, truth) > 0.95
    assert np.bincount(model.labels_).max() / len(X) < merge.BROAD_SHARE
    sizes.clear()  # regression: the split's parts went past a user's ceiling (6 of max 5)
    capped = ThemeClusterer(max_topics=5, random_state=0).fit(X)
    assert sizes == [480, 240] and capped.n_topics_ == 5


def test_one_big_round_theme_is_not_split():
    """Null case: a theme that is one blob holding half the corpus stays one theme.

    Regression: density on the bin alone found 2-3 "parts" of the blob (centroid cosine
    0.99) and the catch-all split kept them.
    """
    rng = np.random.default_rng(0)
    sizes = [400, 80, 80, 80, 80, 80]
    X = np.vstack([rng.normal(np.eye(20)[i], 0.08, size=(n, 20)) for i, n in enumerate(sizes)])
    truth = np.repeat(np.arange(6), sizes)
    for seed in range(3):
        model = ThemeClusterer(random_state=seed).fit(X)
        assert model.n_topics_ == 6 and agreement(model.labels_, truth) == 1.0
    assert ThemeClusterer(max_topics=1, random_state=0).fit(X).n_topics_ == 1  # was 6


def test_no_split_when_asked_for_a_number_of_themes_or_the_bin_has_no_parts(monkeypatch):
    X, truth = blobs(n_per=80, k=6)
    lumped, calls = np.where(truth < 3, 0, truth), []

    def lumping_then_nothing(rows, *args):
        calls.append(len(rows))
        labels = lumped.copy() if len(calls) == 1 else np.full(len(rows), OUTLIER)
        return labels, np.zeros((len(rows), 2), np.float32)

    monkeypatch.setattr(density, "umap_hdbscan", lumping_then_nothing)
    assert ThemeClusterer(random_state=0).fit(X).n_topics_ == 4  # density found no parts
    assert calls == [480, 240]
    calls.clear()
    assert ThemeClusterer(n_topics=4, random_state=0).fit(X).n_topics_ == 4
    assert calls == [480]  # the user's number of themes is kept: no second run


def test_n_topics_merges_down_hierarchically():
    X, truth = blobs(n_per=80, k=6)
    model = ThemeClusterer(n_topics=3, random_state=0).fit(X)
    assert model.n_topics_ == 3
    # merging keeps each planted blob whole
    for blob in range(6):
        assert len(set(model.labels_[truth == blob])) == 1


def test_small_corpus_uses_silhouette_choice():
    X, truth = blobs(n_per=10, k=6)
    model = ThemeClusterer(random_state=0).fit(X)
    assert model.n_topics_ == 6
    assert agreement(model.labels_, truth) == 1.0


def test_topics_numbered_by_size_and_seeded():
    X, _ = blobs(n_per=70)
    X = np.vstack([X, blobs(n_per=50, k=1, seed=3)[0] + 0.0])  # make theme 0 bigger
    a = ThemeClusterer(random_state=0).fit(X).labels_
    b = ThemeClusterer(random_state=0).fit(X).labels_
    sizes = np.bincount(a)
    assert np.array_equal(a, b)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_predict_nearest_centroid():
    X, truth = blobs(n_per=60)
    model = ThemeClusterer(random_state=0).fit(X)
    assert np.array_equal(model.predict(X[::10]), model.labels_[::10])


def test_max_topics_ceiling_is_readable():
    assert 5 <= auto_max_topics(57) <= 12
    assert auto_max_topics(75_000) <= 30


@parametrize_with_checks([ThemeClusterer(random_state=0)])
def test_scikit_learn_estimator_checks(estimator, check):
    """scikit-learn's own estimator contract (no known failures at present)."""
    check(estimator)


def test_umap_kernels_are_kept_compiled_on_disk():
    """Regression: every process re-compiled UMAP's numba kernels (~8 s on 2 cores, most of
    a small corpus's run) because umap-learn does not enable numba's cache."""
    import umap.layouts
    import umap.umap_
    from numba.core.caching import NullCache

    from trendkit.cluster.density import keep_umap_compiled

    keep_umap_compiled()
    kernels = [umap.umap_.smooth_knn_dist, umap.umap_.compute_membership_strengths,
               umap.layouts._nb_optimize_layout_euclidean_single_epoch]
    assert all(not isinstance(k._cache, NullCache) for k in kernels)
