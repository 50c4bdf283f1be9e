from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import engine
from flows.outcome import Event, PromptKind, Reply, Status
from flows.schema import Special
from tests.flows.flowtext import branching

NOW = datetime(2026, 3, 14, 19, 30, tzinfo=UTC)
CONTEXT = {"first_name": "Sam", "event_name": "the coffee morning"}


def run(replies: list[str], lang: str = "en"):
    flow = branching()
    out = engine.start(flow, CONTEXT, NOW, lang)
    outcomes = [out]
    for i, text in enumerate(replies):
        out = engine.step(flow, out.state, text, NOW + timedelta(minutes=i + 1))
        outcomes.append(out)
    return outcomes


def test_start_says_messages_then_asks_the_first_question() -> None:
    out = engine.start(branching(), CONTEXT, NOW)
    assert [p.kind for p in out.prompts] == [PromptKind.MESSAGE, PromptKind.QUESTION]
    assert out.prompts[0].text == "Hi Sam, about the coffee morning."
    assert out.prompts[1].text == "Did you go?"
    assert [(o.key, o.value, o.label) for o in out.prompts[1].options] == [
        ("1", "yes", "Yes"),
        ("2", "no", "No"),
    ]
    assert out.prompts[1].specials == (Special.SKIP,)
    assert out.status is Status.ACTIVE
    assert out.wake_at == NOW + timedelta(days=2)


def test_missing_first_name_reads_naturally() -> None:
    out = engine.start(branching(), {"event_name": "the workshop"}, NOW)
    assert out.prompts[0].text == "Hi there, about the workshop."


def test_personal_values_fill_texts_but_never_reach_the_state() -> None:
    flow = branching()
    personal = {"first_name": "Rhiannon"}
    out = engine.start(flow, {"event_name": "the workshop"}, NOW, personal=personal)
    assert out.prompts[0].text == "Hi Rhiannon, about the workshop."
    again = engine.step(flow, out.state, "repeat", NOW, personal=personal)
    assert "Rhiannon" not in json.dumps([out.state, again.state])
    # Without them (a caller that cannot read the name) the text still reads naturally.
    assert engine.start(flow, {}, NOW).prompts[0].text == "Hi there, about the event."


def test_a_full_conversation_records_typed_answers_and_completes() -> None:
    outcomes = run(["yes", "4", "1 and 3"])
    answers = [a for o in outcomes for a in o.answers]
    assert [(a.step_id, a.value, a.raw) for a in answers] == [
        ("attended", True, "yes"),
        ("rating", 4, "4"),
        ("topics", ["talks", "leaflets"], "1 and 3"),
    ]
    last = outcomes[-1]
    assert last.status is Status.COMPLETED
    assert Event.COMPLETED in last.events
    assert last.wake_at is None
    assert last.prompts[-1].kind is PromptKind.GOODBYE


def test_low_rating_branches_to_the_problem_question() -> None:
    outcomes = run(["yes", "2"])
    assert outcomes[-1].prompts[0].step_id == "problem"


def test_no_branches_past_the_rating_and_ends_with_the_closing_message() -> None:
    outcomes = run(["no", "The bus didn't come"])
    assert outcomes[1].prompts[0].step_id == "why_not"
    assert outcomes[-1].prompts[-1].text == "Thanks."
    assert outcomes[-1].status is Status.COMPLETED


def test_a_reply_that_does_not_fit_gets_a_helpful_reprompt() -> None:
    outcomes = run(["yes", "banana"])
    prompt = outcomes[-1].prompts[0]
    assert prompt.kind is PromptKind.REPROMPT
    assert prompt.text == (
        "Sorry, I didn't understand that. Please reply with a number from 1 to 5, or SKIP, "
        "or DON'T KNOW."
    )
    assert outcomes[-1].answers == ()
    assert Event.REPROMPTED in outcomes[-1].events


def test_after_max_reprompts_the_step_is_skipped_and_marked() -> None:
    outcomes = run(["yes", "banana", "apple", "pear"])
    last = outcomes[-1]
    assert Event.GAVE_UP_ON_STEP in last.events
    assert [(a.step_id, a.special) for a in last.answers] == [("rating", Special.NO_VALID_ANSWER)]
    assert last.prompts[-1].step_id == "topics"


def test_skip_is_recorded_as_skip_when_allowed() -> None:
    outcomes = run(["yes", "skip"])
    assert [(a.step_id, a.value, a.special) for a in outcomes[-1].answers] == [
        ("rating", None, Special.SKIP)
    ]


