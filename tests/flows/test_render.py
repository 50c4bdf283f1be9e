from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.outcome import Prompt, PromptKind, PromptOption
from flows.render import (
    ChatButton,
    Rendered,
    callback_data,
    parse_callback_data,
    render,
    render_chat,
    render_sms,
)
from flows.schema import Special, StepType

SCALE = (
    PromptOption("1", "1", "Not useful", "😞"),
    PromptOption("2", "2", "A little useful", "😐"),
    PromptOption("3", "3", "Quite useful", "🙂"),
    PromptOption("4", "4", "Very useful", "😀"),
    PromptOption("5", "5", "Extremely useful", "🤩"),
)
YES_NO = (PromptOption("1", "yes", "Yes", "👍"), PromptOption("2", "no", "No", "👎"))


def question(step_type: StepType, text: str = "How useful was it?", **kw: Any) -> Prompt:
    return Prompt(PromptKind.QUESTION, text, step_id="q", step_type=step_type, seq=3, **kw)


def rating(**kw: Any) -> Prompt:
    return question(StepType.SCALE, options=SCALE, specials=(Special.SKIP,), **kw)


def say(text: str, kind: PromptKind = PromptKind.MESSAGE, language: str = "en") -> Prompt:
    return Prompt(kind, text, language=language)


# --- SMS --------------------------------------------------------------------------------------


def test_post_event_question_renders_as_numbered_gsm7_text() -> None:
    thanks = say("Thanks for coming to ‘Moving on’ on 14 March – we’d love to hear how it went.")
    [sms] = render_sms([thanks, rating()], opt_out_notice=True)
    assert sms.text == (
        "Thanks for coming to 'Moving on' on 14 March - we'd love to hear how it went.\n"
        "\n"
        "How useful was it?\n"
        "1 Not useful\n"
        "2 A little useful\n"
        "3 Quite useful\n"
        "4 Very useful\n"
        "5 Extremely useful\n"
        "Reply with a number. Or SKIP.\n"
        "Reply STOP to opt out."
    )
    assert sms.segments.encoding == "GSM-7"
    assert sms.segments.segments == 2


def test_welsh_prompt_with_w_circumflex_is_ucs2_with_welsh_instructions() -> None:
    prompt = rating(language="cy", text="Pa mor ddefnyddiol oedd y sesiwn i'ch ŵyr?")
    [sms] = render_sms([prompt], opt_out_notice=True)
    assert sms.segments.encoding == "UCS-2"
    assert sms.text.splitlines()[-2:] == [
        "Atebwch gyda rhif. Neu SGIP.",
        "Atebwch STOP i optio allan.",
    ]


def test_smart_quotes_in_labels_and_text_become_gsm7() -> None:
    options = (
        PromptOption("1", "a", "“Too long”", None),
        PromptOption("2", "b", "It’s fine", None),
    )
    [sms] = render_sms([question(StepType.CHOICE, "What’s the “main” thing…", options=options)])
    assert sms.segments.encoding == "GSM-7"
    assert sms.text == (
        'What\'s the "main" thing...\n1 "Too long"\n2 It\'s fine\nReply with a number.'
    )


def test_emoji_are_left_out_of_sms_options() -> None:
    [sms] = render_sms([rating()])
    assert sms.segments.encoding == "GSM-7"
    assert "😞" not in sms.text


def test_opt_out_notice_is_the_last_line() -> None:
    prompts = [say("Hello."), rating(), say("OK, skipped.", PromptKind.INFO)]
    [sms] = render_sms(prompts, opt_out_notice=True)
    assert sms.text.endswith("OK, skipped.\nReply STOP to opt out.")
    [plain] = render_sms(prompts)
    assert "STOP" not in plain.text


def test_plain_yes_no_asks_for_yes_or_no_without_numbers() -> None:
    [sms] = render_sms([question(StepType.YES_NO, "Did you go?", options=YES_NO)])
    assert sms.text == "Did you go?\nReply YES or NO."
    cy = (PromptOption("1", "yes", "Ie", None), PromptOption("2", "no", "Na", None))
    prompt = question(StepType.YES_NO, "Aethoch chi?", options=cy, language="cy")
    assert render_sms([prompt])[0].text == "Aethoch chi?\nAtebwch IE neu NA."


def test_relabelled_yes_no_is_numbered() -> None:
    options = (
        PromptOption("1", "yes", "Yes, call me", None),
        PromptOption("2", "no", "Not now", None),
    )
    [sms] = render_sms([question(StepType.YES_NO, "Shall we call?", options=options)])
    assert sms.text == "Shall we call?\n1 Yes, call me\n2 Not now\nReply with a number."


def test_multi_choice_asks_for_all_numbers() -> None:
    options = tuple(PromptOption(str(i), v, v.title(), None) for i, v in enumerate("abc", 1))
    prompt = question(StepType.MULTI_CHOICE, "What helped?", options=options, multi=True)
    assert render_sms([prompt])[0].text == (
        "What helped?\n1 A\n2 B\n3 C\nReply with all the numbers that apply, e.g. 1,3."
    )


