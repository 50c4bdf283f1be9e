"""The overview: the funnel, its splits, and a chart per question, for an event or a flow."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard import charts, funnel
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.web import Who, config, db, page, render, services
from storage import reporting
from storage.models import Event


def summary(request: Request, session: Session, f: reporting.Filters) -> dict[str, Any]:
    """Everything the overview and the committee report show about the filtered responses."""
    threshold = config(request).threshold
    library = services(request).library
    everything, splits = funnel.build(session, f, threshold)
    flow_id = filtering.flow_of(session, f)
    flow = library.get(flow_id) if flow_id is not None and flow_id in library else None
    event = session.get(Event, f.event_id) if f.event_id is not None else None
    # One event chosen: its questions name it, as the families read them.
    values = {"event_name": event.title} if event is not None else None
    question_charts = (
        charts.charts(flow, reporting.step_counts(session, f), threshold, values) if flow else []
    )
    return {"overall": everything, "splits": splits, "flow": flow, "charts": question_charts}


def every_flow(request: Request, session: Session, f: reporting.Filters) -> list[Any]:
    """(flow, charts) for each flow anyone has answered, when no one flow is chosen."""
    threshold = config(request).threshold
    found = []
    for flow in services(request).library:
        counts = reporting.step_counts(session, replace(f, flow_id=flow.id))
        if counts:
            found.append((flow, charts.charts(flow, counts, threshold)))
    return found


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
        context = {"choices": filtering.choices(session, flow_ids), **summary(request, session, f)}
        if context["flow"] is None:
            context["flows"] = every_flow(request, session, f)
        return context

    context = await db(request, load)
    context = {**context, "query": query, "error": error}
    return render(request, "overview.html", context, who=who, status=400 if error else 200)
