"""Partitions cover every input line exactly once, whatever the block size."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trendkit.errors import TrendkitError
from trendkit.load import LoadOptions, parse_filter
from trendkit.load.inputs import expand_inputs
from trendkit.load.partitions import (
    _line_blocks,
    _prefilter,
    plan_partitions,
    read_partition,
)


def _lines_of(parts):
    return [line for part in parts for block in _line_blocks(part)
            for line in block.split(b"\n") if line]


@settings(max_examples=40, deadline=None)
@given(lengths=st.lists(st.integers(0, 60), min_size=1, max_size=40),
       block=st.integers(1, 400), trailing_newline=st.booleans())
def test_every_line_in_exactly_one_partition(tmp_path_factory, lengths, block, trailing_newline):
    path = tmp_path_factory.mktemp("p") / "x.jsonl"
    lines = [("L%03d" % i + "x" * n).encode() for i, n in enumerate(lengths)]
    path.write_bytes(b"\n".join(lines) + (b"\n" if trailing_newline else b""))
    parts = plan_partitions([path], block_bytes=block)
    assert _lines_of(parts) == lines


def test_gzip_and_csv_files_are_one_partition_each(tmp_path):
    gz = tmp_path / "a.jsonl.gz"
    with gzip.open(gz, "wt") as f:
        f.write('{"title": "t", "abstract": "x"}\n' * 50)
    csv = tmp_path / "b.csv"
    csv.write_text("title,abstract\n" + "t,x\n" * 50)
    parts = plan_partitions([gz, csv], block_bytes=10)
    assert [(p.kind, p.end) for p in parts] == [("jsonl", None), ("csv", None)]


def test_ids_made_from_row_numbers_stay_unique_across_chunks(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,abstract\n" + "".join(f"t{i},words {i}\n" for i in range(45)))
    part = plan_partitions([path])[0]
    ids = [i for frame in read_partition(part, LoadOptions(), chunk_rows=10)
           for i in frame["doc_id"]]
    assert ids == [f"a.csv:{i + 1}" for i in range(45)]


def test_byte_prefilter_keeps_every_line_the_filter_keeps():
    rows = [{"title": "a", "abstract": "x", "categories": c}
            for c in ["cs.CL cs.LG", "math.CO", "CS.cl", "hep-th", "cs.CLX"]]
    block = "\n".join(json.dumps(r) for r in rows).encode()
    options = LoadOptions(filters=(parse_filter("categories=cs.CL"),))
    kept = [json.loads(line)["categories"] for line in _prefilter(block, options).split(b"\n")]
    assert kept == ["cs.CL cs.LG", "CS.cl", "cs.CLX"]  # a superset; the exact filter follows


def test_glob_and_parquet_folder_inputs(tmp_path):
    for i in range(3):
        (tmp_path / f"snap-{i}.jsonl").write_text('{"title": "t", "abstract": "x"}\n')
    assert [p.name for p in expand_inputs(str(tmp_path / "snap-*.jsonl"))] == [
        "snap-0.jsonl", "snap-1.jsonl", "snap-2.jsonl"]
    with pytest.raises(TrendkitError, match="no files match"):
        expand_inputs(str(tmp_path / "none-*.jsonl"))
    with pytest.raises(TrendkitError, match="is a directory without .parquet files"):
        expand_inputs(tmp_path)


def test_unstreamable_format_is_a_clear_error(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title={t}}")
    with pytest.raises(TrendkitError, match="streaming .* reads csv, tsv, jsonl, parquet; "
                                            "this file is bibtex"):
        plan_partitions([path])


def test_openalex_inverted_index_is_read_without_arrow_structs(tmp_path):
    # Arrow would turn every distinct word into a struct field (regression)
    rows = [{"id": f"W{i}", "title": f"t{i}", "publication_date": "2024-01-02",
             "abstract_inverted_index": {f"word{i}": [0], f"other{i}": [1]}} for i in range(50)]
    path = tmp_path / "works.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    frame = next(read_partition(plan_partitions([path])[0], LoadOptions()))
    assert frame["text_raw"].iloc[3] == "word3 other3"


def test_damaged_gzip_is_a_one_line_error(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress(b'{"title": "t", "abstract": "x"}\n' * 2000)
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(TrendkitError, match="cut.jsonl.gz: cannot read"):
        list(read_partition(plan_partitions([path])[0], LoadOptions()))


def test_literal_file_names_with_glob_characters(tmp_path):
    path = tmp_path / "papers[2024].jsonl"
    path.write_text('{"title": "t", "abstract": "x"}\n')
    assert expand_inputs(str(path)) == [path.resolve()]


def test_same_file_names_in_two_folders_get_distinct_made_up_ids(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "data.csv").write_text("title,abstract\nt,words\n")
    parts = plan_partitions(expand_inputs(str(tmp_path / "*" / "data.csv")))
    ids = [next(read_partition(p, LoadOptions()))["doc_id"].iloc[0] for p in parts]
    assert len(set(ids)) == 2
