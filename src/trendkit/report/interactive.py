"""The report's interactive half: Vega-Lite charts and document lists, offline and CSP-safe.

Charts are Vega-Lite specs rendered by the Vega bundle that ``vl-convert``
ships (about 0.9 MB, inlined: no CDN, works from ``file://``). Vega is told to
interpret its expressions (``ast: true``) instead of compiling them with
``new Function``, so the page's Content-Security-Policy allows scripts by hash
only and never ``unsafe-eval``. Corpus text reaches the page only as JSON data
(with ``<`` escaped) or as escaped HTML. Without ``vl-convert`` the report keeps
its static figures and says so.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json

import numpy as np
import pandas as pd

from ..sampling import sample_rows
from .style import OTHER_COLOUR, PALETTE, panel_topics

MAX_MAP_POINTS = 4000
MAX_DOCS_PER_THEME = 100
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # a name, never fetched


def vega_bundle() -> str | None:
    """vega + vega-lite + vega-embed as one script, cached on disk per vl-convert version."""
    try:
        import vl_convert
    except ImportError:
        return None
    from ..cache import Cache, atomic_write

    cache = Cache()
    path = cache.path("vega", cache.key(getattr(vl_convert, "__version__", "?")), ".js")
    if path.exists():
        return path.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle()  # a few seconds: bundled once, then cached
    atomic_write(path, lambda f: f.write(bundle.encode("utf-8")))
    return bundle


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _colours(topics: list, names: dict) -> dict:
    domain = [names[t] for t in topics[:len(PALETTE)]] + (["other"] if len(topics) > len(PALETTE)
                                                          else [])
    return {"domain": domain, "range": PALETTE[:len(domain)] + [OTHER_COLOUR]}


def chart_specs(result) -> dict[str, dict]:
    """Vega-Lite specs by element id: share over time, theme panels, document map."""
    specs = {}
    names = result.topics.set_index("topic_id")["topic_label"].map(str).to_dict()
    names = {t: f"{t}: {label}" for t, label in names.items()}
    if result.has_dates:
        trends = result.trends.copy()
        order = (trends.groupby("topic_id")["n_docs"].sum().sort_values(ascending=False)
                 .index.tolist())
        shown = order[:len(PALETTE)]
        trends["theme"] = [names.get(t, str(t)) if t in shown else "other"
                           for t in trends["topic_id"]]
        stacked = (trends.groupby(["period", "theme"], sort=False)
                   .agg(share=("share", "sum"), n_docs=("n_docs", "sum"),
                        partial=("partial", "first")).reset_index())
        specs["chart-share"] = {
            "$schema": SCHEMA, "width": "container", "height": 320,
            "data": {"values": stacked.to_dict("records")},
            "params": [{"name": "pick", "select": {"type": "point", "fields": ["theme"]},
                        "bind": "legend"}],
            "mark": {"type": "area", "line": True},
            "encoding": {
                "x": {"field": "period", "type": "ordinal", "sort": None, "title": None},
                "y": {"field": "share", "type": "quantitative", "stack": True,
                      "axis": {"format": "%"}, "title": "share of documents in period"},
                "color": {"field": "theme", "type": "nominal",
                          "scale": _colours(shown, names), "legend": {"orient": "right",
                                                                      "labelLimit": 260}},
                "opacity": {"condition": {"param": "pick", "value": 0.9}, "value": 0.0},
                "tooltip": [{"field": "theme"}, {"field": "period"},
                            {"field": "share", "format": ".1%"}, {"field": "n_docs"},
                            {"field": "partial"}]}}
        panel_ids = panel_topics(result.trends, result.summary)
        status = result.summary.set_index("topic_id")["status"].to_dict()
        panels = result.trends[result.trends["topic_id"].isin(panel_ids)].copy()
        panels["theme"] = [f"{names.get(t, t)} [{status.get(t, '')}]" for t in panels["topic_id"]]
        specs["chart-panels"] = {
            "$schema": SCHEMA, "data": {"values": panels[
                ["period", "theme", "share", "share_low", "share_high", "n_docs",
                 "partial"]].to_dict("records")},
            "facet": {"field": "theme", "type": "nominal", "title": None,
                      "sort": [f"{names.get(t, t)} [{status.get(t, '')}]" for t in panel_ids],
                      "header": {"labelLimit": 300}},
            "columns": 3, "resolve": {"scale": {"y": "independent"}},
            "spec": {"width": 260, "height": 110, "layer": [
                {"mark": {"type": "area", "opacity": 0.35, "color": PALETTE[1]},
                 "encoding": {"x": {"field": "period", "type": "ordinal", "sort": None,
                                    "title": None},
                              "y": {"field": "share_low", "type": "quantitative", "title": None},
                              "y2": {"field": "share_high"}}},
                {"mark": {"type": "line", "point": True, "color": PALETTE[0]},
                 "encoding": {"x": {"field": "period", "type": "ordinal", "sort": None},
                              "y": {"field": "share", "type": "quantitative",
                                    "axis": {"format": "%"}},
                              "opacity": {"condition": {"test": "datum.partial", "value": 0.35},
                                          "value": 1},
                              "tooltip": [{"field": "period"},
                                          {"field": "share", "format": ".1%"},
                                          {"field": "n_docs"}, {"field": "partial"}]}}]}}
    if result.coords is not None and len(result.coords) == len(result.documents):
        specs["chart-map"] = _map_spec(result, names)
    return specs


def _map_spec(result, names: dict) -> dict:
    coords = np.asarray(result.coords, dtype=float)
    docs = result.documents
    index = np.flatnonzero(np.isfinite(coords).all(axis=1))
    index = sample_rows(index, MAX_MAP_POINTS)
    sizes = result.topics.sort_values("n_docs", ascending=False)["topic_id"].tolist()
    shown = sizes[:len(PALETTE)]
    points = pd.DataFrame({
        "x": coords[index, 0].round(3), "y": coords[index, 1].round(3),
        "theme": [names.get(t, str(t)) if t in shown else "other"
                  for t in docs["topic_id"].to_numpy()[index]],
        "title": docs["title"].astype(str).str.slice(0, 90).to_numpy()[index]})
    return {"$schema": SCHEMA, "width": "container", "height": 460,
            "data": {"values": points.to_dict("records")},
            "params": [{"name": "zoom", "select": "interval", "bind": "scales"},
                       {"name": "pick", "select": {"type": "point", "fields": ["theme"]},
                        "bind": "legend"}],
            "mark": {"type": "circle", "size": 14},
            "encoding": {"x": {"field": "x", "type": "quantitative", "axis": None},
                         "y": {"field": "y", "type": "quantitative", "axis": None},
                         "color": {"field": "theme", "type": "nominal",
                                   "scale": _colours(shown, names),
                                   "legend": {"labelLimit": 260}},
                         "opacity": {"condition": {"param": "pick", "value": 0.7}, "value": 0.03},
                         "tooltip": [{"field": "title"}, {"field": "theme"}]}}


def document_link(doc_id: str) -> str | None:
    """A web address for an arXiv id, DOI, OpenAlex or Scopus/WoS-free id; None otherwise.

    Examples
    --------
    >>> document_link("2403.02310"), document_link("10.1145/3600006")
    ('https://arxiv.org/abs/2403.02310', 'https://doi.org/10.1145/3600006')
    >>> document_link("W2741809807"), document_link("demo-00001") is None
    ('https://openalex.org/W2741809807', True)
    """
    import re

    text = str(doc_id).strip()
    if re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?|[a-z\-]+(\.[A-Z]{2})?/\d{7}(v\d+)?", text):
        return f"https://arxiv.org/abs/{text}"
    if re.fullmatch(r"10\.\d{4,9}/\S+", text):
        return f"https://doi.org/{text}"
    if re.fullmatch(r"W\d{4,}", text):
        return f"https://openalex.org/{text}"
    return None


def documents_html(result) -> str:
    """Per theme, a searchable and sortable list: representative documents first, then newest."""
    docs = result.documents
    dates = pd.to_datetime(docs["date"], errors="coerce")
    parts = ['<p><input type="search" class="doc-search" placeholder="Filter documents by '
             'title, date or id…" aria-label="filter documents"></p>']
    streamed = bool(result.meta.get("streamed"))
    if streamed:  # only the fit sample is held in memory; documents.csv has every document
        parts.append(f"<p>Listed: the {len(docs):,} documents the themes were fitted on; all "
                     f"{result.meta.get('n_documents', len(docs)):,} are in documents.csv.</p>")
    for topic in result.topics.itertuples():
        members = docs.index[docs["topic_id"] == topic.topic_id]
        reps = [t.strip() for t in str(topic.representative_titles).split(" | ") if t.strip()]
        rank = docs.loc[members, "title"].astype(str).map(
            lambda t, reps=reps: reps.index(t) if t in reps else len(reps))
        order = pd.DataFrame({"rank": rank, "date": dates[members]}).sort_values(
            ["rank", "date"], ascending=[True, False], na_position="last").index
        shown = order[:MAX_DOCS_PER_THEME]
        rows = []
        for i in shown:
            doc_id = str(docs.at[i, "doc_id"])
            link = document_link(doc_id)
            title = html.escape(str(docs.at[i, "title"]) or str(docs.at[i, "text"])[:90])
            cell = (f'<a href="{html.escape(link)}" rel="noopener noreferrer">{title}</a>'
                    if link else title)
            date = "" if pd.isna(dates[i]) else f"{dates[i]:%Y-%m-%d}"
            star = "★ " if rank[i] < len(reps) else ""
            rows.append(f"<tr><td>{star}{cell}</td><td>{date}</td>"
                        f"<td>{html.escape(doc_id)}</td></tr>")
        more = (f" — showing {len(shown):,} of {len(members):,}; all are in documents.csv"
                if len(members) > len(shown) else "")
        size = f"{topic.n_docs:,} documents, {len(members):,} in the fit sample" if streamed \
            else f"{len(members):,} documents"
        parts.append(f"<details><summary><b>{html.escape(str(topic.topic_label))}</b> "
                     f"(theme {topic.topic_id}, {size}{more})</summary>"
                     '<table class="sortable docs"><thead><tr><th>title</th><th>date</th>'
                     f"<th>id</th></tr></thead><tbody>{''.join(rows)}</tbody></table></details>")
    return "".join(parts)


# Sorting and filtering tables, then drawing each chart (vegaEmbed comes from the bundle).
BEHAVIOUR = """
document.querySelectorAll('table.sortable th').forEach(function (th) {
  th.style.cursor = 'pointer';
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0], col = th.cellIndex;
    var up = th.getAttribute('data-dir') !== 'asc';
    th.setAttribute('data-dir', up ? 'asc' : 'desc');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].textContent, y = b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return up ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
