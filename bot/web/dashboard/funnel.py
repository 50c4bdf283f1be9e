"""The funnel (invited -> started -> completed) and its splits, suppressed for display."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.reports.questions import ANSWERED_BY_LABELS
from bot.web.dashboard import suppress
from bot.web.dashboard.suppress import Cell
from storage import reporting
from storage.reporting import SPLITS, Filters, FunnelRow

SPLIT_TITLES = {
    "channel": "Channel",
    "role": "Role",
    "area": "Area",
    "language": "Language",
    "answered_by": "Who answered",
}
GROUP_LABELS = {
    "sms": "SMS",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "console": "Demo (terminal)",
    "parent": "Parent or carer",
    "young_person": "Young person",
    "unknown": "Not known",
    "en": "English",
    "cy": "Welsh",
}


@dataclass(frozen=True)
class Overall:
    invited: Cell | None
    started: Cell
    completed: Cell
    not_invited: Cell
    response_rate: str  # replies to invitations / invitations
    completion_rate: str


@dataclass(frozen=True)
class SplitRow:
    label: str
    invited: Cell | None
    started: Cell
    completed: Cell


@dataclass(frozen=True)
class Split:
    title: str
    rows: list[SplitRow]
    has_invited: bool


def overall(row: FunnelRow, threshold: int) -> Overall:
    started = suppress.one(row.started, threshold)
    completed = suppress.one(row.completed, threshold)
    not_invited = suppress.one(row.not_invited, threshold)
    invited = None if row.invited is None else suppress.one(row.invited, threshold)
    response = ""
    if invited is not None and invited.shown and started.shown and not_invited.shown:
        replies = suppress.Cell(row.started - row.not_invited, "shown", threshold)
        response = replies.percent_of(invited)
    return Overall(
        invited, started, completed, not_invited, response, completed.percent_of(started)
    )


def _column(values: list[int], threshold: int) -> list[Cell]:
    cells, _total = suppress.partition(values, threshold)
    return cells


def split(rows: list[FunnelRow], by: str, threshold: int) -> Split:
    if by == "answered_by":  # alone, with help, for them: the order the question asks them in
        order = list(ANSWERED_BY_LABELS)
        rows = sorted(rows, key=lambda r: order.index(r.group) if r.group in order else len(order))
    has_invited = bool(rows) and rows[0].invited is not None
    started = _column([r.started for r in rows], threshold)
    completed = _column([r.completed for r in rows], threshold)
    invited = _column([r.invited or 0 for r in rows], threshold) if has_invited else None
    # "unknown" is a role's "Not known", but an answerer's "Did not say".
    labels = ANSWERED_BY_LABELS if by == "answered_by" else GROUP_LABELS
    return Split(
        SPLIT_TITLES[by],
        [
            SplitRow(
                labels.get(r.group, r.group),
                invited[i] if invited is not None else None,
                started[i],
                completed[i],
            )
            for i, r in enumerate(rows)
        ],
        has_invited,
    )


def build(session: Session, f: Filters, threshold: int) -> tuple[Overall, list[Split]]:
    [everything] = reporting.funnel(session, f)
    splits = [split(reporting.funnel(session, f, by), by, threshold) for by in SPLITS]
    return overall(everything, threshold), splits
