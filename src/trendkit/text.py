"""Text shared by every stage: what gets embedded, stop words, the term vectorizer.

Boilerplate words ("propose", "results", "state-of-the-art") appear in most
abstracts whatever their subject; left in, they dominate theme names. The
embedder, the labeller, per-period terms and the quality scores all tokenise
with these stop words and :data:`TOKEN_PATTERN`, through :func:`term_vectorizer`
or its faster equal :func:`trendkit.tokens.count_terms`, so a "term" means the
same thing everywhere.
"""

from __future__ import annotations

from typing import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

SCIENTIFIC_BOILERPLATE = frozenset("""
paper papers propose proposed proposes proposing approach approaches method methods
result results show shows shown showing demonstrate demonstrates demonstrated novel
new existing work works study studies present presents presented introduce introduces
introduced based using use used uses achieve achieves achieved achieving performance
state art state-of-the-art sota significantly significant outperform outperforms
outperforming experiments experimental extensive evaluate evaluated evaluation
framework frameworks task tasks model models modeling problem problems
furthermore moreover additionally however various different effective effectively
efficient efficiently improve improves improved improving improvement improvements
able key recent recently challenge challenges challenging compared comparison
code available github https http com www org provide provides provided
address addresses addressing leverage leverages leveraging enable enables enabling
specifically particular particularly including include includes demonstrating
conduct conducted benchmark benchmarks dataset datasets data superior
via well also high low large small better best like i.e e.g et al
previous prior first second third one two three four five six
substantial substantially simple simply effectiveness efficiency
current currently often across within without towards toward given
analysis analyze investigate investigates explore explores exploring
design designed develop developed development paradigm
""".split())

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | SCIENTIFIC_BOILERPLATE

# Words start with a letter (any script) and may hold digits and hyphens:
# "llm", "gpt-4", "u-net", "réseaux"; bare numbers and symbols are not words.
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w\-]+\b"


def document_texts(titles: Sequence[str], texts: Sequence[str]) -> list[str]:
    """What gets embedded for each document: ``"Title. Abstract"`` (the abstract alone
    without a title). One definition, so fitting, assigning and caching agree.

    Examples
    --------
    >>> document_texts(["MoE", ""], ["Experts route tokens.", "No title here."])
    ['MoE. Experts route tokens.', 'No title here.']
    """
    return [f"{title}. {text}" if title else str(text) for title, text in zip(titles, texts)]


def term_vectorizer(cls=CountVectorizer, **options):
    """A scikit-learn text vectorizer with trendkit's stop words and token pattern.

    Examples
    --------
    >>> vectorizer = term_vectorizer(ngram_range=(1, 2)).fit(["sparse experts route tokens"])
    >>> vectorizer.get_feature_names_out().tolist()
    ['experts', 'experts route', 'route', 'route tokens', 'sparse', 'sparse experts', 'tokens']
    """
    return cls(stop_words=sorted(STOP_WORDS), token_pattern=TOKEN_PATTERN, **options)


def common_word_share(texts: Sequence[str], *, max_df: float = 0.5, sample: int = 1000,
                      random_state: int = 0) -> float:
    """Share of word occurrences that belong to words found in over ``max_df`` of documents.

    Themes are told apart by words some documents use and others do not; when
    nearly all the text is words most documents share, the corpus is one theme.
    Measured on a seeded sample of ``sample`` documents.

    Examples
    --------
    >>> common_word_share(["graph neural networks", "neural graph networks", "networks graph"])
    1.0
    >>> common_word_share(["sparse experts", "job shop", "diffusion images"])
    0.0
    """
    import numpy as np

    from .sampling import sample_rows

    texts = list(texts)
    texts = [texts[i] for i in sample_rows(len(texts), sample, random_state)]
    try:
        counts = term_vectorizer().fit_transform(texts)
    except ValueError:  # no words at all
        return 0.0
    doc_share = np.asarray((counts > 0).mean(axis=0)).ravel()
    totals = np.asarray(counts.sum(axis=0)).ravel()
    return float(totals[doc_share > max_df].sum() / max(totals.sum(), 1))
