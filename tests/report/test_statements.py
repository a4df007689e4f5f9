"""What the report, summary.md and the CLI say is what was done (regressions of issue #33)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import trendkit
from trendkit import workflows
from trendkit.report import TrendReport
from trendkit.report.charts import chart_specs
from trendkit.report.sentences import untested

from ..conftest import run_main


@pytest.fixture(scope="module")
def yearly(tmp_path_factory, demo_run):
    """The demo run (30 months) re-binned to years: too few periods to test."""
    out = tmp_path_factory.mktemp("q") / "yearly"
    return workflows.rerender(demo_run, out, freq="year")


def test_untested_themes_are_explained_with_a_remedy(yearly):
    assert (yearly.summary["status"] == "insufficient-data").all()
    reason = untested(yearly)
    assert "complete yearly periods: trends need 6" in reason and "use --freq quarter" in reason
    md = TrendReport(yearly).render_markdown()
    html = TrendReport(yearly).render_html(include_images=False)
    assert "use --freq quarter" in md and "use --freq quarter" in html
    # "no theme rises" would be a finding; nothing was tested, so it is not said
    assert "No theme rises significantly" not in md
    assert "No theme rises significantly" not in html


def test_the_cli_names_the_reason_and_the_remedy(demo_run, tmp_path, capsys):
    code, _, err = run_main(["report", demo_run, "--freq", "year", "--out", tmp_path / "y"],
                            capsys)
    assert code == 0 and "not tested:" in err and "use --freq quarter" in err


def test_methods_text_describes_the_tests_as_run(demo_result):
    html = TrendReport(demo_result).render_html(include_images=False)
    assert "both must agree" not in html
    assert "Either test may call a change, each at half the level" in html
    assert "of all documents" in html


def test_markdown_gets_text_and_html_gets_escaped_text(demo_result):
    result = demo_result
    named = result.topics["topic_name"].where(result.topics["topic_id"] != 0,
                                              "LLM serving & scheduling")
    result = type(result)(**{**result.__dict__, "topics": result.topics.assign(
        topic_name=named)})
    md = TrendReport(result).render_markdown()
    assert "LLM serving & scheduling" in md and "&amp;" not in md
    assert "LLM serving &amp; scheduling" in TrendReport(result).render_html(False)


def test_a_normalised_run_is_not_told_to_normalise():
    from trendkit.trend.coverage import coverage_notes

    table = pd.DataFrame({"period": ["2025-09"], "change": [True], "detail": ["cs.IT starts"]})
    assert "(see --normalize-by)" in coverage_notes(table)[0]
    assert "--normalize-by" not in coverage_notes(table, normalized=True)[0]


def test_a_rerendered_run_keeps_its_inputs_and_records_the_rerender(demo_run, tmp_path):
    before = json.loads((demo_run / "run.json").read_text())
    workflows.rerender(demo_run, tmp_path / "again", freq="quarter")
    after = json.loads((tmp_path / "again" / "run.json").read_text())
    assert after["inputs"] == before["inputs"] and after["inputs"][0]["sha256"]
    assert after["history"][-1]["command"] == "report"
    assert after["history"][-1]["freq"] == "quarter"


def test_static_and_interactive_share_charts_stack_alike(demo_result):
    from trendkit.report.figures import plot_share_over_time

    ax = plot_share_over_time(demo_result.trends)
    static = [t.get_text() for t in ax.get_legend().get_texts()]
    spec = chart_specs(demo_result)["chart-share"]
    colour = spec["layer"][0]["encoding"]["color"]
    assert [s.split(": ")[0] for s in colour["scale"]["domain"]] == \
        [s.split(": ")[0] for s in static]  # same themes, same order
    from matplotlib.colors import to_hex

    assert colour["scale"]["range"][0] == to_hex(ax.collections[0].get_facecolor()[0]).upper()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 1]  # never 110 %
    assert spec["layer"][0]["encoding"]["order"]["sort"] == "ascending"  # largest at the bottom


def test_ctrl_c_after_the_run_is_written_says_so(demo_csv, tmp_path, capsys, monkeypatch):
    from trendkit.cli import output

    real = output.console.print

    def interrupt_after_summary(text, *args, **kwargs):
        real(text, *args, **kwargs)
        if str(text).startswith("[bold green]✓"):
            raise KeyboardInterrupt

    monkeypatch.setattr(output.console, "print", interrupt_after_summary)
    monkeypatch.delitem(output.WRITTEN, "out", raising=False)
    code, _, err = run_main(["run", demo_csv, "--out", tmp_path / "run", "-q"], capsys)
    assert code == 0 and "is complete" in err and "nothing was written" not in err
    assert (tmp_path / "run" / "run.json").exists()


def test_assign_prints_what_it_did_and_writes_it_to_the_summary(demo_run, tmp_path, capsys):
    fresh = pd.DataFrame({"id": ["sourdough"], "title": ["Sourdough baking at home"],
                          "abstract": ["We bake sourdough bread with a wild yeast starter, "
                                       "flour, water and salt, and time the proofing."],
                          "date": ["2025-06-15"]})
    fresh.to_csv(tmp_path / "new.csv", index=False)
    code, _, err = run_main(["assign", demo_run, tmp_path / "new.csv", "--out", tmp_path / "a"],
                            capsys)
    assert code == 0
    said = [line for line in err.splitlines() if "note:" in line]
    assert any("assigned 1 new document" in line for line in said)
    assert any("far from every theme" in line or "novelty:" in line for line in said)
    md = (tmp_path / "a" / "summary.md").read_text()
    assert "## Notes" in md and "assigned 1 new document" in md


def test_undated_columns_are_found_or_named(tmp_path):
    corpus = trendkit.make_demo_corpus(n_docs=200)
    corpus.rename(columns={"date": "submitted_on"}).to_csv(tmp_path / "a.csv", index=False)
    docs = trendkit.load_corpus(tmp_path / "a.csv")
    assert docs["date"].notna().all()
    assert any("read dates from 'submitted_on'" in n for n in docs.attrs["notes"])
    sheet = corpus.rename(columns={"date": "Publication Date"})
    sheet["Publication Date"] = pd.to_datetime(sheet["Publication Date"])  # real date cells
    sheet.to_excel(tmp_path / "b.xlsx", index=False)
    assert trendkit.load_corpus(tmp_path / "b.xlsx")["date"].notna().all()
    mixed = corpus.rename(columns={"date": "when"})
    mixed.loc[::3, "when"] = "unknown"  # two thirds parse: named, not used
    mixed.to_csv(tmp_path / "c.csv", index=False)
    docs = trendkit.load_corpus(tmp_path / "c.csv")
    assert docs["date"].isna().all()
    assert any("'when' (66 %)" in n and "--date-col" in n for n in docs.attrs["notes"])
    counts = pd.DataFrame({"abstract": ["x y"] * 3, "citations": [1900, 2001, 2020]})
    counts.to_csv(tmp_path / "d.csv", index=False)
    assert trendkit.load_corpus(tmp_path / "d.csv")["date"].isna().all()  # numbers are not dates
