"""Uploads that become drafts (a YAML flow file, or a RapidPro/TextIt export through the importer,
with its report), and publishing a draft as a flow's next version.

Uploading is for admins and officers with the "author" permission (Who.may_author); publishing is
for admins.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from bot.versions.live import refresh
from bot.web.dashboard.views_versions import NO_FLOW, SOURCES, flow_id_of, versions_response
from bot.web.dashboard.web import Who, db, now, page, redirect, refuse, render, services
from flows.errors import FlowValidationError, Problem
from flows.interop.rapidpro_common import RapidProError
from flows.interop.rapidpro_import import read_export
from storage import flow_versions

AUTHORS_ONLY = "Only admins and officers who write flows may upload them."
YAML_FIELD, RAPIDPRO_FIELD = "flow_file", "export_file"
MAX_TEXT = 2 * 1024 * 1024  # a flow file is a few kilobytes; an export a few hundred


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

    def save(session: Session) -> datetime | None:
        # An officer may have a draft open in the editor: say that the file took its place.
        earlier = flow_versions.get_draft(session, flow.id)
        replaced = earlier.updated_at if earlier is not None else None
        flow_versions.save_draft(session, flow.id, text, who.id, now=at, source="upload")
        return replaced

    replaced = await db(request, save)
    if replaced is not None:
        return redirect(
            f"/flows/{flow.id}/versions", saved="upload", replaced=f"{replaced:%-d %B %Y %H:%M}"
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
    flow_id = flow_id_of(request)
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
        return await versions_response(request, who, flow_id, refused=outcome, status=400)
    await db(request, lambda session: refresh(s.library, session))
    return redirect(f"/flows/{flow_id}/versions", published=str(outcome))
