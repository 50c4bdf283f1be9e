"""Suggested themes and tags for one question's answers, as an officer may see them: counts below
the small-group threshold hidden, quotes only from themes large enough and with identifiers blanked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.analysis.themes import suggest, suggest_tags
from bot.privacy.redact import redact
from storage import coding
from storage.reporting import Filters

MAX_ANSWERS = 50_000
QUOTES = 3


@dataclass(frozen=True)
class ThemeView:
    name: str
    key_phrases: tuple[str, ...]
    count: int | None  # None: fewer than the small-group threshold
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class TagView:
    answer_id: int
    theme_id: int
    theme: str
    confidence: float
    quote: str


def answers(
    session: Session, flow_id: str, step_id: str, scope: frozenset[str] | None
) -> list[coding.FreeText]:
    found, _ = coding.free_text(
        session, Filters(flow_id=flow_id, scope=scope), [step_id], limit=MAX_ANSWERS
    )
    return found


def suggested_themes(
    session: Session,
    flow_id: str,
    step_id: str,
    *,
    threshold: int,
    scope: frozenset[str] | None = None,
    themes: int | None = None,
) -> tuple[int, list[ThemeView]]:
    """How many answers were read, and the themes suggested for them, largest first."""
    found = answers(session, flow_id, step_id, scope)
    views = []
    for s in suggest([a.text for a in found], themes=themes):
        small = len(s.members) < threshold
        quotes = () if small else tuple(redact(found[i].text) for i in s.examples[:QUOTES])
        views.append(ThemeView(s.name, s.key_phrases, None if small else len(s.members), quotes))
    return len(found), views


def suggested_tags(
    session: Session,
    flow_id: str,
    step_id: str,
    *,
    scope: frozenset[str] | None = None,
    min_confidence: float = 0.5,
) -> list[TagView]:
    """For each answer no officer has tagged yet, the theme officers' own tagging suggests."""
    found = answers(session, flow_id, step_id, scope)
    codes = coding.codings_for(session, [a.answer_id for a in found])
    names = {t.id: t.name for t in coding.themes_for(session, flow_id)}
    tagged = [(a.text, str(min(codes[a.answer_id]))) for a in found if codes.get(a.answer_id)]
    untagged = [a for a in found if not codes.get(a.answer_id)]
    out = []
    for t in suggest_tags(tagged, [a.text for a in untagged], min_confidence=min_confidence):
        answer = untagged[t.index]
        theme_id = int(t.theme)
        out.append(
            TagView(
                answer.answer_id,
                theme_id,
                names.get(theme_id, "?"),
                t.confidence,
                redact(answer.text),
            )
        )
    return sorted(out, key=lambda v: -v.confidence)
