from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from storage import contacts
from storage.models import ChannelIdentity, Contact

NOW = datetime(2024, 3, 14, 21, 30, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def parent(session: Session) -> tuple[Contact, ChannelIdentity]:
    contact, identity, _ = contacts.find_or_create(
        session, "sms", "+447700900123", NOW, role="parent"
    )
    return contact, identity


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=4) as executor:
        yield executor
