import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trendkit.text import term_vectorizer
from trendkit.tokens import count_terms

WORDS = ["experts", "route", "tokens", "the", "of", "gpt-4", "réseaux", "u-net", "shop",
         "job", "42", "proposed", "LLM", "llm", "a", "x1", "scheduling", "e.g."]
OPTIONS = [dict(ngram_range=(1, 1)), dict(ngram_range=(1, 2), min_df=2, max_df=0.5),
           dict(ngram_range=(1, 3), min_df=2), dict(ngram_range=(2, 3)),
           dict(ngram_range=(1, 2), min_df=0.01, max_df=300)]


# Word soups of a few documents, and a fixed vocabulary or none, for the property tests.
SOUPS = st.lists(st.lists(st.sampled_from(WORDS + [",", "."]), max_size=12), min_size=1,
                 max_size=15)
VOCABULARIES = st.sampled_from([None, ["route tokens", "shop", "gpt-4", "job shop scheduling"]])


def sklearn_counts(texts, **options):
    vectorizer = term_vectorizer(**options)
    counts = vectorizer.fit_transform(texts)
    return vectorizer.get_feature_names_out().tolist(), counts


@pytest.mark.parametrize("options", OPTIONS)
def test_same_vocabulary_and_counts_as_the_term_vectorizer(demo_corpus, options):
    texts = (demo_corpus["title"] + ". " + demo_corpus["abstract"]).tolist()[:400]
    vocab, counts = count_terms(texts, **options)
    expected_vocab, expected = sklearn_counts(texts, **options)
    assert vocab.tolist() == expected_vocab
    assert counts.shape == expected.shape and (counts != expected).nnz == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS + [",", ".", "\n"]), max_size=12), min_size=1,
                max_size=15),
       st.sampled_from(OPTIONS[:4]))
def test_same_as_the_term_vectorizer_on_any_word_soup(docs, options):
    # Documents of stop words only, punctuation, empty ones, n-grams across a sentence end.
    texts = [" ".join(words) for words in docs]
    try:
        expected_vocab, expected = sklearn_counts(texts, **options)
    except ValueError:
        with pytest.raises(ValueError):
            count_terms(texts, **options)
        return
    vocab, counts = count_terms(texts, **options)
    assert vocab.tolist() == expected_vocab
    assert (counts != expected).nnz == 0


def test_max_features_keeps_the_most_frequent_terms():
    texts = ["experts route tokens"] * 3 + ["job shop scheduling"] * 2 + ["rare word"]
    vocab, counts = count_terms(texts, max_features=3)
    assert vocab.tolist() == ["experts", "route", "tokens"]
    assert np.asarray(counts.sum(axis=0)).ravel().tolist() == [3, 3, 3]


def test_nothing_left_is_a_value_error_as_in_scikit_learn():
    with pytest.raises(ValueError, match="empty vocabulary"):
        count_terms(["the of and", "a an the"])
    with pytest.raises(ValueError, match="no terms remain"):
        count_terms(["experts route", "job shop"], min_df=2)
    with pytest.raises(ValueError, match="max_df"):
        count_terms(["experts route", "job shop"], min_df=2, max_df=1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS + [",", "."]), max_size=12), min_size=1,
                max_size=12),
       st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), min_size=1,
                max_size=10, unique_by=tuple),
       st.sampled_from([(1, 1), (1, 2), (1, 3), (2, 3)]))
def test_fixed_vocabulary_counts_as_the_term_vectorizer_transform(docs, terms, ngram_range):
    texts = [" ".join(words) for words in docs]
    vocabulary = [" ".join(t) for t in terms]
    if len(set(vocabulary)) < len(vocabulary):
        return
    expected = term_vectorizer(vocabulary=vocabulary, ngram_range=ngram_range).transform(texts)
    vocab, counts = count_terms(texts, ngram_range=ngram_range, vocabulary=vocabulary)
    assert vocab.tolist() == vocabulary
    assert (counts != expected).nnz == 0


@settings(max_examples=60, deadline=None)
@given(SOUPS, st.sampled_from(OPTIONS), st.randoms(use_true_random=False), VOCABULARIES)
def test_counting_some_rows_is_counting_those_texts(docs, options, rnd, vocabulary):
    """A sample counted from the whole list's tokens equals the sample tokenised alone."""
    texts = [" ".join(words) for words in docs]
    rows = rnd.sample(range(len(texts)), rnd.randint(1, len(texts)))  # any order
    options = dict(ngram_range=(1, 3)) if vocabulary else options
    try:
        expected_vocab, expected = count_terms([texts[i] for i in rows], vocabulary=vocabulary,
                                               **options)
    except ValueError:
        with pytest.raises(ValueError):
            count_terms(texts, rows=rows, vocabulary=vocabulary, **options)
        return
    vocab, counts = count_terms(texts, rows=rows, vocabulary=vocabulary, **options)
    assert vocab.tolist() == expected_vocab.tolist()
    assert counts.shape == expected.shape and (counts != expected).nnz == 0


