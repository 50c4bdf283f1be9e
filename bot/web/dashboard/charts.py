"""Per-question counts turned into charts: labelled bars, every number also in a table, suppressed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.reports.questions import SPECIAL_LABELS, categories, question_text
from bot.web.dashboard import suppress
from bot.web.dashboard.suppress import Cell
from flows.schema import Flow, Step, StepType

__all__ = ["Bar", "Chart", "categories", "chart", "charts", "question_text", "theme_chart"]
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
    total_label: str = "Answered this question"
    note: str = "People could choose more than one answer."
    show_id: bool = True  # a question's step id helps officers find it in the flow file
    label_head: str = "Answer"
    count_head: str = "People"


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


def theme_chart(
    themes: Sequence[tuple[str, int]],
    no_theme: int,
    coded: int,
    threshold: int,
    key: str = "themes",
) -> Chart:
    """How many coded answers carry each theme, and how many were read and had none.

    Answers with a theme and answers with none add up to those coded: they are suppressed as a
    split of the total, so a small "no theme" group cannot be had by subtraction. The themes
    overlap (an answer can carry several), like a multi-choice question's options; they are all
    hidden unless the number of answers with a theme is itself shown, since one theme alone
    would give that number away.
    """
    labels = [name for name, _ in themes] + ["No theme"]
    (themed, nothing), total = suppress.partition([coded - no_theme, no_theme], threshold)
    if themed.shown:
        cells = suppress.independent([n for _, n in themes], threshold)
    else:
        cells = [suppress.Cell(n, "hidden", threshold) for _, n in themes]
    cells.append(nothing)
    bars = [
        Bar(label, cell, cell.percent_of(total), cell.ratio(total))
        for label, cell in zip(labels, cells, strict=True)
    ]
    return Chart(
        key,
        "Themes in what people wrote",
        total,
        bars,
        multi=True,
        free_text=False,
        total_label="Answers coded",
        note="An answer can have more than one theme; percentages are of the answers coded.",
        show_id=False,
        label_head="Theme",
        count_head="Answers",
    )
