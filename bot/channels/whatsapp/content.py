"""What goes in WhatsApp's Content API fields: approved templates per flow and language (outside
the window) and generic button contents (inside it), both named in settings.

Button contents are created once (README: connecting WhatsApp) with variables, so no content is
created at send time: {{1}} is the text, then each button's title and id in turn ({{2}} and
{{3}} for the first, {{4}} and {{5}} for the second ...). Twilio allows 3 quick replies in a
session without approval, and a list picker of up to 10 items.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.render import parse_callback_data

MAX_QUICK_REPLIES = 3
MAX_LIST_ITEMS = 10
QUICK_REPLY_TITLE = 20  # characters WhatsApp shows on a button
LIST_ITEM_TITLE = 24
MAX_BODY = 1024  # an interactive message's text
KINDS = ("followup", "reminder")
_SID = re.compile(r"HX[0-9a-fA-F]{32}")
# What a template's variables may be filled with: nothing personal, nothing free.
VARIABLES = ("event_name", "service_name", "council_name")


class ContentConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Template:
    sid: str
    variables: tuple[str, ...] = ("event_name",)

    def content_variables(self, values: Mapping[str, str]) -> str:
        return json.dumps(
            {str(i): values.get(name, "") for i, name in enumerate(self.variables, start=1)}
        )


def _template(where: str, value: Any) -> Template:
    if isinstance(value, str):
        value = {"sid": value}
    if not isinstance(value, dict) or not isinstance(value.get("sid"), str):
        raise ContentConfigError(f"WHATSAPP_TEMPLATES {where}: expected a content SID")
    if not _SID.fullmatch(value["sid"]):
        raise ContentConfigError(f"WHATSAPP_TEMPLATES {where}: {value['sid']!r} is not HX + 32 hex")
    names = value.get("variables", ["event_name"])
    if not isinstance(names, list) or any(n not in VARIABLES for n in names):
        raise ContentConfigError(
            f"WHATSAPP_TEMPLATES {where}: variables must be a list of {', '.join(VARIABLES)}"
        )
    return Template(value["sid"], tuple(names))


def parse_templates(raw: str) -> dict[tuple[str, str, str], Template]:
    """{(flow, language, kind): Template} from WHATSAPP_TEMPLATES (JSON)."""
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ContentConfigError(f"WHATSAPP_TEMPLATES is not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ContentConfigError("WHATSAPP_TEMPLATES: expected {flow: {language: {kind: sid}}}")
    found: dict[tuple[str, str, str], Template] = {}
    for flow, languages in data.items():
        if not isinstance(languages, dict):
            raise ContentConfigError(f"WHATSAPP_TEMPLATES {flow}: expected {{language: ...}}")
        for language, kinds in languages.items():
            if not isinstance(kinds, dict):
                kinds = {"followup": kinds}
            for kind, value in kinds.items():
                if kind not in KINDS:
                    raise ContentConfigError(
                        f"WHATSAPP_TEMPLATES {flow}.{language}: {kind!r} is not one of {KINDS}"
                    )
                found[(flow, language, kind)] = _template(f"{flow}.{language}.{kind}", value)
    return found


def template_for(
    templates: Mapping[tuple[str, str, str], Template], flow: str, language: str, kind: str
) -> Template | None:
    """The template for this request; a reminder may use the follow-up's, and Welsh English's."""
    for lang in dict.fromkeys((language, "en")):
        for k in dict.fromkeys((kind, "followup")):
            if (flow, lang, k) in templates:
                return templates[(flow, lang, k)]
    return None


def parse_buttons(raw: str) -> dict[int, str]:
    """{number of buttons: content SID} from WHATSAPP_BUTTON_CONTENT ("1=HX...,2=HX...")."""
    found: dict[int, str] = {}
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        count, _, sid = part.partition("=")
        if not count.strip().isdigit() or not _SID.fullmatch(sid.strip()):
            raise ContentConfigError(f"WHATSAPP_BUTTON_CONTENT: {part!r} is not N=HX...")
        n = int(count)
        if not 1 <= n <= MAX_LIST_ITEMS:
            raise ContentConfigError(f"WHATSAPP_BUTTON_CONTENT: {n} buttons is not 1 to 10")
        found[n] = sid.strip()
    return found


@dataclass(frozen=True)
class Button:
    title: str
    payload: str  # what comes back as ButtonPayload (our chat callback data)


def flatten(rows: Sequence[Sequence[Mapping[str, str]]]) -> list[Button]:
    return [Button(str(b["text"]), str(b["data"])) for row in rows for b in row]


def interactive(
    body: str, buttons: Sequence[Button], contents: Mapping[int, str]
) -> tuple[str, str] | None:
    """(ContentSid, ContentVariables) for these buttons, or None if they do not fit WhatsApp."""
    n = len(buttons)
    sid = contents.get(n)
    if sid is None or not buttons or len(body) > MAX_BODY:
        return None
    limit = QUICK_REPLY_TITLE if n <= MAX_QUICK_REPLIES else LIST_ITEM_TITLE
    if any(len(b.title) > limit or len(b.payload) > 200 for b in buttons):
        return None
    variables = {"1": body}
    for i, button in enumerate(buttons):
        variables[str(2 + 2 * i)] = button.title
        variables[str(3 + 2 * i)] = button.payload
    return sid, json.dumps(variables, ensure_ascii=False)


_SLASH = re.compile(r"(?<![\w/])/(stop|help|start|privacy)\b", re.IGNORECASE)


def plain_commands(text: str) -> str:
    """WhatsApp has no slash commands: the chat texts' "/stop" is the word STOP there (read the
    same way, bot.conversation.keywords)."""
    return _SLASH.sub(lambda m: m[1].upper(), text)


def numbered(body: str, buttons: Sequence[Button]) -> str:
    """The buttons as text to type, for when they cannot be buttons."""
    lines = [body]
    for button in buttons:
        parsed = parse_callback_data(button.payload)
        key = parsed[1] if parsed is not None else ""
        lines.append(f"{key} {button.title}" if key.isdigit() else f"- {button.title}")
    return "\n".join(lines)


def button_definitions(counts: Sequence[int] = tuple(range(1, 11))) -> list[dict[str, Any]]:
    """The Content API bodies to create the button contents once (POST /v1/Content)."""
    out: list[dict[str, Any]] = []
    for n in counts:
        ids = [(str(2 + 2 * i), str(3 + 2 * i)) for i in range(n)]
        variables = {"1": "Question"} | {t: f"Option {i + 1}" for i, (t, _) in enumerate(ids)}
        variables |= {p: f"a:1:{i + 1}" for i, (_, p) in enumerate(ids)}
        if n <= MAX_QUICK_REPLIES:
            kind = "twilio/quick-reply"
            types = {
                kind: {
                    "body": "{{1}}",
                    "actions": [{"title": f"{{{{{t}}}}}", "id": f"{{{{{p}}}}}"} for t, p in ids],
                }
            }
        else:
            kind = "twilio/list-picker"
            types = {
                kind: {
                    "body": "{{1}}",
                    "button": "Choose",
                    "items": [{"item": f"{{{{{t}}}}}", "id": f"{{{{{p}}}}}"} for t, p in ids],
                }
            }
        out.append(
            {
                "friendly_name": f"sendvoice_buttons_{n}",
                "language": "en",
                "variables": variables,
                "types": types,
            }
        )
    return out
