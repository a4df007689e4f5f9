"""Declared themes: a TOML file of theme names and seed phrases (``--themes``)."""

from __future__ import annotations

from pathlib import Path

from ..errors import TrendkitError


def read_toml(path, kind: str) -> dict:
    """A TOML file as a dict, with one-line errors naming the file and ``kind`` of file."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TrendkitError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TrendkitError(f"{path}: not a valid {kind} TOML file ({exc})") from exc


def read_themes(path) -> tuple[dict[str, list[str]], float | None]:
    r"""Declared themes from a TOML file: ``[name] phrases = [...]``.

    An optional top-level ``threshold = 0.35`` sets the similarity cut-off.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "themes.toml"
    >>> _ = p.write_text('threshold = 0.35\n[moe-serving]\nphrases = ["mixture of experts"]\n')
    >>> read_themes(p)
    ({'moe-serving': ['mixture of experts']}, 0.35)
    """
    path = Path(path)
    data = read_toml(path, "themes")
    threshold = data.pop("threshold", None)
    themes = {}
    for name, table in data.items():
        phrases = table.get("phrases") if isinstance(table, dict) else None
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise TrendkitError(f"{path}: theme [{name}] needs phrases = [\"...\", ...]")
        themes[str(name)] = [p.strip() for p in phrases]
    if not themes:
        raise TrendkitError(f"{path}: declares no themes")
    if threshold is not None and not isinstance(threshold, (int, float)):
        raise TrendkitError(f"{path}: threshold must be a number")
    return themes, threshold
