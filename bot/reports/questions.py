"""How a flow's questions and answers read to an officer: question text and answer labels."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flows.schema import Step, StepType

SPECIAL_LABELS = {
    "skip": "Skipped",
    "dont_know": "Don't know",
    "prefer_not_to_say": "Prefer not to say",
    "no_valid_answer": "No answer understood",
}
# Who gave a conversation's answers, as an officer reads it (storage: conversations.answered_by).
ANSWERED_BY_LABELS = {
    "self": "Answered themselves",
    "with_help": "Answered with help",
    "for_them": "Someone answered for them",
    "unknown": "Did not say",
    "not_asked": "Not asked",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def question_text(step: Step, language: str = "en", values: Mapping[str, str] | None = None) -> str:
    """The question as asked; a placeholder reads as its value where one is known (the event's
    name when one event is chosen), else as "[event name]"."""
    text = step.text.get(language) or next(iter(step.text.values()), step.id)
    known = values or {}
    return _PLACEHOLDER.sub(
        lambda m: known.get(m.group(1)) or f"[{m.group(1).replace('_', ' ')}]", text
    )


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


def answered_by_label(value: str | None) -> str:
    return ANSWERED_BY_LABELS.get(value or "not_asked", value or "")


def answer_label(step: Step | None, value: Any, special: str | None = None) -> str:
    """A stored answer as an officer reads it: option labels, "Yes"/"No", never `True` or `forum`."""
    if special is not None:
        return SPECIAL_LABELS.get(special, special.replace("_", " "))
    if value is None:
        return ""
    labels = dict(categories(step)) if step is not None else {}
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(value, bool):
        value = "yes" if value else "no"
    return labels.get(str(value), str(value))
