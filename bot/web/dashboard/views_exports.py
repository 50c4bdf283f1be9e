"""Export downloads: pseudonymised by link; identified only by an admin's form, with a reason."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from bot.reports import exports
from bot.web.dashboard import answer_filter
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
from storage.reporting import Filters

CHUNK = 64 * 1024


@page(ROW_ROLES)
async def exports_page(request: Request, who: Who) -> Response:
    try:
        f, query = filtering.parse(request.query_params, who)
    except filtering.BadFilter as exc:
        return refuse(request, who, 400, str(exc))
    library = services(request).library
    flow_ids = [flow.id for flow in library]

    def load(session: Session) -> dict[str, Any] | str:
        flow_id = filtering.flow_of(session, f)
        flow = library.get(flow_id) if flow_id is not None and flow_id in library else None
        try:
            answers = answer_filter.parse(request.query_params, flow)
        except filtering.BadFilter as exc:
            return str(exc)
        return {
            "choices": filtering.choices(session, flow_ids),
            "offers": answer_filter.offers(flow),
            "picked": answers.picked if answers is not None else set(),
            "answer_said": answer_filter.describe(flow, answers),
            "query": answer_filter.with_answers(query, answers),
        }

    context = await db(request, load)
    if isinstance(context, str):
        return refuse(request, who, 400, context)
    return render(request, "exports.html", context, who=who)


def _narrowed(request: Request, params: Any, f: Filters) -> Callable[[Session], Filters]:
    """The filters narrowed by the answer filter, as the Responses page narrows them."""
    library = services(request).library

    def load(session: Session) -> Filters:
        flow_id = filtering.flow_of(session, f)
        flow = library.get(flow_id) if flow_id is not None and flow_id in library else None
        return answer_filter.narrow(session, f, answer_filter.parse(params, flow))

    return load


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
        f = await db(request, _narrowed(request, params, f))
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
