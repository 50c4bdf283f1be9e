"""The committee report: one printable page (and a PDF where WeasyPrint is installed)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.privacy.redact import redact
from bot.web.dashboard import answer_filter, suppress
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.channel_costs import channel_costs
from bot.web.dashboard.views_overview import summary
from bot.web.dashboard.views_themes import theme_chart
from bot.web.dashboard.web import (
    HERE,
    Who,
    attachment,
    config,
    db,
    page,
    refuse,
    render,
    secure,
    services,
)
from storage import coding, costs, reporting, to_read
from storage.models import Event

TOP_THEMES = 5
QUOTES = 2


def _hours(hours: float | None) -> str:
    if hours is None:
        return "-"
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"


def read_figures(figures: to_read.ReadFigures, within: timedelta, threshold: int) -> dict[str, Any]:
    """The read counts, suppressed like every other count; the times only when they describe
    enough answers that no one person's wait can be picked out."""
    cells, total = suppress.partition([figures.read, figures.unread], threshold)
    # Read in time and read late add up to the read count: suppressed together, like any split.
    in_time, _ = suppress.partition(
        [figures.read_within, figures.read - figures.read_within], threshold
    )
    enough = figures.read >= threshold
    return {
        "within_hours": int(within.total_seconds() // 3600),
        "total": total,
        "read": cells[0],
        "unread": cells[1],
        "within": in_time[0] if cells[0].shown else suppress.Cell(0, "hidden", threshold),
        "median": _hours(figures.median_hours) if enough else "not shown",
        "longest": _hours(figures.max_hours) if enough else "not shown",
    }


async def _context(request: Request, who: Who) -> dict[str, Any] | str:
    try:
        f, query = filtering.parse(request.query_params)
    except filtering.BadFilter as exc:
        return str(exc)
    threshold = config(request).threshold
    library = services(request).library

    def load(session: Session) -> dict[str, Any] | str:
        nonlocal f, query
        # Filtered by an answer ("people who rated 1 or 2") as the Responses page is: every figure
        # below counts only them, and the report says so.
        flow_id = filtering.flow_of(session, f)
        try:
            answers = answer_filter.parse(
                request.query_params,
                library.get(flow_id) if flow_id is not None and flow_id in library else None,
            )
        except filtering.BadFilter as exc:
            return str(exc)
        f = answer_filter.narrow(session, f, answers)
        query = answer_filter.with_answers(query, answers)
        scoped = reporting.Filters(**{**f.__dict__, "scope": who.scope})
        context = summary(request, session, f)
        event = session.get(Event, f.event_id) if f.event_id is not None else None
        # One event chosen: its questions name it, as the families read them.
        values = {"event_name": event.title} if event is not None else None
        context["answer_said"] = answer_filter.describe(context["flow"], answers, values)
        context["offers"] = answer_filter.offers(context["flow"], values)
        context["picked"] = answers.picked if answers is not None else set()
        flow = context["flow"]
        themes, chart = [], None
        if flow is not None:
            chart = theme_chart(session, flow.id, f, threshold)
            counted = coding.theme_counts(session, flow.id, f)
            # The chart's own (suppressed) figures: the list below it must not say more.
            for (theme, n), bar in list(zip(counted, chart.bars, strict=False))[:TOP_THEMES]:
                if n == 0:
                    continue
                # Quotes go to a committee: never for viewers, never from a hidden or small
                # group, and with phone numbers, emails, postcodes and names blanked out.
                quotes = []
                if who.reads_rows and bar.cell.shown and n >= threshold:
                    quotes = [
                        redact(q) for q in coding.quotes(session, theme.id, scoped, limit=QUOTES)
                    ]
                themes.append((theme, bar.cell, quotes))
        flow_ids = [each.id for each in library]
        within = timedelta(hours=services(request).settings.read_within_hours)
        return {
            "costs": channel_costs(services(request).settings, costs.by_channel(session, scoped)),
            "read": {
                **read_figures(
                    to_read.figures(session, within, kind="answer", filters=f), within, threshold
                ),
                "filtered": f != reporting.Filters(),
            },
            **context,
            "choices": filtering.choices(session, flow_ids),
            "themes": themes,
            "theme_chart": chart,
            "actions": coding.actions_for(session, flow.id if flow else None),
            "event": event,
        }

    context = await db(request, load)
    if isinstance(context, str):
        return context
    return {**context, "query": query}


@page()
async def report(request: Request, who: Who) -> Response:
    context = await _context(request, who)
    if isinstance(context, str):
        return refuse(request, who, 400, context)
    # Offered only when it works: a link to an error page helps nobody.
    context = {**context, "nav": "report", "pdf_ok": pdf_available()}
    return render(request, "report.html", context, who=who)


@cache
def pdf_available() -> bool:
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: F401
    except (ImportError, OSError):  # OSError: the package is there but Pango is not
        return False
    return True


def to_pdf(html: str) -> bytes:
    """A page of the dashboard as a PDF, drawn with the dashboard's own stylesheet."""
    import weasyprint

    # The page links nothing in PDF mode; the stylesheet is handed over here, so WeasyPrint
    # never fetches anything.
    css = weasyprint.CSS(string=(HERE / "static" / "dashboard.css").read_text("utf-8"))
    return bytes(weasyprint.HTML(string=html).write_pdf(stylesheets=[css]))


@page()
async def report_pdf(request: Request, who: Who) -> Response:
    if not pdf_available():
        return refuse(
            request,
            who,
            501,
            "PDF is not available on this server. Open the report and use your browser's "
            "Print, then Save as PDF.",
        )
    context = await _context(request, who)
    if isinstance(context, str):
        return refuse(request, who, 400, context)
    html = bytes(render(request, "report.html", {**context, "pdf": True}, who=who).body)
    pdf = await asyncio.to_thread(to_pdf, html.decode())
    return secure(
        Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": attachment("committee-report.pdf")},
        )
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@page()
async def report_docx(request: Request, who: Who) -> Response:
    """The same report as a Word document, for committee papers that are edited before they go."""
    context = await _context(request, who)
    if isinstance(context, str):
        return refuse(request, who, 400, context)
    from bot.web.dashboard import report_docx as report_docx_writer  # python-docx: on demand

    data = await asyncio.to_thread(report_docx_writer.build, context, config(request).threshold)
    return secure(
        Response(
            data,
            media_type=DOCX,
            headers={"Content-Disposition": attachment("committee-report.docx")},
        )
    )
