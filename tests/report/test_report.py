import base64
import re

import matplotlib.pyplot as plt
import pytest

from trendkit import TrendkitError
from trendkit.report import (
    TrendReport,
    plot_heatmap,
    plot_share_over_time,
    plot_slopes,
    plot_theme_panels,
    plot_theme_sizes,
)


def test_plot_functions_return_matplotlib_objects(demo_result):
    r = demo_result
    axes = [plot_share_over_time(r.trends), plot_theme_sizes(r.topics), plot_heatmap(r.trends),
            plot_slopes(r.summary)]
    for ax in axes:
        assert isinstance(ax, plt.Axes)
        assert ax.get_title()
    fig = plot_theme_panels(r.trends, r.summary)
    assert isinstance(fig, plt.Figure)
    assert len([a for a in fig.axes if a.get_visible()]) == len(r.topics)
    plt.close("all")


def test_given_axes_are_drawn_into(demo_result):
    fig, ax = plt.subplots()
    assert plot_share_over_time(demo_result.trends, ax=ax) is ax
    plt.close(fig)


def test_html_is_self_contained_with_inlined_figures(demo_result):
    report = TrendReport(demo_result)
    page = report.render_html()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no network fetches
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) >= 4
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    for section in ("summary", "themes", "figures", "trends"):
        assert f'id="{section}"' in page and f'href="#{section}"' in page
    report.close()


def test_theme_table_has_no_nan_cells_and_integer_ids(demo_result):
    # Regression: broad themes showed parent_id "nan", sub-themes' parents "3.0".
    html = TrendReport(demo_result).render_html(include_images=False)
    themes = html.split('id="themes"')[1].split("</table>")[0]
    assert ">nan<" not in themes and ".0<" not in themes


def test_summary_names_planted_movers(demo_result):
    md = TrendReport(demo_result).render_markdown()
    emerging = md.split("## Emerging")[1].split("## Declining")[0]
    declining = md.split("## Declining")[1].split("## ")[0]
    assert "serving" in emerging or "llm" in emerging.lower()
    assert "learning rate" in declining or "decay" in declining


def test_undated_input_shows_no_period_count(demo_result):
    """Regression: a papers page (no dates) showed a "— × 0" period card."""
    import copy

    undated = copy.deepcopy(demo_result)
    undated.documents["date"] = None
    undated.trends = undated.trends.iloc[0:0]
    undated.meta["freq"] = None
    assert not undated.has_dates
    report = TrendReport(undated)
    assert "× 0" not in report.render_html(include_images=False)
    assert "no periods" in report.render_markdown() and "periods (0)" not in \
        report.render_markdown()
    report.close()


def test_corpus_text_is_escaped(demo_result):
    import copy

    hostile = copy.deepcopy(demo_result)
    evil = '<script>document.title="pwned"</script>"><img src=x onerror=alert(1)>'
    hostile.topics.loc[0, "topic_label"] = evil
    hostile.topics.loc[0, "representative_titles"] = evil
    hostile.summary.loc[0, "topic_label"] = evil
    hostile.meta["notes"] = [evil]
    page = TrendReport(hostile).render_html(include_images=False)
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    md = TrendReport(hostile).render_markdown()
    assert "<script>" not in md


def test_to_file_picks_format_from_suffix(demo_result, tmp_path):
    report = TrendReport(demo_result)
    assert report.to_file(tmp_path / "r.md").read_text().startswith("# trendkit report")
    assert "<!DOCTYPE html>" in report.to_file(tmp_path / "r.html").read_text()
    with pytest.raises(TrendkitError, match="must be .html or .md"):
        report.to_file(tmp_path / "r.pdf")
    assert "<h1>" in report._repr_html_()
    # in a notebook a result shows its verdicts (the report is one call away)
    assert "<table" in demo_result._repr_html_() and "emerging" in demo_result._repr_html_()
    report.close()


