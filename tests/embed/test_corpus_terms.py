"""CorpusTerms: a pretrained embedder's rows joined by vectors of the corpus's own terms.

A tiny hand-made table (tests/test_embed_distilled.py's format) makes the expected
geometry plain: words the table knows point along fixed axes, and a word it does not know
("zorblax", corpus jargon) can only act through the learned term vectors."""

import numpy as np
import pytest

from trendkit import TrendkitError
from trendkit.embed import CorpusTerms, DistilledEmbedder, get_embedder

from .test_distilled import write_table

# Three topics the table knows; one experts and one scheduling document share the jargon
# "zorblax" (twice each, as a coined method name is).
TEXTS = ["experts routing zorblax zorblax", "experts routing", "experts routing",
         "shop scheduling zorblax zorblax", "shop scheduling", "shop scheduling",
         "pixels images", "pixels images", "images pixels"]


@pytest.fixture
def table(tmp_path):
    terms = ["experts", "images", "pixels", "routing", "scheduling", "shop"]
    vectors = [[1, 0, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]]
    return write_table(tmp_path / "toy.npz", terms, vectors, offset=[0.3, 0.3, 0.3])


def test_shared_corpus_terms_pull_documents_together(table):
    plain = DistilledEmbedder(table).transform(TEXTS)
    rows = CorpusTerms(DistilledEmbedder(table), min_documents=2).fit_transform(TEXTS)
    assert rows.shape == (9, 3) and rows.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1, atol=1e-6)
    # the table alone cannot see that documents 0 and 3 share their jargon: to it they are
    # as far apart as 1 and 4, which share nothing
    assert plain[0] @ plain[3] == pytest.approx(plain[1] @ plain[4], abs=1e-6)
    assert rows[0] @ rows[3] > rows[1] @ rows[4] + 0.1
    # ... and the topics the table knows still decide: 0 stays closer to 1 than to 3
    assert rows[0] @ rows[1] > rows[0] @ rows[3]


def test_new_texts_land_where_fitted_ones_did_and_state_round_trips(table):
    model = CorpusTerms(DistilledEmbedder(table), min_documents=2)
    rows = model.fit_transform(TEXTS)
    np.testing.assert_allclose(model.transform(TEXTS[:4]), rows[:4], atol=1e-5)
    state = model.state()
    assert {"terms_vocabulary", "terms_idf", "terms_vectors", "terms_mean",
            "distilled_version"} <= set(state)
    again = CorpusTerms(DistilledEmbedder(table), min_documents=2).set_state(state)
    np.testing.assert_allclose(again.transform(["shop zorblax"]), model.transform(["shop zorblax"]))


def test_saved_state_is_compact_and_restores_the_fitted_rows_exactly(table):
    """The vocabulary is saved as UTF-8 bytes and the term vectors at half precision; the
    fit already used half-precision vectors, so a restored run places documents exactly
    where the fit did (model.npz on 75k abstracts: 140 MB before)."""
    model = CorpusTerms(DistilledEmbedder(table), min_documents=2)
    rows = model.fit_transform(TEXTS)
    state = model.state()
    assert state["terms_vocabulary"].dtype == np.uint8
    assert state["terms_vectors"].dtype == np.float16
    again = CorpusTerms(DistilledEmbedder(table), min_documents=2).set_state(state)
    assert again.vocabulary_.tolist() == model.vocabulary_.tolist()
    np.testing.assert_array_equal(again.transform(TEXTS), model.transform(TEXTS))
    np.testing.assert_allclose(again.transform(TEXTS), rows, atol=1e-6)


def test_a_run_saved_by_0_4_still_restores(table):
    """Regression: 0.4 saved the vocabulary as a unicode array and the vectors as float32."""
    model = CorpusTerms(DistilledEmbedder(table), min_documents=2)
    model.fit_transform(TEXTS)
    old = {**model.state(), "terms_vocabulary": model.vocabulary_.astype(str),
           "terms_vectors": model.term_vectors_.astype(np.float32)}
    again = CorpusTerms(DistilledEmbedder(table), min_documents=2).set_state(old)
    np.testing.assert_array_equal(again.transform(TEXTS), model.transform(TEXTS))


def test_a_run_saved_without_terms_keeps_the_tables_space(table):
    """Regression: runs saved before corpus terms existed extend in their own space."""
    old_run = DistilledEmbedder(table).state()  # what such a run's model file holds
    model = CorpusTerms(DistilledEmbedder(table), min_documents=2).set_state(old_run)
    np.testing.assert_allclose(model.transform(TEXTS[:2]),
                               DistilledEmbedder(table).transform(TEXTS[:2]))


def test_unfitted_use_is_a_clear_error(table):
    with pytest.raises(TrendkitError, match="not fitted"):
        CorpusTerms(DistilledEmbedder(table), min_documents=2).transform(["experts"])
    with pytest.raises(TrendkitError, match="not fitted"):
        CorpusTerms(DistilledEmbedder(table), min_documents=2).state()


def test_a_small_corpus_keeps_the_base_rows_and_says_so_in_its_state(table):
    """Below min_documents (300 by default) the terms are too rare to place."""
    model = CorpusTerms(DistilledEmbedder(table))
    rows = model.fit_transform(TEXTS)
    np.testing.assert_allclose(rows, DistilledEmbedder(table).transform(TEXTS))
    assert "terms_vectors" not in model.state()
    restored = CorpusTerms(DistilledEmbedder(table)).set_state(model.state())
    np.testing.assert_allclose(restored.transform(TEXTS[:2]), rows[:2])
    lone = CorpusTerms(DistilledEmbedder(table), min_documents=1).fit_transform(["experts"])
    assert np.linalg.norm(lone[0]) == pytest.approx(1, abs=1e-6)  # equal to the mean: base row


def test_names_and_keys(table):
    assert get_embedder("distilled").key.endswith("+terms")
    assert isinstance(get_embedder(f"distilled:{table}"), CorpusTerms)
    assert isinstance(get_embedder(f"distilled-table:{table}"), DistilledEmbedder)
    assert CorpusTerms(DistilledEmbedder(table), weight=0.5).key == "distilled-toy+terms0.5"


class Letters:
    """A minimal outside embedder, as the Embedder protocol asks: transform(texts) only."""

    key, corpus_fitted = "letters", False

    def fit_transform(self, texts, progress=None):
        return self.transform(texts)

    def transform(self, texts):
        rows = np.array([[t.count("e") + 1.0, t.count("o") + 1.0, t.count("s") + 1.0]
                         for t in texts])
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    def state(self):
        return {}

    def set_state(self, arrays):
        return self


def test_any_per_document_embedder_can_be_the_base():
    model = CorpusTerms(Letters(), min_documents=2)
    rows = model.fit_transform(TEXTS)
    seen = []
    again = model.transform(TEXTS[:3], progress=lambda done, total: seen.append((done, total)))
    np.testing.assert_allclose(again, rows[:3], atol=1e-5)
    assert seen == [(3, 3)] and model.key == "letters+terms-min2"
