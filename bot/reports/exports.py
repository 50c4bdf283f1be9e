"""CSV and XLSX exports of responses, streamed a batch at a time, pseudonymised unless an admin
gives a reason; every export is written to the audit log before any data leaves.

Wide: one row per conversation, a column per question in flow order. Long: one row per answer.
Both carry who answered (self, with_help, for_them, unknown, not_asked), so any answer can be
read by who gave it.
People appear by their pseudonym. Free text is passed through `redact` in pseudonymised exports,
because a parent may type their own number into an answer. Cells that a spreadsheet would read as
a formula (=, +, -, @ first) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any, Literal

from sqlalchemy import func
from sqlalchemy.orm import Session, sessionmaker

from bot.privacy.redact import redact
from bot.reports.questions import answer_label, question_text
from bot.versions.live import flow_at
from flows.library import FlowLibrary
from flows.schema import Flow, Step, StepType
from storage import audit, reporting, to_read
from storage import responses as responses_repo
from storage.models import Answer, Conversation
from storage.reporting import NOT_ASKED, Filters
from storage.responses import ResponseRow

Layout = Literal["wide", "long"]
Format = Literal["csv", "xlsx"]
LAYOUTS: tuple[Layout, ...] = ("wide", "long")
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BASE = [
    ("response_id", "Response id"),
    ("pseudonym", "Pseudonym"),
    ("flow", "Flow"),
    ("flow_version", "Flow version"),
    ("event_id", "Event id"),
    ("event", "Event"),
    ("area", "Area"),
    ("role", "Role"),
    ("channel", "Channel"),
    ("language", "Language"),
    ("status", "Status"),
    ("answered_by", "Who answered"),
    ("started_at", "Started (UTC)"),
    ("ended_at", "Ended (UTC)"),
]
IDENTIFIERS = [
    ("phone", "Phone number"),
    ("telegram_id", "Telegram id"),
    ("whatsapp", "WhatsApp number"),
]
LONG = [
    ("step_id", "Question id"),
    ("question", "Question"),
    ("value", "Value"),
    ("label", "Answer"),
    ("special", "No answer because"),
    ("answered_at", "Answered (UTC)"),
    ("read_at", "Read by a person (UTC)"),
]
# Wide: how many of the family's own words (free-text answers) a person has read, "2 of 3".
READ = ("free_text_read", "Own words read")
NOT_YET = "not yet"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportRefused(PermissionError):
    pass


@dataclass(frozen=True)
class ExportRequest:
    filters: Filters
    layout: Layout
    format: Format
    actor: str
    identified: bool = False
    reason: str = ""
    role: str = "admin"  # the CLI runs with the server's own rights

    def check(self) -> None:
        if self.layout not in LAYOUTS or self.format not in FORMATS:
            raise ValueError("unknown layout or format")
        if self.role not in ("admin", "officer"):
            raise ExportRefused("only officers and admins may export responses")
        if self.identified and self.role != "admin":
            raise ExportRefused("only an admin may export phone numbers and Telegram ids")
        if self.identified and len(self.reason.strip()) < 10:
            raise ExportRefused("an identified export needs a reason (at least 10 characters)")


@dataclass
class Columns:
    keys: list[str]
    headers: list[str]
    steps: list[tuple[str, Step]] = field(default_factory=list)  # (flow id, step) for wide


def safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _label(step: Step | None, value: Any) -> str:
    return answer_label(step, value)


def _cell(step: Step | None, answer: Answer, identified: bool) -> Any:
    if answer.special is not None:
        return f"[{answer.special}]"
    if step is not None and step.type is StepType.SCALE and isinstance(answer.value, int):
        return answer.value
    if step is not None and step.type is StepType.NUMBER and isinstance(answer.value, int | float):
        return answer.value
    text = _label(step, answer.value)
    is_free = step is None or step.type is StepType.TEXT
    return text if identified or not is_free else redact(text)


def _iso(when: datetime | None) -> str:
    return when.isoformat() if when else ""


def _base(row: ResponseRow) -> list[Any]:
    return [
        row.conversation_id,
        row.pseudonym,
        row.flow_id,
        row.flow_version,
        row.event_id or "",
        row.event_title or "",
        row.area or "",
        row.role,
        row.channel,
        row.language,
        row.status,
        row.answered_by or NOT_ASKED,
        _iso(row.started_at),
        _iso(row.ended_at),
    ]


def columns(session: Session, request: ExportRequest, library: FlowLibrary) -> Columns:
    keys = [k for k, _ in BASE] + ([k for k, _ in IDENTIFIERS] if request.identified else [])
    headers = [h for _, h in BASE] + ([h for _, h in IDENTIFIERS] if request.identified else [])
    if request.layout == "long":
        return Columns(keys + [k for k, _ in LONG], headers + [h for _, h in LONG])
    pairs = session.execute(
        reporting.conversations_query(
            request.filters, Conversation.flow_id, Conversation.flow_version
        ).distinct()
    ).all()
    versions: dict[str, set[int]] = {}
    for flow_id, number in pairs:
        versions.setdefault(flow_id, set()).add(number)
    several = len(versions) > 1
    keys.append(READ[0])
    headers.append(READ[1])
    steps: list[tuple[str, Step]] = []
    for flow_id in sorted(versions):
        if flow_id not in library:
            continue
        # The newest version's questions, then any that only older versions asked.
        seen: set[str] = set()
        older = [flow_at(library, session, flow_id, n) for n in sorted(versions[flow_id])]
        for flow in [library.get(flow_id), *reversed(older)]:
            for step in flow.steps if flow is not None else ():
                if step.is_question and step.id not in seen:
                    seen.add(step.id)
                    steps.append((flow_id, step))
                    key = f"{flow_id}.{step.id}" if several else step.id
                    keys.append(key)
                    headers.append(f"{key}: {question_text(step)}")
    return Columns(keys, headers, steps)


def count(session: Session, request: ExportRequest) -> int:
    if request.layout == "wide":
        return responses_repo.count(session, request.filters)
    query = reporting.conversations_query(request.filters, func.count()).join(
        Answer, Answer.conversation_id == Conversation.id
    )
    return int(session.execute(query).scalar_one())


def rows(
    session: Session,
    request: ExportRequest,
    library: FlowLibrary,
    cols: Columns,
    holders: set[int] | None = None,
) -> Iterator[list[Any]]:
    """Each row of the export; `holders` collects the contact of every row written."""
    for batch in responses_repo.iterate(session, request.filters):
        if holders is not None:
            holders.update(r.contact_id for r in batch)
        ids = [r.conversation_id for r in batch]
        answers = responses_repo.answers_for(session, ids)
        read = to_read.read_times(session, [a.id for each in answers.values() for a in each])
        who = responses_repo.identifiers(session, [r.contact_id for r in batch])
        for row in batch:
            base = _base(row)
            if request.identified:
                found = who.get(row.contact_id, {})
                base += [found.get("sms", ""), found.get("telegram", ""), found.get("whatsapp", "")]
            flow = flow_at(library, session, row.flow_id, row.flow_version)
            given = {a.step_id: a for a in answers[row.conversation_id]}
            if request.layout == "wide":
                cells = [
                    _cell(_asked(flow, step), given[step.id], request.identified)
                    if flow_id == row.flow_id and step.id in given
                    else ""
                    for flow_id, step in cols.steps
                ]
                own = [read[a.id] for a in answers[row.conversation_id] if a.id in read]
                seen = f"{sum(1 for t in own if t is not None)} of {len(own)}" if own else ""
                yield [safe(v) for v in [*base, seen, *cells]]
                continue
            for answer in answers[row.conversation_id]:
                step = flow.step(answer.step_id) if flow and flow.has_step(answer.step_id) else None
                value = _cell(step, answer, request.identified) if answer.special is None else ""
                yield [
                    safe(v)
                    for v in [
                        *base,
                        answer.step_id,
                        question_text(step) if step else "",
                        _raw(answer.value, step, request.identified),
                        value,
                        answer.special or "",
                        _iso(answer.answered_at),
                        (_iso(read[answer.id]) or NOT_YET) if answer.id in read else "",
                    ]
                ]


def _asked(flow: Flow | None, step: Step) -> Step:
    """The step as this conversation's version asked it (its options may have changed since)."""
    return flow.step(step.id) if flow is not None and flow.has_step(step.id) else step


