"""The committee report as a Word document: the same sections and (suppressed) figures as the
page and the PDF. Bars are table cells shaded in proportion, so they stay editable in Word and a
screen reader still reads the number beside them; a hidden figure says "hidden", never a bar."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Cell

from bot.web.dashboard.charts import Chart
from bot.web.dashboard.suppress import Cell

BAR = "1D70B8"  # the page's and the PDF's bar colours
TRACK = "E8E8E8"
BAR_WIDTH = Cm(5)
MUTED = RGBColor(0x48, 0x49, 0x49)
STATUSES = {"planned": "Planned", "in_progress": "In progress", "done": "Done"}


def note(threshold: int) -> str:
    return (
        f"Why some figures are hidden: so that nobody can be picked out, a group smaller than "
        f'{threshold} shows as "fewer than {threshold}". A figure that would let a small group be '
        'worked out by subtraction is given as a range (such as "12 to 15"), or as "not shown" '
        'when the whole group is small. Their bars say "hidden": a hidden figure is not a zero.'
    )


def _shade(cell: _Cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _figure(cell: _Cell, figure: Cell | None) -> None:
    """A count as the page shows it; a suppressed one in italics."""
    if figure is None:
        run = cell.paragraphs[0].add_run("not known")
        run.italic = True
        return
    run = cell.paragraphs[0].add_run(figure.label)
    if not figure.shown:
        run.italic = True
        run.font.color.rgb = MUTED


def _bar(cell: _Cell, figure: Cell, ratio: float) -> None:
    if not figure.shown:
        run = cell.paragraphs[0].add_run("hidden")
        run.italic = True
        run.font.color.rgb = MUTED
        return
    filled = round(ratio * 100)
    parts = [(filled, BAR), (100 - filled, TRACK)]
    parts = [(share, colour) for share, colour in parts if share > 0] or [(100, TRACK)]
    bar = cell.add_table(rows=1, cols=len(parts))
    bar.autofit = False
    for inner, (share, colour) in zip(bar.rows[0].cells, parts, strict=True):
        inner.width = Emu(int(BAR_WIDTH * share / 100))
        _shade(inner, colour)
        inner.paragraphs[0].paragraph_format.space_after = Pt(0)
        inner.paragraphs[0].add_run(" ").font.size = Pt(4)
    # Word adds an empty paragraph before a nested table; it is left empty and small.
    cell.paragraphs[0].paragraph_format.space_after = Pt(0)


def _table(document: DocumentType, heads: Sequence[str]) -> Table:
    table: Table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.paragraphs[0].add_run(head).bold = True
    _repeat_header(table)
    return table


def _repeat_header(table: Table) -> None:
    row = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row.append(header)


def _row(table: Table, *texts: str) -> list[_Cell]:
    cells = table.add_row().cells  # type: ignore[no-untyped-call]
    for cell, text in zip(cells, texts, strict=False):
        if text:
            cell.paragraphs[0].add_run(text)
    return list(cells)


def chart(document: DocumentType, c: Chart) -> None:
    title = document.add_paragraph(style="Heading 3")
    if c.show_id:
        step = title.add_run(c.step_id + " ")
        step.font.color.rgb = MUTED
    title.add_run(c.question)
    table = _table(document, [c.label_head, c.count_head, "Percent", "Bar"])
    for bar in c.bars:
        label, count, _percent, drawn = _row(table, bar.label, "", bar.percent)
        label.paragraphs[0].runs[0].bold = True
        _figure(count, bar.cell)
        _bar(drawn, bar.cell, bar.ratio)
    label, count, rest, _ = _row(table, c.total_label)
    label.paragraphs[0].runs[0].bold = True
    _figure(count, c.total)
    if c.multi:
        rest.paragraphs[0].add_run(c.note)
    for row in table.rows:
        row.cells[3].width = BAR_WIDTH + Cm(0.4)


def _funnel(document: DocumentType, overall: Any, splits: Sequence[Any]) -> None:
    document.add_heading("Who was asked, who replied", level=1)
    table = _table(document, ["Stage", "People", "Rate"])
    stages = [
        ("Invited", overall.invited, ""),
        (
            "Started",
            overall.started,
            f"{overall.response_rate} of those invited replied" if overall.response_rate else "",
        ),
        (
            "Completed",
            overall.completed,
            f"{overall.completion_rate} of those who started" if overall.completion_rate else "",
        ),
        ("Started without an invitation (by keyword)", overall.not_invited, ""),
    ]
    for stage, figure, rate in stages:
        _stage, count, _rate = _row(table, stage, "", rate)
        _figure(count, figure)
    for split in splits:
        document.add_paragraph(f"By {split.title.lower()}", style="Heading 3")
        heads = [split.title, *(["Invited"] if split.has_invited else []), "Started", "Completed"]
        table = _table(document, heads)
        if not split.rows:
            _row(table, "No responses yet.")
        for row in split.rows:
            cells = _row(table, row.label)
            figures = [*([row.invited] if split.has_invited else []), row.started, row.completed]
            for cell, figure in zip(cells[1:], figures, strict=True):
                _figure(cell, figure)


def _costs(document: DocumentType, costs: dict[str, Any] | None) -> None:
    """What the messages cost by channel, as on the page and in the PDF."""
    if costs is None:
        return
    document.add_heading("What the messages cost, by channel", level=1)
    table = _table(document, ["Channel", "Messages sent", "Charged as", "Cost"])
    for row in costs["rows"]:
        _row(table, row["name"], str(row["messages"]), row["unit"], row["cost"])
    if costs["rows"]:
        _row(table, "Total", "", "", costs["total"])
    else:
        _row(table, "No messages sent yet.")
    document.add_paragraph(f"At the prices in the settings: {costs['prices']}.")


def build(context: dict[str, Any], threshold: int) -> bytes:
    """The report's context (views_report) as a .docx file."""
    document = Document()
    document.core_properties.title = "Committee report"
    document.core_properties.author = "sendvoice"
    event, flow, query = context.get("event"), context.get("flow"), context["query"]
    about = event.title if event is not None else flow.title if flow is not None else ""
    document.add_heading("Committee report" + (f": {about}" if about else ""), level=0)
    if event is not None:
        where = f", {event.area}" if event.area else ""
        document.add_paragraph(f"Event: {event.title}, {event.starts_at:%-d %B %Y}{where}.")
    since, until = query.get("since"), query.get("until")
    document.add_paragraph(
        f"Responses from {since or 'the start'} to {until or 'today'}."
        if since or until
        else "All responses to date."
    )
    if context.get("answer_said"):
        document.add_paragraph(
            "Only people who answered " + "; and ".join(context["answer_said"]) + "."
        )
    document.add_paragraph(note(threshold)).runs[0].italic = True
    _funnel(document, context["overall"], context["splits"])
    if flow is not None:
        document.add_heading("What people told us", level=1)
        for each in context["charts"]:
            chart(document, each)
        document.add_heading("Top themes in what people wrote", level=1)
        drawn = context.get("theme_chart")
        if drawn is not None and drawn.total.value:
            chart(document, drawn)
        for theme, count, quotes in context["themes"]:
            heading = document.add_paragraph(style="Heading 3")
            heading.add_run(f"{theme.name} ({count.label} answers)")
            if theme.description:
                document.add_paragraph(theme.description)
            for quote in quotes:
                document.add_paragraph(quote, style="Quote")
        if not context["themes"]:
            document.add_paragraph("No answers have been coded against themes yet.")
    else:
        document.add_paragraph("Choose an event or a flow to include each question's answers.")
    _costs(document, context.get("costs"))
    read = context["read"]
    document.add_heading("Every family's own words read by a person", level=1)
    document.add_paragraph(
        "Free-text answers, all events: how many an officer has read, and how long they waited "
        f"(the aim is within {read['within_hours']} hours)."
    )
    hours = read["within_hours"]
    heads = ["Free-text answers", "Read", f"Read within {hours} hours", "Not yet read"]
    table = _table(document, [*heads, "Median time to read", "Longest time to read"])
    cells = _row(table, "", "", "", "", read["median"], read["longest"])
    for cell, key in zip(cells, ["total", "read", "within", "unread"], strict=False):
        _figure(cell, read[key])
    document.add_heading("You said, we did", level=1)
    table = _table(document, ["You said (theme)", "We did", "Owner", "Status", "Date"])
    for action, theme in context["actions"]:
        _row(
            table,
            theme.name,
            action.what,
            action.owner,
            STATUSES.get(action.status, action.status),
            action.date.isoformat() if action.date else "-",
        )
    if not context["actions"]:
        _row(table, "No actions recorded yet.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
