"""Write a flow as a RapidPro/TextIt export (spec 13.1), so a council is never locked in.

Each step becomes one node: a message sends its text and moves on; a question sends its text and
waits, its router testing words (choice, yes_no), whole numbers (scale: one category a point),
number ranges or dates; each category's exit goes where the flow's `next` sends that answer.
Translations go in `localization`. What RapidPro cannot hold is listed, never dropped silently:
several answers at once (multi_choice is written as a single choice), skip / don't know, and
conditions on other questions' answers. UUIDs are derived from the flow and step ids, so exporting
the same flow twice gives the same file.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from flows import expr as ex
from flows.interop.rapidpro_common import EXPORT_SPEC, TO_THEIRS
from flows.schema import END, Flow, Route, Step, StepType

_VARIABLE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_NAMESPACE = uuid.UUID("6c1d7f34-5a0e-4c55-9a5e-2f1b7d0c9e11")
_YES_WORDS = {"en": "yes y yeah yep", "cy": "ie do oes ydw byddaf"}
_NO_WORDS = {"en": "no n nope nah", "cy": "na naddo nac dim"}
_YES = {"en": "Yes", "cy": "Ie"}
_NO = {"en": "No", "cy": "Na"}
_OTHER = {"en": "Other", "cy": "Arall"}
_ANY = {"en": "All Responses", "cy": "Pob ateb"}
_NUMBER = {"en": "Number", "cy": "Rhif"}
_DATE = {"en": "Date", "cy": "Dyddiad"}


@dataclass(frozen=True)
class _Test:
    kind: str
    arguments: list[str]
    translated: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Answer:
    """One category: the value it stands for and the tests that pick it."""

    key: str
    names: dict[str, str]
    value: Any
    tests: list[_Test]


def _one(texts: dict[str, str]) -> dict[str, list[str]]:
    return {lang: [text] for lang, text in texts.items()}


def _words_test(words: dict[str, str], base: str, langs: tuple[str, ...]) -> _Test:
    return _Test(
        "has_any_word",
        [words[base]],
        {lang: [words[lang]] for lang in langs if lang != base},
    )


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


class _Writer:
    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.base = flow.default_language
        self.others = [lang for lang in flow.languages if lang != self.base]
        self.localization: dict[str, dict[str, Any]] = {TO_THEIRS[lang]: {} for lang in self.others}
        self.unmapped: list[str] = []

    def translate(
        self, item_uuid: str, key: str, texts: dict[str, str] | dict[str, list[str]]
    ) -> None:
        for lang in self.others:
            if lang in texts:
                value = texts[lang]
                listed = value if isinstance(value, list) else [value]
                self.localization[TO_THEIRS[lang]].setdefault(item_uuid, {})[key] = listed

    def node_uuid(self, step_id: str) -> str | None:
        return None if step_id == END else _uuid(self.flow.id, "node", step_id)

    def following(self, step: Step) -> str:
        position = self.flow.position(step.id)
        return self.flow.steps[position + 1].id if position + 1 < len(self.flow.steps) else END

    def default_target(self, step: Step) -> str:
        plain = [r for r in step.next if r.condition is None]
        return plain[0].go if plain else self.following(step)

    def node(self, step: Step, y: int) -> tuple[dict[str, Any], dict[str, Any]]:
        node_uuid = _uuid(self.flow.id, "node", step.id)
        send = _uuid(self.flow.id, "send", step.id)
        action: dict[str, Any] = {
            "uuid": send,
            "type": "send_msg",
            "text": _ours_to_theirs(step.text[self.base]),
            "quick_replies": [],
        }
        self.translate(send, "text", {k: _ours_to_theirs(v) for k, v in step.text.items()})
        node: dict[str, Any] = {"uuid": node_uuid, "actions": [action]}
        if step.is_question:
            node["router"], node["exits"] = self.router(step)
            if step.allow:
                self.unmapped.append(
                    f"{step.id}: {', '.join(sorted(a.value for a in step.allow))} not exported "
                    "(RapidPro has no such answers)"
                )
        else:
            node["exits"] = [
                {
                    "uuid": _uuid(self.flow.id, "exit", step.id),
                    "destination_uuid": self.node_uuid(self.default_target(step)),
                }
            ]
        ui = {
            "position": {"left": 40 + 300 * (y % 2), "top": 40 + 200 * y},
            "type": "execute_actions",
        }
        if step.is_question:
            ui["type"] = "wait_for_response"
        return node, ui

    def router(self, step: Step) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        categories: list[dict[str, Any]] = []
        cases: list[dict[str, Any]] = []
        exits: list[dict[str, Any]] = []
        flow_id = self.flow.id

        def category(key: str, names: dict[str, str], target: str) -> str:
            cat_uuid = _uuid(flow_id, "category", step.id, key)
            exit_uuid = _uuid(flow_id, "exit", step.id, key)
            categories.append({"uuid": cat_uuid, "name": names[self.base], "exit_uuid": exit_uuid})
            exits.append({"uuid": exit_uuid, "destination_uuid": self.node_uuid(target)})
            self.translate(cat_uuid, "name", names)
            return cat_uuid

        for answer in self.answers(step):
            cat_uuid = category(answer.key, answer.names, self.target_for(step, answer.value))
            for n, test in enumerate(answer.tests):
                case_uuid = _uuid(flow_id, "case", step.id, answer.key, n)
                cases.append(
                    {
                        "uuid": case_uuid,
                        "type": test.kind,
                        "arguments": test.arguments,
                        "category_uuid": cat_uuid,
                    }
                )
                self.translate(case_uuid, "arguments", test.translated)
        if step.type is StepType.TEXT:
            names = {lang: _ANY[lang] for lang in self.flow.languages}
            target = self.default_target(step)
        else:
            names = {lang: _OTHER[lang] for lang in self.flow.languages}
            target = step.id  # replies that fit nothing are asked again, as here
        if step.type in (StepType.TEXT, StepType.NUMBER, StepType.DATE) and any(
            r.condition is not None for r in step.next
        ):
            self.unmapped.append(f"{step.id}: branches on a {step.type.value} answer not exported")
        router = {
            "type": "switch",
            "wait": {"type": "msg"},
            "operand": "@input.text",
            "result_name": step.id,
            "categories": categories,
            "cases": cases,
            "default_category_uuid": category("other", names, target),
        }
        return router, exits

    def answers(self, step: Step) -> list[_Answer]:
        base, langs = self.base, self.flow.languages
        if step.type in (StepType.CHOICE, StepType.MULTI_CHOICE):
            if step.type is StepType.MULTI_CHOICE:
                self.unmapped.append(f"{step.id}: several answers at once written as one choice")
            out = []
            for option in step.options:
                tests = [_Test("has_phrase", [option.label[base]], _one(option.label))]
                if option.aliases.get(base):
                    # Each alias a phrase of its own: has_any_word would let "the" pick an option.
                    for i, alias in enumerate(option.aliases[base]):
                        translated = {
                            lang: [words[i]]
                            for lang, words in option.aliases.items()
                            if lang != base and i < len(words)
                        }
                        tests.append(_Test("has_phrase", [alias], translated))
                out.append(_Answer(option.value, option.label, option.value, tests))
            return out
        if step.type is StepType.YES_NO:
            yes = {lang: _YES[lang] for lang in langs} | (step.yes_label or {})
            no = {lang: _NO[lang] for lang in langs} | (step.no_label or {})
            return [
                _Answer("yes", {**yes, base: "Yes"}, True, [_words_test(_YES_WORDS, base, langs)]),
                _Answer("no", {**no, base: "No"}, False, [_words_test(_NO_WORDS, base, langs)]),
            ]
        if step.type is StepType.SCALE:
            return [
                _Answer(str(p.value), p.label, p.value, [_Test("has_number_eq", [str(p.value)])])
                for p in step.points
            ]
        if step.type is StepType.NUMBER:
            low = "-999999999" if step.minimum is None else _num(step.minimum)
            high = "999999999" if step.maximum is None else _num(step.maximum)
            names = {lang: _NUMBER[lang] for lang in langs}
            return [_Answer("number", names, None, [_Test("has_number_between", [low, high])])]
        if step.type is StepType.DATE:
            names = {lang: _DATE[lang] for lang in langs}
            return [_Answer("date", names, None, [_Test("has_date", [])])]
        return []

    def target_for(self, step: Step, value: Any) -> str:
        """Where an answer with this value goes: the first route whose condition it meets."""
        for route in step.next:
            if route.condition is None:
                return route.go
            if value is not None and self.holds(step, route, value):
                return route.go
        return self.default_target(step)

    def holds(self, step: Step, route: Route, value: Any) -> bool:
        assert route.condition is not None
        others = ex.names(route.condition) - {step.id}
        if others:
            self.unmapped.append(
                f"{step.id}: the condition {route.source!r} uses other answers and is not exported"
            )
            return False
        return ex.evaluate(route.condition, {step.id: value}, {step.id: None})


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _ours_to_theirs(text: str) -> str:
    """{first_name} is the contact's; every other variable is what the flow is started with."""
    text = text.replace("{first_name}", "@contact.first_name")
    return _VARIABLE.sub(r"@trigger.params.\1", text)


