"""The retention purge: every copy goes, the dry run tells the truth, and a killed purge finishes."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.config import Settings
from bot.conversation.inbound import InboundMessage
from bot.privacy.retention import PurgeReport, count, purge
from bot.services import Services, build_services
from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage import export_files
from storage.models import (
    AuditEntry,
    ChannelIdentity,
    Contact,
    Conversation,
    DeliveryReceipt,
    Event,
    FollowUp,
    SafeguardingFlag,
)
from tests.command import run_command
from tests.helpers import readable_dump

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=731)
OLD = "+447700900777"
MIDWAY = "+447700900778"
RECENT = "+447700900779"
NAME = "Rhiannon Pritchard"
WORDS = ("Meeting Sam's teacher", "Earlier start", "Parking was hard")
FLAGGED = "my words for the safeguarding lead"


@pytest.fixture
def services(database_url: str) -> Services:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    svc = build_services(settings, clock=FrozenClock(NOW))
    yield svc  # type: ignore[misc]
    svc.close()


def converse(services: Services, address: str, replies: list[str], start: datetime) -> None:
    for i, body in enumerate(replies):
        services.clock.now = start + timedelta(minutes=i)  # type: ignore[attr-defined]
        services.dispatcher.handle(
            services.session_factory,
            InboundMessage("sms", address, body, f"{address}-{i}", services.clock()),
        )


def county(services: Services) -> None:
    """A named parent who finished, one who stopped half-way, and one who wrote last week."""
    with services.session_factory.begin() as s:
        contact, _, _ = contacts_repo.find_or_create(s, "sms", OLD, NOW, role="parent")
        contact.set_display_name(NAME, s.info["identifier_cipher"])
    converse(services, OLD, ["FEEDBACK", "1", "yes", "4", WORDS[0], WORDS[1]], NOW)
    converse(services, MIDWAY, ["FEEDBACK", "1", "yes", "3", WORDS[2]], NOW)
    converse(services, RECENT, ["FEEDBACK", "1", "yes", "5", "Fine"], LATER - timedelta(days=7))
    with services.session_factory.begin() as s:
        old = contacts_repo.find_by_address(s, "sms", OLD)[0]  # type: ignore[index]
        event = Event(
            title="Coffee morning",
            kind="coffee_morning",
            starts_at=NOW,
            ends_at=NOW,
            flow_id="feedback",
            created_at=NOW,
            updated_at=NOW,
        )
        s.add(event)
        s.flush()
        s.add(
            FollowUp(
                event_id=event.id,
                contact_id=old.id,
                flow_id="feedback",
                kind="reminder_1",
                due_at=LATER + timedelta(days=1),
                created_at=NOW,
                updated_at=NOW,
            )
        )
        s.add(DeliveryReceipt(channel="sms", provider_id="SM1", status="sent", received_at=NOW))
        s.add(
            SafeguardingFlag(
                contact_id=old.id, channel="sms", category="harm", text=FLAGGED, created_at=NOW
            )
        )


def test_the_dry_run_reports_exactly_what_the_real_run_does(
    services: Services, tmp_path: Path
) -> None:
    county(services)
    exported = tmp_path / "coffee morning.csv"
    exported.write_text("pseudonym,answer\n")
    with services.session_factory.begin() as s:
        old = contacts_repo.find_by_address(s, "sms", OLD)[0]  # type: ignore[index]
        export_files.record(
            s,
            path=str(exported),
            kind="responses",
            identified=False,
            actor="cli",
            contact_ids=[old.id],
            now=LATER,
        )
    dry = purge(
        services.session_factory, services.library, retention_days=730, now=LATER, dry_run=True
    )
    real = purge(
        services.session_factory, services.library, retention_days=730, now=LATER, dry_run=False
    )
    assert dry.figures() == real.figures()
    assert [f.path for f in dry.files] == [f.path for f in real.files] == [str(exported)]
    assert not exported.exists()
    # Every figure was exercised: a dry run that agreed only on zeros would prove nothing.
    assert all(real.figures().values()), real
    assert (real.contacts, real.identities, real.follow_ups, real.free_text_answers) == (2, 2, 1, 3)
    after = purge(
        services.session_factory, services.library, retention_days=730, now=LATER, dry_run=True
    )
    assert after == PurgeReport()


def test_a_purged_person_keeps_no_copy_of_their_name_or_their_words(
    services: Services, database_url: str
) -> None:
    county(services)
    before = readable_dump(database_url)
    # The name is never in clear, even before the purge, but in the texts that greeted them by it
    # (kept as sent, encrypted, until retention): the state is sealed (see test_at_rest).
    assert "Rhiannon" not in readable_dump(database_url, skip=frozenset({"messages"}))
    assert all(words in before for words in WORDS)
    purge(services.session_factory, services.library, retention_days=730, now=LATER, dry_run=False)
    # Safeguarding flags keep the exact words by policy (see bot.privacy.retention).
    everything_else = readable_dump(database_url, skip=frozenset({"safeguarding_flags"}))
    for secret in ("Rhiannon", *WORDS):
        assert secret not in everything_else
    with services.session_factory() as s:
        assert s.scalars(select(SafeguardingFlag.text)).all() == [FLAGGED]
        old, midway, recent = s.scalars(select(Conversation).order_by(Conversation.id))
        for stopped_half_way in (old, midway):
            # Nothing can wake a conversation whose memory is gone.
            assert (stopped_half_way.state, stopped_half_way.wake_at) == ({}, None)
            assert stopped_half_way.status == "expired"
            assert stopped_half_way.ended_at is not None
        recent_state = conversations_repo.state_of(s, recent)
        assert (recent.status, recent_state["values"]["worked_well"]) == ("active", "Fine")
        assert contacts_repo.find_by_address(s, "sms", RECENT) is not None
        assert contacts_repo.find_by_address(s, "sms", OLD) is None
        follow_up = s.scalars(select(FollowUp)).one()
        assert (follow_up.status, follow_up.reason) == ("cancelled", "identifiers erased")


def test_small_batches_do_what_one_large_batch_would(services: Services) -> None:
    county(services)
    dry = purge(
        services.session_factory, services.library, retention_days=730, now=LATER, dry_run=True
    )
    steps: list[int] = []
    real = purge(
        services.session_factory,
        services.library,
        retention_days=730,
        now=LATER,
        dry_run=False,
        batch_size=1,
        progress=steps.append,
    )
    assert real == dry
    assert len(steps) > 10
    assert sum(steps) == dry.total()  # the progress bar ends full


class Killed(Exception):
    pass


def killer(after_batches: int) -> Callable[[int], None]:
    """A progress callback that kills the purge once that many batches have committed."""
    seen = 0

    def progress(_done: int) -> None:
        nonlocal seen
        seen += 1
        if seen == after_batches:
            raise Killed

    return progress


def test_a_purge_killed_part_way_leaves_no_one_half_done_and_a_rerun_finishes(
    services: Services,
) -> None:
    county(services)
    library = services.library
    planned = purge(services.session_factory, library, retention_days=730, now=LATER, dry_run=True)
    for batches_before_the_kill in range(1, 40, 3):
        finished = False
        with contextlib.suppress(Killed):
            purge(
                services.session_factory,
                library,
                retention_days=730,
                now=LATER,
                dry_run=False,
                batch_size=1,
                progress=killer(batches_before_the_kill),
            )
            finished = True
        with services.session_factory() as s:
            left = count(s, library, retention_days=730, now=LATER)
            for contact in s.scalars(select(Contact)):
                held = s.scalars(
                    select(ChannelIdentity).where(ChannelIdentity.contact_id == contact.id)
                ).all()
                # Either a person is erased whole or not yet at all.
                assert (contact.erased_at is None) == bool(held)
        assert left.total() <= planned.total()
        # A run killed after its last batch has purged everything but recorded nothing: the
        # next run, with nothing to do, still finishes and is recorded.
        if finished:
            assert left.total() == 0
            break
    else:
        pytest.fail("the purge never finished")
    with services.session_factory() as s:
        runs = s.scalars(select(AuditEntry).where(AuditEntry.action == "retention_purge")).all()
    # Only completed runs are recorded, and together they did all that was planned.
    assert runs
    for name, planned_figure in planned.figures().items():
        assert sum(int(run.detail[name]) for run in runs) <= planned_figure


def test_the_run_is_recorded_with_its_figures_for_the_dashboard(services: Services) -> None:
    county(services)
    report = purge(
        services.session_factory, services.library, retention_days=730, now=LATER, dry_run=False
    )
    with services.session_factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "retention_purge")).one()
    assert entry.actor == "housekeeping"
    assert {k: entry.detail[k] for k in report.figures()} == report.figures()
    assert entry.detail["batches"] >= 1
    assert entry.detail["retention_days"] == 730


def test_the_command_shows_progress_and_says_what_it_did(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    county(services)  # at least two of them are past a one-day retention by the real clock
    env = {**os.environ, "DATABASE_URL": database_url, "RETENTION_DAYS": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_command(["privacy", "purge", *args], env=env, cwd=tmp_path)

    dry = run("--dry-run")
    assert dry.returncode == 0, dry.stderr
    real = run()
    assert real.returncode == 0, real.stderr
    assert "purging" in real.stderr
    assert dry.stdout.replace("would delete", "deleted") == real.stdout
    with services.session_factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "retention_purge")).one()
    assert entry.actor == "cli"
    assert entry.detail["contacts"] >= 2
    assert f"identifiers of {entry.detail['contacts']} people" in real.stdout