def test_text_question_has_no_instruction_but_names_every_way_out() -> None:
    both = (Special.DONT_KNOW, Special.SKIP)
    assert render_sms([question(StepType.TEXT, "Anything else?")])[0].text == "Anything else?"
    skip = question(StepType.TEXT, "Anything else?", specials=both)
    assert render_sms([skip])[0].text == "Anything else? Or SKIP, or DON'T KNOW."
    every = question(StepType.TEXT, "Why?", specials=(*both, Special.PREFER_NOT_TO_SAY))
    assert render_sms([every])[0].text == "Why? Or SKIP, or DON'T KNOW, or RATHER NOT SAY."
    dont_know = question(StepType.NUMBER, "How old?", specials=(Special.DONT_KNOW,))
    assert render_sms([dont_know])[0].text == "How old? Or DON'T KNOW."


def test_reprompt_is_text_and_hint_without_options() -> None:
    prompt = Prompt(
        PromptKind.REPROMPT,
        "Sorry, I didn't get that.",
        step_type=StepType.SCALE,
        options=SCALE,
        specials=(Special.SKIP,),
        hint="Reply with a number from 1 to 5.",
    )
    [sms] = render_sms([prompt])
    assert sms.text == "Sorry, I didn't get that.\nReply with a number from 1 to 5."


def test_other_languages_fall_back_to_english() -> None:
    [sms] = render_sms([rating(language="fr")], opt_out_notice=True)
    assert sms.text.endswith("Reply with a number. Or SKIP.\nReply STOP to opt out.")


def test_long_text_splits_between_sentences_into_pieces_that_fit() -> None:
    sentence = "We want to hear how the new transport arrangements are working for your family. "
    text = (sentence * 19).strip()  # about 1,500 characters, one paragraph
    pieces = render_sms([say(text)], max_segments=4)
    assert len(pieces) == 3
    assert all(p.segments.segments <= 4 for p in pieces)
    assert all(p.text.endswith("family.") for p in pieces)
    assert " ".join(p.text for p in pieces) == text


def test_question_stays_with_its_options_when_split() -> None:
    intro = say(" ".join(["This paragraph is long enough to need a segment of its own."] * 4))
    pieces = render_sms([intro, rating()], max_segments=2)
    assert len(pieces) == 2
    assert pieces[1].text.startswith("How useful was it?\n1 Not useful")
    assert pieces[1].text.endswith("Reply with a number. Or SKIP.")


def test_a_word_longer_than_the_limit_is_cut_without_losing_letters() -> None:
    word = "x" * 400
    pieces = render_sms([say(f"Link: {word} end")], max_segments=1)
    assert all(p.segments.segments == 1 for p in pieces)
    assert "".join(p.text.replace(" ", "") for p in pieces) == f"Link:{word}end"


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzŵ'", min_size=1, max_size=12)
separators = st.sampled_from([" ", " ", " ", ". ", "\n", "\n\n", ", "])


@given(
    st.lists(st.tuples(words, separators), min_size=100, max_size=300),
    st.integers(min_value=1, max_value=4),
)
def test_split_keeps_every_word_in_order(parts: list[tuple[str, str]], max_segments: int) -> None:
    text = "".join(w + s for w, s in parts)
    pieces = render_sms([say(text)], max_segments=max_segments)
    assert all(0 < p.segments.segments <= max_segments for p in pieces)
    joined = " ".join(p.text for p in pieces)
    assert joined.split() == text.split()


# --- chat -------------------------------------------------------------------------------------


def rows_text(rows: tuple[tuple[ChatButton, ...], ...]) -> list[list[str]]:
    return [[b.text for b in row] for row in rows]


def test_scale_gets_one_button_per_row_when_labels_are_long_and_a_skip_row() -> None:
    [message] = render_chat([rating()])
    assert message.text == "How useful was it?"
    assert rows_text(message.buttons) == [
        ["😞 Not useful"],
        ["😐 A little useful"],
        ["🙂 Quite useful"],
        ["😀 Very useful"],
        ["🤩 Extremely useful"],
        ["Skip"],
    ]
    assert [b.data for row in message.buttons for b in row] == [
        "a:3:1",
        "a:3:2",
        "a:3:3",
        "a:3:4",
        "a:3:5",
        "a:3:skip",
    ]


def test_short_scale_and_yes_no_fit_in_one_row() -> None:
    faces = tuple(PromptOption(str(i), str(i), str(i), None) for i in range(1, 6))
    [scale] = render_chat([question(StepType.SCALE, options=faces)])
    assert rows_text(scale.buttons) == [["1", "2", "3", "4", "5"]]
    [yes_no] = render_chat([question(StepType.YES_NO, "Did you go?", options=YES_NO)])
    assert rows_text(yes_no.buttons) == [["👍 Yes", "👎 No"]]


def test_choice_is_one_per_row_even_when_short() -> None:
    options = (PromptOption("1", "a", "Bus", None), PromptOption("2", "b", "Taxi", None))
    [message] = render_chat([question(StepType.CHOICE, "How?", options=options)])
    assert rows_text(message.buttons) == [["Bus"], ["Taxi"]]


