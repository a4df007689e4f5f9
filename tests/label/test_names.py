import collections
import time

import numpy as np
import pytest

import trendkit
from trendkit.label import acronym_map, class_tfidf, diverse_terms, name_topics, term_key
from trendkit.label import names as label_module
from trendkit.label.phrases import theme_name
from trendkit.text import STOP_WORDS

from ..conftest import PAPERS_PAGE, needs_shared


def test_class_tfidf_weights_specific_terms():
    texts = ["expert routing experts", "expert gating", "job shop makespan", "job shop rules"]
    ids, matrix, vocab = class_tfidf(texts, np.array([0, 0, 1, 1]), ngram_range=(1, 1))
    top0 = vocab[matrix[0].toarray().argmax()]
    top1 = vocab[matrix[1].toarray().argmax()]
    assert top0 == "expert" and top1 in {"job", "shop"}


def test_diverse_terms_collapse_overlaps():
    terms = diverse_terms([("scheduling", 1.0), ("job", 0.9), ("job shop", 0.8), ("shop", 0.7),
                           ("schedule", 0.6), ("makespan", 0.5)], k=5)
    assert terms == ["scheduling", "job shop", "makespan"]


def test_labels_are_readable_unique_and_free_of_stop_words(demo_result):
    labels = demo_result.topics["topic_label"]
    assert labels.is_unique
    for label in labels:
        for term in label.split(" · "):
            assert not all(word in STOP_WORDS for word in term.split()), label


def test_demo_themes_get_recognisable_names(demo_result, demo_corpus):
    docs = demo_result.documents.assign(true=demo_corpus["true_theme"].values)
    majority = docs.groupby("topic_id")["true"].agg(lambda s: s.mode()[0])
    labels = demo_result.topics.set_index("topic_id")["topic_label"]
    expectations = {"mixture-of-experts": ("expert", "routing", "mixture"),
                    "job-shop scheduling": ("job shop", "makespan", "dispatching"),
                    "learning-rate schedules": ("learning rate", "warmup", "decay")}
    for theme, words in expectations.items():
        topic = majority[majority == theme].index[0]
        assert any(w in labels[topic] for w in words), (theme, labels[topic])


def test_name_topics_on_only_stop_words_does_not_crash():
    frame = name_topics(["the of and", "we it is"], np.array([0, 1]))
    assert len(frame) == 2 and frame["topic_label"].is_unique


# --- variants, acronyms, generic filler and words unique across labels ----------------------


def label_words(label: str) -> set[str]:
    """Keyed words of one label, hyphenated parts apart (as the labeller compares them)."""
    return {w for term in label.split(" · ") for w in term_key(term.replace("-", " ")).split()}


def repeated_words(labels) -> dict[str, int]:
    counts = collections.Counter(w for label in labels for w in label_words(label))
    return {w: n for w, n in counts.items() if n > 1}


def test_term_key_merges_plurals_and_inflections_but_not_ss_words():
    assert len({term_key(t) for t in ["edit", "edits", "edited", "editing"]}) == 1
    assert term_key("llms") == term_key("llm") and term_key("models") == term_key("model")
    assert term_key("policies") == term_key("policy") == "policy"
    assert term_key("losses") == term_key("loss") == "loss"
    assert term_key("biases") == term_key("bias") == "bias"
    assert term_key("scheduling") == term_key("schedule") and term_key("mapping") == term_key("map")
    assert len({term_key(t) for t in ["embed", "embedding", "embeddings", "embedded"]}) == 1
    assert term_key("analysis") == "analysis" and term_key("thing") == "thing"


def test_variants_are_one_term():
    terms = diverse_terms([("llms", 1.0), ("llm", 0.9), ("reasoning", 0.8)])
    assert len({"llm", "llms"} & set(terms)) == 1 and "reasoning" in terms


def test_inflections_are_one_term():
    terms = diverse_terms([("edit", 1.0), ("edits", 0.9), ("edited", 0.8), ("image editing", 0.7)])
    assert terms == ["image editing"]  # the phrase extends the one word every form shares
    terms = diverse_terms([("edit", 1.0), ("edits", 0.9), ("edited", 0.8), ("image editing", 0.2)])
    assert terms == ["edit"]


