"""The streamed run: same outputs on any partitioning and on Dask; memory-free report."""

from __future__ import annotations

import pandas as pd
import pytest

import trendkit
from trendkit import workflows
from trendkit.load import LoadOptions
from trendkit.trend.options import TrendOptions

CONTRACT = ("documents.csv", "trends.csv", "trend_summary.csv", "topics.csv", "coverage.csv",
            "period_terms.csv", "lineage.csv")
ASKED = ("facets.csv", "facet_trends.csv", "forecast.csv")  # --facet, --horizon
ASKING = TrendOptions(facet="true_theme", horizon=2)


@pytest.fixture(scope="module")
def demo_jsonl(tmp_path_factory, demo_corpus):
    path = tmp_path_factory.mktemp("stream") / "demo.jsonl"
    demo_corpus.to_json(path, orient="records", lines=True)
    return path


@pytest.fixture(scope="module")
def streamed(tmp_path_factory, demo_jsonl):
    out = tmp_path_factory.mktemp("runs") / "single"
    from trendkit.execute.partitioned import stream_files

    result = stream_files(demo_jsonl, fit_sample=700, block_bytes=150_000, cache=False,
                          documents_csv=None)
    workflows.run(demo_jsonl, out, fit_sample=700, cache=False, trend=ASKING)
    return out, result


def test_streamed_run_holds_every_document_in_documents_csv(streamed, demo_corpus):
    out, result = streamed
    docs = pd.read_csv(out / "documents.csv")
    assert len(docs) == len(demo_corpus) == result.meta["n_documents"]
    assert docs["doc_id"].tolist() == demo_corpus["doc_id"].tolist()  # input order kept
    assert len(result.documents) < len(demo_corpus)  # only the fit sample is held
    topics = pd.read_csv(out / "topics.csv")
    assert topics["n_docs"].sum() == len(demo_corpus)
    trends = pd.read_csv(out / "trends.csv")
    assert trends["n_docs"].sum() == len(demo_corpus)  # every dated document counted once


def test_streamed_themes_match_the_planted_ones(streamed):
    from sklearn.metrics import normalized_mutual_info_score

    out, _ = streamed
    docs = pd.read_csv(out / "documents.csv").merge(
        trendkit.make_demo_corpus(n_docs=1800, seed=0)[["doc_id", "true_theme"]])
    assert normalized_mutual_info_score(docs["true_theme"], docs["topic_id"]) > 0.8


def test_partitioning_does_not_change_any_output(tmp_path, demo_jsonl, streamed):
    from trendkit.execute.partitioned import stream_files

    small = stream_files(demo_jsonl, fit_sample=700, block_bytes=40_000, cache=False,
                         documents_csv=tmp_path / "docs.csv")
    _, result = streamed
    assert small.meta["params"]["n_partitions"] > result.meta["params"]["n_partitions"]
    pd.testing.assert_frame_equal(small.trends, result.trends)
    pd.testing.assert_frame_equal(small.summary, result.summary)


def test_dask_engine_gives_byte_identical_tables(tmp_path, demo_jsonl, streamed):
    pytest.importorskip("distributed")
    single, _ = streamed
    out = tmp_path / "dask"
    # a LocalCluster (one worker per core: 2 in CI), started and closed by the run itself
    workflows.run(demo_jsonl, out, fit_sample=700, cache=False, engine="dask", trend=ASKING)
    for name in CONTRACT + ASKED:
        assert (out / name).read_bytes() == (single / name).read_bytes(), name


def test_analyze_on_a_frame_with_a_fit_sample_returns_every_document(demo_corpus):
    docs = trendkit.load_frame(demo_corpus)
    result = trendkit.analyze(docs, fit_sample=600, cache=False)
    assert len(result.documents) == len(docs)
    assert result.documents["topic_id"].ge(0).all()
    assert result.trends["n_docs"].sum() == len(docs)


