"""The editor's preview as you type: the simulator run on the flow in the form, never saved.

The flow changes between keystrokes, so no engine state can be carried from one request to the
next; the page carries the officer's replies instead, and each request starts the flow afresh and
replays them. Nothing is stored and nothing is sent, as in the saved flow's preview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.web.dashboard import preview as sim
from bot.web.dashboard.views_flows import CHANNELS
from flows.library import FlowLibrary
from flows.schema import Flow

# Enough for any flow an officer tries by hand; a page that sends more is cut, not refused.
MOST_REPLIES = 40
LONGEST_REPLY = 2000


@dataclass
class Asked:
    """What the preview part of the form asks for."""

    language: str = ""
    channel: str = ""
    said: list[str] = field(default_factory=list)  # the replies so far, oldest first


@dataclass
class Live:
    asked: Asked
    preview: sim.Preview | None = None  # None: the flow does not load
    said: list[str] = field(default_factory=list)  # the replies the conversation took
    languages: list[str] = field(default_factory=list)
    channels: dict[str, str] = field(default_factory=lambda: dict(sim.CHANNELS))


def asked_from(fields: Any, action: str) -> Asked:
    """`fields`: the posted form; a reply is added only when its button was pressed."""

    def one(name: str) -> str:
        value = fields.get(name)
        return value if isinstance(value, str) else ""

    said = [s[:LONGEST_REPLY] for s in fields.getlist("pv_said") if isinstance(s, str)]
    if action == "preview_restart":
        said = []
    elif action == "preview_reply" and one("pv_reply").strip():
        said.append(one("pv_reply")[:LONGEST_REPLY])
    return Asked(one("pv_lang"), one("pv_channel"), said[-MOST_REPLIES:])


def run(
    flow: Flow | None,
    asked: Asked,
    library: FlowLibrary,
    settings: Settings,
    now: datetime,
) -> Live:
    """The opening messages, then each reply in turn, as the saved flow's preview would."""
    if flow is None:
        return Live(asked)
    language = asked.language if asked.language in flow.languages else flow.default_language
    channel = asked.channel if asked.channel in sim.CHANNELS else CHANNELS[flow.audience][0]
    preview = sim.start(flow, language, channel, settings, now)  # type: ignore[arg-type]
    taken: list[str] = []
    for text in asked.said:
        if preview.ended is not None:
            break
        preview = sim.answer(preview, flow, library, settings, now, text=text)
        taken.append(text)
    return Live(asked, preview, taken, list(flow.languages))
