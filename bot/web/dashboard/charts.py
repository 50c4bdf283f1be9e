"""Per-question counts turned into charts: labelled bars, every number also in a table, suppressed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.reports.questions import SPECIAL_LABELS, categories, question_text
from bot.web.dashboard import suppress
from bot.web.dashboard.suppress import Cell
from flows.schema import Flow, Step, StepType

__all__ = ["Bar", "Chart", "categories", "chart", "charts", "question_text"]
from storage.reporting import StepCounts


@dataclass(frozen=True)
class Bar:
    label: str
    cell: Cell
    percent: str
    ratio: float


@dataclass(frozen=True)
class Chart:
    step_id: str
    question: str
    total: Cell
    bars: list[Bar]
    multi: bool  # options of a multi-choice question overlap: they do not add up to the total
    free_text: bool


def chart(
    step: Step,
    counts: StepCounts | None,
    threshold: int,
    names: Mapping[str, str] | None = None,
) -> Chart:
    counts = counts or StepCounts()
    values, specials = counts.values, counts.specials
    labels: list[str] = []
    numbers: list[int] = []
    if step.type in (StepType.TEXT, StepType.NUMBER, StepType.DATE):
        labels.append("Answered")
        numbers.append(sum(values.values()))
    else:
        for value, label in categories(step):
            labels.append(label)
            numbers.append(values.get(value, 0))
    for special, label in SPECIAL_LABELS.items():
        if specials.get(special) or special in {s.value for s in step.allow}:
            labels.append(label)
            numbers.append(specials.get(special, 0))
    answered = counts.answered
    multi = step.type is StepType.MULTI_CHOICE
    if multi:
        total = suppress.one(answered, threshold)
        cells = suppress.independent(numbers, threshold)
        if not total.shown:
            cells = [suppress.Cell(n, "hidden", threshold) for n in numbers]
    else:
        cells, total = suppress.partition(numbers, threshold)
    bars = [
        Bar(label, cell, cell.percent_of(total), cell.ratio(total))
        for label, cell in zip(labels, cells, strict=True)
    ]
    question = question_text(step, values=names)
    return Chart(step.id, question, total, bars, multi, step.type is StepType.TEXT)


def charts(
    flow: Flow,
    counts: dict[str, StepCounts],
    threshold: int,
    names: Mapping[str, str] | None = None,
) -> list[Chart]:
    """`names` fill the questions' placeholders, such as the chosen event's name."""
    return [chart(s, counts.get(s.id), threshold, names) for s in flow.steps if s.is_question]
