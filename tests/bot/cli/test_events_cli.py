"""`sendvoice events ...` as an officer uses it: create, import who came, see the schedule."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import main
from bot.config import get_settings
from storage import events, followups
from storage.models import Contact, Event, FollowUp

Invoke = Callable[..., Result]

CREATE = [
    "events", "create", "--title", "Preparing for Adulthood workshop", "--kind", "workshop",
    "--start", "2026-06-13T10:00", "--end", "2026-06-13T12:30", "--flow", "post_event",
]  # fmt: skip
PEOPLE = [
    {"name": "Anna Jones", "phone": "07700 900123", "role": "parent", "consent": "yes"},
    {"name": "Cai Morgan", "phone": "07700900124", "role": "parent", "language": "cy",
     "consent": "yes"},
    {"name": "Dee Price", "telegram": "5550001", "role": "young_person", "consent": "yes"},
]  # fmt: skip


def _csv(path: Path, people: list[dict[str, str]]) -> Path:
    columns = ["name", "phone", "telegram", "role", "language", "consent"]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows({c: p.get(c, "") for c in columns} for p in people)
    return path


def _count(session_factory: sessionmaker[Session], model: type[object]) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/London")
    monkeypatch.delenv("FLOW_PATHS", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args))

    yield invoke
    get_settings.cache_clear()


@pytest.fixture
def event_id(cli: Invoke) -> str:
    result = cli(*CREATE)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[-1]


def test_create_prints_a_summary_and_the_new_id_alone_on_the_last_line(
    cli: Invoke, session_factory: sessionmaker[Session]
) -> None:
    result = cli(*CREATE, "--area", "north", "--location", "Town Hall")
    assert result.exit_code == 0, result.output
    *summary, last = result.stdout.splitlines()
    assert last.isdigit()
    text = "\n".join(summary)
    assert "2026-06-13 10:00 to 12:30 (Europe/London)" in text
    assert "first request 1 day after the event ends, 2026-06-14 12:30" in text
    assert "2 days later, 2026-06-16 12:30; 1 week later, 2026-06-21 12:30" in text
    with session_factory() as session:
        event = session.get_one(Event, int(last))
    # Naive times are the council's wall clock: 10:00 in June is 09:00 UTC (BST).
    assert event.starts_at == datetime(2026, 6, 13, 9, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2026, 6, 13, 11, 30, tzinfo=UTC)
    assert (event.kind, event.area, event.location) == ("workshop", "north", "Town Hall")


def test_the_created_plan_becomes_rows_at_the_promised_times(
    cli: Invoke, session_factory: sessionmaker[Session]
) -> None:
    result = cli(*CREATE, "--delay", "2h", "--reminder", "3d", "--expires", "5d")
    assert result.exit_code == 0, result.output
    with session_factory.begin() as session:
        event = session.get_one(Event, int(result.stdout.splitlines()[-1]))
        assert (event.followup_delay_s, event.reminder_1_s, event.reminder_2_s) == (
            2 * 3600,
            3 * 24 * 3600,
            None,
        )
        assert event.request_expires_s == 5 * 24 * 3600
        assert followups.planned_times(event) == {
            "initial": datetime(2026, 6, 13, 13, 30, tzinfo=UTC),
            "reminder_1": datetime(2026, 6, 16, 13, 30, tzinfo=UTC),
        }


def test_no_reminders_and_spelt_out_kinds_and_utc_times(
    cli: Invoke, session_factory: sessionmaker[Session]
) -> None:
    result = cli(
        "events", "create", "--title", "Coffee and chat", "--kind", "Coffee Morning",
        "--start", "2026-01-10T10:00Z", "--end", "2026-01-10T11:00+00:00", "--flow", "post_event",
        "--no-reminders",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "no reminders" in result.stdout
    with session_factory() as session:
        event = session.get_one(Event, int(result.stdout.splitlines()[-1]))
    assert (event.kind, event.reminder_1_s, event.reminder_2_s) == ("coffee_morning", None, None)
    assert event.starts_at == datetime(2026, 1, 10, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--end", "2026-06-13T09:00"], "2026-06-13 09:00 is not after the start"),
        (["--flow", "no_such_flow"], "no flow 'no_such_flow'; known: "),
        (["--kind", "disco"], "'disco' is not a kind of event; use one of workshop"),
        (["--reminder", "1d", "--reminder", "2d", "--reminder", "3d"], "at most 2 reminders"),
        (["--reminder", "1d", "--no-reminders"], "--reminder or --no-reminders, not both"),
        (["--reminder", "3w"], "would come after it expires (2 weeks; see --expires)"),
        (["--delay", "tomorrow"], "'tomorrow' is not a duration"),
        (["--start", "2026-06-13"], "has no time of day"),
        (["--start", "13/06/2026 10:00"], "is not a date and time"),
        (["--start", "2026-03-29T01:30"], "does not exist in Europe/London"),
        (["--title", "x" * 201], "title is longer than 200 characters"),
    ],
)
def test_bad_input_is_refused_with_exit_code_2_and_a_reason(
    cli: Invoke, session_factory: sessionmaker[Session], change: list[str], message: str
) -> None:
    result = cli(*CREATE, *change)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert _count(session_factory, Event) == 0


def test_an_out_of_date_database_is_refused_with_the_fix(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    get_settings.cache_clear()
    for args in (CREATE, ["events", "list"]):
        result = cli(*args)
        assert result.exit_code == 2
        assert "Run `sendvoice db upgrade`" in result.stderr


def test_import_then_list_and_show_name_nobody(
    cli: Invoke, event_id: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = _csv(tmp_path / "came.csv", PEOPLE)
    result = cli("events", "attendees", "import", event_id, str(path))
    assert result.exit_code == 0, result.output
    assert "Read 3 people from came.csv (UTF-8)." in result.stdout
    assert "new attendees:      3" in result.stdout
    assert "follow-ups planned: 9" in result.stdout

    with session_factory.begin() as session:
        row = followups.for_event(session, int(event_id))[0]
        followups.settle(session, row, "skipped", "opted out", row.updated_at)
        pseudonyms = set(session.scalars(select(Contact.pseudonym)))

    listing = cli("events", "list")
    shown = cli("events", "show", event_id)
    assert listing.exit_code == shown.exit_code == 0
    assert "Preparing for Adulthood workshop" in listing.stdout
    assert "      3       8      0" in listing.stdout  # people, to send, sent
    assert "follow-ups: 8 pending, 1 skipped" in shown.stdout
    assert "skipped    opted out" in shown.stdout
    assert "2026-06-14 12:30" in shown.stdout  # due times in local time
    assert pseudonyms <= set(shown.stdout.split())
    for text in (listing.output, shown.output):
        for person in PEOPLE:
            for value in (person["name"], *person["name"].split()):
                assert value not in text
        for digits in ("7700", "900123", "900124", "5550001"):
            assert digits not in text


def test_show_filters_by_status_limits_rows_and_finds_events_by_code(
    cli: Invoke, event_id: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    cli("events", "attendees", "import", event_id, str(_csv(tmp_path / "a.csv", PEOPLE)))
    with session_factory() as session:
        code = session.get_one(Event, int(event_id)).code
    limited = cli("events", "show", code, "--limit", "2")
    assert limited.exit_code == 0, limited.output
    assert "... and 7 more (--limit 0 lists them all)" in limited.stdout
    only = cli("events", "show", event_id, "--status", "skipped")
    assert "follow-ups: 9 pending" in only.stdout
    assert "initial" not in only.stdout
    missing = cli("events", "show", "nope")
    assert missing.exit_code == 2
    assert "no event 'nope'" in missing.stderr


def test_a_file_with_problems_imports_nobody_and_says_which_rows(
    cli: Invoke, event_id: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    bad = [*PEOPLE, PEOPLE[0] | {"name": "Again"}, {"name": "Z", "phone": "0770090",
           "role": "parent", "consent": "maybe"}]  # fmt: skip
    result = cli("events", "attendees", "import", event_id, str(_csv(tmp_path / "b.csv", bad)))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 5: phone: '07700 900123' is the same number as row 2",
        "row 6: consent: 'maybe' is not yes or no",
        "row 6: phone: '0770090' is not a phone number (too short or too long for a mobile)",
        "Nothing was imported: 3 problem(s) in 2 row(s) of b.csv. Fix them and import the file "
        "again.",
    ]
    assert _count(session_factory, Contact) == 0


def test_reimport_reports_everyone_already_there(
    cli: Invoke, event_id: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = _csv(tmp_path / "came.csv", PEOPLE)
    cli("events", "attendees", "import", event_id, str(path))
    again = cli("events", "attendees", "import", event_id, str(path))
    assert again.exit_code == 0, again.output
    assert "new attendees:      0" in again.stdout
    assert "already attending:  3" in again.stdout
    assert _count(session_factory, FollowUp) == 9


def test_a_large_file_shows_progress(
    cli: Invoke, event_id: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    people = [
        {"name": f"P{i}", "phone": f"07700{i:06d}", "role": "parent", "consent": "yes"}
        for i in range(250)
    ]
    result = cli("events", "attendees", "import", event_id, str(_csv(tmp_path / "c.csv", people)))
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr
    assert "new attendees:      250" in result.stdout


def test_a_damaged_workbook_is_refused_before_touching_the_database(
    cli: Invoke, event_id: str, tmp_path: Path
) -> None:
    workbook = tmp_path / "came.xlsx"
    workbook.write_bytes(b"PK\x03\x04...")
    result = cli("events", "attendees", "import", event_id, str(workbook))
    assert result.exit_code == 1
    assert "came.xlsx: this looks like an Excel workbook but cannot be opened" in result.stderr


def test_someone_who_said_no_is_imported_as_attending_and_not_contacted(
    cli: Invoke, event_id: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    people = [*PEOPLE, {"name": "Fay", "phone": "07700900199", "role": "parent", "consent": "no"}]
    result = cli("events", "attendees", "import", event_id, str(_csv(tmp_path / "n.csv", people)))
    assert result.exit_code == 0, result.stderr
    assert f"new attendees:      {len(people)}" in result.stdout
    assert "not to be contacted: 1 (came, but did not agree to be contacted" in result.stdout


def test_import_into_an_unknown_event_is_refused(cli: Invoke, tmp_path: Path) -> None:
    result = cli("events", "attendees", "import", "42", str(_csv(tmp_path / "a.csv", PEOPLE)))
    assert result.exit_code == 2
    assert "no event '42'" in result.stderr


def test_the_installed_command_prints_the_id_last_for_scripts(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    exe = shutil.which("sendvoice") or str(Path(sys.executable).with_name("sendvoice"))
    result = subprocess.run(
        [exe, *CREATE],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    event_id = int(result.stdout.splitlines()[-1])
    with session_factory() as session:
        event = events.get(session, event_id)
        assert event is not None
        assert event.ends_at - event.starts_at == timedelta(hours=2, minutes=30)


def test_an_event_carries_a_welsh_title_set_at_creation_and_edited_later(
    cli: Invoke, session_factory: sessionmaker[Session]
) -> None:
    created = cli(*CREATE, "--title-cy", "Gweithdy Paratoi at Fod yn Oedolyn")
    assert created.exit_code == 0, created.output
    assert "Welsh: Gweithdy Paratoi at Fod yn Oedolyn" in created.stdout
    ref = created.stdout.splitlines()[-1]
    shown = cli("events", "show", ref)
    assert "in Welsh:   Gweithdy Paratoi at Fod yn Oedolyn" in shown.stdout
    edited = cli("events", "edit", ref, "--title-cy", "Gweithdy Pontio", "--location", "Neuadd")
    assert edited.exit_code == 0, edited.output
    with session_factory() as session:
        event = session.get_one(Event, int(ref))
        assert (event.title, event.title_cy, event.location) == (
            "Preparing for Adulthood workshop",
            "Gweithdy Pontio",
            "Neuadd",
        )
        assert events.names(event) == {
            "event_name": "Preparing for Adulthood workshop",
            "event_name_cy": "Gweithdy Pontio",
        }
    cleared = cli("events", "edit", ref, "--title-cy", "")
    assert cleared.exit_code == 0, cleared.output
    assert "Welsh readers see the title" in cleared.stdout


def test_edit_refuses_nothing_to_change_an_empty_title_and_an_unknown_event(
    cli: Invoke, event_id: str
) -> None:
    nothing = cli("events", "edit", event_id)
    assert nothing.exit_code == 2
    assert "say what to change" in nothing.output
    empty = cli("events", "edit", event_id, "--title", "  ")
    assert empty.exit_code == 2
    assert "needs a title" in empty.output
    long = cli("events", "edit", event_id, "--title-cy", "x" * 201)
    assert long.exit_code == 2
    assert "longer than 200" in long.output
    unknown = cli("events", "edit", "9999", "--title", "New")
    assert unknown.exit_code == 2
    assert "no event" in unknown.output
