"""Attendee lists as officers export them from Excel, checked row by row before anything is written.

The reader takes a workbook (.xlsx) or what Excel writes as CSV (a BOM, Windows-1252, semicolons,
UTF-16 "Unicode text"), and every message names the spreadsheet row a person would look at.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberType

from bot.phone import to_e164

COLUMNS = ("name", "phone", "telegram", "role", "language", "consent", "whatsapp", "channel")
OPTIONAL_COLUMNS = frozenset({"telegram", "whatsapp", "channel"})
# How the person would rather hear from us; empty: WhatsApp if they gave a WhatsApp number.
_CHANNELS = {
    "": None,
    "sms": "sms",
    "text": "sms",
    "whatsapp": "whatsapp",
    "telegram": "telegram",
}
_NAME_LIMIT = 200  # a name longer than this is surely not one

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_ROLES = {"parent": "parent", "young_person": "young_person"}
_LANGUAGES = {"": "en", "en": "en", "english": "en", "cy": "cy", "welsh": "cy", "cymraeg": "cy"}
_NOT_MOBILE = frozenset(
    {
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
    }
)
_TELEGRAM_RE = re.compile(r"^\d{1,20}$")
# Excel shows long numbers as 1.23457E+09 and saves them that way: the digits are lost.
_EXCEL_NUMBER_RE = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_EXCEL_ROUNDED = "was rounded by Excel: format the column as Text and export again"
# A workbook is a zip: a small upload can unpack to gigabytes, so it is measured before reading.
_WORKBOOK_UNPACKED_LIMIT = 200 * 1024 * 1024
WORKBOOK = "Excel workbook"
# What to do about a problem in each column, for people who will fix it in Excel.
FIXES = {
    "header": "Make the first row the column names: name, phone, telegram, role, language, "
    "consent, whatsapp, channel (telegram, whatsapp and channel may be left out).",
    "name": "Shorten the name, or leave the cell empty.",
    "phone": "Type a UK mobile number such as 07700 900123 (format the column as Text), or give "
    "a Telegram chat id instead for a young person.",
    "telegram": "Give the Telegram chat id as digits only, or leave the cell empty.",
    "whatsapp": "Give their WhatsApp number, or yes if it is the number in the phone column, or "
    "leave the cell empty.",
    "channel": "Write sms, whatsapp or telegram, or leave the cell empty.",
    "role": "Write parent or young_person.",
    "language": "Write en or cy, or leave the cell empty for English.",
    "consent": "Write yes if they agreed to be contacted afterwards, or no if they did not.",
    "": "Delete what is in the column with no heading, or give the column a heading.",
}


class ImportFileError(ValueError):
    """The file cannot be read as a table at all (not CSV, unknown encoding, empty)."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}: {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"

    @property
    def fix(self) -> str:
        return FIXES.get(self.column, "")


@dataclass(frozen=True)
class Person:
    row: int
    name: str | None
    phone: str | None  # E.164
    telegram: str | None  # chat id, digits
    role: str
    language: str
    # False: they came (and count) but did not agree to be contacted, so nothing is sent.
    consent: bool = True
    whatsapp: str | None = None  # E.164
    channel: str | None = None  # the channel they asked for, if they said

    @property
    def key(self) -> tuple[str, str]:
        """The address the contact is found by: the phone when there is one."""
        if self.phone is not None:
            return "sms", self.phone
        if self.whatsapp is not None:
            return "whatsapp", self.whatsapp
        assert self.telegram is not None  # check() refuses rows with neither
        return "telegram", self.telegram


@dataclass
class CheckResult:
    people: list[Person] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class CsvFile:
    rows: list[dict[str, str]]
    encoding: str


# -- reading the file -------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ImportFileError(
                "the file says it is UTF-16 text but is cut short or damaged: save it again as "
                "CSV UTF-8"
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "UTF-8 with BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise ImportFileError(
            "the file is neither UTF-8 nor Windows-1252 text: save it as CSV UTF-8"
        ) from None


def _delimiter(first_line: str) -> str:
    # Excel writes semicolons where the decimal separator is a comma, and tabs for "Unicode text".
    if "," in first_line:
        return ","
    for candidate in ("\t", ";"):
        if candidate in first_line:
            return candidate
    return ","


def read_csv(path: str | Path) -> CsvFile:
    """Rows as {heading: value}; values under no heading are joined under ""."""
    return read_table(Path(path).read_bytes())


def read_table(data: bytes) -> CsvFile:
    """A workbook's first sheet, or a CSV file, as rows of {heading: value}."""
    if data.startswith(b"PK\x03\x04"):
        return _rows(_workbook_records(data), WORKBOOK)
    text, encoding = _decode(data)
    delimiter = _delimiter(text.split("\n", 1)[0])
    return _rows(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), encoding)


