"""The `steps:` part of a flow file: each step, its answers and its routes."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from flows import expr as ex
from flows.loader.fields import FieldReader
from flows.loader.yamlnodes import LocDict, LocList, line_of
from flows.schema import (
    ALLOWABLE_SPECIALS,
    END,
    Option,
    Route,
    ScalePoint,
    Special,
    Step,
    StepType,
    Text,
)

ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
VALUE_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")
MAX_SCALE_POINTS = 11
MAX_TEXT_LENGTH = 1600
COMMON_FIELDS = {"id", "type", "ask", "say", "allow", "next", "help"}
TYPE_FIELDS: dict[StepType, set[str]] = {
    StepType.MESSAGE: set(),
    StepType.CHOICE: {"options"},
    StepType.MULTI_CHOICE: {"options", "min_choices", "max_choices"},
    StepType.SCALE: {"range", "labels", "emoji"},
    StepType.YES_NO: {"labels", "gate"},
    StepType.TEXT: {"max_length"},
    StepType.NUMBER: {"min", "max", "integer"},
    StepType.DATE: set(),
}
# YAML 1.1 reads yes/no/on/off as booleans: a yes_no relabelling written `yes:` arrives as True.
_BOOL_KEYS = {True: "yes", False: "no"}


class StepBuilder:
    def __init__(self, flow: FieldReader) -> None:
        self.f = flow
        self.err = flow.err

    def build_all(self, raw: LocList) -> list[Step]:
        steps: list[Step] = []
        seen: dict[str, int] = {}
        pending_routes: list[tuple[int, str, LocDict, int]] = []
        for i, item in enumerate(raw):
            path = f"steps[{i}]"
            if not isinstance(item, LocDict):
                self.err(line_of(raw, i), path, f"expected a step (a mapping), got {item!r}")
                continue
            step = self._step(item, path)
            if step is None:
                continue
            if step.id in seen:
                self.err(
                    line_of(item, "id"),
                    f"{path}.id",
                    f"'{step.id}' is already used by the step on line {seen[step.id]}",
                )
                continue
            seen[step.id] = step.line
            steps.append(step)
            if item.get("next") is not None:
                pending_routes.append((len(steps) - 1, path, item, i))
        # Routes are checked once every step is known, so they may point forwards.
        for index, path, item, _ in pending_routes:
            routes = self._routes(item, path, steps, index)
            steps[index] = replace(steps[index], next=routes)
        return steps

    def _step(self, data: LocDict, path: str) -> Step | None:
        step_id = self.f.get_str(data, "id", f"{path}.", required=True)
        if step_id is not None and not ID_RE.match(step_id):
            self.err(
                line_of(data, "id"),
                f"{path}.id",
                "expected lower-case letters, digits and _ (starting with a letter)",
            )
            step_id = None
        label = f"{path} ({step_id})" if step_id else path
        type_name = self.f.get_str(data, "type", f"{label}.", required=True)
        if type_name is None:
            return None
        try:
            step_type = StepType(type_name)
        except ValueError:
            kinds = ", ".join(t.value for t in StepType)
            self.err(
                line_of(data, "type"),
                f"{label}.type",
                f"expected one of {kinds}, got {type_name!r}",
            )
            return None
        self.f._unknown_fields(data, COMMON_FIELDS | TYPE_FIELDS[step_type], f"{label}.")
        text_key, wrong_key = ("say", "ask") if step_type is StepType.MESSAGE else ("ask", "say")
        if wrong_key in data:
            self.err(
                line_of(data, wrong_key),
                f"{label}.{wrong_key}",
                f"a {step_type.value} step uses '{text_key}', not '{wrong_key}'",
            )
        text = self.f.get_text(data, text_key, f"{label}.")
        help_text = self.f.get_text(data, "help", f"{label}.", required=False)
        allow = self._allow(data, label, step_type)
        extra = self._type_fields(step_type, data, label)
        if step_id is None or text is None or extra is None:
            return None
        return Step(
            id=step_id,
            type=step_type,
            text=text,
            line=data.line,
            allow=allow,
            help=help_text,
            **extra,
        )

    def _allow(self, data: LocDict, label: str, step_type: StepType) -> frozenset[Special]:
        raw = data.get("allow")
        if raw is None:
            return frozenset()
        allowed = ", ".join(s.value for s in ALLOWABLE_SPECIALS)
        if step_type is StepType.MESSAGE:
            self.err(
                line_of(data, "allow"), f"{label}.allow", "a message step has no answer to skip"
            )
            return frozenset()
        if not isinstance(raw, LocList):
            self.err(line_of(data, "allow"), f"{label}.allow", f"expected a list of: {allowed}")
            return frozenset()
        out: set[Special] = set()
        for i, item in enumerate(raw):
            if item not in {s.value for s in ALLOWABLE_SPECIALS}:
                self.err(
                    line_of(raw, i),
                    f"{label}.allow[{i}]",
                    f"expected one of {allowed}, got {item!r}",
                )
            else:
                out.add(Special(item))
        return frozenset(out)

    def _type_fields(self, step_type: StepType, data: LocDict, label: str) -> dict[str, Any] | None:
        p = f"{label}."
        if step_type in (StepType.CHOICE, StepType.MULTI_CHOICE):
            options = self._options(data, label)
            if options is None:
                return None
            extra: dict[str, Any] = {"options": options}
            if step_type is StepType.CHOICE and any(o.exclusive for o in options):
                # One answer is always alone; saying so would suggest the list allows several.
                self.err(line_of(data, "options"), f"{p}options", "exclusive is for multi_choice")
            if step_type is StepType.MULTI_CHOICE:
                lo = self.f.get_int(data, "min_choices", p, lo=0, hi=len(options))
                hi = self.f.get_int(data, "max_choices", p, lo=1, hi=len(options))
                if lo is not None and hi is not None and lo > hi:
                    self.err(
                        line_of(data, "min_choices"),
                        f"{p}min_choices",
                        "must not be more than max_choices",
                    )
                extra |= {"min_choices": 1 if lo is None else lo, "max_choices": hi}
            return extra
        if step_type is StepType.SCALE:
            points = self._scale(data, label)
            return None if points is None else {"points": points}
        if step_type is StepType.YES_NO:
            labels = self._yes_no_labels(data, label)
            gate = data.get("gate", False)
            if not isinstance(gate, bool):
                self.err(line_of(data, "gate"), f"{label}.gate", "expected true or false")
                return None
            return None if labels is None else labels | {"gate": gate}
        if step_type is StepType.TEXT:
            n = self.f.get_int(data, "max_length", p, lo=1, hi=MAX_TEXT_LENGTH)
            return {"max_length": 500 if n is None else n}
        if step_type is StepType.NUMBER:
            return self._number(data, label)
        return {}

    def _options(self, data: LocDict, label: str) -> tuple[Option, ...] | None:
        raw = self.f.req(data, "options", f"{label}.")
        if raw is None:
            return None
        if not isinstance(raw, LocList) or len(raw) < 2:
            self.err(
                line_of(data, "options"),
                f"{label}.options",
                "expected a list of at least 2 options",
            )
            return None
        options: list[Option] = []
        ok = True
        for i, item in enumerate(raw):
            p = f"{label}.options[{i}]"
            if not isinstance(item, LocDict):
                self.err(line_of(raw, i), p, "expected an option with value and label")
                ok = False
                continue
            self.f._unknown_fields(
                item, {"value", "label", "aliases", "emoji", "exclusive"}, f"{p}."
            )
            value = item.get("value")
            if isinstance(value, bool):
                self.err(
                    line_of(item, "value"),
                    f"{p}.value",
                    f'YAML read this as {str(value).lower()}; put the word in quotes, e.g. "yes"',
                )
                ok = False
                continue
            if value is None or not VALUE_RE.match(str(value)):
                self.err(
                    line_of(item, "value"),
                    f"{p}.value",
                    "expected lower-case letters, digits and _, e.g. a_bit",
                )
                ok = False
                continue
            if any(o.value == str(value) for o in options):
                self.err(
                    line_of(item, "value"), f"{p}.value", f"'{value}' is used by another option"
                )
                ok = False
                continue
            text = self.f.get_text(item, "label", f"{p}.")
            aliases = self._aliases(item, p)
            emoji = self.f.get_str(item, "emoji", f"{p}.", required=False)
            exclusive = item.get("exclusive", False)
            if not isinstance(exclusive, bool):
                self.err(line_of(item, "exclusive"), f"{p}.exclusive", "expected true or false")
                ok = False
                continue
            if text is None or aliases is None:
                ok = False
                continue
            options.append(
                Option(
                    value=str(value), label=text, aliases=aliases, emoji=emoji, exclusive=exclusive
                )
            )
        return tuple(options) if ok else None

    def _aliases(self, item: LocDict, p: str) -> dict[str, tuple[str, ...]] | None:
        raw = item.get("aliases")
        if raw is None:
            return {}
        if not isinstance(raw, LocDict):
            self.err(
                line_of(item, "aliases"), f"{p}.aliases", "expected words per language: {en: [...]}"
            )
            return None
        out: dict[str, tuple[str, ...]] = {}
        for lang, words in raw.items():
            if lang not in self.f.languages:
                self.err(
                    line_of(raw, lang), f"{p}.aliases.{lang}", "language not listed in 'languages'"
                )
                return None
            if not isinstance(words, LocList) or not all(isinstance(w, str) for w in words):
                self.err(
                    line_of(raw, lang), f"{p}.aliases.{lang}", "expected a list of words in quotes"
                )
                return None
            out[lang] = tuple(words)
        return out

    def _scale(self, data: LocDict, label: str) -> tuple[ScalePoint, ...] | None:
        p = f"{label}."
        rng = self.f.req(data, "range", p)
        labels = self.f.req(data, "labels", p)
        if rng is None or labels is None:
            return None
        if (
            not isinstance(rng, LocList)
            or len(rng) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in rng)
            or rng[0] >= rng[1]
            or rng[1] - rng[0] + 1 > MAX_SCALE_POINTS
        ):
            self.err(
                line_of(data, "range"),
                f"{p}range",
                f"expected [low, high] whole numbers, at most {MAX_SCALE_POINTS} points, e.g. [1, 5]",
            )
            return None
        if not isinstance(labels, LocDict):
            self.err(line_of(data, "labels"), f"{p}labels", "expected a label for every point")
            return None
        emoji = data.get("emoji") or LocDict()
        if not isinstance(emoji, LocDict):
            self.err(line_of(data, "emoji"), f"{p}emoji", "expected an emoji per point: {1: ...}")
            return None
        points: list[ScalePoint] = []
        values = range(rng[0], rng[1] + 1)
        for key in list(labels) + list(emoji):
            if key not in values:
                where = labels if key in labels else emoji
                self.err(
                    line_of(where, key),
                    f"{p}labels.{key}",
                    f"{key!r} is not a point of {rng[0]}..{rng[1]}",
                )
        for value in values:
            if value not in labels:
                self.err(
                    labels.line,
                    f"{p}labels.{value}",
                    "every point needs words (an emoji alone is not enough)",
                )
                continue
            text = self.f.get_text(labels, value, f"{p}labels.")
            if text is not None:
                mark = emoji.get(value)
                points.append(ScalePoint(value, text, None if mark is None else str(mark)))
        return tuple(points) if len(points) == len(values) else None

    def _yes_no_labels(self, data: LocDict, label: str) -> dict[str, Any] | None:
        raw = data.get("labels")
        if raw is None:
            return {}
        if not isinstance(raw, LocDict):
            self.err(line_of(data, "labels"), f"{label}.labels", "expected {yes: ..., no: ...}")
            return None
        fixed = LocDict(
            {_BOOL_KEYS.get(k, k) if isinstance(k, bool) else k: v for k, v in raw.items()}
        )
        fixed.line = raw.line
        fixed.key_lines = {
            _BOOL_KEYS.get(k, k) if isinstance(k, bool) else k: v for k, v in raw.key_lines.items()
        }
        fixed.duplicates = raw.duplicates
        self.f._unknown_fields(fixed, {"yes", "no"}, f"{label}.labels.")
        yes = self.f.get_text(fixed, "yes", f"{label}.labels.", required=False)
        no = self.f.get_text(fixed, "no", f"{label}.labels.", required=False)
        return {"yes_label": yes, "no_label": no}

    def _number(self, data: LocDict, label: str) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        for key, attr in (("min", "minimum"), ("max", "maximum")):
            value = data.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                self.err(line_of(data, key), f"{label}.{key}", f"expected a number, got {value!r}")
                return None
            out[attr] = value
        if (
            out["minimum"] is not None
            and out["maximum"] is not None
            and out["minimum"] > out["maximum"]
        ):
            self.err(line_of(data, "min"), f"{label}.min", "must not be more than max")
            return None
        integer = data.get("integer", True)
        if not isinstance(integer, bool):
            self.err(line_of(data, "integer"), f"{label}.integer", "expected true or false")
            return None
        out["integer"] = integer
        return out

    # -- routes

    def _routes(self, item: LocDict, path: str, steps: list[Step], index: int) -> tuple[Route, ...]:
        step = steps[index]
        label = f"{path} ({step.id})"
        raw = item["next"]
        if isinstance(raw, str):  # `next: some_step` is shorthand for one unconditional route
            raw_list = LocList([LocDict({"go": raw})])
            raw_list.line = line_of(item, "next")
            raw_list.item_lines = [raw_list.line]
            raw_list[0].line = raw_list.line
            raw_list[0].key_lines = {"go": raw_list.line}
            raw_list[0].duplicates = []
            raw = raw_list
        if not isinstance(raw, LocList):
            self.err(
                line_of(item, "next"), f"{label}.next", "expected a list of {if: ..., go: ...}"
            )
            return ()
        by_id = {s.id: s for s in steps}
        positions = {s.id: i for i, s in enumerate(steps)}
        routes: list[Route] = []
        for i, r in enumerate(raw):
            p = f"{label}.next[{i}]"
            if not isinstance(r, LocDict):
                self.err(line_of(raw, i), p, "expected {if: condition, go: step_id}")
                continue
            self.f._unknown_fields(r, {"if", "go"}, f"{p}.")
            go = r.get("go")
            if not isinstance(go, str):
                self.err(r.line, f"{p}.go", "is required: the id of the next step, or end")
                continue
            if go != END and go not in by_id:
                self.err(line_of(r, "go"), f"{p}.go", f"no step has id '{go}'")
                continue
            source = r.get("if")
            condition = None
            if source is not None:
                condition = self._condition(
                    str(source), f"{p}.if", line_of(r, "if"), by_id, positions, index
                )
                if condition is None:
                    continue
            routes.append(
                Route(go=go, condition=condition, source=None if source is None else str(source))
            )
        return tuple(routes)

    def _condition(
        self,
        source: str,
        field: str,
        line: int,
        by_id: dict[str, Step],
        positions: dict[str, int],
        index: int,
    ) -> ex.Expr | None:
        try:
            parsed = ex.parse(source)
        except ex.ExprError as exc:
            self.err(line, field, f"cannot read the condition: {exc}")
            return None
        ok = True
        for name in sorted(ex.names(parsed)):
            target = by_id.get(name)
            if target is None:
                self.err(line, field, f"no step has id '{name}'")
                ok = False
            elif not target.is_question:
                self.err(line, field, f"'{name}' is a message step and has no answer")
                ok = False
            elif positions[name] > index:
                self.err(line, field, f"'{name}' is asked later, so it has no answer yet")
                ok = False
        if ok:
            for cmp in ex.comparisons(parsed):
                problem = _literal_problem(cmp, by_id)
                if problem:
                    self.err(line, field, problem)
                    ok = False
        return parsed if ok else None


def _literal_problem(cmp: ex.Compare, by_id: dict[str, Step]) -> str | None:
    """A comparison of an answer with a value that answer can never have is almost always a typo."""
    for side, other in ((cmp.left, cmp.right), (cmp.right, cmp.left)):
        if not isinstance(side, ex.Name) or side.step_id not in by_id:
            continue
        step = by_id[side.step_id]
        values = (
            [other.value]
            if isinstance(other, ex.Literal)
            else ([i.value for i in other.items] if isinstance(other, ex.ListLit) else [])
        )
        for v in values:
            msg = _value_problem(step, v)
            if msg:
                return msg
    return None


def _value_problem(step: Step, v: Any) -> str | None:
    if step.type in (StepType.CHOICE, StepType.MULTI_CHOICE):
        known = [o.value for o in step.options]
        if not isinstance(v, str) or v not in known:
            return f"'{step.id}' has no option {v!r}; its options are {', '.join(known)}"
    elif step.type is StepType.YES_NO:
        if not isinstance(v, bool):
            return f"'{step.id}' is a yes/no question: compare it with yes or no, not {v!r}"
    elif step.type in (StepType.SCALE, StepType.NUMBER) and (
        isinstance(v, bool) or not isinstance(v, int | float)
    ):
        return f"'{step.id}' is a number: compare it with a number, not {v!r}"
    return None


__all__ = ["StepBuilder", "Text"]
