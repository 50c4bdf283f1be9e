"""Filtering by answers ("people who rated 1 or 2"): `answer` is repeated (or comma-separated in
a link), each `step:value` for a closed question of the chosen flow. Answers to one question are
alternatives (rated 1 or 2); answers to different questions must all hold.

Answers are encrypted, so the matching conversations are found here by reading the questions'
answers, and the other filters then narrow to those conversations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from bot.reports.questions import categories, question_text
from bot.web.dashboard.crosstab import answers_by_conversation, closed_steps, values_of
from bot.web.dashboard.filters import BadFilter, Query
from flows.schema import Flow
from storage.reporting import Filters

FIELD = "answer"
MOST = 100


@dataclass(frozen=True)
class AnswerFilter:
    wanted: dict[str, frozenset[str]]  # step id -> any of these answers

    @property
    def picked(self) -> set[str]:
        return {f"{step}:{value}" for step, values in self.wanted.items() for value in values}


def parse(params: Any, flow: Flow | None) -> AnswerFilter | None:
    """From the query string (Starlette's QueryParams, or a plain mapping)."""
    raw = params.getlist(FIELD) if hasattr(params, "getlist") else [params.get(FIELD, "")]
    items = [v.strip() for item in raw for v in str(item).split(",") if v.strip()]
    if not items:
        return None
    if len(items) > MOST:
        raise BadFilter("Too many answers to filter by")
    if flow is None:
        raise BadFilter("Choose a flow to filter by its answers")
    offered = {s.id: {value for value, _ in categories(s)} for s in closed_steps(flow)}
    wanted: dict[str, set[str]] = {}
    for item in items:
        step_id, _, value = item.partition(":")
        if value not in offered.get(step_id, set()):
            raise BadFilter("Filter by answers the flow's closed questions offer")
        wanted.setdefault(step_id, set()).add(value)
    return AnswerFilter({k: frozenset(v) for k, v in wanted.items()})


def narrow(session: Session, f: Filters, answers: AnswerFilter | None) -> Filters:
    """The filters, narrowed to the conversations with the answers wanted."""
    if answers is None:
        return f
    given = answers_by_conversation(session, f, answers.wanted)
    matched: set[int] | None = None
    for step_id, values in answers.wanted.items():
        these = {c for c, value in given.get(step_id, {}).items() if values & set(values_of(value))}
        matched = these if matched is None else matched & these
    found = frozenset(matched or ())
    if f.conversation_ids is not None:
        found &= f.conversation_ids
    return replace(f, conversation_ids=found)


def with_answers(query: Query, answers: AnswerFilter | None) -> Query:
    """The form's query plus the answer filter, for links (pages, downloads)."""
    if answers is None:
        return query
    return Query({**query.values, FIELD: ",".join(sorted(answers.picked))})


@dataclass(frozen=True)
class Offer:
    step_id: str
    question: str
    options: list[tuple[str, str]]


def offers(flow: Flow | None, values: Mapping[str, str] | None = None) -> list[Offer]:
    """`values` name the event in the questions when one event is chosen."""
    if flow is None:
        return []
    return [Offer(s.id, question_text(s, values=values), categories(s)) for s in closed_steps(flow)]


def describe(
    flow: Flow | None, answers: AnswerFilter | None, names: Mapping[str, str] | None = None
) -> list[str]:
    if flow is None or answers is None:
        return []
    out = []
    for step_id, values in answers.wanted.items():
        step = flow.step(step_id)
        labels = [label for value, label in categories(step) if value in values]
        out.append(f"{question_text(step, values=names)}: {' or '.join(labels)}")
    return out
