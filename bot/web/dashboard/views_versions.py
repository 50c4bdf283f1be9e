"""A flow's versions: the list, any old version drawn with its texts, downloads as YAML, what
changed between two, uploads (a YAML file or a RapidPro/TextIt export) that become drafts, and
publishing a draft (admins).

Reading needs no family's data, so every signed-in role may; uploading is for admins and officers
with the "author" permission (Who.may_author); publishing is for admins.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from bot.versions.live import refresh
from bot.web.dashboard import flowchart
from bot.web.dashboard.views_flows import flow_context
from bot.web.dashboard.web import Who, attachment, db, now, page, redirect, refuse, render, services
from flows.changes import compare
from flows.errors import FlowValidationError, Problem
from flows.interop.rapidpro_common import RapidProError
from flows.interop.rapidpro_import import read_export
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
AUTHORS_ONLY = "Only admins and officers who write flows may upload them."
YAML_FIELD, RAPIDPRO_FIELD = "flow_file", "export_file"
MAX_TEXT = 2 * 1024 * 1024  # a flow file is a few kilobytes; an export a few hundred


def _flow_id(request: Request) -> str | None:
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
    flow_id = _flow_id(request)
    if flow_id is None:
        return refuse(request, who, 404, NO_FLOW)
    return await _versions(request, who, flow_id)


async def _versions(
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
    flow_id = _flow_id(request)
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
    flow_id = _flow_id(request)
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
    flow_id = _flow_id(request)
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


# --- uploads and publishing -------------------------------------------------------------------


@page()
async def upload_page(request: Request, who: Who) -> Response:
    if not who.may_author:
        return refuse(request, who, 403, AUTHORS_ONLY)
    return await _upload_page(request, who, {})


async def _upload_page(
    request: Request, who: Who, result: dict[str, Any], *, status: int = 200
) -> Response:
    drafts = await db(request, flow_versions.list_drafts)
    context = {
        "drafts": drafts,
        "yaml_field": YAML_FIELD,
        "rapidpro_field": RAPIDPRO_FIELD,
        "sources": SOURCES,
        "nav": "flows",
        **result,
    }
    return render(request, "flow_upload.html", context, who=who, status=status)


async def _uploaded_text(request: Request, field: str) -> tuple[str, str] | str:
    """(file name, text) of an uploaded file, or what is wrong with it."""
    form = await request.form()
    upload = form.get(field)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return "Choose the file to upload."
    data = await upload.read(MAX_TEXT + 1)
    if len(data) > MAX_TEXT:
        return "That file is too large to be a flow."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "That is not a text file: save it as UTF-8 text and upload it again."
    return upload.filename[-120:], text


@page(("admin", "officer"))
async def upload_yaml(request: Request, who: Who) -> Response:
    """A YAML flow file becomes its flow's draft, or is refused with the loader's problems."""
    if not who.may_author:
        return refuse(request, who, 403, AUTHORS_ONLY)
    got = await _uploaded_text(request, YAML_FIELD)
    if isinstance(got, str):
        return await _upload_page(request, who, {"error": got}, status=400)
    filename, text = got
    try:
        flow = flow_versions.check(text, source=filename)
    except FlowValidationError as exc:
        result = {"filename": filename, "problems": exc.problems}
        return await _upload_page(request, who, result, status=400)
    at = now(request)
    await db(
        request,
        lambda s: flow_versions.save_draft(s, flow.id, text, who.id, now=at, source="upload"),
    )
    return redirect(f"/flows/{flow.id}/versions", saved="upload")


@page(("admin", "officer"))
async def upload_rapidpro(request: Request, who: Who) -> Response:
    """A RapidPro/TextIt export runs through the importer: each flow in it becomes a draft, and
    the page shows what was not mapped and where."""
    if not who.may_author:
        return refuse(request, who, 403, AUTHORS_ONLY)
    got = await _uploaded_text(request, RAPIDPRO_FIELD)
    if isinstance(got, str):
        return await _upload_page(request, who, {"error": got}, status=400)
    filename, text = got
    try:
        result = read_export(json.loads(text))
    except json.JSONDecodeError as exc:
        error = f"{filename}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        return await _upload_page(request, who, {"error": error}, status=400)
    except RapidProError as exc:
        return await _upload_page(request, who, {"error": f"{filename}: {exc}."}, status=400)
    at = now(request)
    beside = [str(u) for u in result.unmapped]
    imported: list[dict[str, Any]] = []
    drafts: list[tuple[str, str, list[Any]]] = []
    for flow in result.flows:
        report = beside + [str(u) for u in flow.unmapped]
        text_of = flow.yaml()
        try:
            flow_versions.check(text_of, flow.flow_id)
            problems: list[Problem] = []
        except FlowValidationError as exc:
            problems = exc.problems
        imported.append(
            {"flow_id": flow.flow_id, "title": flow.title, "report": report, "problems": problems}
        )
        drafts.append((flow.flow_id, text_of, report))

    def save(session: Session) -> None:
        for flow_id, yaml_text, report in drafts:
            flow_versions.save_draft(
                session, flow_id, yaml_text, who.id, now=at, source="rapidpro", report=report
            )

    await db(request, save)
    return await _upload_page(request, who, {"filename": filename, "imported": imported})


@page(("admin",))
async def publish_draft(request: Request, who: Who) -> Response:
    """The flow's draft becomes its newest version: new conversations start on it, running ones
    finish on the version they began."""
    flow_id = _flow_id(request)
    if flow_id is None:
        return refuse(request, who, 404, NO_FLOW)
    at = now(request)
    s = services(request)

    def publish(session: Session) -> int | list[Problem] | None:
        draft = flow_versions.get_draft(session, flow_id)
        if draft is None:
            return None
        try:
            with session.begin_nested():
                return flow_versions.publish(
                    session, flow_id, draft.yaml_text, who.id, draft.source, now=at
                )
        except FlowValidationError as exc:
            return exc.problems

    outcome = await db(request, publish)
    if outcome is None:
        return refuse(request, who, 404, "This flow has no draft to publish.")
    if isinstance(outcome, list):
        return await _versions(request, who, flow_id, refused=outcome, status=400)
    await db(request, lambda session: refresh(s.library, session))
    return redirect(f"/flows/{flow_id}/versions", published=str(outcome))
