"""The report as one self-contained HTML page (figures inlined, scripts allowed by hash).

All text that comes from the corpus (titles, labels, terms) is escaped here, once:
reports get shared, abstracts are untrusted.
"""

from __future__ import annotations

import base64
import html

import numpy as np
import pandas as pd

from . import charts, interactive
from .analyst import sections
from .registry import registered
from .sentences import MOVER_HEADINGS, change_sentence, methods_text, where

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#222;\
background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:24px}
nav{position:sticky;top:0;background:#332288;padding:8px 24px}
nav a{color:#fff;margin-right:18px;text-decoration:none;font-weight:600}
h1{margin:.2em 0}h2{border-bottom:2px solid #332288;padding-bottom:4px;margin-top:2em}
.cards{display:flex;gap:12px;flex-wrap:wrap}\
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 16px}
.card b{display:block;font-size:1.4em}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eee}tr:nth-child(even) td{background:#f6f6f6}
img{max-width:100%;background:#fff;border:1px solid #ddd;margin:8px 0}
.note{background:#fff8e1;border-left:4px solid #DDCC77;padding:8px 12px}
.chart{width:100%;background:#fff;border:1px solid #ddd;margin:8px 0}details{margin:6px 0}
.emerging{color:#117733;font-weight:600}.declining{color:#CC6677;font-weight:600}\
.new{color:#332288;font-weight:600}.revived{color:#44AA99;font-weight:600}\
.peaked{color:#AA4499;font-weight:600}
"""

def _esc(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _table(frame: pd.DataFrame, columns: list[str], status_col: str | None = None,
           sortable: bool = False) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in columns:
            value = row[c]
            if isinstance(value, float):  # no "nan" cells; ids (a float column with gaps) as ints
                value = ("" if np.isnan(value) else f"{value:.0f}" if c.endswith("_id")
                         else f"{value:.3g}")
            css = f' class="{_esc(row[c])}"' if c == status_col else ""
            cells.append(f"<td{css}>{_esc(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    css = ' class="sortable"' if sortable else ""
    return f"<table{css}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"



def _movers_html(frame: pd.DataFrame, empty: str, names: dict) -> str:
    if frame.empty:
        return f"<p>{_esc(empty)}</p>"
    items: list[tuple[str, list[str]]] = []  # a theme's line, and its sub-themes' under it
    for row in frame.itertuples():
        nested = row.depth > 0  # _movers puts a sub-theme right after its theme
        line = (f"<b>{_esc(row.topic_label)}</b> ({_esc(where(row, names, nested))}, "
                f"{row.n_docs:,} docs): {_esc(change_sentence(row))}")
        if nested:
            items[-1][1].append(line)
        else:
            items.append((line, []))
    return "<ul>" + "".join(
        f"<li>{line}" + (f"<ul>{''.join(f'<li>{c}</li>' for c in subs)}</ul>" if subs else "")
        + "</li>" for line, subs in items) + "</ul>"



def render_html(report, include_images: bool = True) -> str:
    """The whole report as one self-contained HTML page."""
    f = report.facts
    r = report.result
    # Undated input (a copied papers page) has no periods: "— × 0" would read as a fault.
    periods = f"{f['freq']} × {f['n_periods']}" if f["n_periods"] else "—"
    cards = [("documents", f"{f['n_docs']:,}"), ("themes", f["n_themes"]),
             ("date span", f["date_span"]), ("period", periods)]
    if f["outlier_share"] is not None:
        cards.append(("were outliers (reassigned)", f"{100 * f['outlier_share']:.1f} %"))
    parts = [f"<h1>{_esc(report.title)}</h1>",
             '<div class="cards">' + "".join(
                 f'<div class="card"><b>{_esc(v)}</b>{_esc(k)}</div>' for k, v in cards
             ) + "</div>",
             '<h2 id="summary">Summary</h2>']
    if not r.has_dates:
        parts.append('<p class="note">These documents carry no dates, so no trends over time '
                     "can be computed: the theme tables below are valid, the trend tables are "
                     "empty and every theme's status is <i>insufficient-data</i>.</p>")
    else:
        if not f["coverage_changes"].empty:
            parts.append('<p class="note">The collection itself changed: ' + "; ".join(
                f"<b>{_esc(c.period)}</b> ({_esc(c.detail)})"
                for c in f["coverage_changes"].itertuples()) + ". Trends that change there "
                "are marked <i>check coverage</i>; <code>--normalize-by</code> takes shares "
                "within each category.</p>")
        if f["untested"]:
            parts.append(f'<p class="note"><b>Not tested:</b> {_esc(f["untested"])}.</p>')
        for status, (heading, empty) in MOVER_HEADINGS.items():
            # "no theme rises" is a finding only where themes were tested
            if (status in ("emerging", "declining") and f["tested"]) or not f[status].empty:
                parts += [f"<h3>{heading}</h3>", _movers_html(f[status], empty, f["names"])]
        if not f["bursting"].empty:
            parts.append("<h3>Bursts</h3><ul>" + "".join(
                f"<li><b>{_esc(x.topic_label)}</b>: {_esc(x.burst_periods)}"
                + ("; <i>check coverage</i>: the collection changed next to it"
                   if bool(getattr(x, "burst_check_coverage", False)) else "") + "</li>"
                for x in f["bursting"].itertuples()) + "</ul>")
    mixed = r.topics[r.topics["mixed"].astype(bool)] if "mixed" in r.topics else r.topics[:0]
    subs = len(r.subthemes)
    parts.append('<h2 id="themes">Themes</h2><p>Click a column to sort.' + (
        f" {subs} sub-themes follow their theme (<i>parent_id</i>): finer groups inside it, "
        "each with its own verdict." if subs else "") + (
        f" {len(mixed)} theme(s) are flagged <i>mixed</i>: their documents are far-spread "
        "or their terms rarely occur together, so read them as bins, not themes."
        if len(mixed) else "") + (
        f" {len(f['mostly_outliers'])} theme(s) are mostly documents density called outliers "
        "and reassigned (<i>outlier_share</i> above 0.5): read their edges with care."
        if len(f["mostly_outliers"]) else "") + "</p>")
    born = {int(k): v.get("first_date") for k, v in
            ((r.meta.get("novelty") or {}).get("born") or {}).items()}
    topics = f["topics"].assign(born=f["topics"]["topic_id"].map(born).fillna("fit"))
    shown = ["topic_id", "parent_id", "topic_label", "keywords", "n_docs", "mixed",
             "outlier_share", "born", "top_terms", "representative_titles"]
    parts.append(_table(topics, [c for c in shown if c in topics], sortable=True))
    scripts, explore = _interactive(report.result) if include_images else ([], "")
    parts.append(explore)
    parts.append('<h2 id="figures">Figures</h2>')
    if include_images:
        titles = {name: f.title for name, f in registered().items()}
        for name, png in report.images.items():
            data = base64.b64encode(png).decode("ascii")
            parts.append(f'<h3 id="fig-{name}">{_esc(titles[name])}</h3>'
                         f'<img alt="{_esc(titles[name])}" '
                         f'src="data:image/png;base64,{data}">')
    asked = sections(r)
    for section in asked:
        parts += [f'<h2 id="{section.anchor}">{_esc(section.title)}</h2>',
                  f"<p>{_esc(section.text)}</p>", _table(section.table, section.columns)]
    parts.append('<h2 id="trends">Trend tests</h2>')
    parts.append(f"<p>{_esc(methods_text(r.meta.get('params', {})))}</p>")
    parts.append(_table(r.summary, ["topic_id", "topic_label", "n_docs", "status", "reason",
                                    "share_start", "share_end", "slope", "q_value",
                                    "burst_periods", "change_points", "check_coverage"],
                        status_col="status"))
    if not r.quality.empty:
        parts.append('<h2 id="quality">Theme quality</h2>')
        parts.append("<p>NPMI coherence of each theme's top terms on this corpus (−1 … 1, "
                     "higher is more coherent), topic diversity (share of unique words "
                     "among all themes' terms) and, where labels were given, agreement "
                     "with them.</p>")
        parts.append(_table(r.quality, list(r.quality.columns)))
    if not r.period_terms.empty:
        parts.append('<h2 id="period-terms">Terms per period</h2>')
        parts.append("<p>Each theme's top terms computed from that period's "
                     "documents only.</p>")
        parts.append(_table(r.period_terms, list(r.period_terms.columns)))
    if f["notes"]:
        parts.append('<h2 id="notes">Notes</h2><ul>' +
                     "".join(f"<li>{_esc(n)}</li>" for n in f["notes"]) + "</ul>")
    nav = "".join(f'<a href="#{a}">{t}</a>' for a, t in
                  [("summary", "Summary"), ("themes", "Themes")] +
                  ([("explore", "Explore"), ("documents", "Documents")] if explore else []) +
                  [("figures", "Figures")] + [(x.anchor, x.title) for x in asked] +
                  [("trends", "Trend tests")] +
                  ([("quality", "Quality")] if not r.quality.empty else []) +
                  ([("period-terms", "Terms per period")] if not r.period_terms.empty else []) +
                  ([("notes", "Notes")] if f["notes"] else []))
    # Scripts run only when their exact text is allowed by hash: nothing else, no eval.
    allowed = " ".join(interactive.csp_hash(js) for js in scripts)
    script_src = f"; script-src {allowed}" if scripts else ""
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            f"img-src data:; style-src 'unsafe-inline'{script_src}\">"
            f"<title>{_esc(report.title)}</title><style>{CSS}</style></head><body>"
            f"<nav>{nav}</nav><main>{''.join(parts)}</main>"
            + "".join(f"<script>{js}</script>" for js in scripts) + "</body></html>")



def _interactive(result) -> tuple[list[str], str]:
    """Scripts and HTML of the Explore and Documents sections ([] and "" without Vega)."""
    bundle = interactive.vega_bundle()
    if bundle is None:
        return [], ('<p class="note">Interactive charts need the vl-convert-python package '
                    "(pip install vl-convert-python); the static figures follow.</p>")
    specs = charts.chart_specs(result)
    titles = {"chart-share": "Theme share over time (click a legend entry to show only that "
                             "series, double-click to reset; pick any theme below the chart to "
                             "draw its share; hover for values)",
              "chart-panels": "Share per theme: every mover and the largest themes (band: "
                              "95 % Wilson interval; faded points: partial periods)",
              "chart-map": "Document map (drag to pan, scroll to zoom, click the legend or pick "
                           "a theme below the map)",
              "chart-evolution": "Thematic evolution: each sub-theme's era (bar), its peak "
                                 "(dot) and the period a successor took the lead (line; "
                                 "hover for the terms they share)"}
    blocks = "".join(f'<h3>{_esc(titles[i])}</h3><div id="{i}" class="chart"></div>'
                     for i in specs)
    data = ('<script type="application/json" id="chart-specs">'
            f"{interactive.specs_json(specs)}</script>")
    explore = (f'<h2 id="explore">Explore</h2>{blocks}{data}'
               '<h2 id="documents">Documents</h2><p>Each theme\'s documents, representative '
               "ones (★) first, then the newest; links go to arXiv, DOI or OpenAlex where the "
               "id allows.</p>" + interactive.documents_html(result))
    return [bundle, interactive.BEHAVIOUR], explore

