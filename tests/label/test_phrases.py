"""trendkit.label.phrases: one short name per theme, as a reader would write it."""

from __future__ import annotations

from trendkit.label.acronyms import acronym_casing, defined_acronyms, written_out
from trendkit.label.phrases import extend_word, surface, theme_name


def test_acronyms_are_written_out_as_the_texts_define_them():
    texts = ["We solve it with constraint programming (CP).", "A mixture of experts (MoE) layer",
             "Sparse mixture-of-experts (MoE) models and CP solvers."]
    found = defined_acronyms(texts)
    assert found["cp"] == "constraint programming"
    assert found["moe"] in {"mixture of experts", "mixture-of-experts"}
    assert theme_name([("moe", 1.0)], {}, {}, set(), texts).endswith("(MoE)")


def test_generic_heads_never_stand_alone():
    pool = [("solutions", 3.0), ("control", 2.5), ("training", 2.0), ("job shop", 0.1),
            ("makespan", 0.5)]
    assert theme_name(pool, {}, {}, set()) == "makespan"


def test_names_are_short_and_unique():
    taken: set[str] = set()
    first = theme_name([("graph neural networks for molecules", 1.0), ("molecules", 0.9)], {},
                       {}, taken)
    second = theme_name([("molecules", 1.0), ("drug discovery", 0.6)], {}, {}, taken)
    assert len(first.split()) <= 4 and first != second


def test_a_name_is_written_as_the_documents_write_it():
    texts = ["a mixture of experts model", "each mixture of experts layer",
             "minimally invasive surgery", "robotic minimally invasive surgery"]
    assert surface("mixture experts", texts) == "mixture of experts"
    assert surface("minimally invasive", texts) == "minimally invasive surgery"
    assert extend_word("serving", ["LLM serving at scale", "fast LLM serving", "serving"]) \
        == "llm serving"


def test_names_are_checked_against_the_themes_documents():
    # a phrase almost no document of the theme uses does not name it
    pool = [("kv cache", 1.0), ("serving", 0.9)]
    assert theme_name(pool, {"kv cache": 0.02, "serving": 0.8}, {}, set()) == "serving"


def test_a_lone_adjective_takes_the_noun_after_it_and_shouting_is_no_acronym():
    # regressions from the arXiv run: "internal" named a probing theme, "UNCERTAINTY"
    # (one all-caps title) named a calibration theme, and "language" a LLM theme
    texts = ["Internal representations of LLMs encode truth.",
             "We probe internal representations with linear probes.",
             "UNCERTAINTY IN DEEP NETS", "uncertainty estimation and uncertainty calibration",
             "Calibrated uncertainty for large language models.",
             "Large language models answer; language models hallucinate."]
    assert extend_word("internal", texts[:2]) == "internal representations"
    assert extend_word("language", texts[4:]) == "language models"
    assert "uncertainty" not in acronym_casing(texts)
    assert acronym_casing(["LLMs and MoE", "an LLM", "MoE layers"]) == {
        "llms": "LLMs", "llm": "LLM", "moe": "MoE"}


def test_a_phrase_takes_a_general_head_noun_only_where_the_texts_nearly_always_add_it():
    nets = ["graph neural networks for molecules", "a graph neural network (GNN)",
            "graph neural networks scale", "deep graph neural networks"]
    assert surface("graph neural", nets) == "graph neural networks"  # network(s): one noun
    moe = ["a mixture of experts model", "each mixture of experts layer"]
    assert surface("mixture experts", moe) == "mixture of experts"


def test_a_keyphrase_that_swallowed_its_acronym_gets_its_parentheses_back():
    # regression: an update's new theme was named "knowledge graphs KGs" (the tokenizer
    # drops the parentheses of "knowledge graphs (KGs)")
    texts = ["Knowledge graphs (KGs) store facts.", "We complete knowledge graphs (KGs)."]
    name = theme_name([("knowledge graphs kgs", 2.0)], {}, {}, set(), texts)
    assert name == "knowledge graphs (KGs)"


