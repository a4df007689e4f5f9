"""Loading: formats, cleaning, dates, duplicates and one-line errors."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from trendkit import TrendkitError, load_corpus, load_frame
from trendkit.load import clean_text, date_from_arxiv_id, parse_dates

from .conftest import ARXIV, PAPERS_PAGE, needs_shared


def write(tmp_path, name, content, mode="w"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- formats ---------------------------------------------------------------

def test_csv_with_detected_columns(tmp_path):
    path = write(tmp_path, "a.csv", "id,title,abstract,date\n"
                                   "x1,MoE,Sparse experts route tokens.,2024-03-02\n"
                                   "x2,Serving,KV cache scheduling.,2024-04-01\n")
    df = load_corpus(path)
    assert df["doc_id"].tolist() == ["x1", "x2"]
    assert df["text"].tolist() == ["Sparse experts route tokens.", "KV cache scheduling."]
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-02", "2024-04-01"]
    assert (df["date_source"] == "given").all()
    assert (df["source"] == "a.csv").all()


def test_tsv_semicolon_and_bom(tmp_path):
    tsv = write(tmp_path, "a.tsv", "title\tsummary\nA\tFirst text here.\n")
    semi = write(tmp_path, "b.csv", "\ufefftitle;abstract\nB;Second text here.\n")
    assert load_corpus(tsv)["text"].tolist() == ["First text here."]
    df = load_corpus(semi)
    assert df.columns[:6].tolist() == ["doc_id", "title", "text", "date", "date_source", "source"]
    assert df["title"].tolist() == ["B"]


def test_latin1_fallback_is_reported(tmp_path):
    path = write(tmp_path, "l.csv",
                 "title,abstract\nCaf\xe9,R\xe9sum\xe9 of methods.\n".encode("latin-1"))
    df = load_corpus(path)
    assert df["title"].tolist() == ["Café"]
    assert any("Latin-1" in note for note in df.attrs["notes"])


def test_titles_alone_are_read_with_a_note(tmp_path):
    # regression: a CSV without an abstract column was read by its titles without a word
    path = write(tmp_path, "t.csv", "title,year\nSparse experts,2024\nKV cache serving,2025\n")
    df = load_corpus(path)
    assert df["text"].tolist() == ["Sparse experts", "KV cache serving"]
    assert any("no abstract column" in note and "--text-col" in note
               for note in df.attrs["notes"])
    empty = write(tmp_path, "e.csv", "title,abstract\nSparse experts,\nKV cache serving,\n")
    assert any("'abstract' is empty in every row" in note
               for note in load_corpus(empty).attrs["notes"])


def test_json_jsonl_and_gzip(tmp_path):
    records = [{"arxiv_id": "2403.02310", "title": "T1", "abstract": "Alpha beta gamma."},
               {"arxiv_id": "2404.00001", "title": "T2", "abstract": "Delta epsilon zeta."}]
    js = write(tmp_path, "a.json", json.dumps(records))
    jl = write(tmp_path, "a.jsonl.gz", gzip.compress("\n".join(map(json.dumps, records)).encode()))
    for path in (js, jl):
        df = load_corpus(path)
        assert df["doc_id"].tolist() == ["2403.02310", "2404.00001"]
        # no date column: the month comes from the arXiv id
        assert df["date"].dt.strftime("%Y-%m").tolist() == ["2024-03", "2024-04"]
        assert (df["date_source"] == "arxiv_id").all()


def test_parquet(tmp_path):
    path = tmp_path / "a.parquet"
    pd.DataFrame({"title": ["P"], "abstract": ["Parquet abstract text."],
                  "year": [2021]}).to_parquet(path)
    df = load_corpus(path)
    assert df["text"].tolist() == ["Parquet abstract text."]
    assert df["date"].dt.year.tolist() == [2021]


def test_arxiv_oai_snapshot(tmp_path):
    record = {"id": "0704.0001", "title": "Old paper",
              "abstract": "  A hard\n  wrapped abstract.  ",
              "categories": "hep-ph", "update_date": "2008-11-13",
              "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
                           {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"}]}
    other = {**record, "id": "0704.0002", "title": "Other"}
    path = write(tmp_path, "oai.json", json.dumps(record) + "\n" + json.dumps(other))
    df = load_corpus(path, date_col="versions")
    assert df["date"].dt.strftime("%Y-%m-%d").tolist()[0] == "2007-04-02"
    assert df["text"].iloc[0] == "A hard wrapped abstract."
    assert df["categories"].iloc[0] == "hep-ph"


def test_arxiv_atom(tmp_path):
    atom = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry><id>http://arxiv.org/abs/2401.00001v1</id><published>2024-01-01T10:00:00Z</published>
    <title>Expert routing</title><summary>Sparse experts route tokens to GPUs.</summary>
    <category term="cs.LG"/><category term="cs.CL"/></entry>
</feed>"""
    df = load_corpus(write(tmp_path, "feed.xml", atom))
    assert df["doc_id"].tolist() == ["2401.00001v1"]
    assert df["categories"].tolist() == ["cs.LG cs.CL"]
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01"]


