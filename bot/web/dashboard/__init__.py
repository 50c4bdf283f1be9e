"""The officers' dashboard, mounted at /dashboard by `bot.web.app.create_app`.

routes=[..., *dashboard.routes()], middleware=dashboard.middleware(settings)
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.config import Settings
from bot.web.dashboard import (
    auth,
    views_account,
    views_actions,
    views_admin,
    views_audit,
    views_coding,
    views_crosstab,
    views_editor,
    views_editor_live,
    views_event_page,
    views_events,
    views_exports,
    views_flow_uploads,
    views_flows,
    views_overview,
    views_poster,
    views_publish,
    views_reading,
    views_report,
    views_responses,
    views_safeguarding,
    views_suggested,
    views_themes,
    views_trends,
    views_versions,
)
from bot.web.dashboard.config import DashboardConfig
from bot.web.dashboard.web import HERE, ID_DIGITS, PREFIX

SESSION_COOKIE = "sendvoice_dashboard"
# Paths (under /dashboard) that take files, and so get MAX_UPLOAD_MB rather than the small limit
# every form has; `{id}` is any one path segment.
UPLOADS: tuple[str, ...] = ("/events/{id}/attendees", "/flows/upload", "/flows/import-rapidpro")


class IdConvertor(Convertor[int]):
    """`{name:id}`: a database id in a path. A longer number matches no route (404); one too
    large for the database is refused by every page (web.page)."""

    regex = ID_DIGITS

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())


def routes() -> list[BaseRoute]:
    pages = [
        Route("/login", auth.login_page, methods=["GET"]),
        Route("/login", auth.login, methods=["POST"]),
        Route("/logout", auth.logout, methods=["POST"]),
        Route("/account", views_account.account_page, methods=["GET"]),
        Route("/account/password", views_account.change_password, methods=["POST"]),
        Route("/", views_overview.overview, methods=["GET"]),
        Route("/responses", views_responses.responses, methods=["GET"]),
        Route("/responses/{conversation_id:id}", views_responses.transcript, methods=["GET"]),
        Route("/coding", views_coding.coding_page, methods=["GET"]),
        Route("/coding/themes", views_coding.add_theme, methods=["POST"]),
        Route("/coding/answers", views_coding.code_many, methods=["POST"]),
        Route("/coding/answers/{answer_id:id}", views_coding.tag_answer, methods=["POST"]),
        Route("/themes", views_themes.themes_page, methods=["GET"]),
        Route("/themes/{theme_id:id}/quotes", views_publish.quotes_page, methods=["GET"]),
        Route("/themes/{theme_id:id}/quotes", views_publish.approve_quote, methods=["POST"]),
        Route("/publish", views_publish.publish_page, methods=["GET"]),
        Route("/publish", views_publish.publish, methods=["POST"]),
        Route("/publish/preview", views_publish.preview, methods=["GET"]),
        Route("/themes/suggested", views_suggested.suggested_page, methods=["GET"]),
        Route("/themes/suggested", views_suggested.decide, methods=["POST"]),
        Route("/themes/suggested/tags", views_suggested.accept_tags, methods=["POST"]),
        Route("/crosstab", views_crosstab.crosstab_page, methods=["GET"]),
        Route("/crosstab.csv", views_crosstab.crosstab_csv, methods=["GET"]),
        Route("/trends", views_trends.trends_page, methods=["GET"]),
        Route("/actions", views_actions.actions_page, methods=["GET"]),
        Route("/actions", views_actions.add_action, methods=["POST"]),
        Route("/actions/{action_id:id}/status", views_actions.action_status, methods=["POST"]),
        Route("/events", views_events.events_page, methods=["GET"]),
        Route("/events", views_events.create_event, methods=["POST"]),
        Route("/events/new", views_events.new_event_page, methods=["GET"]),
        Route("/events/{event_id:id}", views_event_page.event_page, methods=["GET"]),
        Route("/events/{event_id:id}/edit", views_events.edit_event_page, methods=["GET"]),
        Route("/events/{event_id:id}/edit", views_events.edit_event, methods=["POST"]),
        Route("/events/{event_id:id}/cancel", views_events.cancel_event, methods=["POST"]),
        Route("/events/{event_id:id}/pause", views_events.pause_plan, methods=["POST"]),
        Route("/events/{event_id:id}/resume", views_events.resume_plan, methods=["POST"]),
        Route(
            "/events/{event_id:id}/attendees", views_event_page.upload_attendees, methods=["POST"]
        ),
        Route("/events/{event_id:id}/poster", views_poster.poster_page, methods=["GET"]),
        Route("/events/{event_id:id}/poster.pdf", views_poster.poster_pdf, methods=["GET"]),
        Route("/events/{event_id:id}/you-said", views_actions.you_said_page, methods=["GET"]),
        Route("/events/{event_id:id}/you-said", views_actions.you_said_send, methods=["POST"]),
        Route("/report", views_report.report, methods=["GET"]),
        Route("/report.pdf", views_report.report_pdf, methods=["GET"]),
        Route("/report.docx", views_report.report_docx, methods=["GET"]),
        Route("/exports", views_exports.exports_page, methods=["GET"]),
        Route("/exports/download", views_exports.download, methods=["GET"]),
        Route("/exports/identified", views_exports.download_identified, methods=["POST"]),
        Route("/safeguarding", views_safeguarding.queue, methods=["GET"]),
        Route("/safeguarding/{flag_id:id}/ack", views_safeguarding.acknowledge, methods=["POST"]),
        Route("/to-read", views_reading.to_read_page, methods=["GET"]),
        Route("/to-read/read", views_reading.mark_read, methods=["POST"]),
        Route("/flows", views_flows.flows_page, methods=["GET"]),
        *editor_routes(),
        *versions_routes(),
        Route("/flows/{flow_id}", views_flows.flow_page, methods=["GET"]),
        Route("/flows/{flow_id}/preview", views_flows.preview_start, methods=["GET"]),
        Route("/flows/{flow_id}/preview", views_flows.preview_reply, methods=["POST"]),
        Route("/audit", views_audit.audit_page, methods=["GET"]),
        Route("/officers", views_admin.officers_page, methods=["GET"]),
        Route("/officers", views_admin.add_officer, methods=["POST"]),
        Route("/officers/{officer_id:id}/active", views_admin.set_active, methods=["POST"]),
        Route("/officers/{officer_id:id}/role", views_admin.set_role, methods=["POST"]),
        Route("/officers/{officer_id:id}/sessions/end", views_admin.end_sessions, methods=["POST"]),
        Route("/officers/{officer_id:id}/password", views_admin.reset_password, methods=["POST"]),
        Route(
            "/officers/{officer_id:id}/safeguarding-lead",
            views_admin.set_safeguarding_lead,
            methods=["POST"],
        ),
        Route("/officers/{officer_id:id}/author", views_admin.set_author, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="dashboard-static"),
    ]
    return [Mount(PREFIX, routes=pages)]


def editor_routes() -> list[BaseRoute]:
    """The flow editor (views_editor); before `/flows/{flow_id}`, which would take `new`."""
    e = views_editor
    return [
        Route("/flows/new", e.new_flow, methods=["GET"]),
        Route("/flows/new", e.post_editor, methods=["POST"]),
        Route("/flows/new/check", e.check_fragment, methods=["POST"]),
        Route("/flows/new/preview", views_editor_live.preview_fragment, methods=["POST"]),
        Route("/flows/{flow_id}/edit", e.edit_flow, methods=["GET"]),
        Route("/flows/{flow_id}/edit", e.post_editor, methods=["POST"]),
        Route("/flows/{flow_id}/check", e.check_fragment, methods=["POST"]),
        Route(
            "/flows/{flow_id}/edit/preview", views_editor_live.preview_fragment, methods=["POST"]
        ),
        Route("/flows/{flow_id}/yaml", e.yaml_page, methods=["GET"]),
        Route("/flows/{flow_id}/yaml", e.post_yaml, methods=["POST"]),
        Route("/flows/{flow_id}/download", e.download, methods=["GET"]),
        Route("/flows/{flow_id}/draft/preview", e.draft_preview, methods=["GET"]),
        Route("/flows/{flow_id}/draft/preview", e.draft_preview_reply, methods=["POST"]),
    ]


def versions_routes() -> list[BaseRoute]:
    """A flow's versions, uploads and publishing (before `/flows/{flow_id}`, which would take
    `/flows/upload`)."""
    v, u = views_versions, views_flow_uploads
    return [
        Route("/flows/upload", u.upload_page, methods=["GET"]),
        Route("/flows/upload", u.upload_yaml, methods=["POST"]),
        Route("/flows/import-rapidpro", u.upload_rapidpro, methods=["POST"]),
        Route("/flows/{flow_id}/versions", v.versions_page, methods=["GET"]),
        Route("/flows/{flow_id}/versions/{number:id}", v.version_page, methods=["GET"]),
        Route("/flows/{flow_id}/versions/{number:id}.yaml", v.download_version, methods=["GET"]),
        Route("/flows/{flow_id}/changes", v.changes_page, methods=["GET"]),
        Route("/flows/{flow_id}/publish", u.publish_draft, methods=["POST"]),
    ]


def upload_paths() -> list[str]:
    return [PREFIX + path for path in UPLOADS]


def middleware(settings: Settings) -> list[Middleware]:
    """The session cookie; none (and a dashboard that answers 503) without SESSION_SECRET.

    The cookie only carries a session token and the CSRF token: whether the session is still alive
    is decided server-side (storage.officer_sessions), so the cookie's own age is just a backstop.
    """
    config = DashboardConfig.from_settings(settings)
    if not config.enabled:
        return []
    return [
        Middleware(
            SessionMiddleware,
            secret_key=config.session_secret,
            session_cookie=SESSION_COOKIE,
            max_age=config.session_max_age_s,
            path=PREFIX,
            same_site="lax",
            https_only=config.https_only,
        )
    ]
