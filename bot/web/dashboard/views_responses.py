"""The responses table and one conversation's transcript (officers in their areas, and admins)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.reports.questions import answer_label, question_text
from bot.versions.live import flow_at
from bot.web.dashboard import answer_filter
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.web import Who, db, now, page, refuse, render, services
from storage import audit, reporting, to_read
from storage import responses as responses_repo

ROW_ROLES = ("admin", "officer")
# ASCII digits ('²'.isdigit() is true, and int() fails on it), and few enough that the offset
# stays a number the database takes.
_PAGE = re.compile("[0-9]{1,6}")


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return max(1, int(raw)) if _PAGE.fullmatch(raw) else 1


@page(ROW_ROLES)
async def responses(request: Request, who: Who) -> Response:
    error: str | None = None
    try:
        f, query = filtering.parse(request.query_params, who)
    except filtering.BadFilter as exc:
        f, query, error = reporting.Filters(scope=who.scope), filtering.Query(), str(exc)
    number = page_number(request)
    size = filtering.PAGE_SIZE
    library = services(request).library
    flow_ids = [flow.id for flow in library]

    def load(session: Session) -> dict[str, Any]:
        flow_id = filtering.flow_of(session, f)
        flow = library.get(flow_id) if flow_id is not None and flow_id in library else None
        context: dict[str, Any] = {"offers": answer_filter.offers(flow), "picked": set()}
        narrowed, link = f, query
        try:
            answers = answer_filter.parse(request.query_params, flow)
        except filtering.BadFilter as exc:
            answers, context["error"] = None, str(exc)
        if answers is not None:
            narrowed = answer_filter.narrow(session, f, answers)
            link = answer_filter.with_answers(query, answers)
            context["picked"] = answers.picked
            context["answer_said"] = answer_filter.describe(flow, answers)
        total = responses_repo.count(session, narrowed)
        return {
            **context,
            "choices": filtering.choices(session, flow_ids),
            "rows": responses_repo.page(session, narrowed, limit=size, offset=(number - 1) * size),
            "total": total,
            "pages": max(1, -(-total // size)),
            "query": link,
        }

    context = {"query": query, "error": error, **await db(request, load)}
    return render(
        request,
        "responses.html",
        {**context, "page_no": number},
        who=who,
        status=400 if context["error"] else 200,
    )


@page(ROW_ROLES)
async def transcript(request: Request, who: Who) -> Response:
    conversation_id = int(request.path_params["conversation_id"])
    library = services(request).library
    at = now(request)

    def load(session: Session) -> dict[str, Any] | None:
        row = responses_repo.visible(session, conversation_id, who.scope)
        if row is None:
            return None
        audit.record(
            session,
            actor=who.actor,
            action="view_transcript",
            subject=row.pseudonym,
            detail={"conversation_id": row.conversation_id},
            now=at,
        )
        # Reading the transcript reads every free-text word in it.
        read = to_read.mark_read_for_conversation(session, row.conversation_id, who.actor, at)
        if read:
            audit.record(
                session, actor=who.actor, action="read_free_text", now=at, detail={"items": read}
            )
        answers = responses_repo.answers_for(session, [row.conversation_id])[row.conversation_id]
        # The questions as this conversation's own version asked them.
        flow = flow_at(library, session, row.flow_id, row.flow_version)
        names = {"event_name": row.event_title} if row.event_title else None
        labelled = []
        for a in answers:
            step = flow.step(a.step_id) if flow and flow.has_step(a.step_id) else None
            question = question_text(step, values=names) if step is not None else a.step_id
            labelled.append((a.step_id, question, a, answer_label(step, a.value, a.special)))
        return {
            "row": row,
            "messages": responses_repo.transcript(session, row.conversation_id),
            "answers": labelled,
        }

    context = await db(request, load)
    if context is None:
        # The same answer for "no such conversation" and "not in your areas".
        return refuse(request, who, 404, "There is no conversation with that number in your areas.")
    return render(request, "transcript.html", context, who=who)