def test_skip_is_refused_where_the_question_does_not_allow_it() -> None:
    outcomes = run(["yes", "4", "skip"])
    prompt = outcomes[-1].prompts[0]
    assert prompt.kind is PromptKind.REPROMPT
    assert prompt.text.startswith("This question needs an answer.")


def test_back_returns_to_the_previous_question_and_retracts_its_answer() -> None:
    outcomes = run(["yes", "back"])
    last = outcomes[-1]
    assert last.retracted == ("attended",)
    assert last.prompts[0].step_id == "attended"
    assert last.prompts[0].kind is PromptKind.REPEAT
    again = engine.step(branching(), last.state, "no", NOW + timedelta(hours=1))
    assert again.prompts[0].step_id == "why_not"


def test_back_on_the_first_question_explains_and_repeats() -> None:
    outcomes = run(["back"])
    assert [p.kind for p in outcomes[-1].prompts] == [PromptKind.INFO, PromptKind.REPEAT]
    assert outcomes[-1].retracted == ()


def test_restart_clears_answers_and_starts_again() -> None:
    outcomes = run(["yes", "4", "restart"])
    last = outcomes[-1]
    assert set(last.retracted) == {"attended", "rating"}
    assert Event.RESTARTED in last.events
    assert [p.kind for p in last.prompts] == [
        PromptKind.INFO,
        PromptKind.MESSAGE,
        PromptKind.QUESTION,
    ]
    assert last.state["values"] == {}


def test_stop_ends_the_conversation_and_asks_the_caller_to_record_the_opt_out() -> None:
    outcomes = run(["yes", "STOP"])
    assert outcomes[-1].status is Status.STOPPED
    assert Event.OPTED_OUT in outcomes[-1].events
    assert outcomes[-1].prompts == ()
    assert outcomes[-1].wake_at is None


def test_help_gives_flow_help_and_commands_then_repeats_the_question() -> None:
    outcomes = run(["help"])
    kinds = [p.kind for p in outcomes[-1].prompts]
    assert kinds == [PromptKind.HELP, PromptKind.HELP, PromptKind.REPEAT]
    assert outcomes[-1].prompts[0].text == "We ask about the workshop."
    assert "BACK" in outcomes[-1].prompts[1].text


def test_repeat_repeats_without_changing_the_button_sequence() -> None:
    outcomes = run(["repeat"])
    assert outcomes[-1].prompts[0].kind is PromptKind.REPEAT
    assert outcomes[-1].prompts[0].seq == outcomes[0].prompts[-1].seq


def test_a_button_from_an_earlier_question_is_recognised() -> None:
    flow = branching()
    first = engine.start(flow, CONTEXT, NOW)
    old_seq = first.prompts[-1].seq
    second = engine.step(flow, first.state, Reply.button(old_seq, "1"), NOW)
    third = engine.step(flow, second.state, Reply.button(old_seq, "2"), NOW)
    assert Event.STALE_BUTTON in third.events
    assert third.answers == ()
    assert third.prompts[0].kind is PromptKind.INFO
    assert third.prompts[1].step_id == "rating"


def test_a_current_button_answers_the_question() -> None:
    flow = branching()
    first = engine.start(flow, CONTEXT, NOW)
    out = engine.step(flow, first.state, Reply.button(first.prompts[-1].seq, "2"), NOW)
    assert out.answers[0].value is False


def test_welsh_conversation_uses_welsh_texts_and_understands_welsh() -> None:
    outcomes = run(["ydw", "pump"], lang="cy")
    assert outcomes[0].prompts[1].text == "Aethoch chi?"
    assert outcomes[0].prompts[1].options[0].label == "Ie"
    assert [a.value for o in outcomes for a in o.answers] == [True, 5]
    bad = engine.step(branching(), outcomes[-1].state, "xyz", NOW)
    assert bad.prompts[0].text.startswith("Mae'n ddrwg gen i")


def test_text_answers_are_cut_to_the_limit_but_raw_text_is_kept() -> None:
    long = "The room was far too hot and noisy"
    outcomes = run(["yes", "1", long])
    answer = outcomes[-1].answers[0]
    assert answer.value == long[:20]
    assert answer.raw == long


