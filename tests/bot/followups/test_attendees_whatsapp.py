"""The attendee file's WhatsApp column and channel preference."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.followups.attendees import check, import_attendees
from storage import events
from storage.models import ChannelIdentity, Contact, Event

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HEADER = ["name", "phone", "whatsapp", "channel", "role", "language", "consent"]


def _file(path: Path, *people: dict[str, str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, HEADER)
        writer.writeheader()
        writer.writerows({c: p.get(c, "") for c in HEADER} for p in people)
    return path


@pytest.fixture
def event(session_factory: sessionmaker[Session]) -> Event:
    with session_factory.begin() as session:
        return events.create(
            session,
            title="Coffee morning",
            kind="coffee_morning",
            starts_at=datetime(2026, 3, 14, 10, tzinfo=UTC),
            ends_at=datetime(2026, 3, 14, 12, tzinfo=UTC),
            flow_id="post_event",
            now=NOW,
        )


def _people(session_factory: sessionmaker[Session]) -> dict[str, tuple[str | None, list[str]]]:
    with session_factory() as s:
        found = {}
        for contact in s.scalars(select(Contact)):
            channels = sorted(
                i.channel
                for i in s.scalars(
                    select(ChannelIdentity).where(ChannelIdentity.contact_id == contact.id)
                )
            )
            found[contact.display_name or ""] = (contact.preferred_channel, channels)
        return found


def test_whatsapp_numbers_and_preferences_are_imported(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path
) -> None:
    path = _file(
        tmp_path / "people.csv",
        {
            "name": "Ann",
            "phone": "07700 900123",
            "whatsapp": "yes",
            "role": "parent",
            "consent": "yes",
        },
        {"name": "Bo", "whatsapp": "07700 900124", "role": "parent", "consent": "yes"},
        {
            "name": "Cy",
            "phone": "07700 900125",
            "whatsapp": "yes",
            "channel": "SMS",
            "role": "parent",
            "consent": "yes",
        },
        {
            "name": "Di",
            "phone": "07700 900126",
            "channel": "whatsapp",
            "role": "parent",
            "consent": "yes",
        },
        {"name": "Ed", "phone": "07700 900127", "role": "parent", "consent": "yes"},
    )
    report = import_attendees(session_factory, event.id, path, region="GB", now=NOW)
    assert report.problems == []
    assert _people(session_factory) == {
        "Ann": ("whatsapp", ["sms", "whatsapp"]),
        "Bo": ("whatsapp", ["whatsapp"]),
        "Cy": ("sms", ["sms", "whatsapp"]),
        "Di": ("whatsapp", ["sms", "whatsapp"]),
        "Ed": ("sms", ["sms"]),
    }
    with session_factory() as s:
        identities = s.scalars(select(ChannelIdentity)).all()
        assert {i.opt_in_source for i in identities} == {"attendee_import"}
        assert all(i.opted_in_at == NOW for i in identities)


def test_a_channel_without_an_address_or_an_unknown_one_is_a_problem() -> None:
    rows = [
        {
            "name": "A",
            "phone": "",
            "whatsapp": "",
            "channel": "whatsapp",
            "role": "parent",
            "language": "",
            "consent": "yes",
        },
        {
            "name": "B",
            "phone": "07700 900123",
            "whatsapp": "",
            "channel": "pigeon",
            "role": "parent",
            "language": "",
            "consent": "yes",
        },
        {
            "name": "C",
            "phone": "07700 900124",
            "whatsapp": "not a number",
            "channel": "",
            "role": "parent",
            "language": "",
            "consent": "yes",
        },
    ]
    problems = [str(p) for p in check(rows, "GB").problems]
    assert problems == [
        "row 2: phone: no phone number or Telegram chat id: we could not reach them",
        "row 3: channel: 'pigeon' is not sms, whatsapp or telegram",
        "row 4: whatsapp: 'not a number' is not a phone number",
    ]
