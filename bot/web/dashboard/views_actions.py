""" "You said, we did": actions against themes, and sending the update to those who asked for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.reports.questions import categories, question_text
from bot.web.dashboard.filters import FIRST_DAY, LAST_DAY
from bot.web.dashboard.views_responses import ROW_ROLES
from bot.web.dashboard.web import (
    Who,
    db,
    form_text,
    now,
    page,
    parse_id,
    redirect,
    refuse,
    render,
    services,
)
from storage import audit, coding, you_said
from storage import events as events_repo
from storage.dashboard_models import ACTION_STATUSES
from storage.models import Event

STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "done": "Done"}


@page()
async def actions_page(request: Request, who: Who) -> Response:
    flow_id = request.query_params.get("flow", "")
    library = services(request).library

    def load(session: Session) -> dict[str, Any]:
        flow = library.get(flow_id) if flow_id in library else None
        return {
            "flows": [f.id for f in library],
            "flow": flow,
            "themes": coding.themes_for(session, flow.id) if flow else [],
            "actions": coding.actions_for(session, flow.id if flow else None),
            "events": [
                e
                for e in events_repo.list_all(session)
                if e.flow_id in you_said.HEAR_BACK and e.kind != you_said.KIND
            ],
        }

    context = await db(request, load)
    return render(
        request,
        "actions.html",
        {
            **context,
            "statuses": STATUS_LABELS,
            "flow_id": flow_id,
            "theme_options": [(t.id, t.name) for t in context["themes"]],
        },
        who=who,
    )


def _date(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValueError("the date must look like 2026-03-14") from None
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"the date must be between {FIRST_DAY.year} and {LAST_DAY.year}")
    return day


@page(ROW_ROLES)
async def add_action(request: Request, who: Who) -> Response:
    form = await request.form()
    theme_id = parse_id(form_text(form, "theme"))
    at = now(request)

    def create(session: Session) -> tuple[str | None, str]:
        theme = coding.get_theme(session, theme_id) if theme_id is not None else None
        if theme is None:
            return "Choose the theme this action answers.", ""
        try:
            coding.add_action(
                session,
                theme=theme,
                what=form_text(form, "what"),
                owner=form_text(form, "owner", limit=120),
                status=form_text(form, "status") or "planned",
                date=_date(form_text(form, "date")),
                officer_id=who.id,
                now=at,
            )
        except ValueError as exc:
            return str(exc), theme.flow_id
        return None, theme.flow_id

    problem, flow_id = await db(request, create)
    if problem is not None:
        return refuse(request, who, 400, problem)
    return redirect("/actions", flow=flow_id)


@page(ROW_ROLES)
async def action_status(request: Request, who: Who) -> Response:
    form = await request.form()
    action_id = int(request.path_params["action_id"])
    status = form_text(form, "status")
    at = now(request)

    def change(session: Session) -> str | None:
        action = coding.get_action(session, action_id)
        if action is None or status not in ACTION_STATUSES:
            return None
        coding.set_action_status(session, action, status, at)
        theme = coding.get_theme(session, action.theme_id)
        return theme.flow_id if theme else ""

    flow_id = await db(request, change)
    if flow_id is None:
        return refuse(request, who, 400, "No such action, or an unknown status.")
    return redirect("/actions", flow=flow_id)


def _summary(session: Session, event: Event) -> str:
    done = [a.what for a, _t in coding.actions_for(session, event.flow_id) if a.status == "done"]
    return " ".join(w if w.endswith(".") else w + "." for w in done)


def _asks(request: Request, event: Event) -> tuple[str, list[str]] | None:
    """The question that asks whether to hear back, and the answers that mean yes, as the
    families read them (not step ids and stored values)."""
    asks = you_said.HEAR_BACK.get(event.flow_id)
    if asks is None:
        return None
    step_id, yes = asks
    library = services(request).library
    flow = library.get(event.flow_id) if event.flow_id in library else None
    if flow is None or not flow.has_step(step_id):
        return step_id, sorted(yes)
    step = flow.step(step_id)
    labels = [label for value, label in categories(step) if value in yes]
    return question_text(step, values={"event_name": event.title}), labels


@page(ROW_ROLES)
async def you_said_page(request: Request, who: Who) -> Response:
    event_id = int(request.path_params["event_id"])

    def load(session: Session) -> dict[str, Any] | None:
        event = events_repo.get(session, event_id)
        if event is None or (who.scope is not None and event.area not in who.scope):
            return None
        return {
            "event": event,
            "people": len(you_said.consenting(session, event.id)),
            "summary": _summary(session, event),
            "earlier": you_said.sent_for(session, event),
            "asks": _asks(request, event),
        }

    context = await db(request, load)
    if context is None:
        return refuse(request, who, 404, "There is no event with that number in your areas.")
    return render(request, "you_said.html", context, who=who)


@page(ROW_ROLES)
async def you_said_send(request: Request, who: Who) -> Response:
    form = await request.form()
    event_id = int(request.path_params["event_id"])
    summary = form_text(form, "summary", limit=600)
    at = now(request)

    def send(session: Session) -> tuple[str | None, int, int]:
        event = events_repo.get(session, event_id)
        if event is None or (who.scope is not None and event.area not in who.scope):
            return "missing", 0, 0
        try:
            update, people = you_said.send(session, event, summary, at, officer_id=who.id)
        except ValueError as exc:
            return str(exc), 0, 0
        audit.record(
            session,
            actor=who.actor,
            action="send_you_said_we_did",
            subject=f"event:{event.id}",
            detail={"update_id": update.id, "people": people},
            now=at,
        )
        return None, update.id, people

    problem, update_id, people = await db(request, send)
    if problem == "missing":
        return refuse(request, who, 404, "There is no event with that number in your areas.")
    if problem is not None:
        return refuse(request, who, 400, problem)
    return redirect("/actions", sent=people, update=update_id)
