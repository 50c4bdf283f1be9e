"""The safeguarding detector: what a child or parent types, and whether a person gets to read it.

dataset.csv: rows without a "holdout" note were written before the detector. Rows noted
"holdout N" were written later, in six batches, each measured unseen before the rules were
improved on it; the first-pass figures of each batch are the honest estimate for new wording.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.safeguarding import detector
from flows.safeguarding.detector import CATEGORIES, Finding, check
from flows.safeguarding.lexicon import RULES, WORDS

DATASET = Path(__file__).with_name("dataset.csv")
RECALL_FLOOR = 0.97
PRECISION_FLOOR = 0.9


def _rows() -> list[dict[str, str]]:
    with DATASET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to die", "self_harm_suicide"),
        ("I cut myself", "self_harm_suicide"),
        ("nobody would miss me", "self_harm_suicide"),
        ("I don't want to be here anymore", "self_harm_suicide"),
        ("I'm going to end it", "self_harm_suicide"),
        ("took too many tablets", "self_harm_suicide"),
        ("my dad hits me", "abuse_physical"),
        ("mum's boyfriend hurts me", "abuse_physical"),
        ("he kicks me when I'm bad", "abuse_physical"),
        ("I get hit at home", "abuse_physical"),
        ("I've got bruises on my arms from where he grabbed me", "abuse_physical"),
        ("he touches me where I don't like", "abuse_sexual"),
        ("he made me do things", "abuse_sexual"),
        ("he touched my private parts", "abuse_sexual"),
        ("he sends me pictures and tells me not to tell", "abuse_sexual"),
        ("they lock me in my room", "abuse_emotional"),
        ("she says I'm worthless every day", "abuse_emotional"),
        ("he screams at me all the time and I'm scared", "abuse_emotional"),
        ("there's no food at home", "neglect"),
        ("haven't eaten for two days", "neglect"),
        ("nobody picks me up", "neglect"),
        ("left on my own for days", "neglect"),
        ("no heating and we're cold", "neglect"),
        ("someone is going to stab me", "violence"),
        ("they said they'd kill me", "violence"),
        ("a boy brought a knife to school", "violence"),
        ("I'm going to hurt them", "violence"),
        ("an older boy gives me money to carry packages", "exploitation"),
        ("county lines", "exploitation"),
        ("I owe them money and they make me sell for them", "exploitation"),
        ("met someone online who wants to meet me and said keep it secret", "exploitation"),
        ("I'm scared to go home", "unsafe"),
        ("I don't feel safe at school", "unsafe"),
        ("bullied every day and the teachers don't help", "unsafe"),
        ("I'm frightened of him", "unsafe"),
    ],
)
def test_each_kind_of_disclosure_is_flagged_under_its_category(text: str, category: str) -> None:
    finding = check(text)
    assert finding.flagged
    assert finding.category == category


@pytest.mark.parametrize(
    "text",
    [
        "kil myself",
        "been feeling suicidel",
        "i wanna die",
        "kms",
        "k m s",
        "i want to unalive",
        "i keep hurting my self",
        "started sh again",
        "I WANT TO DIE!!!",
        "i want to diiiiie",
        "wnt 2 die",
        "su1c1de",
        "i w4nt to d13",
        "i want to díe",
        "i\u00a0want\u200bto die",
        "nobody would miss me if i was gone tbh",
    ],
)
def test_misspellings_text_speak_and_odd_typing_are_still_read(text: str) -> None:
    assert check(text).category == "self_harm_suicide"


@pytest.mark.parametrize(
    "text",
    [
        "the wait was killing me",
        "I'd kill for a school place",
        "dying to know",
        "I nearly died laughing",
        "the speaker killed it",
        "this form is killing me",
        "the assessment hurt my chances",
        "my back hurts",
        "we're cutting down on screen time",
        "someone tried to cut the queue",
        "the school beat the deadline",
        "bored to death",
        "drop dead gorgeous",
        "the SENCo is abusive of the process",
        "it's a dead end",
        "the meeting was torture",
        "the EHCP process is killing us",
        "our SENCo is fab",
        "he's on melatonin and sertraline now",
        "OT has been great",
        "the school keeps hitting their targets",
        "my son hits his head when he's overwhelmed",
        "we were killing ourselves laughing",
        "the suicide prevention training was good",
        "the self-harm awareness talk was useful",
        "the school is 12 kms away",
        "he kicks off when the routine changes",
        "I hurt myself at PE and twisted my ankle",
        "I want to dye my hair blue",
        "i want to die my hair blue",
        "can you touch base about transport",
        "nobody picks up the phone at the SEND team",
    ],
)
def test_everyday_feedback_with_alarming_words_is_left_alone(text: str) -> None:
    finding = check(text)
    assert not finding.flagged, finding.reasons


def test_self_harm_is_flagged_even_when_negated_or_joked_about() -> None:
    assert check("I don't want to die but I think about it").category == "self_harm_suicide"
    assert check("im not suicidal or anything").category == "self_harm_suicide"
    assert check("the noise makes me want to die lol").category == "self_harm_suicide"


def test_no_one_hurting_me_is_not_a_disclosure_but_someone_not_hurting_me_anymore_is() -> None:
    assert not check("no one hurts me, I'm fine").flagged
    assert check("my dad doesn't hit me anymore").category == "abuse_physical"


def test_topic_words_are_not_disclosures_but_the_same_word_about_a_child_is() -> None:
    assert not check("the SENCo is abusive of the process").flagged
    assert check("the SENCo is abusive to my son").flagged


def test_the_most_serious_category_is_named_and_every_match_explained() -> None:
    finding = check("I'm scared to go home because my dad hits me and I want to die")
    assert finding.category == "self_harm_suicide"
    assert any("(unsafe" in r or "feeling unsafe" in r for r in finding.reasons)
    assert any("physical abuse" in r for r in finding.reasons)
    assert "want to die" in finding.matched


def test_reasons_quote_what_was_typed_not_the_tidied_form() -> None:
    finding = check("My Dad HITZ me wen im naughty")
    assert finding.matched == ("Dad HITZ me",)
    assert finding.reasons == ('matched "Dad HITZ me" (physical abuse: someone hurting me)',)


def test_a_disclosure_buried_in_a_long_answer_is_found() -> None:
    transport = "The transport is much better this term, the escort is lovely and knows his needs. "
    answer = transport * 40 + "Also my uncle touches me when no one is home. " + transport * 40
    finding = check(answer)
    assert finding.category == "abuse_sexual"
    assert finding.matched == ("uncle touches me",)


def test_nothing_to_flag_in_empty_or_blank_text() -> None:
    assert check("") == Finding(False, None, (), ())
    assert check("   \n\t ") == Finding(False, None, (), ())


def _assert_well_formed(text: str, finding: Finding) -> None:
    assert finding.flagged == (finding.category is not None) == bool(finding.reasons)
    if not finding.flagged:
        assert finding.matched == ()
        return
    assert finding.category in CATEGORIES
    said = " ".join(text.split())
    for phrase in finding.matched:
        assert phrase
        assert phrase in said
        assert any(f'"{phrase}"' in reason for reason in finding.reasons)


def test_dataset_meets_the_recall_and_precision_floors() -> None:
    rows = _rows()
    positives = [r for r in rows if r["expected_flagged"] == "1"]
    negatives = [r for r in rows if r["expected_flagged"] == "0"]
    assert len(positives) >= 150
    assert len(negatives) >= 150
    assert {r["category"] for r in positives} == set(CATEGORIES)
    assert min(Counter(r["category"] for r in positives).values()) >= 15

    found = {r["text"]: check(r["text"]) for r in rows}
    for text, finding in found.items():
        _assert_well_formed(text, finding)
    missed = [r["text"] for r in positives if not found[r["text"]].flagged]
    false_alarms = [r["text"] for r in negatives if found[r["text"]].flagged]
    true_positives = len(positives) - len(missed)
    recall = true_positives / len(positives)
    precision = true_positives / (true_positives + len(false_alarms))
    assert recall >= RECALL_FLOOR, f"recall {recall:.3f}; missed: {missed}"
    assert precision >= PRECISION_FLOOR, f"precision {precision:.3f}; false alarms: {false_alarms}"


def test_the_word_index_finds_exactly_what_trying_every_rule_finds_on_the_dataset() -> None:
    for row in _rows():
        assert check(row["text"]) == check(row["text"], every_rule=True), row["text"]


def test_every_category_keeps_high_recall_on_the_dataset() -> None:
    by_category: dict[str, list[bool]] = {}
    for row in _rows():
        if row["expected_flagged"] == "1":
            by_category.setdefault(row["category"], []).append(check(row["text"]).flagged)
    for category, hits in by_category.items():
        assert sum(hits) / len(hits) >= 0.9, category


_ANY_CHARACTER = st.characters(exclude_categories=())
_PHRASES = st.sampled_from(
    ["my dad", "hits me", "want to", "die", "kms", "k m s", "he'll", "'", "...", "2", "no food"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(_ANY_CHARACTER, max_size=300))
def test_any_text_is_checked_without_error(text: str) -> None:
    _assert_well_formed(text, check(text))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_PHRASES, st.text(_ANY_CHARACTER, max_size=8)), max_size=40))
def test_any_mix_of_rule_words_and_noise_is_checked_without_error(parts: list[str]) -> None:
    text = " ".join(parts)
    _assert_well_formed(text, check(text))


_RULE_WORDS = st.sampled_from(
    sorted(
        {
            word.rstrip("*")
            for rules in RULES.values()
            for rule in rules
            for word in re.findall(r"[\w*]+", rule.pattern + " " + rule.unless_before)
        }
        | {word for words in WORDS.values() for word in re.findall(r"\w+", words)}
    )
)


@pytest.mark.parametrize(
    ("pattern", "words", "prefixes", "always"),
    [
        ("my dad hits", {"my"}, set(), False),
        ("[my] dad hits", {"my", "dad"}, set(), False),
        ("[(my|the)] ...2 (dad|mum*) hits", {"my", "the", "dad"}, {"mum"}, False),
        ("...3 hits me", {"hits"}, set(), False),
        ("(took|had) # tablets", {"tok", "had"}, set(), False),  # squeezed, as messages are
        ("# tablets", set(), set(), True),
        ("[please]", set(), set(), True),
        ("<person> hit* me", {"dad", "mum", "he"}, set(), False),
    ],
)
def test_the_index_reads_each_rules_possible_first_words(
    pattern: str, words: set[str], prefixes: set[str], always: bool
) -> None:
    firsts = detector._firsts(pattern)
    assert words <= firsts.words
    assert prefixes <= firsts.prefixes
    assert (firsts.anything or firsts.nullable) is always
    if not always and not pattern.startswith("..."):
        assert "hits" not in firsts.words  # only what can come first, not every word


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_RULE_WORDS, _PHRASES, st.sampled_from(["1", "'s", "!", "  "])), max_size=25)
)
def test_the_word_index_never_skips_a_rule_that_would_match(parts: list[str]) -> None:
    text = " ".join(parts)
    assert check(text) == check(text, every_rule=True)


@settings(max_examples=15, deadline=None)
@given(st.text(_ANY_CHARACTER, min_size=1, max_size=40))
def test_ten_thousand_character_messages_are_checked(chunk: str) -> None:
    text = (chunk * (10_000 // len(chunk) + 1))[:10_000]
    _assert_well_formed(text, check(text))


@pytest.mark.parametrize(
    "text",
    [
        "a" * 10_000,
        "a " * 5_000,
        "my dad " * 1_430,
        "\x00\x01\x1b[31m\x7f" * 2_000,
        "\ud800\udfff" * 5_000,
        "k m s " * 1_666,
        "he'll'd'm " * 1_000,
    ],
)
def test_long_and_strange_messages_are_checked(text: str) -> None:
    _assert_well_formed(text, check(text))
