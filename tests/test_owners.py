"""One owner per rule: every path that needs a rule's answer asks the one function that owns it.

Each test records calls to the owner (by its code object, so however it was imported)
while every path that needs the rule runs, and checks statically that no other module
holds a copy of the rule.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

import trendkit
from trendkit import workflows
from trendkit.embed.choose import resolve_embedding
from trendkit.execute.choose import streaming
from trendkit.label.rows import topic_rows
from trendkit.load.inputs import expand_inputs
from trendkit.trend.periods import resolve_freq

SRC = Path(trendkit.__file__).parent


@contextmanager
def calls_to(function):
    """Count calls to ``function`` (any module's name for it) within the block."""
    seen, code, previous = [], function.__code__, sys.getprofile()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code is code:
            seen.append(frame.f_back.f_code.co_name)

    sys.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(previous)


def _sources_holding(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
                  if found.search(p.read_text()))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("owners")
    corpus = trendkit.make_demo_corpus(n_docs=400, seed=3)
    corpus.iloc[:300].to_json(folder / "part-a.jsonl", orient="records", lines=True)
    corpus.iloc[300:].to_json(folder / "part-b.jsonl", orient="records", lines=True)
    return folder


def test_the_period_length_is_chosen_by_resolve_freq_alone(small, tmp_path):
    paths = {
        "run": lambda: workflows.run(small / "part-a.jsonl", tmp_path / "m", cache=False),
        "streamed": lambda: workflows.run(small / "part-a.jsonl", tmp_path / "s", cache=False,
                                          fit_sample=200),
        "report": lambda: workflows.rerender(tmp_path / "s", tmp_path / "q", freq="quarter"),
        "assign": lambda: workflows.assign(tmp_path / "m", small / "part-b.jsonl",
                                           tmp_path / "a"),
        "trends": lambda: workflows.run_labelled(small / "part-a.jsonl", tmp_path / "t",
                                                 "true_theme"),
    }
    for name, path in paths.items():
        with calls_to(resolve_freq) as seen:
            path()
        assert seen, f"{name} chose a period length without resolve_freq"
    # nowhere else is a span turned into a period length or a request checked
    assert _sources_holding(r"def (choose_freq|check_freq|_by_span)\b") == ["trend/periods.py"]
    assert _sources_holding(r"_by_span\(") == ["trend/periods.py"]


def test_auto_is_resolved_by_resolve_embedding_once_and_recorded(small, tmp_path):
    for name, kwargs in {"memory": {}, "streamed": {"fit_sample": 200}}.items():
        with calls_to(resolve_embedding) as seen:
            result = workflows.run(small / "part-a.jsonl", tmp_path / name, cache=False,
                                   **kwargs)
        assert seen.count("resolve_embedding") == 0  # no recursion
        assert len(seen) >= 1, name
        assert result.meta["params"]["embedding"] == "distilled"  # the choice, not "auto"
    # only the owner turns "auto" into a backend
    assert _sources_holding(r"auto chose") == ["embed/choose.py"]


def test_stream_or_not_is_decided_by_streaming_alone(small, tmp_path):
    with calls_to(streaming) as seen:
        workflows.run(small / "part-a.jsonl", tmp_path / "w", cache=False)
    assert seen == ["run"]
    docs = trendkit.load_frame(trendkit.make_demo_corpus(n_docs=300))
    with calls_to(streaming) as seen:
        trendkit.analyze(docs, cache=False, document_map=False)
    assert seen == ["analyze"]
    assert _sources_holding(r"STREAM_BYTES") == ["execute/choose.py"]


def test_every_command_expands_its_inputs_the_same_way(small, tmp_path):
    """A glob means the same to run, trends and assign (and to load_corpus)."""
    pattern = str(small / "part-*.jsonl")
    with calls_to(expand_inputs) as seen:
        run = workflows.run(pattern, tmp_path / "r", cache=False)
        labelled = workflows.run_labelled(pattern, tmp_path / "t", "true_theme")
        assigned = workflows.assign(tmp_path / "r", pattern, tmp_path / "a")
        docs = trendkit.load_corpus(pattern)
    assert {"run", "run_labelled", "assign", "load_corpus"} <= set(seen)
    assert len(run.documents) == len(labelled.documents) == len(docs) == 400
    assert "0 new document(s)" in " ".join(assigned.meta["notes"])
    assert _sources_holding(r"glob\.glob\(") == ["load/inputs.py"]


def test_topic_rows_are_built_by_one_builder(demo_corpus, tmp_path):
    docs = trendkit.load_frame(demo_corpus.head(400))
    with calls_to(topic_rows) as seen:
        fitted = trendkit.analyze(docs, cache=False, document_map=False)
        trendkit.analyze_labelled(docs, "true_theme")
    assert {"_describe", "analyze_labelled"} <= set(seen)
    # representative titles mean one thing: the documents closest to the theme's centre
    themes = fitted.topics.set_index("topic_id")["representative_titles"]
    assert all(len(t.split(" | ")) == 3 for t in themes)
    # only the builder assembles the column
    assert _sources_holding(r"(?<!def )representatives\(") == ["label/rows.py"]
    assert _sources_holding(r'\["representative_titles"\] =') == ["label/rows.py"]


def test_the_registries_answer_for_their_lists():
    from trendkit.embed.registry import BACKENDS
    from trendkit.load.formats import FORMATS
    from trendkit.report.registry import registered

    # no hand-typed list of backend, format or figure names anywhere else in the package
    assert _sources_holding(r'"minilm-int8", "minilm"') == []
    assert _sources_holding(r'"csv", "tsv", "json"') == []
    assert _sources_holding(r'"share_over_time": "') == []
    assert {"lsa", "distilled", "minilm-int8"} <= set(BACKENDS)
    assert {"csv", "jsonl", "parquet", "papers"} <= set(FORMATS)
    assert list(registered())[0] == "coverage"
    assert pd.Series([f.position for f in registered().values()]).is_monotonic_increasing
