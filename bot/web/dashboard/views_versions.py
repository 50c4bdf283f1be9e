"""A flow's versions: the list with its draft, any old version drawn with its texts, downloads as
YAML, and what changed between two. No family's data is here, so every signed-in role may read it
(uploads and publishing are views_flow_uploads)."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard import flowchart
from bot.web.dashboard.views_flows import flow_context
from bot.web.dashboard.web import Who, attachment, db, page, refuse, render, services
from flows.changes import compare
from flows.errors import FlowValidationError, Problem
from flows.loader.flowfile import ID_RE
from flows.schema import Flow
from storage import flow_versions
from storage import officers as officers_repo
from storage.flow_models import FlowDraft, FlowVersion

SOURCES = {
    "file": "a flow file",
    "editor": "the dashboard's editor",
    "upload": "an uploaded YAML file",
    "rapidpro": "a RapidPro/TextIt export",
}
NO_FLOW = "There is no flow with that name, and no draft of one."
NO_VERSION = "This flow has no version with that number."


def flow_id_of(request: Request) -> str | None:
    flow_id = str(request.path_params["flow_id"])
    return flow_id if ID_RE.match(flow_id) else None


def _who_published(session: Session, row: FlowVersion | FlowDraft, officer_id: int | None) -> str:
    if officer_id is not None:
        officer = officers_repo.get(session, officer_id)
        return officer.email if officer is not None else "a former officer"
    return "from its file" if row.source == "file" else "the command line"


def _parse(row: FlowVersion) -> Flow:
    flow = flow_versions.check(row.yaml_text, row.flow_id, source=f"{row.flow_id} v{row.number}")
    return dataclasses.replace(flow, version=row.number)


def _problems(draft: FlowDraft) -> list[Problem]:
    try:
        flow_versions.check(draft.yaml_text, draft.flow_id)
    except FlowValidationError as exc:
        return exc.problems
    return []


@page()
async def versions_page(request: Request, who: Who) -> Response:
    flow_id = flow_id_of(request)
    if flow_id is None:
        return refuse(request, who, 404, NO_FLOW)
    return await versions_response(request, who, flow_id)


async def versions_response(
    request: Request,
    who: Who,
    flow_id: str,
    *,
    refused: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    library = services(request).library

    def load(session: Session) -> dict[str, Any] | None:
        rows = flow_versions.list_versions(session, flow_id)
        draft = flow_versions.get_draft(session, flow_id)
        if not rows and draft is None and flow_id not in library:
            return None
        return {
            "versions": [
                {
                    "row": row,
                    "by": _who_published(session, row, row.published_by),
                    "source": SOURCES.get(row.source, row.source),
                }
                for row in rows
            ],
            "draft": draft,
            "draft_by": _who_published(session, draft, draft.updated_by) if draft else "",
            "draft_problems": _problems(draft) if draft else [],
        }

    context = await db(request, load)
    if context is None:
        return refuse(request, who, 404, NO_FLOW)
    numbers = [v["row"].number for v in context["versions"]]
    context.update(
        {
            "flow_id": flow_id,
            "title": library.get(flow_id).title if flow_id in library else flow_id,
            "file_only": flow_id in library and not numbers,
            "compare_from": numbers[1] if len(numbers) > 1 else None,
            "compare_to": numbers[0] if numbers else None,
            "refused": refused or [],
            "sources": SOURCES,
            "nav": "flows",
        }
    )
    return render(request, "flow_versions.html", context, who=who, status=status)


async def _version_row(request: Request, flow_id: str, number: int) -> FlowVersion | None:
    def load(session: Session) -> FlowVersion | None:
        row = flow_versions.get_version(session, flow_id, number)
        if row is not None:
            session.expunge(row)
        return row

    return await db(request, load)


@page()
async def version_page(request: Request, who: Who) -> Response:
    flow_id = flow_id_of(request)
    number = int(request.path_params["number"])
    row = await _version_row(request, flow_id, number) if flow_id else None
    if row is None:
        return refuse(request, who, 404, NO_VERSION)
    try:
        flow = _parse(row)
    except FlowValidationError:
        return refuse(request, who, 409, "This version no longer loads; download it as YAML.")
    newest = await db(request, lambda s: flow_versions.latest(s, row.flow_id))
    context = {
        **flow_context(flow),
        "chart": flowchart.layout(flow),
        "version_row": row,
        "newest": newest.number if newest is not None else None,
        "source": SOURCES.get(row.source, row.source),
    }
    return render(request, "flow.html", context, who=who)


@page()
async def download_version(request: Request, who: Who) -> Response:
    flow_id = flow_id_of(request)
    number = int(request.path_params["number"])
    row = await _version_row(request, flow_id, number) if flow_id else None
    if row is None:
        return refuse(request, who, 404, NO_VERSION)
    return Response(
        row.yaml_text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": attachment(f"{row.flow_id}.v{row.number}.yaml")},
    )


@page()
async def changes_page(request: Request, who: Who) -> Response:
    flow_id = flow_id_of(request)
    if flow_id is None:
        return refuse(request, who, 404, NO_FLOW)
    params = request.query_params
    numbers = [params.get("from", ""), params.get("to", "")]
    if not all(n.isascii() and n.isdigit() and len(n) < 10 for n in numbers):
        return refuse(request, who, 400, "Choose two versions to compare.")
    first, second = (int(n) for n in numbers)
    rows = [await _version_row(request, flow_id, n) for n in (first, second)]
    if rows[0] is None or rows[1] is None:
        return refuse(request, who, 404, NO_VERSION)
    try:
        old, new = _parse(rows[0]), _parse(rows[1])
    except FlowValidationError:
        return refuse(request, who, 409, "One of these versions no longer loads.")
    context = {
        "flow_id": flow_id,
        "old": rows[0],
        "new": rows[1],
        "title": new.title,
        "changes": compare(old, new),
        "nav": "flows",
    }
    return render(request, "flow_changes.html", context, who=who)
