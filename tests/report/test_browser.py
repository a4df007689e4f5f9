"""The HTML report in a real headless Chromium: it renders, figures load, hostile text stays text.

Needs Debian's ``chromium`` (``.ci/run`` installs it); skipped where it is missing.
"""

from __future__ import annotations

import copy
import shutil
import subprocess

import numpy as np
import pytest
from matplotlib import image

from trendkit.report import TrendReport

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
HOSTILE = ('<script>document.title="PWNED";document.body.setAttribute("data-pwned","1")</script>'
           '"><img src=x onerror="document.body.setAttribute(\'data-pwned\',\'2\')">')


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def test_report_screenshot_is_not_blank_and_figures_load(demo_result, tmp_path):
    page = TrendReport(demo_result).to_file(tmp_path / "report.html")
    shot = tmp_path / "shot.png"
    chromium(tmp_path, "--window-size=1200,2600", f"--screenshot={shot}", page.as_uri())
    pixels = image.imread(shot)[..., :3]
    assert pixels.shape[0] >= 2000
    not_white = (pixels < 0.95).any(axis=2).mean()
    assert not_white > 0.10  # text, tables and figures, not an empty page
    # The first figure (stacked shares) is drawn in the palette's indigo #332288:
    indigo = np.abs(pixels - np.array([0x33, 0x22, 0x88]) / 255).max(axis=2) < 0.06
    assert indigo.sum() > 2000


def test_hostile_titles_do_not_execute(demo_result, tmp_path):
    hostile = copy.deepcopy(demo_result)
    hostile.topics.loc[0, "topic_label"] = HOSTILE
    hostile.topics.loc[0, "representative_titles"] = HOSTILE
    hostile.summary.loc[0, "topic_label"] = HOSTILE
    page = TrendReport(hostile).to_file(tmp_path / "report.html")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "<title>trendkit report</title>" in dom
    assert "PWNED</title>" not in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "&lt;script&gt;document.title" in dom  # shown as text


def test_interactive_charts_draw_offline_and_a_legend_click_hides_series(demo_result, tmp_path):
    """From file://, network off: charts drawn by script under the strict CSP, a legend click
    leaves one series visible, and the console shows no CSP or loading errors."""
    from .cdp import Browser

    page = TrendReport(demo_result).to_file(tmp_path / "report.html")
    browser = Browser(CHROMIUM, FLAGS + ["--proxy-server=127.0.0.1:9"], str(tmp_path / "p"))
    try:
        browser.open(page.as_uri())
        drawn = browser.evaluate("[...document.querySelectorAll('.chart')]"
                                 ".map(e => e.getAttribute('data-drawn'))")
        assert drawn and all(d == "1" for d in drawn), drawn
        visible = ("[...document.querySelectorAll('#chart-share .mark-area path')]"
                   ".filter(p => parseFloat(p.getAttribute('opacity') ?? '1') > 0).length")
        before = browser.evaluate(visible)
        assert before >= 5
        box = browser.evaluate("(() => { const s = document.querySelector("
                               "'#chart-share .role-legend-symbol path'); s.scrollIntoView();"
                               " const r = s.getBoundingClientRect();"
                               " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        browser.click(*box)
        browser.evaluate("new Promise(r => setTimeout(r, 500))")
        assert browser.evaluate(visible) == 1
        assert browser.console_problems() == []
    finally:
        browser.close()


def test_documents_are_listed_per_theme_with_links(demo_result, tmp_path):
    page = TrendReport(demo_result).to_file(tmp_path / "report.html")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count('<table class="sortable docs">') == len(demo_result.topics)
    assert "showing 100 of" in dom and "★" in dom


@pytest.fixture(scope="module")
def many_themes():
    """32 given themes over 24 months (the demo's 7 never hit the "other" series)."""
    import pandas as pd

    import trendkit

    rng = np.random.default_rng(0)
    n = 4000
    weights = np.linspace(8, 1, 32) / np.linspace(8, 1, 32).sum()
    theme, month = rng.choice(32, n, p=weights), rng.integers(0, 24, n)
    theme[(month > 16) & (rng.random(n) < 0.15)] = 31  # one theme rises late: a mover
    docs = pd.DataFrame({
        "title": [f"paper {i}" for i in range(n)], "abstract": [f"topic{t} words" for t in theme],
        "date": pd.date_range("2024-01-01", periods=24, freq="MS")[month],
        "label": [f"theme {t:02d} with a long descriptive name that will not fit" for t in theme]})
    result = trendkit.analyze_labelled(trendkit.load_frame(docs), "label")
    result.coords = rng.normal(size=(len(result.documents), 2))  # a map to test its legend
    return result


def test_thirty_themes_every_chart_accounts_for_all_documents(many_themes, tmp_path):
    """Legend entries = the themes shown + "other (N themes)"; stacked shares reach 100 % in
    every period; every theme can be picked; panel titles fit their panels and lead with
    the verdict."""
    from .cdp import Browser

    result = many_themes
    assert result.n_themes >= 30
    page = TrendReport(result).to_file(tmp_path / "report.html")
    browser = Browser(CHROMIUM, FLAGS + ["--proxy-server=127.0.0.1:9"], str(tmp_path / "p"))
    try:
        browser.open(page.as_uri())
        for chart in ("chart-share", "chart-map"):
            labels = browser.evaluate(f"[...document.querySelectorAll('#{chart} "
                                      ".role-legend-label text')].map(t => t.textContent)")
            assert len(labels) == 10 and labels[-1] == f"other ({result.n_themes - 9} themes)"
            options = browser.evaluate(f"[...document.querySelectorAll('#{chart} select "
                                       "option')].map(o => o.textContent)")
            assert len(options) == result.n_themes + 1  # "(all themes)" and every theme
        tops = browser.evaluate(  # the stacked layer's data, as Vega drew it
            "(() => { const v = window.trendkitViews['chart-share'], tops = {};"
            " for (let i = 0; i < 10; i++) { let rows; try { rows = v.data('data_' + i); }"
            " catch (e) { continue; } rows.forEach(r => { if ('share_end' in r)"
            " tops[r.period] = Math.max(tops[r.period] || 0, r.share_end); }); }"
            " return Object.values(tops); })()")
        assert len(tops) == 24 and all(abs(t - 1) <= 0.005 for t in tops), tops
        fits = browser.evaluate(
            "[...document.querySelectorAll('#chart-panels .role-title-text text')]"
            ".map(t => [t.textContent, t.getComputedTextLength()])")
        assert fits and all(width <= 275 for _, width in fits), fits
        assert all(text.startswith("[") for text, _ in fits)  # the verdict is never cut off
        # each panel carries its own period axis (none floats below an empty grid cell)
        period_axes = browser.evaluate(
            "[...document.querySelectorAll('#chart-panels g.role-axis')].filter(a => "
            "/2024-01/.test(a.textContent)).length")
        assert period_axes >= len(fits)
        assert browser.console_problems() == []
    finally:
        browser.close()
