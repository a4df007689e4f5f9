"""Inputs people really have: day-first dates, arXiv snapshots, year-only exports, Scopus /
Web of Science / Zotero / OpenAlex / Excel files, and filters at load time."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from trendkit import TrendkitError, load_corpus, workflows
from trendkit.load import LoadOptions, parse_dates, parse_filter
from trendkit.load.dates import numeric_order


@pytest.fixture(scope="module")
def demo_dates(demo_corpus) -> pd.Series:
    return pd.to_datetime(demo_corpus["date"])


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%d.%m.%Y"])
def test_day_first_dates_parse_right_when_a_day_exceeds_12(tmp_path, demo_corpus, demo_dates, fmt):
    path = tmp_path / "dayfirst.csv"
    demo_corpus.assign(date=demo_dates.dt.strftime(fmt)).to_csv(path, index=False)
    docs = load_corpus(path)
    assert (docs["date"] == demo_dates).all()  # every one of the 1,800 dates, none swapped
    assert any("day-first" in n and "decided" in n for n in docs.attrs["notes"])


def test_month_first_dates_parse_right_when_a_day_exceeds_12(demo_dates):
    parsed = parse_dates(demo_dates.dt.strftime("%m/%d/%Y"))
    assert (parsed == demo_dates).all()


def test_ambiguous_column_warns_with_the_choice_made():
    notes = []
    parsed = parse_dates(pd.Series(["03.04.2024", "05.06.2024"]), notes=notes, where="a.csv")
    assert parsed.dt.strftime("%Y-%m-%d").tolist() == ["2024-04-03", "2024-06-05"]  # dots: d.m.y
    assert len(notes) == 1 and "guess" in notes[0] and "--date-format" in notes[0]
    assert numeric_order(pd.Series(["03/04/2024"])) == ("mdy", True, 1)


def test_date_format_overrides_inference(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,abstract,date\nA,Sparse experts route tokens.,03/04/2024\n"
                    "B,Job shop scheduling rules.,05/06/2024\n")
    docs = load_corpus(path, LoadOptions(date_format="%d/%m/%Y"))
    assert docs["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-04-03", "2024-06-05"]


def test_oai_snapshot_dates_are_the_v1_submission_not_update_date(tmp_path):
    records = []
    for i in range(300):
        year, month = 2007 + i % 18, 1 + i % 12
        created = f"Mon, 2 {pd.Timestamp(year=2000, month=month, day=1):%b} {year} 19:18:42 GMT"
        records.append({
            "id": f"{year % 100:02d}{month:02d}.{i:05d}", "title": f"Paper {i}",
            "abstract": f"Abstract number {i} about sparse experts and schedules.",
            "categories": "cs.LG", "update_date": "2024-11-13",  # a later revision stamp
            "versions": [{"version": "v1", "created": created},
                         {"version": "v2", "created": "Tue, 24 Jul 2024 20:10:27 GMT"}]})
    path = tmp_path / "snapshot.json"
    path.write_text("\n".join(json.dumps(r) for r in records))
    docs = load_corpus(path)
    expected = [f"{2007 + i % 18}-{1 + i % 12:02d}" for i in range(300)]
    assert docs["date"].dt.strftime("%Y-%m").tolist() == expected
    assert (docs["date_source"] == "arxiv_v1").all()


def year_only_corpus(demo_corpus, demo_dates) -> pd.DataFrame:
    # 30 demo months -> 15 years: the planted trajectories survive, only years are given.
    months = (demo_dates.dt.year - demo_dates.dt.year.min()) * 12 + demo_dates.dt.month
    return demo_corpus.assign(date=(2010 + (months - months.min()) // 2).astype(str))


def test_year_only_file_gets_yearly_periods_and_real_verdicts(tmp_path, demo_corpus, demo_dates):
    path = tmp_path / "years.csv"
    year_only_corpus(demo_corpus, demo_dates).to_csv(path, index=False)
    result = workflows.run_labelled([path], tmp_path / "out", "true_theme")
    assert result.meta["freq"] == "year"
    assert result.trends["period"].nunique() == 15 and not result.trends["partial"].any()
    status = result.summary.set_index("topic_label")["status"]
    assert status["LLM serving & scheduling"] == "emerging"
    assert status["learning-rate schedules"] == "declining"


def test_finer_freq_than_the_dates_is_refused_before_any_work(tmp_path, demo_corpus, demo_dates):
    path = tmp_path / "years.csv"
    year_only_corpus(demo_corpus, demo_dates).to_csv(path, index=False)
    with pytest.raises(TrendkitError, match="--freq month is finer than the dates.*only a year"):
        workflows.run([path], tmp_path / "out", freq="month", cache=False)
    assert not (tmp_path / "out").exists()


def test_one_row_year_only_export_refuses_monthly_periods(tmp_path):
    # Regression: with fewer than 5 dates the year-only rule never fired, so a one-row
    # Scopus export ran monthly periods on a made-up 1 January.
    path = tmp_path / "one.csv"
    pd.DataFrame({"Title": ["Routing tokens"], "Year": ["2021"],
                  "Abstract": ["Mixture of experts routes tokens to sparse experts."]}
                 ).to_csv(path, index=False)
    with pytest.raises(TrendkitError, match="--freq month is finer than the dates.*only a year"):
        workflows.run([path], tmp_path / "out", freq="month", cache=False)
    assert not (tmp_path / "out").exists()


ABSTRACTS = ["Mixture of experts routes tokens to sparse expert layers on GPUs.",
             "Job shop scheduling minimises makespan with dispatching rules.",
             "Learning rate warmup and cosine decay stabilise transformer training."]


def test_scopus_export(tmp_path):
    rows = [{"Authors": "A. B.", "Title": f"Paper {i}", "Year": str(2015 + i % 9),
             "Source title": "Journal", "DOI": "" if i % 3 else f"10.1/{i}",
             "Abstract": ABSTRACTS[i % 3] if i % 7 else "[No abstract available]",
             "Author Keywords": "experts; scheduling", "EID": f"2-s2.0-{i:08d}"}
            for i in range(40)]
    path = tmp_path / "scopus.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    docs = load_corpus(path)
    assert docs["doc_id"].tolist() == [f"2-s2.0-{i:08d}" for i in range(40)]
    assert docs["date"].dt.year.tolist() == [2015 + i % 9 for i in range(40)]
    assert not docs["text"].str.contains("No abstract available").any()
    assert any("Scopus" in n for n in docs.attrs["notes"])


def test_web_of_science_tab_delimited(tmp_path):
    header = ["PT", "AU", "TI", "SO", "DE", "AB", "PD", "PY", "UT"]
    lines = ["\t".join(header)]
    for i in range(30):
        lines.append("\t".join(["J", "Doe, J", f"Title {i}", "JOURNAL", "experts", ABSTRACTS[i % 3],
                                ["MAR 15", "SPR", ""][i % 3], str(2010 + i % 12),
                                f"WOS:{i:015d}"]))
    path = tmp_path / "savedrecs.txt"
    path.write_text("\ufeff" + "\n".join(lines) + "\n")
    docs = load_corpus(path)
    assert docs["doc_id"].tolist() == [f"WOS:{i:015d}" for i in range(30)]
    assert docs["title"].iloc[0] == "Title 0" and docs["text"].iloc[1] == ABSTRACTS[1]
    assert docs["date"].iloc[0] == pd.Timestamp("2010-03-15")  # PD month + PY
    assert docs["date"].iloc[1] == pd.Timestamp("2011-01-01")  # season: the year only


def test_zotero_csv(tmp_path):
    rows = [{"Key": f"ZK{i:04d}", "Item Type": "journalArticle", "Publication Year": 2020 + i % 4,
             "Author": "Doe, Jane", "Title": f"Zotero paper {i}", "DOI": "",
             "Abstract Note": ABSTRACTS[i % 3], "Date": f"{2020 + i % 4}-0{1 + i % 9}-1{i % 9}"}
            for i in range(20)]
    path = tmp_path / "zotero.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    docs = load_corpus(path)
    assert docs["doc_id"].tolist() == [f"ZK{i:04d}" for i in range(20)]
    assert docs["text"].tolist() == [ABSTRACTS[i % 3] for i in range(20)]
    assert docs["date"].dt.strftime("%Y-%m-%d").iloc[5] == "2021-06-15"


def test_openalex_csv_with_json_inverted_index(tmp_path):
    index = json.dumps({"Sparse": [0], "experts": [1], "route": [2], "tokens.": [3]})
    path = tmp_path / "works.csv"
    pd.DataFrame({"id": ["https://openalex.org/W1"], "display_name": ["MoE"],
                  "publication_date": ["2023-05-02"], "abstract_inverted_index": [index],
                  "doi": [None]}).to_csv(path, index=False)
    docs = load_corpus(path)
    assert docs[["doc_id", "title", "text"]].values.tolist() == [["W1", "MoE",
                                                                  "Sparse experts route tokens."]]


def test_excel_first_sheet_or_named_sheet(tmp_path):
    path = tmp_path / "papers.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["not this one"]}).to_excel(writer, sheet_name="readme", index=False)
        pd.DataFrame({"Title": ["A", "B"], "Abstract": ABSTRACTS[:2],
                      "Date": ["2024-01-02", "2024-02-03"]}).to_excel(writer, sheet_name="papers",
                                                                      index=False)
    with pytest.raises(TrendkitError, match="no text column"):
        load_corpus(path)  # the first sheet has no abstracts
    docs = load_corpus(path, LoadOptions(sheet="papers"))
    assert docs["title"].tolist() == ["A", "B"]
    with pytest.raises(TrendkitError, match="no sheet 'nope'; sheets are: readme, papers"):
        load_corpus(path, LoadOptions(sheet="nope"))


def test_excel_runs_with_no_column_options(tmp_path, demo_corpus):
    path = tmp_path / "corpus.xlsx"
    demo_corpus.head(400).to_excel(path, index=False)
    result = workflows.run([path], tmp_path / "out", cache=False, excel=True)
    assert len(result.documents) == 400
    sheets = pd.ExcelFile(tmp_path / "out" / "trends.xlsx").sheet_names
    assert {"trend_summary", "trends", "topics", "documents"} <= set(sheets)


def test_filters_keep_exactly_the_matching_rows(tmp_path):
    rows = [{"arxiv_id": f"2509.{i:05d}", "title": f"T{i}", "abstract": ABSTRACTS[i % 3],
             "primary_category": ["cs.CL", "cs.AI", "cs.CV", "math.OC"][i % 4],
             "categories": ["cs.CL cs.LG", "cs.AI", "cs.CV eess.IV", "math.OC cs.LG"][i % 4],
             "date": f"2025-{1 + i % 12:02d}-10"} for i in range(48)]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    options = LoadOptions(filters=(parse_filter("primary_category=cs.CL,cs.AI"),),
                          since="2025-09-01")
    docs = load_corpus(path, options)
    expected = [r["arxiv_id"] for r in rows if r["primary_category"] in ("cs.CL", "cs.AI")
                and r["date"] >= "2025-09-01"]
    assert docs["doc_id"].tolist() == expected
    by_item = load_corpus(path, LoadOptions(filters=(parse_filter("categories=cs.LG"),),
                                     until="2025-06-30"))
    assert set(by_item["categories"]) == {"cs.CL cs.LG", "math.OC cs.LG"}
    assert by_item["date"].max() <= pd.Timestamp("2025-06-30")
    notes = " ".join(docs.attrs["notes"])
    assert "kept 24 of 48 rows" in notes and "kept" in notes.split("dates")[1]


@pytest.mark.parametrize("spec, message", [
    ("primary_category", "expected COLUMN=PATTERN"), ("=cs.CL", "expected COLUMN=PATTERN")])
def test_bad_filter_specs(spec, message):
    with pytest.raises(TrendkitError, match=message):
        parse_filter(spec)


def test_filter_on_a_missing_column_and_nothing_left(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,abstract,cat\nA,Sparse experts.,x\n")
    with pytest.raises(TrendkitError, match="--filter column 'nope' not found"):
        load_corpus(path, LoadOptions(filters=(("nope", ("x",)),)))
    with pytest.raises(TrendkitError, match="no documents left"):
        load_corpus(path, LoadOptions(filters=(("cat", ("y",)),)))
