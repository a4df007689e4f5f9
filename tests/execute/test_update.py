"""Monthly updates with `trendkit assign`: a theme born after the fit becomes a new theme."""

import numpy as np
import pandas as pd

from trendkit import workflows


def test_demo_fitted_before_moe_then_updated_finds_moe_as_a_new_theme(demo_corpus, tmp_path):
    dates = pd.to_datetime(demo_corpus["date"])
    months = dates.dt.to_period("M")
    first = months.min() + 11
    fit_csv = tmp_path / "fit.csv"
    demo_corpus[months <= first].to_csv(fit_csv, index=False)
    run = workflows.run([fit_csv], tmp_path / "run0", cache=False)
    assert "mixture-of-experts" not in set(demo_corpus.loc[months <= first, "true_theme"])
    fitted_topics = run.topics[["topic_id", "topic_label"]]
    fitted_docs = run.documents[["doc_id", "topic_id"]]
    previous = tmp_path / "run0"
    later = sorted(months[months > first].unique())
    for k in range(0, len(later), 2):  # two months per update
        batch = tmp_path / f"batch{k}.csv"
        demo_corpus[months.isin(later[k:k + 2])].to_csv(batch, index=False)
        out = tmp_path / f"run{k + 1}"
        result = workflows.assign(previous, [batch], out)
        previous = out
    docs = result.documents.set_index("doc_id")
    truth = demo_corpus.set_index("doc_id")["true_theme"].reindex(docs.index)
    old_ids = set(fitted_topics["topic_id"])
    moe = docs.loc[truth == "mixture-of-experts", "topic_id"]
    new_id = moe.mode()[0]
    assert new_id not in old_ids and (moe == new_id).mean() >= 0.8
    summary = result.summary.set_index("topic_id")
    assert summary.loc[new_id, "status"] == "new"
    # every earlier theme keeps its id, label and documents
    topics = result.topics.set_index("topic_id")["topic_label"]
    for row in fitted_topics.itertuples():
        assert topics[row.topic_id] == row.topic_label
    kept = docs["topic_id"].reindex(fitted_docs["doc_id"]).to_numpy()
    assert np.array_equal(kept, fitted_docs["topic_id"].to_numpy())
    others = docs.loc[(truth != "mixture-of-experts").to_numpy(), "topic_id"]
    assert others.isin(old_ids).mean() >= 0.95
    born = result.meta["novelty"]["born"]
    assert str(new_id) in born and born[str(new_id)]["first_date"] >= "2024-07-01"
