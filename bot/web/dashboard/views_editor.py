"""The flow editor: write a new flow or change one in the browser, check it as you go, save a
draft, preview the draft, publish it (admins) as a new version.

The form's product is a flow file's text (editor_form), checked by the loader and the lint exactly
as `sendvoice flows validate` checks a file; drafts and versions are kept by storage.flow_versions.
Admins and officers given the "author" permission may write; only admins publish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.versions.live import refresh
from bot.web.dashboard import editor_form as ef
from bot.web.dashboard import live_preview as lp
from bot.web.dashboard import preview as sim
from bot.web.dashboard.views_flows import CHANNELS, LANGUAGES, preview_page, reply_to_preview
from bot.web.dashboard.web import (
    Who,
    attachment,
    db,
    now,
    page,
    redirect,
    refuse,
    render,
    services,
)
from bot.web.headers import HEADERS
from flows.errors import FlowValidationError, Problem
from flows.lint.checks import LintWarning, lint
from flows.schema import Flow
from storage import flow_versions

WRITERS = ("admin", "officer")
FLOW_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
NOT_AUTHOR = "Writing flows needs the author permission: ask an admin to give it to you on the Officers page."
NOT_ADMIN = "Only an admin can publish a flow. Save your draft and ask an admin to publish it."
# The editor's own page may run its one script (the checks as you type) and ask this server.
EDITOR_CSP = HEADERS["Content-Security-Policy"] + "; script-src 'self'; connect-src 'self'"
STEP = re.compile(r"^steps\[(\d+)\]")


@dataclass
class Checked:
    """What the loader and the lint say about a flow text."""

    text: str
    flow: Flow | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[LintWarning] = field(default_factory=list)

    @staticmethod
    def step_of(item: Problem | LintWarning) -> int | None:
        m = STEP.match(item.field)
        return int(m.group(1)) if m else None

    def for_step(self, index: int) -> list[Problem | LintWarning]:
        found: list[Problem | LintWarning] = [*self.problems, *self.warnings]
        return [item for item in found if self.step_of(item) == index]


def check(text: str, flow_id: str) -> Checked:
    try:
        flow = flow_versions.check(text, flow_id or None, source=f"{flow_id or 'new_flow'}.yaml")
    except FlowValidationError as exc:
        return Checked(text, problems=list(exc.problems))
    return Checked(text, flow=flow, warnings=lint(flow))


def may_author(who: Who) -> bool:
    return who.may_author


def _refused(request: Request, who: Who) -> Response | None:
    """Not an author, or a flow name in the address no flow could have (never sent to the
    database: PostgreSQL refuses some characters outright)."""
    if not may_author(who):
        return refuse(request, who, 403, NOT_AUTHOR)
    flow_id = request.path_params.get("flow_id")
    if flow_id is not None and not FLOW_ID.fullmatch(flow_id):
        return refuse(request, who, 404, "There is no flow with that name.")
    return None


# --- where an edit starts -------------------------------------------------------------------


@dataclass
class Source:
    text: str
    origin: str  # said to the officer: "your draft", "version 3", "the file"
    draft: bool = False


def _source(session: Session, request: Request, flow_id: str) -> Source | None:
    draft = flow_versions.get_draft(session, flow_id)
    if draft is not None:
        return Source(draft.yaml_text, "the saved draft", draft=True)
    version = flow_versions.latest(session, flow_id)
    if version is not None:
        return Source(version.yaml_text, f"version {version.number}, the one in use")
    library = services(request).library
    if flow_id in library and library.get(flow_id).source:
        path = Path(library.get(flow_id).source)
        if path.is_file():
            return Source(path.read_text(encoding="utf-8"), "its flow file")
    return None


def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = EDITOR_CSP
    return response


def _editor(
    request: Request,
    who: Who,
    form: ef.FlowForm,
    checked: Checked,
    *,
    existing: bool,
    message: str = "",
    origin: str = "",
    draft: bool = False,
    status: int = 200,
    asked: lp.Asked | None = None,
) -> Response:
    context = {
        "form": ef.padded(form),
        "checked": checked,
        "existing": existing,
        "message": message,
        "origin": origin,
        "draft": draft,
        "step_types": ef.STEP_TYPES,
        "specials": ef.SPECIALS,
        "operators": ef.OPERATORS,
        "language_names": LANGUAGES,
        "all_languages": ef.LANGUAGES,
        "kept": ef.dump_kept(form),
        "live": live(request, checked, asked or lp.Asked()),
        "nav": "flows",
    }
    return _secure(render(request, "editor.html", context, who=who, status=status))


def live(request: Request, checked: Checked, asked: lp.Asked) -> lp.Live:
    s = services(request)
    return lp.run(checked.flow, asked, s.library, s.settings, now(request))


@page(WRITERS)
async def new_flow(request: Request, who: Who) -> Response:
    if (refused := _refused(request, who)) is not None:
        return refused
    form = ef.FlowForm(steps=[ef.new_step("message")])
    return _editor(request, who, form, Checked(""), existing=False)


@page(WRITERS)
async def edit_flow(request: Request, who: Who) -> Response:
    if (refused := _refused(request, who)) is not None:
        return refused
    flow_id = request.path_params["flow_id"]
    source = await db(request, lambda s: _source(s, request, flow_id))
    if source is None:
        return refuse(request, who, 404, "There is no flow with that name to edit.")
    try:
        form = ef.from_yaml(source.text)
    except ef.FormError:
        return redirect(f"/flows/{flow_id}/yaml")
    return _editor(
        request,
        who,
        form,
        check(source.text, flow_id),
        existing=True,
        origin=source.origin,
        draft=source.draft,
        message=_arrived(request),
    )


def _arrived(request: Request) -> str:
    """What the page says after the redirect that followed a save or a publish."""
    published = request.query_params.get("published", "")
    if published.isdigit():
        return (
            f"Published as version {published}. New conversations start on it; conversations "
            "already under way finish on the version they began on."
        )
    if request.query_params.get("discarded"):
        return "Draft discarded: this is the version in use."
    if request.query_params.get("saved"):
        return "Draft saved. Nothing changes for families until an admin publishes it."
    return ""


def _apply(form: ef.FlowForm, action: str, new_type: str) -> None:
    """The buttons that change the form's shape rather than save it."""
    verb, _, arg = action.partition(":")
    if verb == "add":
        form.steps.append(ef.new_step(new_type))
        return
    i = int(arg) if arg.isdigit() else -1
    if not 0 <= i < len(form.steps):
        return
    steps = form.steps
    if verb == "up" and i > 0:
        steps[i - 1], steps[i] = steps[i], steps[i - 1]
    elif verb == "down" and i < len(steps) - 1:
        steps[i + 1], steps[i] = steps[i], steps[i + 1]
    elif verb == "remove":
        del steps[i]
    elif verb == "option":
        steps[i].options.append(ef.Choice())
    elif verb == "branch":
        steps[i].branches.append(ef.Branch())


