"""Checks against the database itself: reachable, schema current, data readable, nothing stuck."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import Connection

from bot.followups.holds import CHANNEL_NAMES, CHANNEL_SETTINGS, hold_reason
from bot.health.check import Check, fail, ok, warn
from storage.crypto import EncryptionKeyError, IdentifierCipher
from storage.db import is_postgres
from storage.errors import SchemaOutOfDate
from storage.migrate import check_schema
from storage.models import ChannelIdentity, FollowUp, Message, ReadItem, SafeguardingFlag
from storage.safeguarding import REVIEW

log = logging.getLogger(__name__)

CHANNELS = ("sms", "telegram")
# An alert normally goes within a minute; after this long unsent, nobody has been told.
ALERT_LATE = timedelta(minutes=5)
CLOCK_SKEW = timedelta(seconds=60)
DATABASE = "database"


def database_checks(
    engine: Engine,
    cipher: IdentifierCipher | None,
    *,
    sendable: Collection[str],
    now: datetime,
    read_within: timedelta = timedelta(hours=72),
) -> list[Check]:
    """`sendable`: the channels this deployment can send on; `now`: the service's clock;
    `read_within`: READ_WITHIN_HOURS."""
    missing = _missing_sqlite_file(engine)
    if missing:
        # Connecting would create an empty file: a typo in the path would look like a new start.
        return [
            fail(
                DATABASE,
                "DATABASE_URL names an SQLite file that does not exist",
                "correct DATABASE_URL, or create the database with `sendvoice db upgrade`",
            )
        ]
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver's error: the message may carry the URL, so not shown
        return [
            fail(
                DATABASE,
                f"cannot connect to the database ({type(exc).__name__})",
                "check DATABASE_URL and that the database server is running and reachable",
            )
        ]
    checks = [ok(DATABASE, f"reachable ({engine.dialect.name})")]
    try:
        checks += _contents(engine, cipher, sendable=sendable, now=now, read_within=read_within)
    except Exception as exc:  # gone away midway, or a table missing: say so, never crash
        checks.append(
            fail(
                DATABASE,
                f"the database checks stopped with {type(exc).__name__}",
                "run `sendvoice doctor` again; if it repeats, read the database server's log",
            )
        )
    return checks


def _contents(
    engine: Engine,
    cipher: IdentifierCipher | None,
    *,
    sendable: Collection[str],
    now: datetime,
    read_within: timedelta,
) -> list[Check]:
    try:
        # Alembic announces its context at INFO on every look; that is noise here.
        logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
        check_schema(engine)
    except SchemaOutOfDate as exc:
        newer = "newer than" in str(exc)
        fix = (
            "install the sendvoice version that wrote this database"
            if newer
            else "run `sendvoice db upgrade`"
        )
        return [fail("schema", str(exc), fix)]
    checks = [ok("schema", "up to date")]
    with engine.connect() as connection:
        if cipher is not None:
            checks.append(_stored_data_readable(connection, cipher))
        checks += _stuck_by_channel(connection, sendable)
        checks.append(_alerts_late(connection, now))
        checks.append(_unread_late(connection, now, read_within))
        checks.append(_clock(connection))
    return checks


def _missing_sqlite_file(engine: Engine) -> bool:
    if engine.dialect.name != "sqlite":
        return False
    path = engine.url.database or ""
    if not path or path == ":memory:" or path.startswith("file:"):
        return False
    return not Path(path).exists()


def _stored_data_readable(connection: Connection, cipher: IdentifierCipher) -> Check:
    name = "stored data"
    newest = connection.scalar(
        select(ChannelIdentity.address_enc).order_by(ChannelIdentity.id.desc()).limit(1)
    )
    oldest = connection.scalar(
        select(ChannelIdentity.address_enc).order_by(ChannelIdentity.id).limit(1)
    )
    if newest is None:
        return ok(name, "no identifiers stored yet")
    try:
        for token in {newest, oldest}:
            if token is not None:
                cipher.decrypt(token)
    except EncryptionKeyError:
        return fail(
            name,
            "stored phone numbers and names cannot be read with DATA_ENCRYPTION_KEY",
            "put back the key they were written with; to rotate, list the new key first and "
            "keep the old one after it until `sendvoice privacy rotate-key` has run",
        )
    return ok(name, "identifiers decrypt with DATA_ENCRYPTION_KEY")


def _stuck_by_channel(connection: Connection, sendable: Collection[str]) -> list[Check]:
    checks = []
    for channel in CHANNELS:
        if channel in sendable:
            continue
        queued = connection.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.direction == "out",
                Message.channel == channel,
                Message.status.in_(("queued", "sending")),
            )
        )
        held = connection.scalar(
            select(func.count())
            .select_from(FollowUp)
            .where(FollowUp.status == "held", FollowUp.reason == hold_reason(channel))
        )
        if not queued and not held:
            continue
        checks.append(
            fail(
                f"{channel} backlog",
                f"{queued or 0} message(s) and {held or 0} follow-up(s) wait for "
                f"{CHANNEL_NAMES[channel]}, which cannot send",
                f"set {CHANNEL_SETTINGS[channel]}; they go out once it can",
            )
        )
    return checks


def _alerts_late(connection: Connection, now: datetime) -> Check:
    name = "alert backlog"
    late = connection.scalar(
        select(func.count())
        .select_from(SafeguardingFlag)
        .where(
            SafeguardingFlag.category != REVIEW,
            SafeguardingFlag.alert_sent_at.is_(None),
            SafeguardingFlag.created_at < now - ALERT_LATE,
        )
    )
    if late:
        return fail(
            name,
            f"{late} safeguarding alert(s) have waited more than "
            f"{int(ALERT_LATE.total_seconds() // 60)} minutes without being emailed",
            "read them now at /dashboard/safeguarding, then fix the SMTP settings",
        )
    return ok(name, "no safeguarding alert is waiting to be emailed")


def _unread_late(connection: Connection, now: datetime, within: timedelta) -> Check:
    """Free text nobody has read in time: a warning (a backlog to clear, not a broken service)."""
    name = "unread free text"
    late = connection.scalar(
        select(func.count())
        .select_from(ReadItem)
        .where(ReadItem.read_at.is_(None), ReadItem.arrived_at <= now - within)
    )
    hours = int(within.total_seconds() // 3600)
    if late:
        return warn(
            name,
            f"{late} free-text message(s) have waited more than {hours} hours to be read",
            "read them at /dashboard/to-read (riskiest first)",
        )
    return ok(name, f"nothing has waited more than {hours} hours to be read")


def _clock(connection: Connection) -> Check:
    name = "clock"
    here = datetime.now(UTC)
    if not is_postgres(connection):
        return ok(name, f"{here:%Y-%m-%d %H:%M} UTC (the database shares this machine's clock)")
    theirs = connection.scalar(text("SELECT now()"))
    if not isinstance(theirs, datetime):
        return ok(name, f"{here:%Y-%m-%d %H:%M} UTC")
    skew = abs(here - theirs.astimezone(UTC))
    if skew > CLOCK_SKEW:
        return warn(
            name,
            f"this machine's clock is {int(skew.total_seconds())} s off the database server's; "
            "quiet hours and follow-ups go by the clock",
            "turn on time synchronisation on both machines (e.g. `timedatectl set-ntp true`)",
        )
    return ok(name, f"{here:%Y-%m-%d %H:%M} UTC, within {CLOCK_SKEW.seconds} s of the database")
