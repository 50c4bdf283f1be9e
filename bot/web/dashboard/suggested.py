"""Suggested themes of one free-text question as the dashboard offers them: each with the key an
officer's decision is stored under, the answers it covers (for tagging after a confirmation),
and counts and quotes only for groups of at least the small-group threshold."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.analysis import frame
from bot.analysis.themes import suggest
from bot.privacy.redact import redact
from bot.web.dashboard.suggestion_cache import suggestions as cached
from storage import theme_decisions
from storage.theme_decisions import Decision

QUOTES = 3


@dataclass(frozen=True)
class Offered:
    key: str
    name: str
    key_phrases: tuple[str, ...]
    answer_ids: tuple[int, ...]
    count: int | None  # None: fewer than the small-group threshold
    quotes: tuple[str, ...]
    decision: Decision | None


def offered(
    session: Session, flow_id: str, step_id: str, *, threshold: int, scope: frozenset[str] | None
) -> tuple[int, list[Offered]]:
    """How many answers were read, and the suggestions for them, largest first. The suggester is
    seeded, so the same answers give the same suggestions on every load and every form; they are
    kept in this process (suggestion_cache) until the answers change."""
    found = frame.answers(session, flow_id, step_id, scope)
    decided = theme_decisions.decisions(session, flow_id, step_id)
    out: list[Offered] = []
    seen: set[str] = set()
    made = cached.get(
        flow_id=flow_id,
        step_id=step_id,
        scope=scope,
        answer_ids=[a.answer_id for a in found],
        texts=[a.text for a in found],
        make=lambda texts: suggest(texts),
    )
    for s in made:
        name, n = s.name, 2
        while theme_decisions.key(name) in seen:  # two suggestions may share their two phrases
            name, n = f"{s.name} ({n})", n + 1
        key = theme_decisions.key(name)
        seen.add(key)
        small = len(s.members) < threshold
        quotes = () if small else tuple(redact(found[i].text) for i in s.examples[:QUOTES])
        out.append(
            Offered(
                key=key,
                name=name,
                key_phrases=s.key_phrases,
                answer_ids=tuple(found[i].answer_id for i in s.members),
                count=None if small else len(s.members),
                quotes=quotes,
                decision=decided.get(key),
            )
        )
    return len(found), out