@pytest.mark.parametrize("rows", [[1, 1], [-1, 0], [0, 2], [0.0, 1.0]])
def test_rows_must_be_distinct_positions(rows):
    with pytest.raises(ValueError, match="distinct integers from 0 to 1"):
        count_terms(["job shop", "experts"], rows=rows)


def test_a_small_sample_of_an_uncached_list_is_tokenised_alone(monkeypatch):
    from trendkit import tokens

    seen = []
    tokenise = tokens._tokenise
    monkeypatch.setattr(tokens, "_tokenise", lambda texts: seen.append(len(texts)) or
                        tokenise(texts))
    monkeypatch.setattr(tokens, "_RECENT", type(tokens._RECENT)())
    texts = [f"job shop {i}" for i in range(10)]
    assert count_terms(texts, rows=[3, 1])[1].shape == (2, 2) and seen == [2]
    count_terms(texts), count_terms(texts, rows=[3, 1])  # now cached: read from the whole
    assert seen == [2, 10]


def test_the_same_texts_are_tokenised_once_and_other_texts_anew(monkeypatch):
    from trendkit import tokens

    calls = []
    tokenise = tokens._tokenise
    monkeypatch.setattr(tokens, "_tokenise", lambda texts: calls.append(1) or tokenise(texts))
    texts = ["Sparse experts route tokens", "experts route"]
    first = count_terms(texts, ngram_range=(1, 2))
    again = count_terms(list(texts), ngram_range=(1, 2))  # equal content, another list
    assert len(calls) == 1
    assert first[0].tolist() == again[0].tolist() and (first[1] != again[1]).nnz == 0
    assert count_terms(["job shop scheduling"])[0].tolist() == ["job", "scheduling", "shop"]
    assert len(calls) == 2
    count_terms(texts)  # still one of the last two
    assert len(calls) == 2
    count_terms(["a third corpus"]), count_terms(texts)
    assert len(calls) == 3  # the third pushed out the least recently used: the job shop list
    count_terms(["job shop scheduling"])
    assert len(calls) == 4


def test_texts_that_join_alike_are_not_confused():
    assert count_terms(["job\x1fshop", "route"])[1].shape == (2, 3)
    assert count_terms(["job", "shop\x1froute"])[1].toarray().tolist() == [[1, 0, 0], [0, 1, 1]]


def test_tokenising_in_chunks_numbers_words_as_in_one_pass(demo_corpus):
    from trendkit.tokens import _tokenise

    texts = (demo_corpus["title"] + ". " + demo_corpus["abstract"]).tolist()[:300]
    chunked, whole = _tokenise(texts, chunk=7), _tokenise(texts, chunk=10_000)
    assert all(np.array_equal(a, b) for a, b in zip(chunked, whole))


@settings(max_examples=60, deadline=None)
@given(SOUPS, st.sampled_from(OPTIONS), st.randoms(use_true_random=False), VOCABULARIES)
def test_texts_of_a_cached_list_are_read_from_its_tokens(docs, options, rnd, vocabulary):
    """Another list made of a cached list's texts (a sample, reordered, repeats allowed, as
    the coherence scores and period terms read) is not tokenised again, and counts as if it
    were."""
    from trendkit import tokens

    texts = [" ".join(words) for words in docs]
    subset = [rnd.choice(texts) for _ in range(rnd.randint(1, 2 * len(texts)))]
    options = dict(ngram_range=(1, 3)) if vocabulary else options

    def count(cached: list | None):
        tokens._RECENT.clear()
        if cached is not None:
            tokens._tokens(cached)  # as LSA or the embedding leaves the corpus's tokens
        calls, tokenise = [], tokens._tokenise
        tokens._tokenise = lambda texts: calls.append(1) or tokenise(texts)
        try:
            return count_terms(list(subset), vocabulary=vocabulary, **options), calls
        except ValueError:
            return None, calls
        finally:
            tokens._tokenise = tokenise
            tokens._RECENT.clear()

    (expected, alone), (found, derived) = count(None), count(texts)
    assert alone == [1] and derived == []
    assert (expected is None) == (found is None)
    if expected is not None:
        assert found[0].tolist() == expected[0].tolist()
        assert found[1].shape == expected[1].shape and (found[1] != expected[1]).nnz == 0
