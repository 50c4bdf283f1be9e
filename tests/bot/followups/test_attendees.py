from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.followups import attendees
from bot.followups.attendee_rows import read_table
from bot.followups.attendees import (
    ImportConflict,
    ImportFileError,
    RowProblem,
    check,
    import_attendees,
)
from storage import contacts, events, followups
from storage.models import Attendee, ChannelIdentity, Contact, Event, FollowUp

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HEADER = ["name", "phone", "telegram", "role", "language", "consent"]
ANNA = {"name": "Anna Jones", "phone": "07700 900123", "role": "parent", "consent": "yes"}
CAI = {
    "name": "Cai",
    "phone": "+44 7700 900124",
    "role": "parent",
    "language": "cy",
    "consent": "Y",
}
DEE = {"name": "Dee", "telegram": "5550001", "role": "young person", "consent": "true"}
ELI = {
    "name": "Eli",
    "phone": "07700900125",
    "telegram": "5550002",
    "role": "young_person",
    "language": "Welsh",
    "consent": "1",
}


def _rows(*people: dict[str, str]) -> list[dict[str, str]]:
    return [{column: person.get(column, "") for column in HEADER} for person in people]


def _problems(*people: dict[str, str]) -> list[str]:
    return [str(p) for p in check(_rows(*people), "GB").problems]


