"""A red team reads the database past the application: a name, a free-text answer and a message
typed on Telegram are nowhere in it, yet officers still read every word where they should."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bot.privacy.keys import rotate
from bot.services import Services, build_services
from bot.web.app import create_app
from storage.crypto import EncryptionKeyError, IdentifierCipher, generate_key
from storage.db import make_engine, make_session_factory
from storage.models import Contact, Conversation, Message, SafeguardingFlag
from tests.bot.channels.telegram.conftest import CHAT, TelegramWorld, make_event, telegram_settings
from tests.bot.web.dashboard.conftest import PASSWORD, SECRET, post_form
from tests.fakes.telegram import FakeTelegram
from tests.helpers import IS_POSTGRES
from tests.live import LiveServer

NAME = "Marmaduke Xylophant"
ANSWER = "More time between lessons, said Quokkaberry"
DISCLOSURE = "i dont want to be here anymore nobody would miss me Zorblatt"
MARKERS = ("Xylophant", "Quokkaberry", "Zorblatt")


@dataclass
class RedTeamWorld(TelegramWorld):
    database_url: str

    def officer(self, email: str, role: str, *, lead: bool = False) -> None:
        from bot.web.dashboard import passwords
        from storage import officers as officers_repo

        with self.services.session_factory.begin() as s:
            officers_repo.create(
                s,
                email=email,
                password_hash=passwords.hash_password(PASSWORD),
                role=role,
                areas=("*",),
                now=self.services.clock(),
                safeguarding_lead=lead,
            )


@pytest.fixture
def world(database_url: str) -> Iterator[RedTeamWorld]:
    with FakeTelegram() as fake:
        settings = telegram_settings(
            database_url,
            fake,
            session_secret=SecretStr(SECRET),
            public_base_url="http://127.0.0.1:8000",
        )
        services: Services = build_services(settings)
        with LiveServer(create_app(services)) as server:
            yield RedTeamWorld(server, services, fake, database_url)
        services.close()


def a_young_person_tells_us_everything(world: RedTeamWorld) -> None:
    _, code = make_event(world.services)
    assert world.deliver(world.fake.command_update(CHAT, "start", code)) == 200
    world.wait(2)
    assert world.press_button("16 or 17") == 200
    seen = len(world.wait(4))
    for kind, value in [
        ("button", "No, just me"),  # who is answering
        ("button", "Yes"),
        ("text", "sometimes"),
        ("button", "Skip"),
        ("text", "1"),
        ("text", ANSWER),
    ]:
        assert (world.press_button(value) if kind == "button" else world.say(value)) == 200
        seen += 1
        world.wait(seen)
    assert world.say(DISCLOSURE) == 200
    world.wait(seen + 1)  # the safeguarding reply
    world.settle()
    with world.services.session_factory.begin() as s:
        contact = s.scalars(select(Contact)).one()
        contact.set_display_name(NAME, IdentifierCipher(world.services.settings.encryption_keys()))
    with world.services.session_factory() as s:
        # The words really went in, and come back out through the application.
        assert s.scalars(select(SafeguardingFlag.text)).one() == DISCLOSURE
        bodies = s.scalars(select(Message.body).where(Message.direction == "in")).all()
        assert ANSWER in bodies
        assert DISCLOSURE in bodies


def raw_bytes(database_url: str) -> bytes:
    """SQLite: the database file and its write-ahead log, byte for byte. PostgreSQL: every row of
    every table as text, read with plain SQL that knows nothing of the application's types."""
    if not IS_POSTGRES:
        path = Path(make_url(database_url).database or "")
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = connection.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).all()
            rows = [
                str(row)
                for table in tables
                for row in connection.execute(text(f'SELECT t::text FROM "{table}" t')).scalars()
            ]
    finally:
        engine.dispose()
    return "\n".join(rows).encode()


def test_a_name_an_answer_and_a_message_are_nowhere_in_the_raw_database(
    world: RedTeamWorld,
) -> None:
    """Failed before: answers.value, answers.raw_text, messages.body and safeguarding_flags.text
    (and its quoted excerpts) held the words in clear."""
    a_young_person_tells_us_everything(world)
    raw = raw_bytes(world.database_url)
    assert len(raw) > 10_000  # the read did find the data
    for marker in MARKERS:
        assert marker.encode() not in raw, marker
        assert marker.encode("utf-16-le") not in raw, marker


def test_officers_still_read_every_word_where_they_should(world: RedTeamWorld) -> None:
    a_young_person_tells_us_everything(world)
    world.officer("lead@council.example", "admin", lead=True)
    with world.services.session_factory() as s:
        conversation_id = s.scalars(select(Conversation.id)).one()
    with httpx.Client(base_url=world.server.base_url, timeout=30) as browser:
        response = post_form(
            browser,
            "/dashboard/login",
            "/dashboard/login",
            {"email": "lead@council.example", "password": PASSWORD},
        )
        assert response.status_code == 303
        transcript = browser.get(f"/dashboard/responses/{conversation_id}").text
        queue = browser.get("/dashboard/safeguarding").text
        export = browser.get(
            "/dashboard/exports/download",
            params={"flow": "young_person_voice", "layout": "long", "format": "csv"},
        )
    assert "Quokkaberry" in transcript, transcript[-3000:]
    assert "Zorblatt" in queue
    assert export.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(export.text.lstrip("\ufeff"))) for c in row]
    assert ANSWER in cells


def test_rotating_the_key_re_encrypts_the_words_too(world: RedTeamWorld) -> None:
    a_young_person_tells_us_everything(world)
    [old] = world.services.settings.encryption_keys()
    new = generate_key()
    engine = make_engine(world.database_url)
    try:
        both = IdentifierCipher([new, old])
        with make_session_factory(engine, both).begin() as s:
            rotate(s, both, actor="cli", now=world.services.clock())
        with make_session_factory(engine, IdentifierCipher([new]))() as s:
            assert s.scalars(select(SafeguardingFlag.text)).one() == DISCLOSURE
            bodies = s.scalars(select(Message.body)).all()
            assert ANSWER in bodies
        assert DISCLOSURE in bodies
        # Nothing is left that only the old key opens.
        with (
            make_session_factory(engine, IdentifierCipher([old]))() as s,
            pytest.raises(EncryptionKeyError, match="cannot be read"),
        ):
            s.scalars(select(Message.body)).all()
    finally:
        engine.dispose()
