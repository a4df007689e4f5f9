"""Theme names a reader would write: one short phrase per theme (``topic_name``).

The keyword triple (``topic_label``) lists what is specific to a theme; a name says
what it is about. Candidates are the theme's own keyphrases (the corpus's 1–3-word
n-grams, ranked by class-based TF-IDF and kept diverse, see
:func:`~trendkit.label.names.name_topics`), checked against the theme's documents
(a name must be used by :data:`MIN_USE` of them where any candidate is), the theme's
own terms first (:data:`OWN` of the documents using them are the theme's). A phrase beats
a single word unless the word is far more specific (:data:`PHRASE_SHARE`), and is
written as the documents write it ("mixture of experts", not the n-gram "mixture
experts"); a generic head word ("solutions", "control", "training") never stands
alone; an acronym is written out where the corpus defines it: "constraint programming
(CP)" where the texts write "CP" in capitals. A theme's lone word takes its next own term
where that scores nearly as well ("soft actuators", "map & SLAM"; :mod:`.pairs`). At most
:data:`MAX_WORDS` words, the acronym aside; no two themes' names say the same, and a
sub-theme's says more than its theme's (or the second side of a name joined by "&").
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..text import STOP_WORDS
from .acronyms import (
    STOP,
    acronym_casing,
    acronym_key,
    capital,
    defined_acronyms,
    shown,
    written_out,
)
from .pairs import paired, plural_pattern, unit
from .terms import term_key

MAX_WORDS = 4
OWN = 0.25  # share of the documents using a name that are the theme's (see theme_name)
MIN_USE = 0.15  # share of the theme's documents that use a name (where any candidate is)
# Words too general to name a theme on their own (they may head a phrase: "motion control").
GENERIC = frozenset(term_key(w) for w in """
    solution solutions control computing computation training method methods approach
    approaches model models framework frameworks system systems performance result results
    problem problems task tasks data analysis study studies paper application applications
    algorithm algorithms technique techniques network networks learning optimization design
    process efficiency efficient large-scale novel robust effective scalable deep neural
    general new based using work research tool tools feature features image images patient
    large-scale fine-tuning state-of-the-art real-world end-to-end data-driven multi-task
    function functions objective objectives property properties
    patients treatment clinical case cases effect effects level levels use time high low
    """.split())


PHRASE_SHARE = 0.4  # a phrase names the theme if it scores this share of the best word
CONTINUED = 0.5  # a phrase the texts continue with one word this often takes the word
ALWAYS = 0.8  # ... and with a general noun ("networks") this often
MODIFIER = 0.85  # a word followed by another this often is a qualifier (an adjective)
EXTENDED = 0.3  # a lone word the texts precede with one word this often (of its documents) takes it


def extend_word(word: str, texts, allowed: set[str] | None = None) -> str:
    """A specific word with the word the texts most often put before or after it, where
    they often do (in :data:`EXTENDED` of the documents using it): "serving" -> "llm
    serving", "experts" -> "mixture of experts", "internal" -> "internal representations";
    the word itself otherwise. With ``allowed`` (the words of the theme's own keyphrases)
    only those may be added: a verb that often precedes the word ("construct surrogate")
    is not one of a theme's keyphrases.

    Examples
    --------
    >>> texts = ["A mixture-of-experts layer routes each token to two experts.",
    ...          "Sparse mixture of experts: experts specialise, experts idle.", "Experts."]
    >>> extend_word("experts", texts)
    'mixture of experts'
    >>> extend_word("internal", ["We probe internal representations.",
    ...                          "Internal representations of LLMs encode truth."])
    'internal representations'
    >>> extend_word("causal", ["Causal inference from data.", "Causal effects, causal inference",
    ...                        "causal discovery", "causal graphs", "causal structure"])
    'causal inference'
    """
    if texts is None or " " in word:
        return word
    stem = plural_pattern(word)  # "experts" or "expert"
    # only "of" may sit between ("mixture of experts"): after an article or a verb's
    # object marker the word before is outside the noun phrase ("builds a surrogate")
    before = re.compile(r"\b([a-z][a-z0-9]*)\s+(?:(of)\s+)?(" + stem + r")\b", re.I)
    after = re.compile(r"\b(" + stem + r")\s+([a-z][a-z0-9]*)\b", re.I)

    def fits(w: str, head: bool = False) -> bool:  # not "this surrogate"
        # a general word may head the phrase ("language models"), not qualify it
        general = term_key(w) in GENERIC  # never among a theme's specific keyphrases
        stop = ENGLISH_STOP_WORDS if head else STOP_WORDS  # the corpus's "models" may head
        return (w not in stop and (head or not general)
                and (allowed is None or w in allowed or (head and general)))

    # counted per document: a theme's head word ("experts") recurs in every sentence of
    # its abstracts, while the compound that names it comes once or twice in each
    found: dict[tuple, int] = {}
    nouns: dict[tuple, int] = {}  # the words after it, whether keyphrase words or not
    total = uses = modified = 0
    plain, times_used = re.sub(r"s$", "", word).lower(), re.compile(r"\b" + stem + r"\b", re.I)
    ascii_word = plain.isascii()
    for text in map(str, texts):
        # no use of the word, so nothing to count (most texts, for most words); only where
        # both are ASCII: re.I matches "ı" with "i", which lower() does not make one
        if ascii_word and text.isascii() and plain not in text.lower():
            continue
        text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text, flags=re.I)  # mixture-of-experts
        n = len(times_used.findall(text))
        total, uses = total + (n > 0), uses + n
        pairs = [(m.group(1).lower(), m.group(2).lower()) for m in after.finditer(text)]
        modified += sum(w not in STOP_WORDS for _, w in pairs)
        for key in {(a, w) for a, w in pairs if w not in ENGLISH_STOP_WORDS}:
            nouns[key] = nouns.get(key, 0) + 1
        keys = {(m.group(1).lower(), (m.group(2) or "").lower(), m.group(3).lower())
                for m in before.finditer(text) if fits(m.group(1).lower())}
        keys |= {(a, w) for a, w in pairs if fits(w, head=True)}
        for key in keys:
            found[key] = found.get(key, 0) + 1
    best, times = max(found.items(), key=lambda kv: kv[1], default=(None, 0))
    needed = EXTENDED * total
    if times < needed and nouns and modified >= MODIFIER * uses:
        # a word nearly always followed by another ("causal inference", "causal effects") is a
        # qualifier: alone it names nothing, so it takes its commonest noun (seen twice at least)
        (best, times), needed = max(nouns.items(), key=lambda kv: kv[1]), 2
    if best is None or times < needed:
        return word
    return " ".join(part for part in best if part)


def surface(term: str, texts) -> str:
    """How the texts write a keyphrase whose stop words were dropped ("mixture experts" ->
    "mixture of experts"); the term itself when they never do otherwise."""
    words = term.split()
    if len(words) < 2 or texts is None:
        return term
    gap = r"(?:\s+(?:" + "|".join(sorted(STOP)) + r"))*\s+"
    pattern = re.compile(r"\b(" + gap.join(re.escape(w) for w in words) + r")\b(?:\s+([a-z]+))?",
                         re.I)
    forms: dict[str, int] = {}
    after: dict[str, dict[str, int]] = {}  # by stem: "network" and "networks" are one noun
    for text in texts:
        for match in pattern.finditer(str(text)):
            form = " ".join(match.group(1).lower().split())
            forms[form] = forms.get(form, 0) + 1
            if match.group(2):
                seen = after.setdefault(term_key(match.group(2).lower()), {})
                seen[match.group(2).lower()] = seen.get(match.group(2).lower(), 0) + 1
    if not forms:
        return term
    best = max(forms, key=forms.get)
    # "minimally invasive" is nearly always "minimally invasive surgery": name the noun too
    seen, times = max(((v, sum(v.values())) for v in after.values()), key=lambda kv: kv[1],
                      default=({"": 0}, 0))
    word = max(seen, key=seen.get)
    # a general noun may head the phrase where the texts nearly always add it ("graph
    # neural networks", not "mixture of experts model"); a stop word never
    needed = ALWAYS if term_key(word) in GENERIC else CONTINUED
    if (times >= needed * sum(forms.values()) and word not in ENGLISH_STOP_WORDS
            and len(best.split()) < MAX_WORDS):
        best = f"{best} {word}"
    return best


def _usable(term: str, acronyms: dict) -> bool:
    words = term.split()  # a hyphenated word ("large-scale") is one word
    if len(term.replace("-", " ").split()) > MAX_WORDS:
        return False
    if len(words) == 1:  # a lone word must be specific (an acronym is, written out), and
        # no unit ("mg", "ms"): two letters name a theme only as an acronym the texts define
        return term in acronyms or (term_key(term) not in GENERIC and not unit(term, acronyms))
    return not all(term_key(w) in GENERIC for w in words)


def _says(name: str) -> frozenset:
    """What a name says: its content words, variants as one, the acronym aside."""
    return frozenset(term_key(w) for w in name.lower().split("(")[0].split()
                     if w not in STOP and w != "&")


def _ranked(candidates: list[tuple[str, float]], use: dict) -> list[tuple[str, float]]:
    """Specific to the theme (c-TF-IDF) and common in it (a name covers its documents);
    the best phrase first if it scores :data:`PHRASE_SHARE` of the best word."""
    ranked = sorted([(t, s * use.get(t, 1.0)) for t, s in candidates], key=lambda c: -c[1])
    words = [c for c in ranked if len(c[0].split()) == 1]
    phrases = [c for c in ranked if len(c[0].split()) > 1]
    if words and phrases and phrases[0][1] >= PHRASE_SHARE * words[0][1]:
        return phrases + words
    return ranked


def _with_definitions(paired: dict[str, str], defined: dict[str, str]) -> dict[str, str]:
    """Acronyms paired by initials in the vocabulary, overruled where the texts define one
    otherwise: in robotics' scan-matching papers "slam" co-occurs with "scans acquired",
    whose initials it spells with letters skipped, while the texts write "simultaneous
    localization and mapping (SLAM)". Where both agree the vocabulary's form is kept.

    Examples
    --------
    >>> _with_definitions({"slam": "scans acquired", "moe": "mixture experts"},
    ...                   {"slam": "simultaneous localization and mapping",
    ...                    "moe": "mixture-of-experts", "cp": "constraint programming"})
    {'slam': 'simultaneous localization and mapping', 'moe': 'mixture experts', \
'cp': 'constraint programming'}
    """
    def says(phrase: str) -> frozenset:  # "mixture-of-experts" says what "mixture experts" does
        return _says(phrase.replace("-", " "))

    kept = {a: p for a, p in paired.items() if a not in defined or says(p) == says(defined[a])}
    return {**defined, **kept}


def theme_name(pool: list[tuple[str, float]], use: dict[str, float], acronyms: dict[str, str],
               taken: set[str], texts=None, own: dict[str, float] | None = None,
               within: str | None = None, others: set[str] | None = None) -> str:
    """The name of one theme from its scored keyphrases (best first).

    ``use``: share of the theme's documents using each term; ``taken``: names of other
    themes (the name returned is added to it); ``texts``: the theme's documents, for how
    they write a phrase and the acronyms they define; ``own``: share of the documents
    using each term that are the theme's. Among the terms used enough (:data:`MIN_USE`;
    all of them where none is), those the theme owns (:data:`OWN`) come first.
    ``within``: the theme's name when this is a sub-theme ("segmentation" says nothing
    under "medical image segmentation"). ``others``: terms whose words another theme's
    keyword label holds, which never join a name as its second part (:func:`.paired`).

    Candidates are scored by specificity times use (c-TF-IDF x the share of the theme's
    documents using them). The best phrase (two words or more) names the theme if it
    scores :data:`PHRASE_SHARE` of the best specific word; else that word, with the word
    the texts often put before it (:func:`extend_word`).

    Examples
    --------
    >>> pool = [("solutions", 2.0), ("cp", 1.5), ("job shop", 0.4), ("scheduling", 1.0)]
    >>> theme_name(pool, {}, {"cp": "constraint programming"}, set())
    'constraint programming (CP)'
    >>> theme_name([("requests", 0.1), ("llm serving", 0.06)], {}, {"llm": "x y"}, set())
    'LLM serving'
    """
    cased = acronym_casing(texts) if texts is not None else None  # None: no texts to ask
    vocabulary = {w.lower() for t, _ in pool for w in t.split()}
    if texts is not None:
        acronyms = _with_definitions(acronyms, defined_acronyms(texts))
    candidates = [(t, s) for t, s in pool if _usable(t, acronyms)]
    used = [(t, s) for t, s in candidates if use.get(t, 1.0) >= MIN_USE] or candidates
    # the theme's own first: a word the documents of many themes use ("camera" in robotics)
    # is common in each of them, and names none of them while another candidate can
    own = own or {}
    mine = [c for c in used if own.get(c[0], 1.0) >= OWN]
    tiers = [_ranked(mine, use), _ranked([c for c in used if c not in mine], use)]
    order = tiers[0] + tiers[1]
    said = {_says(t) for t in taken}  # "hand fingers" says what "hand and fingers" says
    inner = _says(within) if within else None
    # "brain & depression" took its second side from a sub-theme, which may still say it
    second = _says(within.split(" & ", 1)[1]) if within and " & " in within else None

    def new(name: str) -> bool:  # a sub-theme's name says something its theme's does not
        says = _says(name)
        return says not in said and (inner is None or not says <= inner or says == second)

    for term, score in order:
        written = acronym_key(term, acronyms) is not None and capital(term, acronyms, cased)
        form = term if written else extend_word(term, texts, vocabulary)  # written out below
        if len(form.split()) > 1:  # as the texts write it, its head noun included
            form = surface(form, texts)
        name = written_out(form, acronyms, cased, MAX_WORDS)
        if (len(name.split()) == 1 and within is None and texts is not None and new(name)
                and (term, score) in tiers[0]):
            # a theme's lone word with its next own term: "actuator" -> "soft actuators".
            # Not a sub-theme's: beside its theme's name one word says what it adds.
            tier = [c for c in tiers[0] if c[0] == term or c[0] not in (others or ())]
            name = paired(name, term, tier, texts, says=_says, new=new, acronyms=acronyms,
                          show=lambda t: shown(t, acronyms, cased), max_words=MAX_WORDS) or name
        if len(name.split("(")[0].split()) <= MAX_WORDS and new(name):
            taken.add(name.lower())
            return name
    # every candidate blocked: the first keyphrase that says something new, else a numbered one
    name = next((n for n in (shown(t, acronyms, cased) for t, _ in pool) if new(n)), None)
    if name is None:
        base = shown(pool[0][0], acronyms, cased) if pool else "unnamed"
        name = next(f"{base} ({k})" for k in range(2, len(taken) + 3)
                    if f"{base} ({k})".lower() not in taken)
    taken.add(name.lower())
    return name
