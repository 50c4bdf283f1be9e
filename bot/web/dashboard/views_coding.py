"""Coding free text against a flow's themes, and the themes page (counts; quotes for officers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.reports.questions import question_text
from bot.web.dashboard import filters as filtering
from bot.web.dashboard import suppress
from bot.web.dashboard.views_responses import ROW_ROLES, page_number
from bot.web.dashboard.web import (
    PREFIX,
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
from flows.schema import Flow, StepType
from storage import audit, coding, reporting, to_read

CODING_PAGE = 20
QUOTES = 3


def text_steps(flow: Flow) -> list[tuple[str, str]]:
    return [(s.id, question_text(s)) for s in flow.steps if s.type is StepType.TEXT]


def _back(form: Any, fallback: str) -> str:
    back = form_text(form, "back")
    # Only our own pages: a form must never send an officer to another site.
    if back.startswith(PREFIX + "/") and not back.startswith("//") and "\\" not in back:
        return back[len(PREFIX) :]
    return fallback


def _flow(request: Request, flow_id: str | None) -> Flow | None:
    library = services(request).library
    return library.get(flow_id) if flow_id is not None and flow_id in library else None


@page(ROW_ROLES)
async def coding_page(request: Request, who: Who) -> Response:
    try:
        f, query = filtering.parse(request.query_params, who)
    except filtering.BadFilter as exc:
        return refuse(request, who, 400, str(exc))
    step = request.query_params.get("step", "")
    uncoded = request.query_params.get("uncoded") == "1"
    number = page_number(request)
    flow_ids = [flow.id for flow in services(request).library]

    def load(session: Session) -> dict[str, Any]:
        flow = _flow(request, filtering.flow_of(session, f))
        context: dict[str, Any] = {"choices": filtering.choices(session, flow_ids), "flow": flow}
        if flow is None:
            return context
        steps = text_steps(flow)
        chosen = [s for s, _ in steps if not step or s == step]
        answers, total = coding.free_text(
            session,
            f,
            chosen,
            uncoded_only=uncoded,
            limit=CODING_PAGE,
            offset=(number - 1) * CODING_PAGE,
        )
        return {
            **context,
            "steps": steps,
            "questions": dict(steps),
            "themes": coding.themes_for(session, flow.id),
            "answers": answers,
            "tags": coding.codings_for(session, [a.answer_id for a in answers]),
            "total": total,
            "pages": max(1, -(-total // CODING_PAGE)),
        }

    context = await db(request, load)
    extra = {"step": step, "uncoded": uncoded, "page_no": number}
    query = filtering.Query({**query.values, **({"step": step} if step else {})})
    if uncoded:
        query = filtering.Query({**query.values, "uncoded": "1"})
    return render(
        request,
        "coding.html",
        {**context, **extra, "query": query, "here": request.url.path + "?" + request.url.query},
        who=who,
    )


@page(ROW_ROLES)
async def add_theme(request: Request, who: Who) -> Response:
    form = await request.form()
    flow_id = form_text(form, "flow", limit=64)
    if _flow(request, flow_id) is None:
        return refuse(request, who, 400, "Choose a flow for the theme.")
    at = now(request)

    def create(session: Session) -> str | None:
        try:
            coding.create_theme(
                session,
                flow_id=flow_id,
                name=form_text(form, "name", limit=200),
                description=form_text(form, "description"),
                officer_id=who.id,
                now=at,
            )
        except ValueError as exc:
            return str(exc)
        return None

    problem = await db(request, create)
    if problem is not None:
        return refuse(request, who, 400, problem)
    return redirect(
        _back(form, "/coding"), **({} if form_text(form, "back") else {"flow": flow_id})
    )


@page(ROW_ROLES)
async def tag_answer(request: Request, who: Who) -> Response:
    form = await request.form()
    answer_id = int(request.path_params["answer_id"])
    chosen = (parse_id(v) for v in form.getlist("theme") if isinstance(v, str))
    wanted = {theme_id for theme_id in chosen if theme_id is not None}
    at = now(request)

    def tag(session: Session) -> str | None:
        answer = coding.answer_in_scope(session, answer_id, who.scope)
        if answer is None:
            return "missing"
        try:
            coding.set_codings(session, answer, wanted, officer_id=who.id, now=at)
        except ValueError as exc:
            return str(exc)
        # Coding an answer means someone read it.
        read = to_read.mark_read_for_answer(session, answer_id, who.actor, at)
        if read:
            audit.record(
                session, actor=who.actor, action="read_free_text", now=at, detail={"items": read}
            )
        return None

    problem = await db(request, tag)
    if problem == "missing":
        return refuse(request, who, 404, "There is no answer with that number in your areas.")
    if problem is not None:
        return refuse(request, who, 400, problem)
    return redirect(_back(form, "/coding"))


@page()
async def themes_page(request: Request, who: Who) -> Response:
    try:
        # Counts cover every area (they are suppressed); quotes only the officer's own areas.
        f, query = filtering.parse(request.query_params)
    except filtering.BadFilter as exc:
        return refuse(request, who, 400, str(exc))
    threshold = config(request).threshold
    flow_ids = [flow.id for flow in services(request).library]
    scoped = reporting.Filters(**{**f.__dict__, "scope": who.scope})

    def load(session: Session) -> dict[str, Any]:
        flow = _flow(request, filtering.flow_of(session, f))
        context: dict[str, Any] = {"choices": filtering.choices(session, flow_ids), "flow": flow}
        if flow is None:
            return context
        counted = coding.theme_counts(session, flow.id, f)
        rows = []
        for theme, n in counted:
            cell = suppress.one(n, threshold)
            shown = who.reads_rows and n > 0
            rows.append(
                (
                    theme,
                    cell,
                    coding.quotes(session, theme.id, scoped, limit=QUOTES) if shown else [],
                )
            )
        return {**context, "rows": rows}

    context = await db(request, load)
    return render(request, "themes.html", {**context, "query": query}, who=who)