def _raw(value: Any, step: Step | None, identified: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    if isinstance(value, str) and not identified and (step is None or step.type is StepType.TEXT):
        return redact(value)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def write_csv(
    out: IO[bytes], headers: Sequence[str], data: Iterator[list[Any]], tick: Callable[[], None]
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(headers)
    n = 0
    for row in data:
        writer.writerow(row)
        n += 1
        tick()
    text.flush()
    text.detach()  # leave `out` open for the caller
    return n


def write_xlsx(
    out: IO[bytes], headers: Sequence[str], data: Iterator[list[Any]], tick: Callable[[], None]
) -> int:
    from openpyxl import Workbook  # loaded for a spreadsheet only, not at every start

    book = Workbook(write_only=True)  # rows go to a temporary file, not memory
    sheet = book.create_sheet("responses")
    sheet.append(list(headers))
    n = 0
    for row in data:
        sheet.append(row)
        n += 1
        tick()
    book.save(out)
    return n


def export(
    session_factory: sessionmaker[Session],
    request: ExportRequest,
    library: FlowLibrary,
    out: IO[bytes],
    *,
    now: datetime,
    on_total: Callable[[int], None] = lambda _n: None,
    tick: Callable[[], None] = lambda: None,
    holders: set[int] | None = None,
) -> int:
    """Write the export to `out`; returns the number of data rows. Audited before anything is read.
    `holders` is told whose data was written (for a file on disk, see storage.export_files)."""
    request.check()
    with session_factory.begin() as session:
        total = count(session, request)
        audit.record(
            session,
            actor=request.actor,
            action="export",
            now=now,
            detail={
                "format": request.format,
                "layout": request.layout,
                "filters": request.filters.as_dict(),
                "rows": total,
                "identified": request.identified,
                **({"reason": request.reason.strip()} if request.identified else {}),
            },
        )
    on_total(total)
    with session_factory() as session:
        cols = columns(session, request, library)
        data = rows(session, request, library, cols, holders)
        writer = write_csv if request.format == "csv" else write_xlsx
        return writer(out, [*cols.headers], data, tick)


def filename(request: ExportRequest, now: datetime) -> str:
    parts = ["sendvoice", request.layout]
    if request.filters.flow_id:
        parts.append(request.filters.flow_id)
    if request.filters.event_id is not None:
        parts.append(f"event{request.filters.event_id}")
    if request.identified:
        parts.append("IDENTIFIED")
    return "-".join(parts) + f"-{now:%Y%m%d-%H%M}.{request.format}"
