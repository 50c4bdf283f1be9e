"""How a flow's questions and answers read to an officer: question text and answer labels."""

from __future__ import annotations

import re

from flows.schema import Step, StepType

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
