"""The editor's preview as you type, over HTTP on the real app: the flow in the form (not saved)
starts and answers replies, a broken flow waits, nothing is saved, and only writers may use it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest

from tests.bot.web.dashboard.conftest import Dash, post_form, token_from
from tests.bot.web.dashboard.test_editor import COFFEE, NEW, author, draft_text, text_of

QUESTION = "How useful was the Preparing for Adulthood: Moving On to College workshop?"
FOLLOW_UP = "What could we do better?"
SEGMENTS = re.compile(r"\d+ segments? · (GSM-7|UCS-2) · \d+ characters")


@pytest.fixture
def admin(bare_dash: Dash) -> Iterator[httpx.Client]:
    author(bare_dash, "ada@council.example", "admin")
    with bare_dash.login("ada@council.example") as client:
        yield client


def fragment(client: httpx.Client, url: str, fields: list[tuple[str, str]]) -> httpx.Response:
    """What the editor's script sends a moment after the last key: the whole form."""
    token = token_from(client.get(NEW).text)
    return client.post(
        url,
        content=urlencode([*fields, ("csrf_token", token)]).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


def preview_part(html: str) -> str:
    start = html.index('id="live-preview"')
    return text_of(html[start : html.index("</section>", start)])


def test_the_typed_flow_shows_its_first_question_and_answers_a_reply_unsaved(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    page = post_form(admin, NEW, NEW, [*COFFEE, ("action", "preview_live")])
    assert page.status_code == 200
    shown = preview_part(page.text)
    assert QUESTION in shown
    assert SEGMENTS.search(shown)  # as a parent would get it by SMS, with what it costs
    assert FOLLOW_UP not in shown

    answered = post_form(admin, NEW, NEW, [*COFFEE, ("pv_reply", "1"), ("action", "preview_reply")])
    shown = preview_part(answered.text)
    assert FOLLOW_UP in shown
    # The reply travels with the page, so the next button press keeps the conversation.
    assert 'name="pv_said" value="1"' in answered.text
    again = post_form(admin, NEW, NEW, [*COFFEE, ("pv_said", "1"), ("action", "check")])
    assert FOLLOW_UP in preview_part(again.text)
    restarted = post_form(
        admin, NEW, NEW, [*COFFEE, ("pv_said", "1"), ("action", "preview_restart")]
    )
    assert FOLLOW_UP not in preview_part(restarted.text)
    assert draft_text(bare_dash, "coffee_morning") is None


def test_the_panel_comes_as_you_type_from_the_form_as_it_is(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    response = fragment(admin, "/dashboard/flows/new/preview", COFFEE)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert QUESTION in text_of(response.text)

    changed = [(k, "Did {event_name} help?" if k == "s0.text.en" else v) for k, v in COFFEE]
    response = fragment(
        admin,
        "/dashboard/flows/new/preview",
        [*changed, ("pv_said", "5"), ("pv_reply", "2"), ("action", "preview_reply")],
    )
    words = text_of(response.text)
    assert "Did the Preparing for Adulthood" in words
    # 5 takes no branch, so the next step is asked; 2 is then its answer, and the flow ends.
    assert FOLLOW_UP in words
    assert "The conversation has finished" in words
    assert draft_text(bare_dash, "coffee_morning") is None


def test_a_broken_flow_waits_for_its_problems_to_be_put_right(admin: httpx.Client) -> None:
    broken = [(k, v.replace("event_name", "event_nmae")) for k, v in COFFEE]
    page = post_form(admin, NEW, NEW, [*broken, ("pv_said", "1"), ("action", "preview_live")])
    shown = preview_part(page.text)
    assert "The preview waits for the problems in the checks to be put right" in shown
    assert 'name="pv_said" value="1"' in page.text  # kept for when it loads again
    response = fragment(admin, "/dashboard/flows/new/preview", broken)
    assert "The preview waits" in text_of(response.text)


def test_an_existing_flow_previews_the_changes_typed_and_keeps_its_draft(
    bare_dash: Dash, admin: httpx.Client
) -> None:
    post_form(admin, NEW, NEW, [*COFFEE, ("action", "save")])
    saved = draft_text(bare_dash, "coffee_morning")
    edit = "/dashboard/flows/coffee_morning/edit"
    assert QUESTION in preview_part(admin.get(edit).text)
    changed = [(k, "Was {event_name} worth it?" if k == "s0.text.en" else v) for k, v in COFFEE]
    page = post_form(admin, edit, edit, [*changed, ("action", "preview_live")])
    assert "Was the Preparing for Adulthood" in preview_part(page.text)
    response = fragment(admin, "/dashboard/flows/coffee_morning/edit/preview", changed)
    assert "Was the Preparing for Adulthood" in text_of(response.text)
    assert draft_text(bare_dash, "coffee_morning") == saved


def test_a_flow_for_both_previews_on_telegram_when_asked(admin: httpx.Client) -> None:
    both = [(k, "any" if k == "audience" else v) for k, v in COFFEE]
    page = post_form(
        admin, NEW, NEW, [*both, ("pv_channel", "telegram"), ("action", "preview_live")]
    )
    assert '<ol class="bubbles chat">' in page.text
    assert not SEGMENTS.search(preview_part(page.text))


def test_only_writers_may_preview_as_they_type(bare_dash: Dash) -> None:
    author(bare_dash, "ann@council.example", "officer")
    author(bare_dash, "ben@council.example", "officer", may_author=True)
    with bare_dash.login("ann@council.example") as ann:
        token = token_from(ann.get("/dashboard/flows").text)
        refused = ann.post(
            "/dashboard/flows/new/preview", data={**dict(COFFEE), "csrf_token": token}
        )
        assert refused.status_code == 403
        assert QUESTION not in refused.text
    with bare_dash.login("ben@council.example") as ben:
        assert QUESTION in text_of(fragment(ben, "/dashboard/flows/new/preview", COFFEE).text)


def test_a_forged_preview_is_cut_down_not_a_failure(admin: httpx.Client) -> None:
    forged = [
        *COFFEE,
        ("pv_lang", "xx\x00"),
        ("pv_channel", "fax"),
        *[("pv_said", "3" * 300)] * 100,  # under the 64 KiB every form has
    ]
    response = fragment(admin, "/dashboard/flows/new/preview", forged)
    assert response.status_code == 200
    words = text_of(response.text)
    assert QUESTION in words  # in the flow's own language, by SMS as for parents
    assert words.count("They reply:") <= 40
