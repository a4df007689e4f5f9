"""``trendkit fetch arxiv``: page politely through the arXiv API into JSON Lines.

The output is what ``trendkit run`` reads. Fetching is resumable: records
already in the output file are kept and the next request starts after them.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable

import pandas as pd

from ..errors import TrendkitError
from .bibliographic import atom_entries

API = "https://export.arxiv.org/api/query"
MIN_DELAY = 3.0  # arXiv asks for at least 3 s between requests
PAGE_SIZE = 100


def _date_range(start: str, end: str) -> str:
    try:
        a, b = pd.Timestamp(start), pd.Timestamp(end)
    except ValueError as exc:
        raise TrendkitError(f"--from/--to must be dates like 2025-01-31 ({exc})") from exc
    if a > b:
        raise TrendkitError(f"--from {start} is after --to {end}")
    return f"submittedDate:[{a:%Y%m%d}0000 TO {b:%Y%m%d}2359]"


def _get(url: str, retries: int, backoff: float, sleep: Callable[[float], None]) -> str:
    for attempt in range(retries + 1):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            if attempt == retries:
                raise TrendkitError(f"arXiv API request failed after {retries + 1} tries: "
                                    f"{getattr(exc, 'reason', exc)}") from exc
            sleep(backoff * 2 ** attempt)
    raise AssertionError("unreachable")


def fetch_arxiv(query: str, out: str | Path, *, date_from: str | None = None,
                date_to: str | None = None, max_results: int = 1000, page_size: int = PAGE_SIZE,
                delay: float = MIN_DELAY, retries: int = 3, backoff: float = 5.0,
                api: str | None = None, sleep: Callable[[float], None] = time.sleep,
                progress: Callable[[int], None] | None = None) -> int:
    """Fetch up to ``max_results`` arXiv records for ``query`` into ``out`` (JSONL).

    Parameters
    ----------
    query : str
        arXiv search syntax, e.g. ``cat:cs.CL AND abs:"mixture of experts"``.
    date_from, date_to : str, optional
        Submission date window (inclusive).
    delay : float, default 3.0
        Seconds between requests (arXiv's rule; lower only for local tests).
    retries, backoff : int, float
        Failed requests are retried after ``backoff * 2**attempt`` seconds.
    api : str, optional
        Endpoint; defaults to arXiv's (``$TRENDKIT_ARXIV_API`` overrides).

    Returns
    -------
    int
        Records in ``out`` afterwards (earlier ones included).
    """
    out = Path(out)
    api = api or os.environ.get("TRENDKIT_ARXIV_API", API)
    search = f"({query})" + (f" AND {_date_range(date_from or '1991-01-01', date_to or 'today')}"
                             if date_from or date_to else "")
    seen: set[str] = set()
    if out.exists():  # resume: keep what is there, continue after it
        for line in out.read_text(encoding="utf-8").splitlines():
            try:
                seen.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                raise TrendkitError(f"{out}: exists but is not a fetch output to resume") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    start = len(seen)
    first = True
    while len(seen) < max_results:
        if not first:
            sleep(delay)
        first = False
        params = {"search_query": search, "start": start,
                  "max_results": min(page_size, max_results - len(seen)),
                  "sortBy": "submittedDate", "sortOrder": "ascending"}
        text = _get(f"{api}?{urllib.parse.urlencode(params)}", retries, backoff, sleep)
        page = atom_entries(text, Path(api))
        if not page:
            break  # past the last result
        # appended a page at a time, the file opened only then: an interruption loses at
        # most one page, and a query that fails at once leaves no empty file behind
        with open(out, "a", encoding="utf-8") as handle:
            for record in page:
                if record["id"] not in seen:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                    seen.add(record["id"])
        start += len(page)
        if progress:
            progress(len(seen))
        if len(page) < params["max_results"]:
            break
    return len(seen)