def test_special_buttons_are_labelled_in_the_conversation_language() -> None:
    specials = (Special.PREFER_NOT_TO_SAY, Special.SKIP, Special.DONT_KNOW)
    [en, cy] = render_chat(
        [
            question(StepType.TEXT, specials=specials),
            question(StepType.TEXT, specials=specials, language="cy"),
        ]
    )
    assert [b.text for row in en.buttons for b in row] == [
        "Skip",
        "Don't know",
        "Prefer not to say",
    ]
    assert [b.text for row in cy.buttons for b in row] == [
        "Sgipio",
        "Ddim yn gwybod",
        "Gwell peidio dweud",
    ]
    assert [b.data for row in en.buttons for b in row] == [
        "a:3:skip",
        "a:3:dont_know",
        "a:3:prefer_not_to_say",
    ]


def test_multi_choice_lists_numbers_and_has_no_option_buttons() -> None:
    options = (PromptOption("1", "a", "Speakers", "🎤"), PromptOption("2", "b", "Food", None))
    prompt = question(StepType.MULTI_CHOICE, "What helped?", options=options, multi=True)
    [message] = render_chat([prompt])
    assert message.text == "What helped?\n1 Speakers\n2 Food\nType the numbers, e.g. 1,3"
    assert message.buttons == ()


def test_single_choice_text_has_no_numbered_list_or_typing_hint() -> None:
    [message] = render_chat([rating()])
    assert "1 Not useful" not in message.text
    assert "Reply" not in message.text


def test_messages_are_separate_bubbles_in_order_and_keep_their_characters() -> None:
    prompts = [say("Hi “Sam” 👋"), rating(), say("Bye", PromptKind.GOODBYE)]
    messages = render_chat(prompts)
    assert [m.text for m in messages] == ["Hi “Sam” 👋", "How useful was it?", "Bye"]
    assert messages[0].buttons == messages[2].buttons == ()


def test_reprompt_in_chat_offers_the_buttons_again() -> None:
    prompt = Prompt(
        PromptKind.REPROMPT,
        "Please tap one of the buttons.",
        step_type=StepType.SCALE,
        options=SCALE,
        seq=4,
        hint="Reply with a number from 1 to 5.",
    )
    [message] = render_chat([prompt])
    assert message.text == "Please tap one of the buttons."
    assert message.buttons[0][0].data == "a:4:1"


def test_reprompt_in_chat_without_buttons_carries_the_hint() -> None:
    prompt = Prompt(
        PromptKind.REPROMPT,
        "That doesn't look like a date.",
        step_type=StepType.DATE,
        specials=(Special.SKIP,),
        hint="Type it like 14/03/2025.",
    )
    [message] = render_chat([prompt])
    assert message.text == "That doesn't look like a date.\nType it like 14/03/2025."
    assert rows_text(message.buttons) == [["Skip"]]


def test_callback_data_round_trips() -> None:
    assert parse_callback_data("a:3:skip") == (3, "skip")
    assert parse_callback_data(callback_data(12, "2")) == (12, "2")


keys = st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=15)


@given(st.integers(min_value=0, max_value=10**12), keys)
def test_callback_data_round_trips_any_short_key(seq: int, key: str) -> None:
    data = callback_data(seq, key)
    assert len(data.encode()) <= 64
    assert parse_callback_data(data) == (seq, key)


@given(st.integers(min_value=0, max_value=10**12), st.text(min_size=1, max_size=100))
def test_callback_data_always_fits_in_64_bytes(seq: int, key: str) -> None:
    assert len(callback_data(seq, key).encode()) <= 64


def test_every_button_fits_64_bytes_even_with_a_long_key() -> None:
    long_key = "ŵ" * 100
    options = (PromptOption(long_key, "a", "A", None), PromptOption("2", "b", "B", None))
    [message] = render_chat([question(StepType.CHOICE, options=options, specials=(Special.SKIP,))])
    for row in message.buttons:
        for button in row:
            assert len(button.data.encode()) <= 64
            assert parse_callback_data(button.data) is not None


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "a:",
        "a:3",
        "a:3:",
        "b:3:1",
        "a:-1:1",
        "a:03:1",
        "a:٣:1",
        "a:3: 1",
        "a:3:1\n",
        "a:1:" + "x" * 70,
    ],
)
def test_forged_callback_data_is_rejected(forged: str | None) -> None:
    assert parse_callback_data(forged) is None


@given(st.text())
def test_arbitrary_callback_data_never_raises(data: str) -> None:
    parsed = parse_callback_data(data)
    if parsed is not None:
        seq, key = parsed
        assert seq >= 0
        assert key
        assert data == f"a:{seq}:{key}"


# --- both -------------------------------------------------------------------------------------


def test_render_dispatches_by_style() -> None:
    [sms] = render("sms", [rating()], opt_out_notice=True)
    assert sms.body.endswith("Reply STOP to opt out.")
    assert sms.buttons == ()
    assert sms.segments == 1
    [chat] = render("chat", [rating()], opt_out_notice=True)
    assert chat == Rendered("How useful was it?", render_chat([rating()])[0].buttons, 1)
