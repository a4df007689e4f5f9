"""trendkit.load.weights and weighted shares (``--weight``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trendkit.errors import TrendkitError
from trendkit.load.weights import with_weights
from trendkit.trend.counts import count_documents
from trendkit.trend.volume import topic_volume

DOCS = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "cites": ["3", "", "0", "5"]})


@pytest.mark.parametrize("column, values, message", [
    ("citations", None, "--weight 'citations': no such column"),
    ("cites", ["3", "x", "0", "1"], "1 value\\(s\\) are not numbers \\(documents b\\)"),
    ("cites", ["3", "-2", "0", "1"], "1 negative value\\(s\\) \\(documents b\\)"),
    ("cites", None, "1 document\\(s\\) have no weight \\(b\\); pass --weight-missing"),
])
def test_bad_weights_are_one_clear_error(column, values, message):
    docs = DOCS if values is None else DOCS.assign(cites=values)
    with pytest.raises(TrendkitError, match=message):
        with_weights(docs, column)


def test_missing_weights_count_as_zero_or_leave():
    notes = []
    assert with_weights(DOCS, "cites", "zero", notes)["weight"].tolist() == [3, 0, 0, 5]
    assert with_weights(DOCS, "cites", "drop")["doc_id"].tolist() == ["a", "c", "d"]
    assert "count as 0" in notes[0]


def _volume(weights, topics=(0, 0, 1, 1, 1)):
    docs = pd.DataFrame({"topic_id": list(topics), "topic_label": "x",
                         "date": pd.Timestamp("2024-01-03"), "weight": weights})
    counts = count_documents(docs, weight_col="weight").assign(topic_label="x")
    return topic_volume(counts, "month", weight_col="n").set_index("topic_id")


def test_doubling_a_themes_weights_raises_its_share_as_by_hand():
    base = _volume([1.0, 2.0, 1.0, 1.0, 3.0])
    doubled = _volume([2.0, 4.0, 1.0, 1.0, 3.0])
    assert base.loc[0, "share"] == pytest.approx(3 / 8)
    assert doubled.loc[0, "share"] == pytest.approx(6 / 11)
    # Kish: (sum w)^2 / sum w^2 of the period's documents
    assert doubled.loc[0, "n_effective"] == pytest.approx(11 ** 2 / (4 + 16 + 1 + 1 + 9))
    assert bool(doubled["weighted"].all())


def test_unit_weights_give_the_unweighted_shares_and_intervals():
    weighted = _volume([1.0] * 5)
    docs = pd.DataFrame({"topic_id": [0, 0, 1, 1, 1], "topic_label": "x",
                         "date": pd.Timestamp("2024-01-03")})
    plain = topic_volume(docs, "month").set_index("topic_id")
    for column in ("share", "share_low", "share_high", "n_docs", "period_total"):
        assert np.allclose(weighted[column], plain[column])