def _same_tables(a, b):
    for name in CONTRACT + ASKED:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_fit_sample_as_large_as_the_input_gives_the_in_memory_tables(tmp_path, demo_corpus):
    """And stays so when both runs are re-binned, curated and assigned to: the streamed
    run does it from its saved counts, terms sample and documents.csv."""
    # weighted, by a column that differs between themes, with a facet and forecasts
    corpus = demo_corpus.assign(cites=demo_corpus["title"].str.len() % 7)
    early = corpus[corpus["date"] < "2025-01-01"]
    late = corpus[corpus["date"] >= "2025-01-01"].head(150)
    source, new = tmp_path / "early.jsonl", tmp_path / "late.jsonl"
    early.to_json(source, orient="records", lines=True)
    late.to_json(new, orient="records", lines=True)
    runs = {kind: tmp_path / kind for kind in ("memory", "streamed")}
    weighted = LoadOptions(weight="cites")
    workflows.run(source, runs["memory"], cache=False, columns=weighted, trend=ASKING)
    streamed = workflows.run(source, runs["streamed"], fit_sample=10_000, cache=False,
                             columns=weighted, trend=ASKING)
    assert pd.read_csv(runs["streamed"] / "trends.csv")["weighted"].all()
    assert streamed.meta["streamed"] and not (runs["streamed"] / "artifacts").joinpath(
        "documents.parquet").stat().st_size == 0
    _same_tables(runs["memory"], runs["streamed"])
    curation = tmp_path / "curate.toml"
    curation.write_text('exclude = [1]\n[merge]\n"two themes" = [2, 3]\n')
    for kind, run in runs.items():
        workflows.rerender(run, tmp_path / f"{kind}-q", freq="quarter")
        workflows.rerender(run, tmp_path / f"{kind}-c", curate=curation)
        workflows.assign(tmp_path / f"{kind}-c", new, tmp_path / f"{kind}-a")
    for suffix in ("q", "c", "a"):
        _same_tables(tmp_path / f"memory-{suffix}", tmp_path / f"streamed-{suffix}")
    quarterly = pd.read_csv(tmp_path / "streamed-q" / "trends.csv")
    assert quarterly["period"].str.contains("Q").all()
    curated = pd.read_csv(tmp_path / "streamed-c" / "documents.csv")
    assert not curated["topic_id"].isin([1, 3]).any()
    extended = pd.read_csv(tmp_path / "streamed-a" / "documents.csv")
    added = extended["doc_id"].isin(late["doc_id"])
    assert extended.loc[~added, "doc_id"].tolist() == curated["doc_id"].tolist()
    assert 0 < added.sum() <= len(late) and not extended["topic_id"].isin([1, 3]).any()


def test_duplicates_are_handled_as_in_memory(tmp_path):
    rows = [("x", "T1", "alpha beta gamma"), ("y", "T2", "delta epsilon"),
            ("x", "T2", "zeta eta theta"), ("x", "T3", "iota kappa"),
            ("z", "T4", "lambda mu"), ("z", "T4", "lambda mu")]
    path = tmp_path / "dups.jsonl"
    pd.DataFrame(rows, columns=["id", "title", "abstract"]).assign(
        date="2024-01-05").to_json(path, orient="records", lines=True)
    from trendkit.execute.passes import collect, scan
    from trendkit.execute.plan import plan_documents
    from trendkit.load.partitions import plan_partitions

    parts = plan_partitions([path], block_bytes=60)  # several partitions
    plans, _, n_docs, notes = plan_documents([scan(p, LoadOptions(), 0, 10)
                                              for p in parts], 100)
    kept = pd.concat([collect(p, LoadOptions(), plan, 10)
                      for p, plan in zip(parts, plans)], ignore_index=True)
    memory = trendkit.load_corpus(path)
    assert kept["doc_id"].tolist() == memory["doc_id"].tolist() == ["x", "y", "x#3", "z"]
    assert sorted(notes) == sorted(memory.attrs["notes"])