def test_openalex_inverted_index(tmp_path):
    works = {"results": [{"id": "https://openalex.org/W1", "display_name": "A work",
                          "publication_date": "2022-05-01",
                          "abstract_inverted_index": {"Experts": [0], "route": [1],
                                                      "tokens.": [2]}}]}
    df = load_corpus(write(tmp_path, "works.json", json.dumps(works)))
    assert df["text"].tolist() == ["Experts route tokens."]
    assert df["doc_id"].tolist() == ["W1"]
    assert df["title"].tolist() == ["A work"]


def test_bibtex(tmp_path):
    bib = """@article{key1, title = {Mixture of {Experts} at Scale}, abstract = {We route tokens.},
  year = 2023, month = mar, doi = {10.1/abc}}
@inproceedings{key2, title = "Job shop", abstract = "Makespan matters.", year = {2021}}"""
    df = load_corpus(write(tmp_path, "refs.bib", bib))
    assert df["title"].tolist() == ["Mixture of Experts at Scale", "Job shop"]
    assert df["doc_id"].tolist() == ["10.1/abc", "key2"]
    assert df["date"].dt.strftime("%Y-%m").tolist() == ["2023-03", "2021-01"]


RIS = """TY  - JOUR
TI  - Soft actuators for grippers
AB  - We build soft pneumatic actuators for grasping.
DA  - 2021/03/15/
DO  - 10.1/soft
ER  -<space>
TY  - CONF
T1  - Quadrotor control
N2  - A quadrotor flight controller is learned.
PY  - 2022
ID  - rec2
ER  -
""".replace("<space>", " ")  # exports write "ER  - ", with the space, or without


@pytest.mark.parametrize("name", ["scopus.ris", "export.txt"])  # by suffix, and by its start
def test_ris_export(tmp_path, name):
    df = load_corpus(write(tmp_path, name, RIS))
    assert df["title"].tolist() == ["Soft actuators for grippers", "Quadrotor control"]
    assert df["text"].tolist() == ["We build soft pneumatic actuators for grasping.",
                                   "A quadrotor flight controller is learned."]
    assert df["doc_id"].tolist() == ["10.1/soft", "rec2"]
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-03-15", "2022-01-01"]


WOS_PLAIN = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Smith, J
   Doe, A
TI Learning quadruped locomotion with
   deep reinforcement learning
SO IEEE ROBOTICS AND AUTOMATION LETTERS
AB We train a legged robot to walk over rough terrain.
PD MAR 15
PY 2021
UT WOS:000600000000001
ER

PT J
AU Roe, B
TI Soft grippers for fragile objects
AB A pneumatic soft gripper grasps fragile objects.
PY 2019
UT WOS:000600000000002
ER

