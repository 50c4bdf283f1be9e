from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FrozenClock
from bot.config import Settings
from bot.conversation.dispatch import Dispatcher
from flows.library import FlowLibrary, load_library


@pytest.fixture(scope="session")
def library() -> FlowLibrary:
    return load_library()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        council_name="Testshire County Council",
        service_name="SEND team",
        contact_details="call 01234 000000",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 3, 14, 18, 0, tzinfo=UTC))


@pytest.fixture
def dispatcher(library: FlowLibrary, settings: Settings, clock: FrozenClock) -> Dispatcher:
    return Dispatcher(library, settings, {"sms": "sms", "console": "sms", "chatty": "chat"}, clock)


@pytest.fixture
def sf(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    return session_factory
