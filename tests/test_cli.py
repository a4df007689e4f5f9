"""The typer CLI, driven with CliRunner and (for exit codes) a real subprocess."""

import subprocess
import sys

import pandas as pd
import pytest

from trendkit.cli import app

from .conftest import PAPERS_PAGE, needs_shared, run_main


def test_help_lists_commands(runner):
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "trends", "demo"):
        assert command in result.output


def test_demo_command_writes_a_report(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    result = runner.invoke(app, ["demo", "--out", "reports/demo", "--n-docs", "600", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "demo_corpus.csv").exists()
    docs = pd.read_csv(tmp_path / "reports/demo/documents.csv")
    assert len(docs) == 600
    assert (tmp_path / "reports/demo/report.html").exists()


def test_run_with_explicit_columns_and_options(runner, tmp_path, demo_corpus):
    path = tmp_path / "in.csv"
    renamed = demo_corpus.rename(columns={"abstract": "body", "date": "when", "doc_id": "key"})
    renamed.head(500).to_csv(path, index=False)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--out", str(out), "--text-col", "body",
                                 "--date-col", "when", "--id-col", "key", "--freq", "quarter",
                                 "--n-topics", "4", "--seed", "1", "--no-cache", "--quiet"])
    assert result.exit_code == 0, result.output
    topics = pd.read_csv(out / "topics.csv")
    assert topics["parent_id"].isna().sum() == 4  # four themes (sub-themes below them)
    assert topics.loc[topics["parent_id"].notna(), "parent_id"].isin(range(4)).all()
    trends = pd.read_csv(out / "trends.csv")
    assert trends["period"].str.match(r"^\d{4}Q[1-4]$").all()
    docs = pd.read_csv(out / "documents.csv")
    assert docs["doc_id"].str.startswith("demo-").all()


