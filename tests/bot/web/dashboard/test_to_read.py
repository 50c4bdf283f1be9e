"""No free text goes unread: answers arrive over signed webhooks, officers read them riskiest first,
and what nobody reads in time reaches the designated safeguarding lead by email and SMS."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.followups.runner import FollowUpRunner
from bot.services import Services, build_services
from bot.web.app import create_app
from storage import audit, coding, to_read
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage import followups as followups_repo
from storage import officers as officers_repo
from storage.models import Answer, Event, Message, ReadItem
from storage.officers import ALL_AREAS
from storage.reporting import Filters
from tests.bot.channels.sms.conftest import COUNCIL_NUMBER, sms_settings
from tests.bot.web.dashboard.conftest import PASSWORD, SECRET, post_form
from tests.bot.web.dashboard.seed import EVENT_END, EVENT_START, REQUESTS_DUE
from tests.fakes.smtp import FakeSmtp
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.helpers import wait_until
from tests.live import LiveServer

NORTH_PARENT = "+447700900311"
SOUTH_PARENT = "+447700900322"
LEAD = "+447700900777"
CALM = "The speakers were great <b>really</b>"
WORRY = "he is really struggling and sad a lot"
AFTER = "thanks, one more thing about transport"
SOUTH_WORDS = "is there parking at the next panel"


@dataclass
class World:
    services: Services
    clock: FrozenClock
    server: LiveServer
    twilio: FakeTwilio
    smtp: FakeSmtp
    http: httpx.Client

    def text(self, number: str, body: str) -> None:
        form = inbound_sms_form(
            from_=number, to=COUNCIL_NUMBER, body=body, account_sid=self.twilio.account_sid
        )
        url = self.services.settings.public_url("/webhooks/twilio/sms")
        signature = sign(self.twilio.auth_token, url, form)
        response = self.http.post(
            self.server.url("/webhooks/twilio/sms"),
            data=form,
            headers={"X-Twilio-Signature": signature},
        )
        assert response.status_code == 200

    def officer(self, email: str, areas: tuple[str, ...], *, lead: bool = False) -> int:
        from bot.web.dashboard import passwords

        with self.services.session_factory.begin() as s:
            return officers_repo.create(
                s,
                email=email,
                password_hash=passwords.hash_password(PASSWORD),
                role="officer",
                areas=areas,
                now=self.clock(),
                safeguarding_lead=lead,
            ).id

    @contextlib.contextmanager
    def login(self, email: str) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=self.server.base_url, timeout=30) as client:
            data = {"email": email, "password": PASSWORD}
            response = post_form(client, "/dashboard/login", "/dashboard/login", data)
            assert response.status_code == 303
            yield client


def _event(services: Services, area: str, number: str) -> None:
    with services.session_factory.begin() as s:
        event = events_repo.create(
            s,
            title=f"{area} coffee morning",
            kind="coffee_morning",
            starts_at=EVENT_START,
            ends_at=EVENT_END,
            flow_id="post_event",
            area=area,
            now=EVENT_START - timedelta(days=7),
        )
        contact, _, _ = contacts_repo.find_or_create(s, "sms", number, EVENT_START, role="parent")
        events_repo.add_attendee(
            s, event, contact, role="parent", consent=True, source="import", now=EVENT_START
        )
        followups_repo.plan(s, event, contact.id, EVENT_START)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with FakeTwilio() as twilio, FakeSmtp() as smtp:
        settings = sms_settings(
            database_url,
            twilio,
            "http://sendvoice.test",  # plain http: the session cookie works on the test server
            session_secret=SecretStr(SECRET),
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_starttls=False,
            safeguarding_email_to="dsl@testshire.gov.uk",
            safeguarding_sms_to=LEAD,
            alert_poll_seconds=0.2,
        )
        clock = FrozenClock(EVENT_START)
        services = build_services(settings, clock=clock)
        _event(services, "north", NORTH_PARENT)
        _event(services, "south", SOUTH_PARENT)
        clock.now = REQUESTS_DUE
        FollowUpRunner(services).run_due()
        app = create_app(services)  # the outbox and the alerts worker run beside it
        with LiveServer(app) as server, httpx.Client(timeout=10) as http:
            yield World(services, clock, server, twilio, smtp, http)
        asyncio.run(services.aclose())
        services.close()


def _unread_words(page: str) -> list[str]:
    return re.findall(r"<blockquote><p>(.*?)</p></blockquote>", page, re.S)


def _count(page: str) -> int:
    found = re.search(r"<h2 id=\"backlog-title\">Unread: (\d+)</h2>", page)
    assert found, "no unread count on the page"
    return int(found.group(1))


def _item_ids(world: World) -> dict[str, int]:
    with world.services.session_factory() as s:
        rows = s.execute(
            select(Message.body, ReadItem.id).join(Message, Message.id == ReadItem.message_id)
        ).all()
        return {body: item_id for body, item_id in rows}


def test_answers_are_read_riskiest_first_and_coded_until_none_is_left(world: World) -> None:
    for body in ["1", "yes", "4", CALM, WORRY, "a bit", "yes", "both", AFTER]:
        world.text(NORTH_PARENT, body)
    world.text(SOUTH_PARENT, SOUTH_WORDS)
    wait_until(lambda: len(_item_ids(world)) == 4)
    world.officer("north@council.example", ("north",))
    with world.login("north@council.example") as north:
        page = north.get("/dashboard/to-read").text
        words = _unread_words(page)
        assert words[0] == WORRY  # the riskiest first
        assert set(words) == {WORRY, CALM.replace("<", "&lt;").replace(">", "&gt;"), AFTER}
        assert "<b>really</b>" not in page  # their words, escaped
        assert SOUTH_WORDS not in page  # another area's words, never
        assert _count(page) == 3
        assert "<td>north</td><td>3</td>" in page  # the backlog by area
        assert "Oldest waiting" in page

        # Coding an answer reads it.
        with world.services.session_factory.begin() as s:
            theme = coding.create_theme(
                s,
                flow_id="post_event",
                name="Speakers",
                description=None,
                officer_id=None,
                now=world.clock(),
            )
            theme_id = theme.id
            answer_id = s.scalars(select(Answer.id).where(Answer.step_id == "worked_well")).one()
        coded = post_form(
            north,
            "/dashboard/coding?flow=post_event",
            f"/dashboard/coding/answers/{answer_id}",
            [("theme", str(theme_id))],
        )
        assert coded.status_code == 303
        page = north.get("/dashboard/to-read").text
        assert _count(page) == 2
        assert "The speakers were great" not in page

        # Another area's item cannot be marked from here; the officer's own two go at once.
        ids = _item_ids(world)
        chosen = [
            ("item", str(ids[WORRY])),
            ("item", str(ids[AFTER])),
            ("item", str(ids[SOUTH_WORDS])),
        ]
        marked = post_form(north, "/dashboard/to-read", "/dashboard/to-read/read", chosen)
        assert marked.status_code == 303
        page = north.get("/dashboard/to-read").text
        assert _count(page) == 0
        assert "Nothing waiting to be read." in page
        report = north.get("/dashboard/report").text
        assert "Every family's own words read by a person" in report
    with world.services.session_factory() as s:
        items = {i.id: i for i in s.scalars(select(ReadItem))}
        assert items[ids[SOUTH_WORDS]].read_at is None
        assert all(
            i.read_by and i.read_by.startswith("officer:") for i in items.values() if i.read_at
        )
        reads = [e for e in audit.recent(s) if e.action == "read_free_text"]
        assert sorted(i for e in reads for i in e.detail["items"]) == sorted(
            i for i, item in items.items() if item.read_at is not None
        )
        assert to_read.figures(s, timedelta(hours=72), kind="answer").read == 2


def test_an_unread_message_past_the_deadline_reminds_the_lead_once(world: World) -> None:
    world.text(SOUTH_PARENT, SOUTH_WORDS)
    wait_until(lambda: len(_item_ids(world)) == 1)
    health = world.http.get(world.server.url("/healthz")).json()
    assert health["unread_overdue"] == 0
    world.clock.advance(timedelta(hours=73))
    [email] = world.smtp.wait_for(1)
    assert "1 free-text message not read in time" in email["Subject"]
    body = email.get_payload(decode=True).decode()
    assert "http://sendvoice.test/dashboard/to-read" in str(body)
    assert SOUTH_WORDS not in str(body)
    wait_until(lambda: any(m.to == LEAD for m in world.twilio.messages))
    [sms] = [m for m in world.twilio.messages if m.to == LEAD]
    assert "not read within 72 hours" in sms.body
    assert SOUTH_WORDS not in sms.body
    assert world.http.get(world.server.url("/healthz")).json()["unread_overdue"] == 1
    # Another pass of the worker: the same item is not reminded about twice.
    world.services.alerts.deliver_due()
    assert len(world.smtp.messages) == 1
    # An officer of another area never sees it; the lead does.
    world.officer("north@council.example", ("north",))
    world.officer("dsl@council.example", ("north",), lead=True)
    with world.login("north@council.example") as north:
        page = north.get("/dashboard/to-read").text
        assert SOUTH_WORDS not in page
        assert _count(page) == 0
    with world.login("dsl@council.example") as dsl:
        page = dsl.get("/dashboard/to-read").text
        assert SOUTH_WORDS in page
        assert "(overdue)" in page


def test_a_keyword_conversation_is_in_the_area_of_the_event_the_family_came_to(
    world: World,
) -> None:
    """A family that texts the keyword after a north event is a north family on every page: the
    officer shown their words can open the transcript, another area's officer cannot."""
    walk_in = "+447700900333"
    with world.services.session_factory.begin() as s:
        event = s.scalars(select(Event).where(Event.area == "north")).one()
        contact, _, _ = contacts_repo.find_or_create(
            s, "sms", walk_in, world.clock(), role="parent"
        )
        events_repo.add_attendee(
            s, event, contact, role="parent", consent=True, source="import", now=world.clock()
        )
    for body in ["FEEDBACK", "1", "yes", "4", "the quiet room was perfect"]:
        world.text(walk_in, body)
    wait_until(lambda: "the quiet room was perfect" in _item_ids(world))
    world.officer("north@council.example", ("north",))
    world.officer("south@council.example", ("south",))
    with world.login("north@council.example") as north:
        page = north.get("/dashboard/to-read").text
        assert "the quiet room was perfect" in _unread_words(page)
        link = re.search(r'href="/dashboard/(responses/\d+)">transcript</a>', page)
        assert link, "no transcript link beside the family's words"
        transcript = north.get(f"/dashboard/{link.group(1)}")
        assert transcript.status_code == 200
        assert "the quiet room was perfect" in transcript.text
        listed = north.get("/dashboard/responses?flow=post_event").text
        assert link.group(1) in listed
    with world.login("south@council.example") as south:
        assert "the quiet room was perfect" not in south.get("/dashboard/to-read").text
        assert south.get(f"/dashboard/{link.group(1)}").status_code == 404


