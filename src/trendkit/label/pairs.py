"""Two-part theme names: "soft actuators", "UAV flight", "hand & grasping".

A theme whose best name is one word ("actuator", "hand", "map") is often named by two
that score nearly alike: the word says half of what the theme is about. Where a second
candidate of the theme scores :data:`PAIR_SHARE` of the first and says something else,
the name holds both: as the compound the texts write ("soft actuators", in
:data:`COMPOUND` of the documents using both words), else joined by "&" ("map & SLAM"),
as a reader names a theme of two sides ("LLM serving & scheduling"). A word the texts
nearly always put before another (an adjective such as "soft") is never joined by "&".
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

PAIR_SHARE = 0.5  # the second candidate's score (specificity x use) against the first's
COMPOUND = 0.3  # share of the documents using both words that write them side by side
QUALIFIER = 0.6  # a word with an adjective's ending followed by another this often ("linear")
ALWAYS = 0.9  # ... and any word followed by another this often ("soft")
# Adjective endings: a noun that qualifies another ("insulin resistance", "bandit
# algorithms") still names a side of a theme, as no adjective does ("optimal", "linear").
ADJECTIVE = ("al", "ar", "ive", "ic", "ous", "able", "ible", "ary", "less", "ful", "ed")
PREFIX = 6  # words that begin alike are variants ("summaries", "summarization")


def plural_pattern(term: str) -> str:
    """A pattern for a term, plural or not ("actuator" matches "actuators").

    Examples
    --------
    >>> [bool(re.fullmatch(plural_pattern("soft actuators"), t, re.I))
    ...  for t in ("Soft actuator", "soft  actuators", "soft actuation")]
    [True, True, False]
    """
    return r"\s+".join(re.escape(re.sub(r"s$", "", w)) + r"s?" for w in term.split())


def unit(term: str, acronyms: dict | None = None) -> bool:
    """Whether ``term`` is a unit ("mg", "ms"): two letters, and no acronym the texts define.
    A unit never names a theme, alone or as a second part.

    Examples
    --------
    >>> unit("mg"), unit("RL", {"RL": "reinforcement learning"}), unit("slam")
    (True, False, False)
    """
    return len(term) < 3 and term not in (acronyms or {})


def compound(first: str, second: str, texts) -> str | None:
    """How the texts write the two terms side by side, where they often do; else None.

    Examples
    --------
    >>> texts = ["Soft actuators bend.", "A soft actuator and its soft skin.", "Actuator."]
    >>> compound("actuator", "soft", texts)
    'soft actuator'
    >>> compound("hand", "grasping", ["The hand is dexterous; grasping is hard."]) is None
    True
    """
    a, b = plural_pattern(first), plural_pattern(second)
    pair = re.compile(rf"\b(?:{a}\s+{b}|{b}\s+{a})\b", re.I)
    uses_a, uses_b = re.compile(rf"\b{a}\b", re.I), re.compile(rf"\b{b}\b", re.I)
    forms: dict[str, int] = {}
    both = 0
    for text in map(str, texts):
        if not (uses_a.search(text) and uses_b.search(text)):
            continue
        both += 1
        for written in {" ".join(m.group(0).lower().split()) for m in pair.finditer(text)}:
            forms[written] = forms.get(written, 0) + 1
    seen = sum(forms.values())
    if not forms or seen < 2 or seen < COMPOUND * both:
        return None
    return max(sorted(forms), key=forms.get)


def qualifier(word: str, texts) -> bool:
    """Whether ``word`` is an adjective: the texts put it before another word in
    :data:`QUALIFIER` of its uses where it has an adjective's ending (:data:`ADJECTIVE`),
    else in :data:`ALWAYS` of them.

    Examples
    --------
    >>> qualifier("soft", ["soft robots", "soft skin and soft grippers"])
    True
    >>> qualifier("grasping", ["grasping objects", "robust grasping.", "grasping is hard"])
    False
    >>> qualifier("linear", ["linear bandits", "linear models", "it is linear"])
    True
    >>> qualifier("insulin", ["insulin resistance", "insulin secretion", "and insulin."])
    False
    """
    if " " in word:
        return False
    after = re.compile(rf"\b{plural_pattern(word)}\b(?:\s+([a-z][a-z0-9-]*))?", re.I)
    followed = total = 0
    for text in map(str, texts):
        for match in after.finditer(text):
            total += 1
            followed += bool(match.group(1)) and match.group(1).lower() not in ENGLISH_STOP_WORDS
    needed = QUALIFIER if word.lower().endswith(ADJECTIVE) else ALWAYS
    return total > 0 and followed >= needed * total


def partner(ranked: list[tuple[str, float]], first: str, says,
            acronyms: dict | None = None) -> str | None:
    """The candidate after ``first`` in ``ranked`` (best first, with scores) that scores
    :data:`PAIR_SHARE` of it and says none of what it says (``says``: term -> words),
    nor a variant of it (the first :data:`PREFIX` letters alike), and is no unit
    ("mg": a word of two letters, unless one of ``acronyms``).

    Examples
    --------
    >>> ranked = [("hand", 1.0), ("hands", 0.9), ("grasping", 0.8), ("gripper", 0.3)]
    >>> partner(ranked, "hand", lambda t: {t.rstrip("s")})
    'grasping'
    >>> partner(ranked, "grasping", lambda t: {t.rstrip("s")}) is None
    True
    """
    scores = dict(ranked)
    if first not in scores:
        return None
    start = [t for t, _ in ranked].index(first)
    for term, score in ranked[start + 1:]:
        if score < PAIR_SHARE * scores[first]:
            return None
        variant = any(a[:PREFIX] == b[:PREFIX] for a in term.split() for b in first.split())
        if not (says(term) & says(first) or variant or unit(term, acronyms)):
            return term
    return None


def paired(name: str, term: str, tier: list[tuple[str, float]], texts, *, says, new,
           acronyms: dict, show, max_words: int) -> str | None:
    """A lone-word ``name`` (of candidate ``term``) with its :func:`partner` in ``tier``:
    their :func:`compound`, else both joined by "&" where neither is an adjective; None
    where there is no partner, or the name would be too long or not ``new`` (``show``:
    how a term is written, acronyms in capitals).

    Examples
    --------
    >>> texts = ["The hand, with tendons.", "Grasping objects.", "A hand. Grasping."]
    >>> paired("hand", "hand", [("hand", 1.0), ("grasping", 0.9)], texts, says=lambda t: {t},
    ...        new=lambda n: True, acronyms={}, show=str, max_words=4)
    'hand & grasping'
    """
    other = partner(tier, term, says, acronyms)
    if other is None:
        return None
    joined = compound(term, other, texts)
    if joined is not None:
        joined = show(joined)  # as the texts write it, acronyms in capitals: "UAV flight"
    # "&" joins two nouns: not an adjective ("optimal & bounds", "weight & nutritional")
    elif not (qualifier(term, texts) or qualifier(other, texts)):
        joined = f"{name} & {show(other)}"
    if joined is None or len(joined.replace(" & ", " ").split()) > max_words or not new(joined):
        return None
    return joined
