"""Export downloads: pseudonymised by link; identified only by an admin's form, with a reason."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from bot.reports import exports
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.views_responses import ROW_ROLES
from bot.web.dashboard.web import (
    Who,
    attachment,
    db,
    form_text,
    now,
    page,
    refuse,
    render,
    secure,
    services,
)

CHUNK = 64 * 1024


@page(ROW_ROLES)
async def exports_page(request: Request, who: Who) -> Response:
    try:
        _f, query = filtering.parse(request.query_params, who)
    except filtering.BadFilter as exc:
        return refuse(request, who, 400, str(exc))
    flow_ids = [flow.id for flow in services(request).library]

    def load(session: Session) -> dict[str, Any]:
        return {"choices": filtering.choices(session, flow_ids)}

    context = await db(request, load)
    return render(request, "exports.html", {**context, "query": query}, who=who)


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


async def _download(
    request: Request, who: Who, params: Any, *, identified: bool, reason: str
) -> Response:
    try:
        f, _query = filtering.parse(params, who)
    except filtering.BadFilter as exc:
        return refuse(request, who, 400, str(exc))
    layout, fmt = params.get("layout", "wide"), params.get("format", "csv")
    if layout not in exports.LAYOUTS or fmt not in exports.FORMATS:
        return refuse(
            request, who, 400, "Choose a layout (wide or long) and a format (csv or xlsx)."
        )
    export = exports.ExportRequest(
        filters=f,
        layout=layout,
        format=fmt,
        actor=who.actor,
        identified=identified,
        reason=reason,
        role=who.role,
    )
    try:
        export.check()
    except exports.ExportRefused as exc:
        return refuse(request, who, 403, str(exc))
    s, at = services(request), now(request)
    # Spooled: small exports stay in memory, big ones go to a temporary file, never all in RAM.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by _chunks

    def run() -> None:
        exports.export(s.session_factory, export, s.library, spool, now=at)

    try:
        await asyncio.to_thread(run)
    except Exception:
        spool.close()
        raise
    name = exports.filename(export, at)
    return secure(
        StreamingResponse(
            _chunks(spool),
            media_type=exports.MEDIA_TYPES[fmt],
            headers={"Content-Disposition": attachment(name)},
        )
    )


@page(ROW_ROLES)
async def download(request: Request, who: Who) -> Response:
    return await _download(request, who, request.query_params, identified=False, reason="")


@page(("admin",))
async def download_identified(request: Request, who: Who) -> Response:
    form = await request.form()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    return await _download(
        request, who, params, identified=True, reason=form_text(form, "reason", limit=500)
    )
