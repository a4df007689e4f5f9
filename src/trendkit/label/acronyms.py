"""Acronyms as the texts define and write them: "constraint programming (CP)", "MoE".

A theme's name writes an acronym out where the corpus defines it
(:func:`defined_acronyms`) and the texts write it in capitals (:func:`capital`), in the
letters the texts use (:func:`acronym_casing`), and gives a phrase its acronym back
(:func:`written_out`).
"""

from __future__ import annotations

import re

from .terms import term_key

STOP = frozenset("of the and for in on to a an with via by from".split())


def defined_acronyms(texts) -> dict[str, str]:
    """``{acronym: long form}`` as the texts define them: "mixture of experts (MoE)".

    The words before a parenthesised acronym whose initials (stop words may be skipped,
    hyphenated parts count) spell it, as Schwartz & Hearst (2003) find definitions.

    Examples
    --------
    >>> defined_acronyms(["We use constraint programming (CP) and mixture-of-experts (MoE)."])
    {'cp': 'constraint programming', 'moe': 'mixture-of-experts'}
    """
    found: dict[str, dict[str, int]] = {}
    for text in texts:
        for short, before in _definitions(str(text)):
            if sum(c.isupper() for c in short) < 2:
                continue
            letters = re.sub(r"s$", "", short).lower()
            words = before.split()
            for k in range(1, min(len(words), len(letters) + 3) + 1):
                tail = words[-k:]
                parts = [p.lower() for w in tail for p in w.split("-") if p]
                if tail[0].lower() in STOP:
                    continue
                if _spells(letters, parts) or "".join(w[0] for w in tail).lower() == letters:
                    long = " ".join(tail).lower()
                    found.setdefault(letters, {}).setdefault(long, 0)
                    found[letters][long] += 1
                    break
    return {a: max(forms, key=forms.get) for a, forms in found.items()}


_PARENTHESISED = re.compile(r"\(([A-Za-z][A-Za-z0-9]{1,7})\)")
# Up to 7 words, each followed by white space, read backwards from a parenthesis: on the
# reversed text one anchored match finds them, where a forward search tried every start.
_WORDS_BEFORE_REVERSED = re.compile(r"(?:\s+[\w-]+){1,7}")
_WINDOW = 1000  # characters before a parenthesis searched for its (at most 7) words


def _words_before(text: str, low: int, start: int) -> int | None:
    r"""Where the (at most 7) words before ``start`` begin, not before ``low``: the start of
    ``(?:[\w-]+\s+){1,7}\Z`` searched in ``text[low:start]``; None without one."""
    match = _WORDS_BEFORE_REVERSED.match(text[low:start][::-1])
    return None if match is None else start - match.end()


def _definitions(text: str):
    """``(acronym, up to 7 words before it)`` for each parenthesised acronym that follows
    words and a space: what ``((?:[\\w-]+\\s+){1,7}?)\\((ACRONYM)\\)`` finds, without
    that pattern's backtracking from every position of the text (0.3 s a theme of 500
    arXiv abstracts, a third of a 20,000-abstract run's clustering and naming)."""
    end = 0  # where the last definition ended: words are not shared between two
    for match in _PARENTHESISED.finditer(text):
        start = match.start()
        near = max(end, start - 200)  # 7 words nearly always fit; look further only where cut
        first = _words_before(text, near, start)
        if first is not None and first == near > end:
            first = _words_before(text, max(end, start - _WINDOW), start)
        if first is not None:
            end = match.end()
            yield match.group(1), text[first:start]


def _spells(letters: str, parts: list[str]) -> bool:
    """Whether the parts' initials spell ``letters``, stop words' initials optional."""
    if not parts:
        return not letters
    head, rest = parts[0], parts[1:]
    if letters and head[0] == letters[0] and _spells(letters[1:], rest):
        return True
    return head in STOP and _spells(letters, rest)


