"""Hostile and broken inputs through the real CLI entry point: a documented result or a
one-line error with a non-zero exit — never a traceback, never a half-written run."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from .conftest import run_main


def cli(args, capsys) -> tuple[int, str]:
    """Run ``trendkit ARGS`` in-process through ``main`` (the console entry point)."""
    code, _, err = run_main(args, capsys)
    return code, err


def csv_rows(n, *, text=lambda i: f"Sparse experts route tokens in paper {i} about scheduling.",
             date=lambda i: f"2024-{1 + i % 12:02d}-05"):
    rows = ["id,title,abstract,date"]
    rows += [f"p{i},Title {i},{text(i)},{date(i)}" for i in range(n)]
    return "\n".join(rows) + "\n"


VARIED = ["Mixture of experts routes tokens to sparse expert layers on GPUs.",
          "Job shop scheduling minimises makespan with dispatching rules.",
          "Learning rate warmup and cosine decay stabilise transformer training.",
          "Diffusion models generate images with classifier-free guidance.",
          "Retrieval-augmented generation grounds answers in retrieved passages."]


def varied(i):
    return f"{VARIED[i % 5]} Variant {i} studies {['latency', 'accuracy', 'memory'][i % 3]}."


ERRORS = [  # (case, file name, content, expected message)
    ("empty file", "a.csv", "", "file is empty"),
    ("header only", "a.csv", "id,title,abstract\n", "header but no rows"),
    ("no text column", "a.csv", "foo,bar\n1,2\n", "no text column found among: foo, bar"),
    ("all abstracts empty", "a.csv", "title,abstract\n,\n,\n", "empty text and title"),
    ("binary file", "a.bin", bytes(range(256)) * 64, "binary"),
    ("truncated gzip", "a.jsonl.gz",
     gzip.compress("\n".join(json.dumps({"abstract": "x" * i + str(i)})
                             for i in range(3000)).encode())[:4000],
     "truncated gzip"),
    ("malformed JSON at line 500", "a.jsonl",
     "\n".join([json.dumps({"title": f"t{i}", "abstract": f"text {i}"}) for i in range(499)]
               + ['{"title": "bad",']),
     "malformed JSON at line 500"),
    ("only stop words", "a.csv",
     "title,abstract\nthe,we propose a novel method\nand,the results show\n", "no usable words"),
    ("ragged CSV", "a.csv", 'title,abstract\n"a",b,c,d\n"e\n', "malformed"),
    ("directory as input", None, None, "is a directory"),
    ("missing file", "missing.csv", None, "no such file"),
]


@pytest.mark.parametrize("case, name, content, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_is_one_line_error(case, name, content, message, tmp_path, capsys):
    if case == "directory as input":
        path = tmp_path
    else:
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, err = cli(["run", path, "--out", tmp_path / "out", "--no-cache"], capsys)
    assert code == 2, err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


NON_ENGLISH = ["Les réseaux de neurones apprennent des représentations",
               "Нейронные сети обучаются представлениям данных",
               "Die Ablaufplanung minimiert die Gesamtdauer"]

GRACEFUL = [  # (case, content, check on the run folder)
    ("one document", csv_rows(1),
     lambda d, s: len(d) == 1 and set(s["status"]) == {"insufficient-data"}),
    ("two documents", csv_rows(2), lambda d, s: len(d) == 2),
    ("all on one date", csv_rows(40, text=varied, date=lambda i: "2024-05-05"),
     lambda d, s: d["period"].nunique() == 1 and set(s["status"]) == {"insufficient-data"}),
    ("no parseable dates", csv_rows(30, text=varied, date=lambda i: "someday"),
     lambda d, s: d["date"].isna().all() and set(s["status"]) == {"insufficient-data"}),
    ("dates in 1900 and 2100",
     csv_rows(30, text=varied, date=lambda i: ["1900-01-01", "2100-12-31"][i % 2]),
     lambda d, s: {d["date"].min(), d["date"].max()} == {"1900-01-01", "2100-12-31"}),
    ("non-UTF-8 bytes", None, lambda d, s: "Café" in set(d["title"])),
    ("duplicate ids with different text",
     "id,title,abstract\nx,One,First text here\nx,Two,Second text\n",
     lambda d, s: sorted(d["doc_id"]) == ["x", "x#2"]),
    ("a 1 MB abstract",
     csv_rows(20, text=lambda i: ("experts route tokens " * 50_000) if i == 0 else varied(i)),
     lambda d, s: len(d) == 20),
    ("non-English text", csv_rows(30, text=lambda i: NON_ENGLISH[i % 3] + f" {i}"),
     lambda d, s: len(d) == 30),
]


@pytest.mark.parametrize("case, content, check", GRACEFUL, ids=[g[0] for g in GRACEFUL])
def test_edge_input_gives_a_valid_run(case, content, check, tmp_path, capsys):
    path = tmp_path / "in.csv"
    if case == "non-UTF-8 bytes":
        path.write_bytes(("title,abstract\nCaf\xe9,R\xe9sum\xe9 of experts routing\n"
                          "Tea,Tokens and experts\n").encode("latin-1"))
    else:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    code, err = cli(["run", path, "--out", out, "--no-cache", "--quiet"], capsys)
    assert code == 0, err
    docs = pd.read_csv(out / "documents.csv", dtype={"doc_id": str, "title": str})
    summary = pd.read_csv(out / "trend_summary.csv")
    assert check(docs, summary)
    assert (out / "report.html").exists() and (out / "run.json").exists()


def test_unwritable_output_folder(tmp_path, capsys):
    if os.geteuid() == 0:
        target = "/proc/trendkit-out"  # not writable even for root
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "out"
    path = tmp_path / "in.csv"
    path.write_text(csv_rows(3))
    code, err = cli(["run", path, "--out", target], capsys)
    assert code == 2 and "error:" in err and "Traceback" not in err


def test_earlier_run_kept_unless_force(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text(csv_rows(12, text=varied))
    out = tmp_path / "out"
    assert cli(["run", path, "--out", out, "-q", "--no-cache"], capsys)[0] == 0
    before = (out / "documents.csv").read_bytes()
    code, err = cli(["run", path, "--out", out, "-q", "--no-cache"], capsys)
    assert code == 2 and "--force" in err
    assert (out / "documents.csv").read_bytes() == before
    path.write_text(csv_rows(15, text=varied))
    assert cli(["run", path, "--out", out, "-q", "--force", "--no-cache"], capsys)[0] == 0
    assert len(pd.read_csv(out / "documents.csv")) == 15


def test_sigint_mid_run_leaves_earlier_results_intact(tmp_path, demo_csv):
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.csv").write_text("earlier results\n")
    proc = subprocess.Popen([sys.executable, "-m", "trendkit", "run", str(demo_csv),
                             "--out", str(out), "--force", "--no-cache"],
                            stderr=subprocess.PIPE, text=True,
                            # as from a terminal: SIGINT not inherited as ignored from a test runner
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(4)  # inside loading / embedding / clustering
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    # 130, or (seen once in a full test run, with the interrupt inside UMAP's numba code)
    # death by SIGINT after the message: a shell reports both as 130.
    assert proc.returncode in (130, -signal.SIGINT), err
    assert "interrupted" in err and "Traceback" not in err
    assert (out / "documents.csv").read_text() == "earlier results\n"
    assert not list(tmp_path.glob(".out.tmp-*"))
