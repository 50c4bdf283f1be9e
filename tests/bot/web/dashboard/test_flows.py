"""The flow pages over HTTP: the list, one flow drawn with its texts, and the preview to the end."""

from __future__ import annotations

import html
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from storage.models import Answer, Contact, Conversation, Message, SafeguardingFlag
from tests.bot.web.dashboard.conftest import Dash
from tests.bot.web.dashboard.flow_preview import HttpPreview, Press, read_bubbles

FLOWS = ("ehcp_experience", "post_event", "you_said_we_did", "young_person_voice")


@pytest.fixture
def officer(bare_dash: Dash) -> Iterator[httpx.Client]:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    with bare_dash.login("ann@council.example") as client:
        yield client


def rows(dash: Dash) -> dict[str, int]:
    with dash.services.session_factory() as s:
        return {
            model.__name__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Contact, Conversation, Answer, Message, SafeguardingFlag)
        }


def test_the_list_shows_every_flow_with_its_facts(officer: httpx.Client) -> None:
    page = officer.get("/dashboard/flows")
    assert page.status_code == 200
    text = html.unescape(page.text)
    for flow_id in FLOWS:
        assert f'href="/dashboard/flows/{flow_id}"' in text
        assert f'href="/dashboard/flows/{flow_id}/preview"' in text
    assert "Feedback after an event" in text
    assert "<td>parents and carers</td>" in text
    assert "<td>young people</td>" in text
    assert "English, Welsh (Cymraeg)" in text
    assert "<td>Telegram chat</td>" in text
    assert "<td>SMS</td>" in text
    assert "<td>9</td>" in text  # post_event's questions
    assert "warning" in text  # the bundled flows have lint warnings (long SMS), and say so
    assert 'aria-current="page">Flows<' in text


def test_a_flow_is_drawn_with_its_branches_and_every_text(officer: httpx.Client) -> None:
    page = officer.get("/dashboard/flows/post_event")
    assert page.status_code == 200
    text = html.unescape(page.text)
    # The diagram: a box per step, branches labelled with their conditions.
    assert '<svg class="flowchart"' in text
    for step in ("intro", "attended", "what_stopped", "rating", "forum_next", "thanks"):
        assert f'id="fc-{step}"' in text
    assert ">if attended == no</text>" in text
    assert ">if rating <= 2</text>" in text
    assert ">otherwise</text>" in text
    assert "<script" not in text
    # The outline says the same in words, for screen readers and narrow screens.
    assert 'if rating <= 2: <a href="#step-main_problem">main_problem</a>' in text
    assert 'otherwise: <a href="#step-worked_well">worked_well</a>' in text
    # Texts side by side, options with labels, what a step allows, when it closes.
    assert "Did you go to {event_name}?" in text
    assert "{event_name}: fuoch chi yno?" in text
    assert '<td lang="en">Join the forum</td><td lang="cy">Ymuno a\'r fforwm</td>' in text
    assert "They may also answer: Skip, Don't know." in text
    assert "3 days after the last message" in text
    assert 'id="warnings"' in text


def test_unknown_flows_are_not_found(officer: httpx.Client) -> None:
    for path in ("/flows/nope", "/flows/nope/preview", "/flows/%3Cscript%3E"):
        response = officer.get("/dashboard" + path)
        assert response.status_code == 404, path
        assert "There is no flow with that name" in response.text
    page = HttpPreview(officer, "post_event").start("en", "sms")
    page.flow_id = "nope"
    assert page.send("yes").status == 404


def test_a_preview_refuses_languages_and_channels_the_flow_lacks(officer: httpx.Client) -> None:
    assert HttpPreview(officer, "post_event").start("fr", "sms").status == 400
    assert HttpPreview(officer, "post_event").start("en", "whatsapp").status == 400


def test_an_sms_preview_in_english_runs_to_the_end_and_stores_nothing(
    bare_dash: Dash, officer: httpx.Client
) -> None:
    before = rows(bare_dash)
    preview = HttpPreview(officer, "post_event").start("en", "sms")
    assert preview.status == 200
    first = preview.bubbles[0]
    assert "Hi Bethan." in first.text
    assert "Who is answering?" in first.text
    assert first.text.endswith("Reply STOP to opt out.")
    assert (first.segments, first.encoding) == (2, "GSM-7")
    preview.send("1")
    question = preview.bubbles[-1].text
    assert "Did you go to the Preparing for Adulthood: Moving On to College workshop?" in question
    for reply in ("yes", "4", "The speakers", "skip", "1", "yes", "3"):
        preview.send(reply)
        assert preview.status == 200, preview.html
    last = preview.bubbles[-1]
    assert last.side == "out"
    assert "Someone from the parent carer forum will be in touch soon." in last.text
    assert preview.ended
    assert "The conversation has finished." in preview.html
    assert "<dt>stay_in_touch</dt><dd>Both</dd>" in preview.html
    assert rows(bare_dash) == before


