"""The themes page: a chart of how many coded answers carry each theme, and quotes for officers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard import charts
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.views_coding import flow_named
from bot.web.dashboard.web import Who, config, db, page, refuse, render, services
from storage import coding, reporting

QUOTES = 3


def theme_chart(session: Session, flow_id: str, f: reporting.Filters, threshold: int) -> Any:
    """The flow's themes as a chart, drawn like every question's (page, PDF and Word)."""
    tally = coding.theme_tally(session, flow_id, f)
    return charts.theme_chart(
        [(t.name, n) for t, n in tally.themes], tally.no_theme, tally.coded, threshold
    )


@page()
async def themes_page(request: Request, who: Who) -> Response:
    try:
        # Counts cover every area (they are suppressed); quotes only the officer's own areas.
        f, query = filtering.parse(request.query_params)
    except filtering.BadFilter as exc:
        return refuse(request, who, 400, str(exc))
    threshold = config(request).threshold
    flow_ids = [flow.id for flow in services(request).library]
    scoped = reporting.Filters(**{**f.__dict__, "scope": who.scope})

    def load(session: Session) -> dict[str, Any]:
        flow = flow_named(request, filtering.flow_of(session, f))
        context: dict[str, Any] = {"choices": filtering.choices(session, flow_ids), "flow": flow}
        if flow is None:
            return context
        chart = theme_chart(session, flow.id, f, threshold)
        rows = []
        # The table beside the chart gives the chart's own (suppressed) figures.
        for (theme, n), bar in zip(
            coding.theme_counts(session, flow.id, f), chart.bars, strict=False
        ):
            shown = who.reads_rows and n > 0
            quotes = coding.quotes(session, theme.id, scoped, limit=QUOTES) if shown else []
            rows.append((theme, bar.cell, quotes))
        return {**context, "rows": rows, "chart": chart}

    context = await db(request, load)
    return render(request, "themes.html", {**context, "query": query}, who=who)
