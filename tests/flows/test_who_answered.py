"""The built-in "who is answering?" question: asked once, read like any choice, kept apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import engine, who_answered
from flows.engine import preview
from flows.gsm import non_gsm7_characters
from flows.library import load_library
from flows.loader.flowfile import load_flow_text
from flows.outcome import Outcome, PromptKind, Status
from flows.render import render_sms
from flows.schema import Flow
from tests.flows.flowtext import BRANCHING

NOW = datetime(2026, 3, 14, 19, 30, tzinfo=UTC)
WHO = who_answered.STEP_ID
LIBRARY = load_library()


def asking(flow_text: str, setting: str = "ask") -> Flow:
    text = flow_text.replace("max_reprompts: 2\n", f"max_reprompts: 2\nwho_answered: {setting}\n")
    return load_flow_text(text, "branching.yaml")


def play(flow: Flow, replies: list[str], lang: str = "en") -> list[Outcome]:
    out = engine.start(flow, {}, NOW, lang)
    outcomes = [out]
    for i, text in enumerate(replies):
        if out.status is not Status.ACTIVE:
            break
        out = engine.step(flow, out.state, text, NOW + timedelta(minutes=i + 1))
        outcomes.append(out)
    return outcomes


def first_question(out: Outcome) -> str | None:
    asked = [p for p in out.prompts if p.kind is PromptKind.QUESTION]
    return asked[0].step_id if asked else None


def gated(flow: Flow) -> bool:
    """Whether the flow first asks a `gate: true` question ("Can we ask ...?")."""
    step = first_question(engine.start(flow, {}, NOW))
    return step is not None and step != WHO and flow.step(step).gate


@pytest.mark.parametrize("flow", list(LIBRARY), ids=lambda f: f.id)
def test_every_bundled_flow_asks_who_is_answering_before_anything_but_its_gate(flow: Flow) -> None:
    start = engine.start(flow, {}, NOW)
    if gated(flow):
        start = engine.step(flow, start.state, "yes", NOW)
    assert first_question(start) == WHO


def test_a_parent_is_asked_who_is_answering_only_after_agreeing_to_questions() -> None:
    flow = LIBRARY.get("ehcp_experience")
    start, agreed, answered = play(flow, ["yes", "1"])
    assert first_question(start) == "ready"
    assert first_question(agreed) == WHO
    assert answered.answered_by == "self"
    assert first_question(answered) == "my_views"
    start, declined = play(flow, ["no"])
    assert declined.status is Status.COMPLETED
    assert all(p.step_id != WHO for p in declined.prompts)
    assert declined.answered_by is None


@pytest.mark.parametrize(
    ("flow_id", "lang", "reply", "expected"),
    [
        ("post_event", "en", "1", "self"),
        ("post_event", "en", "2", "with_help"),
        ("post_event", "en", "3", "for_them"),
        ("post_event", "en", "me", "self"),
        ("post_event", "en", "with help", "with_help"),
        ("post_event", "en", "someone else", "for_them"),
        ("post_event", "cy", "gyda help", "with_help"),
        ("post_event", "cy", "rhywun arall", "for_them"),
        ("post_event", "en", "skip", "unknown"),
        ("post_event", "cy", "sgip", "unknown"),
        ("young_person_voice", "en", "no", "self"),
        ("young_person_voice", "en", "just me", "self"),
        ("young_person_voice", "en", "yes", "with_help"),
        ("young_person_voice", "en", "someone answers for me", "for_them"),
        ("young_person_voice", "cy", "nac oes", "self"),
        ("young_person_voice", "cy", "oes", "with_help"),
        ("you_said_we_did", "en", "2", "with_help"),
    ],
)
def test_replies_are_read_like_any_choice_in_english_and_welsh(
    flow_id: str, lang: str, reply: str, expected: str
) -> None:
    flow = LIBRARY.get(flow_id)
    _start, answered = play(flow, [reply], lang)
    assert answered.answered_by == expected
    assert answered.answers == ()  # never one of the flow's own answers
    assert first_question(answered) not in (None, WHO)  # on to the flow's first question


def test_replies_that_never_fit_are_recorded_as_unknown_and_the_survey_goes_on() -> None:
    flow = LIBRARY.get("post_event")
    outcomes = play(flow, ["banana", "purple", "what"])
    assert [o.answered_by for o in outcomes] == [None, None, None, "unknown"]
    assert first_question(outcomes[-1]) == "attended"


def test_parents_and_young_people_are_asked_in_their_own_words() -> None:
    parent = preview(LIBRARY.get("post_event"), WHO, "en")
    young = preview(LIBRARY.get("young_person_voice"), WHO, "en")
    assert parent.text == "Who is answering?"
    assert [o.label for o in parent.options] == [
        "Parent or carer",
        "Parent or carer, with help",
        "Someone else, for them",
    ]
    assert young.text == "Is anyone helping you answer?"
    assert young.options[0].label == "No, just me"
    assert [o.value for o in young.options] == list(who_answered.VALUES)


@pytest.mark.parametrize(
    ("flow", "lang"),
    [(f, lang) for f in LIBRARY for lang in f.languages],
    ids=lambda v: v.id if isinstance(v, Flow) else v,
)
def test_the_question_is_one_gsm7_segment_in_every_language(flow: Flow, lang: str) -> None:
    prompt = preview(flow, WHO, lang)
    [sms] = render_sms([prompt])
    assert sms.segments.encoding == "GSM-7"
    assert sms.segments.segments == 1, sms.text
    assert not non_gsm7_characters(sms.text)


def test_a_route_past_the_first_question_still_asks_who_first_then_goes_on() -> None:
    text = BRANCHING.replace(
        '    say: {en: "Hi {first_name}, about {event_name}.", cy: "Helo {first_name}, am {event_name}."}\n',
        '    say: {en: "Hi {first_name}, about {event_name}.", cy: "Helo {first_name}, am {event_name}."}\n'
        "    next: rating\n",
    )
    flow = asking(text)
    start, answered = play(flow, ["1"])
    assert first_question(start) == WHO
    assert first_question(answered) == "rating"


def test_back_from_the_first_question_asks_who_again_and_takes_the_answer_back() -> None:
    flow = asking(BRANCHING)
    _start, answered, back, again = play(flow, ["2", "back", "3"])
    assert answered.answered_by == "with_help"
    assert back.retracted == (WHO,)
    assert back.prompts[-1].step_id == WHO
    assert again.answered_by == "for_them"
    assert first_question(again) == "attended"


def test_restart_asks_who_again() -> None:
    flow = asking(BRANCHING)
    *_, restarted = play(flow, ["1", "yes", "restart"])
    assert WHO in restarted.retracted
    assert first_question(restarted) == WHO


def test_a_flow_without_the_setting_or_set_off_never_asks_it() -> None:
    for flow in (load_flow_text(BRANCHING, "branching.yaml"), asking(BRANCHING, "off")):
        assert flow.who_answered is None
        outcomes = play(flow, ["yes", "4", "1"])
        assert all(o.answered_by is None for o in outcomes)
        assert first_question(outcomes[0]) == "attended"


def test_a_conversation_begun_before_the_flow_asked_it_is_not_interrupted() -> None:
    before = load_flow_text(BRANCHING, "branching.yaml")
    out = engine.step(before, engine.start(before, {}, NOW).state, "yes", NOW)
    after = asking(BRANCHING)
    next_out = engine.step(after, out.state, "4", NOW)
    assert first_question(next_out) == "topics"
    assert next_out.answered_by is None


def test_help_on_the_question_says_why_it_is_asked() -> None:
    flow = LIBRARY.get("post_event")
    _start, helped = play(flow, ["help"])
    assert "read your answers right" in helped.prompts[0].text
    assert helped.prompts[-1].step_id == WHO


# Replies a person might send, commands that go back excluded: BACK and RESTART ask again on purpose.
REPLIES = st.one_of(
    st.sampled_from(
        [
            *("1", "2", "3", "4", "5", "9", "yes", "no", "skip", "sgip", "help", "repeat"),
            *("me", "dont know", "with help", "someone else", "nac oes", "gyda help"),
            "The bus was late",
        ]
    ),
    st.text(alphabet="abcdefghij 0123456789", min_size=1, max_size=12),
)


@settings(max_examples=120, deadline=None)
@given(
    flow=st.sampled_from([*LIBRARY, asking(BRANCHING)]),
    lang=st.sampled_from(["en", "cy"]),
    replies=st.lists(REPLIES, max_size=14),
)
def test_asked_exactly_once_recorded_once_and_never_as_a_question_answer(
    flow: Flow, lang: str, replies: list[str]
) -> None:
    outcomes = play(flow, replies, lang)
    asked = [
        p for o in outcomes for p in o.prompts if p.step_id == WHO and p.kind is PromptKind.QUESTION
    ]
    # Asked at the start, or after a gate's yes (never, if the gate is declined).
    assert len(asked) <= 1
    if not gated(flow):
        assert len(asked) == 1
    recorded = [o.answered_by for o in outcomes if o.answered_by is not None]
    assert len(recorded) <= 1
    assert all(r in who_answered.RECORDED for r in recorded)
    assert all(a.step_id != WHO for o in outcomes for a in o.answers)
    # Once the survey has moved past it, the conversation has said who answered.
    asked_next = [first_question(o) for o in outcomes[1:]]
    if any(q not in (None, WHO) and not flow.step(q).gate for q in asked_next):
        assert len(recorded) == 1


@settings(max_examples=60, deadline=None)
@given(
    flow=st.sampled_from([*LIBRARY, asking(BRANCHING)]),
    lang=st.sampled_from(["en", "cy"]),
    skip=st.sampled_from(["skip", "SKIP", "Skip please", "sgip"]),
)
def test_a_skip_is_recorded_as_unknown(flow: Flow, lang: str, skip: str) -> None:
    lang = lang if lang in flow.languages else flow.default_language
    if skip == "sgip" and lang != "cy":
        skip = "skip"
    *_, skipped = play(flow, ["yes", skip] if gated(flow) else [skip], lang)
    assert skipped.answered_by == "unknown"
    assert skipped.answers == ()
