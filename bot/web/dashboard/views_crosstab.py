"""The cross-tab page: a closed question against area, role, channel, language, event, who
answered or another closed question, with row percentages, suppressed in every cell, and the same
table as CSV. Counts only, suppressed: every role may see it, across every area (as the report)."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.reports.questions import question_text
from bot.web.dashboard import answer_filter, crosstab
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.views_coding import flow_named
from bot.web.dashboard.web import Who, attachment, config, db, page, refuse, render, services
from flows.schema import Flow, Step


def _picked(flow: Flow | None, params: Any) -> tuple[Step | None, str]:
    if flow is None:
        return None, ""
    closed = crosstab.closed_steps(flow)
    step_id = params.get("question", "") or (closed[0].id if closed else "")
    step = next((s for s in closed if s.id == step_id), None)
    return step, params.get("by", "") or "area"


async def _table(request: Request, who: Who) -> dict[str, Any] | str:
    try:
        f, query = filtering.parse(request.query_params)
    except filtering.BadFilter as exc:
        return str(exc)
    library = services(request).library
    flow_ids = [flow.id for flow in library]
    threshold = config(request).threshold

    def load(session: Session) -> dict[str, Any] | str:
        flow = flow_named(request, filtering.flow_of(session, f))
        step, by = _picked(flow, request.query_params)
        context: dict[str, Any] = {
            "choices": filtering.choices(session, flow_ids),
            "flow": flow,
            "step": step,
            "by": by,
            "questions": [(s.id, question_text(s)) for s in crosstab.closed_steps(flow)]
            if flow
            else [],
            "splits": list(crosstab.SPLITS.items()),
            "offers": answer_filter.offers(flow),
            "picked": set(),
        }
        if flow is not None and step is None and request.query_params.get("question"):
            return "Choose one of the flow's closed questions."
        if flow is None or step is None:
            return context
        try:
            answers = answer_filter.parse(request.query_params, flow)
            narrowed = answer_filter.narrow(session, f, answers)
            table = crosstab.crosstab(session, flow, step, by, narrowed, threshold)
        except (filtering.BadFilter, ValueError) as exc:
            return str(exc)
        link = answer_filter.with_answers(query, answers)
        return {
            **context,
            "table": table,
            "picked": answers.picked if answers else set(),
            "answer_said": answer_filter.describe(flow, answers),
            "link": filtering.Query({**link.values, "question": step.id, "by": by}),
        }

    found = await db(request, load)
    return found if isinstance(found, str) else {**found, "query": query}


@page()
async def crosstab_page(request: Request, who: Who) -> Response:
    found = await _table(request, who)
    if isinstance(found, str):
        return refuse(request, who, 400, found)
    return render(request, "crosstab.html", found, who=who)


@page()
async def crosstab_csv(request: Request, who: Who) -> Response:
    found = await _table(request, who)
    if isinstance(found, str):
        return refuse(request, who, 400, found)
    table: crosstab.Table | None = found.get("table")
    if table is None:
        return refuse(request, who, 400, "Choose a flow and one of its closed questions.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"{table.question} by {table.by_title}"])
    heads = [h for column in table.columns for h in (column, f"{column} (% of row)")]
    writer.writerow([table.by_title, *heads, "Total"])
    for row in table.rows:
        pairs = [v for c, p in zip(row.cells, row.percents, strict=True) for v in (c.label, p)]
        writer.writerow([row.label, *pairs, row.total.label])
    writer.writerow(
        ["Total", *[v for c in table.column_totals for v in (c.label, "")], table.total.label]
    )
    writer.writerow([])
    threshold = config(request).threshold
    writer.writerow(
        [f"Counts below {threshold} are hidden, and so is any count that would give one away."]
    )
    name = f"crosstab-{found['flow'].id}-{found['step'].id}-{found['by']}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": attachment(name.replace(":", "-"))},
    )
