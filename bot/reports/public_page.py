"""The public "we asked, you said, we did" page: a static, accessible page for the council's Local
Offer website. What was asked, how many answered, what families said (themes, with counts below the
small-group threshold hidden, and quotes only where an officer approved each one, with identifiers
blanked) and what the council did about it. Plain HTML and CSS: it works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from bot.privacy.redact import redact
from bot.reports.questions import question_text
from bot.web.dashboard.suppress import Cell, one
from flows.library import FlowLibrary
from storage import coding, published, reporting
from storage.reporting import Filters

QUOTES = 3
STATUS = {"planned": "Planned", "in_progress": "In progress", "done": "Done"}
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class ActionLine:
    what: str
    status: str
    date: str


@dataclass(frozen=True)
class ThemeLine:
    name: str
    count: Cell
    quotes: list[str]
    actions: list[ActionLine]


@dataclass(frozen=True)
class FlowSection:
    title: str
    questions: list[str]
    answered: Cell
    themes: list[ThemeLine]


def sections(
    session: Session, library: FlowLibrary, threshold: int, flow_ids: list[str] | None = None
) -> list[FlowSection]:
    out = []
    for flow in library:
        if flow_ids is not None and flow.id not in flow_ids:
            continue
        (row,) = reporting.funnel(session, Filters(flow_id=flow.id))
        if row.started == 0 and flow_ids is None:
            continue
        actions: dict[int, list[ActionLine]] = {}
        for action, theme in coding.actions_for(session, flow.id):
            actions.setdefault(theme.id, []).append(
                ActionLine(
                    action.what,
                    STATUS.get(action.status, action.status),
                    action.date.strftime("%-d %B %Y") if action.date else "",
                )
            )
        themes = []
        for theme, n in coding.theme_counts(session, flow.id, Filters(flow_id=flow.id)):
            if n == 0 and theme.id not in actions:
                continue
            count = one(n, threshold)
            quotes = (
                [redact(q) for q in published.quotes(session, theme.id, limit=QUOTES)]
                if count.shown
                else []
            )
            themes.append(ThemeLine(theme.name, count, quotes, actions.get(theme.id, [])))
        questions = [
            question_text(s, values={"event_name": "the event"})
            for s in flow.steps
            if s.is_question
        ]
        out.append(FlowSection(flow.title, questions, one(row.started, threshold), themes))
    return out


def render(council: str, flows: list[FlowSection], threshold: int, now: datetime) -> str:
    return _templates.get_template("public.html").render(
        council=council, flows=flows, threshold=threshold, published=now.strftime("%-d %B %Y")
    )


def write(out_dir: Path, html: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "index.html"
    partial = page.with_name("index.html.part")
    partial.write_text(html, encoding="utf-8")
    partial.replace(page)  # a half-written page is never the published one
    return page
