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


def test_summary_names_planted_movers(demo_result):
    md = TrendReport(demo_result).render_markdown()
    emerging = md.split("## Emerging")[1].split("## Declining")[0]
    declining = md.split("## Declining")[1].split("## ")[0]
    assert "serving" in emerging or "llm" in emerging.lower()
    assert "learning rate" in declining or "decay" in declining


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
    assert "<h1>" in demo_result._repr_html_()
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
    # The SVG reuses the PNG's layout; the figure a notebook holds keeps its layout engine.
    assert all(type(f.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
               for f in report.figures.values())
    report.close()
