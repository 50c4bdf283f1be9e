"""The flow editor's form and the flow file it stands for, each turned into the other.

    from_yaml(text) -> FlowForm        a flow file as the form shows it (raises FormError if the
                                       text is not YAML or not shaped like a flow at all)
    from_fields(form) -> FlowForm      what the browser posted
    to_yaml(FlowForm) -> str           the flow file the loader checks, with conditions written
                                       by the condition builder

The form never decides whether a flow is right: that is the loader's job (flows.loader), so an
officer reads the very errors `sendvoice flows validate` gives. Half-written steps survive a round
trip, so nothing typed is lost while the loader still objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.web.dashboard.editor_conditions import NO_VALUE as NO_VALUE
from bot.web.dashboard.editor_conditions import OPERATORS as OPERATORS
from bot.web.dashboard.editor_conditions import Branch as Branch
from bot.web.dashboard.editor_conditions import condition as condition
from bot.web.dashboard.editor_conditions import parse_condition as parse_condition
from bot.web.dashboard.editor_values import as_text as _s
from bot.web.dashboard.editor_values import bool_word as _bool_word
from bot.web.dashboard.editor_values import text_out as _text_out
from bot.web.dashboard.editor_values import texts as _text
from bot.web.dashboard.editor_values import to_int as _int
from bot.web.dashboard.editor_values import to_key as _key
from bot.web.dashboard.editor_values import to_number as _number

LANGUAGES = ("en", "cy")
STEP_TYPES = {
    "message": "Message (nothing to answer)",
    "yes_no": "Yes or no",
    "choice": "Choice (pick one)",
    "multi_choice": "Multiple choice (pick one or more)",
    "scale": "Scale (1 to 5, say)",
    "text": "Their own words",
    "number": "A number",
    "date": "A date",
}
SPECIALS = {"skip": "Skip", "dont_know": "Don't know", "prefer_not_to_say": "Prefer not to say"}
TOP_KEYS = (
    "format",
    "id",
    "version",
    "title",
    "description",
    "audience",
    "who_answered",
    "languages",
    "translation_review",
    "start_keyword",
    "expires_after",
    "max_reprompts",
    "variables",
    "help",
)


class FormError(ValueError):
    """The text cannot be shown as a form: edit it as YAML instead."""


@dataclass
class Choice:
    value: str = ""
    label: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # comma-separated words per language
    emoji: str = ""
    exclusive: bool = False

    @property
    def blank(self) -> bool:
        return not (self.value or any(self.label.values()))


@dataclass
class StepForm:
    id: str = ""
    type: str = "message"
    text: dict[str, str] = field(default_factory=dict)
    help: dict[str, str] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)
    options: list[Choice] = field(default_factory=list)
    range_lo: str = "1"
    range_hi: str = "5"
    points: dict[str, dict[str, str]] = field(default_factory=dict)  # "1" -> {lang: label}
    point_emoji: dict[str, str] = field(default_factory=dict)
    yes_label: dict[str, str] = field(default_factory=dict)
    no_label: dict[str, str] = field(default_factory=dict)
    gate: bool = False  # yes_no: asked before the engine's "who is answering?"
    max_length: str = ""
    minimum: str = ""
    maximum: str = ""
    integer: bool = True
    min_choices: str = ""
    max_choices: str = ""
    branches: list[Branch] = field(default_factory=list)

    @property
    def is_question(self) -> bool:
        return self.type != "message"

    def scale_values(self) -> list[str]:
        lo, hi = _int(self.range_lo), _int(self.range_hi)
        if lo is None or hi is None or not 0 <= hi - lo <= 10:
            return []
        return [str(n) for n in range(lo, hi + 1)]


@dataclass
class FlowForm:
    id: str = ""
    title: str = ""
    description: str = ""
    audience: str = "parent"
    languages: list[str] = field(default_factory=lambda: ["en"])
    start_keyword: str = ""
    expires_after: str = "3d"
    who_answered: str = ""
    steps: list[StepForm] = field(default_factory=list)
    # Top-level fields the form has no place for (version, variables, help...): kept as they were.
    kept: dict[str, Any] = field(default_factory=dict)

    def questions_before(self, index: int) -> list[StepForm]:
        return [s for s in self.steps[:index] if s.is_question and s.id]

    def steps_after(self, index: int) -> list[StepForm]:
        return [s for s in self.steps[index + 1 :] if s.id]


def new_step(step_type: str) -> StepForm:
    step = StepForm(type=step_type if step_type in STEP_TYPES else "message")
    if step.type != "message":
        step.allow = ["skip"]
    if step.type in ("choice", "multi_choice"):
        step.options = [Choice(), Choice()]
    return step


def padded(form: FlowForm) -> FlowForm:
    """One empty option and one empty branch row at the end of each step, to fill in."""
    for step in form.steps:
        if step.type in ("choice", "multi_choice") and (
            not step.options or not step.options[-1].blank
        ):
            step.options.append(Choice())
        if (step.is_question or step.branches) and (
            not step.branches or not step.branches[-1].blank
        ):
            step.branches.append(Branch())
    return form


# --- from the flow file ---------------------------------------------------------------------


def from_yaml(text: str) -> FlowForm:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FormError(f"the text is not readable YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise FormError("the text is not a flow: it should start with format, id, title...")
    return from_data(data)


def from_data(data: Mapping[str, Any]) -> FlowForm:
    languages = [str(x) for x in data.get("languages") or ["en"]]
    form = FlowForm(
        id=_s(data.get("id")),
        title=_s(data.get("title")),
        description=_s(data.get("description")).strip(),
        audience=_s(data.get("audience")) or "parent",
        languages=languages,
        start_keyword=_s(data.get("start_keyword")),
        expires_after=_s(data.get("expires_after")) or "3d",
        who_answered=_who(data.get("who_answered")),
    )
    form.kept = {
        k: v
        for k, v in data.items()
        if k
        not in {
            "id",
            "title",
            "description",
            "audience",
            "languages",
            "start_keyword",
            "expires_after",
            "who_answered",
            "steps",
        }
    }
    steps = data.get("steps")
    if steps is not None and not isinstance(steps, list):
        raise FormError("`steps` should be a list")
    for raw in steps or []:
        if not isinstance(raw, dict):
            raise FormError("each step should be a set of fields (id, type, ask...)")
        form.steps.append(_step_from(raw, languages))
    return form


def _who(value: Any) -> str:
    if value is False:  # YAML reads a bare `off` as false
        return "off"
    return _s(value)


def _step_from(raw: Mapping[str, Any], languages: list[str]) -> StepForm:
    step_type = _s(raw.get("type")) or "message"
    step = StepForm(
        id=_s(raw.get("id")),
        type=step_type,
        text=_text(raw.get("say" if step_type == "message" else "ask"), languages),
        help=_text(raw.get("help"), languages),
        allow=[_s(a) for a in raw.get("allow") or []] if isinstance(raw.get("allow"), list) else [],
    )
    for item in raw.get("options") or []:
        if isinstance(item, dict):
            aliases = item.get("aliases") or {}
            step.options.append(
                Choice(
                    value=_s(item.get("value")),
                    label=_text(item.get("label"), languages),
                    aliases={
                        lang: ", ".join(_s(w) for w in words or [])
                        for lang, words in aliases.items()
                    }
                    if isinstance(aliases, dict)
                    else {},
                    emoji=_s(item.get("emoji")),
                    exclusive=item.get("exclusive") is True,
                )
            )
    if step_type == "scale":
        rng = raw.get("range")
        if isinstance(rng, list) and len(rng) == 2:
            step.range_lo, step.range_hi = _s(rng[0]), _s(rng[1])
        labels = raw.get("labels") or {}
        emoji = raw.get("emoji") or {}
        if isinstance(labels, dict):
            step.points = {_s(k): _text(v, languages) for k, v in labels.items()}
        if isinstance(emoji, dict):
            step.point_emoji = {_s(k): _s(v) for k, v in emoji.items()}
    if step_type == "yes_no" and isinstance(raw.get("labels"), dict):
        labels = {_s(_bool_word(k)): v for k, v in raw["labels"].items()}
        step.yes_label = _text(labels.get("yes"), languages)
        step.no_label = _text(labels.get("no"), languages)
    step.gate = step_type == "yes_no" and raw.get("gate") is True
    step.max_length = _s(raw.get("max_length"))
    step.minimum, step.maximum = _s(raw.get("min")), _s(raw.get("max"))
    step.integer = raw.get("integer", True) is not False
    step.min_choices, step.max_choices = _s(raw.get("min_choices")), _s(raw.get("max_choices"))
    step.branches = _branches_from(raw.get("next"))
    return step


def _branches_from(raw: Any) -> list[Branch]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [Branch(go=raw)]
    out = []
    for route in raw if isinstance(raw, list) else []:
        if isinstance(route, dict):
            out.append(parse_condition(_s(route.get("if")), _s(route.get("go"))))
    return out


# --- from the browser -----------------------------------------------------------------------


def from_fields(fields: Mapping[str, Any]) -> FlowForm:
    """`fields`: the posted form (a Starlette FormData, or a dict with lists for checkboxes)."""

    def get(name: str) -> str:
        value = fields.get(name)
        return value.strip() if isinstance(value, str) else ""

    def many(name: str) -> list[str]:
        getlist = getattr(fields, "getlist", None)
        values = getlist(name) if getlist else fields.get(name) or []
        return [v for v in values if isinstance(v, str)]

    languages = [lang for lang in LANGUAGES if lang in many("languages")] or ["en"]
    form = FlowForm(
        id=get("id"),
        title=get("title"),
        description=get("description"),
        audience=get("audience") or "parent",
        languages=languages,
        start_keyword=get("start_keyword").upper(),
        expires_after=get("expires_after"),
        who_answered=get("who_answered"),
    )
    kept = get("kept")
    if kept:
        try:
            loaded = yaml.safe_load(kept)
        except yaml.YAMLError:
            loaded = None
        form.kept = loaded if isinstance(loaded, dict) else {}
    i = 0
    while f"s{i}.type" in fields:
        form.steps.append(_step_fields(f"s{i}.", get, many))
        i += 1
    return form


def _step_fields(p: str, get: Any, many: Any) -> StepForm:
    def texts(prefix: str) -> dict[str, str]:
        return {lang: get(f"{prefix}.{lang}") for lang in LANGUAGES if get(f"{prefix}.{lang}")}

    step = StepForm(
        id=get(f"{p}id"),
        type=get(f"{p}type") or "message",
        text=texts(f"{p}text"),
        help=texts(f"{p}help"),
        allow=[a for a in SPECIALS if a in many(f"{p}allow")],
        range_lo=get(f"{p}range_lo") or "1",
        range_hi=get(f"{p}range_hi") or "5",
        yes_label=texts(f"{p}yes"),
        no_label=texts(f"{p}no"),
        gate=bool(get(f"{p}gate")),
        max_length=get(f"{p}max_length"),
        minimum=get(f"{p}min"),
        maximum=get(f"{p}max"),
        integer=get(f"{p}integer") != "no",
        min_choices=get(f"{p}min_choices"),
        max_choices=get(f"{p}max_choices"),
    )
    j = 0
    while get(f"{p}o{j}.present"):
        o = f"{p}o{j}."
        step.options.append(
            Choice(
                value=get(f"{o}value"),
                label=texts(f"{o}label"),
                aliases=texts(f"{o}aliases"),
                emoji=get(f"{o}emoji"),
                exclusive=bool(get(f"{o}exclusive")),
            )
        )
        j += 1
    for value in step.scale_values():
        label = texts(f"{p}p{value}.label")
        if label:
            step.points[value] = label
        if get(f"{p}p{value}.emoji"):
            step.point_emoji[value] = get(f"{p}p{value}.emoji")
    k = 0
    while get(f"{p}b{k}.present"):
        b = f"{p}b{k}."
        step.branches.append(
            Branch(
                question=get(f"{b}question"),
                op=get(f"{b}op") or "==",
                value=get(f"{b}value"),
                go=get(f"{b}go"),
                written=get(f"{b}written"),
            )
        )
        k += 1
    return step


# --- to the flow file -----------------------------------------------------------------------


def to_data(form: FlowForm) -> dict[str, Any]:
    langs = form.languages
    data: dict[str, Any] = {"format": 1, "id": form.id, "version": 1}
    data.update({k: v for k, v in form.kept.items() if k in ("format", "version")})
    data["title"] = form.title
    if form.description:
        data["description"] = form.description
    data["audience"] = form.audience
    if form.who_answered:
        data["who_answered"] = form.who_answered
    data["languages"] = list(langs)
    if form.start_keyword:
        data["start_keyword"] = form.start_keyword
    if form.expires_after:
        data["expires_after"] = form.expires_after
    data.update({k: v for k, v in form.kept.items() if k not in data})
    kinds = {s.id: s.type for s in form.steps}
    data["steps"] = [_step_data(step, langs, kinds) for step in form.steps]
    return data


def to_yaml(form: FlowForm) -> str:
    return str(yaml.safe_dump(to_data(form), sort_keys=False, allow_unicode=True, width=100))


def _step_data(step: StepForm, langs: list[str], kinds: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": step.id, "type": step.type}
    out["say" if step.type == "message" else "ask"] = _text_out(step.text, langs)
    if step.type in ("choice", "multi_choice"):
        out["options"] = [_option_data(o, langs) for o in step.options if not o.blank]
        if step.type == "multi_choice":
            for key in ("min_choices", "max_choices"):
                if (n := _int(getattr(step, key))) is not None:
                    out[key] = n
    elif step.type == "scale":
        lo, hi = _int(step.range_lo), _int(step.range_hi)
        out["range"] = [
            lo if lo is not None else step.range_lo,
            hi if hi is not None else step.range_hi,
        ]
        out["labels"] = {
            _key(v): _text_out(step.points.get(v, {}), langs) for v in step.scale_values()
        }
        emoji = {_key(v): e for v, e in step.point_emoji.items() if e and v in step.scale_values()}
        if emoji:
            out["emoji"] = emoji
    elif step.type == "yes_no":
        labels = {
            word: _text_out(text, langs)
            for word, text in (("yes", step.yes_label), ("no", step.no_label))
            if any(text.values())
        }
        if labels:
            out["labels"] = labels
        if step.gate:
            out["gate"] = True
    elif step.type == "text" and (n := _int(step.max_length)) is not None:
        out["max_length"] = n
    elif step.type == "number":
        for key, value in (("min", step.minimum), ("max", step.maximum)):
            if value:
                out[key] = _number(value)
        if not step.integer:
            out["integer"] = False
    if step.is_question and step.allow:
        out["allow"] = list(step.allow)
    if any(step.help.values()):
        out["help"] = _text_out(step.help, langs)
    routes = [r for r in (_route(b, kinds) for b in step.branches) if r]
    if routes:
        out["next"] = routes
    return out


def _option_data(option: Choice, langs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"value": option.value, "label": _text_out(option.label, langs)}
    aliases = {
        lang: [w.strip() for w in words.split(",") if w.strip()]
        for lang, words in option.aliases.items()
        if lang in langs and words.strip()
    }
    if aliases:
        out["aliases"] = aliases
    if option.emoji:
        out["emoji"] = option.emoji
    if option.exclusive:
        out["exclusive"] = True
    return out


def _route(branch: Branch, kinds: Mapping[str, str]) -> dict[str, str] | None:
    if branch.blank:
        return None
    cond = condition(branch, kinds)
    return {"if": cond, "go": branch.go} if cond else {"go": branch.go}


def dump_kept(form: FlowForm) -> str:
    """The fields the form has no place for, carried through the page unchanged."""
    return str(yaml.safe_dump(form.kept, allow_unicode=True)) if form.kept else ""
