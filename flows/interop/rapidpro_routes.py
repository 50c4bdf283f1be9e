"""One RapidPro wait-for-reply node as a question: its type from the router's tests, its options from
the categories, and its `next` conditions from where each category's exit leads."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Protocol

from flows.interop.rapidpro_common import (
    DATE_TESTS,
    NO_RESPONSE,
    NUMBER_TESTS,
    OTHER,
    TEXT_TESTS,
    WORD_TESTS_LOOSE,
    items,
    obj,
    slug,
)


class Reader(Protocol):
    """What a question needs from the flow being read: ids, texts in every language, notes."""

    langs: list[str]
    loc: dict[str, dict[str, Any]]
    asker: dict[str, str]

    def note(self, where: str, what: str) -> None: ...

    def new_id(self, wanted: str) -> str: ...

    def text(self, base: str, uuid: str, key: str, where: str) -> dict[str, str]: ...


Routes = list[tuple[str | None, str | None]]
_SPLIT_WORDS = re.compile(r"[\s,]+")
_NUMBER_OPS = {
    "has_number_lt": "<",
    "has_number_lte": "<=",
    "has_number_eq": "==",
    "has_number_gte": ">=",
    "has_number_gt": ">",
}


class Node:
    def __init__(self, index: int, raw: dict[str, Any]) -> None:
        self.index = index
        self.raw = raw
        self.uuid = str(raw["uuid"])
        self.actions: list[dict[str, Any]] = [
            a for a in items(raw.get("actions")) if isinstance(a, dict)
        ]
        self.exits: list[dict[str, Any]] = [
            e for e in items(raw.get("exits")) if isinstance(e, dict)
        ]
        router = raw.get("router")
        self.router: dict[str, Any] | None = router if isinstance(router, dict) else None

    @property
    def wait_type(self) -> str | None:
        wait = (self.router or {}).get("wait")
        return str(wait.get("type")) if isinstance(wait, dict) else None

    @property
    def waits_for_text(self) -> bool:
        operand = str((self.router or {}).get("operand") or "@input.text")
        return (
            (self.router or {}).get("type") == "switch"
            and self.wait_type == "msg"
            and operand.startswith("@input")
        )

    def exit_destination(self, index: int) -> str | None:
        if index < len(self.exits):
            dest = self.exits[index].get("destination_uuid")
            return str(dest) if dest else None
        return None

    def category_destination(self, category: dict[str, Any]) -> str | None:
        for exit_ in self.exits:
            if exit_.get("uuid") == category.get("exit_uuid"):
                dest = exit_.get("destination_uuid")
                return str(dest) if dest else None
        return None

    def categories(self) -> list[dict[str, Any]]:
        return [c for c in items((self.router or {}).get("categories")) if isinstance(c, dict)]

    def default_way(self) -> tuple[str | None, str]:
        """The first category whose exit leads anywhere (a webhook's Success, a sub-flow's
        Complete, the first bucket), and its name: the way most people would go."""
        for cat in self.categories():
            dest = self.category_destination(cat)
            if dest:
                return dest, str(cat.get("name") or "?")
        return self.exit_destination(0), "the first exit"


def _words(case: dict[str, Any], args: list[Any]) -> list[str]:
    if case.get("type") == "has_any_word":
        return [w for a in args for w in _SPLIT_WORDS.split(str(a)) if w]
    return [str(a).strip() for a in args[:1] if str(a).strip()]


def _number(value: Any) -> int | float | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def question_for(node: Node, reader: Reader) -> tuple[dict[str, Any], Routes] | None:
    router = node.router or {}
    cats = node.categories()
    default_uuid = router.get("default_category_uuid")
    timeout = obj(obj(router.get("wait")).get("timeout")).get("category_uuid")
    other = [
        c for c in cats if c.get("uuid") == default_uuid or str(c.get("name")).lower() == OTHER
    ]
    named = [
        c
        for c in cats
        if c not in other and c.get("uuid") != timeout and str(c.get("name")).lower() != NO_RESPONSE
    ]
    cases = [c for c in items(router.get("cases")) if isinstance(c, dict)]
    by_category: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        by_category.setdefault(str(case.get("category_uuid")), []).append(case)
    tests = {str(c.get("type")) for c in cases}
    where = f"node {node.index + 1}"
    if timeout or any(str(c.get("name")).lower() == NO_RESPONSE for c in cats):
        reader.note(where, "the 'No Response' timeout is not imported: the flow's expiry ends it")
    result = str(router.get("result_name") or f"question {node.index + 1}")
    step: dict[str, Any] = {"id": reader.new_id(slug(result, fallback="q")), "type": "text"}
    qid = step["id"]
    # Where replies that fit nothing go: back here is the engine's own re-ask.
    other_dest = node.category_destination(other[0]) if other else None
    loops = other_dest in (node.uuid, reader.asker.get(node.uuid), None)
    routes: Routes = []

    def to(cat: dict[str, Any], condition: str | None) -> None:
        routes.append((condition, node.category_destination(cat)))

    names = {str(c.get("name")).strip().lower() for c in named}
    if named and tests and tests <= WORD_TESTS_LOOSE and names == {"yes", "no"}:
        step["type"] = "yes_no"
        for cat in named:
            to(cat, f"{qid} == {str(cat.get('name')).strip().lower()}")
    elif named and tests and tests <= WORD_TESTS_LOOSE:
        step["type"] = "choice"
        options, values = [], set()
        for cat in named:
            value = slug(str(cat.get("name")), fallback="option", limit=30)
            while value in values:
                value += "_2"
            values.add(value)
            cat_uuid = str(cat.get("uuid"))
            label = reader.text(str(cat.get("name")), cat_uuid, "name", where)
            aliases: dict[str, list[str]] = {}
            for lang in reader.langs:
                found: list[str] = []
                for case in by_category.get(cat_uuid, []):
                    args = items(case.get("arguments"))
                    if lang != reader.langs[0]:
                        args = items(
                            obj(reader.loc[lang].get(str(case.get("uuid")))).get("arguments")
                        )
                    found += [w for w in _words(case, args) if w.lower() != label[lang].lower()]
                if found:
                    aliases[lang] = list(dict.fromkeys(found))
            option: dict[str, Any] = {"value": value, "label": label}
            if aliases:
                option["aliases"] = aliases
            options.append(option)
            to(cat, f'{qid} == "{value}"')
        step["options"] = options
    elif named and tests == {"has_number_eq"} and _is_scale(named, by_category):
        step["type"] = "scale"
        points = sorted(
            (_number(by_category[str(c.get("uuid"))][0]["arguments"][0]), c) for c in named
        )
        step["range"] = [points[0][0], points[-1][0]]
        step["labels"] = {
            n: reader.text(str(c.get("name")), str(c.get("uuid")), "name", where) for n, c in points
        }
        for n, cat in points:
            to(cat, f"{qid} == {n}")
    elif named and tests and tests <= NUMBER_TESTS:
        step["type"] = "number"
        bounds = [c for c in cases if c.get("type") == "has_number_between"]
        if len(bounds) == 1 == len(cases):
            low, high = (_number(a) for a in (bounds[0].get("arguments") or [None, None])[:2])
            if low is not None and high is not None:
                step["min"], step["max"] = low, high
                step["integer"] = isinstance(low, int) and isinstance(high, int)
        for cat in named:
            parts = [_number_condition(qid, c) for c in by_category.get(str(cat.get("uuid")), [])]
            parts = [p for p in parts if p]
            to(
                cat,
                " or ".join(f"({p})" for p in parts) if len(parts) > 1 else (parts or [None])[0],
            )
    elif named and tests and tests <= DATE_TESTS:
        step["type"] = "date"
        if len({node.category_destination(c) for c in named}) > 1:
            reader.note(where, "branches on dates are not imported; every date goes the same way")
        routes.append((None, node.category_destination(named[0])))
    else:
        if tests - TEXT_TESTS:
            unknown = ", ".join(sorted(tests - TEXT_TESTS))
            reader.note(where, f"tests {unknown} not imported: the reply is kept as text")
        for cat in named:
            routes.append((None, node.category_destination(cat)))
    if step["type"] != "text":
        # Most replies go where most categories go: that is the way with no condition.
        common = Counter(dest for cond, dest in routes).most_common(1)
        fallback = other_dest if not loops else (common[0][0] if common else None)
        routes = [(c, d) for c, d in routes if d != fallback] + [(None, fallback)]
    elif not routes:
        routes = [(None, other_dest if not loops else None)]
    if not loops and step["type"] != "text":
        reader.note(where, "replies that fit no category are asked again, then go the 'Other' way")
    return step, routes


def _is_scale(named: list[dict[str, Any]], by_category: dict[str, list[dict[str, Any]]]) -> bool:
    values = []
    for cat in named:
        cases = by_category.get(str(cat.get("uuid")), [])
        if len(cases) != 1:
            return False
        value = _number((cases[0].get("arguments") or [None])[0])
        if not isinstance(value, int):
            return False
        values.append(value)
    values.sort()
    return 2 <= len(values) <= 11 and values == list(range(values[0], values[0] + len(values)))


def _number_condition(qid: str, case: dict[str, Any]) -> str | None:
    kind = case.get("type")
    args = [_number(a) for a in items(case.get("arguments"))]
    if kind == "has_number_between" and len(args) >= 2 and None not in args[:2]:
        return f"{qid} >= {args[0]} and {qid} <= {args[1]}"
    if kind in _NUMBER_OPS and args and args[0] is not None:
        return f"{qid} {_NUMBER_OPS[str(kind)]} {args[0]}"
    if kind == "has_number":
        return f"answered({qid})"
    return None
