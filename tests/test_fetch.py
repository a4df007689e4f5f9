"""`trendkit fetch arxiv` against hand-written Atom pages served on localhost (no network)."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse

import pytest

import trendkit
from trendkit import TrendkitError
from trendkit.load.fetch import fetch_arxiv

ENTRY = """<entry><id>http://arxiv.org/abs/25{n:02d}.0{n:04d}v1</id>
<published>2025-{m:02d}-0{d}T10:00:00Z</published><title>Paper {n} on experts</title>
<summary>Mixture of experts routing paper number {n}.</summary><category term="cs.LG"/></entry>"""


def feed(entries):
    return ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">' + "".join(entries)
            + "</feed>")


class ArxivStub(http.server.BaseHTTPRequestHandler):
    total = 7
    requests: list = []
    fail_first = 0
    error = None  # the arXiv API's answer to a bad query: one entry at an /api/errors id

    def do_GET(self):  # noqa: N802 (http.server API)
        params = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        type(self).requests.append(params)
        if type(self).fail_first > 0:
            type(self).fail_first -= 1
            self.send_response(503)
            self.end_headers()
            return
        start, size = int(params["start"][0]), int(params["max_results"][0])
        entries = [ENTRY.format(n=n, m=1 + n % 12, d=1 + n % 9)
                   for n in range(start + 1, min(start + size, self.total) + 1)]
        if type(self).error:
            entries = [f"<entry><id>http://arxiv.org/api/errors#incorrect_id_format</id>"
                       f"<title>Error</title><summary>{type(self).error}</summary></entry>"]
        body = feed(entries).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def api():
    ArxivStub.requests = []
    ArxivStub.fail_first = 0
    ArxivStub.error = None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ArxivStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/query"
    server.shutdown()


def test_pages_politely_and_writes_loadable_jsonl(api, tmp_path):
    sleeps = []
    out = tmp_path / "moe.jsonl"
    total = fetch_arxiv('abs:"mixture of experts"', out, date_from="2025-01-01",
                        date_to="2025-12-31", max_results=100, page_size=3, api=api,
                        sleep=sleeps.append)
    assert total == 7
    assert [int(r["start"][0]) for r in ArxivStub.requests] == [0, 3, 6]
    assert sleeps == [3.0, 3.0]  # one polite pause between consecutive requests
    query = ArxivStub.requests[0]["search_query"][0]
    assert "submittedDate:[202501010000 TO 202512312359]" in query
    docs = trendkit.load_corpus(out)
    assert len(docs) == 7 and docs["date"].notna().all()
    assert docs["title"].iloc[0] == "Paper 1 on experts"


def test_resumes_after_existing_records(api, tmp_path):
    out = tmp_path / "moe.jsonl"
    fetch_arxiv("experts", out, max_results=4, page_size=2, api=api, sleep=lambda s: None)
    assert len(out.read_text().splitlines()) == 4
    ArxivStub.requests = []
    total = fetch_arxiv("experts", out, max_results=100, page_size=2, api=api, sleep=lambda s: None)
    assert total == 7
    assert int(ArxivStub.requests[0]["start"][0]) == 4  # continued, did not start over
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 7


def test_retries_with_backoff_then_succeeds(api, tmp_path):
    ArxivStub.fail_first = 2
    sleeps = []
    total = fetch_arxiv("experts", tmp_path / "a.jsonl", max_results=3, page_size=3, api=api,
                        sleep=sleeps.append, backoff=5.0)
    assert total == 3 and sleeps == [5.0, 10.0]


def test_gives_up_with_a_clear_error(api, tmp_path):
    ArxivStub.fail_first = 10
    with pytest.raises(TrendkitError, match="failed after 2 tries"):
        fetch_arxiv("experts", tmp_path / "a.jsonl", retries=1, api=api, sleep=lambda s: None)


def test_bad_dates_rejected(tmp_path):
    with pytest.raises(TrendkitError, match="is after --to"):
        fetch_arxiv("x", tmp_path / "a.jsonl", date_from="2025-02-01", date_to="2025-01-01")


def test_an_api_error_is_told_not_read_as_a_paper(api, tmp_path):
    # regression: the error entry was written out as a paper titled "Error"
    ArxivStub.error = "incorrect id format for 1234.12345"
    out = tmp_path / "a.jsonl"
    with pytest.raises(TrendkitError, match="answered with an error: incorrect id format"):
        fetch_arxiv("id_list", out, api=api, sleep=lambda s: None)
    assert not out.exists()  # nothing half-written


def test_stops_at_an_empty_page(api, tmp_path):
    ArxivStub.total = 4
    try:
        total = fetch_arxiv("experts", tmp_path / "a.jsonl", max_results=100, page_size=2,
                            api=api, sleep=lambda s: None)
    finally:
        ArxivStub.total = 7
    assert total == 4
    assert [int(r["start"][0]) for r in ArxivStub.requests] == [0, 2, 4]  # the last is empty
