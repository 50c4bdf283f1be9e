"""Events made and attendee lists uploaded through the dashboard's own pages, as an officer would:
for any test (HTTP or browser) that needs an event with people at it.

    event_id = create_event(client, title="Coffee morning", area="north")
    response = upload_attendees(client, event_id, attendee_csv(PEOPLE))

    # in Chromium (Playwright):
    event_id = create_event_in_browser(page, dash.url, title="Coffee morning")
    upload_in_browser(page, tmp_path / "came.csv")
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import httpx

from tests.bot.web.dashboard.conftest import post_form, token_from

COLUMNS = ["name", "phone", "telegram", "role", "language", "consent"]
# Saturday 14 March 2026 in the council's time (GMT): the seeded events' morning.
START, END = "2026-03-14T10:00", "2026-03-14T12:00"
PEOPLE = [
    {"name": "Ann Example", "phone": "07700 900501", "role": "parent", "consent": "yes"},
    {"name": "Bea Example", "phone": "07700900502", "role": "parent", "consent": "yes"},
    {"name": "Cal Example", "phone": "07700900503", "role": "parent", "consent": "no"},
]


def attendee_csv(people: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: person.get(c, "") for c in COLUMNS} for person in people)
    return out.getvalue().encode()


def event_form(**fields: str) -> dict[str, str]:
    return {
        "title": "Coffee morning",
        "kind": "coffee_morning",
        "start": START,
        "end": END,
        "flow": "post_event",
        "area": "north",
        "location": "Northtown library",
        "delay": "24h",
        "reminder_1": "48h",
        "reminder_2": "7d",
        "expires": "14d",
        **fields,
    }


def create_event(client: httpx.Client, **fields: str) -> int:
    """A new event through the form; its id. `client` is signed in (Dash.login)."""
    response = post_form(client, "/dashboard/events/new", "/dashboard/events", event_form(**fields))
    assert response.status_code == 303, response.text
    found = re.search(r"/dashboard/events/(\d+)", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def upload_attendees(
    client: httpx.Client, event_id: int, data: bytes, filename: str = "came.csv"
) -> httpx.Response:
    """The list uploaded in the event's page, as a browser sends a file (multipart)."""
    page = f"/dashboard/events/{event_id}"
    token = token_from(client.get(page).text)
    kind = "text/csv" if filename.endswith(".csv") else "application/octet-stream"
    return client.post(
        f"{page}/attendees",
        data={"csrf_token": token},
        files={"attendees": (filename, data, kind)},
    )


def create_event_in_browser(page: Any, url: Any, **fields: str) -> int:
    """Fill in "Add an event" in a real browser; leaves the page on the new event. `url` turns a
    dashboard path into an address (Dash.url)."""
    values = event_form(**fields)
    page.goto(url("/events"))
    page.get_by_role("link", name="Add an event").click()
    page.get_by_label("Title").fill(values["title"])
    page.get_by_label("Kind of event").select_option(values["kind"])
    page.get_by_label("Starts").fill(values["start"])
    page.get_by_label("Ends", exact=True).fill(values["end"])
    page.get_by_label("Place").fill(values["location"])
    area = page.get_by_label("Area")
    if area.evaluate("e => e.tagName") == "SELECT":
        area.select_option(values["area"])
    else:
        area.fill(values["area"])
    page.get_by_label("Flow sent afterwards").select_option(values["flow"])
    page.get_by_role("button", name="Add event").click()
    page.get_by_role("heading", name=values["title"]).wait_for()
    found = re.search(r"/events/(\d+)", page.url)
    assert found, page.url
    return int(found.group(1))


def upload_in_browser(page: Any, path: Path) -> None:
    """On an event's page: choose the file and upload it; waits for the result."""
    page.get_by_label("Attendee list").set_input_files(str(path))
    page.get_by_role("button", name="Upload the list").click()
    page.locator("#upload-error-title, #upload-done-title").wait_for()
