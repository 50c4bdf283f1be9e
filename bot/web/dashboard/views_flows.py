"""Flows as officers read them: the list, one flow drawn with all its texts, and a preview to try.

Read-only, and about flow files only: no family's data is on these pages, so every signed-in
role may see them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bot.reports.questions import answer_label
from bot.versions.live import refresh
from bot.web.dashboard import flowchart
from bot.web.dashboard import preview as sim
from bot.web.dashboard.web import Who, config, db, now, page, refuse, render, services
from flows.lint.checks import LintWarning, lint
from flows.render import strings
from flows.schema import ALLOWABLE_SPECIALS, Audience, Flow, Step, StepType

AUDIENCES = {
    Audience.PARENT: "parents and carers",
    Audience.YOUNG_PERSON: "young people",
    Audience.ANY: "parents, carers and young people",
}
# The channel each audience is reached on: parents by SMS, young people in Telegram.
CHANNELS = {
    Audience.PARENT: ("sms",),
    Audience.YOUNG_PERSON: ("telegram",),
    Audience.ANY: ("sms", "telegram"),
}
LANGUAGES = {"en": "English", "cy": "Welsh (Cymraeg)"}
NOT_FOUND = "There is no flow with that name. The list of flows shows every one this service runs."


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def expiry_words(after: timedelta) -> str:
    hours = int(after.total_seconds() // 3600)
    if hours and hours % 24 == 0:
        days = hours // 24
        return f"{days} day{'s' if days != 1 else ''}"
    if hours:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = int(after.total_seconds() // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


async def fresh(request: Request) -> None:
    """Take in versions published since (by another worker too) before showing the flows."""
    library = services(request).library
    await db(request, lambda session: refresh(library, session))


def _flow(request: Request) -> Flow | None:
    library = services(request).library
    flow_id = request.path_params["flow_id"]
    return library.get(flow_id) if flow_id in library else None


def _summary(flow: Flow, warnings: list[LintWarning]) -> dict[str, Any]:
    return {
        "flow": flow,
        "audience": AUDIENCES[flow.audience],
        "channels": [sim.CHANNELS[c] for c in CHANNELS[flow.audience]],
        "languages": [language_name(code) for code in flow.languages],
        "questions": sum(1 for s in flow.steps if s.is_question),
        "warnings": warnings,
        "expiry": expiry_words(flow.expires_after),
    }


@page()
async def flows_page(request: Request, who: Who) -> Response:
    await fresh(request)
    rows = [_summary(flow, lint(flow)) for flow in services(request).library]
    return render(request, "flows.html", {"rows": rows, "nav": "flows"}, who=who)


def _texts(step: Step, flow: Flow) -> list[tuple[str, dict[str, str]]]:
    """(what it is, {language: words}) for everything a person reads in this step."""
    rows = [("Question" if step.is_question else "Message", step.text)]
    if step.type in (StepType.CHOICE, StepType.MULTI_CHOICE):
        rows += [
            (f"Option {i} ({o.value}){_emoji(o.emoji)}", o.label)
            for i, o in enumerate(step.options, 1)
        ]
    elif step.type is StepType.SCALE:
        rows += [(f"{p.value}{_emoji(p.emoji)}", p.label) for p in step.points]
    elif step.type is StepType.YES_NO:
        for word, label in (("Yes", step.yes_label), ("No", step.no_label)):
            if label:
                rows.append((word, label))
    if step.help:
        rows.append(("Help (on HELP)", step.help))
    return rows


def _emoji(emoji: str | None) -> str:
    return f" {emoji}" if emoji else ""


def _allows(step: Step, language: str) -> list[str]:
    words = strings(language)
    return [words[s.value] for s in ALLOWABLE_SPECIALS if s in step.allow]


def _rules(step: Step) -> list[str]:
    out = []
    if step.type is StepType.MULTI_CHOICE:
        most = f"at most {step.max_choices}" if step.max_choices else "any number"
        out.append(f"at least {step.min_choices}, {most}")
    if step.type is StepType.NUMBER:
        lo = "" if step.minimum is None else f"from {step.minimum:g} "
        hi = "" if step.maximum is None else f"to {step.maximum:g}"
        out.append(f"{'whole ' if step.integer else ''}number {lo}{hi}".strip())
    if step.type is StepType.TEXT:
        out.append(f"up to {step.max_length} characters")
    return out


def flow_context(flow: Flow) -> dict[str, Any]:
    """What flow.html shows of a flow: the newest, or an old version (views_versions)."""
    steps = [
        {
            "outline": item,
            "texts": _texts(item.step, flow),
            "allows": _allows(item.step, flow.default_language),
            "rules": _rules(item.step),
        }
        for item in flowchart.outline(flow)
    ]
    return {
        **_summary(flow, lint(flow)),
        "steps": steps,
        "language_names": [(code, language_name(code)) for code in flow.languages],
        "nav": "flows",
    }


@page()
async def flow_page(request: Request, who: Who) -> Response:
    await fresh(request)
    flow = _flow(request)
    if flow is None:
        return refuse(request, who, 404, NOT_FOUND)
    context = {**flow_context(flow), "chart": flowchart.layout(flow)}
    return render(request, "flow.html", context, who=who)


# --- the preview ---------------------------------------------------------------------------


def preview_page(
    request: Request,
    who: Who,
    flow: Flow,
    preview: sim.Preview,
    *,
    status: int = 200,
    url: str | None = None,
    draft: bool = False,
) -> Response:
    """`url`: where the preview's forms go (a draft's preview has its own); `draft`: say so."""
    secret = config(request).session_secret
    stored = [
        (step, answer_label(flow.step(step) if flow.has_step(step) else None, value, special))
        for step, value, special in sim.answers(preview)
    ]
    context = {
        "flow": flow,
        "preview": preview,
        "token": sim.dump(preview, secret),
        "stored": stored,
        "channels": sim.CHANNELS,
        "language_names": [(code, language_name(code)) for code in flow.languages],
        "sample": {**sim.context_for(flow, services(request).settings), **sim.SAMPLE_PERSONAL},
        "preview_url": url or f"/flows/{flow.id}/preview",
        "draft": draft,
        "nav": "flows",
    }
    return render(request, "flow_preview.html", context, who=who, status=status)


@page()
async def preview_start(request: Request, who: Who) -> Response:
    await fresh(request)
    flow = _flow(request)
    if flow is None:
        return refuse(request, who, 404, NOT_FOUND)
    language = request.query_params.get("lang") or flow.default_language
    channel = request.query_params.get("channel") or CHANNELS[flow.audience][0]
    if language not in flow.languages:
        names = ", ".join(flow.languages)
        return refuse(request, who, 400, f"This flow is written in {names} only.")
    if channel not in sim.CHANNELS:
        return refuse(request, who, 400, "Choose SMS or Telegram chat.")
    settings = services(request).settings
    started = sim.start(flow, language, channel, settings, now(request))  # type: ignore[arg-type]
    return preview_page(request, who, flow, started)


@page()
async def preview_reply(request: Request, who: Who) -> Response:
    flow = _flow(request)
    if flow is None:
        return refuse(request, who, 404, NOT_FOUND)
    return await reply_to_preview(request, who, flow)


async def reply_to_preview(
    request: Request, who: Who, flow: Flow, *, url: str | None = None, draft: bool = False
) -> Response:
    """The preview after the officer's reply: a saved flow's, or the editor's draft's."""
    form = await request.form()
    token, text, button = form.get("state"), form.get("reply"), form.get("button")
    if not isinstance(token, str):
        return refuse(request, who, 400, "This preview has no conversation: start it again.")
    try:
        current = sim.load(token, config(request).session_secret, flow)
    except sim.PreviewError as exc:
        return refuse(request, who, 400, f"Sorry, {exc}.")
    s = services(request)
    updated = sim.answer(
        current,
        flow,
        s.library,
        s.settings,
        now(request),
        text=text if isinstance(text, str) else "",
        button=button if isinstance(button, str) else None,
    )
    return preview_page(request, who, flow, updated, url=url, draft=draft)
