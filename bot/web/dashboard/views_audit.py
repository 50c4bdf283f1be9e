"""The audit log for admins: who did what, by email, filtered and paged."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.privacy.retention import ACTION as RETENTION_PURGE
from bot.web.dashboard import filters as filtering
from bot.web.dashboard.views_responses import page_number
from bot.web.dashboard.web import Who, db, page, parse_id, refuse, render
from storage import audit
from storage import officers as officers_repo

AUDIT_PAGE = 50
_ACTION = re.compile(r"[a-z_]{1,64}")
_OFFICER = re.compile(r"officer:([0-9]{1,10})")
LABELS = {
    "view_transcript": "Transcript viewed",
    "view_to_read": "To-read list viewed",
    "view_safeguarding_queue": "Safeguarding queue viewed",
    "read_free_text": "Free text read",
    "code_answers": "Answers coded",
    "add_theme": "Theme added",
    "export": "Export",
    "subject_access_export": "Subject access export",
    "send_you_said_we_did": "You said, we did sent",
    "acknowledge_safeguarding_flag": "Safeguarding flag acknowledged",
    "login": "Signed in",
    "login_locked": "Account locked",
    "login_locked_unrecognised": "Account closed to unknown browsers",
    "login_temporary_expired": "Expired temporary password tried",
    "add_officer": "Officer added",
    "deactivate_officer": "Officer deactivated",
    "activate_officer": "Officer reactivated",
    "change_officer_role": "Officer's role changed",
    "end_officer_sessions": "Officer's sessions ended",
    "make_safeguarding_lead": "Made safeguarding lead",
    "end_safeguarding_lead": "No longer safeguarding lead",
    "make_author": "May write flows",
    "end_author": "No longer writes flows",
    "publish_flow": "Published a flow version",
    "change_password": "Own password changed",
    "set_password": "Password set (command line)",
    "reset_password": "Password reset by an admin",
    "forget": "Person forgotten",
    "rotate_key": "Key rotated",
    RETENTION_PURGE: "Retention purge",
}


def label(action: str) -> str:
    return LABELS.get(action, action.replace("_", " ").capitalize())


class BadAuditFilter(ValueError):
    pass


def _filters(params: Any) -> dict[str, Any]:
    """The query string as filters; anything that cannot be one is refused (400), not ignored."""
    raw_officer = params.get("officer", "").strip()
    raw_action = params.get("action", "").strip()
    officer = parse_id(raw_officer) if raw_officer else None
    if raw_officer and officer is None:
        raise BadAuditFilter("Officer must be one from the list.")
    if raw_action and not _ACTION.fullmatch(raw_action):
        raise BadAuditFilter("Action must be one from the list.")
    try:
        since = filtering.parse_day(params.get("since", "").strip(), "From")
        until = filtering.parse_day(params.get("until", "").strip(), "To")
    except filtering.BadFilter as exc:
        raise BadAuditFilter(str(exc)) from None
    if since and until and until < since:
        raise BadAuditFilter("'To' is before 'From'.")
    return {
        "officer": officer,
        "action": raw_action or None,
        "since": filtering.uk_midnight(since) if since else None,
        "until": filtering.uk_midnight(until + timedelta(days=1)) if until else None,
        "values": {
            k: v
            for k, v in {
                "officer": raw_officer,
                "action": raw_action,
                "since": since.isoformat() if since else "",
                "until": until.isoformat() if until else "",
            }.items()
            if v
        },
    }


def _named(value: str | None, emails: dict[int, str]) -> str:
    """'officer:12' as the officer's email; anything else (cli, scheduler, a pseudonym) as is."""
    if not value:
        return "-"
    found = _OFFICER.fullmatch(value)
    if found is None:
        return value
    return emails.get(int(found.group(1)), f"officer #{found.group(1)} (removed)")


@page(("admin",))
async def audit_page(request: Request, who: Who) -> Response:
    try:
        chosen = _filters(request.query_params)
    except BadAuditFilter as exc:
        return refuse(request, who, 400, str(exc))
    number = page_number(request)
    actor = f"officer:{chosen['officer']}" if chosen["officer"] is not None else None

    def load(session: Session) -> dict[str, Any]:
        last_purge = audit.recent(session, limit=1, action=RETENTION_PURGE)
        entries, total = audit.search(
            session,
            actor=actor,
            action=chosen["action"],
            since=chosen["since"],
            until=chosen["until"],
            limit=AUDIT_PAGE,
            offset=(number - 1) * AUDIT_PAGE,
        )
        officers = officers_repo.list_all(session)
        emails = {o.id: o.email for o in officers}
        return {
            "rows": [
                (e, _named(e.actor, emails), label(e.action), _named(e.subject, emails))
                for e in entries
            ],
            "total": total,
            "pages": max(1, -(-total // AUDIT_PAGE)),
            "officer_choices": [(o.id, o.email) for o in officers],
            "action_choices": [(a, label(a)) for a in audit.actions(session)],
            "last_purge": last_purge[0] if last_purge else None,
            "last_purge_by": _named(last_purge[0].actor, emails) if last_purge else "",
        }

    context = await db(request, load)
    query = filtering.Query(chosen["values"])
    return render(
        request,
        "audit.html",
        {**context, "query": query, "page_no": number, "nav": "audit"},
        who=who,
    )
