"""The "to read" list: every family's own words, riskiest first, until an officer has read them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard.web import Who, db, now, page, redirect, refuse, render, services
from storage import audit, to_read

ROW_ROLES = ("admin", "officer")


def _age(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return "under an hour"
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"


@page(ROW_ROLES)
async def to_read_page(request: Request, who: Who) -> Response:
    settings = services(request).settings
    at = now(request)
    within = timedelta(hours=settings.read_within_hours)

    def load(session: Session) -> dict[str, Any]:
        items = to_read.unread(
            session,
            scope=who.scope,
            lead=who.lead,
            young_first=settings.read_young_people_first,
        )
        areas = to_read.backlog(session, scope=who.scope, lead=who.lead)
        if items:
            audit.record(
                session,
                actor=who.actor,
                action="view_to_read",
                now=at,
                detail={"items": [u.item.id for u in items]},
            )
        return {
            "unread_rows": [
                {
                    "u": u,
                    "age": _age(at - u.item.arrived_at),
                    "late": at - u.item.arrived_at > within,
                }
                for u in items
            ],
            "areas": [(a, _age(at - a.oldest)) for a in areas],
            "total": sum(a.count for a in areas),
        }

    context = await db(request, load)
    return render(
        request,
        "to_read.html",
        {
            **context,
            "nav": "to_read",
            "within_hours": settings.read_within_hours,
            "young_first": settings.read_young_people_first,
        },
        who=who,
    )


@page(ROW_ROLES)
async def mark_read(request: Request, who: Who) -> Response:
    form = await request.form()
    ids = {int(v) for v in form.getlist("item") if isinstance(v, str) and v.isdigit()}
    if not ids:
        return refuse(request, who, 400, "Choose at least one item to mark as read.")
    at = now(request)

    def mark(session: Session) -> list[int]:
        marked = to_read.mark_read(session, ids, who.actor, at, scope=who.scope, lead=who.lead)
        if marked:
            audit.record(
                session,
                actor=who.actor,
                action="read_free_text",
                now=at,
                detail={"items": marked},
            )
        return marked

    await db(request, mark)
    return redirect("/to-read")
