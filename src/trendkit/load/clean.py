"""Text cleaning for abstracts: hard wraps, LaTeX markup, HTML entities."""

from __future__ import annotations

import html
import re

import pandas as pd

_LATEX_COMMAND_WITH_ARG = re.compile(
    r"\\(?:emph|textbf|textit|texttt|mathrm|mathbf|mathit|mathcal|text|textsc|underline|bm)\s*\{([^{}]*)\}"
)
_LATEX_CITE = re.compile(r"\\(?:cite|citep|citet|ref|eqref|url|href)\s*\{[^{}]*\}")
_LATEX_MATH = re.compile(r"\$+([^$]*)\$+")
_LATEX_BARE_COMMAND = re.compile(r"\\([A-Za-z]+)")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_WHITESPACE = re.compile(r"\s+")


def _strip_math(match: re.Match) -> str:
    # Inside math keep letters, digits and simple operators: D$^{2}$MoE -> D2MoE.
    inner = match.group(1)
    inner = _LATEX_BARE_COMMAND.sub(r"\1", inner)
    return re.sub(r"[\^_{}\\]", "", inner)


def clean_text(text: object) -> str:
    """Turn one raw abstract or title into plain single-spaced text.

    Parameters
    ----------
    text : object
        Raw value; ``None`` and NaN become the empty string.

    Returns
    -------
    str

    Examples
    --------
    >>> clean_text("D$^{2}$MoE: \\\\emph{fast}\\n experts &amp; more")
    'D2MoE: fast experts & more'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    text = str(text)
    # Each step only runs when its trigger character is present: most
    # abstracts need none of them, and 75k regex passes add up.
    if "&" in text:  # entities twice: exports sometimes double-escape (&amp;lt;)
        text = html.unescape(html.unescape(text))
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "\\" in text:
        for _ in range(3):  # nested \emph{\textbf{x}}
            text = _LATEX_COMMAND_WITH_ARG.sub(r"\1", text)
        text = _LATEX_CITE.sub("", text)
    if "$" in text:
        text = _LATEX_MATH.sub(_strip_math, text)
    if "\\" in text or "~" in text:
        text = text.replace("~", " ").replace("\\%", "%").replace("\\&", "&")
        text = _LATEX_BARE_COMMAND.sub(r"\1", text)
    return " ".join(text.replace("\x00", " ").split())


def clean_column(values: pd.Series) -> pd.Series:
    """Apply :func:`clean_text` to a column, returning strings.

    Examples
    --------
    >>> clean_column(pd.Series(["a\\n b", None])).tolist()
    ['a b', '']
    """
    return values.map(clean_text).astype(str)
