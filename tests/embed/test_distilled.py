"""distilled: TF-IDF rows times a shipped table of MiniLM-distilled term vectors.

Most tests build a tiny table by hand (three topic directions), so what a document's
vector should be is known; two read the shipped table."""

import numpy as np
import pytest

from trendkit import TrendkitError
from trendkit.embed import DistilledEmbedder, embed_texts, get_embedder
from trendkit.embed.distilled import TABLE, coverage, load_table


def write_table(path, terms, vectors, idf=None, offset=None, version="toy"):
    vectors = np.asarray(vectors, dtype=np.float64)
    scale = np.abs(vectors).max(axis=1) / 127
    np.savez(path, terms=np.array(terms), idf=np.ones(len(terms), np.float32) if idf is None
             else np.asarray(idf, np.float32), vectors=np.round(vectors / scale[:, None])
             .astype(np.int8), scale=scale.astype(np.float32),
             offset=np.zeros(vectors.shape[1], np.float32) if offset is None
             else np.asarray(offset, np.float32), version=np.array(version))
    return path


@pytest.fixture
def toy(tmp_path):
    # experts/routing -> axis 0, shop/scheduling -> axis 1, "job shop" (a bigram) -> axis 2
    terms = ["experts", "job shop", "routing", "scheduling", "shop"]
    vectors = [[1, 0, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]]
    return write_table(tmp_path / "toy.npz", terms, vectors, offset=[0.01, 0.01, 0.01])


def test_rows_are_the_weighted_sum_of_term_vectors(toy):
    rows = DistilledEmbedder(toy).transform(["experts routing", "job shop scheduling"])
    assert rows.shape == (2, 3) and rows.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1, atol=1e-6)
    assert rows[0].argmax() == 0
    # the bigram "job shop" adds its own direction beside "shop" and "scheduling"
    assert rows[1, 2] > 0.3 and rows[1, 1] > rows[1, 2] and rows[1, 0] < 0.05