def test_a_telegram_preview_in_welsh_runs_to_the_end_with_buttons(
    bare_dash: Dash, officer: httpx.Client
) -> None:
    preview = HttpPreview(officer, "young_person_voice").start("cy", "telegram")
    assert preview.bubbles[1].text.startswith("Helo Bethan! 👋")
    assert preview.bubbles[-1].text.startswith("Oes rhywun yn dy helpu di i ateb?")
    preview.send(Press("Nac oes, dim ond fi"))
    question = preview.bubbles[-1]
    assert question.text == "Wyt ti'n hapus yn yr ysgol neu'r coleg?"
    assert [label for label, _ in question.buttons] == [
        "🙁 Nac ydw",
        "😐 Weithiau",
        "🙂 Ydw",
        "Sgipio",
        "Ddim yn gwybod",
    ]
    assert all(b.segments is None for b in preview.bubbles)
    preview.send(Press("🙂 Ydw"))
    assert preview.bubbles[-2].text == "Pressed: 🙂 Ydw"
    preview.send(Press("Sgipio"))
    preview.send("ydw")  # typed rather than pressed
    preview.send(Press("😐 Ychydig"))
    preview.send("Mwy o amser gyda ffrindiau")
    assert preview.status == 200
    assert preview.ended
    texts = [b.text for b in preview.bubbles if b.side == "out"]
    assert any(t.startswith("Diolch") for t in texts[-2:])
    assert "<dt>happy_school</dt><dd>3 - Yes</dd>" in preview.html
    assert "<dt>listened_to</dt><dd>Skipped</dd>" in preview.html


def test_an_old_button_is_answered_as_telegram_would(officer: httpx.Client) -> None:
    preview = HttpPreview(officer, "young_person_voice").start("en", "telegram")
    old = preview.button("No, just me")
    preview.send(Press("No, just me"))
    preview.send("", button=old)  # the first question's button, pressed again
    assert preview.status == 200
    assert "That button was for an earlier question." in html.unescape(preview.html)


def test_a_disclosure_shows_the_familys_reply_and_the_flag_it_would_raise(
    bare_dash: Dash, officer: httpx.Client
) -> None:
    before = rows(bare_dash)
    preview = HttpPreview(officer, "post_event").start("en", "sms")
    preview.send("my dad hits me")
    assert preview.status == 200
    reply, note = preview.bubbles[-2:]
    assert reply.side == "out"
    assert reply.text.startswith("Thank you for telling us. A person will read your message.")
    assert reply.segments is not None
    assert note.side == "note"
    assert "A safeguarding flag would be raised (physical abuse)" in note.text
    assert "nothing was stored or sent" in note.text
    assert "The conversation has paused." in preview.html
    assert rows(bare_dash) == before


def test_stop_in_a_preview_shows_the_opt_out(officer: httpx.Client) -> None:
    preview = HttpPreview(officer, "post_event").start("en", "sms")
    preview.send("STOP")
    assert preview.bubbles[-1].text.startswith("They would be opted out")
    assert preview.ended


def test_a_tampered_or_borrowed_preview_is_refused_with_400(officer: httpx.Client) -> None:
    preview = HttpPreview(officer, "post_event").start("en", "sms")
    state = read_bubbles(preview.html)[1]
    assert state
    for forged in (state[:-2] + "xx", "", "not-a-token", state + ".extra", "\x00" * 10):
        again = HttpPreview(officer, "post_event", preview.html)
        assert again.send("yes", state=forged).status == 400, forged
        assert "start it again" in again.html
    other = HttpPreview(officer, "you_said_we_did", preview.html)
    assert other.send("yes").status == 400
    assert "belongs to another flow" in other.html


def test_a_viewer_may_read_flows_too(bare_dash: Dash) -> None:
    bare_dash.officer("val@council.example", "viewer")
    with bare_dash.login("val@council.example") as val:
        assert val.get("/dashboard/flows").status_code == 200
        assert val.get("/dashboard/flows/ehcp_experience").status_code == 200
        preview = HttpPreview(val, "ehcp_experience").start("en", "sms")
        assert preview.send("5").status == 200


def test_signed_out_the_flow_pages_ask_to_sign_in(bare_dash: Dash) -> None:
    with bare_dash.client() as anonymous:
        page = anonymous.get("/dashboard/flows/post_event")
        assert page.status_code == 303
        assert "/dashboard/login" in page.headers["location"]


def test_a_long_reply_is_cut_as_the_channel_would_and_nul_is_dropped(
    officer: httpx.Client,
) -> None:
    preview = HttpPreview(officer, "post_event").start("en", "sms")
    preview.send("1").send("yes").send("2").send("x" * 10_000)
    assert preview.status == 200
    theirs = [b for b in preview.bubbles if b.side == "in"][-1]
    assert theirs.meta == "1600 characters in all"
    assert any(
        b.text == "SMS keeps only the first 1,600 characters of a message." for b in preview.bubbles
    )
    preview.send("Roedd y staff yn wych\x00 👍 ŵ")
    assert preview.status == 200
    assert [b for b in preview.bubbles if b.side == "in"][-1].text == "Roedd y staff yn wych 👍 ŵ"


WAYS_THROUGH = {
    "en": ["1", "yes", "4", "The speakers", "skip", "1", "yes", "3"],
    "cy": ["1", "ie", "4", "Y siaradwyr", "sgip", "1", "ie", "3"],
}


@pytest.mark.parametrize("channel", ["sms", "telegram"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_parents_flow_runs_to_the_end_in_each_language_and_channel(
    officer: httpx.Client, language: str, channel: str
) -> None:
    preview = HttpPreview(officer, "post_event").start(language, channel)
    for reply in WAYS_THROUGH[language]:
        assert not preview.ended
        preview.send(reply)
        assert preview.status == 200
    assert preview.ended
    assert "The conversation has finished." in preview.html
    assert "<dt>stay_in_touch</dt><dd>Both</dd>" in preview.html
    thanks = "Diolch" if language == "cy" else "Thank you"
    assert any(b.text.startswith(thanks) for b in preview.bubbles[-2:])
    sent = [b for b in preview.bubbles if b.side == "out"]
    if channel == "sms":
        assert all(b.segments and b.encoding in ("GSM-7", "UCS-2") for b in sent)
    else:
        assert all(b.segments is None for b in sent)