def test_acronym_pairs_are_found_in_the_vocabulary():
    vocab = ["rl", "reinforcement learning", "policy", "moe", "mixture experts", "vlms",
             "vision language", "icl", "in-context learning", "video", "video depth estimation",
             "case", "cross section"]
    assert acronym_map(vocab) == {"rl": "reinforcement learning", "moe": "mixture experts",
                                  "vlms": "vision language", "icl": "in-context learning"}
    assert acronym_map(["llm", "llms", "large language models"]) == {
        "llm": "large language models", "llms": "large language models"}


def test_acronym_needs_documents_shared_beyond_chance():
    from sklearn.feature_extraction.text import CountVectorizer

    docs = (["reinforcement learning rl agents", "rl reward"] * 5  # "rl" defined by its phrase
            + ["pr policy reward"] * 3 + ["pr image pixels"] * 27  # "pr": everywhere, by chance
            + ["image pixels"] * 90)
    vectorizer = CountVectorizer(ngram_range=(1, 2)).fit(docs)
    pairs = acronym_map(vectorizer.get_feature_names_out(), vectorizer.transform(docs))
    assert pairs == {"rl": "reinforcement learning"}
    assert acronym_map(["pr", "policy reward"]) == {"pr": "policy reward"}  # spelling alone


def test_acronym_and_phrase_count_as_one_term_and_ties_keep_the_phrase():
    terms = diverse_terms([("rl", 1.0), ("reinforcement learning", 0.9), ("policy", 0.8)])
    assert terms == ["rl", "policy"]
    terms = diverse_terms([("rl", 0.9), ("reinforcement learning", 0.9), ("policy", 0.8)])
    assert terms == ["reinforcement learning", "policy"]
    terms = diverse_terms([("moe", 1.0), ("experts", 0.9), ("mixture experts", 0.8),
                           ("gating", 0.5)])
    assert terms == ["moe", "gating"]


def reasoning_corpus():
    """Three themes that all say "reasoning" a lot, three that never do."""
    themes = ["mathematical math word problems theorem proving proofs arithmetic",
              "visual images charts diagrams spatial perception",
              "agents planning tools web search browsing",
              "job shop makespan dispatching machines", "speech audio speaker asr",
              "protein folding molecule docking"]
    rng = np.random.default_rng(0)
    texts = [("reasoning " if topic < 3 else "") + " ".join(rng.choice(words.split(), 5))
             + (" reasoning" if topic < 3 else "")
             for topic, words in enumerate(themes) for _ in range(12)]
    return texts, np.repeat(np.arange(len(themes)), 12)


@pytest.mark.parametrize("penalty", [label_module.GENERIC_PENALTY, 1.0])
def test_no_word_repeats_across_labels_when_alternatives_exist(monkeypatch, penalty):
    # penalty 1.0 switches off the generic down-weighting, so that the word
    # "reasoning" (every theme's) is kept out of all but one label by uniqueness alone.
    monkeypatch.setattr(label_module, "GENERIC_PENALTY", penalty)
    texts, labels = reasoning_corpus()
    frame = name_topics(texts, labels)
    assert not repeated_words(frame["topic_label"]), frame["topic_label"].tolist()
    assert all(len(label.split(" · ")) == 3 for label in frame["topic_label"])
    # each of the three themes has "reasoning" among its terms, but one label at most shows it
    assert sum("reasoning" in terms for terms in frame["top_terms"]) >= 3


def test_contested_word_goes_to_the_theme_where_it_scores_highest(monkeypatch):
    monkeypatch.setattr(label_module, "GENERIC_PENALTY", 1.0)
    rng = np.random.default_rng(0)
    themes = {0: ("routing " * 3, "experts gating tokens sparse"),  # routing matters most here
              1: ("routing ", "packets network switches latency"),
              2: ("", "job shop makespan dispatching")}
    texts = [prefix + " ".join(rng.choice(words.split(), 3, replace=False))
             for prefix, words in themes.values() for _ in range(10)]
    frame = name_topics(texts, np.repeat([0, 1, 2], 10))
    with_routing = [label for label in frame["topic_label"]
                    if term_key("routing") in label_words(label)]
    assert with_routing == [frame["topic_label"][0]]
    assert "routing" in frame["top_terms"][1]  # theme 1 keeps it among its terms, not its label


