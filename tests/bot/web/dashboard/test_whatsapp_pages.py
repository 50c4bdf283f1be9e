"""WhatsApp in the dashboard: the event's wa.me link and poster QR code, and the report's cost per
channel."""

from __future__ import annotations

from urllib.parse import quote

from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage import messages as messages_repo
from storage.models import Event
from tests.bot.web.dashboard.conftest import open_bare_dash
from tests.bot.web.dashboard.event_pages import create_event

WHATSAPP = {"twilio_whatsapp_from": "whatsapp:+447700900001"}


def test_the_event_page_and_poster_give_the_whatsapp_link_and_qr_code(database_url: str) -> None:
    with open_bare_dash(database_url, **WHATSAPP) as dash:
        dash.officer("ann@council.example", "officer", ("north",))
        with dash.login("ann@council.example") as client:
            event_id = create_event(client, title="Coffee morning")
            with dash.services.session_factory() as s:
                code = s.get_one(Event, event_id).code
            text = quote(
                f"Hello, I was at Coffee morning and would like to give feedback (code {code})"
            )
            link = f"https://wa.me/447700900001?text={text}"
            page = client.get(f"/dashboard/events/{event_id}/poster").text
            assert "<title>WhatsApp QR code for Coffee morning</title>" in page
            assert "Scan to open WhatsApp with a message ready to send us" in page
            assert "by text, on WhatsApp or on Telegram" in page
            event_page = client.get(f"/dashboard/events/{event_id}").text
            assert f'<a href="{link}">' in event_page.replace("&amp;", "&")


def test_the_report_says_what_each_channel_cost(database_url: str) -> None:
    prices = {"sms_price_per_segment": 0.04, "whatsapp_price_per_message": 0.03}
    with open_bare_dash(database_url, **prices) as dash:
        dash.officer("ann@council.example", "officer", ("north",))
        now = dash.clock()
        with dash.services.session_factory.begin() as s:
            for i, (channel, segments, count) in enumerate(
                [("sms", 2, 3), ("whatsapp", 1, 5), ("telegram", 1, 2)]
            ):
                contact, identity, _ = contacts_repo.find_or_create(
                    s, channel, f"+4477009002{i:02d}", now
                )
                conversation = conversations_repo.create(
                    s,
                    contact_id=contact.id,
                    flow_id="post_event",
                    flow_version=1,
                    language="en",
                    channel=channel,
                    state={},
                    status="completed",
                    now=now,
                    wake_at=None,
                )
                conversation.area = "north"
                for n in range(count + 1):
                    message = messages_repo.queue_outbound(
                        s,
                        channel=channel,
                        identity_id=identity.id,
                        contact_id=contact.id,
                        conversation_id=conversation.id,
                        body="question",
                        meta={},
                        segments=segments,
                        now=now,
                    )
                    if n < count:  # one of each is still waiting: not charged
                        messages_repo.mark_sent(s, message, f"{channel}-{i}-{n}", now)
        with dash.login("ann@council.example") as client:
            page = client.get("/dashboard/report").text
        assert "What the messages cost, by channel" in page
        assert "<td>SMS</td><td>3</td><td>6 SMS segments</td><td>£0.24</td>" in page
        assert "<td>WhatsApp</td><td>5</td><td>5 WhatsApp messages</td><td>£0.15</td>" in page
        assert "<td>Telegram</td><td>2</td><td>free</td><td>£0.00</td>" in page
        assert "<td>£0.39</td>" in page
