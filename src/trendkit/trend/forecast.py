"""Next-period forecasts of each theme's share, with 80 % and 95 % prediction intervals.

Each broad theme's share of the complete periods is modelled on the logit scale (shares
live in (0, 1); a theme at 2 % cannot fall by 5 points) by a structural time-series
model from statsmodels (:class:`~statsmodels.tsa.statespace.structural.UnobservedComponents`):
a *local linear trend* — level and slope both wander, observed with noise — by default:
in the rolling-origin backtest of ``bench/forecast.py`` it beat the naive last-value
forecast on all three corpora, the local level (``model="level"``) on two. Intervals
come from the model's forecast variance, mapped back through the logistic function.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .periods import next_labels

FORECAST_COLUMNS = ["topic_id", "topic_label", "period", "share", "low80", "high80", "low95",
                    "high95"]
MODELS = {"level": {"level": "local level"},
          "trend": {"level": "local linear trend"}}
MIN_PERIODS = 6  # fewer complete periods: no model, no forecast
Z80, Z95 = 1.2815515655446004, 1.959963984540054


def _logit(share, size) -> np.ndarray:
    # half a document either side keeps empty and full periods finite (empirical logit)
    k, n = np.asarray(share, float) * size, np.asarray(size, float)
    return np.log((k + 0.5) / (n - k + 0.5))


def _expit(x) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(x, float)))


def forecast_series(shares, sizes, horizon: int, model: str = "trend") -> pd.DataFrame:
    """Forecast one share series ``horizon`` steps ahead: ``share, low80, high80, low95,
    high95`` per step (NaN when the series is too short).

    ``sizes`` are the periods' documents (effective sizes when weighted).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> sizes = np.full(24, 400)
    >>> shares = rng.binomial(sizes, 0.1) / sizes
    >>> out = forecast_series(shares, sizes, 2)
    >>> bool((out["low95"] < 0.1).all() and (out["high95"] > 0.1).all())
    True
    """
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    shares, sizes = np.asarray(shares, float), np.asarray(sizes, float)
    out = pd.DataFrame(np.nan, index=range(horizon), columns=FORECAST_COLUMNS[3:])
    if len(shares) < MIN_PERIODS or horizon < 1:
        return out
    y = _logit(shares, sizes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short, flat series
        fitted = UnobservedComponents(y, **MODELS[model]).fit(disp=False)
        predicted = fitted.get_forecast(horizon)
    mean = np.asarray(predicted.predicted_mean, float)
    sd = np.sqrt(np.maximum(np.asarray(predicted.var_pred_mean, float), 0))
    out["share"] = _expit(mean)
    for name, z in (("80", Z80), ("95", Z95)):
        out[f"low{name}"], out[f"high{name}"] = _expit(mean - z * sd), _expit(mean + z * sd)
    return out


def forecast_shares(trends: pd.DataFrame, horizon: int, freq: str,
                    model: str = "trend") -> pd.DataFrame:
    """``forecast.csv``: the next ``horizon`` periods of every broad theme's share.

    ``trends`` is a run's trend table (:func:`~trendkit.trend.volume.topic_volume`);
    partial periods are left out, as for the verdicts.
    """
    if not horizon or trends.empty:
        return pd.DataFrame(columns=FORECAST_COLUMNS)
    broad = trends[trends["parent_id"].isna()] if "parent_id" in trends else trends
    complete = broad[~broad["partial"].astype(bool)]
    if complete.empty:
        return pd.DataFrame(columns=FORECAST_COLUMNS)
    periods = next_labels(complete["period"].max(), freq, horizon)
    size = "n_effective" if "n_effective" in complete else "period_total"
    rows = []
    for (topic_id, label), group in complete.groupby(["topic_id", "topic_label"], sort=False):
        group = group.sort_values("period")
        out = forecast_series(group["share"], group[size], horizon, model)
        rows.append(out.assign(topic_id=topic_id, topic_label=label, period=periods))
    return pd.concat(rows, ignore_index=True).reindex(columns=FORECAST_COLUMNS)
