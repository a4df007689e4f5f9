"""``TrendReport``: compute figures → structure sections → render HTML or Markdown.

Each stage is cached on the object, so ``to_file("a.html")`` followed by
``to_file("a.md")`` draws the figures once. All text that comes from the
corpus (titles, labels, terms) is escaped: reports get shared, abstracts are
untrusted.
"""

from __future__ import annotations

import base64
import html
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..errors import TrendkitError
from . import interactive, render
from .sentences import MOVER_HEADINGS, _md, _movers, change_sentence

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
.emerging{color:#117733;font-weight:600}.declining{color:#CC6677;font-weight:600}.new{color:#332288;font-weight:600}
"""

FIGURES = {
    "coverage": "Coverage: documents per period",
    "share_over_time": "Theme share over time",
    "theme_panels": "Share per theme with intervals and bursts",
    "slopes": "Emerging and declining themes",
    "heatmap": "Theme × period heatmap",
    "theme_sizes": "Theme sizes",
    "document_map": "Document map",
}


def _report_order(by_name: dict) -> dict:
    return {name: by_name[name] for name in FIGURES if name in by_name}


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
            if isinstance(value, float):
                value = f"{value:.3g}"
            css = f' class="{_esc(row[c])}"' if c == status_col else ""
            cells.append(f"<td{css}>{_esc(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    css = ' class="sortable"' if sortable else ""
    return f"<table{css}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class TrendReport:
    """A report over a :class:`~trendkit.result.TrendResult`.

    Examples
    --------
    >>> from trendkit import analyze, make_demo_corpus, load_frame
    >>> result = analyze(load_frame(make_demo_corpus(n_docs=300)), cache=False)
    >>> report = result.report()
    >>> "<h1>" in report.render_html() and "# trendkit report" in report.render_markdown()
    True
    """

    def __init__(self, result, title: str = "trendkit report"):
        self.result = result
        self.title = title

    # -- compute ---------------------------------------------------------
    @cached_property
    def figures(self) -> dict:
        """Matplotlib figures by name (only those the data supports), in report order."""
        made = {name: render.as_figure(make())
                for name, make in render.figure_makers(self.result).items()}
        return _report_order(made)

    @cached_property
    def images(self) -> dict[str, bytes]:
        """PNG bytes of each figure, in report order."""
        return {name: out.png for name, out in self.rendered(svg=False).items()}

    def rendered(self, svg: bool = False, workers: int | None = None) -> dict:
        """PNG (and, with ``svg``, SVG) bytes of each figure, drawn on two cores if safe.

        Every figure gets an SVG but the document map (thousands of points: megabytes).
        Figures already drawn (:attr:`figures`) are encoded as they are and stay open;
        otherwise each is drawn, encoded and closed (:mod:`trendkit.report.render`).
        """
        held = self.__dict__.get("figures")  # set once the cached property has run
        makers = ({name: (lambda fig=fig: fig) for name, fig in held.items()} if held
                  else render.figure_makers(self.result))
        vector = [name for name in makers if name != "document_map"] if svg else []
        out = _report_order(render.render_all(makers, svg=vector, close=not held,
                                              workers=workers))
        self.__dict__["images"] = {name: r.png for name, r in out.items()}  # cache them
        return out

    # -- structure -------------------------------------------------------
    @cached_property
    def facts(self) -> dict:
        """Headline numbers and movers, shared by the HTML and Markdown renderers."""
        r = self.result
        docs = r.documents
        dates = pd.to_datetime(docs["date"], errors="coerce").dropna()
        summary = r.summary
        changes = (r.coverage[r.coverage["change"].astype(bool)]
                   if not r.coverage.empty else r.coverage)
        return {
            "n_docs": r.meta.get("n_documents", len(docs)),
            "n_themes": r.n_themes,
            "date_span": r.meta.get("date_span") or (
                f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}" if len(dates) else "no dates"),
            "freq": r.meta.get("freq") or "—",
            "n_periods": r.trends["period"].nunique() if r.has_dates else 0,
            "outlier_share": r.meta.get("outlier_share"),
            # Every mover, none cut: a report that hides a trend the CSV lists misleads.
            **{status: _movers(summary, status) for status in MOVER_HEADINGS},
            "bursting": summary[summary["bursting"].fillna(False).astype(bool)],
            "coverage_changes": changes,
            "notes": list(r.meta.get("notes", [])),
        }

    # -- render ----------------------------------------------------------
    def _movers_html(self, frame: pd.DataFrame, empty: str) -> str:
        if frame.empty:
            return f"<p>{_esc(empty)}</p>"
        items = "".join(f"<li><b>{_esc(row.topic_label)}</b> (theme {_esc(row.topic_id)}, "
                        f"{row.n_docs:,} docs): {_esc(change_sentence(row))}</li>"
                        for row in frame.itertuples())
        return f"<ul>{items}</ul>"

    def render_html(self, include_images: bool = True) -> str:
        """The whole report as one self-contained HTML page."""
        f = self.facts
        r = self.result
        # Undated input (a copied papers page) has no periods: "— × 0" would read as a fault.
        periods = f"{f['freq']} × {f['n_periods']}" if f["n_periods"] else "—"
        cards = [("documents", f"{f['n_docs']:,}"), ("themes", f["n_themes"]),
                 ("date span", f["date_span"]), ("period", periods)]
        if f["outlier_share"] is not None:
            cards.append(("were outliers (reassigned)", f"{100 * f['outlier_share']:.1f} %"))
        parts = [f"<h1>{_esc(self.title)}</h1>",
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
            for status, (heading, empty) in MOVER_HEADINGS.items():
                if status in ("emerging", "declining") or not f[status].empty:
                    parts += [f"<h3>{heading}</h3>", self._movers_html(f[status], empty)]
            if not f["bursting"].empty:
                parts.append("<h3>Bursts</h3><ul>" + "".join(
                    f"<li><b>{_esc(x.topic_label)}</b>: {_esc(x.burst_periods)}</li>"
                    for x in f["bursting"].itertuples()) + "</ul>")
        mixed = r.topics[r.topics["mixed"].astype(bool)] if "mixed" in r.topics else r.topics[:0]
        parts.append('<h2 id="themes">Themes</h2><p>Click a column to sort.' + (
            f" {len(mixed)} theme(s) are flagged <i>mixed</i>: their documents are far-spread "
            "or their terms rarely occur together, so read them as bins, not themes."
            if len(mixed) else "") + "</p>")
        born = {int(k): v.get("first_date") for k, v in
                ((r.meta.get("novelty") or {}).get("born") or {}).items()}
        topics = r.topics.assign(born=r.topics["topic_id"].map(born).fillna("fit"))
        parts.append(_table(topics, ["topic_id", "topic_label", "n_docs", "mixed", "born",
                                     "top_terms", "representative_titles"], sortable=True))
        scripts, explore = self._interactive() if include_images else ([], "")
        parts.append(explore)
        parts.append('<h2 id="figures">Figures</h2>')
        if include_images:
            for name, png in self.images.items():
                data = base64.b64encode(png).decode("ascii")
                parts.append(f'<h3 id="fig-{name}">{_esc(FIGURES[name])}</h3>'
                             f'<img alt="{_esc(FIGURES[name])}" '
                             f'src="data:image/png;base64,{data}">')
        parts.append('<h2 id="trends">Trend tests</h2>')
        parts.append("<p>Each theme's share of every complete period (partial first/last "
                     "periods excluded) is tested with Mann–Kendall and a size-weighted "
                     "regression (both must agree); Benjamini–Hochberg q-values across themes; "
                     "the change must reach 20 % of the theme's mean share, measured by the "
                     "Theil–Sen line or the level shift at the strongest change point "
                     "(<i>share_start → share_end</i>).</p>")
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
                      [("figures", "Figures"), ("trends", "Trend tests")] +
                      ([("quality", "Quality")] if not r.quality.empty else []) +
                      ([("period-terms", "Terms per period")] if not r.period_terms.empty else []) +
                      ([("notes", "Notes")] if f["notes"] else []))
        # Scripts run only when their exact text is allowed by hash: nothing else, no eval.
        allowed = " ".join(interactive.csp_hash(js) for js in scripts)
        script_src = f"; script-src {allowed}" if scripts else ""
        return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                f"img-src data:; style-src 'unsafe-inline'{script_src}\">"
                f"<title>{_esc(self.title)}</title><style>{CSS}</style></head><body>"
                f"<nav>{nav}</nav><main>{''.join(parts)}</main>"
                + "".join(f"<script>{js}</script>" for js in scripts) + "</body></html>")

    def _interactive(self) -> tuple[list[str], str]:
        """Scripts and HTML of the Explore and Documents sections ([] and "" without Vega)."""
        bundle = interactive.vega_bundle()
        if bundle is None:
            return [], ('<p class="note">Interactive charts need the vl-convert-python package '
                        "(pip install vl-convert-python); the static figures follow.</p>")
        specs = interactive.chart_specs(self.result)
        titles = {"chart-share": "Theme share over time (click a legend entry to show only "
                                 "that theme, double-click to reset; hover for values)",
                  "chart-panels": "Share per theme: every mover and the largest themes (band: "
                                  "95 % Wilson interval; faded points: partial periods)",
                  "chart-map": "Document map (drag to pan, scroll to zoom, click the legend)"}
        charts = "".join(f'<h3>{_esc(titles[i])}</h3><div id="{i}" class="chart"></div>'
                         for i in specs)
        data = ('<script type="application/json" id="chart-specs">'
                f"{interactive.specs_json(specs)}</script>")
        explore = (f'<h2 id="explore">Explore</h2>{charts}{data}'
                   '<h2 id="documents">Documents</h2><p>Each theme\'s documents, representative '
                   "ones (★) first, then the newest; links go to arXiv, DOI or OpenAlex where the "
                   "id allows.</p>" + interactive.documents_html(self.result))
        return [bundle, interactive.BEHAVIOUR], explore

    def render_markdown(self) -> str:
        """The summary as Markdown, for notes and pull requests."""
        f = self.facts
        lines = [f"# {self.title}", "",
                 f"- **{f['n_docs']:,} documents**, {f['n_themes']} themes, {f['date_span']}, "
                 + (f"{f['freq']} periods ({f['n_periods']})" if f["n_periods"] else "no periods")]
        if f["outlier_share"] is not None:
            lines.append(f"- {100 * f['outlier_share']:.1f} % were density outliers, reassigned to "
                         "their nearest theme")
        if not self.result.has_dates:
            lines += ["", "The documents carry no dates: no trends over time can be computed."]
        for change in f["coverage_changes"].itertuples():
            lines.append(f"- **Coverage warning:** the collection changed in {change.period} "
                         f"({_md(change.detail)}); trends across it may reflect what was "
                         "collected, not the field")
        if self.result.has_dates:
            for status, (heading, empty) in MOVER_HEADINGS.items():
                frame = f[status]
                if status not in ("emerging", "declining") and frame.empty:
                    continue
                lines += ["", f"## {heading}", ""]
                lines += [f"- **{_md(x.topic_label)}** ({x.n_docs:,} docs): "
                          f"{_md(change_sentence(x))}" for x in frame.itertuples()
                          ] or [f"- {empty}"]
        lines += ["", "## Themes", "", "| id | theme | docs | status |", "|---|---|---|---|"]
        status = dict(zip(self.result.summary["topic_id"], self.result.summary["status"]))
        lines += [f"| {x.topic_id} | {_md(x.topic_label)} | {x.n_docs:,} | "
                  f"{status.get(x.topic_id, '')} |"
                  for x in self.result.topics.itertuples()]
        return "\n".join(lines) + "\n"

    def to_file(self, path) -> Path:
        """Write the report; the suffix picks the format (``.html`` or ``.md``)."""
        path = Path(path)
        renderers = {".html": self.render_html, ".htm": self.render_html,
                     ".md": self.render_markdown}
        if path.suffix.lower() not in renderers:
            raise TrendkitError(f"{path}: report format must be .html or .md")
        path.write_text(renderers[path.suffix.lower()](), encoding="utf-8")
        return path

    def save_figures(self, folder, workers: int | None = None) -> list[Path]:
        """Write each figure as PNG, and as SVG except the (large) document map.

        ``workers``: 1 draws in this process; ``None`` (default) also uses a forked
        second process where that is safe (:func:`trendkit.report.render.can_fork`).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, out in self.rendered(svg=True, workers=workers).items():
            for data, suffix in ((out.png, "png"), (out.svg, "svg")):
                if data is not None:
                    paths.append(folder / f"{name}.{suffix}")
                    paths[-1].write_bytes(data)
        return paths

    def close(self) -> None:
        """Free the matplotlib figures (they hold memory until closed)."""
        if "figures" not in self.__dict__:
            return
        import matplotlib.pyplot as plt

        for fig in self.__dict__["figures"].values():
            plt.close(fig)

    def _repr_html_(self) -> str:
        return self.render_html()