EF
"""


def test_web_of_science_plain_text(tmp_path):
    # regression: WoS's default "plain text" export was read as a papers page and failed
    df = load_corpus(write(tmp_path, "savedrecs.txt", WOS_PLAIN))
    assert df["title"].tolist() == ["Learning quadruped locomotion with deep reinforcement "
                                    "learning", "Soft grippers for fragile objects"]
    assert df["doc_id"].tolist() == ["WOS:000600000000001", "WOS:000600000000002"]
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-03-15", "2019-01-01"]
    assert df["AU"].tolist() == ["Smith, J; Doe, A", "Roe, B"]  # one author a line
    assert any("Web of Science" in note for note in df.attrs["notes"])


def test_web_of_science_export_without_abstracts_is_read_by_title(tmp_path):
    # an "Author, Title, Source" export has no AB field at all; it failed with "no text column"
    plain = "\n".join(line for line in WOS_PLAIN.splitlines() if not line.startswith("AB "))
    df = load_corpus(write(tmp_path, "savedrecs.txt", plain))
    assert df["text"].tolist() == df["title"].tolist()
    assert df["doc_id"].tolist() == ["WOS:000600000000001", "WOS:000600000000002"]
    assert any("no abstract column" in note for note in df.attrs["notes"])
    tab = "TI\tPY\tUT\nSoft grippers\t2021\tWOS:1\n"  # the same, tab-delimited
    frame = load_corpus(write(tmp_path, "tab.txt", tab))
    assert frame["doc_id"].tolist() == ["WOS:1"] and frame["text"].tolist() == ["Soft grippers"]


def test_web_of_science_file_without_records(tmp_path):
    with pytest.raises(TrendkitError, match="no Web of Science records"):
        load_corpus(write(tmp_path, "savedrecs.txt", "FN Clarivate Analytics Web of Science\n"
                                                     "VR 1.0\nEF\n"))


ENDNOTE = """<?xml version="1.0" encoding="UTF-8" ?><xml><records>
<record><rec-number>1</rec-number>
<titles><title><style face="normal">Soft grippers for </style><style face="italic">fragile</style>
<style face="normal"> objects</style></title></titles>
<dates><year><style face="normal">2021</style></year>
<pub-dates><date><style face="normal">Mar 15</style></date></pub-dates></dates>
<electronic-resource-num><style face="normal">10.1089/soro.1</style></electronic-resource-num>
<abstract><style face="normal">A pneumatic soft gripper grasps fragile objects.</style></abstract>
</record>
<record><rec-number>2</rec-number><titles><title>Legged robots</title></titles>
<dates><year>2022</year></dates><abstract>We train a quadruped policy.</abstract></record>
</records></xml>"""


def test_endnote_xml(tmp_path):
    # regression: an EndNote XML export (.xml) was read as an Atom feed and had "no <entry>"
    df = load_corpus(write(tmp_path, "library.xml", ENDNOTE))
    assert df["title"].tolist() == ["Soft grippers for fragile objects", "Legged robots"]
    assert df["text"].tolist() == ["A pneumatic soft gripper grasps fragile objects.",
                                   "We train a quadruped policy."]
    assert df["doc_id"].tolist() == ["10.1089/soro.1", "2"]
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-03-15", "2022-01-01"]


def test_medline_export_with_wrapped_lines(tmp_path):
    nbib = """PMID- 31234567
TI  - Insulin resistance in type 2 diabetes: a
      cohort study.
AB  - We followed 2,000 patients with type 2 diabetes for insulin resistance
      and glucose control.
DP  - 2019 Mar 15
LID - 10.1000/xyz123 [doi]

