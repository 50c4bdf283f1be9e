"""The public "we asked, you said, we did" page from the dashboard: officers approve quotes for
it theme by theme; admins preview the page and publish it into PUBLISH_DIR (the same page
`sendvoice publish --out DIR` writes)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.privacy.redact import redact
from bot.reports import public_page
from bot.web.dashboard.suppress import one
from bot.web.dashboard.views_responses import ROW_ROLES
from bot.web.dashboard.web import (
    Who,
    config,
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
from storage import audit, coding, published
from storage.reporting import Filters

FLASH = "publish_done"
QUOTE_PAGE = 50


def _publish_dir(request: Request) -> Path | None:
    folder = str(getattr(services(request).settings, "publish_dir", "") or "").strip()
    return Path(folder) if folder else None


def _page_html(request: Request, session: Session) -> tuple[str, list[str]]:
    settings = services(request).settings
    threshold = config(request).threshold
    flows = public_page.sections(session, services(request).library, threshold)
    html = public_page.render(settings.council_name, flows, threshold, now(request))
    return html, [f.title for f in flows]


@page(("admin",))
async def publish_page(request: Request, who: Who) -> Response:
    folder = _publish_dir(request)
    context: dict[str, Any] = {
        "folder": folder,
        "done": request.session.pop(FLASH, None),
    }
    return render(request, "publish.html", context, who=who)


@page(ROW_ROLES)
async def preview(request: Request, who: Who) -> Response:
    """The page exactly as it would be published now: a page of its own, without the dashboard."""
    html, _ = await db(request, lambda session: _page_html(request, session))
    return HTMLResponse(html)


@page(("admin",))
async def publish(request: Request, who: Who) -> Response:
    folder = _publish_dir(request)
    if folder is None:
        return refuse(request, who, 400, "Set PUBLISH_DIR on the server to publish from here.")
    at = now(request)

    def work(session: Session) -> tuple[str, list[str]]:
        html, titles = _page_html(request, session)
        audit.record(
            session,
            actor=who.actor,
            action="publish_page",
            now=at,
            detail={"flows": titles, "out": str(folder)},
        )
        return html, titles

    html, titles = await db(request, work)
    try:
        written = await asyncio.to_thread(public_page.write, folder, html)
    except OSError as exc:
        return refuse(request, who, 500, f"The page could not be written: {exc.strerror}.")
    n = len(titles)
    request.session[FLASH] = f"Published {written.name} ({n} flow{'s' if n != 1 else ''})."
    return redirect("/publish")


@page(ROW_ROLES)
async def quotes_page(request: Request, who: Who) -> Response:
    theme_id = int(request.path_params["theme_id"])
    threshold = config(request).threshold

    def load(session: Session) -> dict[str, Any] | None:
        theme = coding.get_theme(session, theme_id)
        if theme is None:
            return None
        count = dict((t.id, n) for t, n in coding.theme_counts(session, theme.flow_id, Filters()))
        rows = published.tagged(session, theme.id, who.scope, limit=QUOTE_PAGE)
        approved = published.is_approved(session, [a for a, _ in rows])
        return {
            "theme": theme,
            "count": one(count.get(theme.id, 0), threshold),
            "rows": [(a, redact(text), (a, theme.id) in approved) for a, text in rows],
            "done": request.session.pop(FLASH, None),
        }

    context = await db(request, load)
    if context is None:
        return refuse(request, who, 404, "There is no theme with that number.")
    return render(request, "quotes.html", context, who=who)


@page(ROW_ROLES)
async def approve_quote(request: Request, who: Who) -> Response:
    theme_id = int(request.path_params["theme_id"])
    form = await request.form()
    answer_id = parse_id(form_text(form, "answer", limit=12))
    withdraw = form_text(form, "op", limit=16) == "withdraw"
    if answer_id is None:
        return refuse(request, who, 400, "Choose an answer to approve.")
    at = now(request)

    def work(session: Session) -> tuple[int, str]:
        if coding.answer_in_scope(session, answer_id, who.scope) is None:
            return 404, "There is no answer with that number in your areas."
        if withdraw:
            changed = published.withdraw(session, answer_id, theme_id)
        else:
            try:
                changed = published.approve(session, answer_id, theme_id, who.id, at)
            except published.NotCoded:
                return 400, "That answer is not tagged with this theme."
        if changed:
            audit.record(
                session,
                actor=who.actor,
                action="withdraw_quote" if withdraw else "approve_quote",
                subject=f"theme:{theme_id}",
                detail={"answer_id": answer_id, "theme_id": theme_id},
                now=at,
            )
        return 200, "Quote withdrawn from the public page." if withdraw else "Quote approved."

    status, message = await db(request, work)
    if status != 200:
        return refuse(request, who, status, message)
    request.session[FLASH] = message
    return redirect(f"/themes/{theme_id}/quotes")