def test_a_word_many_themes_use_does_not_name_one_it_does_not_own():
    # Regression (robotics): the SLAM theme was named "camera", a word in every vision theme.
    pool = [("camera", 1.0), ("slam", 0.6)]
    use = {"camera": 0.34, "slam": 0.23}
    acronyms = {"slam": "simultaneous localization and mapping"}
    assert theme_name(pool, use, acronyms, set(), own={"camera": 0.17, "slam": 0.39}) == \
        "simultaneous localization and mapping (SLAM)"
    # with no candidate of its own, the best one still names the theme
    assert theme_name(pool, use, acronyms, set(), own={"camera": 0.17, "slam": 0.1}) == "camera"


def test_a_word_the_texts_write_in_lower_case_is_no_acronym():
    # Regression (robotics): the SLAM sub-theme's "map" was written "maximum a posteriori (MAP)".
    texts = ["We build a map of the scene.", "The map is updated online.",
             "A maximum a posteriori (MAP) estimate of the map."]
    acronyms = {"map": "maximum a posteriori"}
    assert theme_name([("map", 1.0)], {}, acronyms, set(), texts) == "map"
    assert theme_name([("map", 1.0)], {}, acronyms, set()).endswith("(MAP)")  # no texts to ask
    # ... and it may take the word the texts put before it, as any word
    texts = ["An occupancy map of the scene.", "The occupancy map is updated online.",
             "A maximum a posteriori (MAP) estimate of the occupancy map."]
    pool = [("map", 1.0), ("occupancy", 0.1)]
    assert theme_name(pool, {}, acronyms, set(), texts) == "occupancy map"


def test_the_texts_definition_of_an_acronym_beats_a_pairing_by_initials():
    # Regression (robotics, MiniLM-mapped run): the scan-matching sub-theme was named
    # "scans acquired (SLAM)": the vocabulary paired "slam" with "scans acquired" (initials
    # with letters skipped, the two often in one abstract) over the texts' own definition.
    texts = ["Simultaneous localization and mapping (SLAM) matches laser scans acquired online.",
             "Graph SLAM with scans acquired by a lidar.", "SLAM from scans acquired indoors."]
    name = theme_name([("slam", 1.0)], {}, {"slam": "scans acquired"}, set(), texts)
    assert name == "simultaneous localization and mapping (SLAM)"


def test_a_swallowed_acronym_the_texts_write_in_lower_case_stays_a_word():
    assert written_out("knowledge graphs kgs", {"kg": "knowledge graphs"}, {}) == \
        "knowledge graphs kgs"


def test_with_every_candidate_blocked_the_name_still_says_something_new():
    # Regression (review): the fallback checked exact repeats only
    assert theme_name([("segmentation", 1.0)], {}, {}, set(),
                      within="medical image segmentation") == "segmentation (2)"
    assert theme_name([("hand fingers", 1.0), ("tendon", 0.2)], {}, {}, {"hand and fingers"},
                      ) == "tendon"
    taken = {"hand and fingers"}
    assert theme_name([("hand fingers", 1.0)], {}, {}, taken) == "hand fingers (2)"
    assert "hand fingers (2)" in taken


def test_definitions_are_those_the_backtracking_pattern_found():
    """Regression (speed): the pattern that searched for definitions backtracked from every
    position of a text (22 s of a 20,000-abstract run); the search that replaced it must
    find exactly what it found."""
    import re

    from trendkit.label.acronyms import _definitions

    before = re.compile(r"((?:[\w-]+\s+){1,7}?)\(([A-Za-z][A-Za-z0-9]{1,7})\)")
    texts = ["We use constraint programming (CP) and mixture-of-experts (MoE).",
             "a b (X1) c (AB)", "((AB))", "foo, (AB) bar baz (CD)", "word\t(AB) (CD)",
             "one two three four five six seven eight nine (ONE) x (Y2)",
             "Simultaneous localization and mapping (SLAM) with laser scans acquired (LSA).",
             "no space(AB) here", "(AB) at the start", "a " * 150 + "(LONG)"]
    for text in texts:
        assert list(_definitions(text)) == [(m.group(2), m.group(1))
                                            for m in before.finditer(text)], text


def test_extend_word_reads_texts_a_non_ascii_word_matches():
    """Regression: skipping texts whose lower case lacks the word must not skip those that
    re.I matches with a non-ASCII letter ("ı" matches "I"), as the texts were read before."""
    assert extend_word("ıts", ["Its inference rules"] * 5) == "its inference"
    assert extend_word("its", ["Its inference rules"] * 5) == "its inference"
