"""Kill -9 `sendvoice serve` in the middle of a load run, restart it: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from bot.conversation.inbound import InboundMessage
from bot.services import build_services
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage import followups as followups_repo
from storage.models import ChannelIdentity, Conversation
from tests.bot.channels.sms.conftest import sms_settings
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.helpers import pending_outbound, requires_postgres, wait_until
from tests.serve import free_port, serve

PARENTS = [f"+44770091{i:04d}" for i in range(30)]  # mid-conversation, about to answer
INVITED = [f"+44770092{i:04d}" for i in range(30)]  # due a follow-up request


@requires_postgres
def test_kill_9_mid_run_then_restart(database_url: str, tmp_path: Path) -> None:
    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "http://127.0.0.1")
        setup = build_services(settings)
        now = datetime.now(UTC)
        for number in PARENTS:  # each is asked "Who is answering?"; the reply comes below
            setup.dispatcher.handle(
                setup.session_factory,
                InboundMessage("sms", number, "FEEDBACK", f"SMf{number}", now),
            )
        with setup.session_factory.begin() as s:
            event = events_repo.create(
                s,
                title="the consultation",
                kind="consultation",
                starts_at=now - timedelta(hours=27),
                ends_at=now - timedelta(hours=26),
                flow_id="post_event",
                reminders=(),
                now=now - timedelta(days=2),
            )
            for number in INVITED:
                contact, _, _ = contacts_repo.find_or_create(s, "sms", number, now)
                followups_repo.plan(s, event, contact.id, now)
        setup.close()
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": "+447700900000",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "SMS_MAX_PER_SECOND": "40",
            "QUIET_HOURS_START": "00:00",
            "QUIET_HOURS_END": "00:00",
            "SCHEDULER_INTERVAL_SECONDS": "1",
            "FOLLOWUP_BATCH_SIZE": "10",
        }
        answered: set[str] = set()

        def reply(client: httpx.Client, number: str) -> None:
            form = inbound_sms_form(
                from_=number,
                to="+447700900000",
                body="1",
                sid=f"SM{number[1:]:0>32}",
                account_sid=twilio.account_sid,
            )
            url = f"http://127.0.0.1:{port}/webhooks/twilio/sms"
            try:
                response = client.post(
                    url,
                    data=form,
                    timeout=5,
                    headers={"X-Twilio-Signature": sign(twilio.auth_token, url, form)},
                )
            except httpx.HTTPError:
                return  # no 2xx: the provider would deliver it again
            if response.status_code == 200:
                answered.add(number)

        with serve(env, tmp_path, port=port) as first, httpx.Client() as client:
            for number in PARENTS[:15]:
                reply(client, number)
            wait_until(lambda: len(twilio.messages) >= 20, timeout=30)
            first.process.send_signal(signal.SIGKILL)
            first.process.wait(timeout=10)
        sent_before_restart = len(twilio.messages)
        with serve(env, tmp_path, port=port), httpx.Client() as client:
            for number in PARENTS:  # the unanswered ones, and a redelivery of the rest
                reply(client, number)
            expected = len(PARENTS) + len(answered) + len(INVITED)
            try:
                wait_until(lambda: len(twilio.messages) >= expected, timeout=60)
            except AssertionError:
                got = Counter(m.to for m in twilio.messages)
                raise AssertionError(
                    f"{len(twilio.messages)} of {expected} messages; answered {len(answered)}; "
                    f"before restart {sent_before_restart}; parents "
                    f"{Counter(got[n] for n in PARENTS)}; invited {Counter(got[n] for n in INVITED)}"
                ) from None
            # Nothing left queued or held: nothing more can go (a leftover would be resent).
            wait_until(lambda: not pending_outbound(database_url), timeout=60)
        per_number = Counter(m.to for m in twilio.messages)
        check = build_services(settings)
        with check.session_factory() as s:
            stored = Counter(
                s.scalars(
                    select(ChannelIdentity.contact_id)
                    .join(Conversation, Conversation.contact_id == ChannelIdentity.contact_id)
                    .where(Conversation.answered_by == "self")
                )
            )
        check.close()
    assert sent_before_restart < expected  # the kill really came mid-run
    assert answered == set(PARENTS)
    assert {n: per_number[n] for n in PARENTS} == dict.fromkeys(PARENTS, 2)
    assert {n: per_number[n] for n in INVITED} == dict.fromkeys(INVITED, 1)
    assert len(stored) == len(PARENTS)
    assert set(stored.values()) == {1}