def _csv(client: httpx.Client, **params: str) -> list[dict[str, str]]:
    import csv
    import io

    response = client.get("/dashboard/exports/download", params={"format": "csv", **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_exports_and_the_event_report_say_which_words_a_person_has_read(world: World) -> None:
    for body in ["1", "yes", "4", CALM, WORRY]:
        world.text(NORTH_PARENT, body)
    for body in ["1", "yes", "5", SOUTH_WORDS]:
        world.text(SOUTH_PARENT, body)
    wait_until(lambda: len(_item_ids(world)) == 3)
    world.officer("all@council.example", (ALL_AREAS,))
    ids = _item_ids(world)
    with world.login("all@council.example") as officer:
        marked = post_form(
            officer, "/dashboard/to-read", "/dashboard/to-read/read", [("item", str(ids[WORRY]))]
        )
        assert marked.status_code == 303
        long = _csv(officer, layout="long", flow="post_event")
        read_at = {r["Value"]: r["Read by a person (UTC)"] for r in long if r["Area"] == "north"}
        assert read_at[CALM] == "not yet"  # nobody has read it
        assert read_at[WORRY].startswith(world.clock().date().isoformat())
        assert read_at["4"] == ""  # a rating: nothing to read
        wide = {r["Area"]: r["Own words read"] for r in _csv(officer, layout="wide")}
        assert wide == {"north": "1 of 2", "south": "0 of 1"}

        with world.services.session_factory() as s:
            south = s.scalars(select(Event.id).where(Event.area == "south")).one()
        report = officer.get("/dashboard/report", params={"event": str(south)}).text
        assert "Free-text answers in this report" in report
    # The south event's report counts the south family's one answer, not the north's two.
    with world.services.session_factory() as s:
        within = timedelta(hours=72)
        south_only = to_read.figures(s, within, kind="answer", filters=Filters(event_id=south))
        everyone = to_read.figures(s, within, kind="answer")
    assert (south_only.total, south_only.read) == (1, 0)
    assert (everyone.total, everyone.read) == (3, 1)
