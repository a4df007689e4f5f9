"""The trend half again, on a finished result: new periods, new documents, a curation.

Nothing is re-embedded. A result that holds every document (an in-memory run) is
re-aggregated from them; a streamed run's saved aggregates are re-binned and
relabelled, which gives exactly what the documents would (counts are per day; the
terms sample is a bottom-k that merges), except that periods finer than the run's
get a thinner terms sample (said in a note).
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import TrendkitError
from ..label import recount
from ..label.curate import Curation, apply_curation
from ..result import TrendResult
from ..timing import Progress, StageTimer
from ..trend.counts import bottom_k, group_of, merge_counts, rebin_sample, relabel
from ..trend.coverage import coverage_column
from ..trend.options import TrendOptions
from ..trend.periods import FREQ_CODES, resolve_freq
from ..trend.tables import with_periods
from .memory import aggregates, trended


def retrend(result: TrendResult, trend: TrendOptions | None = None,
            progress: Progress | None = None, curation: Curation | None = None) -> TrendResult:
    """Recount themes and recompute periods and trend tables for a result.

    Used after the documents changed (``assign``), to change the period length
    (``trendkit report --freq``) or to curate themes. What ``trend`` leaves ``None``
    and the curation default to those the result was made with; a curation (see
    :mod:`trendkit.label.curate`) renames, merges and excludes themes first.
    """
    timer = StageTimer(progress)
    meta = dict(result.meta)
    params = meta.get("params", {})
    seed = int(params.get("seed", 0) or 0)
    saved = {k: params.get(k) for k in TrendOptions().as_dict()}
    trend = TrendOptions(**{**saved, "freq": saved["freq"] or meta.get("freq")}).updated(
        **(trend or TrendOptions()).as_dict())
    freq, normalize_by = trend.freq, trend.normalize_by
    notes = [n for n in meta.get("notes", []) if not n.startswith(("curation:", "periods:"))]
    if curation is None and meta.get("curation"):
        curation = Curation.from_dict(meta["curation"])
    docs = result.documents.drop(columns=["period"], errors="ignore")
    counts, sample, facets = result.counts, result.terms_sample, result.facet_counts
    if result.complete:
        sizes, total = docs["topic_id"].value_counts(), len(docs)
    else:
        if counts.empty:
            raise TrendkitError("this streamed run was made by trendkit < 0.6 and kept no "
                                "counts; run `trendkit run` again to re-render or extend it")
        sizes, total = counts.groupby("topic_id")["n"].sum(), int(counts["n"].sum())
    topics = recount(result.topics, sizes, total)
    if curation is not None:
        docs, topics, curation_notes = apply_curation(docs, topics, curation, sizes)
        notes += curation_notes
        meta["curation"] = curation.to_dict()
    if result.complete:
        docs, freq = with_periods(docs, freq)
        # the column the run watched (counted by, if streamed), unless told another
        group = normalize_by or (params["coverage_col"] if "coverage_col" in params
                                 else coverage_column(docs))
        recount_facets = trend.facet is not None and trend.facet in docs
        counts, sample, fresh = aggregates(docs, freq, group, seed, trend if recount_facets
                                           else replace(trend, facet=None))
        facets = fresh if recount_facets else _saved_facets(facets, trend, curation)
    else:
        group = group_of(counts)
        if normalize_by and normalize_by != group:
            raise TrendkitError(f"--normalize-by {normalize_by}: this streamed run counted its "
                                f"documents by {group or 'no column'}; run `trendkit run` again "
                                "to normalise by another column")
        before = meta.get("freq")
        freq = resolve_freq(freq, counts["date"])
        if curation is not None:
            mapping, excluded = curation.mapping(), curation.exclude
            counts = merge_counts([relabel(counts, mapping, excluded)])
            sample = bottom_k(relabel(sample, mapping, excluded))
        facets = _saved_facets(facets, trend, curation)
        if freq != before and freq and before:
            sample = rebin_sample(sample, freq)
            if list(FREQ_CODES).index(freq) < list(FREQ_CODES).index(before):
                notes.append(f"periods: the terms per {freq} come from the sample this streamed "
                             f"run kept per {before}")
        docs, _ = with_periods(docs, freq)
    coords = result.coords
    if coords is not None and len(coords) != len(docs):  # excluded documents leave the map
        coords = None
    return trended(docs, topics, counts, sample, trend.with_freq(freq), group_col=group,
                   timer=timer, notes=notes, meta=meta, coords=coords, facet_counts=facets,
                   model_arrays=result.model_arrays, quality=result.quality)


def _saved_facets(facets, trend: TrendOptions, curation):
    """The run's facet counts, relabelled by the curation; an error if it kept none."""
    if trend.facet is None:
        return None
    if facets is None:
        raise TrendkitError(f"--facet {trend.facet}: no such column among this run's documents, "
                            "and the run counted no facet; run `trendkit run --facet` again")
    if curation is not None:
        facets = merge_counts([relabel(facets, curation.mapping(), curation.exclude)])
    return facets