@page(WRITERS)
async def post_editor(request: Request, who: Who) -> Response:
    if (refused := _refused(request, who)) is not None:
        return refused
    fields = await request.form()
    existing_id = request.path_params.get("flow_id")
    form = ef.from_fields(fields)
    if existing_id:
        form.id = existing_id
    action = str(fields.get("action") or "check")
    asked = lp.asked_from(fields, action)
    _apply(form, action, str(fields.get("new_type") or "message"))
    text = ef.to_yaml(form)
    if not FLOW_ID.fullmatch(form.id):
        checked = check(text, "")
        checked.problems.insert(
            0,
            Problem(
                "new_flow.yaml",
                1,
                "id",
                "give the flow a name in files: lower-case letters, digits and _ (coffee_morning)",
            ),
        )
        return _editor(request, who, form, checked, existing=bool(existing_id), asked=asked)
    return await _finish(
        request, who, form.id, text, action, existing=bool(existing_id), form=form, asked=asked
    )


async def _finish(
    request: Request,
    who: Who,
    flow_id: str,
    text: str,
    action: str,
    *,
    existing: bool,
    form: ef.FlowForm | None,
    asked: lp.Asked | None = None,
) -> Response:
    """Check, then save, preview or publish as the button said; the page again with the checks."""
    checked = check(text, flow_id)
    message = ""
    at = now(request)
    if action == "discard" and existing:
        await db(request, lambda s: flow_versions.discard_draft(s, flow_id))
        still = await db(request, lambda s: _taken(s, request, flow_id))
        return redirect(f"/flows/{flow_id}/edit", discarded=1) if still else redirect("/flows")
    if action == "publish":
        if not who.may_publish:
            return refuse(request, who, 403, NOT_ADMIN)
        if not existing and await db(request, lambda s: _taken(s, request, flow_id)):
            checked.problems.insert(
                0, Problem(f"{flow_id}.yaml", 1, "id", f"a flow called {flow_id} already exists")
            )
        elif checked.flow is not None:
            library = services(request).library
            files = getattr(library, "files", library)
            floor = files.get(flow_id).version if flow_id in files else 0
            result = await db(request, lambda s: _publish(s, flow_id, text, who, at, floor))
            if isinstance(result, int):
                await db(request, lambda s: refresh(library, s))
                return redirect(f"/flows/{flow_id}/edit", published=result)
            checked.problems = result
        message = "Not published: put right the problems below first."
    elif action in ("save", "preview", "yaml", "form"):
        if not existing and await db(request, lambda s: _taken(s, request, flow_id)):
            checked.problems.insert(
                0, Problem(f"{flow_id}.yaml", 1, "id", f"a flow called {flow_id} already exists")
            )
            message = "Not saved: choose another name in files."
        else:
            await db(
                request,
                lambda s: flow_versions.save_draft(s, flow_id, text, who.id, now=at),
            )
            if action == "preview":
                return redirect(f"/flows/{flow_id}/draft/preview")
            if action == "yaml":
                return redirect(f"/flows/{flow_id}/yaml")
            if action == "form" and form is None:
                return redirect(f"/flows/{flow_id}/edit")
            if not existing:
                return redirect(f"/flows/{flow_id}/edit", saved=1)
            message = "Draft saved. Nothing changes for families until an admin publishes it."
    if form is None:
        return _yaml_page(request, who, flow_id, checked, message=message)
    has_draft = existing and await db(
        request, lambda s: flow_versions.get_draft(s, flow_id) is not None
    )
    return _editor(
        request,
        who,
        form,
        checked,
        existing=existing,
        message=message,
        draft=has_draft,
        asked=asked,
    )


