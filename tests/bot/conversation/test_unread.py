"""Every free-text answer and every free message waits to be read, written with the message."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FrozenClock
from bot.conversation.dispatch import Dispatcher
from storage.models import Answer, Message, ReadItem
from tests.bot.conversation.test_dispatch import text_in


def items(sf: sessionmaker[Session]) -> list[tuple[str, str, str | None]]:
    """(kind, the words, the answer's step) for each item, in order."""
    with sf() as s:
        rows = s.execute(
            select(ReadItem.kind, Message.body, Answer.step_id)
            .join(Message, Message.id == ReadItem.message_id)
            .outerjoin(Answer, Answer.id == ReadItem.answer_id)
            .order_by(ReadItem.id)
        ).all()
        return [(kind, body, step) for kind, body, step in rows]


def test_free_text_answers_wait_to_be_read_but_choices_and_keywords_do_not(
    dispatcher: Dispatcher, sf: sessionmaker[Session], clock: FrozenClock
) -> None:
    for body in ["FEEDBACK", "1", "yes", "4", "The speakers", "More time for questions", "a bit"]:
        text_in(dispatcher, sf, clock, body)
    assert items(sf) == [
        ("answer", "The speakers", "worked_well"),
        ("answer", "More time for questions", "even_better"),
    ]
    with sf() as s:
        item = s.scalars(select(ReadItem)).first()
        assert item is not None
        assert (item.role, item.read_at, item.arrived_at) == ("unknown", None, clock())
        assert 0 <= item.score <= 1


def test_a_message_outside_a_question_waits_to_be_read(
    dispatcher: Dispatcher, sf: sessionmaker[Session], clock: FrozenClock
) -> None:
    text_in(dispatcher, sf, clock, "can someone ring me about my son's school place")
    text_in(dispatcher, sf, clock, "HELP")
    assert items(sf) == [("message", "can someone ring me about my son's school place", None)]


def test_words_from_someone_who_opted_out_still_wait_to_be_read(
    dispatcher: Dispatcher, sf: sessionmaker[Session], clock: FrozenClock
) -> None:
    text_in(dispatcher, sf, clock, "STOP")
    text_in(dispatcher, sf, clock, "sorry, my daughter is not coping at school")
    assert items(sf) == [("message", "sorry, my daughter is not coping at school", None)]


def test_a_flagged_message_goes_to_the_safeguarding_queue_not_here(
    dispatcher: Dispatcher, sf: sessionmaker[Session], clock: FrozenClock
) -> None:
    text_in(dispatcher, sf, clock, "my step dad hits me")
    assert items(sf) == []


def test_a_redelivered_message_is_not_added_twice(
    dispatcher: Dispatcher, sf: sessionmaker[Session], clock: FrozenClock
) -> None:
    text_in(dispatcher, sf, clock, "hello is anyone there", provider_id="SM" + "r" * 32)
    text_in(dispatcher, sf, clock, "hello is anyone there", provider_id="SM" + "r" * 32)
    assert len(items(sf)) == 1


def test_a_reply_that_fits_no_choice_waits_to_be_read(
    dispatcher: Dispatcher, sf: sessionmaker[Session], clock: FrozenClock
) -> None:
    text_in(dispatcher, sf, clock, "FEEDBACK")
    text_in(dispatcher, sf, clock, "is there parking next time")  # "Did you go?" wants yes or no
    assert items(sf) == [("message", "is there parking next time", None)]
    with sf() as s:
        assert s.scalars(select(ReadItem.conversation_id)).one() is not None
