"""Drive the flow preview (/dashboard/flows/{id}/preview) as an officer would: over HTTP, or in a
real browser. Reusable by any test that wants to walk a flow through the page, such as a
whole-day browser test: `preview_in_browser(page, dash.url, "post_event", "sms", ["2", "4"])`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.bot.web.dashboard.conftest import token_from


@dataclass(frozen=True)
class Press:
    """A chat button to press, found by its label (the whole label, or its start)."""

    label: str


Step = str | Press


@dataclass
class Bubble:
    side: str  # "out" (to the family), "in" (their reply) or "note"
    text: str = ""
    meta: str = ""  # "2 segments · GSM-7 · 215 characters" for SMS
    buttons: list[tuple[str, str | None]] = field(default_factory=list)  # (label, value if live)

    @property
    def segments(self) -> int | None:
        return int(self.meta.split()[0]) if self.meta and self.meta[0].isdigit() else None

    @property
    def encoding(self) -> str | None:
        parts = [p.strip() for p in self.meta.split("·")]
        return parts[1] if len(parts) > 1 else None


class _Bubbles(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bubbles: list[Bubble] = []
        self.state: str | None = None
        self._into: str | None = None
        self._button: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "input" and a.get("name") == "state":
            self.state = a.get("value")
        if tag == "li" and "bubble" in classes:
            side = next(c for c in classes if c in ("out", "in", "note"))
            self.bubbles.append(Bubble(side))
        elif self.bubbles and tag == "p" and "text" in classes:
            self._into = "text"
        elif self.bubbles and tag == "p" and "sms-meta" in classes:
            self._into = "meta"
        elif self.bubbles and "chat-button" in classes:
            self._into = "button"
            self._button = a.get("value") if tag == "button" else None
            self.bubbles[-1].buttons.append(("", self._button))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "button", "span"):
            self._into = None

    def handle_data(self, data: str) -> None:
        if not self.bubbles or self._into is None:
            return
        bubble = self.bubbles[-1]
        if self._into == "text":
            bubble.text += data
        elif self._into == "meta":
            bubble.meta += data
        else:
            label, value = bubble.buttons[-1]
            bubble.buttons[-1] = (label + data, value)


def read_bubbles(html: str) -> tuple[list[Bubble], str | None]:
    """The page's bubbles, and its signed preview state (None once the conversation has ended)."""
    parser = _Bubbles()
    parser.feed(html)
    return parser.bubbles, parser.state


@dataclass
class HttpPreview:
    """One preview conversation through the ASGI app over HTTP, as a browser without scripts."""

    client: httpx.Client
    flow_id: str
    html: str = ""
    status: int = 0

    @property
    def path(self) -> str:
        return f"/dashboard/flows/{self.flow_id}/preview"

    @property
    def bubbles(self) -> list[Bubble]:
        return read_bubbles(self.html)[0]

    @property
    def ended(self) -> bool:
        return 'name="reply"' not in self.html

    def start(self, language: str, channel: str) -> HttpPreview:
        response = self.client.get(self.path, params={"lang": language, "channel": channel})
        self.html, self.status = response.text, response.status_code
        return self

    def send(self, step: Step, **extra: str) -> HttpPreview:
        fields = {"state": read_bubbles(self.html)[1] or "", "csrf_token": token_from(self.html)}
        if isinstance(step, Press):
            fields["button"] = self.button(step.label)
        else:
            fields["reply"] = step
        fields.update(extra)
        response = self.client.post(
            self.path,
            content=urlencode(fields).encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        self.html, self.status = response.text, response.status_code
        return self

    def button(self, label: str) -> str:
        for bubble in reversed(self.bubbles):
            for text, value in bubble.buttons:
                if value is not None and (text == label or text.startswith(label)):
                    return value
        raise AssertionError(f"no live button {label!r} in the preview")


def preview_in_browser(
    page: Any,
    url: Callable[[str], str],
    flow_id: str,
    channel: str,
    steps: Sequence[Step],
    *,
    language: str = "en",
) -> list[Bubble]:
    """Open the preview in a signed-in Playwright page, choose language and channel with the page's
    own form, type each reply or press each button, and return the bubbles as shown at the end."""
    page.goto(url(f"/flows/{flow_id}/preview"))
    page.get_by_label("Language").select_option(language)
    page.get_by_label("Channel").select_option(channel)
    with page.expect_navigation():
        page.get_by_role("button", name="Start again").click()
    for step in steps:
        before = page.locator("li.bubble").count()
        if isinstance(step, Press):
            page.locator("button.chat-button", has_text=step.label).first.click()
        else:
            page.get_by_label("Their reply").fill(step)
            page.get_by_role("button", name="Send reply").click()
        page.locator("li.bubble").nth(before).wait_for()  # the new page, with their reply on it
    return read_bubbles(page.content())[0]