PMID- 31234568
TI  - Statins and cholesterol.
AB  - Statin therapy lowered LDL cholesterol.
DP  - 2020 Jun
"""
    df = load_corpus(write(tmp_path, "pubmed.nbib", nbib))
    assert df["doc_id"].tolist() == ["31234567", "31234568"]
    assert df["title"].iloc[0] == "Insulin resistance in type 2 diabetes: a cohort study."
    assert df["text"].iloc[0].endswith("for insulin resistance and glucose control.")
    assert df["date"].dt.strftime("%Y-%m").tolist() == ["2019-03", "2020-06"]


def test_a_ris_file_without_records_is_a_one_line_error(tmp_path):
    with pytest.raises(TrendkitError, match="no RIS records found"):
        load_corpus(write(tmp_path, "empty.ris", "Provider: Nobody\n\n"))


@needs_shared(PAPERS_PAGE)
def test_papers_page_gives_57_clean_documents():
    df = load_corpus(PAPERS_PAGE)
    assert len(df) == 57
    assert df["title"].iloc[0].startswith("Reinforcement Learning of Display Transfer Robots")
    assert df["title"].iloc[1] == "Qwen2.5-1M Technical Report"
    assert df["date"].isna().all() and (df["date_source"] == "none").all()
    assert not df["text"].str.contains("\n").any()
    assert df["text"].str.len().min() > 300


def test_several_inputs_get_a_source_column(tmp_path):
    a = write(tmp_path, "a.csv", "title,abstract\nA,Text one here.\n")
    b = write(tmp_path, "b.csv", "title,abstract\nB,Text two here.\n")
    assert load_corpus([a, b])["source"].tolist() == ["a.csv", "b.csv"]


# -- cleaning, dates, duplicates ------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("D$^{2}$MoE", "D2MoE"),
    ("\\emph{fast} and \\textbf{sparse}", "fast and sparse"),
    ("a &amp; b &lt;c&gt;", "a & b"),  # the unescaped <c> is markup, removed
    ("line one\n   line two", "line one line two"),
    ("$\\alpha$-entmax", "alpha-entmax"),
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", "2024-03-05"), ("2024-03-05T10:00:00Z", "2024-03-05"), ("2024-03", "2024-03-01"),
    ("March 2024", "2024-03-01"), ("2021", "2021-01-01"), (1700000000, "2023-11-14"),
    ("Tue, 24 Jul 2007 20:10:27 GMT", "2007-07-24"), ("1850-01-01", None), ("2150-01-01", None),
    ("not a date", None),
])
def test_parse_dates(value, expected):
    parsed = parse_dates(pd.Series([value], dtype=object)).iloc[0]
    assert (None if pd.isna(parsed) else parsed.strftime("%Y-%m-%d")) == expected


def test_arxiv_id_months():
    assert date_from_arxiv_id("2403.02310").strftime("%Y-%m") == "2024-03"
    assert date_from_arxiv_id("arXiv:1501.00001v3").strftime("%Y-%m") == "2015-01"
    assert date_from_arxiv_id("cs/0701001").strftime("%Y-%m") == "2007-01"
    assert date_from_arxiv_id("math.GT/9912001").strftime("%Y-%m") == "1999-12"
    assert date_from_arxiv_id("2413.00001") is None


def test_unparseable_dates_are_counted_not_dropped(tmp_path):
    path = write(tmp_path, "d.csv",
                 "title,abstract,date\nA,Text a.,2024-01-01\nB,Text b.,someday\n")
    df = load_corpus(path)
    assert len(df) == 2 and df["date"].isna().sum() == 1
    assert any("1 date value" in note for note in df.attrs["notes"])


def test_duplicates_by_id_then_title_are_dropped_and_reported():
    raw = pd.DataFrame({"id": ["a", "a", "b", "c"],
                        "title": ["T1", "T1", "Same title", "same  TITLE!"],
                        "abstract": ["x y", "x y", "first text", "second text"]})
    df = load_frame(raw)
    assert df["doc_id"].tolist() == ["a", "b"]
    notes = " ".join(df.attrs["notes"])
    assert "1 duplicate document(s) with the same id" in notes
    assert "1 duplicate document(s) with the same title" in notes


def test_same_id_different_text_are_both_kept():
    raw = pd.DataFrame({"id": ["a", "a"], "title": ["One", "Two"], "abstract": ["first", "second"]})
    assert load_frame(raw)["doc_id"].tolist() == ["a", "a#2"]


def test_original_text_kept():
    df = load_frame(pd.DataFrame({"abstract": ["D$^{2}$MoE\n is fast"]}))
    assert df["text_raw"].iloc[0] == "D$^{2}$MoE\n is fast"
    assert df["text"].iloc[0] == "D2MoE is fast"


# -- errors ----------------------------------------------------------------------

@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", "", "file is empty"),
    ("header.csv", "title,abstract\n", "header but no rows"),
    ("cols.csv", "foo,bar\n1,2\n", "no text column found among: foo, bar"),
    ("blank.csv", "title,abstract\n,\n,\n", "every document has an empty text and title"),
    ("bin.dat", bytes(range(256)) * 20, "binary"),
    ("bad.jsonl", '{"title": "a", "abstract": "b"}\n{"title": \n', "malformed JSON at line 2"),
    ("trunc.csv.gz", gzip.compress(b"title,abstract\n" + bytes(range(32, 127)) * 500)[:300],
     "truncated gzip"),
])
def test_bad_inputs_raise_one_line_errors(tmp_path, name, content, message):
    path = write(tmp_path, name, content)
    with pytest.raises(TrendkitError) as info:
        load_corpus(path)
    assert message in str(info.value)
    assert name in str(info.value) or "column" in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_path_directory_and_unknown_format(tmp_path):
    with pytest.raises(TrendkitError, match="no such file"):
        load_corpus(tmp_path / "nope.csv")
    with pytest.raises(TrendkitError, match="is a directory"):
        load_corpus(tmp_path)
    path = write(tmp_path, "a.csv", "title,abstract\nA,b c\n")
    with pytest.raises(TrendkitError, match="unknown --format 'docx'"):
        load_corpus(path, format="docx")
    with pytest.raises(TrendkitError, match="--text-col 'body' not found"):
        load_corpus(path, text_col="body")


@needs_shared(ARXIV)
def test_full_arxiv_file_loads():
    df = load_corpus(ARXIV)
    # 74,728 rows; 6 duplicate titles (per the data README) are dropped and reported
    assert 74_700 <= len(df) <= 74_728
    assert df["date"].notna().all()
    assert df["doc_id"].is_unique
    assert "primary_category" in df.columns
