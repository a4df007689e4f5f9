import pandas as pd

from trendkit.trend.terms import period_terms


def docs_frame(index):
    return pd.DataFrame({
        "period": ["2024"] * 4 + ["2025"] * 4 + [None],
        "topic_id": [0, 0, 1, 1] * 2 + [0],
        "topic_label": ["moe", "moe", "jss", "jss"] * 2 + ["moe"],
        "title": ["Routing", "Routing", "", "", "", "", "", "", ""],
        "text": ["expert routing", "expert gating", "job shop", "shop floor", "expert offloading",
                 "offloading experts", "job shop", "shop makespan", "undated"]}, index=index)


def test_a_repeated_index_and_undated_rows_are_fine():
    """Regression: the sample's positions were aligned on the index, which a concatenated
    frame repeats ("cannot reindex on an axis with duplicate labels")."""
    plain = period_terms(docs_frame(range(9)), min_docs=2)
    assert period_terms(docs_frame([0] * 9), min_docs=2).equals(plain)
    assert plain["period"].tolist() == ["2024", "2024", "2025", "2025"]


def test_titles_are_read_with_the_text():
    frame = docs_frame(range(9))
    with_titles = period_terms(frame, min_docs=2).iloc[0]["terms"]
    without = period_terms(frame.drop(columns="title"), min_docs=2).iloc[0]["terms"]
    assert with_titles.startswith("routing expert") and without.startswith("expert gating")
