"""Young people chat on Telegram: updates into the real app, replies out through real ptb to a fake."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from storage.models import Answer, Attendee, Contact, Conversation, Message
from tests.bot.channels.telegram.conftest import CHAT, TelegramWorld, make_event
from tests.fakes.telegram import ApiError
from tests.helpers import wait_until


def answers(tg: TelegramWorld) -> dict[str, object]:
    with tg.services.session_factory() as s:
        return {a.step_id: (a.special or a.value) for a in s.scalars(select(Answer))}


def join(tg: TelegramWorld) -> int:
    """Deep link, notice, age, who is answering; returns how many messages they have seen."""
    _, code = make_event(tg.services)
    assert tg.deliver(tg.fake.command_update(CHAT, "start", code)) == 200
    texts = tg.wait(2)
    assert "asks young people and families" in texts[0]  # the notice comes before any question
    assert texts[1] == "Before we start: how old are you?"
    assert tg.press_button("16 or 17") == 200
    assert tg.wait(4)[3] == "Is anyone helping you answer?"
    assert tg.press_button("just me") == 200
    return len(tg.wait(5))


def test_deep_link_to_last_answer_by_buttons_and_typing(tg: TelegramWorld) -> None:
    seen = join(tg)
    texts = tg.texts()
    assert "We are from Testshire County Council" in texts[2]
    assert texts[4] == "Are you happy at school or college?"
    assert [b["text"] for b in tg.last_buttons()][:3] == ["🙁 No", "😐 Sometimes", "🙂 Yes"]
    steps = [
        ("button", "Yes"),
        ("text", "sometimes"),
        ("button", "Skip"),
        ("text", "1"),
        ("text", "More time to get to lessons"),
    ]
    for kind, value in steps:
        status = tg.press_button(value) if kind == "button" else tg.say(value)
        assert status == 200
        seen += 1
        tg.wait(seen)
    tg.settle()
    assert answers(tg) == {
        "happy_school": 3,
        "listened_to": 2,
        "who_to_talk_to": "skip",
        "adult_life": 1,
        "one_change": "More time to get to lessons",
    }
    with tg.services.session_factory() as s:
        conversation = s.scalars(select(Conversation)).one()
        assert (conversation.status, conversation.answered_by) == ("completed", "self")
        contact = s.scalars(select(Contact)).one()
        assert (contact.age_band, contact.role) == ("16_17", "young_person")
        assert s.scalar(select(func.count(Attendee.id))) == 1
    # Every press stopped its spinner and took the keyboard away.
    assert len(tg.fake.calls_of("answerCallbackQuery")) == 4
    assert len(tg.fake.calls_of("editMessageReplyMarkup")) == 4
    # Nothing a person or a flow wrote is sent as markup.
    assert all("parse_mode" not in c.params for c in tg.fake.sent())


def test_wrong_or_missing_secret_gets_403_and_nothing_is_stored(tg: TelegramWorld) -> None:
    update = tg.fake.text_update(CHAT, "hello")
    assert tg.deliver(update, secret="wrong") == 403
    assert tg.deliver(update, secret=None) == 403
    with tg.services.session_factory() as s:
        assert s.scalar(select(func.count(Message.id))) == 0
        assert s.scalar(select(func.count(Contact.id))) == 0


def test_a_redelivered_update_is_a_no_op(tg: TelegramWorld) -> None:
    join(tg)
    update = tg.fake.callback_update(CHAT, tg.last_buttons()[2]["callback_data"])
    assert tg.deliver(update) == 200
    tg.wait(6)
    assert tg.deliver(update) == 200
    tg.settle()
    assert answers(tg) == {"happy_school": 3}
    assert len(tg.fake.sent()) == 6
    # age, who is answering, and the first answer: once each
    assert len(tg.fake.calls_of("answerCallbackQuery")) == 3


def test_an_old_button_is_recognised_and_the_current_question_repeated(tg: TelegramWorld) -> None:
    join(tg)
    old = tg.last_buttons()[0]["callback_data"]
    tg.press(tg.last_buttons()[2]["callback_data"])
    tg.wait(6)
    tg.press(old)
    texts = tg.wait(8)
    assert texts[6] == "That button was for an earlier question. Here is the current one."
    assert texts[7] == "Do people listen to you?"
    assert answers(tg) == {"happy_school": 3}


def test_forged_callback_data_is_handled_gracefully(tg: TelegramWorld) -> None:
    join(tg)
    for data in ["a:999999:1", "garbage", "a:x:y", "age:", "lang:xx"]:
        assert tg.press(data) == 200
    tg.settle()
    assert answers(tg) == {}
    assert "That button was for an earlier question" in " ".join(tg.texts())


def test_under_16s_are_told_kindly_and_offered_other_ways(tg: TelegramWorld) -> None:
    _, code = make_event(tg.services)
    tg.deliver(tg.fake.command_update(CHAT, "start", code))
    tg.wait(2)
    tg.press_button("Under 16")
    texts = tg.wait(3)
    assert "16 and over" in texts[2]
    assert "call 01234 000000" in texts[2]
    tg.say("5")
    tg.wait(4)
    with tg.services.session_factory() as s:
        assert s.scalar(select(func.count(Conversation.id))) == 0


def test_typed_age_works_too(tg: TelegramWorld) -> None:
    _, code = make_event(tg.services)
    tg.deliver(tg.fake.command_update(CHAT, "start", code))
    tg.wait(2)
    tg.say("I'm 17")
    texts = tg.wait(4)
    assert texts[3] == "Is anyone helping you answer?"
    tg.say("no")
    assert tg.wait(5)[4] == "Are you happy at school or college?"


def test_blocked_bot_marks_the_contact_opted_out_and_sends_nothing_more(tg: TelegramWorld) -> None:
    join(tg)
    tg.fake.block(CHAT)
    tg.say("3")
    wait_until(lambda: _contact(tg).opted_out_at is not None)
    tg.fake.unblock(CHAT)
    tg.say("2")
    time.sleep(0.3)
    tg.settle()
    assert len(tg.fake.sent()) == 5


def test_flood_control_is_honoured_and_nothing_is_lost(tg: TelegramWorld) -> None:
    join(tg)
    tg.fake.fail_next("sendMessage", ApiError.too_many_requests(1))
    tg.say("3")
    wait_until(lambda: _last_out(tg).error_code == "429")
    assert _last_out(tg).status == "queued"
    time.sleep(1.1)
    tg.services.outbox.wake()
    tg.wait(6)
    assert tg.texts()[5] == "Do people listen to you?"
    assert len([t for t in tg.texts() if t == "Do people listen to you?"]) == 1


def test_every_non_text_update_kind_is_ignored_or_answered_politely(tg: TelegramWorld) -> None:
    join(tg)
    f = tg.fake
    for update in [f.sticker_update(CHAT), f.photo_update(CHAT), f.voice_update(CHAT)]:
        assert tg.deliver(update) == 200
    for update in [
        f.edited_message_update(CHAT, "edited"),
        f.channel_post_update(-100777, "post"),
        f.group_message_update(-100888, "hi group"),
        {"update_id": 99999, "my_chat_member": {"weird": True}},
    ]:
        assert tg.deliver(update) == 200
    tg.settle()
    texts = tg.texts()
    assert sum("can't read pictures" in t for t in texts) == 3
    assert not tg.fake.sent(-100888)
    assert answers(tg) == {}


def test_bad_json_is_acknowledged_not_500(tg: TelegramWorld) -> None:
    import httpx

    # 200, not 400: Telegram redelivers an update it gets any other answer for, for ever.
    url = tg.server.url("/webhooks/telegram")
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_for-tests"}
    assert httpx.post(url, content=b"{not json", headers=headers).status_code == 200
    assert httpx.post(url, json=[1, 2], headers=headers).status_code == 200


def test_help_stop_and_language_commands(tg: TelegramWorld) -> None:
    join(tg)
    tg.deliver(tg.fake.command_update(CHAT, "language"))
    tg.wait(6)
    assert [b["text"] for b in tg.last_buttons()] == ["English", "Cymraeg"]
    tg.press_button("Cymraeg")
    texts = tg.wait(8)
    assert texts[6] == "Iawn, byddaf yn ysgrifennu yn Gymraeg."
    assert texts[7] != "Are you happy at school or college?"  # the question again, in Welsh
    tg.deliver(tg.fake.command_update(CHAT, "help"))
    tg.wait(9)
    tg.deliver(tg.fake.command_update(CHAT, "stop"))
    tg.wait(10)
    assert _contact(tg).opted_out_at is not None


def test_user_text_is_never_sent_as_markup(tg: TelegramWorld) -> None:
    join(tg)
    for _ in range(4):
        tg.say("skip")
    tg.say("<b>bold</b> *stars* _under_ [link](http://x)")
    tg.settle()
    assert answers(tg)["one_change"] == "<b>bold</b> *stars* _under_ [link](http://x)"
    assert all("parse_mode" not in c.params for c in tg.fake.sent())


def _contact(tg: TelegramWorld) -> Contact:
    with tg.services.session_factory() as s:
        return s.scalars(select(Contact)).one()


def _last_out(tg: TelegramWorld) -> Message:
    with tg.services.session_factory() as s:
        return s.scalars(
            select(Message).where(Message.direction == "out").order_by(Message.id.desc())
        ).first()


def test_a_telegram_outage_is_retried_without_duplicates(tg: TelegramWorld) -> None:
    from sqlalchemy import update

    join(tg)
    tg.fake.fail_next("sendMessage", ApiError.server_error(), ApiError.server_error())
    tg.say("3")

    def delivered() -> bool:
        with tg.services.session_factory.begin() as s:  # bring the backed-off retry forward
            s.execute(
                update(Message)
                .where(Message.status == "queued")
                .values(next_attempt_at=tg.services.clock())
            )
        tg.services.outbox.wake()
        return _last_out(tg).status == "sent"

    wait_until(delivered, timeout=20)
    assert _last_out(tg).attempts == 3
    assert [t for t in tg.texts() if t == "Do people listen to you?"] == [
        "Do people listen to you?"
    ]
