"""Property-based: whatever bytes or tables arrive, the loader returns a valid canonical
frame or raises TrendkitError — never anything else."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trendkit import TrendkitError, load_corpus
from trendkit.load.schema import CANONICAL

SUFFIXES = [".csv", ".tsv", ".json", ".jsonl", ".txt", ".bib", ".xml", ".parquet", ".gz", ""]
SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def check_frame(frame: pd.DataFrame) -> None:
    assert list(frame.columns[:6]) == CANONICAL
    assert len(frame) >= 1
    assert frame["doc_id"].is_unique
    assert (frame["text"].str.strip() != "").all()
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert set(frame["date_source"]) <= {"given", "arxiv_id", "none"}


def load_or_error(path) -> None:
    try:
        frame = load_corpus(path)
    except TrendkitError as exc:
        assert "\n" not in str(exc)
        return
    check_frame(frame)


@SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"input{suffix}"
    path.write_bytes(data)
    load_or_error(path)


cells = st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(allow_nan=True),
                  st.sampled_from(["2024-03-01", "March 2024", "2403.02310", "1999", "garbage"]))
column_names = st.sampled_from(["abstract", "title", "date", "id", "summary", "text", "x", "y",
                                "published", "arxiv_id"])


@SETTINGS
@given(columns=st.lists(column_names, min_size=1, max_size=5, unique=True),
       rows=st.integers(min_value=0, max_value=12), data=st.data(),
       fmt=st.sampled_from(["csv", "json", "jsonl", "parquet"]))
def test_random_tables(tmp_path_factory, columns, rows, data, fmt):
    table = pd.DataFrame({c: data.draw(st.lists(cells, min_size=rows, max_size=rows))
                          for c in columns})
    path = tmp_path_factory.mktemp("tables") / f"input.{fmt}"
    if fmt == "csv":
        table.to_csv(path, index=False)
    elif fmt == "json":
        table.to_json(path, orient="records")
    elif fmt == "jsonl":
        table.to_json(path, orient="records", lines=True)
    else:
        try:
            table.astype(str).to_parquet(path)
        except Exception:  # pyarrow cannot write this table: nothing to test
            return
    load_or_error(path)