def _rows(records: list[list[str]], encoding: str) -> CsvFile:
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportFileError("the file is empty: the first row must name the columns")
    header = [cell.strip() for cell in records[0]]
    rows = []
    for record in records[1:]:
        row: dict[str, str] = dict.fromkeys(header, "")
        for i, cell in enumerate(record):
            value = cell.replace("\x00", "")  # PostgreSQL refuses NUL in text
            key = header[i] if i < len(header) else ""
            row[key] = f"{row.get(key, '')} {value}".strip() if key == "" else value
        rows.append(row)
    if len({h.lower() for h in header if h}) != len([h for h in header if h]):
        raise ImportFileError(f"a column is named twice in the first row: {', '.join(header)}")
    return CsvFile(rows, encoding)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a number cell
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _workbook_records(data: bytes) -> list[list[str]]:
    unreadable = ImportFileError(
        "this looks like an Excel workbook but cannot be opened: open it in Excel and save it "
        "again as .xlsx or as CSV UTF-8"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise unreadable from None
    if unpacked > _WORKBOOK_UNPACKED_LIMIT:
        raise ImportFileError("the workbook is too large to read: save the list as CSV UTF-8")
    # openpyxl (and the numpy it pulls in) is loaded for a workbook only, not at every start.
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        raise unreadable from None
    try:
        sheet = book.worksheets[0]
        records = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except Exception:
        raise unreadable from None
    finally:
        book.close()
    # Formatting can stretch a sheet far past its last value: trailing empty cells are noise.
    while records and not any(records[-1]):
        records.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in records), default=0)
    return [record[:width] for record in records]


# -- checking every row -----------------------------------------------------------------------


def _header_problems(columns: Iterable[str]) -> list[RowProblem]:
    present = {c for c in columns if c}
    expected = ", ".join(COLUMNS)
    problems = []
    extra = sorted(present - set(COLUMNS))
    if extra:
        names = ", ".join(repr(c) for c in extra)
        problems.append(
            RowProblem(1, "header", f"unknown column(s) {names}; the columns are {expected}")
        )
    missing = [c for c in COLUMNS if c not in present and c not in OPTIONAL_COLUMNS]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        problems.append(
            RowProblem(1, "header", f"missing column(s) {names}; the columns are {expected}")
        )
    return problems


def _not_textable(e164: str | None) -> str | None:
    """Why texts could not reach this number, when we can tell."""
    if e164 is None:
        return None
    number = phonenumbers.parse(e164)
    # is_possible_number takes any length some number in the country has (7-digit GB numbers
    # exist), so "0770090" would pass; a number we text must be as long as a mobile number.
    if not phonenumbers.is_possible_number_for_type(number, PhoneNumberType.MOBILE):
        return "is not a phone number (too short or too long for a mobile)"
    if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in _NOT_MOBILE:
        return "is a landline or service number: text messages cannot reach it"
    return None


def _word(value: str) -> str:
    return " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())


