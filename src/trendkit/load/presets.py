"""Column presets for the exports people really have: Scopus, Web of Science, Zotero, OpenAlex.

Generic detection (``abstract``/``title``/``date``/``id`` by common names)
reads most files; these exports need a nudge: Zotero calls the abstract
``Abstract Note`` and its id ``Key``, Web of Science uses two-letter field
tags, Scopus' stable id is ``EID`` (many rows lack a DOI) and it writes
``[No abstract available]``, OpenAlex CSVs hold the abstract as an inverted
index in JSON. A preset only fills the columns the user did not name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Preset:
    name: str
    signature: tuple[str, ...]  # columns that identify the export (all must be present)
    columns: dict[str, str] = field(default_factory=dict)  # role -> column
    placeholders: tuple[str, ...] = ()  # texts that mean "no abstract"


# AB is left out of the signature: an "Author, Title, Source" export has none
WEB_OF_SCIENCE = Preset("Web of Science", ("TI", "PY", "UT"),
                        {"title": "TI", "text": "AB", "date": "PY", "id": "UT"})
PRESETS = (
    WEB_OF_SCIENCE,
    Preset("Scopus", ("Title", "Abstract", "Year", "Source title", "EID"),
           {"title": "Title", "text": "Abstract", "date": "Year", "id": "EID"},
           ("[No abstract available]",)),
    Preset("Zotero", ("Key", "Item Type", "Title", "Abstract Note"),
           {"title": "Title", "text": "Abstract Note", "date": "Date", "id": "Key"}),
    Preset("OpenAlex", ("id", "display_name", "publication_date", "abstract_inverted_index"),
           {"title": "display_name", "text": "abstract_inverted_index",
            "date": "publication_date", "id": "id"}),
)


def detect_preset(columns) -> Preset | None:
    """The export a table's header comes from, if it is one trendkit knows.

    Examples
    --------
    >>> detect_preset(["PT", "AU", "TI", "SO", "AB", "PY", "PD", "UT"]).name
    'Web of Science'
    >>> detect_preset(["title", "abstract"]) is None
    True
    """
    present = set(map(str, columns))
    for preset in PRESETS:
        if set(preset.signature) <= present:
            return preset
    return None


def wos_dates(raw: pd.DataFrame) -> pd.Series:
    """Web of Science: ``PD`` (``MAR 15``, ``MAR``, ``SPR``) with ``PY`` where it names a month.

    Examples
    --------
    >>> wos_dates(pd.DataFrame({"PY": ["2021", "2020"], "PD": ["MAR 15", "SPR"]})).tolist()
    ['MAR 15 2021', '2020']
    """
    year = raw["PY"].astype(object).where(raw["PY"].notna(), "").astype(str).str.strip()
    if "PD" not in raw.columns:
        return year
    months = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
    pd_field = raw["PD"].astype(object).where(raw["PD"].notna(), "").astype(str).str.strip()
    has_month = pd_field.str.upper().str.match(rf"^({months})\b") & (year != "")
    return (pd_field + " " + year).where(has_month, year)
