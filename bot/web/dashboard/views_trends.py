"""The trends page: response rate, completion and the headline rating per month and per event
kind, drawn as SVG charts with the same figures in tables beside them. Counts only, suppressed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard import answer_filter, trends
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.views_coding import flow_named
from bot.web.dashboard.web import Who, config, db, page, refuse, render, services


@page()
async def trends_page(request: Request, who: Who) -> Response:
    try:
        f, query = filtering.parse(request.query_params)
    except filtering.BadFilter as exc:
        return refuse(request, who, 400, str(exc))
    library = services(request).library
    flow_ids = [flow.id for flow in library]
    threshold = config(request).threshold

    def load(session: Session) -> dict[str, Any] | str:
        flow = flow_named(request, filtering.flow_of(session, f))
        try:
            answers = answer_filter.parse(request.query_params, flow)
        except filtering.BadFilter as exc:
            return str(exc)
        narrowed = answer_filter.narrow(session, f, answers)
        return {
            "choices": filtering.choices(session, flow_ids),
            "flow": flow,
            "trends": trends.trends(session, flow, narrowed, threshold),
            "offers": answer_filter.offers(flow),
            "picked": answers.picked if answers else set(),
            "answer_said": answer_filter.describe(flow, answers),
        }

    context = await db(request, load)
    if isinstance(context, str):
        return refuse(request, who, 400, context)
    return render(request, "trends.html", {**context, "query": query}, who=who)
