"""``TrendOptions``: how a run's trends are computed, passed as one object to the trend stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class TrendOptions:
    """The trend stage's settings (``None`` means the default or "chosen from the data").

    Attributes
    ----------
    freq : {"day", "week", "month", "quarter", "year"}, optional
        Period length; chosen from the dates' span and precision when omitted.
    normalize_by : str, optional
        Category/source column: each theme's share is taken within the categories it
        lives in, so a category that starts or stops being collected is no trend.
    recent : int, optional
        Test only the last ``recent`` complete periods (``--recent``): the verdict is
        about them; the history columns still cover the whole window.
    facet : str, optional
        A column to trend within each value of (``--facet``: venue, country, a list of
        categories); see :mod:`trendkit.trend.facets`.
    facet_top : int, optional
        Keep the ``facet_top`` largest facet values, the rest as "other".
    weight : str, optional
        The column the documents were weighted by (``--weight``: the loader reads it into
        the canonical ``weight`` column); shares are then weighted.
    horizon : int, optional
        Forecast each theme's share this many periods ahead (``--horizon``).
    compare : str, optional
        Compare the documents whose ``facet`` is this value (corpus A) with all others
        (corpus B): ``trendkit compare`` (see :mod:`trendkit.trend.compare`).

    Examples
    --------
    >>> TrendOptions(freq="month").updated(recent=12, freq=None).recent
    12
    """

    freq: str | None = None
    normalize_by: str | None = None
    recent: int | None = None
    facet: str | None = None
    facet_top: int | None = None
    weight: str | None = None
    horizon: int | None = None
    compare: str | None = None

    @property
    def weight_col(self) -> str | None:
        """The documents' column the counts sum (the loader's canonical ``weight``)."""
        return "weight" if self.weight else None

    def updated(self, **changes) -> "TrendOptions":
        """These options with every change that is not ``None`` applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def with_freq(self, freq: str | None) -> "TrendOptions":
        """These options with the period length a run resolved (None: no dates)."""
        return replace(self, freq=freq)

    def as_dict(self) -> dict:
        return asdict(self)
