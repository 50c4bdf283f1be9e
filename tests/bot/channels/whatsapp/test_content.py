"""The WhatsApp wire details that need no server: settings for templates and buttons, buttons as
WhatsApp content or numbered text, the wa.me code, Twilio's error codes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker
from twilio.base.exceptions import TwilioRestException

from bot.channels.base import Outcome
from bot.channels.whatsapp.content import (
    Button,
    ContentConfigError,
    interactive,
    numbered,
    parse_buttons,
    parse_templates,
    plain_commands,
    template_for,
)
from bot.channels.whatsapp.errors import classify
from bot.channels.whatsapp.links import start_text
from bot.channels.whatsapp.webhooks import link_code
from bot.privacy.forgetting import find_person
from storage import contacts as contacts_repo
from storage.models import new_event_code

SID = "HX" + "a" * 32
OTHER = "HX" + "b" * 32


def test_templates_are_found_by_flow_language_and_kind_with_sensible_stand_ins() -> None:
    templates = parse_templates(
        json.dumps(
            {
                "post_event": {
                    "en": {"followup": SID, "reminder": {"sid": OTHER, "variables": []}},
                    "cy": SID,
                }
            }
        )
    )
    assert template_for(templates, "post_event", "en", "reminder").sid == OTHER  # type: ignore[union-attr]
    # Welsh has no reminder of its own: the Welsh follow-up asks instead.
    assert template_for(templates, "post_event", "cy", "reminder").sid == SID  # type: ignore[union-attr]
    assert template_for(templates, "ehcp_experience", "en", "followup") is None
    first = template_for(templates, "post_event", "en", "followup")
    assert first is not None
    assert json.loads(first.content_variables({"event_name": "Coffee"})) == {"1": "Coffee"}


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("{", "is not JSON"),
        (json.dumps({"post_event": {"en": {"followup": "HX1"}}}), "is not HX + 32 hex"),
        (json.dumps({"post_event": {"en": {"later": SID}}}), "'later' is not one of"),
        (
            json.dumps(
                {"post_event": {"en": {"followup": {"sid": SID, "variables": ["first_name"]}}}}
            ),
            "variables must be a list of event_name",
        ),
    ],
)
def test_a_wrong_template_setting_says_what_is_wrong(raw: str, says: str) -> None:
    with pytest.raises(ContentConfigError, match=re.escape(says)):
        parse_templates(raw)


def test_button_contents_are_read_and_checked() -> None:
    assert parse_buttons(f"1={SID}, 3={OTHER}") == {1: SID, 3: OTHER}
    with pytest.raises(ContentConfigError):
        parse_buttons(f"11={SID}")
    with pytest.raises(ContentConfigError):
        parse_buttons("2=nope")


def test_buttons_become_quick_replies_a_list_or_numbered_text() -> None:
    contents = {2: SID, 4: OTHER}
    yes_no = [Button("Yes", "a:3:1"), Button("No", "a:3:2")]
    sid, variables = interactive("Did you go?", yes_no, contents)  # type: ignore[misc]
    assert sid == SID
    assert json.loads(variables) == {
        "1": "Did you go?",
        "2": "Yes",
        "3": "a:3:1",
        "4": "No",
        "5": "a:3:2",
    }
    long = [
        Button("A title far too long for a button", "a:1:1"),
        *yes_no,
        Button("Skip", "a:1:skip"),
    ]
    assert interactive("Q", long, contents) is None  # too long for a list item
    assert interactive("Q", yes_no[:1], contents) is None  # no content for one button
    assert numbered("Q", long) == "Q\n1 A title far too long for a button\n1 Yes\n2 No\n- Skip"


def test_chat_commands_are_plain_words_on_whatsapp() -> None:
    assert plain_commands("Send /help for help or /stop to stop.") == (
        "Send HELP for help or STOP to stop."
    )
    assert plain_commands("see https://x.example/stop") == "see https://x.example/stop"


@given(st.text(alphabet="abcdefghjkmnpqrstuvwxyz23456789", min_size=10, max_size=10), st.text())
def test_the_code_in_a_wa_me_message_is_always_found(code: str, name: str) -> None:
    for language in ("en", "cy"):
        assert link_code(start_text(name.replace("code", "c"), code, language)) == code


def test_ordinary_messages_carry_no_code() -> None:
    assert link_code("my code is secret") is None
    assert link_code(new_event_code()) is None


def _error(code: int, status: int = 400) -> TwilioRestException:
    return TwilioRestException(status, "https://api.twilio.com", msg="x", code=code)


def test_whatsapp_errors_say_retry_fall_back_or_give_up() -> None:
    assert classify(_error(63018, 429)).outcome is Outcome.RETRY
    assert classify(_error(63003)).fall_back
    assert classify(_error(63024)).fall_back
    assert classify(_error(63027)).fall_back
    assert classify(_error(21610)).opted_out
    assert classify(_error(63038)).outcome is Outcome.RETRY
    assert classify(_error(20500, 500)).outcome is Outcome.RETRY
    assert classify(_error(21211)).outcome is Outcome.FAILED


def test_someone_only_on_whatsapp_can_be_found_to_be_forgotten(
    session_factory: sessionmaker[Session],
) -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with session_factory.begin() as s:
        contact, _, _ = contacts_repo.find_or_create(s, "whatsapp", "+447700900123", now)
        found = find_person(s, "07700 900123", "GB")
        assert found is not None
        assert found.id == contact.id