class _RowChecker:
    def __init__(self, region: str) -> None:
        self.region = region
        self.problems: list[RowProblem] = []
        self.phones: dict[str, int] = {}
        self.telegrams: dict[str, int] = {}
        self.whatsapps: dict[str, int] = {}

    def add(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))

    def person(self, n: int, row: Mapping[str, str]) -> Person | None:
        before = len(self.problems)
        if row.get(""):
            self.add(n, "", f"{row['']!r} is in a column with no heading")
        name = row.get("name", "").strip() or None
        if name is not None and len(name) > _NAME_LIMIT:
            self.add(n, "name", f"longer than {_NAME_LIMIT} characters")
        role = self._role(n, row.get("role", ""))
        language = self._language(n, row.get("language", ""))
        consent = self._consent(n, row.get("consent", ""))
        phone = self._phone(n, row.get("phone", ""))
        telegram = self._telegram(n, row.get("telegram", ""))
        channel = self._channel(n, row.get("channel", ""))
        whatsapp = self._whatsapp(n, row.get("whatsapp", ""), phone, channel)
        raw_phone, raw_telegram = row.get("phone", "").strip(), row.get("telegram", "").strip()
        raw_whatsapp = row.get("whatsapp", "").strip()
        if not raw_phone and not raw_telegram and not raw_whatsapp:
            self.add(n, "phone", "no phone number or Telegram chat id: we could not reach them")
        elif not raw_phone and not raw_whatsapp and role == "parent":
            self.add(n, "phone", "missing: parents are sent text messages, so they need a number")
        reachable = {"sms": phone, "whatsapp": whatsapp, "telegram": telegram}
        if channel is not None and reachable[channel] is None and len(self.problems) == before:
            self.add(n, "channel", f"{channel} was asked for, but the row has no address for it")
        if len(self.problems) > before or role is None or language is None or consent is None:
            return None
        return Person(n, name, phone, telegram, role, language, consent, whatsapp, channel)

    def _channel(self, n: int, raw: str) -> str | None:
        word = _word(raw)
        if word not in _CHANNELS:
            self.add(n, "channel", f"{raw.strip()!r} is not sms, whatsapp or telegram")
            return None
        return _CHANNELS[word]

    def _whatsapp(self, n: int, raw: str, phone: str | None, channel: str | None) -> str | None:
        raw = raw.strip()
        if _word(raw) in _YES or (not raw and channel == "whatsapp"):
            return phone  # the phone column's number is on WhatsApp
        if not raw or _word(raw) in _NO:
            return None
        if _EXCEL_NUMBER_RE.match(raw):
            self.add(n, "whatsapp", f"{raw!r} {_EXCEL_ROUNDED}")
            return None
        number = to_e164(raw.removeprefix("whatsapp:"), self.region)
        if number is None:
            self.add(n, "whatsapp", f"{raw!r} is not a phone number")
            return None
        first = self.whatsapps.setdefault(number, n)
        if first != n:
            self.add(n, "whatsapp", f"{raw!r} is the same WhatsApp number as row {first}")
            return None
        return number

    def _role(self, n: int, raw: str) -> str | None:
        role = _ROLES.get(_word(raw).replace(" ", "_"))
        if role is None:
            shown = repr(raw.strip()) if raw.strip() else "missing"
            self.add(n, "role", f"{shown} is not a role; use parent or young_person")
        return role

    def _language(self, n: int, raw: str) -> str | None:
        language = _LANGUAGES.get(_word(raw))
        if language is None:
            self.add(n, "language", f"{raw.strip()!r} is not en or cy (empty means en)")
        return language

    def _consent(self, n: int, raw: str) -> bool | None:
        word = _word(raw)
        if word in _YES or word in _NO:
            return word in _YES
        if not word:
            self.add(n, "consent", "missing: say yes or no, whether they agreed to be contacted")
        else:
            self.add(n, "consent", f"{raw.strip()!r} is not yes or no")
        return None

    def _phone(self, n: int, raw: str) -> str | None:
        raw = raw.strip()
        if not raw:
            return None
        if _EXCEL_NUMBER_RE.match(raw):
            self.add(n, "phone", f"{raw!r} {_EXCEL_ROUNDED}")
            return None
        phone = to_e164(raw, self.region)
        problem = _not_textable(phone)
        if phone is None or problem:
            self.add(n, "phone", f"{raw!r} {problem or 'is not a phone number'}")
            return None
        first = self.phones.setdefault(phone, n)
        if first != n:
            self.add(n, "phone", f"{raw!r} is the same number as row {first}")
            return None
        return phone

    def _telegram(self, n: int, raw: str) -> str | None:
        raw = raw.strip()
        if not raw:
            return None
        if _EXCEL_NUMBER_RE.match(raw):
            self.add(n, "telegram", f"{raw!r} {_EXCEL_ROUNDED}")
            return None
        if not _TELEGRAM_RE.match(raw):
            self.add(n, "telegram", f"{raw!r} is not a Telegram chat id (digits only)")
            return None
        chat_id = str(int(raw))
        first = self.telegrams.setdefault(chat_id, n)
        if first != n:
            self.add(n, "telegram", f"chat id {raw!r} is also on row {first}")
            return None
        return chat_id


def check(rows: Iterable[Mapping[str, str]], region: str) -> CheckResult:
    """Every row checked; rows are numbered as in a spreadsheet (the header is row 1)."""
    checker = _RowChecker(region)
    people: list[Person] = []
    seen_any = False
    for n, raw in enumerate(rows, start=2):
        row = {key.strip().lower(): (value or "") for key, value in raw.items()}
        if not seen_any:
            seen_any = True
            header = _header_problems(row)
            if header:
                # Without the right columns every row would repeat the same complaint.
                return CheckResult([], header)
        if not any(value.strip() for value in row.values()):
            continue  # Excel exports trailing blank rows
        person = checker.person(n, row)
        if person is not None:
            people.append(person)
    if not people and not checker.problems:
        checker.add(2, "", "there is nobody in the file under the header row")
    return CheckResult(people if not checker.problems else [], checker.problems)
