"""Free-text answers planted straight into a dashboard's database (many more than the seeded
event has), for the suggested-themes pages, and the forms those pages post."""

from __future__ import annotations

import re
from html import unescape

import httpx

from bot.clock import FrozenClock
from bot.services import Services
from storage import answers as answers_repo
from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from tests.bot.analysis.planted import planted
from tests.bot.web.dashboard.conftest import post_form

SUGGESTED = "/dashboard/themes/suggested?flow=post_event&step=even_better"
KEY = re.compile(r'name="op" value="accept:([0-9a-f]+)">Accept \'([^<]*)\'</button>')


def plant(services: Services, clock: FrozenClock, n: int = 160, seed: int = 3) -> list[int]:
    """`n` planted answers (with a theme each) to post_event's `even_better`; their ids."""
    texts = [p.text for p in planted(n * 2, seed=seed) if p.theme][:n]
    ids = []
    with services.session_factory.begin() as s:
        for i, text in enumerate(texts):
            contact, _, _ = contacts_repo.find_or_create(
                s, "sms", f"+4477008{i:05d}", clock(), role="parent"
            )
            conversation = conversations_repo.create(
                s,
                contact_id=contact.id,
                flow_id="post_event",
                flow_version=1,
                language="en",
                channel="sms",
                state={},
                status="completed",
                now=clock(),
                wake_at=None,
            )
            answer = answers_repo.record(
                s,
                conversation=conversation,
                step_id="even_better",
                value=text + (" call me on 07700 900123" if i % 5 == 0 else ""),
                special=None,
                raw_text=None,
                message_id=None,
                now=clock(),
            )
            ids.append(answer.id)
    return ids


def suggestions(html: str) -> dict[str, str]:
    """The open suggestions on the page: name to key."""
    return {unescape(name): key for key, name in KEY.findall(html)}


def decide(client: httpx.Client, fields: list[tuple[str, str]]) -> httpx.Response:
    base = [("flow", "post_event"), ("step", "even_better")]
    return post_form(client, SUGGESTED, "/dashboard/themes/suggested", base + fields)
