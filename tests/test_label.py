import numpy as np

from trendkit.label import class_tfidf, diverse_terms, name_topics
from trendkit.text import STOP_WORDS


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
