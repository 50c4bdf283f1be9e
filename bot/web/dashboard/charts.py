"""Per-question counts turned into charts: labelled bars, every number also in a table, suppressed."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bot.web.dashboard import suppress
from bot.web.dashboard.suppress import Cell
from flows.schema import Flow, Step, StepType
from storage.reporting import StepCounts

SPECIAL_LABELS = {
    "skip": "Skipped",
    "dont_know": "Don't know",
    "prefer_not_to_say": "Prefer not to say",
    "no_valid_answer": "No answer understood",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def question_text(step: Step, language: str = "en") -> str:
    text = step.text.get(language) or next(iter(step.text.values()), step.id)
    return _PLACEHOLDER.sub(lambda m: f"[{m.group(1).replace('_', ' ')}]", text)


def categories(step: Step, language: str = "en") -> list[tuple[str, str]]:
    """(stored value, label) for each answer a step can have, in the order the flow gives them."""
    if step.type in (StepType.CHOICE, StepType.MULTI_CHOICE):
        return [(o.value, o.label.get(language) or o.value) for o in step.options]
    if step.type is StepType.SCALE:
        return [(str(p.value), f"{p.value} - {p.label.get(language, '')}") for p in step.points]
    if step.type is StepType.YES_NO:
        yes = (step.yes_label or {}).get(language, "Yes")
        no = (step.no_label or {}).get(language, "No")
        return [("yes", yes), ("no", no)]
    return []


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


def chart(step: Step, counts: StepCounts | None, threshold: int) -> Chart:
    values: Counter[str] = (counts.values if counts and counts.values else Counter())
    specials: Counter[str] = (counts.specials if counts and counts.specials else Counter())
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
    answered = counts.answered if counts else 0
    multi = step.type is StepType.MULTI_CHOICE
    if multi:
        cells, total = suppress.independent(numbers, threshold), suppress.one(answered, threshold)
    else:
        cells, total = suppress.partition(numbers, threshold)
    bars = [
        Bar(label, cell, cell.percent_of(total), cell.ratio(total))
        for label, cell in zip(labels, cells, strict=True)
    ]
    return Chart(
        step.id, question_text(step), total, bars, multi, step.type is StepType.TEXT
    )


def charts(flow: Flow, counts: dict[str, StepCounts], threshold: int) -> list[Chart]:
    return [chart(s, counts.get(s.id), threshold) for s in flow.steps if s.is_question]
