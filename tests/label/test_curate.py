"""Curation: rename, merge and exclude themes of a finished run without re-embedding."""

import json

import numpy as np
import pandas as pd
import pytest

from trendkit import TrendkitError, workflows
from trendkit.label.curate import Curation, read_curation

EXAMPLE = '''[rename]
3 = "LLM serving"
[merge]
"Mixture of experts" = [5, 6]
exclude = [0]
'''


@pytest.fixture
def curated(demo_run, tmp_path):
    path = tmp_path / "curate.toml"
    path.write_text(EXAMPLE)
    out = tmp_path / "curated"
    result = workflows.rerender(demo_run, out, curate=path)
    return out, result


def test_curation_example_on_the_demo_run(demo_run, curated):
    out, _ = curated
    before = pd.read_csv(demo_run / "topics.csv").set_index("topic_id")
    topics = pd.read_csv(out / "topics.csv").set_index("topic_id")
    assert topics.loc[3, "topic_label"] == "LLM serving"
    assert topics.loc[5, "topic_label"] == "Mixture of experts"
    assert topics.loc[5, "n_docs"] == before.loc[5, "n_docs"] + before.loc[6, "n_docs"]
    assert 0 not in topics.index and 6 not in topics.index
    trends = pd.read_csv(out / "trends.csv")
    assert 0 not in set(trends["topic_id"]) and 6 not in set(trends["topic_id"])
    sums = trends.groupby("period")["share"].sum()
    assert np.allclose(sums[trends.groupby("period")["period_total"].first() > 0], 1)
    n_documents = len(pd.read_csv(demo_run / "documents.csv"))
    assert topics["n_docs"].sum() == n_documents - before.loc[0, "n_docs"]
    info = json.loads((out / "run.json").read_text())
    assert info["curation"]["merge"] == {"Mixture of experts": [5, 6]}
    assert (out / "curation.toml").read_text() == EXAMPLE


def test_assign_on_a_curated_run_keeps_the_curation(curated, demo_corpus, tmp_path):
    out, _ = curated
    later = tmp_path / "later.csv"
    demo_corpus.tail(300).assign(doc_id=lambda d: "new-" + d["doc_id"]).to_csv(later, index=False)
    result = workflows.assign(out, [later], tmp_path / "updated")
    topics = result.topics.set_index("topic_id")
    assert topics.loc[3, "topic_label"] == "LLM serving" and 0 not in topics.index
    assert not result.documents["topic_id"].isin([0, 6]).any()
    assert (result.documents["doc_id"].str.startswith("new-")).sum() > 200


@pytest.mark.parametrize("text, message", [
    ('[merge]\n"x" = [1]\n', "at least two"),
    ('[merge]\n"x" = [1, 2]\n"y" = [2, 3]\n', "two merges"),
    ('exclude = [1]\n[merge]\n"x" = [1, 2]\n', "both merged and excluded"),
    ('[rename]\nfoo = "bar"\n', "whole numbers"),
    ('[colour]\n1 = "red"\n', "unknown section"),
    ("not toml [", "not a valid curation TOML"),
])
def test_bad_curation_files_are_one_line_errors(tmp_path, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(TrendkitError, match=message):
        read_curation(path)


def test_unknown_theme_id_is_refused_and_nothing_written(demo_run, tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[rename]\n99 = "nope"\n')
    with pytest.raises(TrendkitError, match=r"theme id\(s\) \[99\]"):
        workflows.rerender(demo_run, tmp_path / "out", curate=path)
    assert not (tmp_path / "out").exists()


def test_curation_is_idempotent():
    c = Curation.from_dict({"merge": {"m": [2, 1]}, "exclude": [0]})
    assert Curation.from_dict(c.to_dict()) == c and c.mapping() == {2: 1}
