"""Helpers for tests that code answers: over HTTP, and in a real browser with the keyboard only.

Kept apart from the tests so a longer test (an officer's whole day) can reuse them.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.bot.web.dashboard.conftest import post_form

ANSWER = re.compile(r'name="answer" value="(\d+)"[^>]*>\s*<div>\s*<label[^>]*>([^<]*)</label>')
THEME = re.compile(r'<option value="(\d+)">([^<]*)</option>')


def coding_url(flow: str = "post_event", **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"flow": flow, **params}.items())
    return f"/dashboard/coding?{query}"


def answers_on(html: str) -> dict[str, int]:
    """The answers on a coding page: their words (as the page escapes them) to their ids."""
    return {text: int(answer_id) for answer_id, text in ANSWER.findall(html)}


def theme_ids(html: str) -> dict[str, int]:
    """The coding page's theme picker (shown when the page lists answers): name to id."""
    section = html.split('id="bulk-theme"', 1)[1].split("</select>", 1)[0]
    return {name: int(theme_id) for theme_id, name in THEME.findall(section)}


def add_theme(client: httpx.Client, name: str, flow: str = "post_event") -> int:
    response = post_form(
        client, coding_url(flow), "/dashboard/coding/themes", {"flow": flow, "name": name}
    )
    assert response.status_code == 303, response.text
    return theme_ids(client.get(coding_url(flow)).text)[name]


def code_answers(
    client: httpx.Client,
    answer_ids: list[int],
    theme: int | str,
    *,
    remove: bool = False,
    page: str | None = None,
) -> httpx.Response:
    """Tick these answers and apply one theme to them (or "none": no theme), as the form does."""
    fields = [("answer", str(a)) for a in answer_ids]
    fields += [("theme", str(theme)), ("op", "remove" if remove else "add")]
    fields.append(("back", page or coding_url()))  # back to the page the form was on
    return post_form(client, page or coding_url(), "/dashboard/coding/answers", fields)


FOCUSED_LABEL = """() => {
  const el = document.activeElement;
  if (!el) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : el.innerText;
  return el.tagName + ":" + (el.type || "") + ":" + (label || "").trim();
}"""


def focused(page: Any) -> str:
    """What has the keyboard focus, as "TAG:type:label"."""
    return str(page.evaluate(FOCUSED_LABEL))


def tag_in_browser(
    page: Any, dashboard_url: str, words: list[str], theme: str, *, query: str = ""
) -> None:
    """In Chromium, with the keyboard only: open the coding page (for worked_well unless `query`
    says otherwise), choose the theme, Tab from the Apply button down the answers pressing Space
    on each that says one of `words`, then Tab back up (Shift+Tab) and press Enter on Apply.

    `dashboard_url` is the dashboard's root (…/dashboard). Every answer must be on the page."""
    page.goto(f"{dashboard_url}/coding?{query or 'flow=post_event&step=worked_well'}")
    page.get_by_role("heading", name="Coding free-text answers").wait_for()
    picker = page.locator("#bulk-theme")
    picker.focus()
    picker.select_option(label=theme)  # a select takes its value from the keyboard too
    page.keyboard.press("Tab")  # the "Add it" / "Take it off" radios: one stop
    page.keyboard.press("Tab")
    assert focused(page) == "BUTTON:submit:Apply to the ticked answers", focused(page)
    wanted, ticked, steps = set(words), 0, 0
    while ticked < len(wanted):
        page.keyboard.press("Tab")
        steps += 1
        tag, kind, label = focused(page).split(":", 2)
        assert (tag, kind) == ("INPUT", "checkbox"), f"left the answers before finding {wanted}"
        if label in wanted:
            page.keyboard.press("Space")
            ticked += 1
    for _ in range(steps):
        page.keyboard.press("Shift+Tab")
    assert focused(page) == "BUTTON:submit:Apply to the ticked answers", focused(page)
    page.keyboard.press("Enter")
    page.get_by_role("status").wait_for()