def test_each_text_is_embedded_on_its_own(toy):
    model = DistilledEmbedder(toy)
    texts = ["experts routing", "shop scheduling", "routing on the shop floor"]
    together = model.fit_transform(texts)
    alone = np.vstack([model.transform([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-6)
    assert model.corpus_fitted is False


def test_a_run_from_another_table_version_is_refused(toy, tmp_path):
    state = DistilledEmbedder(toy).state()
    assert str(state["distilled_version"]) == "toy"
    assert DistilledEmbedder(toy).set_state(state).key == "distilled-toy"
    assert DistilledEmbedder(toy).set_state({"centroids": np.zeros(3)})  # LSA-era arrays
    newer = write_table(tmp_path / "v2.npz", ["experts"], [[1.0, 0.0, 0.0]], version="v2")
    with pytest.raises(TrendkitError, match="embedded with distilled table toy"):
        DistilledEmbedder(newer).set_state(state)


def test_notes_warn_when_the_table_knows_few_words(toy):
    model = DistilledEmbedder(toy)
    assert model.notes(["experts routing shop", "shop scheduling experts"]) == []
    [note] = model.notes(["experts zzqx vvbn", "glucose insulin shop"])
    assert "knows only 33 %" in note and "--embedding lsa" in note  # 2 of 6 words


def test_auto_and_the_table_word_a_low_coverage_alike(toy):
    from trendkit.embed import resolve_embedding
    from trendkit.embed.distilled import coverage_note

    # Regression: the two notes once said the same thing in two wordings.
    [mine] = DistilledEmbedder().notes(UNKNOWN)
    [auto] = resolve_embedding("auto", UNKNOWN)[1]
    assert coverage_note(0.0) in mine and coverage_note(0.0) in auto


def test_unknown_words_give_the_offset_direction(toy):
    row = DistilledEmbedder(toy).transform(["zzqx vvbn"])[0]
    np.testing.assert_allclose(row, np.ones(3) / np.sqrt(3), atol=1e-6)
    assert DistilledEmbedder(toy).transform([]).shape == (0, 3)


def test_coverage_counts_known_word_occurrences(toy):
    # known: experts, shop, shop; unknown: zzqx (stop words do not count)
    assert coverage(["experts and the shop", "shop zzqx"], toy) == pytest.approx(0.75)


def test_key_names_the_table_version(toy, tmp_path):
    assert DistilledEmbedder(toy).key == "distilled-toy"
    other = write_table(tmp_path / "v2.npz", ["experts"], [[1.0, 0.0]], version="v2")
    assert get_embedder(f"distilled-table:{other}").key == "distilled-v2"
    assert get_embedder(f"distilled:{other}").key == "distilled-v2+terms"  # corpus terms added


def test_a_bad_table_is_a_clear_error(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"not a table")
    with pytest.raises(TrendkitError, match="cannot read the distilled term table"):
        DistilledEmbedder(tmp_path / "junk.npz").transform(["experts"])
    np.savez(tmp_path / "partial.npz", terms=np.array(["experts"]))
    with pytest.raises(TrendkitError, match="missing idf, offset, scale, vectors, version"):
        get_embedder(f"distilled:{tmp_path / 'partial.npz'}").transform(["experts"])


def test_cache_serves_per_text_rows(toy, tmp_path):
    first = embed_texts(["experts routing", "shop scheduling"], DistilledEmbedder(toy),
                        cache=tmp_path)
    again = embed_texts(["shop scheduling", "experts routing"], DistilledEmbedder(toy),
                        cache=tmp_path)
    np.testing.assert_allclose(first[::-1], again)


def test_the_shipped_table_is_installed_and_consistent():
    table = load_table(TABLE)
    n, dims = table["vectors"].shape
    assert n == len(table["terms"]) == len(table["idf"]) > 10_000 and dims == len(table["offset"])
    assert (table["idf"] >= 1).all() and np.isfinite(table["vectors"]).all()
    assert list(table["terms"]) == sorted(table["terms"])  # count_terms' vocabulary order


def test_the_shipped_table_places_related_abstracts_together():
    rows = get_embedder("distilled-table").transform([
        "Sparse mixture-of-experts layers route each token to a few experts.",
        "We study expert routing and load balancing in MoE language models.",
        "A dispatching rule for the flexible job-shop scheduling problem minimises makespan.",
        "Heuristics for job shop scheduling with machine breakdowns."])
    sims = rows @ rows.T
    assert sims[0, 1] > max(sims[0, 2], sims[0, 3]) and sims[2, 3] > max(sims[2, 0], sims[2, 1])


def test_a_corpus_without_known_words_is_a_clear_error(toy):
    with pytest.raises(TrendkitError, match="none of the documents' words"):
        DistilledEmbedder(toy).fit_transform(["the of and", "zzqx vvbn"])
    assert DistilledEmbedder(toy).transform(["zzqx"]).shape == (1, 3)  # one new text: fine


def test_a_run_far_from_the_tables_vocabulary_says_so(toy):
    import trendkit

    docs = trendkit.load_frame(trendkit.make_demo_corpus(n_docs=150, seed=0))
    result = trendkit.analyze(docs, embedding=f"distilled:{toy}", cache=False,
                              document_map=False)
    assert len(result.documents) == 150 and result.documents["topic_id"].ge(0).all()
    assert any("distilled term table (learned from arXiv abstracts) knows only" in n
               for n in result.meta["notes"])
    shipped = trendkit.analyze(docs, embedding="distilled", cache=False, document_map=False)
    assert not any("distilled term table" in n for n in shipped.meta["notes"])


# --- "auto", the default: the table where it knows the words, the corpus's LSA elsewhere ---

CS = ["Sparse mixture-of-experts routing balances tokens across GPUs",
      "Job-shop scheduling with learned dispatching rules minimises makespan",
      "Learning-rate warmup and cosine decay for large language models"]
UNKNOWN = ["zzqx vvbn wqpt krrl", "vvbn zzqx kkrt plmm", "wqpt krrl plmm zzqx"]


def test_auto_picks_the_table_for_words_it_knows_and_lsa_with_a_note_otherwise():
    from trendkit.embed import resolve_embedding

    assert resolve_embedding("auto", CS) == ("distilled", [])
    chosen, notes = resolve_embedding("auto", UNKNOWN)
    assert chosen == "lsa" and len(notes) == 1 and "knows only 0 %" in notes[0]
    assert resolve_embedding("minilm-map:50", UNKNOWN) == ("minilm-map:50", [])  # only auto


MEDICAL = ["Myocardial infarction in patients with hypertension and diabetes mellitus",
           "Chemotherapy and radiotherapy for carcinoma of the cervix and the ovary",
           "Pneumonia and bronchitis among infants admitted to the paediatric ward",
           "Hepatitis antibodies and cirrhosis of the liver in alcoholic patients"]


def test_auto_picks_minilm_map_for_a_field_the_table_does_not_know():
    """Regression (issue 32): medical abstracts fell back to LSA, well below MiniLM."""
    from trendkit.embed import resolve_embedding
    from trendkit.embed.distilled import coverage

    assert coverage(MEDICAL) < 0.8
    chosen, [note] = resolve_embedding("auto", MEDICAL)
    # a small corpus: every document gets its true int8 MiniLM row (the sample is all)
    assert chosen == "minilm-map:1000" and "MiniLM reads" in note and "--embedding lsa" in note
    assert "every document" in note
    big, [note] = resolve_embedding("auto", MEDICAL * 2000)
    assert big == "minilm-map:5000" and "5,000 of 8,000 documents" in note


def test_a_large_corpus_the_table_knows_but_misreads_gets_minilm_map(monkeypatch):
    """Regression (issue 31): on ICRA/IROS abstracts the table knows 91 % of the words, yet
    its themes carried 3-5 of 16 keyword concepts where MiniLM's carried 7-8."""
    from trendkit.embed import choose, resolve_embedding
    from trendkit.embed.distilled import FAITHFUL, PROBE_FROM

    big = CS * (PROBE_FROM // len(CS) + 1)
    probed = []
    monkeypatch.setattr(choose, "fidelity", lambda texts: probed.append(len(texts)) or 0.7)
    assert resolve_embedding("auto", CS) == ("distilled", [])  # small: no probe
    assert probed == []
    chosen, [note] = resolve_embedding("auto", big)
    assert chosen == "minilm-map:5000" and probed == [len(big)]
    assert "rank correlation 0.70" in note and "--embedding distilled is faster" in note
    monkeypatch.setattr(choose, "fidelity", lambda texts: FAITHFUL)
    assert resolve_embedding("auto", big) == ("distilled", [])


@pytest.mark.parametrize("name, faithful", [("robotics_icra_iros_2000_2023.csv.gz", False),
                                            ("arxiv_daily_2025_2026.jsonl.gz", True)])
def test_fidelity_tells_robotics_from_arxiv(name, faithful):
    """The probe's verdict on the two large real corpora (3,000 documents of each)."""
    import pandas as pd

    from trendkit.embed.distilled import FAITHFUL, fidelity

    from ..conftest import SHARED

    if not (SHARED / name).exists():
        pytest.skip(f"shared data not present: {name}")
    raw = (pd.read_json(SHARED / name, lines=True, nrows=3000) if name.endswith(".jsonl.gz")
           else pd.read_csv(SHARED / name).sample(3000, random_state=0))
    texts = (raw["title"].fillna("") + ". " + raw["abstract"].fillna("")).tolist()
    assert (fidelity(texts) >= FAITHFUL) is faithful


def test_auto_cannot_be_built_without_texts_and_takes_no_argument():
    from trendkit.embed import check_embedding

    with pytest.raises(TrendkitError, match="chosen per corpus"):
        get_embedder("auto")
    with pytest.raises(TrendkitError, match="takes no argument"):
        check_embedding("auto:3")
    check_embedding("auto")


def test_embed_with_auto_gives_the_chosen_backends_vectors():
    from trendkit.embed import CorpusTerms, LSAEmbedder

    embedder, vectors = embed_texts(CS, "auto", cache=False, return_embedder=True)
    assert isinstance(embedder, CorpusTerms) and isinstance(embedder.base, DistilledEmbedder)
    np.testing.assert_allclose(vectors, CorpusTerms(DistilledEmbedder()).fit_transform(CS),
                               atol=1e-6)
    embedder, _ = embed_texts(UNKNOWN, "auto", cache=False, return_embedder=True)
    assert isinstance(embedder, LSAEmbedder)  # fitted on these texts


def test_coverage_of_a_large_corpus_is_measured_on_a_seeded_sample():
    texts = (CS + UNKNOWN) * 40  # half the occurrences known, half not
    full = coverage(texts, sample=10_000)
    assert coverage(texts, sample=60) == coverage(texts, sample=60)  # seeded
    assert abs(coverage(texts, sample=60) - full) < 0.1
