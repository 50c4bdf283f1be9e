"""What changed between two versions of a flow, as an officer reads it: steps added, removed or
moved, and within a step its texts per language, options, labels, what it allows and where it
goes next. Pure: two `Flow`s in, a list of changes out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from flows.schema import Flow, Option, Route, Step

NOTHING = ""


@dataclass(frozen=True)
class Change:
    what: str  # "Question (en)", "Option maybe", "Next"
    before: str  # NOTHING when it was added
    after: str  # NOTHING when it was removed

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class StepChanges:
    step_id: str
    kind: str  # "added", "removed" or "changed"
    changes: tuple[Change, ...] = ()
    summary: str = ""  # an added or removed step: its type and first text


@dataclass(frozen=True)
class FlowChanges:
    settings: tuple[Change, ...] = ()
    steps: tuple[StepChanges, ...] = ()
    order: tuple[str, ...] = field(default=())  # the new order, when the same steps moved

    @property
    def empty(self) -> bool:
        return not (self.settings or self.steps or self.order)


def compare(old: Flow, new: Flow) -> FlowChanges:
    settings = tuple(_differences(_settings(old), _settings(new)))
    old_ids = [s.id for s in old.steps]
    new_ids = [s.id for s in new.steps]
    steps: list[StepChanges] = []
    for step in new.steps:
        if not old.has_step(step.id) or step.id not in old_ids:
            steps.append(StepChanges(step.id, "added", summary=_summary(step, new.languages)))
            continue
        changes = tuple(_differences(_fields(old.step(step.id)), _fields(step)))
        if changes:
            steps.append(StepChanges(step.id, "changed", changes))
    steps += [
        StepChanges(s.id, "removed", summary=_summary(s, old.languages))
        for s in old.steps
        if s.id not in new_ids
    ]
    kept_old = [i for i in old_ids if i in new_ids]
    kept_new = [i for i in new_ids if i in old_ids]
    order = tuple(new_ids) if kept_old != kept_new else ()
    return FlowChanges(settings, tuple(steps), order)


def _differences(before: Mapping[str, str], after: Mapping[str, str]) -> Iterator[Change]:
    for key in [*before, *(k for k in after if k not in before)]:
        was, now = before.get(key, NOTHING), after.get(key, NOTHING)
        if was != now:
            yield Change(key, was, now)


def _settings(flow: Flow) -> dict[str, str]:
    out = {
        "Title": flow.title,
        "Description": flow.description.strip(),
        "For": flow.audience.value,
        "Languages": ", ".join(flow.languages),
        "Start word": flow.start_keyword or "",
        "Closes after": _duration(flow.expires_after),
        "Asks again up to": f"{flow.max_reprompts} times",
        "Asks who is answering": "yes" if flow.who_answered is not None else "no",
    }
    out.update(_texts("Help", flow.help))
    return {k: v for k, v in out.items() if v}


def _fields(step: Step) -> dict[str, str]:
    out: dict[str, str] = {"Type": step.type.value}
    out.update(_texts("Question" if step.is_question else "Message", step.text))
    out.update(_texts("Help", step.help))
    for option in step.options:
        out.update(_option(option))
    for point in step.points:
        out.update(_texts(f"Point {point.value}", point.label))
        if point.emoji:
            out[f"Point {point.value} emoji"] = point.emoji
    out.update(_texts("Yes", step.yes_label))
    out.update(_texts("No", step.no_label))
    if step.allow:
        out["Also allows"] = ", ".join(sorted(s.value for s in step.allow))
    if step.type.value == "multi_choice":
        most = str(step.max_choices) if step.max_choices else "any"
        out["Choices"] = f"at least {step.min_choices}, at most {most}"
    if step.type.value == "number":
        out["Answer"] = _number_rule(step)
    if step.type.value == "text":
        out["Longest answer"] = f"{step.max_length} characters"
    if step.next:
        out["Next"] = "; ".join(_route(r) for r in step.next)
    return out


def _option(option: Option) -> dict[str, str]:
    name = f"Option {option.value}"
    out = _texts(name, option.label)
    for language, words in sorted(option.aliases.items()):
        if words:
            out[f"{name} also means ({language})"] = ", ".join(words)
    if option.emoji:
        out[f"{name} emoji"] = option.emoji
    if option.exclusive:
        out[f"{name} stands alone"] = "yes"
    return out


def _texts(what: str, text: Mapping[str, str] | None) -> dict[str, str]:
    return {f"{what} ({language})": words for language, words in (text or {}).items() if words}


def _route(route: Route) -> str:
    target = "the end" if route.go == "end" else route.go
    return f"if {route.source}: {target}" if route.source else f"then {target}"


def _number_rule(step: Step) -> str:
    lo = "" if step.minimum is None else f" from {step.minimum:g}"
    hi = "" if step.maximum is None else f" to {step.maximum:g}"
    return f"{'whole ' if step.integer else ''}number{lo}{hi}"


def _duration(after: timedelta) -> str:
    minutes = int(after.total_seconds() // 60)
    for unit, size in (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60)):
        if minutes and minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def _summary(step: Step, languages: tuple[str, ...]) -> str:
    first = step.text.get(languages[0]) or next(iter(step.text.values()), "")
    return f"{step.type.value}: {first}"
