"""Every workflow (one per CLI command) leaves a readable, consistent run folder — or nothing."""

import json

import pandas as pd
import pytest

from trendkit import workflows
from trendkit.report import TrendReport
from trendkit.runs import CONTRACT_FILES, read_run


@pytest.fixture(scope="module")
def later_csv(tmp_path_factory, demo_corpus):
    path = tmp_path_factory.mktemp("later") / "later.csv"
    demo_corpus.tail(200).assign(doc_id=lambda d: "new-" + d["doc_id"]).to_csv(path, index=False)
    return path


def call(name, run_dir, out, later_csv):
    if name == "rerender":
        return workflows.rerender(run_dir, out, freq="quarter")
    if name == "assign":
        return workflows.assign(run_dir, [later_csv], out)
    if name == "evaluate":
        return workflows.evaluate(out)
    raise ValueError(name)


@pytest.fixture
def run_copy(demo_run, tmp_path):
    import shutil

    copy = tmp_path / "run"
    shutil.copytree(demo_run, copy)
    return copy


WORKFLOWS = ["rerender", "assign", "evaluate"]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_leaves_a_readable_consistent_run(name, run_copy, tmp_path, later_csv):
    out = run_copy if name == "evaluate" else tmp_path / "out"
    result = call(name, run_copy, out, later_csv)
    for file in CONTRACT_FILES:
        assert (out / file).exists(), file
    info = json.loads((out / "run.json").read_text())
    assert info["n_documents"] == len(result.documents) == len(pd.read_csv(out / "documents.csv"))
    assert info["n_themes"] == result.n_themes
    assert "report" in info["timings_seconds"] and "trend" in info["timings_seconds"]
    again = read_run(out)
    assert len(again.documents) == len(result.documents)
    assert again.topics["topic_id"].tolist() == result.topics["topic_id"].tolist()
    assert not list(out.parent.glob(f".{out.name}.tmp-*"))


@pytest.mark.parametrize("name", WORKFLOWS)
def test_interrupted_workflow_leaves_earlier_results_intact(name, run_copy, tmp_path, later_csv,
                                                            monkeypatch):
    out = run_copy if name == "evaluate" else tmp_path / "out"
    before = sorted(p.name for p in run_copy.iterdir())
    summary = (run_copy / "trend_summary.csv").read_bytes()

    def interrupt(self, path):
        raise KeyboardInterrupt

    monkeypatch.setattr(TrendReport, "to_file", interrupt)
    with pytest.raises(KeyboardInterrupt):
        call(name, run_copy, out, later_csv)
    assert sorted(p.name for p in run_copy.iterdir()) == before
    assert (run_copy / "trend_summary.csv").read_bytes() == summary
    if out != run_copy:
        assert not out.exists()
    assert not list(tmp_path.glob(".*.tmp-*"))
