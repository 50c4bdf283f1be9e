"""`sendvoice events ...`: record events, import who came, see the follow-up schedule.

Listings name people only by pseudonym; a phone number or name appears only when an import row is
wrong, so the officer can find the value they typed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from pathlib import Path

import click
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.db import open_database
from bot.cli.lazy import LazyGroup
from bot.cli.library import library_or_exit
from bot.cli.params import Duration, EventKind, LocalDateTime, zone
from bot.clock import system_clock
from bot.config import get_settings
from bot.followups import event_plans
from bot.followups.attendee_rows import read_csv as read_attendee_csv
from bot.followups.attendees import ImportConflict, ImportFileError, ImportReport, import_attendees
from bot.followups.event_text import local, plan_words, span
from storage import events
from storage.followups import OPEN, planned_times
from storage.models import Event

PROGRESS_OVER = 200  # rows; smaller files import before a bar would be worth drawing
SHOW_LIMIT = 100


def _database() -> AbstractContextManager[sessionmaker[Session]]:
    return open_database(get_settings())


def _find(session: Session, ref: str) -> Event:
    """An event by id or by code, whichever the officer has to hand."""
    event = events.get(session, int(ref)) if ref.isdigit() else None
    event = event or events.by_code(session, ref)
    if event is None:
        raise click.BadParameter(
            f"no event {ref!r}; `sendvoice events list` shows them all", param_hint="EVENT"
        )
    return event


def _check_flow(flow_id: str) -> None:
    library = library_or_exit()
    try:
        event_plans.check_flow(flow_id, library)
    except event_plans.PlanProblem as exc:
        raise click.BadParameter(exc.message, param_hint="--flow") from None


def _check_reminders(
    reminders: tuple[timedelta, ...], none: bool, expires: timedelta
) -> tuple[timedelta, ...]:
    if none and reminders:
        raise click.UsageError("give --reminder or --no-reminders, not both")
    try:
        return event_plans.chosen_reminders(reminders, none, expires)
    except event_plans.PlanProblem as exc:
        raise click.BadParameter(exc.message, param_hint="--reminder") from None


# `events qr` lives with the posters; it is imported when it runs.
@click.group("events", cls=LazyGroup, lazy_commands={"qr": "bot.cli.posters:qr"})
def events_group() -> None:
    """Events, who came, and the follow-up requests sent afterwards."""


@events_group.command("create")
@click.option("--title", required=True, help="What officers and families call it.")
@click.option(
    "--title-cy", default=None, help="Its name in Welsh, for Welsh readers (default: the title)."
)
@click.option("--kind", required=True, type=EventKind(), help=f"One of: {', '.join(events.KINDS)}.")
@click.option("--start", required=True, type=LocalDateTime(), help="e.g. 2026-03-14T10:00")
@click.option("--end", required=True, type=LocalDateTime(), help="e.g. 2026-03-14T12:00")
@click.option(
    "--flow", "flow_id", required=True, help="The flow sent afterwards (see `flows list`)."
)
@click.option("--area", default=None, help="Locality or team, for reports.")
@click.option("--location", default=None, help="Where it takes place.")
@click.option("--delay", type=Duration(), default="24h", show_default=True, help="After the end.")
@click.option(
    "--reminder",
    "reminders",
    type=Duration(),
    multiple=True,
    help="After the first request; up to two. [default: 48h and 7d]",
)
@click.option("--no-reminders", is_flag=True, help="Send the first request only.")
@click.option(
    "--expires",
    type=Duration(),
    default="14d",
    show_default=True,
    help="How long a request is open.",
)
def create_event(
    title: str,
    title_cy: str | None,
    kind: str,
    start: datetime,
    end: datetime,
    flow_id: str,
    area: str | None,
    location: str | None,
    delay: timedelta,
    reminders: tuple[timedelta, ...],
    no_reminders: bool,
    expires: timedelta,
) -> None:
    """Record an event and its follow-up plan.

    Times without Z or an offset are local (DEFAULT_TIMEZONE). The new event's id is printed
    alone on the last line, for scripts.
    """
    tz = zone(get_settings().default_timezone)
    if end <= start:
        raise click.BadParameter(
            f"{local(end, tz)} is not after the start, {local(start, tz)}", param_hint="--end"
        )
    chosen = _check_reminders(reminders, no_reminders, expires)
    _check_flow(flow_id)
    details = event_plans.EventDetails(
        title=title,
        title_cy=title_cy,
        kind=kind,
        starts_at=start,
        ends_at=end,
        flow_id=flow_id,
        area=area,
        location=location,
        followup_delay=delay,
        reminders=chosen,
        request_expires=expires,
    )
    with _database() as session_factory, session_factory.begin() as session:
        try:
            event = event_plans.create(session, details, system_clock())
        except event_plans.PlanProblem as exc:
            raise click.UsageError(str(exc)) from None
    click.echo(f"Created event {event.id}: {event.title} ({event.kind})")
    if event.title_cy:
        click.echo(f"  Welsh: {event.title_cy}")
    click.echo(f"  when:  {span(event, tz)}")
    click.echo(f"  flow:  {event.flow_id}")
    for line in plan_words(event, tz):
        click.echo(f"  plan:  {line}")
    click.echo(f"  code:  {event.code} (for Telegram links and posters)")
    click.echo(f"Add who came with: sendvoice events attendees import {event.id} FILE.csv")
    click.echo(event.id)


@events_group.command("list")
def list_events() -> None:
    """Every event, latest first, with attendance and follow-ups."""
    tz = zone(get_settings().default_timezone)
    with _database() as session_factory, session_factory() as session:
        found = events.list_all(session)
        counts = events.counts_by_event(session, [e.id for e in found])
    if not found:
        click.echo("No events yet: `sendvoice events create --help` shows how to add one.")
        return
    click.echo(
        f"{'id':>4}  {'code':<10} {'kind':<19} {'start':<16}  {'area':<12} "
        f"{'people':>6} {'to send':>7} {'sent':>6}  title"
    )
    for event in found:
        n = counts[event.id]
        to_send = sum(n[status] for status in OPEN)
        click.echo(
            f"{event.id:>4}  {event.code:<10} {event.kind:<19} {local(event.starts_at, tz):<16}  "
            f"{(event.area or '-'):<12} {n['attendees']:>6} {to_send:>7} {n['sent']:>6}  "
            f"{event.title}"
        )


@events_group.command("show")
@click.argument("event_ref", metavar="EVENT")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(events.FOLLOWUP_STATUSES),
    help="Only follow-ups with this status (repeat for several).",
)
@click.option(
    "--limit", default=SHOW_LIMIT, show_default=True, help="Follow-up rows to list; 0 for all."
)
def show_event(event_ref: str, statuses: tuple[str, ...], limit: int) -> None:
    """An event, its plan, and who is due what (people by pseudonym only)."""
    tz = zone(get_settings().default_timezone)
    with _database() as session_factory, session_factory() as session:
        event = _find(session, event_ref)
        n = events.counts(session, event.id)
        rows = events.followup_rows(session, event.id, statuses=statuses, limit=limit or None)
    click.echo(f"Event {event.id}: {event.title}")
    click.echo(f"  in Welsh:   {event.title_cy or '- (Welsh readers see the title)'}")
    click.echo(f"  kind:       {event.kind}")
    click.echo(f"  when:       {span(event, tz)}")
    if event.location or event.area:
        click.echo(f"  where:      {event.location or '-'} (area: {event.area or '-'})")
    click.echo(f"  code:       {event.code}")
    click.echo(f"  flow:       {event.flow_id}")
    for line in plan_words(event, tz):
        click.echo(f"  plan:       {line}")
    click.echo(f"  attendees:  {n['attendees']}")
    by_status = [f"{n[s]} {s}" for s in events.FOLLOWUP_STATUSES if n[s]]
    click.echo(f"  follow-ups: {', '.join(by_status) or 'none yet'}")
    if not rows:
        return
    click.echo("")
    click.echo(f"{'who':<16}  {'kind':<10}  {'due':<16}  {'status':<9}  reason")
    for row, pseudonym in rows:
        line = f"{pseudonym:<16}  {row.kind:<10}  {local(row.due_at, tz):<16}  {row.status:<9}"
        click.echo(f"{line}  {row.reason}" if row.reason else line.rstrip())
    total = sum(n[s] for s in (statuses or events.FOLLOWUP_STATUSES))
    if total > len(rows):
        click.echo(f"... and {total - len(rows)} more (--limit 0 lists them all)")


@events_group.command("edit")
@click.argument("event_ref", metavar="EVENT")
@click.option("--title", default=None, help="A new title.")
@click.option("--title-cy", default=None, help='Its name in Welsh; "" to remove it.')
@click.option("--location", default=None, help='Where it takes place; "" to remove it.')
@click.option("--area", default=None, help='Locality or team; "" to remove it.')
def edit_event(
    event_ref: str,
    title: str | None,
    title_cy: str | None,
    location: str | None,
    area: str | None,
) -> None:
    """Rename an event or change where it is; requests already sent keep their words."""
    if all(v is None for v in (title, title_cy, location, area)):
        raise click.UsageError("say what to change: --title, --title-cy, --location or --area")
    with _database() as session_factory, session_factory.begin() as session:
        event = _find(session, event_ref)
        try:
            events.rename(
                session,
                event,
                title=title,
                title_cy=title_cy,
                location=location,
                area=area,
                now=system_clock(),
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        click.echo(f"Event {event.id}: {event.title}")
        click.echo(f"  in Welsh:   {event.title_cy or '- (Welsh readers see the title)'}")
        click.echo(f"  where:      {event.location or '-'} (area: {event.area or '-'})")


def _run_import(
    session_factory: sessionmaker[Session], event: Event, path: str, people: int
) -> ImportReport:
    region = get_settings().sms_default_region

    def run(progress: Callable[[int], None] | None) -> ImportReport:
        return import_attendees(
            session_factory, event.id, path, region=region, now=system_clock(), progress=progress
        )

    if people <= PROGRESS_OVER:
        return run(None)
    with click.progressbar(length=people, label="Importing", file=sys.stderr) as bar:
        return run(bar.update)


@events_group.group("attendees")
def attendees_group() -> None:
    """Who came to an event."""


@attendees_group.command("import")
@click.argument("event_ref", metavar="EVENT")
@click.argument("path", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
def import_command(event_ref: str, path: str) -> None:
    """Add everyone in FILE.csv (or a .xlsx workbook) to EVENT and plan their follow-ups; all or
    nothing.

    Columns: name, phone, telegram (optional), role (parent or young_person), language (en or cy),
    consent (yes or no). Someone whose consent is no is recorded as attending but never contacted.
    """
    tz = zone(get_settings().default_timezone)
    try:
        people = sum(
            1 for row in read_attendee_csv(path).rows if any(v.strip() for v in row.values())
        )
    except ImportFileError as exc:
        click.echo(f"error: {Path(path).name}: {exc}", err=True)
        raise SystemExit(1) from None
    with _database() as session_factory:
        with session_factory() as session:
            event = _find(session, event_ref)
        try:
            report = _run_import(session_factory, event, path, people)
        except (ImportConflict, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(1) from None
    if not report.ok:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        rows = len({p.row for p in report.problems})
        click.echo(
            f"Nothing was imported: {len(report.problems)} problem(s) in {rows} row(s) of "
            f"{Path(path).name}. Fix them and import the file again.",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"Read {report.rows} people from {Path(path).name} ({report.encoding}).")
    click.echo(f"  new attendees:      {report.new_attendees}")
    click.echo(f"  already attending:  {report.already_attending}")
    click.echo(f"  new contacts:       {report.new_contacts}")
    click.echo(f"  follow-ups planned: {report.followups_planned}")
    if report.opted_out:
        click.echo(
            f"  opted out earlier:  {report.opted_out} (on the list, but they asked us to stop "
            "and will not be contacted)"
        )
    if report.no_consent:
        click.echo(
            f"  not to be contacted: {report.no_consent} (came, but did not agree to be "
            "contacted: counted, never sent anything)"
        )
    first = planned_times(event)["initial"]
    if report.followups_planned and first <= system_clock():
        click.echo(
            f"The first request was due at {local(first, tz)}: it goes out the next time the "
            "scheduler runs."
        )
