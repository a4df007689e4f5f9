"""The report's summary as Markdown, for notes and pull requests.

Markdown gets plain text: corpus text is kept as written, with only what Markdown
would read as markup (table pipes, inline HTML) neutralised by :func:`_md`.
"""

from __future__ import annotations

import pandas as pd

from .analyst import sections
from .sentences import MOVER_HEADINGS, _md, change_sentence, is_sub, where


def render_markdown(report) -> str:
    """The summary as Markdown, for notes and pull requests."""
    f = report.facts
    lines = [f"# {report.title}", "",
             f"- **{f['n_docs']:,} documents**, {f['n_themes']} themes, {f['date_span']}, "
             + (f"{f['freq']} periods ({f['n_periods']})" if f["n_periods"] else "no periods")]
    if f["outlier_share"] is not None:
        lines.append(f"- {100 * f['outlier_share']:.1f} % were density outliers, reassigned to "
                     "their nearest theme")
    if not report.result.has_dates:
        lines += ["", "The documents carry no dates: no trends over time can be computed."]
    for change in f["coverage_changes"].itertuples():
        lines.append(f"- **Coverage warning:** the collection changed in {change.period} "
                     f"({_md(change.detail)}); trends across it may reflect what was "
                     "collected, not the field")
    if f["untested"]:
        lines += ["", f"**Not tested:** {_md(f['untested'])}."]
    if report.result.has_dates:
        for status, (heading, empty) in MOVER_HEADINGS.items():
            frame = f[status]
            if frame.empty and (status not in ("emerging", "declining") or not f["tested"]):
                continue
            lines += ["", f"## {heading}", ""]
            lines += [f"{'  ' * x.depth}- **{_md(x.topic_label)}** "
                      f"({_md(where(x, f['names'], nested=x.depth > 0))}, "
                      f"{x.n_docs:,} docs): "
                      f"{_md(change_sentence(x))}" for x in frame.itertuples()
                      ] or [f"- {empty}"]
    lines += ["", "## Themes", "", "| id | theme | docs | status |", "|---|---|---|---|"]
    status = dict(zip(report.result.summary["topic_id"], report.result.summary["status"]))
    lines += [f"| {x.topic_id} | {'↳ ' if is_sub(x) else ''}{_md(x.topic_label)} | "
              f"{x.n_docs:,} | {status.get(x.topic_id, '')} |" for x in f["topics"].itertuples()]
    for section in sections(report.result):
        lines += ["", f"## {section.title}", "", _md(section.text), "",
                  "| " + " | ".join(section.columns) + " |",
                  "|" + "---|" * len(section.columns)]
        lines += ["| " + " | ".join(_md(_cell(v)) for v in row) + " |"
                  for row in section.table[section.columns].itertuples(index=False)]
    if f["notes"]:
        lines += ["", "## Notes", "", *[f"- {_md(note)}" for note in f["notes"]]]
    return "\n".join(lines) + "\n"



def _cell(value) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.3g}"
    return str(value)

