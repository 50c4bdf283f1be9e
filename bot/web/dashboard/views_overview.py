"""The overview: the funnel, its splits, and a chart per question, for an event or a flow."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard import charts, funnel
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.web import Who, config, db, page, render, services
from storage import reporting


def summary(request: Request, session: Session, f: reporting.Filters) -> dict[str, Any]:
    """Everything the overview and the committee report show about the filtered responses."""
    threshold = config(request).threshold
    library = services(request).library
    everything, splits = funnel.build(session, f, threshold)
    flow_id = filtering.flow_of(session, f)
    flow = library.get(flow_id) if flow_id is not None and flow_id in library else None
    question_charts = (
        charts.charts(flow, reporting.step_counts(session, f), threshold) if flow else []
    )
    return {"overall": everything, "splits": splits, "flow": flow, "charts": question_charts}


@page()
async def overview(request: Request, who: Who) -> Response:
    error: str | None = None
    try:
        # Aggregates are suppressed, so every role sees every area's counts.
        f, query = filtering.parse(request.query_params)
    except filtering.BadFilter as exc:
        f, query, error = reporting.Filters(), filtering.Query(), str(exc)
    flow_ids = [flow.id for flow in services(request).library]

    def load(session: Session) -> dict[str, Any]:
        return {
            "choices": filtering.choices(session, flow_ids),
            **summary(request, session, f),
        }

    context = await db(request, load)
    context = {**context, "query": query, "error": error}
    return render(request, "overview.html", context, who=who, status=400 if error else 200)
