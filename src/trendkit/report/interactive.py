"""The report's interactive half: Vega-Lite charts and document lists, offline and CSP-safe.

The chart specs are :mod:`trendkit.report.charts`; this module draws them in the page.

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

MAX_DOCS_PER_THEME = 100


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
    for topic in result.themes.itertuples():
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
