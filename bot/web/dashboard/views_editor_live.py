"""The editor's preview panel for what is in the form now: the editor's script swaps it in as
you type, beside the checks. Nothing is saved; see live_preview for how the replies travel."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.web.dashboard import editor_form as ef
from bot.web.dashboard import live_preview as lp
from bot.web.dashboard.views_editor import FLOW_ID, WRITERS, _refused, check, live
from bot.web.dashboard.views_flows import LANGUAGES
from bot.web.dashboard.web import Who, page, render


@page(WRITERS)
async def preview_fragment(request: Request, who: Who) -> Response:
    if (refused := _refused(request, who)) is not None:
        return refused
    fields = await request.form()
    form = ef.from_fields(fields)
    flow_id = request.path_params.get("flow_id") or form.id
    if request.path_params.get("flow_id"):
        form.id = flow_id
    checked = check(ef.to_yaml(form), flow_id if FLOW_ID.fullmatch(flow_id) else "")
    asked = lp.asked_from(fields, str(fields.get("action") or ""))
    context = {
        "checked": checked,
        "live": live(request, checked, asked),
        "language_names": LANGUAGES,
    }
    return HTMLResponse(render(request, "editor_preview.html", context, who=who).body)