def acronym_key(word: str, acronyms: dict) -> str | None:  # "llms" -> "llm"; None: no acronym
    return next((key for key in (word, re.sub(r"s$", "", word)) if key in acronyms), None)


def capital(word: str, acronyms: dict, casing: dict | None) -> bool:
    """Whether the texts write ``word`` (or its singular) in capitals.

    A word the texts write in lower case is a word, whatever one text defines: the "map"
    of SLAM is no "maximum a posteriori (MAP)". ``casing`` None: no texts to ask, so a
    defined acronym counts as one.

    Examples
    --------
    >>> acronyms = {"map": "maximum a posteriori", "llm": "large language model"}
    >>> capital("map", acronyms, {}), capital("llms", acronyms, {"llm": "LLM"})
    (False, True)
    """
    return casing is None or word in casing or acronym_key(word, acronyms) in casing


def shown(term: str, acronyms: dict, casing: dict | None = None) -> str:
    """Acronyms as the texts write them ("llms" -> "LLMs"; without texts, a defined acronym
    in capitals); other words as the corpus wrote them."""
    out = []
    for word in term.split():
        if casing and word in casing:  # the texts write it in capitals: "LLM", "GPUs"
            out.append(casing[word])
        elif (stem := acronym_key(word, acronyms)) is not None and capital(stem, acronyms,
                                                                            casing):
            out.append((casing or {}).get(stem, stem.upper()) + ("s" if stem != word else ""))
        else:
            out.append(word)
    return " ".join(out)


def written_out(term: str, acronyms: dict, casing: dict | None = None,
                max_words: int = 4) -> str:
    """A lone acronym written out, a phrase given its acronym: "cp" -> "constraint
    programming (CP)", "constraint programming" -> the same; only acronyms the texts
    write in capitals (:func:`capital`).

    Examples
    --------
    >>> written_out("knowledge graphs kgs", {"kg": "knowledge graphs"}, {"kg": "KG"})
    'knowledge graphs (KGs)'
    >>> written_out("knowledge graphs kgs", {"kg": "knowledge graphs"}, {})
    'knowledge graphs kgs'
    """
    key = acronym_key(term, acronyms)  # "llms" is "llm"'s plural
    if key is not None and capital(term, acronyms, casing) \
            and len(acronyms[key].split()) <= max_words:
        return f"{acronyms[key]} ({shown(term, acronyms, casing)})"
    for acronym, phrase in acronyms.items():
        if phrase == term and len(acronym) >= 2 and capital(acronym, acronyms, casing):
            return f"{term} ({shown(acronym, acronyms, casing)})"
    *rest, last = term.split() or [""]  # "knowledge graphs kgs": a keyphrase that swallowed
    # its acronym (the tokenizer drops the parentheses of "knowledge graphs (KGs)")
    key = acronym_key(last, acronyms)
    if rest and key is not None and capital(last, acronyms, casing) \
            and term_key(" ".join(rest)) == term_key(acronyms[key]):
        return f"{' '.join(rest)} ({shown(last, acronyms, casing)})"
    return shown(term, acronyms, casing)


def acronym_casing(texts) -> dict[str, str]:
    """How the texts write their acronyms: "moe" -> "MoE" (the commonest way)."""
    seen: dict[str, dict[str, int]] = {}
    plain: dict[str, int] = {}
    for text in () if texts is None else texts:
        for token in re.findall(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b", str(text)):
            if sum(c.isupper() for c in token) < 0.5 * len(token):  # "PRompt" is a pun
                continue
            forms = seen.setdefault(token.lower(), {})
            forms[token] = forms.get(token, 0) + 1
        for token in re.findall(r"\b[a-z][a-z]+\b", str(text)):  # the word in lower case
            plain[token] = plain.get(token, 0) + 1
    # a word the texts mostly write in lower case is a word, whatever one shouting
    # title does ("UNCERTAINTY"); an acronym is written in capitals nearly always
    return {k: max(v, key=v.get) for k, v in seen.items() if sum(v.values()) > plain.get(k, 0)}
