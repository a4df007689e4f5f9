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

    Examples
    --------
    >>> TrendOptions(freq="month").updated(recent=12, freq=None)
    TrendOptions(freq='month', normalize_by=None, recent=12)
    """

    freq: str | None = None
    normalize_by: str | None = None
    recent: int | None = None

    def updated(self, **changes) -> "TrendOptions":
        """These options with every change that is not ``None`` applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def with_freq(self, freq: str | None) -> "TrendOptions":
        """These options with the period length a run resolved (None: no dates)."""
        return replace(self, freq=freq)

    def as_dict(self) -> dict:
        return asdict(self)