def test_a_theme_with_no_other_terms_may_repeat():
    frame = name_topics(["sparse experts", "sparse experts", "sparse experts", "sparse experts"],
                        np.array([0, 0, 1, 1]))
    assert frame["topic_label"].tolist() == ["sparse experts", "sparse experts (1)"]


def test_outlier_theme_claims_no_words():
    texts = ["routing routing routing tables"] * 6 + ["expert routing gating"] * 6
    frame = name_topics(texts, np.array([-1] * 6 + [0] * 6)).set_index("topic_id")
    assert "routing" in frame.loc[0, "topic_label"]


def test_generic_filler_loses_to_specific_terms(monkeypatch):
    rng = np.random.default_rng(0)
    specific = {0: "graph node message passing", 1: "speech audio asr speaker",
                2: "protein folding molecule docking", 3: "traffic vehicle road lane"}
    texts, labels = [], []
    for topic, words in specific.items():
        for _ in range(10):
            filler = "deep learning " * (3 if topic == 0 else 1)  # every theme's, theme 0's most
            texts.append(filler + " ".join(rng.choice(words.split(), 3, replace=False)))
            labels.append(topic)

    def filler_terms(frame):
        return [t for label in frame["topic_label"] for t in label.split(" · ")
                if set(t.split()) <= {"deep", "learning"}]

    assert not filler_terms(name_topics(texts, np.array(labels)))
    monkeypatch.setattr(label_module, "GENERIC_PENALTY", 1.0)  # without the penalty it wins
    assert filler_terms(name_topics(texts, np.array(labels)))


@needs_shared(PAPERS_PAGE)
def test_papers_page_labels_share_no_words():
    start = time.perf_counter()
    result = trendkit.analyze(trendkit.load_corpus(PAPERS_PAGE), cache=False, document_map=False)
    assert time.perf_counter() - start < 120
    labels = result.topics["topic_label"].tolist()
    assert sum(n - 1 for n in repeated_words(labels).values()) <= 1, labels
    assert all(label and not label.startswith("theme") for label in labels)


def test_a_name_taken_elsewhere_is_not_said_again():
    # Regression (robotics): sub-themes were named "reinforcement learning (RL)", "camera",
    # "hand"... exactly as their theme was; the model passes its themes' names as taken.
    texts = ["expert routing in sparse experts", "sparse experts routing tokens",
             "job shop scheduling makespan", "flexible job shop makespan"]
    free = name_topics(texts, np.array([0, 0, 1, 1]))["topic_name"].tolist()
    named = name_topics(texts, np.array([0, 0, 1, 1]), parents={0: 5, 1: 5},
                        parent_names={5: "Job shop scheduling"})["topic_name"].tolist()
    assert free[1] == "job shop scheduling" and named[1] != free[1]
    assert theme_name([("actuators", 1.0), ("springs", 0.5)], {}, {}, {"actuator"}) == "springs"
    # a sub-theme's name says something its theme's does not
    pool = [("segmentation", 1.0), ("anatomical structures", 0.3)]
    assert theme_name(pool, {}, {}, set(), within="medical image segmentation") == \
        "anatomical structures"
    assert theme_name(pool, {}, {}, set()) == "segmentation"


def test_themes_not_split_take_no_names_from_the_sub_themes():
    # Regression (review): at the sub level, a theme not split (its own finest level, later
    # dropped) was named first and blocked its next-best phrase for the real sub-themes.
    texts = ["graph neural networks message passing nodes"] * 3 + \
        ["message passing nodes in graphs"] * 3 + \
        ["expert routing in sparse experts"] * 3 + ["sparse experts routing tokens"] * 3
    labels = np.repeat([0, 0, 2, 3], 3)  # theme 0 unsplit; 2 and 3 are theme 1's sub-themes
    named = name_topics(texts, labels, parents={2: 1, 3: 1},
                        parent_names={0: "graph neural networks", 1: "mixture of experts"})
    by_id = named.set_index("topic_id")
    assert by_id.loc[0, "topic_name"] == by_id.loc[0, "topic_label"]  # left unnamed
    assert by_id.loc[2, "topic_name"] != by_id.loc[3, "topic_name"]
