"""Coding free text against a flow's themes: many answers at a time, and "no theme" for an answer
with nothing in it to code. Coding an answer reads it (the to-read list) and is audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.reports.questions import question_text
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.views_responses import ROW_ROLES, page_number
from bot.web.dashboard.web import (
    PREFIX,
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
from flows.schema import Flow, StepType
from storage import audit, coding, to_read
from storage.models import Answer

CODING_PAGE = 25
# One form can carry at most this many answers: a page, or a few pages' worth from a script.
MOST_AT_ONCE = 500
NO_THEME = "none"
FLASH = "coding_done"


def text_steps(flow: Flow) -> list[tuple[str, str]]:
    return [(s.id, question_text(s)) for s in flow.steps if s.type is StepType.TEXT]


def back_to(form: Any, fallback: str) -> str:
    back = form_text(form, "back")
    # Only our own pages: a form must never send an officer to another site.
    if back.startswith(PREFIX + "/") and not back.startswith("//") and "\\" not in back:
        return back[len(PREFIX) :]
    return fallback


def flow_named(request: Request, flow_id: str | None) -> Flow | None:
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
        flow = flow_named(request, filtering.flow_of(session, f))
        context: dict[str, Any] = {"choices": filtering.choices(session, flow_ids), "flow": flow}
        if flow is None:
            return context
        steps = text_steps(flow)
        chosen = [s for s, _ in steps if not step or s == step]

        def fetch(n: int) -> tuple[list[coding.FreeText], int]:
            return coding.free_text(
                session,
                f,
                chosen,
                uncoded_only=uncoded,
                limit=CODING_PAGE,
                offset=(n - 1) * CODING_PAGE,
            )

        answers, total = fetch(number)
        pages = max(1, -(-total // CODING_PAGE))
        if number > pages:  # after coding, an "uncoded only" list is shorter than it was
            answers, _ = fetch(pages)
        ids = [a.answer_id for a in answers]
        themes = coding.themes_for(session, flow.id)
        names = {t.id: t.name for t in themes}
        tags = coding.codings_for(session, ids)
        return {
            **context,
            "steps": steps,
            "questions": dict(steps),
            "themes": themes,
            "answers": answers,
            "tags": {a: sorted(names[t] for t in tags[a] if t in names) for a in ids},
            "no_theme": coding.no_theme_for(session, ids),
            "total": total,
            "pages": pages,
            "page_no": min(number, pages),
        }

    context = await db(request, load)
    values = dict(query.values)
    if step:
        values["step"] = step
    if uncoded:
        values["uncoded"] = "1"
    query = filtering.Query(values)
    here_page = context.get("page_no", 1)
    here = filtering.Query({**values, **({"page": str(here_page)} if here_page > 1 else {})})
    extra = {
        "step": step,
        "uncoded": uncoded,
        "query": query,
        "here": here,
        "select_all": request.query_params.get("select") == "all",
        "done": request.session.pop(FLASH, None),
        "no_theme_value": NO_THEME,
    }
    return render(request, "coding.html", {**context, **extra}, who=who)


@page(ROW_ROLES)
async def add_theme(request: Request, who: Who) -> Response:
    form = await request.form()
    flow_id = form_text(form, "flow", limit=64)
    if flow_named(request, flow_id) is None:
        return refuse(request, who, 400, "Choose a flow for the theme.")
    at = now(request)

    def create(session: Session) -> str | None:
        try:
            theme = coding.create_theme(
                session,
                flow_id=flow_id,
                name=form_text(form, "name", limit=200),
                description=form_text(form, "description"),
                officer_id=who.id,
                now=at,
            )
        except ValueError as exc:
            return str(exc)
        audit.record(
            session,
            actor=who.actor,
            action="add_theme",
            subject=f"theme:{theme.id}",
            detail={"flow_id": flow_id, "name": theme.name},
            now=at,
        )
        return None

    problem = await db(request, create)
    if problem is not None:
        return refuse(request, who, 400, problem)
    return redirect(
        back_to(form, "/coding"), **({} if form_text(form, "back") else {"flow": flow_id})
    )


def _read(session: Session, who: Who, answer_ids: list[int], at: Any) -> None:
    """Coding an answer means someone read it."""
    read: list[int] = []
    for answer_id in answer_ids:
        read += to_read.mark_read_for_answer(session, answer_id, who.actor, at)
    if read:
        audit.record(
            session, actor=who.actor, action="read_free_text", now=at, detail={"items": read}
        )


def _apply(
    session: Session, who: Who, answers: list[Answer], theme: str, remove: bool, at: Any
) -> tuple[int, str]:
    """Do what the form asked to these answers; (how many changed, what to tell the officer)."""
    ids = [a.id for a in answers]
    n = len(ids)
    many = f"{n} answer{'s' if n != 1 else ''}"
    if theme == NO_THEME:
        if remove:
            return coding.clear_no_theme(session, ids), f"{many}: 'no theme' taken off."
        return (
            coding.mark_no_theme(session, ids, officer_id=who.id, now=at),
            f"{many} coded as having no theme.",
        )
    theme_id = parse_id(theme)
    found = coding.get_theme(session, theme_id) if theme_id is not None else None
    if found is None:
        raise ValueError("There is no such theme: choose one from the list.")
    if remove:
        changed = coding.untag_many(session, ids, found.id)
        return changed, f"'{found.name}' taken off {changed} of {many}."
    changed = coding.tag_many(session, answers, found, officer_id=who.id, now=at)
    return changed, f"{many} tagged with '{found.name}'."


@page(ROW_ROLES)
async def code_many(request: Request, who: Who) -> Response:
    """Tag the ticked answers with one theme, take it off them, or code them "no theme"."""
    form = await request.form()
    raw = [v for v in form.getlist("answer") if isinstance(v, str)]
    wanted = [parse_id(v) for v in raw]
    theme = form_text(form, "theme", limit=16)
    remove = form_text(form, "op", limit=16) == "remove"
    if not raw:
        return refuse(request, who, 400, "Tick at least one answer, then choose a theme.")
    if len(raw) > MOST_AT_ONCE:
        return refuse(request, who, 400, f"At most {MOST_AT_ONCE} answers at a time.")
    if any(a is None for a in wanted):
        return refuse(request, who, 400, "An answer number in the form is not a number.")
    if not theme:
        return refuse(request, who, 400, "Choose a theme (or 'No theme') for the ticked answers.")
    ids = sorted({a for a in wanted if a is not None})
    at = now(request)

    def code(session: Session) -> tuple[int, str, str]:
        answers = coding.answers_in_scope(session, ids, who.scope)
        if len(answers) != len(ids):
            return 404, "Some of those answers are not in your areas, or no longer exist.", ""
        try:
            changed, message = _apply(session, who, answers, theme, remove, at)
        except ValueError as exc:
            return 400, str(exc), ""
        audit.record(
            session,
            actor=who.actor,
            action="code_answers",
            detail={
                "answers": ids,
                "theme": theme,
                "op": "remove" if remove else "add",
                "changed": changed,
            },
            now=at,
        )
        _read(session, who, ids, at)
        return 200, message, answers[0].flow_id

    status, message, flow_id = await db(request, code)
    if status != 200:
        return refuse(request, who, status, message)
    request.session[FLASH] = message
    if form_text(form, "back"):
        return redirect(back_to(form, "/coding"))
    return redirect("/coding", flow=flow_id)


@page(ROW_ROLES)
async def tag_answer(request: Request, who: Who) -> Response:
    """One answer's themes made exactly those ticked (a link or a script may still post here)."""
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
        audit.record(
            session,
            actor=who.actor,
            action="code_answers",
            detail={"answers": [answer_id], "themes": sorted(wanted), "op": "set"},
            now=at,
        )
        _read(session, who, [answer_id], at)
        return None

    problem = await db(request, tag)
    if problem == "missing":
        return refuse(request, who, 404, "There is no answer with that number in your areas.")
    if problem is not None:
        return refuse(request, who, 400, problem)
    return redirect(back_to(form, "/coding"))
