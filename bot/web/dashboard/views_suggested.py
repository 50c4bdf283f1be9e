"""The suggested-themes page: the suggester's themes for one free-text question, which an officer
accepts (perhaps renamed), merges or rejects into the coding frame, and suggested tags for the
answers nobody has tagged, which an officer accepts one by one or ticked together. Nothing is
tagged without an officer's say-so: accepting a theme tags its answers only after a confirmation."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.analysis import frame
from bot.web.dashboard.suggested import Offered, offered
from bot.web.dashboard.views_coding import flow_named, text_steps
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
from flows.schema import Flow
from storage import audit, coding, theme_decisions, to_read
from storage.dashboard_models import Theme

FLASH = "suggested_done"
MOST_TAGS = 500
CHANGED = (
    "The suggestions have changed since the page was loaded (new answers came in). Look again."
)


def _question(request: Request, flow_id: str, step_id: str) -> tuple[Flow, str] | None:
    flow = flow_named(request, flow_id)
    if flow is None:
        return None
    steps = dict(text_steps(flow))
    return (flow, steps[step_id]) if step_id in steps else None


@page(ROW_ROLES)
async def suggested_page(request: Request, who: Who) -> Response:
    flow_id = request.query_params.get("flow", "")
    step_id = request.query_params.get("step", "")
    flow = flow_named(request, flow_id)
    steps = text_steps(flow) if flow else []
    if flow is not None and not step_id and steps:
        step_id = steps[0][0]
    threshold = config(request).threshold
    context: dict[str, Any] = {
        "flows": [(f.id, f.title) for f in services(request).library],
        "flow": flow,
        "steps": steps,
        "step": step_id,
        "done": request.session.pop(FLASH, None),
    }
    if flow is None or step_id not in dict(steps):
        return render(request, "suggested.html", context, who=who)

    def load(session: Session) -> dict[str, Any]:
        read, suggestions = offered(session, flow.id, step_id, threshold=threshold, scope=who.scope)
        themes = {t.id: t.name for t in coding.themes_for(session, flow.id)}
        tags = frame.suggested_tags(session, flow.id, step_id, scope=who.scope)
        return {
            "read": read,
            "open": [s for s in suggestions if s.decision is None],
            "decided": [s for s in suggestions if s.decision is not None],
            "theme_names": themes,
            "tags": tags,
        }

    context |= await db(request, load)
    return render(request, "suggested.html", context, who=who)


def _read(session: Session, who: Who, answer_ids: list[int], at: Any) -> None:
    """Tagging an answer means someone read it, as coding it by hand does."""
    read = to_read.mark_read_for_answers(session, answer_ids, who.actor, at)
    if read:
        audit.record(
            session, actor=who.actor, action="read_free_text", now=at, detail={"items": read}
        )


def _theme_named(session: Session, flow_id: str, name: str, who: Who, at: Any) -> Theme:
    """The frame's theme of that name (any case), or a new one: accepting a suggestion called
    like an existing theme adds to it rather than failing."""
    wanted = " ".join(name.split()).lower()
    for theme in coding.themes_for(session, flow_id):
        if theme.name.lower() == wanted:
            return theme
    return coding.create_theme(
        session, flow_id=flow_id, name=name, description=None, officer_id=who.id, now=at
    )


@page(ROW_ROLES)
async def decide(request: Request, who: Who) -> Response:
    form = await request.form()
    flow_id = form_text(form, "flow", limit=64)
    step_id = form_text(form, "step", limit=64)
    if _question(request, flow_id, step_id) is None:
        return refuse(request, who, 400, "Choose a flow and one of its free-text questions.")
    verb, _, key = form_text(form, "op", limit=80).partition(":")
    if verb not in ("accept", "reject", "merge", "undo"):
        return refuse(request, who, 400, "Choose accept, rename, merge or reject.")
    keys = [key] if verb != "merge" else [v for v in form.getlist("pick") if isinstance(v, str)]
    if verb == "merge" and len(set(keys)) < 2:
        return refuse(request, who, 400, "Tick two or more suggestions to merge them.")
    tag = form_text(form, "tag", limit=4) == "1"
    confirmed = form_text(form, "confirm", limit=4) == "1"
    threshold = config(request).threshold
    at = now(request)

    def work(session: Session) -> tuple[int, str] | dict[str, Any]:
        _, suggestions = offered(session, flow_id, step_id, threshold=threshold, scope=who.scope)
        by_key = {s.key: s for s in suggestions}
        if verb == "undo":
            if theme_decisions.undo(session, flow_id=flow_id, step_id=step_id, suggestions=keys):
                audit.record(
                    session,
                    actor=who.actor,
                    action="undo_theme_decision",
                    detail={"flow_id": flow_id, "step_id": step_id, "suggestions": keys},
                    now=at,
                )
            return 200, "The decision was undone: the suggestion is open again."
        if any(k not in by_key for k in keys):
            return 409, CHANGED
        chosen = [by_key[k] for k in dict.fromkeys(keys)]
        if any(s.decision is not None for s in chosen):  # decided since this officer's page loaded
            return 200, _already(session, flow_id, step_id, [s.key for s in chosen])
        if verb == "reject":
            theme_decisions.decide(
                session,
                flow_id=flow_id,
                step_id=step_id,
                suggestions=keys,
                decision="rejected",
                theme_id=None,
                officer_id=who.id,
                now=at,
            )
            audit.record(
                session,
                actor=who.actor,
                action="reject_suggested_theme",
                detail={"flow_id": flow_id, "step_id": step_id, "suggestions": keys},
                now=at,
            )
            return 200, f"Rejected '{chosen[0].name}'."
        default = chosen[0].name if verb == "accept" else ""
        name = form_text(form, f"name-{key}" if verb == "accept" else "merged", limit=200)
        name = name or default
        if not name:
            return 400, "Give the merged theme a name."
        answer_ids = sorted({a for s in chosen for a in s.answer_ids})
        if tag and not confirmed:
            return {"chosen": chosen, "name": name, "answers": len(answer_ids)}
        try:
            theme = _theme_named(session, flow_id, name, who, at)
        except ValueError as exc:
            return 400, str(exc)
        theme_decisions.decide(
            session,
            flow_id=flow_id,
            step_id=step_id,
            suggestions=[s.key for s in chosen],
            decision="accepted" if verb == "accept" else "merged",
            theme_id=theme.id,
            officer_id=who.id,
            now=at,
        )
        tagged = 0
        if tag:
            answers = coding.answers_in_scope(session, answer_ids, who.scope)
            tagged = coding.tag_many(session, answers, theme, officer_id=who.id, now=at)
            _read(session, who, [a.id for a in answers], at)
        audit.record(
            session,
            actor=who.actor,
            action="accept_suggested_theme" if verb == "accept" else "merge_suggested_themes",
            subject=f"theme:{theme.id}",
            detail={
                "flow_id": flow_id,
                "step_id": step_id,
                "suggestions": [s.key for s in chosen],
                "name": theme.name,
                "tagged": tagged,
            },
            now=at,
        )
        joined = " and ".join(f"'{s.name}'" for s in chosen)
        said = f"{joined} became the theme '{theme.name}'"
        return 200, said + (f"; {tagged} answers tagged." if tag else ".")

    try:
        outcome = await db(request, work)
    except IntegrityError:
        # Another officer decided the same suggestion (or made the same theme) a moment before.
        outcome = 200, await db(request, lambda s: _already(s, flow_id, step_id, keys))
    if isinstance(outcome, dict):
        context = {
            **outcome,
            "flow_id": flow_id,
            "step": step_id,
            "op": form_text(form, "op", limit=80),
        }
        return render(request, "suggested_confirm.html", context, who=who)
    status, message = outcome
    if status != 200:
        return refuse(request, who, status, message)
    request.session[FLASH] = message
    return redirect("/themes/suggested", flow=flow_id, step=step_id)


def _already(session: Session, flow_id: str, step_id: str, keys: list[str]) -> str:
    """What another officer decided, to tell the one whose decision came second."""
    made = theme_decisions.decisions(session, flow_id, step_id)
    names = {t.id: t.name for t in coding.themes_for(session, flow_id)}
    said = []
    for decision in dict.fromkeys(made[k] for k in keys if k in made):
        theme = names.get(decision.theme_id) if decision.theme_id is not None else None
        said.append(f"{decision.decision} as '{theme}'" if theme else decision.decision)
    if not said:
        return "Another officer was deciding this at the same moment. Look again."
    return (
        "Another officer decided this a moment before you: "
        + "; ".join(said)
        + ". Their decision stands; undo it below if it should change."
    )


def _pairs(values: list[str]) -> list[tuple[int, int]] | None:
    out = []
    for value in values:
        answer, _, theme = value.partition(":")
        answer_id, theme_id = parse_id(answer), parse_id(theme)
        if answer_id is None or theme_id is None:
            return None
        out.append((answer_id, theme_id))
    return out


@page(ROW_ROLES)
async def accept_tags(request: Request, who: Who) -> Response:
    """Tag answers with the themes suggested for them: the ticked ones, or the one whose own
    button was pressed."""
    form = await request.form()
    flow_id = form_text(form, "flow", limit=64)
    step_id = form_text(form, "step", limit=64)
    if _question(request, flow_id, step_id) is None:
        return refuse(request, who, 400, "Choose a flow and one of its free-text questions.")
    only = form_text(form, "only", limit=40)
    raw = [only] if only else [v for v in form.getlist("tag") if isinstance(v, str)]
    if not raw:
        return refuse(request, who, 400, "Tick at least one suggested tag to accept.")
    if len(raw) > MOST_TAGS:
        return refuse(request, who, 400, f"At most {MOST_TAGS} tags at a time.")
    pairs = _pairs(raw)
    if pairs is None:
        return refuse(request, who, 400, "A suggested tag in the form is not one this page gave.")
    at = now(request)

    def work(session: Session) -> tuple[int, str]:
        answers = {
            a.id: a for a in coding.answers_in_scope(session, {a for a, _ in pairs}, who.scope)
        }
        if len(answers) != len({a for a, _ in pairs}):
            return 404, "Some of those answers are not in your areas, or no longer exist."
        tagged = 0
        for theme_id in sorted({t for _, t in pairs}):
            theme = coding.get_theme(session, theme_id)
            if theme is None or theme.flow_id != flow_id:
                return 400, "There is no such theme in this flow's coding frame."
            mine = [answers[a] for a, t in pairs if t == theme_id]
            tagged += coding.tag_many(session, mine, theme, officer_id=who.id, now=at)
        _read(session, who, sorted(answers), at)
        audit.record(
            session,
            actor=who.actor,
            action="accept_suggested_tags",
            detail={"flow_id": flow_id, "step_id": step_id, "tags": sorted(pairs)},
            now=at,
        )
        return 200, f"{tagged} answer{'s' if tagged != 1 else ''} tagged as suggested."

    status, message = await db(request, work)
    if status != 200:
        return refuse(request, who, status, message)
    request.session[FLASH] = message
    return redirect("/themes/suggested", flow=flow_id, step=step_id)


__all__ = ["Offered", "accept_tags", "decide", "suggested_page"]
