"""Terms that mean the same: variants, acronyms, and a diverse pick of a theme's terms.

A small rule-based stemmer (:func:`term_key`) makes "llms"/"llm" and "editing"/"edits"
one term; :func:`acronym_map` pairs "rl" with "reinforcement learning" where the
corpus uses them together; :func:`diverse_terms` picks terms that do not repeat each
other's words.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from scipy import sparse

# One plural ending, then one inflection, is dropped: "loss", "focus", "basis"
# and _NOT_PLURAL keep their "s"; stems keep 3+ letters ("thing", "need", "embed").
_NOT_PLURAL = frozenset("bias gas atlas canvas alias lens news series species chaos".split())
_PLURALS = tuple((re.compile(p), stem) for p, stem in (
    (r"(..)ies$", r"\1y"), (r"(ss|x|ch|sh)es$", r"\1"), (r"(^..?i|[^sui])s$", r"\1")))
_INFLECTIONS = tuple((re.compile(p), stem) for p, stem in (
    (r"(...)ied$", r"\1y"), (r"(...)ing$", r"\1"), (r"(...[^e])ed$", r"\1"),
    (r"(ion|ur)al$", r"\1")))  # "emotional", "structural" too
_SAME_ENDING = re.compile(r"(..)([^aeious])\2$")
_SILENT_E = re.compile(r"(...)e$")
# Letters an acronym may hold for a dropped stop word, never first: "moe" = mixture
# (of) experts; "m" (model) only last, perhaps with an "l" (large): "mllm" =
# multimodal (large) language (model). Not "a" (and): "case" would be "cs".
_SKIPPABLE = frozenset("oftiwl")


@lru_cache(maxsize=None)
def _word_key(word: str) -> str:
    w = word.lower()
    if len(w) <= 3 or w in _NOT_PLURAL:
        return w
    for rules in (_PLURALS, _INFLECTIONS):
        for pattern, stem in rules:
            w, hit = pattern.subn(stem, w)
            if hit:
                break
    # Forms end alike, silent "e" or doubled consonant: "schedul(e|ing)", "map(ping)".
    return _SAME_ENDING.sub(r"\1\2", _SILENT_E.sub(r"\1", w))


def term_key(term: str) -> str:
    """A key that singular/plural and simple inflections of a term share.

    A small rule-based stemmer, word by word: plural ``-s/-es/-ies``, ``-ing``, ``-ed``,
    a final silent ``e`` and a doubled final consonant go; "loss" stays. Never shown.

    Examples
    --------
    >>> [term_key(t) for t in ["llms", "edits", "edited", "editing", "policies", "loss"]]
    ['llm', 'edit', 'edit', 'edit', 'policy', 'loss']
    >>> term_key("Image Editing") == term_key("images edited")
    True
    """
    return " ".join(_word_key(w) for w in term.split())


def acronym_map(vocab, counts: sparse.spmatrix | None = None) -> dict[str, str]:
    """``{acronym: phrase}``: the acronyms in ``vocab`` and the phrases they abbreviate.

    A token of 2–6 letters matches a 2–4-word phrase whose initials (or its
    hyphenated parts') it spells, a letter perhaps standing for a dropped stop
    word ("moe" ↔ "mixture experts"). With ``counts`` (documents × ``vocab``)
    the phrase seen most with the acronym must share documents with it far
    beyond chance, or there is no pair; without, ambiguous acronyms are left out.

    Examples
    --------
    >>> acronym_map(["rl", "reinforcement learning", "policy", "moe", "mixture experts"])
    {'rl': 'reinforcement learning', 'moe': 'mixture experts'}
    >>> acronym_map(["llms", "large language models", "llm", "icl", "in-context learning"])
    {'llms': 'large language models', 'llm': 'large language models', 'icl': 'in-context learning'}
    """
    vocab = [str(t) for t in vocab]
    by_initials = {}
    for j, term in enumerate(vocab):
        words = term.split()
        if 2 <= len(words) <= 4 and all(w[0].isalpha() for w in words):
            parts = term.replace("-", " ").split()
            for initials in {"".join(w[0] for w in words), "".join(w[0] for w in parts)}:
                by_initials.setdefault(initials, []).append(j)

    @lru_cache(maxsize=None)  # a phrase's word keys ("video" ≠ "video depth estimation"),
    def keyed(j: int) -> frozenset:  # for the few phrases an acronym's initials fit
        return frozenset(_word_key(w) for w in vocab[j].replace("-", " ").split())

    pairs = {}
    for i, token in enumerate(vocab):
        if " " in token or not token.isalpha():  # most of the vocabulary: skip it first
            continue
        acr = _word_key(token)  # "llms" abbreviates like "llm"; "setting" is no acronym
        if acr != re.sub(r"(?<=\w\w)s$", "", token) or not 2 <= len(acr) <= 6:
            continue
        skip = [k for k in range(1, len(acr) - 1) if acr[k] in _SKIPPABLE]
        spellings = {acr} | {acr[:k] + acr[k + 1:] for k in skip}
        if acr[-1] == "m" and len(acr) > 2:
            spellings |= {acr[:-1]} | {acr[:k] + acr[k + 1:-1] for k in skip if acr[k] == "l"}
        fits = sorted({j for s in spellings for j in by_initials.get(s, []) if acr not in keyed(j)})
        if fits and (counts is not None or len(fits) == 1):
            pairs[i] = fits
    if counts is None or not pairs:
        return {vocab[i]: vocab[fits[0]] for i, fits in pairs.items()}
    presence = sparse.csc_matrix(counts > 0, dtype=np.float64)
    doc_freq, phrases = presence.sum(axis=0).A1, sorted({j for f in pairs.values() for j in f})
    column = {j: c for c, j in enumerate(phrases)}
    together = sparse.csr_matrix(presence[:, list(pairs)].T @ presence[:, phrases])
    found = {}
    for row, (i, fits) in enumerate(pairs.items()):
        # Authors define an acronym next to its phrase; a word that merely shares
        # initials with a phrase meets it about as often as chance has it.
        shared = together[row].toarray().ravel()[[column[j] for j in fits]]
        j, both = fits[int(np.argmax(shared))], shared.max()
        lift = both * presence.shape[0] / max(doc_freq[i] * doc_freq[j], 1)
        if both >= max(3, 0.3 * doc_freq[j]) and lift >= 10:
            found[vocab[i]] = vocab[j]
    return found


def _word_sets(terms, acronyms: dict[str, str], *, shown: bool = False) -> list[frozenset]:
    # Keyed words, hyphenated parts apart ("multi-agent" holds "agent"). In a theme an
    # acronym stands for its phrase's words ("rl" holds "learn"); across labels only shown
    # words count, plus a mark for what acronyms mean: "icl" keeps "learning" from no one.
    expand = {term_key(a): term_key(p.replace("-", " ")) for a, p in acronyms.items()}
    keys = [term_key(t.replace("-", " ")) for t in terms]
    if not shown:
        return [frozenset(x for w in k.split() for x in expand.get(w, w).split()) for k in keys]
    return [frozenset(k.split()) | {"=" + p for a, p in expand.items()
                                    if a in k.split() or f" {p} " in f" {k} "} for k in keys]


def diverse_terms(scored: list[tuple[str, float]], k: int = 10, *,
                  acronyms: dict[str, str] | None = None) -> list[str]:
    """Pick ``k`` terms that do not repeat each other's words.

    Words compare by :func:`term_key`, acronyms by their phrase's words
    (``acronyms``; found among the terms when None). A phrase extending chosen
    terms replaces them if it scores at least half as high ("serving" → "llm
    serving"), the same term in other words on a tie if it is the phrase ("rl"
    → "reinforcement learning"); other terms sharing a word are skipped.

    Examples
    --------
    >>> diverse_terms([("serving", 1.0), ("llm serving", 0.8), ("llm", 0.7), ("cache", 0.5)], 3)
    ['llm serving', 'cache']
    >>> diverse_terms([("llms", 1.0), ("llm", 0.9), ("rl", 0.8), ("reinforcement learning", 0.8)])
    ['llms', 'reinforcement learning']
    """
    acronyms = acronym_map([t for t, _ in scored]) if acronyms is None else acronyms
    chosen: list[tuple[str, float, frozenset]] = []
    for (term, score), words in zip(scored, _word_sets([t for t, _ in scored], acronyms)):
        overlapping = [i for i, c in enumerate(chosen) if words & c[2]]
        if not overlapping:
            chosen.append((term, score, words))
        elif all(chosen[i][2] < words for i in overlapping):
            # The phrase extends chosen words ("job", "shop" -> "job shop").
            best = max(chosen[i][1] for i in overlapping)
            if score >= 0.5 * best:
                first = overlapping[0]
                chosen[first] = (term, best, words)
                chosen = [c for i, c in enumerate(chosen) if i == first or i not in overlapping]
        elif len(overlapping) == 1 and chosen[overlapping[0]][2] == words:
            old = chosen[overlapping[0]]  # the same term in other words: on a tie, the phrase
            if score >= old[1] and term.count(" ") > old[0].count(" "):
                chosen[overlapping[0]] = (term, score, words)
        if len(chosen) >= k:
            break
    return [c[0] for c in chosen]
