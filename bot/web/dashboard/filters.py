"""Reading the filter form (query string) into storage filters, and the choices it offers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation.inbound import clean_text
from bot.reports.questions import ANSWERED_BY_LABELS
from bot.web.dashboard.web import Who, parse_id
from storage import events as events_repo
from storage import you_said
from storage.models import ROLES, Conversation, Event
from storage.reporting import Filters

UK = ZoneInfo("Europe/London")
PAGE_SIZE = 50
FIELDS = (
    "event",
    "flow",
    "since",
    "until",
    "role",
    "area",
    "language",
    "channel",
    "status",
    "answered_by",
)
TEXT_FIELDS = ("flow", "role", "area", "language", "channel", "status", "answered_by")
# Far wider than the data, and narrow enough that a day's UK midnight is a valid UTC instant.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class BadFilter(ValueError):
    pass


def _int(value: str | None, name: str) -> int | None:
    if not value:
        return None
    number = parse_id(value)
    if number is None:
        raise BadFilter(f"{name} must be a number")
    return number


def parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name} must be a date like 2026-03-14") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadFilter(f"{name} must be a date between {FIRST_DAY.year} and {LAST_DAY.year}")
    return day


def _text(value: str) -> None:
    # Nothing stored has control characters in it, and PostgreSQL refuses a NUL outright.
    if clean_text(value, len(value)) != value:
        raise BadFilter("A filter has characters in it that no answer has")


def _answered_by(value: str | None) -> str | None:
    if value is not None and value not in ANSWERED_BY_LABELS:
        raise BadFilter("Who answered must be one of the choices offered")
    return value


def uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UK)


@dataclass(frozen=True)
class Query:
    """The filter form as typed, to fill the form again and build links."""

    values: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def params(self, **extra: Any) -> dict[str, Any]:
        return {**self.values, **extra}


def parse(params: Mapping[str, str], who: Who | None = None) -> tuple[Filters, Query]:
    """Filters from the query string; the officer's area scope is applied when `who` is given."""
    values = {k: params[k].strip() for k in FIELDS if params.get(k, "").strip()}
    for name in TEXT_FIELDS:
        _text(values.get(name, ""))
    since = parse_day(values.get("since"), "From")
    until = parse_day(values.get("until"), "To")
    if since and until and until < since:
        raise BadFilter("'To' is before 'From'")
    filters = Filters(
        event_id=_int(values.get("event"), "Event"),
        flow_id=values.get("flow"),
        since=uk_midnight(since) if since else None,
        until=uk_midnight(until + timedelta(days=1)) if until else None,
        role=values.get("role"),
        area=values.get("area"),
        language=values.get("language"),
        channel=values.get("channel"),
        status=values.get("status"),
        answered_by=_answered_by(values.get("answered_by")),
        scope=who.scope if who is not None else None,
    )
    return filters, Query(values)


@dataclass(frozen=True)
class Choices:
    events: list[tuple[int, str]]
    flows: list[str]
    roles: list[str]
    areas: list[str]
    languages: list[str]
    channels: list[str]
    statuses: list[str] = field(
        default_factory=lambda: ["active", "completed", "stopped", "expired"]
    )
    answered_by: list[tuple[str, str]] = field(
        default_factory=lambda: list(ANSWERED_BY_LABELS.items())
    )


def choices(session: Session, flow_ids: list[str]) -> Choices:
    # Earlier versions made an event to carry each "you said, we did" update: not an event anyone
    # attended, so not one to pick (its replies are under the you_said_we_did flow).
    events = [
        (e.id, f"{e.title} ({e.starts_at.astimezone(UK):%-d %b %Y})")
        for e in events_repo.list_all(session)
        if e.kind != you_said.KIND
    ]
    areas = sorted(
        a for a in session.scalars(select(Event.area).distinct()) if a is not None and a != ""
    )
    languages = sorted(session.scalars(select(Conversation.language).distinct()))
    channels = sorted(session.scalars(select(Conversation.channel).distinct()))
    roles = sorted(ROLES)
    return Choices(events, flow_ids, roles, areas, languages, channels)


def flow_of(session: Session, filters: Filters) -> str | None:
    """The flow the page is about: the one asked for, or the chosen event's."""
    if filters.flow_id is not None:
        return filters.flow_id
    if filters.event_id is not None:
        event = session.get(Event, filters.event_id)
        return event.flow_id if event is not None else None
    return None
