"""Shared fixtures: the demo corpus with known truth, shared real data, a CLI runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import trendkit

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ARXIV = SHARED / "arxiv_daily_2025_2026.jsonl.gz"
PAPERS_PAGE = SHARED / "hf_papers_page_scheduling.txt"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # Tests never read or pollute the user's embedding cache.
    monkeypatch.setenv("TRENDKIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def demo_corpus() -> pd.DataFrame:
    return trendkit.make_demo_corpus(n_docs=1800, seed=0)


@pytest.fixture(scope="session")
def demo_csv(tmp_path_factory, demo_corpus) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo_corpus.csv"
    demo_corpus.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def demo_result(demo_corpus):
    return trendkit.analyze(trendkit.load_frame(demo_corpus), cache=False, document_map=False)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, demo_csv) -> Path:
    """A finished run folder on the demo corpus, made once per session."""
    out = tmp_path_factory.mktemp("runs") / "demo"
    trendkit.run([demo_csv], out, cache=False)
    return out


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_main(args, capsys) -> tuple[int, str, str]:
    """``trendkit ARGS`` through the console entry point, in-process: (exit code, out, err)."""
    import sys

    from trendkit.cli import main

    old = sys.argv
    sys.argv = ["trendkit", *map(str, args)]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def needs_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"shared data not present: {path}")


@pytest.fixture(autouse=True)
def close_figures():
    """Each test's matplotlib figures are freed after it (pyplot keeps them all otherwise)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