def _taken(session: Session, request: Request, flow_id: str) -> bool:
    return _source(session, request, flow_id) is not None


def _publish(
    session: Session, flow_id: str, text: str, who: Who, at: datetime, floor: int
) -> int | list[Problem]:
    """`floor`: the flow file's own version, which a first version from the editor comes after."""
    newest = flow_versions.latest(session, flow_id)
    number = (newest.number if newest is not None else floor) + 1
    text = set_version(text, number)
    try:
        with session.begin_nested():  # a refusal keeps the draft as it was
            return flow_versions.publish(
                session, flow_id, text, who.id, "editor", now=at, actor=who.actor
            )
    except FlowValidationError as exc:
        return list(exc.problems)


def set_version(text: str, number: int) -> str:
    """The text's own `version:` made the number it is published as, so the file says which
    version it is wherever it is read (a download, a conversation's record)."""
    changed, n = re.subn(r"(?m)^version:[^\n]*$", f"version: {number}", text, count=1)
    return changed if n else f"version: {number}\n{text}"


# --- checks as you type -----------------------------------------------------------------------


@page(WRITERS)
async def check_fragment(request: Request, who: Who) -> Response:
    """The checks panel for what is in the form now: the editor's script swaps it in."""
    if (refused := _refused(request, who)) is not None:
        return refused
    fields = await request.form()
    flow_id = request.path_params.get("flow_id") or ""
    raw = fields.get("yaml_text")
    if isinstance(raw, str):
        text = raw
    else:
        form = ef.from_fields(fields)
        flow_id = flow_id or form.id
        text = ef.to_yaml(form)
    checked = check(text, flow_id if FLOW_ID.fullmatch(flow_id) else "")
    html = render(
        request,
        "editor_checks.html",
        {"checked": checked, "yaml_mode": isinstance(raw, str)},
        who=who,
    ).body
    return HTMLResponse(html)