document.querySelectorAll('input.doc-search').forEach(function (box) {
  box.addEventListener('input', function () {
    var q = box.value.toLowerCase();
    document.querySelectorAll('table.docs tbody tr').forEach(function (r) {
      r.style.display = r.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
    });
    if (q) { document.querySelectorAll('details').forEach(function (d) { d.open = true; }); }
  });
});
var specs = JSON.parse(document.getElementById('chart-specs').textContent);
window.trendkitViews = {};
Object.keys(specs).forEach(function (id) {
  vegaEmbed('#' + id, specs[id], {ast: true, actions: false, renderer: 'svg'})
    .then(function (r) { window.trendkitViews[id] = r.view;
                         document.getElementById(id).setAttribute('data-drawn', '1'); })
    .catch(function (e) { document.getElementById(id).textContent = 'chart failed: ' + e; });
});
"""


def specs_json(specs: dict) -> str:
    """Specs as JSON safe inside a ``<script type="application/json">`` element.

    Examples
    --------
    >>> specs_json({"a": [float("nan"), "</script>"]})
    '{"a": [null, "\\\\u003c/script>"]}'
    """
    return json.dumps(_clean(specs), default=_plain, ensure_ascii=False,
                      allow_nan=False).replace("<", "\\u003c")


def _clean(value):
    # NaN is not JSON: missing values become null.
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return str(value)
