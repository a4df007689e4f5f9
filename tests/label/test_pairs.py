"""trendkit.label.pairs: a theme of two sides is named by both."""

from __future__ import annotations

from trendkit.label.pairs import compound, partner, qualifier
from trendkit.label.phrases import theme_name

HANDS = ["The hand, with tendons, is dexterous.", "A dexterous hand. Grasping follows.",
         "Grasping unknown objects is hard.", "Grasping with suction cups works.",
         "An anthropomorphic hand is built."]


def test_two_sides_of_a_theme_are_joined_by_ampersand():
    pool = [("hand", 1.0), ("grasping", 0.9), ("tendons", 0.2)]
    assert theme_name(pool, {}, {}, set(), HANDS) == "hand & grasping"


def test_two_words_the_texts_write_together_are_one_compound():
    texts = ["Soft actuators bend under pressure.", "We model soft actuators.",
             "Soft actuators are cheap.", "Two soft actuators, one rigid.", "An actuator."]
    pool = [("actuator", 1.0), ("soft", 0.95)]
    assert theme_name(pool, {}, {}, set(), texts) == "soft actuators"
    assert compound("actuator", "soft", texts) == "soft actuators"


def test_an_adjective_is_never_joined_by_ampersand():
    texts = ["linear bandits are studied", "linear models and regret", "regret of linear rules"]
    assert qualifier("linear", texts) and not qualifier("regret", texts)
    assert theme_name([("regret", 1.0), ("linear", 0.9)], {}, {}, set(), texts) == "regret"


def test_a_weak_second_term_a_variant_or_a_unit_is_no_partner():
    says = lambda t: {t}  # noqa: E731
    assert partner([("hand", 1.0), ("grasping", 0.4)], "hand", says) is None  # below half
    assert partner([("summarization", 1.0), ("summaries", 0.9)], "summarization", says) is None
    assert partner([("depression", 1.0), ("mg", 0.9)], "depression", says) is None


def test_a_term_another_themes_label_holds_is_no_partner():
    pool = [("hand", 1.0), ("grasping", 0.9)]
    assert theme_name(pool, {}, {}, set(), HANDS, others={"grasping"}) == "hand"


def test_a_sub_theme_keeps_one_word_beside_its_themes_name():
    pool = [("hand", 1.0), ("grasping", 0.9)]
    assert theme_name(pool, {}, {}, set(), HANDS, within="robot manipulation") == "hand"


def test_a_unit_never_names_a_theme_alone():
    assert theme_name([("mg", 2.0), ("benzodiazepine", 1.0)], {}, {}, set()) == "benzodiazepine"


def test_under_a_name_of_two_sides_a_sub_theme_may_name_the_second():
    pool = [("depression", 1.0), ("flumazenil", 0.5)]
    texts = ["Depression, treated.", "Major depression and flumazenil."]
    assert theme_name(pool, {}, {}, set(), texts, within="brain & depression") == "depression"
    # the first side is the theme's own word: a sub-theme named by it says nothing new
    assert theme_name(pool, {}, {}, set(), texts, within="depression & brain") == "flumazenil"
    # under a theme of one side, the same name says nothing new
    assert theme_name(pool, {}, {}, set(), texts, within="depression") == "flumazenil"
