"""Read a RapidPro/TextIt export (spec 13.x to 14.x) into flow files, listing all that does not map.

What maps: `send_msg` texts; a wait for a reply whose router tests words (choice, or yes_no when the
categories are Yes and No), numbers (number, or scale when each category is one whole number), dates
(date) or nothing but text (text); categories and their exits become `next` conditions; an Other
category that loops back is the engine's own re-ask; `localization` becomes languages; a keyword
trigger becomes the start keyword; `expire_after_minutes` becomes `expires_after`. Everything else
(webhooks, contact fields and groups, sub-flows, random splits, splits on fields, media, campaigns,
triggers of other kinds, tickets, classifiers) is listed with where it was, and the flow carries on
along the exit a person would most often take. Nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import yaml

from flows.interop import rapidpro_common as common
from flows.interop.rapidpro_common import (
    SPEC_MAJORS,
    TO_OURS,
    RapidProError,
    duration,
    slug,
    spec_major,
)
from flows.interop.rapidpro_routes import Node, question_for
from flows.schema import END, STANDARD_VARIABLES

NOT_MAPPED = {
    "call_webhook": "a webhook call",
    "call_resthook": "a resthook call",
    "call_classifier": "a classifier (NLU) call",
    "call_llm": "an AI (LLM) call",
    "set_contact_field": "setting a contact field",
    "set_contact_name": "setting the contact's name",
    "set_contact_language": "setting the contact's language",
    "set_contact_channel": "setting the contact's channel",
    "set_contact_status": "setting the contact's status",
    "set_contact_timezone": "setting the contact's time zone",
    "add_contact_groups": "adding the contact to groups",
    "remove_contact_groups": "removing the contact from groups",
    "add_contact_urn": "adding a contact address",
    "add_input_labels": "labelling the message",
    "enter_flow": "a sub-flow",
    "start_session": "starting other contacts in a flow",
    "send_broadcast": "a broadcast to other contacts",
    "send_email": "an email",
    "open_ticket": "a ticket",
    "transfer_airtime": "an airtime transfer",
    "set_run_result": "saving a result without a question",
    "request_optin": "an opt-in request",
    "play_audio": "audio (voice flows)",
    "say_msg": "a spoken message (voice flows)",
}
_EXPRESSION = re.compile(
    r"@\(?(contact|results|fields|input|run|child|parent|webhook|trigger|urns|globals|locals|resume)"
    r"(\.[a-z0-9_]+)*\)?|@\([^)]*\)",
    re.I,
)
_NAME = re.compile(r"@\(?contact\.(first_name|name)\)?", re.I)
# What a flow is started with (an event's name, a summary of actions): our {variables}.
_PARAM = re.compile(r"@\(?trigger\.params\.([a-z][a-z0-9_]*)\)?")


@dataclass(frozen=True)
class Unmapped:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(frozen=True)
class ImportedFlow:
    flow_id: str
    title: str
    data: dict[str, Any]
    unmapped: tuple[Unmapped, ...]

    def yaml(self) -> str:
        header = (
            f"# Imported from a RapidPro/TextIt export ({self.title}).\n"
            "# Check the texts and the audience before sending it to anyone.\n"
        )
        return header + yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, width=100)


@dataclass(frozen=True)
class ImportResult:
    flows: tuple[ImportedFlow, ...]
    unmapped: tuple[Unmapped, ...]  # what the export held beside its flows


def read_export(doc: Any) -> ImportResult:
    if not isinstance(doc, dict):
        raise RapidProError("expected a RapidPro/TextIt export: a JSON object with 'flows'")
    raw_flows = doc.get("flows")
    if not isinstance(raw_flows, list) or not raw_flows:
        raise RapidProError("the export has no 'flows' list")
    keywords, extra = _triggers(doc)
    for key, what in (("campaigns", "campaign"), ("fields", "contact field"), ("groups", "group")):
        items = common.items(doc.get(key))
        if isinstance(items, list) and items:
            names = ", ".join(str(_get(i, "name") or _get(i, "key") or "?") for i in items[:5])
            extra.append(
                Unmapped(f"export {key}", f"{len(items)} {what}(s) not imported ({names})")
            )
    flows: list[ImportedFlow] = []
    taken: set[str] = set()
    for index, raw in enumerate(raw_flows):
        where = f"flows[{index}]"
        if not isinstance(raw, dict):
            raise RapidProError(f"{where}: expected a flow object")
        if "action_sets" in raw or "rule_sets" in raw:
            name = raw.get("name") or common.obj(raw.get("metadata")).get("name") or "?"
            raise RapidProError(
                f"{where} ({name}): a legacy export (before spec 13); "
                "open it in a current RapidPro or TextIt and export it again"
            )
        major = spec_major(raw.get("spec_version"))
        if major not in SPEC_MAJORS:
            raise RapidProError(
                f"{where} ({raw.get('name', '?')}): spec_version {raw.get('spec_version')!r} is not "
                "supported (13.x to 14.x)"
            )
        imported = _FlowReader(raw, where, keywords.get(str(raw.get("uuid")), [])).read(taken)
        taken.add(imported.flow_id)
        flows.append(imported)
    return ImportResult(tuple(flows), tuple(extra))


def _askers(nodes: list[Node]) -> dict[str, str]:
    """{wait node: the message node just before it}, when that node is its only way in and leads
    nowhere else (the editor's usual "send a message, then wait for the reply")."""
    into: Counter[str] = Counter()
    for node in nodes:
        for exit_ in node.exits:
            if exit_.get("destination_uuid"):
                into[str(exit_["destination_uuid"])] += 1
    found: dict[str, str] = {}
    for node in nodes:
        dests = [str(e.get("destination_uuid")) for e in node.exits]
        if node.router is None and node.actions and len(dests) == 1 and into[dests[0]] == 1:
            found[dests[0]] = node.uuid
    return found


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else None


def _triggers(doc: dict[str, Any]) -> tuple[dict[str, list[str]], list[Unmapped]]:
    keywords: dict[str, list[str]] = {}
    extra: list[Unmapped] = []
    for index, trigger in enumerate(common.items(doc.get("triggers"))):
        flow_uuid = str(_get(_get(trigger, "flow"), "uuid"))
        kind = _get(trigger, "trigger_type")
        words = _get(trigger, "keywords") or (
            [_get(trigger, "keyword")] if _get(trigger, "keyword") else []
        )
        if kind == "K" and words:
            keywords.setdefault(flow_uuid, []).extend(str(w) for w in words)
        else:
            extra.append(Unmapped(f"triggers[{index}]", f"a trigger of type {kind!r} not imported"))
    return keywords, extra


@dataclass
class _Plan:
    """What one node becomes: its steps in order, and where its last step goes."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    routes: list[tuple[str | None, str | None]] = field(default_factory=list)  # (condition, node)


class _FlowReader:
    def __init__(self, raw: dict[str, Any], where: str, keywords: list[str]) -> None:
        self.raw = raw
        self.name = str(raw.get("name") or "Imported flow")
        self.where = f"{where} ({self.name})"
        self.keywords = keywords
        self.unmapped: list[Unmapped] = []
        base = str(raw.get("language") or "eng")
        localization = common.obj(raw.get("localization"))
        self.langs: list[str] = []
        self.loc: dict[str, dict[str, Any]] = {}
        for theirs in [base, *[k for k in localization if k != base]]:
            ours = TO_OURS.get(theirs)
            if ours is None:
                self.note("languages", f"language {theirs!r} not imported (only English and Welsh)")
                continue
            if ours not in self.langs:
                self.langs.append(ours)
                self.loc[ours] = common.obj(localization.get(theirs)) if theirs != base else {}
        if not self.langs:
            raise RapidProError(f"{self.where}: its base language {base!r} is not English or Welsh")
        nodes = raw.get("nodes")
        if not isinstance(nodes, list) or not nodes:
            raise RapidProError(f"{self.where}: the flow has no nodes")
        self.nodes: list[Node] = []
        for i, node in enumerate(nodes):
            if not isinstance(node, dict) or "uuid" not in node:
                raise RapidProError(f"{self.where}.nodes[{i}]: expected a node with a uuid")
            self.nodes.append(Node(i, node))
        self.by_uuid = {n.uuid: n for n in self.nodes}
        self.asker = _askers(self.nodes)
        self.variables: set[str] = set()
        self.ids: set[str] = set()
        self.missing_translation: set[str] = set()

    def note(self, where: str, what: str) -> None:
        self.unmapped.append(Unmapped(f"{self.where} {where}", what))

    def new_id(self, wanted: str) -> str:
        candidate, n = wanted[:60], 2
        while candidate in self.ids or candidate == END:
            candidate, n = f"{wanted[:56]}_{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def text(self, base: str, uuid: str, key: str, where: str) -> dict[str, str]:
        """A text in every language: its translation, else the base text (listed for review)."""
        out: dict[str, str] = {}
        for lang in self.langs:
            if lang == self.langs[0]:
                out[lang] = self.expressions(base, where)
                continue
            translated = common.items(common.obj(self.loc[lang].get(uuid)).get(key))
            if translated and isinstance(translated[0], str) and translated[0].strip():
                out[lang] = self.expressions(translated[0], where)
            else:
                out[lang] = out[self.langs[0]]
                self.missing_translation.add(lang)
        return out

    def expressions(self, text: str, where: str) -> str:
        text = _NAME.sub("{first_name}", text)
        for name in _PARAM.findall(text):
            if name not in STANDARD_VARIABLES:
                self.variables.add(name)
        text = _PARAM.sub(r"{\1}", text)
        # Braces are ours: an author's literal braces would read as a variable.
        left = [m.group(0) for m in _EXPRESSION.finditer(text)]
        if left:
            self.note(
                where, f"expression(s) {', '.join(sorted(set(left)))} left in the text: rewrite"
            )
        return text

    # -- reading nodes ---------------------------------------------------------------------------

    def read(self, taken: set[str]) -> ImportedFlow:
        plans = {n.uuid: self.plan(n) for n in self.nodes}
        self.merge_questions(plans)
        entry: dict[str, str] = {}

        def start_of(uuid: str | None, seen: frozenset[str] = frozenset()) -> str:
            if uuid is None:
                return END
            if uuid in entry:
                return entry[uuid]
            if uuid not in plans or uuid in seen:
                if uuid not in plans:
                    self.note("exits", f"an exit leads to a node that is not in the flow ({uuid})")
                return END
            plan = plans[uuid]
            if plan.steps:
                entry[uuid] = plan.steps[0]["id"]
            else:
                entry[uuid] = start_of(plan.routes[0][1] if plan.routes else None, seen | {uuid})
            return entry[uuid]

        steps: list[dict[str, Any]] = []
        for node in self.nodes:
            plan = plans[node.uuid]
            for i, step in enumerate(plan.steps):
                if i + 1 < len(plan.steps):
                    step["_go"] = [(None, plan.steps[i + 1]["id"])]
                else:
                    step["_go"] = [(cond, start_of(dest)) for cond, dest in plan.routes] or [
                        (None, END)
                    ]
                steps.append(step)
        if not steps:
            raise RapidProError(
                f"{self.where}: nothing in the flow sends a message or asks anything"
            )
        first = start_of(self.nodes[0].uuid)
        if steps[0]["id"] != first:
            steps.sort(key=lambda s: s["id"] != first)  # the entry node's step must come first
        for i, step in enumerate(steps):
            self.routes_to_next(step, steps[i + 1]["id"] if i + 1 < len(steps) else END)
        return self.flow_data(steps, taken)

    def plan(self, node: Node) -> _Plan:
        plan = _Plan()
        for action in node.actions:
            kind = action.get("type")
            where = f"node {node.index + 1} action {kind}"
            if kind == "send_msg":
                text = str(action.get("text") or "")
                if action.get("attachments"):
                    self.note(where, "media attachments not imported (the text is)")
                if action.get("templating") or action.get("template"):
                    self.note(where, "a WhatsApp template not imported (the text is)")
                if not text.strip():
                    continue
                plan.steps.append(
                    {
                        "id": self.new_id(f"message_{node.index + 1}"),
                        "type": "message",
                        "say": self.text(text, str(action.get("uuid")), "text", where),
                        "_quick": common.items(action.get("quick_replies")),
                    }
                )
            else:
                self.note(where, f"{NOT_MAPPED.get(str(kind), f'action {kind!r}')} not imported")
        router = node.router
        if router is None:
            plan.routes = [(None, node.exit_destination(0))]
            return plan
        question = question_for(node, self) if node.waits_for_text else None
        if question is None:
            plan.routes = [(None, self.passthrough(node))]
            return plan
        step, routes = question
        if plan.steps:
            last = plan.steps.pop()
            step["ask"] = last["say"]
            step["_quick"] = last["_quick"]
            self.ids.discard(last["id"])
        plan.steps.append(step)
        plan.routes = routes
        return plan

    def passthrough(self, node: Node) -> str | None:
        """A split we cannot run: say what it was, and carry on along its default way."""
        router = node.router or {}
        operand = str(router.get("operand") or "")
        cases = common.items(router.get("cases"))
        if router.get("type") == "random":
            what = "a random split"
        elif "@fields" in operand or "@contact.fields" in operand:
            what = "a split on a contact field"
        elif "@webhook" in operand or "webhook" in str(router.get("result_name", "")).lower():
            what = "a split on a webhook's result"
        elif any(_get(c, "type") == "has_group" for c in cases) or "groups" in operand:
            what = "a split by contact group"
        elif node.wait_type not in (None, "msg"):
            what = f"a wait of type {node.wait_type!r}"
        else:
            what = f"a split on {operand or 'an expression'}"
        dest, category = node.default_way()
        self.note(f"node {node.index + 1}", f"{what} not imported; the flow follows '{category}'")
        return dest

    def merge_questions(self, plans: dict[str, _Plan]) -> None:
        """A wait with no message of its own asks the message of the node just before it."""
        for node in self.nodes:
            plan = plans[node.uuid]
            if not plan.steps or plan.steps[-1]["type"] == "message" or "ask" in plan.steps[-1]:
                continue
            question = plan.steps[-1]
            asker = self.asker.get(node.uuid)
            if asker is not None and plans[asker].steps:
                last = plans[asker].steps.pop()
                self.ids.discard(last["id"])
                question["ask"] = last["say"]
                question["_quick"] = last["_quick"]
                continue
            question["ask"] = {lang: "Please reply." for lang in self.langs}
            self.note(
                f"node {node.index + 1}", "a wait with no message before it: write its question"
            )

    def routes_to_next(self, step: dict[str, Any], following: str) -> None:
        go: list[tuple[str | None, str]] = step.pop("_go")
        quick = step.pop("_quick", [])
        if quick and step["type"] not in ("choice", "yes_no", "scale", "message"):
            self.note(f"step {step['id']}", "quick replies not imported (the question is)")
        default = [dest for cond, dest in go if cond is None]
        target = default[-1] if default else END
        conditional = [
            {"if": cond, "go": dest} for cond, dest in go if cond is not None and dest != target
        ]
        if conditional or target != following:
            step["next"] = [*conditional, {"go": target}]

    def flow_data(self, steps: list[dict[str, Any]], taken: set[str]) -> ImportedFlow:
        flow_id = slug(self.name, fallback="flow")
        n = 2
        while flow_id in taken:
            flow_id, n = f"{slug(self.name, fallback='flow')}_{n}", n + 1
        data: dict[str, Any] = {
            "format": 1,
            "id": flow_id,
            "version": 1,
            "title": self.name[:120],
            "description": f"Imported from a RapidPro/TextIt export (flow {self.raw.get('uuid')}).",
            "audience": "any",
            "languages": self.langs,
        }
        self.note("audience", "set to 'any': change it to parent or young_person")
        words = [re.sub(r"[^A-Z0-9]", "", w.upper()) for w in self.keywords]
        words = [w for w in words if 2 <= len(w) <= 20]
        if words:
            data["start_keyword"] = words[0]
            if len(words) > 1:
                self.note("triggers", f"only the first keyword is the start keyword ({words[0]})")
        minutes = self.raw.get("expire_after_minutes")
        if isinstance(minutes, int) and minutes > 0:
            data["expires_after"] = duration(minutes)
        if self.missing_translation:
            review = sorted(self.missing_translation)
            data["translation_review"] = review
            self.note(
                "localization", f"texts with no {', '.join(review)} translation use the base text"
            )
        if self.variables:
            data["variables"] = sorted(self.variables)
        data["steps"] = steps
        return ImportedFlow(flow_id, self.name, data, tuple(self.unmapped))
