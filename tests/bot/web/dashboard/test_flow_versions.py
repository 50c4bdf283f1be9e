"""Flow versions over the real app: an author uploads, an admin publishes, families text in over
signed Twilio webhooks, and a conversation finishes on the version it began while a new one starts
on the newest; exports, pages, downloads and "what changed" name the versions."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.services import Services, build_services
from bot.web.app import create_app
from bot.web.dashboard import passwords
from storage import audit, flow_versions
from storage import officers as officers_repo
from storage.models import Conversation
from tests.bot.channels.sms.conftest import COUNCIL_NUMBER, sms_settings
from tests.bot.web.dashboard.conftest import PASSWORD, SECRET, post_form, token_from
from tests.bot.web.dashboard.seed import EVENT_START
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.helpers import wait_until
from tests.live import LiveServer
from tests.storage.flow_texts import BROKEN, V1, V2

FIRST, SECOND = "+447700900401", "+447700900402"
ADMIN, AUTHOR, OFFICER = "admin@council.example", "author@council.example", "plain@council.example"


@dataclass
class World:
    services: Services
    server: LiveServer
    twilio: FakeTwilio
    http: httpx.Client

    def text(self, number: str, body: str) -> None:
        form = inbound_sms_form(
            from_=number, to=COUNCIL_NUMBER, body=body, account_sid=self.twilio.account_sid
        )
        url = self.services.settings.public_url("/webhooks/twilio/sms")
        response = self.http.post(
            self.server.url("/webhooks/twilio/sms"),
            data=form,
            headers={"X-Twilio-Signature": sign(self.twilio.auth_token, url, form)},
        )
        assert response.status_code == 200

    def texts_to(self, number: str) -> list[str]:
        return [m.body for m in self.twilio.messages if m.to == number]

    def officer(self, email: str, role: str) -> int:
        with self.services.session_factory.begin() as s:
            return officers_repo.create(
                s,
                email=email,
                password_hash=passwords.hash_password(PASSWORD),
                role=role,
                areas=["*"],
                now=EVENT_START,
            ).id

    @contextlib.contextmanager
    def login(self, email: str) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=self.server.base_url, timeout=30) as client:
            data = {"email": email, "password": PASSWORD}
            response = post_form(client, "/dashboard/login", "/dashboard/login", data)
            assert response.status_code == 303
            yield client


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with FakeTwilio() as twilio:
        settings = sms_settings(
            database_url, twilio, "http://sendvoice.test", session_secret=SecretStr(SECRET)
        )
        services = build_services(settings, clock=FrozenClock(EVENT_START))
        with LiveServer(create_app(services)) as server, httpx.Client(timeout=10) as http:
            yield World(services, server, twilio, http)
        asyncio.run(services.aclose())
        services.close()


def upload(client: httpx.Client, text: str, name: str = "coffee_morning.yaml") -> httpx.Response:
    token = token_from(client.get("/dashboard/flows/upload").text)
    return client.post(
        "/dashboard/flows/upload",
        data={"csrf_token": token},
        files={"flow_file": (name, text.encode(), "application/yaml")},
    )


def publish(client: httpx.Client) -> httpx.Response:
    page = "/dashboard/flows/coffee_morning/versions"
    return post_form(client, page, "/dashboard/flows/coffee_morning/publish", {})


def _export(client: httpx.Client) -> list[dict[str, str]]:
    response = client.get(
        "/dashboard/exports/download",
        params={"format": "csv", "layout": "long", "flow": "coffee_morning"},
    )
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _conversations(world: World) -> list[tuple[int, str]]:
    with world.services.session_factory() as s:
        rows = s.execute(
            select(Conversation.flow_version, Conversation.status).order_by(Conversation.id)
        ).all()
    return [(v, status) for v, status in rows]


def test_a_conversation_finishes_on_its_version_while_new_ones_start_on_the_newest(
    world: World,
) -> None:
    world.officer(ADMIN, "admin")
    author_id = world.officer(AUTHOR, "officer")
    with world.login(ADMIN) as admin:
        made = post_form(
            admin, "/dashboard/officers", f"/dashboard/officers/{author_id}/author", {"author": "1"}
        )
        assert made.status_code == 303
    with world.login(AUTHOR) as author, world.login(ADMIN) as admin:
        saved = upload(author, V1)
        assert saved.status_code == 303
        assert saved.headers["location"].endswith("/flows/coffee_morning/versions?saved=upload")
        # An author writes; only an admin publishes.
        assert publish(author).status_code == 403
        assert publish(admin).status_code == 303

        world.text(FIRST, "COFFEE")
        wait_until(lambda: any("How useful" in t for t in world.texts_to(FIRST)))
        world.text(FIRST, "4")
        wait_until(lambda: any("Will you come again" in t for t in world.texts_to(FIRST)))

        assert upload(author, V2).status_code == 303
        published = publish(admin)
        assert published.headers["location"].endswith("versions?published=2")

        # The first family finishes on version 1: its goodbye, not version 2's.
        world.text(FIRST, "2")
        wait_until(lambda: any("goodbye" in t for t in world.texts_to(FIRST)))
        assert not any("next one" in t for t in world.texts_to(FIRST))
        # A new family starts on version 2, whose third option version 1 did not have.
        world.text(SECOND, "COFFEE")
        wait_until(lambda: any("useful to you" in t for t in world.texts_to(SECOND)))
        world.text(SECOND, "5")
        wait_until(lambda: any("Will you come again" in t for t in world.texts_to(SECOND)))
        world.text(SECOND, "3")
        wait_until(lambda: any("next one" in t for t in world.texts_to(SECOND)))
        assert _conversations(world) == [(1, "completed"), (2, "completed")]

        rows = _export(admin)
        asked = {(r["Flow version"], r["Question id"], r["Answer"]) for r in rows}
        assert asked == {
            ("1", "rating", "4"),
            ("1", "come_again", "No"),
            ("2", "rating", "5"),
            ("2", "come_again", "Maybe"),
        }
        by_version = {
            r["Flow version"]: r["Question"] for r in rows if r["Question id"] == "rating"
        }
        assert by_version == {
            "1": "How useful was the coffee morning?",
            "2": "Was the coffee morning useful to you?",
        }

        listed = admin.get("/dashboard/responses").text
        assert "v1" in listed
        assert "v2" in listed
        with world.services.session_factory() as s:
            first = s.scalars(select(Conversation.id).order_by(Conversation.id)).first()
        transcript = admin.get(f"/dashboard/responses/{first}").text
        assert "coffee_morning (version 1)" in transcript
        assert "How useful was the coffee morning?" in transcript

        page = admin.get("/dashboard/flows/coffee_morning/versions").text
        assert "new conversations start on this" in page
        # Who published each: the admin, both times (the author only wrote them).
        assert page.count(f"<td>{ADMIN}</td>") == 2
        assert AUTHOR not in page
        assert "an uploaded YAML file" in page
    with world.services.session_factory() as s:
        entries = audit.recent(s, action="publish_flow")
    assert [e.detail["version"] for e in entries] == [2, 1]


def _published_twice(world: World) -> None:
    with world.services.session_factory.begin() as s:
        flow_versions.publish(s, "coffee_morning", V1, None, "file", now=EVENT_START)
        flow_versions.publish(s, "coffee_morning", V2, None, "editor", now=EVENT_START)


def test_any_version_can_be_read_downloaded_and_compared(world: World) -> None:
    _published_twice(world)
    world.officer("viewer@council.example", "viewer")
    with world.login("viewer@council.example") as viewer:
        old = viewer.get("/dashboard/flows/coffee_morning/versions/1")
        assert old.status_code == 200
        assert "How useful was the coffee morning?" in old.text
        assert "New conversations start on version 2" in old.text
        download = viewer.get("/dashboard/flows/coffee_morning/versions/1.yaml")
        assert download.status_code == 200
        assert download.text == V1
        assert "coffee_morning.v1.yaml" in download.headers["content-disposition"]

        changes = viewer.get(
            "/dashboard/flows/coffee_morning/changes", params={"from": "1", "to": "2"}
        )
        assert changes.status_code == 200
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", changes.text))
        assert "rating: step changed" in text
        assert "Question (en) changed How useful was the coffee morning?" in text
        assert "Option maybe (en) added - Maybe" in text
        assert "thanks: step changed" in text

        # A flow that only the database holds is listed and runs its newest version.
        listed = viewer.get("/dashboard/flows").text
        assert "/dashboard/flows/coffee_morning" in listed
        current = viewer.get("/dashboard/flows/coffee_morning").text
        assert "Was the coffee morning useful to you?" in current
        assert "version 2" in current

        assert viewer.get("/dashboard/flows/coffee_morning/versions/3").status_code == 404
        assert viewer.get("/dashboard/flows/coffee_morning/versions/3.yaml").status_code == 404
        bad = viewer.get("/dashboard/flows/coffee_morning/changes", params={"from": "x"})
        assert bad.status_code == 400


def test_a_broken_upload_is_refused_naming_the_line_and_field(world: World) -> None:
    world.officer(ADMIN, "admin")
    with world.login(ADMIN) as admin:
        refused = upload(admin, BROKEN)
        assert refused.status_code == 400
        assert "was not saved" in refused.text
        assert "<td>12</td>" in refused.text
        assert "steps[0] (rating).type" in refused.text
        assert "scael" in refused.text
    with world.services.session_factory() as s:
        assert flow_versions.list_drafts(s) == []


def test_an_upload_in_place_of_a_draft_says_so(world: World) -> None:
    world.officer(ADMIN, "admin")
    with world.login(ADMIN) as admin:
        first = upload(admin, V1)
        assert first.status_code == 303
        page = admin.get(first.headers["location"]).text
        assert "Saved as the draft of" in page
        assert "in place of the draft" not in page
        second = upload(admin, V2)
        assert second.status_code == 303
        assert "in place of the draft last saved" in admin.get(second.headers["location"]).text
    with world.services.session_factory() as s:
        draft = flow_versions.get_draft(s, "coffee_morning")
        assert draft is not None
        assert draft.yaml_text == V2


def test_only_admins_and_authors_upload(world: World) -> None:
    world.officer(OFFICER, "officer")
    world.officer("viewer@council.example", "viewer")
    for email in (OFFICER, "viewer@council.example"):
        with world.login(email) as client:
            assert client.get("/dashboard/flows/upload").status_code == 403
            assert "Upload a flow" not in client.get("/dashboard/flows").text
            token = token_from(client.get("/dashboard/flows").text)
            sent = client.post(
                "/dashboard/flows/upload",
                data={"csrf_token": token},
                files={"flow_file": ("coffee_morning.yaml", V1.encode(), "application/yaml")},
            )
            assert sent.status_code == 403
    with world.services.session_factory() as s:
        assert flow_versions.list_drafts(s) == []


def test_a_rapidpro_export_becomes_a_draft_with_its_import_report(world: World) -> None:
    from pathlib import Path

    export = Path(__file__).parents[3] / "flows" / "interop" / "exports" / "every_kind.json"
    world.officer(ADMIN, "admin")
    with world.login(ADMIN) as admin:
        token = token_from(admin.get("/dashboard/flows/upload").text)
        response = admin.post(
            "/dashboard/flows/import-rapidpro",
            data={"csrf_token": token},
            files={"export_file": ("every_kind.json", export.read_bytes(), "application/json")},
        )
        assert response.status_code == 200
        page = response.text
        assert "saved as a draft" in page
        assert "node 1 action call_webhook: a webhook call not imported" in page
        assert "node 5 action enter_flow: a sub-flow not imported" in page
        not_json = admin.post(
            "/dashboard/flows/import-rapidpro",
            data={"csrf_token": token},
            files={"export_file": ("x.json", b"{not json", "application/json")},
        )
        assert not_json.status_code == 400
        assert "not valid JSON" in not_json.text
    with world.services.session_factory() as s:
        (draft,) = flow_versions.list_drafts(s)
    assert draft.source == "rapidpro"
    assert draft.report is not None
    assert any("call_webhook" in line for line in draft.report)


def test_an_admin_gives_and_takes_the_author_permission_on_the_officers_page(world: World) -> None:
    world.officer(ADMIN, "admin")
    officer_id = world.officer(OFFICER, "officer")
    page, action = "/dashboard/officers", f"/dashboard/officers/{officer_id}/author"
    with world.login(ADMIN) as admin:
        assert "Make author" in admin.get(page).text
        assert post_form(admin, page, action, {"author": "1"}).status_code == 303
        assert "yes: drafts and uploads" in admin.get(page).text
        with world.login(OFFICER) as officer:
            assert officer.get("/dashboard/flows/upload").status_code == 200
            assert "upload a flow file" in officer.get("/dashboard/flows").text
            assert post_form(officer, page, action, {"author": "1"}).status_code == 403
        assert post_form(admin, page, action, {"author": "0"}).status_code == 303
        with world.login(OFFICER) as officer:
            assert officer.get("/dashboard/flows/upload").status_code == 403
            assert "upload a flow file" not in officer.get("/dashboard/flows").text
        log = admin.get("/dashboard/audit").text
        assert "May write flows" in log
        assert "No longer writes flows" in log
