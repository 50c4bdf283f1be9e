"""The safeguarding queue: every flag, with the exact words, until a person acknowledges it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.safeguarding.alerts import CATEGORY_WORDS
from bot.web.dashboard.web import Who, db, form_text, now, page, redirect, refuse, render
from storage import audit
from storage import contacts as contacts_repo
from storage import safeguarding as flags_repo
from storage.models import Contact

REVIEW_WORDS = "worth a look (wider net; the survey carried on)"
NOTE_LIMIT = 2000


@page(("admin", "officer"))
async def queue(request: Request, who: Who) -> Response:
    at = now(request)

    def load(session: Session) -> dict[str, Any]:
        items: list[dict[str, Any]] = []
        flag_ids: list[int] = []
        for flag in flags_repo.open_flags(session, scope=who.scope, lead=who.lead):
            flag_ids.append(flag.id)
            contact = session.get(Contact, flag.contact_id) if flag.contact_id else None
            reach = []
            if contact is not None:
                # The lead must be able to reach the person: the number is shown here, audited.
                for channel in ("sms", "whatsapp", "telegram"):
                    identity = contacts_repo.identity_for(session, contact.id, channel)
                    if identity is not None:
                        reach.append(f"{channel}: {identity.address}")
            items.append(
                {
                    "flag": flag,
                    "what": CATEGORY_WORDS.get(flag.category, REVIEW_WORDS),
                    "pseudonym": contact.pseudonym if contact else "unknown",
                    "reach": reach,
                    "urgent": flag.category != flags_repo.REVIEW,
                }
            )
        if items:
            audit.record(
                session,
                actor=who.actor,
                action="view_safeguarding_queue",
                now=at,
                detail={"flags": flag_ids},
            )
        return {"flag_rows": items}

    context = await db(request, load)
    return render(request, "safeguarding.html", {**context, "note_limit": NOTE_LIMIT}, who=who)


@page(("admin", "officer"))
async def acknowledge(request: Request, who: Who) -> Response:
    flag_id = int(request.path_params["flag_id"])
    form = await request.form()
    note = " ".join(form_text(form, "note", limit=NOTE_LIMIT).split())
    if not note:
        return refuse(
            request, who, 400, "Say what was done before acknowledging: the note is required."
        )
    at = now(request)

    def ack(session: Session) -> bool:
        flag = flags_repo.acknowledge(
            session, flag_id, who.actor, at, note=note, scope=who.scope, lead=who.lead
        )
        if flag is None:
            return False
        audit.record(
            session,
            actor=who.actor,
            action="acknowledge_safeguarding_flag",
            subject=f"flag:{flag.id}",
            now=at,
            detail={"note": note},
        )
        return True

    if not await db(request, ack):
        return refuse(request, who, 404, "No such flag in your areas.")
    return redirect("/safeguarding")
