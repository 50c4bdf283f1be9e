"""Events in the browser: the list, a new event, changing or cancelling one, pausing its plan.

The rules are bot.followups.event_plans, which the command line uses too. Every change is audited;
an officer sees and changes only events in their areas (anything else is "not found").
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.followups import event_plans
from bot.followups.event_plans import EventDetails, PlanProblem
from bot.web.dashboard.views_responses import ROW_ROLES
from bot.web.dashboard.web import (
    Who,
    db,
    form_text,
    now,
    page,
    redirect,
    refuse,
    render,
    services,
)
from flows.loader.flowfile import parse_duration
from storage import audit
from storage import events as events_repo
from storage.models import Event

NOT_FOUND = "There is no event with that number in your areas."
KIND_LABELS = {
    kind: kind.replace("_", " ").capitalize().replace("Ehc", "EHC") for kind in events_repo.KINDS
}
FIELD_LABELS = {
    "title": "Title",
    "kind": "Kind of event",
    "start": "Starts",
    "end": "Ends",
    "flow": "Flow sent afterwards",
    "area": "Area",
    "location": "Place",
    "delay": "First request after the end",
    "reminder": "Reminders",
    "expires": "Requests stay open for",
    "": "The event",
}


def zone(request: Request) -> ZoneInfo:
    return ZoneInfo(services(request).settings.default_timezone)


def visible(who: Who, event: Event | None) -> Event | None:
    """The event if this officer may see it: admins and all-area officers see every event."""
    if event is None or (who.scope is not None and event.area not in who.scope):
        return None
    return event


def _words(seconds: int | None) -> str:
    if not seconds:
        return ""
    for unit, size in (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds // 60}m"


def form_values(event: Event | None, tz: ZoneInfo) -> dict[str, str]:
    """What the form shows: the event's values, or a new event's defaults."""
    if event is None:
        return {"delay": "24h", "reminder_1": "48h", "reminder_2": "7d", "expires": "14d"}
    return {
        "title": event.title,
        "kind": event.kind,
        "start": f"{event.starts_at.astimezone(tz):%Y-%m-%dT%H:%M}",
        "end": f"{event.ends_at.astimezone(tz):%Y-%m-%dT%H:%M}",
        "flow": event.flow_id,
        "area": event.area or "",
        "location": event.location or "",
        "delay": _words(event.followup_delay_s) or "0m",
        "reminder_1": _words(event.reminder_1_s),
        "reminder_2": _words(event.reminder_2_s),
        "expires": _words(event.request_expires_s),
    }


def _when(value: str, name: str, tz: ZoneInfo) -> dt.datetime:
    if not value:
        raise PlanProblem(name, "give a date and a time, like 14/03/2026 10:00")
    try:
        naive = dt.datetime.fromisoformat(value)
    except ValueError:
        raise PlanProblem(
            name, f"{value!r} is not a date and time, like 2026-03-14T10:00"
        ) from None
    if naive.tzinfo is not None or not 2000 <= naive.year <= 2100:
        raise PlanProblem(name, f"{value!r} is not a date and time, like 2026-03-14T10:00")
    try:
        return event_plans.local_time(naive, tz).astimezone(dt.UTC)
    except ValueError as exc:
        raise PlanProblem(name, str(exc)) from None


def _duration(value: str, name: str) -> dt.timedelta:
    try:
        return parse_duration(value)
    except (ValueError, OverflowError):
        raise PlanProblem(
            name,
            f"{value!r} is not a length of time; use a number and m, h, d or w, like 24h or 7d",
        ) from None


def details_from(request: Request, who: Who, values: dict[str, str]) -> EventDetails:
    """The form as an event, or PlanProblem naming the field to change."""
    tz = zone(request)
    starts, ends = _when(values["start"], "start", tz), _when(values["end"], "end", tz)
    if ends <= starts:
        raise PlanProblem("end", "the event must end after it starts")
    if values["kind"] not in events_repo.KINDS:
        raise PlanProblem("kind", "choose what kind of event it is")
    event_plans.check_flow(values["flow"], services(request).library)
    area = values["area"] or None
    if who.scope is not None and area not in who.scope:
        raise PlanProblem("area", f"choose one of your areas: {', '.join(sorted(who.scope))}")
    expires = _duration(values["expires"] or "14d", "expires")
    given = [values[f"reminder_{n}"] for n in (1, 2) if values[f"reminder_{n}"]]
    reminders = [_duration(v, "reminder") for v in given]
    chosen = event_plans.chosen_reminders(reminders, not reminders, expires)
    return EventDetails(
        title=values["title"],
        kind=values["kind"],
        starts_at=starts,
        ends_at=ends,
        flow_id=values["flow"],
        area=area,
        location=values["location"] or None,
        followup_delay=_duration(values["delay"] or "0m", "delay"),
        reminders=chosen,
        request_expires=expires,
    )


FIELDS = {
    "title": 200,
    "kind": 32,
    "start": 32,
    "end": 32,
    "flow": 64,
    "area": 64,
    "location": 200,
    "delay": 16,
    "reminder_1": 16,
    "reminder_2": 16,
    "expires": 16,
}


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: form_text(form, name, limit=limit) for name, limit in FIELDS.items()}


def _form(
    request: Request,
    who: Who,
    event: Event | None,
    values: dict[str, str],
    problem: PlanProblem | None = None,
) -> Response:
    context: dict[str, Any] = {
        "nav": "events",
        "event": event,
        "values": values,
        "kinds": KIND_LABELS,
        "flows": [(f.id, f"{f.title} ({f.id})") for f in services(request).library],
        "areas": sorted(who.scope) if who.scope is not None else None,
        "problem": problem,
        "problem_label": FIELD_LABELS.get(problem.field, "") if problem else "",
        "timezone": zone(request).key,
    }
    return render(request, "event_form.html", context, status=400 if problem else 200, who=who)


@page()
async def events_page(request: Request, who: Who) -> Response:
    def load(session: Session) -> dict[str, Any]:
        found = [e for e in events_repo.list_all(session) if visible(who, e)]
        return {
            "events": found,
            "counts": events_repo.counts_by_event(session, [e.id for e in found]),
        }

    context = await db(request, load)
    return render(
        request, "events.html", {**context, "nav": "events", "kinds": KIND_LABELS}, who=who
    )


@page(ROW_ROLES)
async def new_event_page(request: Request, who: Who) -> Response:
    values = form_values(None, zone(request))
    if who.scope is not None and len(who.scope) == 1:
        values["area"] = next(iter(who.scope))
    return _form(request, who, None, values)


@page(ROW_ROLES)
async def create_event(request: Request, who: Who) -> Response:
    values = await _posted(request)
    at = now(request)
    try:
        details = details_from(request, who, values)
    except PlanProblem as exc:
        return _form(request, who, None, values, exc)

    def create(session: Session) -> int | PlanProblem:
        try:
            event = event_plans.create(session, details, at)
        except PlanProblem as exc:
            return exc
        audit.record(
            session,
            actor=who.actor,
            action="create_event",
            subject=f"event:{event.id}",
            detail={"area": event.area, "flow": event.flow_id},
            now=at,
        )
        return event.id

    created = await db(request, create)
    if isinstance(created, PlanProblem):
        return _form(request, who, None, values, created)
    return redirect(f"/events/{created}", done="created")


@page(ROW_ROLES)
async def edit_event_page(request: Request, who: Who) -> Response:
    event = await db(
        request, lambda s: visible(who, events_repo.get(s, int(request.path_params["event_id"])))
    )
    if event is None:
        return refuse(request, who, 404, NOT_FOUND)
    if event.cancelled_at is not None:
        return refuse(request, who, 409, "This event was cancelled: it cannot be changed.")
    return _form(request, who, event, form_values(event, zone(request)))


@page(ROW_ROLES)
async def edit_event(request: Request, who: Who) -> Response:
    values = await _posted(request)
    event_id = int(request.path_params["event_id"])
    at = now(request)

    try:
        details: EventDetails | PlanProblem = details_from(request, who, values)
    except PlanProblem as exc:
        details = exc

    def change(session: Session) -> Event | PlanProblem | None:
        event = visible(who, events_repo.get(session, event_id))
        if event is None:
            return None
        if isinstance(details, PlanProblem):
            return details
        try:
            # Checked in full before anything is written: a refusal changes nothing.
            changed = event_plans.edit(session, event, details, at)
        except PlanProblem as exc:
            return exc
        if changed:
            audit.record(
                session,
                actor=who.actor,
                action="edit_event",
                subject=f"event:{event.id}",
                detail={"changed": changed},
                now=at,
            )
        return event

    result = await db(request, change)
    if result is None:
        return refuse(request, who, 404, NOT_FOUND)
    if isinstance(result, PlanProblem):
        event = await db(request, lambda s: events_repo.get(s, event_id))
        return _form(request, who, event, values, result)
    return redirect(f"/events/{event_id}", done="changed")


async def _act(request: Request, who: Who, action: str) -> Response:
    """Cancel, pause or resume an event's plan, audited."""
    event_id = int(request.path_params["event_id"])
    at = now(request)
    form = await request.form()

    def act(session: Session) -> str | None:
        event = visible(who, events_repo.get(session, event_id))
        if event is None:
            return None
        detail: dict[str, Any] = {}
        try:
            if action == "cancel_event":
                if form_text(form, "confirm") != "yes":
                    return "Tick the box to confirm that the event is cancelled."
                detail["follow_ups_cancelled"] = event_plans.cancel(session, event, at)
            elif action == "pause_followups":
                event_plans.pause(session, event, at)
            else:
                event_plans.resume(session, event, at)
        except PlanProblem as exc:
            return exc.message
        audit.record(
            session,
            actor=who.actor,
            action=action,
            subject=f"event:{event.id}",
            detail=detail,
            now=at,
        )
        return ""

    problem = await db(request, act)
    if problem is None:
        return refuse(request, who, 404, NOT_FOUND)
    if problem:
        return refuse(request, who, 400, problem)
    done = {"cancel_event": "cancelled", "pause_followups": "paused"}.get(action, "resumed")
    return redirect(f"/events/{event_id}", done=done)


@page(ROW_ROLES)
async def cancel_event(request: Request, who: Who) -> Response:
    return await _act(request, who, "cancel_event")


@page(ROW_ROLES)
async def pause_plan(request: Request, who: Who) -> Response:
    return await _act(request, who, "pause_followups")


@page(ROW_ROLES)
async def resume_plan(request: Request, who: Who) -> Response:
    return await _act(request, who, "resume_followups")
