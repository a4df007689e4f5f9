"""``TrendReport``: compute figures → structure facts → render HTML or Markdown.

Each stage is cached on the object, so ``to_file("a.html")`` followed by
``to_file("a.md")`` draws the figures once. The renderers live in
:mod:`~trendkit.report.html` and :mod:`~trendkit.report.markdown`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..errors import TrendkitError
from . import render
from .html import render_html
from .markdown import render_markdown
from .registry import registered
from .sentences import MOVER_HEADINGS, _movers, untested


def _report_order(by_name: dict) -> dict:
    return {name: by_name[name] for name in registered() if name in by_name}


class TrendReport:
    """A report over a :class:`~trendkit.result.TrendResult`.

    Examples
    --------
    >>> from trendkit import analyze, make_demo_corpus, load_frame
    >>> result = analyze(load_frame(make_demo_corpus(n_docs=300)), cache=False)
    >>> report = TrendReport(result)
    >>> "<h1>" in report.render_html() and "# trendkit report" in report.render_markdown()
    True
    """

    def __init__(self, result, title: str = "trendkit report"):
        self.result = with_names(result)
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
            "untested": untested(r) if r.has_dates else None,
            "tested": bool((summary["status"] != "insufficient-data").any()),
            "topics": _nested(r.topics),
            "names": dict(zip(r.topics["topic_id"], r.topics["topic_label"])),
            "mostly_outliers": r.topics[r.topics.get("outlier_share", 0).fillna(0) > 0.5]
            if "outlier_share" in r.topics else r.topics[:0],
        }

    # -- render ----------------------------------------------------------
    def render_html(self, include_images: bool = True) -> str:
        """The whole report as one self-contained HTML page."""
        return render_html(self, include_images)

    def render_markdown(self) -> str:
        """The summary as Markdown, for notes and pull requests."""
        return render_markdown(self)

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


def with_names(result):
    """The result as the report shows it: every table's ``topic_label`` is the theme's
    short name (``topic_name``), the keyword label kept in ``topics`` as ``keywords``."""
    topics = result.topics
    if "topic_name" not in topics or "keywords" in topics:
        return result
    names = topics.set_index("topic_id")["topic_name"]
    names = names.where(names.notna() & (names.astype(str) != ""),
                        topics.set_index("topic_id")["topic_label"])

    def named(frame, ids="topic_id", label="topic_label"):
        if frame is None or label not in frame or ids not in frame:
            return frame
        return frame.assign(**{label: frame[ids].map(names).fillna(frame[label])})

    lineage = result.lineage
    if "from_label" in lineage:
        lineage = named(named(lineage, "from_topic", "from_label"), "to_topic", "to_label")
    return replace(result, topics=topics.assign(keywords=topics["topic_label"],
                                                topic_label=topics["topic_id"].map(names)),
                   documents=named(result.documents), trends=named(result.trends),
                   summary=named(result.summary), period_terms=named(result.period_terms),
                   facets=named(result.facets), facet_trends=named(result.facet_trends),
                   forecast=named(result.forecast), compare=named(result.compare),
                   lineage=lineage)


def _nested(topics: pd.DataFrame) -> pd.DataFrame:
    """Theme rows, each followed by its sub-themes (the order tables show them in)."""
    if "parent_id" not in topics or topics["parent_id"].isna().all():
        return topics
    key = topics["parent_id"].fillna(topics["topic_id"])
    return topics.assign(_key=key, _sub=topics["parent_id"].notna()).sort_values(
        ["_key", "_sub", "topic_id"], kind="stable").drop(columns=["_key", "_sub"])
