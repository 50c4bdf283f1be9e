"""One event: its details, who came (uploaded as CSV or a workbook) and where each person stands
in the follow-up plan."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from bot.followups.attendee_rows import ImportFileError, read_table
from bot.followups.attendees import ImportConflict, ImportReport, import_attendees
from bot.followups.event_text import plan_words, span
from bot.followups.plan_status import STATUSES, plan_status
from bot.followups.poster import whatsapp_link
from bot.web.dashboard.views_events import KIND_LABELS, NOT_FOUND, visible, zone
from bot.web.dashboard.views_responses import ROW_ROLES
from bot.web.dashboard.web import Who, db, now, page, refuse, render, services
from storage import audit
from storage import events as events_repo
from storage.models import Event

SHOWN = 500  # people listed on the page; the counts cover everyone
UPLOAD_FIELD = "attendees"
_FILE_TYPES = (".csv", ".txt", ".xlsx")


def _load(request: Request, who: Who, event_id: int) -> Any:
    at = now(request)
    tz = zone(request)
    library = services(request).library
    settings = services(request).settings

    def load(session: Session) -> dict[str, Any] | None:
        event = visible(who, events_repo.get(session, event_id))
        if event is None:
            return None
        status = plan_status(session, event, at)
        flow = library.get(event.flow_id) if event.flow_id in library else None
        return {
            "event": event,
            "flow": flow,
            "when": span(event, tz),
            "plan": plan_words(event, tz),
            "counts": events_repo.counts(session, event.id),
            "status": status,
            "people": status.people[:SHOWN],
            "whatsapp_link": whatsapp_link(settings, event.title, event.code),
        }

    return load


async def _page(
    request: Request, who: Who, event_id: int, upload: dict[str, Any] | None = None
) -> Response:
    context = await db(request, _load(request, who, event_id))
    if context is None:
        return refuse(request, who, 404, NOT_FOUND)
    failed = upload is not None and (upload.get("error") or upload["report"].problems)
    return render(
        request,
        "event.html",
        {
            **context,
            "nav": "events",
            "kinds": KIND_LABELS,
            "labels": STATUSES,
            "shown": SHOWN,
            "upload": upload,
            "upload_field": UPLOAD_FIELD,
            "max_upload_mb": services(request).settings.max_upload_mb,
            "done": request.query_params.get("done", ""),
            "timezone": zone(request).key,
        },
        status=400 if failed else 200,
        who=who,
    )


@page(ROW_ROLES)
async def event_page(request: Request, who: Who) -> Response:
    return await _page(request, who, int(request.path_params["event_id"]))


def _problem(filename: str, error: str) -> dict[str, Any]:
    return {"filename": filename, "error": error, "report": None}


@page(ROW_ROLES)
async def upload_attendees(request: Request, who: Who) -> Response:
    """The whole list or nobody: a file with any wrong row imports nobody and lists every row."""
    event_id = int(request.path_params["event_id"])
    form = await request.form()
    upload = form.get(UPLOAD_FIELD)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _page(request, who, event_id, _problem("", "Choose the file to upload."))
    filename = upload.filename[-120:]
    if not filename.lower().endswith(_FILE_TYPES):
        message = "Upload the list as a CSV file (.csv) or an Excel workbook (.xlsx)."
        return await _page(request, who, event_id, _problem(filename, message))
    data = await upload.read()
    event: Event | None = await db(request, lambda s: visible(who, events_repo.get(s, event_id)))
    if event is None:
        return refuse(request, who, 404, NOT_FOUND)
    try:
        table = await asyncio.to_thread(read_table, data)
    except ImportFileError as exc:
        return await _page(request, who, event_id, _problem(filename, f"{exc}."))
    at = now(request)
    settings = services(request).settings
    factory = services(request).session_factory
    try:
        report: ImportReport = await asyncio.to_thread(
            import_attendees, factory, event_id, table, region=settings.sms_default_region, now=at
        )
    except (ImportConflict, ValueError, LookupError) as exc:
        return await _page(request, who, event_id, _problem(filename, f"{exc}."))
    if report.ok:

        def record(session: Session) -> None:
            audit.record(
                session,
                actor=who.actor,
                action="import_attendees",
                subject=f"event:{event_id}",
                detail={
                    "rows": report.rows,
                    "new_attendees": report.new_attendees,
                    "no_consent": report.no_consent,
                    "followups_planned": report.followups_planned,
                },
                now=at,
            )

        await db(request, record)
    return await _page(request, who, event_id, {"filename": filename, "report": report})
