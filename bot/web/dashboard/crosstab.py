"""A closed question against a way of splitting the people who answered it: area, role,
channel, language, event, who answered, or another closed question. Answers are encrypted, so
everything is counted here in Python after reading them, never in SQL.

Counts are people (conversations). Every cell, row total and column total is suppressed: a
count below the threshold shows as "fewer than N"; and where the cells of a row (or a column)
add up to a shown total, more cells are hidden until no hidden cell can be worked out by
subtraction, row by row and column by column, repeated until nothing changes. Percentages are of
the row's total, and only between shown counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.reports.questions import ANSWERED_BY_LABELS, categories, question_text
from bot.web.dashboard.funnel import GROUP_LABELS
from bot.web.dashboard.suppress import Cell
from bot.web.dashboard.table_suppress import suppress_table
from flows.schema import Flow, Step, StepType
from storage.models import Answer, Contact, Conversation, Event
from storage.reporting import NO_AREA, NOT_ASKED, Filters, conversations_query

CLOSED = (StepType.CHOICE, StepType.MULTI_CHOICE, StepType.SCALE, StepType.YES_NO)
SPLITS = {
    "area": "Area",
    "role": "Role",
    "channel": "Channel",
    "language": "Language",
    "event": "Event",
    "answered_by": "Who answered",
}
NO_EVENT = "No event (started by keyword)"


def closed_steps(flow: Flow) -> list[Step]:
    return [s for s in flow.steps if s.type in CLOSED]


def value_key(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def values_of(value: Any) -> list[str]:
    return [value_key(v) for v in value] if isinstance(value, list) else [value_key(value)]


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    total: Cell
    percents: list[str]


@dataclass(frozen=True)
class Table:
    question: str
    by_title: str
    columns: list[str]
    rows: list[Row]
    column_totals: list[Cell]
    total: Cell


def answers_by_conversation(
    session: Session, f: Filters, step_ids: Iterable[str]
) -> dict[str, dict[int, Any]]:
    """Each step's answer per conversation, decrypted (skips and the like left out)."""
    out: dict[str, dict[int, Any]] = defaultdict(dict)
    query = (
        conversations_query(f, Answer.conversation_id, Answer.step_id, Answer.value)
        .join(Answer, Answer.conversation_id == Conversation.id)
        .where(
            Answer.step_id.in_(sorted(set(step_ids))),
            Answer.special.is_(None),
            Answer.value.is_not(None),
        )
    )
    for conversation_id, step_id, value in session.execute(query):
        out[step_id][conversation_id] = value
    return out


def _groups(session: Session, f: Filters, by: str) -> dict[int, list[str]]:
    column = {
        "area": Conversation.area,
        "role": Contact.role,
        "channel": Conversation.channel,
        "language": Conversation.language,
        "event": Event.title,
        "answered_by": Conversation.answered_by,
    }[by]
    labels = ANSWERED_BY_LABELS if by == "answered_by" else GROUP_LABELS
    empty = {"area": NO_AREA, "event": NO_EVENT, "answered_by": NOT_ASKED}.get(by, "unknown")
    out = {}
    for conversation_id, value in session.execute(conversations_query(f, Conversation.id, column)):
        raw = value if value not in (None, "") else empty
        out[int(conversation_id)] = [labels.get(raw, raw)]
    return out


def crosstab(
    session: Session, flow: Flow, step: Step, by: str, f: Filters, threshold: int
) -> Table:
    """`by` is one of SPLITS, or `step:<id>` for another closed question of the flow."""
    f = Filters(**{**f.__dict__, "flow_id": flow.id})
    other = flow.step(by[5:]) if by.startswith("step:") and flow.has_step(by[5:]) else None
    if other is None and by not in SPLITS:
        raise ValueError("Choose what to compare the answers with.")
    answers = answers_by_conversation(session, f, [step.id] + ([other.id] if other else []))
    mine = answers.get(step.id, {})
    options = categories(step)
    column_of = {value: i for i, (value, _) in enumerate(options)}
    if other is not None:
        other_labels = dict(categories(other))
        row_names = [label for _, label in categories(other)]
        groups = {
            c: [other_labels.get(v, v) for v in values_of(value)]
            for c, value in answers.get(other.id, {}).items()
        }
        by_title = question_text(other)
        rows_overlap = other.type is StepType.MULTI_CHOICE
    else:
        groups = _groups(session, f, by)
        row_names = sorted({g for c in mine for g in groups.get(c, [])})
        by_title = SPLITS[by]
        rows_overlap = False
    counts = [[0] * len(options) for _ in row_names]
    row_index = {name: i for i, name in enumerate(row_names)}
    row_people = [0] * len(row_names)
    column_people = [0] * len(options)
    people = 0
    for conversation_id, value in mine.items():
        in_rows = [row_index[g] for g in groups.get(conversation_id, []) if g in row_index]
        chosen = [column_of[v] for v in values_of(value) if v in column_of]
        if not in_rows or not chosen:
            continue
        people += 1
        for c in set(chosen):
            column_people[c] += 1
        for r in set(in_rows):
            row_people[r] += 1
            for c in set(chosen):
                counts[r][c] += 1
    cells, row_totals, column_totals, total = suppress_table(
        counts,
        row_people,
        column_people,
        people,
        threshold,
        rows_add_up=step.type is not StepType.MULTI_CHOICE,
        columns_add_up=not rows_overlap,
    )
    rows = [
        Row(name, cells[r], row_totals[r], [c.percent_of(row_totals[r]) for c in cells[r]])
        for r, name in enumerate(row_names)
    ]
    return Table(
        question_text(step),
        by_title,
        [label for _, label in options],
        rows,
        column_totals,
        total,
    )