def test_trends_command_with_given_labels(runner, tmp_path, demo_csv):
    out = tmp_path / "labelled"
    result = runner.invoke(app, ["trends", str(demo_csv), "--topic-col", "true_theme", "--out",
                                 str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    summary = pd.read_csv(out / "trend_summary.csv").set_index("topic_label")
    assert summary.loc["LLM serving & scheduling", "status"] == "emerging"
    assert summary.loc["learning-rate schedules", "status"] == "declining"


@pytest.mark.parametrize("args, message", [
    (["run", "missing.csv", "--out", "o"], "missing.csv: no such file"),
    (["run", "{csv}", "--out", "o", "--text-col", "nope"], "--text-col 'nope' not found"),
    (["run", "{csv}", "--out", "o", "--freq", "fortnight"], "unknown --freq 'fortnight'"),
    (["run", "{csv}", "--out", "o", "--embedding", "gpt"], "unknown --embedding 'gpt'"),
    (["trends", "{csv}", "--out", "o", "--topic-col", "nope"], "--topic-col 'nope' not found"),
    (["run", "{csv}", "--out", "o", "--engine", "spark"], "--engine 'spark': choose one of"),
    (["run", "{csv}", "--out", "o", "--fit-sample", "5"], "--fit-sample"),
    (["run", "{csv}.bib", "--out", "o", "--fit-sample", "500"], "no such file"),
    (["run", "nothing-*.jsonl", "--out", "o"], "no files match this pattern"),
])
def test_user_errors_are_one_line_exit_2(tmp_path, args, message):
    csv = tmp_path / "in.csv"
    csv.write_text("title,abstract,date\nA,Some words about experts.,2024-01-01\n"
                   "B,Other words about schedules.,2024-02-01\n")
    args = [a.replace("{csv}", str(csv)) for a in args]
    done = subprocess.run([sys.executable, "-m", "trendkit", *args], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert "Traceback" not in done.stderr and len(errors) == 1 and message in errors[0]


@needs_shared(PAPERS_PAGE)
def test_run_on_papers_page_via_cli(runner, tmp_path):
    out = tmp_path / "page"
    result = runner.invoke(app, ["run", str(PAPERS_PAGE), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "no dates" in result.output
    assert len(pd.read_csv(out / "documents.csv")) == 57


def test_report_and_assign_commands(runner, tmp_path, demo_corpus):
    dates = pd.to_datetime(demo_corpus["date"])
    first, later = tmp_path / "first.csv", tmp_path / "later.csv"
    demo_corpus[dates < "2025-05-01"].to_csv(first, index=False)
    demo_corpus[dates >= "2025-04-01"].to_csv(later, index=False)  # one month overlaps
    run_dir, updated, quarterly = tmp_path / "run", tmp_path / "updated", tmp_path / "quarterly"
    assert runner.invoke(app, ["run", str(first), "--out", str(run_dir), "-q"]).exit_code == 0

    result = runner.invoke(app, ["report", str(run_dir), "--freq", "quarter", "--out",
                                 str(quarterly), "-q"])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(quarterly / "trends.csv")["period"].str.contains("Q").all()
    assert (quarterly / "report.html").exists()

    result = runner.invoke(app, ["assign", str(run_dir), str(later), "--out", str(updated), "-q"])
    assert result.exit_code == 0, result.output
    before = pd.read_csv(run_dir / "documents.csv")
    after = pd.read_csv(updated / "documents.csv")
    assert len(after) == len(demo_corpus)
    same = before.merge(after, on="doc_id")
    assert (same["topic_id_x"] == same["topic_id_y"]).all()  # seen documents keep their theme
    assert pd.read_csv(updated / "topics.csv")["topic_label"].tolist() == \
        pd.read_csv(run_dir / "topics.csv")["topic_label"].tolist()
    assert pd.read_csv(updated / "trends.csv")["period"].max() == "2025-06"
    # new documents land in the theme of their planted truth's majority
    truth = demo_corpus.set_index("doc_id")["true_theme"]
    new = after[~after["doc_id"].isin(before["doc_id"])]
    table = pd.crosstab(new["topic_id"], truth.reindex(new["doc_id"]).to_numpy())
    assert table.max(axis=1).sum() / len(new) > 0.95


def test_report_on_a_non_run_folder_is_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "trendkit", "report", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "not a trendkit run folder" in done.stderr


USAGE_ERRORS = [  # (args, words the one error line must hold)
    (["run", "x.csv"], "Missing option '--out'"),
    (["run", "x.csv", "-o", "o", "--bogus"], "No such option: --bogus"),
    (["run", "x.csv", "-o", "o", "--n-topics", "0"], "--n-topics"),
    (["run", "x.csv", "-o", "o", "--seed", "many"], "--seed"),
    ([], "no command given"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["fetch"], "missing a command"),
    (["trends", "x.csv", "-o", "o"], "Missing option '--topic-col'"),
    (["run", "x.csv", "-o", "o", "--filter", "nocolumn"], "expected COLUMN=PATTERN"),
    (["run", "x.csv", "-o", "o", "--since", "last tuesday"], "not a date"),
]


@pytest.mark.parametrize("args, words", USAGE_ERRORS,
                         ids=[" ".join(a) or "(none)" for a, _ in USAGE_ERRORS])
def test_usage_errors_are_one_line_and_exit_2(args, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("title,abstract\nA,Sparse experts route tokens.\n")
    code, out, err = run_main(args, capsys)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0], err
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["-h"], ["--help"], ["run", "-h"], ["--version"]])
def test_help_and_version_exit_0(args, capsys):
    code, out, err = run_main(args, capsys)
    assert code == 0 and err == ""
    assert ("Usage:" in out) or out.startswith("trendkit ")


def test_installed_entry_point_with_the_resolved_click(tmp_path):
    """The console script pip wrote, with whatever typer/click versions pip resolved."""
    from pathlib import Path

    script = Path(sys.executable).parent / "trendkit"
    if not script.exists():
        pytest.skip("trendkit console script not installed next to this interpreter")
    for args, code, stream, words in [(["run", "x.csv"], 2, "stderr", "error: Missing option"),
                                      (["--version"], 0, "stdout", "trendkit "),
                                      (["-h"], 0, "stdout", "Usage:")]:
        done = subprocess.run([str(script), *args], capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == code, done.stderr
        assert words in getattr(done, stream)


def test_help_lists_every_input_format(runner):
    from trendkit.load import FORMATS

    text = " ".join(runner.invoke(app, ["run", "--help"]).output.split())
    for name in FORMATS:
        assert name in text