# --- the YAML itself --------------------------------------------------------------------------


def _yaml_page(
    request: Request, who: Who, flow_id: str, checked: Checked, *, message: str = ""
) -> Response:
    context = {"flow_id": flow_id, "checked": checked, "message": message, "nav": "flows"}
    return _secure(render(request, "editor_yaml.html", context, who=who))


@page(WRITERS)
async def yaml_page(request: Request, who: Who) -> Response:
    if (refused := _refused(request, who)) is not None:
        return refused
    flow_id = request.path_params["flow_id"]
    source = await db(request, lambda s: _source(s, request, flow_id))
    if source is None:
        return refuse(request, who, 404, "There is no flow with that name to edit.")
    return _yaml_page(request, who, flow_id, check(source.text, flow_id))


@page(WRITERS)
async def post_yaml(request: Request, who: Who) -> Response:
    if (refused := _refused(request, who)) is not None:
        return refused
    flow_id = request.path_params["flow_id"]
    fields = await request.form()
    raw = fields.get("yaml_text")
    text = raw.replace("\r\n", "\n") if isinstance(raw, str) else ""
    action = str(fields.get("action") or "check")
    return await _finish(request, who, flow_id, text, action, existing=True, form=None)


# --- download and preview of the draft -----------------------------------------------------------


@page(WRITERS)
async def download(request: Request, who: Who) -> Response:
    """The draft (or the version in use) as a flow file, to keep or to put in FLOW_PATHS."""
    if (refused := _refused(request, who)) is not None:
        return refused
    flow_id = request.path_params["flow_id"]
    source = await db(request, lambda s: _source(s, request, flow_id))
    if source is None:
        return refuse(request, who, 404, "There is no flow with that name.")
    name = f"{flow_id}{'-draft' if source.draft else ''}.yaml"
    return Response(
        source.text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": attachment(name)},
    )


async def _draft_flow(request: Request) -> Flow | str:
    flow_id = request.path_params["flow_id"]
    draft = await db(request, lambda s: flow_versions.get_draft(s, flow_id))
    if draft is None:
        return "There is no draft of this flow: save one in the editor first."
    checked = check(draft.yaml_text, flow_id)
    if checked.flow is None:
        return "The draft has problems the preview cannot run with: see them in the editor."
    return checked.flow


def _preview_url(flow_id: str) -> str:
    return f"/flows/{flow_id}/draft/preview"


@page(WRITERS)
async def draft_preview(request: Request, who: Who) -> Response:
    if (refused := _refused(request, who)) is not None:
        return refused
    flow = await _draft_flow(request)
    if isinstance(flow, str):
        return refuse(request, who, 400, flow)
    language = request.query_params.get("lang") or flow.default_language
    channel = request.query_params.get("channel") or CHANNELS[flow.audience][0]
    if language not in flow.languages or channel not in sim.CHANNELS:
        return refuse(request, who, 400, "Choose one of the flow's languages, and SMS or Telegram.")
    settings = services(request).settings
    started = sim.start(flow, language, channel, settings, now(request))  # type: ignore[arg-type]
    return preview_page(request, who, flow, started, url=_preview_url(flow.id), draft=True)


@page(WRITERS)
async def draft_preview_reply(request: Request, who: Who) -> Response:
    if (refused := _refused(request, who)) is not None:
        return refused
    flow = await _draft_flow(request)
    if isinstance(flow, str):
        return refuse(request, who, 400, flow)
    return await reply_to_preview(request, who, flow, url=_preview_url(flow.id), draft=True)