def export_flow(flow: Flow) -> tuple[dict[str, Any], list[str]]:
    """The export document for one flow, and what could not be written into it."""
    writer = _Writer(flow)
    nodes, ui = [], {}
    for y, step in enumerate(flow.steps):
        node, place = writer.node(step, y)
        nodes.append(node)
        ui[node["uuid"]] = place
    document = {
        "version": "13",
        "site": "https://sendvoice.invalid",
        "flows": [
            {
                "uuid": _uuid(flow.id, "flow"),
                "name": flow.title,
                "spec_version": EXPORT_SPEC,
                "language": TO_THEIRS[flow.default_language],
                "type": "messaging",
                "revision": flow.version,
                "expire_after_minutes": int(flow.expires_after.total_seconds() // 60),
                "localization": writer.localization,
                "nodes": nodes,
                "_ui": {"nodes": ui},
            }
        ],
        "campaigns": [],
        "triggers": [],
        "fields": [],
        "groups": [],
    }
    if flow.start_keyword:
        document["triggers"] = [
            {
                "trigger_type": "K",
                "keywords": [flow.start_keyword.lower()],
                "match_type": "F",
                "flow": {"uuid": _uuid(flow.id, "flow"), "name": flow.title},
                "groups": [],
                "exclude_groups": [],
            }
        ]
    return document, list(dict.fromkeys(writer.unmapped))