def _write(path: Path, people: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.DictWriter(f, HEADER)
        writer.writeheader()
        writer.writerows(_rows(*people))
    return path


def _count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def event(session_factory: sessionmaker[Session]) -> Event:
    with session_factory.begin() as session:
        return events.create(
            session,
            title="Preparing for Adulthood workshop",
            kind="workshop",
            starts_at=datetime(2026, 3, 14, 10, tzinfo=UTC),
            ends_at=datetime(2026, 3, 14, 12, tzinfo=UTC),
            flow_id="post_event",
            now=NOW,
        )


@pytest.fixture
def run(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path
) -> Callable[..., attendees.ImportReport]:
    def run(*people: dict[str, str], now: datetime = NOW) -> attendees.ImportReport:
        path = _write(tmp_path / "attendees.csv", list(people))
        return import_attendees(session_factory, event.id, path, region="GB", now=now)

    return run


# -- check: every row, numbered as the spreadsheet shows it ------------------------------------


def test_valid_rows_are_normalised() -> None:
    result = check(_rows(ANNA, CAI, DEE, ELI), "GB")
    assert result.problems == []
    anna, cai, dee, eli = result.people
    assert (anna.row, anna.phone, anna.role, anna.language) == (2, "+447700900123", "parent", "en")
    assert (cai.phone, cai.language) == ("+447700900124", "cy")
    assert (dee.phone, dee.telegram, dee.role, dee.key) == (
        None,
        "5550001",
        "young_person",
        ("telegram", "5550001"),
    )
    assert (eli.language, eli.key) == ("cy", ("sms", "+447700900125"))


def test_every_bad_row_is_reported_with_its_spreadsheet_row_number() -> None:
    problems = _problems(
        ANNA,
        ANNA | {"name": "Anna again"},
        ANNA | {"phone": "0770090"},
        DEE,
        DEE | {"phone": "07700900130"},
        CAI | {"consent": ""},
        CAI | {"phone": "07700900131", "consent": "si"},
        CAI | {"phone": "07700900132", "role": "teacher"},
        CAI | {"phone": "07700900133", "language": "fr"},
        {"name": "Nobody", "role": "parent", "consent": "yes"},
        DEE | {"name": "Tele only parent", "telegram": "5550009", "role": "parent"},
        CAI | {"phone": "01234 567890"},
        DEE | {"telegram": "1.23457E+09"},
        CAI | {"phone": "4.47701E+11"},
        DEE | {"telegram": "@dee"},
        CAI | {"phone": "07700900134", "consent": "maybe"},
    )
    assert problems == [
        "row 3: phone: '07700 900123' is the same number as row 2",
        "row 4: phone: '0770090' is not a phone number (too short or too long for a mobile)",
        "row 6: telegram: chat id '5550001' is also on row 5",
        "row 7: consent: missing: say yes or no, whether they agreed to be contacted",
        "row 8: consent: 'si' is not yes or no",
        "row 9: role: 'teacher' is not a role; use parent or young_person",
        "row 10: language: 'fr' is not en or cy (empty means en)",
        "row 11: phone: no phone number or Telegram chat id: we could not reach them",
        "row 12: phone: missing: parents are sent text messages, so they need a number",
        "row 13: phone: '01234 567890' is a landline or service number: text messages cannot "
        "reach it",
        "row 14: telegram: '1.23457E+09' was rounded by Excel: format the column as Text and "
        "export again",
        "row 15: phone: '4.47701E+11' was rounded by Excel: format the column as Text and "
        "export again",
        "row 16: telegram: '@dee' is not a Telegram chat id (digits only)",
        "row 17: consent: 'maybe' is not yes or no",
    ]


def test_one_row_can_have_several_problems() -> None:
    row = {"name": "X", "phone": "123", "role": "carer", "language": "de", "consent": "?"}
    assert [p.column for p in check(_rows(row), "GB").problems] == [
        "role",
        "language",
        "consent",
        "phone",
    ]


def test_a_duplicate_in_another_format_is_still_a_duplicate() -> None:
    assert _problems(ANNA, ANNA | {"phone": "+447700900123"}, ANNA | {"phone": "447700900123"}) == [
        "row 3: phone: '+447700900123' is the same number as row 2",
        "row 4: phone: '447700900123' is the same number as row 2",
    ]


def test_headers_are_case_insensitive_in_any_order_and_telegram_is_optional() -> None:
    rows = [
        {"Consent": "yes", " ROLE ": "parent", "Phone": "07700900123", "Name": "A", "Language": ""}
    ]
    result = check(rows, "GB")
    assert result.problems == []
    assert result.people[0].phone == "+447700900123"


def test_extra_and_missing_columns_are_named_once_not_on_every_row() -> None:
    rows = [{"name": "A", "phone": "07700900123", "role": "parent", "email": "a@b", "notes": ""}]
    problems = [str(p) for p in check(rows * 3, "GB").problems]
    assert problems == [
        "row 1: header: unknown column(s) 'email', 'notes'; the columns are name, phone, "
        "telegram, role, language, consent, whatsapp, channel",
        "row 1: header: missing column(s) 'language', 'consent'; the columns are name, phone, "
        "telegram, role, language, consent, whatsapp, channel",
    ]


def test_blank_rows_are_skipped_but_row_numbers_still_match_the_sheet() -> None:
    blank = dict.fromkeys(HEADER, "")
    problems = _problems(ANNA, blank, CAI | {"consent": "perhaps"})
    assert problems == ["row 4: consent: 'perhaps' is not yes or no"]


def test_an_empty_list_is_a_problem() -> None:
    assert _problems() == ["row 2: there is nobody in the file under the header row"]


def test_row_problem_reads_like_the_spreadsheet() -> None:
    assert str(RowProblem(7, "phone", "'0770090' is not a phone number")) == (
        "row 7: phone: '0770090' is not a phone number"
    )


# -- importing ---------------------------------------------------------------------------------


def test_any_problem_means_nobody_is_imported(
    run: Callable[..., attendees.ImportReport], session: Session
) -> None:
    report = run(ANNA, CAI, DEE | {"consent": ""})
    assert not report.ok
    assert [str(p) for p in report.problems] == [
        "row 4: consent: missing: say yes or no, whether they agreed to be contacted"
    ]
    assert report.problems[0].fix.startswith("Write yes if they agreed")
    assert report.new_attendees == 0
    for model in (Contact, ChannelIdentity, Attendee, FollowUp):
        assert _count(session, model) == 0


def test_a_valid_file_imports_everyone_with_their_follow_ups(
    run: Callable[..., attendees.ImportReport], session: Session, event: Event
) -> None:
    report = run(ANNA, CAI, DEE, ELI)
    assert report.ok, report.problems
    assert (report.rows, report.new_attendees, report.already_attending) == (4, 4, 0)
    assert (report.new_contacts, report.followups_planned, report.encoding) == (4, 12, "UTF-8")

    anna = contacts.find_by_address(session, "sms", "+447700900123")
    dee = contacts.find_by_address(session, "telegram", "5550001")
    eli = contacts.find_by_address(session, "sms", "+447700900125")
    assert anna
    assert dee
    assert eli
    assert (anna[0].display_name, anna[0].role, anna[0].preferred_language) == (
        "Anna Jones",
        "parent",
        "en",
    )
    assert (anna[0].consent_at, anna[0].consent_source, anna[0].preferred_channel) == (
        NOW,
        "attendee_import",
        "sms",
    )
    assert anna[0].timezone == "Europe/London"
    assert (dee[0].role, dee[0].preferred_channel) == ("young_person", "telegram")
    # A young person with both is reached on Telegram, and either address finds them.
    assert eli[0].preferred_channel == "telegram"
    eli_on_telegram = contacts.find_by_address(session, "telegram", "5550002")
    assert eli_on_telegram is not None
    assert eli_on_telegram[0].id == eli[0].id

    attendees = events.attendees(session, event.id)
    assert {(a.role, a.consent, a.source) for a in attendees} == {
        ("parent", True, "import"),
        ("young_person", True, "import"),
    }
    due = followups.planned_times(event)
    rows = followups.for_event(session, event.id)
    assert len(rows) == 12
    assert all(row.due_at == due[row.kind] and row.status == "pending" for row in rows)


def test_importing_the_same_file_again_changes_nothing(
    run: Callable[..., attendees.ImportReport], session: Session
) -> None:
    run(ANNA, CAI, DEE, ELI)
    before = {
        c.id: (c.updated_at, c.consent_at, c.pseudonym) for c in session.scalars(select(Contact))
    }
    session.rollback()  # on SQLite even a read holds the write lock the import needs
    again = run(ANNA, CAI, DEE, ELI, now=NOW + timedelta(days=1))
    assert again.ok
    assert (again.new_attendees, again.already_attending, again.new_contacts) == (0, 4, 0)
    assert again.followups_planned == 0
    session.expire_all()
    after = {
        c.id: (c.updated_at, c.consent_at, c.pseudonym) for c in session.scalars(select(Contact))
    }
    assert after == before
    assert (_count(session, Attendee), _count(session, FollowUp)) == (4, 12)
    assert _count(session, ChannelIdentity) == 5


def test_someone_we_already_know_is_updated_not_duplicated(
    run: Callable[..., attendees.ImportReport],
    session: Session,
    session_factory: sessionmaker[Session],
) -> None:
    later = NOW - timedelta(days=30)
    with session_factory.begin() as s:
        known, _, _ = contacts.find_or_create(s, "sms", "+447700900123", later)
        contacts.opt_out(s, known, "sms", later)
        known_id = known.id
    report = run(ANNA | {"telegram": "777"})
    assert (report.new_contacts, report.new_attendees, report.opted_out) == (0, 1, 1)
    contact = session.get_one(Contact, known_id)
    assert (contact.role, contact.display_name, contact.consent_source) == (
        "parent",
        "Anna Jones",
        "attendee_import",
    )
    # Being on an attendee list never overrides a STOP.
    assert contact.opted_out_at == later
    found = contacts.find_by_address(session, "telegram", "777")
    assert found is not None
    assert found[0].id == known_id


def test_a_chat_id_that_belongs_to_someone_else_stops_the_import(
    run: Callable[..., attendees.ImportReport],
    session: Session,
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        other, _, _ = contacts.find_or_create(s, "telegram", "5550002", NOW)
        pseudonym = other.pseudonym
    report = run(ANNA, ELI)
    assert [str(p) for p in report.problems] == [
        f"row 3: telegram: chat id '5550002' already belongs to another person (contact "
        f"{pseudonym}); check the phone and chat id"
    ]
    assert (_count(session, Contact), _count(session, Attendee)) == (1, 0)


def test_two_rows_that_the_database_knows_are_one_person_stop_the_import(
    run: Callable[..., attendees.ImportReport],
    session: Session,
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        known, _, _ = contacts.find_or_create(s, "sms", "+447700900125", NOW)
        contacts.link_identity(s, known, "telegram", "5550001", NOW)
    report = run(ELI | {"telegram": ""}, DEE)
    assert [str(p) for p in report.problems] == [
        "row 3: telegram: row 2 is the same person: we already link this chat id to them"
    ]
    assert _count(session, Attendee) == 0


def test_a_number_arriving_during_the_import_rolls_everything_back(
    run: Callable[..., attendees.ImportReport],
    session: Session,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with session_factory.begin() as s:
        contacts.find_or_create(s, "sms", "+447700900124", NOW)
    # As if Cai texted in between the look-up and the insert.
    real = attendees._owners
    monkeypatch.setattr(
        attendees,
        "_owners",
        lambda session, channel, addresses: (
            {} if channel == "sms" else real(session, channel, addresses)
        ),
    )
    with pytest.raises(ImportConflict, match="run the import again"):
        run(ANNA, CAI)
    assert (_count(session, Contact), _count(session, Attendee)) == (1, 0)


@pytest.mark.slow
def test_a_county_wide_list_of_7000_imports_in_one_go(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path, session: Session
) -> None:
    people = [
        {"name": f"Person {i}", "phone": f"07700{i:06d}", "role": "parent", "consent": "yes"}
        if i % 4
        else {
            "name": f"Young {i}",
            "telegram": str(900000 + i),
            "role": "young_person",
            "consent": "yes",
        }
        for i in range(7000)
    ]
    path = _write(tmp_path / "county.csv", people)
    written: list[int] = []
    report = import_attendees(
        session_factory, event.id, path, region="GB", now=NOW, progress=written.append
    )
    assert report.ok, report.problems[:5]
    assert (report.rows, report.new_attendees, report.followups_planned) == (7000, 7000, 21000)
    assert sum(written) == 7000
    assert (_count(session, Contact), _count(session, FollowUp)) == (7000, 21000)


def test_excel_files_with_a_bom_are_read(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path, session: Session
) -> None:
    path = _write(tmp_path / "bom.csv", [ANNA | {"name": "Siân Ellis"}], encoding="utf-8-sig")
    report = import_attendees(session_factory, event.id, path, region="GB", now=NOW)
    assert (report.ok, report.encoding, report.new_attendees) == (True, "UTF-8 with BOM", 1)
    assert session.scalars(select(Contact)).one().display_name == "Siân Ellis"


def test_windows_1252_exports_are_read_and_said_to_be(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path, session: Session
) -> None:
    path = _write(tmp_path / "excel.csv", [ANNA | {"name": "Siân O’Neill"}], encoding="cp1252")
    report = import_attendees(session_factory, event.id, path, region="GB", now=NOW)
    assert (report.ok, report.encoding) == (True, "Windows-1252")
    assert session.scalars(select(Contact)).one().display_name == "Siân O’Neill"


def test_semicolon_separated_exports_are_read(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path
) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("name;phone;role;language;consent\nA;07700900123;parent;;yes\n")
    report = import_attendees(session_factory, event.id, path, region="GB", now=NOW)
    assert (report.ok, report.new_attendees) == (True, 1)


def test_a_damaged_workbook_or_an_empty_file_is_refused_with_a_reason(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path
) -> None:
    workbook = tmp_path / "people.xlsx"
    workbook.write_bytes(b"PK\x03\x04rest of a zip")
    with pytest.raises(ImportFileError, match="Excel workbook but cannot be opened"):
        import_attendees(session_factory, event.id, workbook, region="GB", now=NOW)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ImportFileError, match="empty"):
        import_attendees(session_factory, event.id, empty, region="GB", now=NOW)


def test_values_under_no_heading_are_a_problem(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path
) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        "name,phone,role,language,consent,\n"
        "A,07700900123,parent,,yes,\n"  # Excel's empty trailing column is fine
        "B,07700900124,parent,,yes,oops\n"
    )
    report = import_attendees(session_factory, event.id, path, region="GB", now=NOW)
    assert [str(p) for p in report.problems] == ["row 3: 'oops' is in a column with no heading"]


def test_an_unknown_event_is_refused(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(tmp_path / "a.csv", [ANNA])
    with pytest.raises(LookupError):
        import_attendees(session_factory, 999, path, region="GB", now=NOW)


# -- consent "no": they came, they count, they are never contacted ----------------------------


def test_someone_who_said_no_is_recorded_as_attending_and_never_planned(
    run: Callable[..., attendees.ImportReport], session: Session, event: Event
) -> None:
    report = run(ANNA, CAI | {"consent": "no"})
    assert report.ok, report.problems
    assert (report.new_attendees, report.no_consent, report.followups_planned) == (2, 1, 3)
    came = {a.contact_id: a.consent for a in events.attendees(session, event.id)}
    assert sorted(came.values()) == [False, True]
    cai = contacts.find_by_address(session, "sms", "+447700900124")
    assert cai is not None
    assert came[cai[0].id] is False
    # No consent recorded for them, and nothing planned to send.
    assert (cai[0].consent_at, cai[0].consent_source) == (None, None)
    assert {r.contact_id for r in followups.for_event(session, event.id)} == {
        c for c, agreed in came.items() if agreed
    }
    assert events.counts(session, event.id)["attendees"] == 2


def test_a_later_list_saying_no_cancels_what_was_planned(
    run: Callable[..., attendees.ImportReport], session: Session, event: Event
) -> None:
    run(ANNA, CAI)
    report = run(ANNA, CAI | {"consent": "N"})
    assert (report.ok, report.already_attending, report.no_consent) == (True, 2, 1)
    cai = contacts.find_by_address(session, "sms", "+447700900124")
    assert cai is not None
    rows = [r for r in followups.for_event(session, event.id) if r.contact_id == cai[0].id]
    assert {(r.status, r.reason) for r in rows} == {
        ("cancelled", "did not agree to be contacted (attendee list)")
    }
    # Their earlier consent (given at the first import) is kept on the contact: the list only
    # speaks for this event.
    assert cai[0].consent_at == NOW


def test_a_workbook_imports_like_the_same_list_as_csv(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path, session: Session
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["Anna Jones", "07700 900123", None, "parent", "en", "yes"])
    sheet.append(["Dee", None, 5550001, "young_person", None, "yes"])  # a number cell
    sheet.append(["Fay", "07700900126", None, "parent", None, "no"])
    sheet.append([None] * 6)  # formatting left below the list
    path = tmp_path / "people.xlsx"
    book.save(path)
    report = import_attendees(session_factory, event.id, path, region="GB", now=NOW)
    assert report.ok, report.problems
    assert (report.encoding, report.rows, report.new_attendees, report.no_consent) == (
        "Excel workbook",
        3,
        3,
        1,
    )
    assert contacts.find_by_address(session, "telegram", "5550001") is not None


def test_a_cancelled_event_takes_nobody(
    session_factory: sessionmaker[Session], event: Event, tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        s.get_one(Event, event.id).cancelled_at = NOW
    path = _write(tmp_path / "people.csv", [ANNA])
    with pytest.raises(ValueError, match="cancelled"):
        import_attendees(session_factory, event.id, path, region="GB", now=NOW)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b)))
def test_any_bytes_read_as_a_table_or_are_refused_with_a_reason(data: bytes) -> None:
    try:
        table = read_table(data)
    except ImportFileError as exc:
        assert str(exc)
        return
    assert all(isinstance(v, str) for row in table.rows for v in row.values())
