from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.gsm import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    SegmentInfo,
    count_segments,
    is_gsm7,
    non_gsm7_characters,
    to_gsm7,
)

EMOJI = "😀"  # outside the BMP: a surrogate pair, two UTF-16 units


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),
        ("€" * 81, "GSM-7", 162, 2),
        # 152 septets, then a 2-septet € that may not straddle: part two starts with it.
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),
        ("ŵ" * 70, "UCS-2", 70, 1),
        ("ŵ" * 71, "UCS-2", 71, 2),
        (EMOJI * 34, "UCS-2", 68, 1),
        (EMOJI * 35, "UCS-2", 70, 1),
        (EMOJI * 36, "UCS-2", 72, 2),
        # 66 units, then a surrogate pair that may not be split: part two starts with it.
        ("ŵ" * 66 + EMOJI + "ŵ" * 66, "UCS-2", 134, 3),
    ],
)
def test_segment_counts_match_what_the_network_bills(
    text: str, encoding: str, units: int, segments: int
) -> None:
    assert count_segments(text) == SegmentInfo(encoding, units, segments, len(text))  # type: ignore[arg-type]


def test_accented_letters_in_the_gsm_alphabet_stay_cheap() -> None:
    info = count_segments("é" * 160)
    assert (info.encoding, info.segments) == ("GSM-7", 1)


def test_one_welsh_letter_turns_a_long_english_text_into_ucs2() -> None:
    english = "Thank you for coming to the coffee morning. " * 4
    assert count_segments(english + "Diolch yn fawr, wyr.") == SegmentInfo("GSM-7", 196, 2, 196)
    assert count_segments(english + "Diolch yn fawr, ŵyr.") == SegmentInfo("UCS-2", 196, 3, 196)


def test_extension_characters_cost_two_septets() -> None:
    assert count_segments("{[€]}").units == 10
    assert count_segments("\f").units == 2


def test_alphabet_has_the_known_letters() -> None:
    assert set("£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r @") <= GSM7_BASIC
    assert len(GSM7_BASIC) == 127  # 128 codes, one of them the escape to the extension table
    assert set("^{}\\[~]|€\f") == GSM7_EXTENSION
    assert not GSM7_BASIC & GSM7_EXTENSION


def test_non_gsm7_characters_are_distinct_and_in_order() -> None:
    assert non_gsm7_characters("Sut mae? ŵ ŷ ŵ â 😀 ok") == ["ŵ", "ŷ", "â", EMOJI]
    assert non_gsm7_characters("Plain text, £5 €3") == []
    assert is_gsm7("Plain text, £5 €3 {ok}")
    assert not is_gsm7("Croeso i’r")


def test_smart_punctuation_becomes_gsm7() -> None:
    text = "‘Don’t’ “quote” – 10—20 … a\u00a0b\u2009c • d\u200be"
    assert to_gsm7(text) == "'Don't' \"quote\" - 10-20 ... a b c - de"
    assert is_gsm7(to_gsm7(text))


def test_to_gsm7_leaves_meaningful_characters_alone() -> None:
    text = "Croeso! Sut mae’r plant? ŵ ŷ â 😀 👨\u200d👩\u200d👧"
    assert to_gsm7(text) == "Croeso! Sut mae'r plant? ŵ ŷ â 😀 👨\u200d👩\u200d👧"


@given(st.text())
def test_to_gsm7_only_takes_away_costly_characters(text: str) -> None:
    cleaned = to_gsm7(text)
    assert set(non_gsm7_characters(cleaned)) <= set(non_gsm7_characters(text))
    assert to_gsm7(cleaned) == cleaned


@given(st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION)))
def test_every_gsm7_part_fits_153_septets(text: str) -> None:
    info = count_segments(text)
    assert info.encoding == "GSM-7"
    if info.units > 160:
        assert info.segments >= -(-info.units // 153)
        assert info.segments <= -(-info.units // 152)


def _placed(text: str) -> int:
    """Segments by placing each character in turn: the definition the arithmetic must match."""
    costs = [2 if c in GSM7_EXTENSION else 1 for c in text]
    if sum(costs) <= 160:
        return 1 if text else 0
    segments, used = 1, 0
    for cost in costs:
        if used + cost > 153:
            segments, used = segments + 1, 0
        used += cost
    return segments


@given(st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION), max_size=700))
def test_segment_arithmetic_matches_placing_each_character(text: str) -> None:
    assert count_segments(text).segments == _placed(text)


@given(st.integers(min_value=0, max_value=1000))
def test_long_plain_texts_cost_a_segment_per_153_characters(length: int) -> None:
    assert count_segments("a" * length).segments == _placed("a" * length)
