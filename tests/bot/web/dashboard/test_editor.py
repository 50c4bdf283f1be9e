"""The flow editor over HTTP, on the real app: who may write and publish, what the checks say,
drafts kept, the draft previewed, a version published and audited, the YAML downloaded."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from storage import flow_versions
from storage import officers as officers_repo
from storage.models import AuditEntry
from tests.bot.web.dashboard.conftest import Dash, post_form

NEW = "/dashboard/flows/new"

# The README's coffee-morning flow as the editor's form posts it.
COFFEE = [
    ("title", "Coffee morning feedback"),
    ("id", "coffee_morning"),
    ("audience", "parent"),
    ("languages", "en"),
    ("start_keyword", "coffee"),
    ("expires_after", "3d"),
    ("who_answered", "off"),
    ("s0.type", "scale"),
    ("s0.id", "rating"),
    ("s0.text.en", "How useful was {event_name}?"),
    ("s0.range_lo", "1"),
    ("s0.range_hi", "5"),
    *[
        (f"s0.p{n}.label.en", word)
        for n, word in enumerate(["Not useful", "A little", "OK", "Useful", "Very useful"], 1)
    ],
    ("s0.allow", "skip"),
    ("s0.b0.present", "1"),
    ("s0.b0.question", "rating"),
    ("s0.b0.op", "<="),
    ("s0.b0.value", "2"),
    ("s0.b0.go", "what_went_wrong"),
    ("s1.type", "text"),
    ("s1.id", "what_went_wrong"),
    ("s1.text.en", "Sorry about that. What could we do better?"),
]


def author(dash: Dash, email: str, role: str, *, may_author: bool = False) -> None:
    officer_id = dash.officer(email, role)
    if may_author:
        with dash.services.session_factory.begin() as s:
            officer = officers_repo.get(s, officer_id)
            assert officer is not None
            officers_repo.set_author(s, officer, True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def draft_text(dash: Dash, flow_id: str) -> str | None:
    with dash.services.session_factory.begin() as s:
        draft = flow_versions.get_draft(s, flow_id)
        return None if draft is None else draft.yaml_text


@pytest.fixture
def admin(bare_dash: Dash) -> httpx.Client:
    author(bare_dash, "ada@council.example", "admin")
    with bare_dash.login("ada@council.example") as client:
        yield client


def test_only_admins_and_authors_may_write_and_only_admins_publish(bare_dash: Dash) -> None:
    author(bare_dash, "ann@council.example", "officer")
    author(bare_dash, "ben@council.example", "officer", may_author=True)
    with bare_dash.login("ann@council.example") as ann:
        assert ann.get(NEW).status_code == 403
        assert "author permission" in ann.get("/dashboard/flows/post_event/edit").text
        assert "Write a new flow" not in ann.get("/dashboard/flows").text
    with bare_dash.login("ben@council.example") as ben:
        page = ben.get(NEW)
        assert page.status_code == 200
        assert "Publish" not in page.text
        saved = post_form(ben, NEW, NEW, [*COFFEE, ("action", "save")])
        assert saved.status_code == 303
        assert "id: coffee_morning" in (draft_text(bare_dash, "coffee_morning") or "")
        edit = "/dashboard/flows/coffee_morning/edit"
        refused = post_form(ben, edit, edit, [*COFFEE, ("action", "publish")])
        assert refused.status_code == 403
    with bare_dash.services.session_factory.begin() as s:
        assert flow_versions.latest(s, "coffee_morning") is None


def test_the_coffee_morning_is_built_checked_saved_and_published(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    checked = post_form(admin, NEW, NEW, [*COFFEE, ("action", "check")])
    assert checked.status_code == 200
    assert "No problems: this flow can be published." in text_of(checked.text)
    # The condition builder wrote the loader's own language.
    saved = post_form(admin, NEW, NEW, [*COFFEE, ("action", "save")])
    assert saved.headers["location"] == "/dashboard/flows/coffee_morning/edit?saved=1"
    draft = draft_text(bare_dash, "coffee_morning") or ""
    assert "- if: rating <= 2\n    go: what_went_wrong" in draft
    assert "start_keyword: COFFEE" in draft
    edit = "/dashboard/flows/coffee_morning/edit"
    page = admin.get(edit)
    assert "Started from the saved draft" in text_of(page.text)
    assert 'value="Very useful"' in page.text

    download = admin.get("/dashboard/flows/coffee_morning/download")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "coffee_morning-draft.yaml" in download.headers["content-disposition"]
    assert download.text == draft

    published = post_form(admin, edit, edit, [*COFFEE, ("action", "publish")])
    assert published.headers["location"] == edit + "?published=1"
    assert "Published as version 1." in text_of(admin.get(published.headers["location"]).text)
    with bare_dash.services.session_factory.begin() as s:
        version = flow_versions.latest(s, "coffee_morning")
        assert version is not None
        assert version.number == 1
        assert "version: 1" in version.yaml_text
        assert flow_versions.get_draft(s, "coffee_morning") is None
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "publish_flow")).one()
        assert entry.subject == "flow:coffee_morning"

    changed = [(k, "How useful was it, all in all?" if k == "s0.text.en" else v) for k, v in COFFEE]
    again = post_form(admin, edit, edit, [*changed, ("action", "publish")])
    assert again.headers["location"] == edit + "?published=2"
    with bare_dash.services.session_factory.begin() as s:
        numbers = [v.number for v in flow_versions.list_versions(s, "coffee_morning")]
    assert numbers == [2, 1]


def test_the_loaders_errors_name_the_step_and_field_and_nothing_is_published(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    broken = [
        (k, "maybe" if k == "s0.b0.value" else v.replace("event_name", "event_nmae"))
        for k, v in COFFEE
    ]
    page = post_form(admin, NEW, NEW, [*broken, ("action", "check")])
    words = text_of(page.text)
    assert "1 problem to put right" in words
    assert "steps[0] (rating).ask : unknown variable {event_nmae}" in words
    mended = [(k, v.replace("event_nmae", "event_name")) for k, v in broken]
    words = text_of(post_form(admin, NEW, NEW, [*mended, ("action", "check")]).text)
    assert "steps[0] (rating).next[0].if : &#39;rating&#39; is a number" in words
    page = post_form(admin, NEW, NEW, [*broken, ("action", "save")])
    edit = "/dashboard/flows/coffee_morning/edit"
    refused = post_form(admin, edit, edit, [*broken, ("action", "publish")])
    assert refused.status_code == 200
    assert "Not published" in refused.text
    with bare_dash.services.session_factory.begin() as s:
        assert flow_versions.latest(s, "coffee_morning") is None


def test_steps_are_added_moved_and_removed(admin: httpx.Client) -> None:
    page = post_form(admin, NEW, NEW, [*COFFEE, ("action", "add"), ("new_type", "yes_no")])
    assert 'name="s2.type"' in page.text
    assert 'id="s2.text.en"' in page.text
    page = post_form(admin, NEW, NEW, [*COFFEE, ("action", "down:0")])
    # Moved below the question it branches to, the rule now names a step that is not after it.
    assert page.text.index('value="what_went_wrong"') < page.text.index('value="rating"')
    page = post_form(admin, NEW, NEW, [*COFFEE, ("action", "remove:1")])
    assert 'name="s1.type"' not in page.text
    assert "no step has id &#39;what_went_wrong&#39;" in page.text


def test_the_checks_come_as_you_type(admin: httpx.Client) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', admin.get(NEW).text)
    assert token
    fields = dict(COFFEE)
    fields["s0.text.en"] = "How useful was {event_nmae}?"
    response = admin.post(
        "/dashboard/flows/new/check", data={**fields, "csrf_token": token.group(1)}
    )
    assert response.status_code == 200
    assert "event_nmae" in response.text
    assert "<html" not in response.text


def test_the_yaml_is_edited_directly_and_errors_name_its_line(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    post_form(admin, NEW, NEW, [*COFFEE, ("action", "save")])
    url = "/dashboard/flows/coffee_morning/yaml"
    text = draft_text(bare_dash, "coffee_morning") or ""
    page = post_form(
        admin,
        url,
        url,
        {"yaml_text": text.replace("rating <= 2", "rating <= x"), "action": "check"},
    )
    assert re.search(r"next\[0\]\.if</code> \(line \d+\)", page.text)
    post_form(admin, url, url, {"yaml_text": text.replace("A little", "A bit"), "action": "save"})
    assert "A bit" in (draft_text(bare_dash, "coffee_morning") or "")
    # Back in the form, the text typed as YAML is there.
    assert 'value="A bit"' in admin.get("/dashboard/flows/coffee_morning/edit").text


def test_the_draft_runs_in_the_preview(bare_dash: Dash, admin: httpx.Client) -> None:
    saved = post_form(admin, NEW, NEW, [*COFFEE, ("action", "save")])
    assert saved.status_code == 303
    edit = "/dashboard/flows/coffee_morning/edit"
    go = post_form(admin, edit, edit, [*COFFEE, ("action", "preview")])
    assert go.headers["location"] == "/dashboard/flows/coffee_morning/draft/preview"
    page = admin.get(go.headers["location"])
    assert "Preview of the draft" in page.text
    assert "How useful was" in page.text
    token = re.search(r'name="state" value="([^"]+)"', page.text)
    assert token
    url = "/dashboard/flows/coffee_morning/draft/preview"
    reply = post_form(admin, url, url, {"state": token.group(1), "reply": "1"})
    assert "What could we do better?" in reply.text


def test_an_existing_flow_opens_in_the_form_from_its_file(admin: httpx.Client) -> None:
    page = admin.get("/dashboard/flows/post_event/edit")
    assert page.status_code == 200
    assert "Started from its flow file" in text_of(page.text) or "Started from version" in text_of(
        page.text
    )
    assert 'id="s0.text.cy"' in page.text  # English and Welsh side by side
    assert page.headers["content-security-policy"].endswith("script-src 'self'; connect-src 'self'")


def test_a_name_no_flow_could_have_is_refused_before_the_database(admin: httpx.Client) -> None:
    for path in ("/flows/a%00b/edit", "/flows/Post_Event/yaml", "/flows/x%0A/download"):
        assert admin.get("/dashboard" + path).status_code == 404


def test_a_draft_is_discarded_and_the_version_in_use_comes_back(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    edit = "/dashboard/flows/post_event/edit"
    assert "Discard the draft" not in admin.get(edit).text
    page = admin.get(edit)
    assert 'value="attended"' in page.text
    post_form(admin, edit, edit, [("title", "Changed"), ("s0.type", "message"), ("action", "save")])
    assert "Discard the draft" in admin.get(edit).text
    gone = post_form(admin, edit, edit, [("action", "discard")])
    assert gone.headers["location"] == edit + "?discarded=1"
    assert draft_text(bare_dash, "post_event") is None
    assert "Draft discarded" in admin.get(gone.headers["location"]).text


def test_a_new_flow_cannot_take_an_existing_flows_name(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    taken = [(k, "post_event" if k == "id" else v) for k, v in COFFEE]
    for action in ("save", "publish"):
        page = post_form(admin, NEW, NEW, [*taken, ("action", action)])
        assert page.status_code == 200
        assert "a flow called post_event already exists" in page.text
    with bare_dash.services.session_factory.begin() as s:
        assert flow_versions.get_draft(s, "post_event") is None
        assert all(v.source == "file" for v in flow_versions.list_versions(s, "post_event"))


def test_a_bundled_flow_changed_in_the_editor_is_published_after_its_file(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    edit = "/dashboard/flows/post_event/edit"
    yaml_url = "/dashboard/flows/post_event/yaml"
    text = admin.get("/dashboard/flows/post_event/download").text
    changed = text.replace("Did you go to {event_name}?", "Were you at {event_name}?", 1)
    assert changed != text
    published = post_form(admin, yaml_url, yaml_url, {"yaml_text": changed, "action": "publish"})
    assert published.headers["location"] == edit + "?published=2"
    with bare_dash.services.session_factory.begin() as s:
        newest = flow_versions.latest(s, "post_event")
        assert newest is not None
        assert newest.source == "editor"
        assert "version: 2" in newest.yaml_text
    assert "Were you at" in admin.get("/dashboard/flows/post_event").text
