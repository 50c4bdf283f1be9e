"""Replies of the kinds the held-out sets showed being misread (issue 22), read through the engine
at questions of messy_corpus.yaml on the corpus's reference day (Wednesday 2026-11-18)."""

from __future__ import annotations

import pytest

from flows.corpus import REASK, Labelled, read
from flows.reading.answers import interpret
from flows.reading.interpretation import WHY_EXCLUSIVE, WHY_NUMBER
from flows.schema import Step, StepType
from tests.flows.reading.score import NOW, corpus_flow

CASES = [
    # Around the answer: greetings, sign-offs, reasons, questions back.
    ("s_useful", "en", "Hi, 4 thanks x", "4"),
    ("y_attended", "cy", "Shwmae naddo", "no"),
    ("c_contact", "en", "2 as i can't read well", "phone"),
    ("c_where", "en", "4, a pupil referral unit", "other"),
    ("m_helped", "en", "2 because he can hold a pen now", "ot"),
    ("m_helped", "en", "what is a senco", REASK),
    ("c_where", "en", "2 weeks ago", REASK),  # a number, but not option 2 with a reason
    # Options by what they mean.
    ("c_contact", "en", "ring me", "phone"),
    ("c_contact", "en", "by post", "letter"),
    ("c_time", "en", "3pm", "afternoon"),
    ("c_time", "en", "after 6", "evening"),
    ("c_time", "en", "whenever", "any"),
    ("c_time", "cy", "pnawn", "afternoon"),
    ("c_time", "en", "at 10", REASK),
    ("c_where", "en", "something else", "other"),
    # Multi choice: all, none, and a none that is a refusal.
    ("m_helped", "en", "all of them", "speech,ot,ta,senco"),
    ("m_barriers", "en", "all but 4", "time,travel,childcare"),
    ("m_barriers", "en", "no problems", "nothing"),
    ("m_barriers", "en", "none of your business", REASK),
    ("m_needs", "en", "none", REASK),
    # Yes/no to a question about a quality.
    ("y_helpful", "en", "really helpful", "yes"),
    ("y_helpful", "en", "not great", "no"),
    ("y_helpful", "en", "waste of time", "no"),
    ("y_helpful", "en", "it was ok", REASK),
    ("y_helpful", "en", "not bad", REASK),
    ("y_plan", "en", "no, it's out of date", "no"),
    ("y_plan", "cy", "dim eisiau dweud", "prefer_not_to_say"),
    ("y_attended", "en", "k", REASK),
    # Scales.
    ("s_agree", "en", "totally agree", "5"),
    ("s_agree", "en", "agree strongly", "5"),
    ("s_agree", "cy", "cytuno yn gryf", "5"),
    ("s_agree", "en", "neutral", "3"),
    ("s_happy", "cy", "nac ydw", "1"),
    ("s_useful", "en", "👍", REASK),
    ("s_useful", "en", "No.5", "5"),
    # Numbers in the question's unit.
    ("n_weeks", "en", "6 months", REASK),
    ("n_weeks", "en", "a fortnight", "2"),
    ("n_weeks", "cy", "ugain", "20"),  # twenty, not "again"
    ("n_age", "en", "11 yrs old", "11"),
    ("n_age", "en", "14 next month", "13"),
    ("n_age", "en", "9 (year 4)", "9"),
    ("n_age", "en", "year 6", REASK),
    ("n_age", "en", "18 months", REASK),
    ("n_age", "cy", "bron yn 5", REASK),
    # Dates.
    ("d_review", "en", "a couple of weeks ago", "2026-11-04"),
    ("d_review", "cy", "pythefnos yn ôl", "2026-11-04"),
    ("d_review", "en", "next tuesday", "2026-11-24"),
    ("d_review", "en", "on the 10th", "2026-11-10"),
    ("d_review", "en", "years ago", REASK),
    ("d_diagnosed", "en", "12/04/2019 or 2020", REASK),
    ("d_diagnosed", "cy", "dwy flynedd yn ôl", "2024-11-18"),
    ("d_review", "en", "0 monday", REASK),  # once crashed the engine (day 0), found by hypothesis
]


@pytest.mark.parametrize(("step", "lang", "reply", "expected"), CASES, ids=[c[2] for c in CASES])
def test_messy_replies_are_read_as_a_person_would(
    step: str, lang: str, reply: str, expected: str
) -> None:
    assert read(corpus_flow("messy_corpus.yaml"), Labelled(step, lang, reply, ""), NOW) == expected


@pytest.mark.parametrize(
    ("step", "reply", "why"), [("y_helpful", "1", WHY_NUMBER), ("m_helped", "1,5", WHY_EXCLUSIVE)]
)
def test_a_doubtful_reply_is_asked_again_saying_why(step: str, reply: str, why: str) -> None:
    result = interpret(corpus_flow("messy_corpus.yaml").step(step), reply, "en", NOW.date())
    assert not result.ok
    assert result.why == why


def test_an_offer_that_names_a_quality_is_still_accepted_with_ok() -> None:
    offer = Step(id="call", type=StepType.YES_NO, text={"en": "Are you happy for us to call you?"})
    assert interpret(offer, "ok", "en", NOW.date()).value is True
    assert interpret(offer, "no thanks", "en", NOW.date()).value is False
