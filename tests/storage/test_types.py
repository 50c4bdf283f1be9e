from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from storage import contacts
from storage.db import is_postgres
from storage.models import Contact
from storage.types import UTCDateTime

NOW = datetime(2024, 3, 14, 21, 30, tzinfo=UTC)

offsets = st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23)).map(
    lambda delta: timezone(timedelta(minutes=delta // timedelta(minutes=1)))
)
aware = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=offsets
)


# Engines that never connect: only their dialects' type handling is exercised.
DIALECTS: list[Dialect] = [
    create_engine("sqlite://").dialect,
    create_engine("postgresql+psycopg://").dialect,
]


@pytest.mark.parametrize("dialect", DIALECTS, ids=["sqlite", "postgresql"])
@given(value=aware)
def test_any_aware_datetime_comes_back_as_the_same_instant_in_utc(
    dialect: Dialect, value: datetime
) -> None:
    decorator = UTCDateTime()
    stored = decorator.process_bind_param(value, dialect)
    loaded = decorator.process_result_value(stored, dialect)
    assert loaded == value
    assert loaded is not None
    assert loaded.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2024, 3, 14, 21, 30), DIALECTS[0])


@pytest.mark.parametrize(
    "value",
    [
        datetime(2024, 3, 31, 1, 30, 0, 123456, tzinfo=UTC),
        datetime(2024, 7, 1, 23, 59, tzinfo=timezone(timedelta(hours=1))),
        datetime(2024, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    ],
)
def test_database_round_trip_keeps_the_instant_and_returns_utc(
    session: Session, value: datetime
) -> None:
    contact, _, _ = contacts.find_or_create(session, "sms", "+447700900001", NOW)
    contact.consent_at = value
    session.commit()
    session.expire_all()
    loaded = session.scalars(select(Contact.consent_at)).one()
    assert loaded == value
    assert loaded is not None
    assert loaded.tzinfo is not None
    assert loaded.utcoffset() == timedelta(0)


def test_sqlite_and_postgres_store_utc_wall_clock(session: Session) -> None:
    bst = datetime(2024, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    contacts.find_or_create(session, "sms", "+447700900001", bst)
    session.commit()
    raw = session.execute(text("SELECT created_at FROM contacts")).scalar_one()
    if is_postgres(session):
        assert raw == datetime(2024, 7, 1, 9, 0, tzinfo=UTC)
    else:
        assert raw.startswith("2024-07-01 09:00:00")


def test_storing_a_naive_datetime_fails_instead_of_guessing(session: Session) -> None:
    contact, _, _ = contacts.find_or_create(session, "sms", "+447700900001", NOW)
    contact.consent_at = datetime(2024, 3, 14, 21, 30)
    with pytest.raises(StatementError) as caught:
        session.flush()
    assert isinstance(caught.value.orig, ValueError)


def test_comparisons_use_the_instant_not_the_offset(session: Session) -> None:
    contact, _, _ = contacts.find_or_create(session, "sms", "+447700900001", NOW)
    contact.consent_at = datetime(2024, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    session.flush()
    just_after = datetime(2024, 7, 1, 9, 0, 1, tzinfo=UTC)
    just_before = datetime(2024, 7, 1, 8, 59, 59, tzinfo=UTC)
    assert session.scalars(select(Contact).where(Contact.consent_at < just_after)).all()
    assert not session.scalars(select(Contact).where(Contact.consent_at < just_before)).all()