def test_expiry_ends_the_conversation_and_keeps_answers() -> None:
    flow = branching()
    out = engine.start(flow, CONTEXT, NOW)
    out = engine.step(flow, out.state, "yes", NOW)
    assert engine.timeout(flow, out.state, NOW + timedelta(days=1)).status is Status.ACTIVE
    expired = engine.timeout(flow, out.state, NOW + timedelta(days=2))
    assert expired.status is Status.EXPIRED
    assert expired.prompts == ()
    assert expired.state["values"] == {"attended": True}
    late = engine.step(flow, out.state, "4", NOW + timedelta(days=3))
    assert late.status is Status.EXPIRED
    assert late.answers == ()


def test_activity_extends_the_expiry() -> None:
    flow = branching()
    out = engine.start(flow, CONTEXT, NOW)
    later = NOW + timedelta(days=1)
    out = engine.step(flow, out.state, "yes", later)
    assert out.wake_at == later + timedelta(days=2)


def test_an_ended_conversation_ignores_further_replies() -> None:
    outcomes = run(["yes", "STOP"])
    after = engine.step(branching(), outcomes[-1].state, "5", NOW)
    assert after.status is Status.STOPPED
    assert after.prompts == ()
    assert after.answers == ()


def test_engine_is_deterministic_and_state_is_json() -> None:
    a = run(["yes", "2", "too hot", "1,2"])
    b = run(["yes", "2", "too hot", "1,2"])
    assert a == b
    for out in a:
        assert json.loads(json.dumps(out.state)) == out.state


def test_a_step_removed_from_a_newer_flow_version_finishes_gracefully() -> None:
    flow = branching()
    out = engine.start(flow, CONTEXT, NOW)
    state = dict(out.state, step="no_such_step")
    after = engine.step(flow, state, "yes", NOW)
    assert after.status is Status.COMPLETED


REPLIES = st.one_of(
    st.sampled_from(
        [
            "yes",
            "no",
            "1",
            "5",
            "2",
            "1,3",
            "skip",
            "back",
            "restart",
            "help",
            "repeat",
            "",
            "don't know",
            "prefer not to say",
            "STOP",
            "banana",
            "👍",
            "10/10",
        ]
    ),
    st.text(max_size=60),
)


@settings(max_examples=150, deadline=None)
@given(replies=st.lists(REPLIES, max_size=25), lang=st.sampled_from(["en", "cy"]))
def test_any_sequence_of_replies_keeps_the_conversation_consistent(
    replies: list[str], lang: str
) -> None:
    flow = branching()
    out = engine.start(flow, CONTEXT, NOW, lang)
    stored: dict[str, object] = {}
    for i, text in enumerate(replies):
        out = engine.step(flow, out.state, text, NOW + timedelta(seconds=i))
        for step_id in out.retracted:
            stored.pop(step_id, None)
        for a in out.answers:
            stored[a.step_id] = a.value
        json.dumps(out.state)
        if out.status is Status.ACTIVE:
            assert out.state["step"] is not None
            assert any(p.step_id == out.state["step"] for p in out.prompts) or not out.prompts
        else:
            assert out.wake_at is None
    # What the caller stored from answers and retractions equals the engine's own memory.
    assert stored == out.state["values"]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_skipping_everything_always_finishes(lang: str) -> None:
    flow = branching()
    out = engine.start(flow, CONTEXT, NOW, lang)
    for _ in range(30):
        if out.status is not Status.ACTIVE:
            break
        out = engine.step(flow, out.state, "nonsense!!", NOW)
    assert out.status is Status.COMPLETED


def test_resume_reopens_an_expired_conversation_at_its_question() -> None:
    flow = branching()
    out = engine.step(flow, engine.start(flow, CONTEXT, NOW).state, "yes", NOW)
    expired = engine.timeout(flow, out.state, NOW + timedelta(days=3))
    later = NOW + timedelta(days=7)
    resumed = engine.resume(flow, expired.state, later)
    assert resumed.status is Status.ACTIVE
    assert [(p.kind, p.step_id) for p in resumed.prompts] == [(PromptKind.REPEAT, "rating")]
    assert resumed.wake_at == later + timedelta(days=2)
    answered = engine.step(flow, resumed.state, "5", later)
    assert [(a.step_id, a.value) for a in answered.answers] == [("rating", 5)]


def test_resume_leaves_finished_conversations_alone() -> None:
    flow = branching()
    done = run(["no", "busy"])[-1]
    again = engine.resume(flow, done.state, NOW)
    assert again.status is Status.COMPLETED
    assert again.prompts == ()