def test_save_figures_writes_png_and_editable_svg_and_keeps_the_layout(demo_result, tmp_path):
    report = TrendReport(demo_result)
    written = {p.name for p in report.save_figures(tmp_path)}
    names = set(report.figures)
    assert {f"{n}.png" for n in names} <= written
    assert {f"{n}.svg" for n in names - {"document_map"}} == {p for p in written if
                                                                p.endswith(".svg")}
    svg = (tmp_path / "share_over_time.svg").read_text()
    assert svg.count("<text") > 5  # text stays text (svg.fonttype none): editable
    # The SVG reuses the PNG's layout; the figure a notebook holds keeps its layout engine
    # (theme panels have fixed margins and none).
    assert all(type(f.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
               for name, f in report.figures.items() if name != "theme_panels")
    assert report.figures["theme_panels"].get_layout_engine() is None
    report.close()


# Cut to 44 characters in the panel title, as real labels are.
LONG_LABEL = "retrieval-augmented generation · multi-hop question answering · knowledge graphs"


@pytest.mark.parametrize("n_themes", [1, 4, 12])
def test_theme_panels_fixed_margins_fit_long_titles_and_day_ticks(n_themes):
    """No text leaves the canvas or runs into the row above, with the longest labels seen."""
    import pandas as pd

    periods = pd.date_range("2025-03-01", periods=40, freq="D").strftime("%Y-%m-%d")
    trends = pd.DataFrame([
        {"topic_id": t, "topic_label": LONG_LABEL, "period": p, "n_docs": 5 + t, "share": 0.1,
         "share_low": 0.05, "share_high": 0.15} for t in range(n_themes) for p in periods])
    summary = pd.DataFrame({"topic_id": range(n_themes), "status": "emerging",
                            "n_docs": 100, "burst_periods": ""})
    fig = plot_theme_panels(trends, summary)
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    canvas = fig.bbox
    texts = [t for t in fig.findobj(plt.Text) if t.get_visible() and t.get_text()]
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= canvas.x0 - 1 and box.x1 <= canvas.x1 + 1, text.get_text()
        assert box.y0 >= canvas.y0 - 1 and box.y1 <= canvas.y1 + 1, text.get_text()
    axes = [a for a in fig.axes if a.get_visible()]
    for upper in axes:
        ticks = [t.get_window_extent(renderer) for t in upper.get_xticklabels() if t.get_text()]
        for lower in axes:
            if lower.get_position().y1 < upper.get_position().y0:  # a row further down
                title = lower.title.get_window_extent(renderer)
                assert not any(title.overlaps(tick) for tick in ticks)
    assert fig.texts[0].get_window_extent(renderer).y0 > max(
        a.title.get_window_extent(renderer).y1 for a in axes)  # suptitle above the panels
    heights = [a.get_position().height * fig.get_figheight() for a in axes]
    assert min(heights) >= 1.3  # inches: a single row is not squeezed by the margins
    plt.close(fig)
    # A caller's own figure keeps its layout engine, which also places the suptitle.
    fig = plot_theme_panels(trends, summary, fig=plt.figure(layout="constrained"))
    fig.draw(fig.canvas.get_renderer())
    renderer = fig.canvas.get_renderer()
    assert fig.texts[0].get_window_extent(renderer).y0 > max(
        a.title.get_window_extent(renderer).y1 for a in fig.axes if a.get_visible())
    plt.close(fig)


def test_a_moving_sub_theme_is_told_with_its_themes_name(demo_result):
    # Regression (robotics report): "depth (sub-theme of 2: 38, 830 docs)" read as ids.
    import copy

    result = copy.deepcopy(demo_result)
    mover = result.summary.loc[result.summary["status"] == "emerging", "topic_id"].iloc[0]
    # a theme of another status: the sub-theme stands among the themes, so names it
    parent = int(result.summary.loc[result.summary["status"] != "emerging", "topic_id"].iloc[0])
    for frame in (result.topics, result.summary):
        frame["parent_id"] = frame["topic_id"].map({mover: parent}).astype(float)
    parent_name = result.topics.set_index("topic_id").loc[parent, "topic_name"]
    report = TrendReport(result)
    told = f"sub-theme {mover} of {parent_name}"
    assert told in report.render_markdown()
    assert told in report.render_html(include_images=False).replace("&amp;", "&")
    falling = result.summary.loc[result.summary["status"] == "declining", "topic_id"].iloc[0]
    assert f"(theme {falling}, " in report.render_markdown()  # a theme is told by its id


def test_a_sub_theme_moving_with_its_theme_is_listed_under_it(demo_result):
    # Robotics report: 24 emerging items in one flat list by relative change put the
    # field's biggest riser tenth, its sub-themes scattered; now theme, then its sub-themes.
    import copy

    result = copy.deepcopy(demo_result)
    summary = result.summary
    rising = summary.loc[summary["status"] == "emerging"].copy()
    assert len(rising) >= 2, "the demo corpus plants at least two emerging themes"
    rising["change"] = rising["share_end"] - rising["share_start"]
    parent, child = rising.sort_values("change", ascending=False)["topic_id"].iloc[:2]
    for frame in (result.topics, result.summary):
        frame["parent_id"] = frame["topic_id"].map({child: parent}).astype(float)
    report = TrendReport(result)
    lines = report.render_markdown().splitlines()
    at = next(i for i, line in enumerate(lines) if f"(theme {parent}, " in line)
    assert lines[at].startswith("- **") and lines[at + 1].startswith("  - **")
    assert f"(sub-theme {child}, " in lines[at + 1]  # under its theme: no "of ..." again
    html = report.render_html(include_images=False)
    item = html.split(f"(theme {parent}, ", 1)[1].split("</li>", 1)[0]  # to the child's end
    assert "<ul><li>" in item and f"(sub-theme {child}, " in item  # a list inside its item
