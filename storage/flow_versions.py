"""Published flow versions and drafts: what the dashboard's flow pages and the live library read.

    check(yaml_text, flow_id) -> Flow                       the real loader; raises FlowValidationError
    save_draft(session, flow_id, yaml_text, officer_id, *, now, source="editor", report=None)
        -> FlowDraft                                        one draft per flow, replaced on each save;
                                                            any text is kept (half-written is fine)
    get_draft(session, flow_id) -> FlowDraft | None
    list_drafts(session) -> list[FlowDraft]                 by flow id
    discard_draft(session, flow_id) -> bool
    publish(session, flow_id, yaml_text, officer_id, source, *, now, actor=None) -> int
        validates with the loader (raises FlowValidationError with the loader's problems, or one
        naming a start keyword another flow already uses), stores a new version, deletes the
        flow's draft, audits "publish_flow"; returns the new version's number
    list_versions(session, flow_id) -> list[FlowVersion]    newest first
    get_version(session, flow_id, number) -> FlowVersion | None
    latest(session, flow_id) -> FlowVersion | None
    latest_numbers(session) -> dict[str, int]               every flow's newest number
    flow_ids(session) -> list[str]                          every flow with a version
    generation(session) -> int                              changes whenever any version is published

A version's number is one more than the flow's newest, or the `version:` its YAML declares when
that is higher (so conversations begun before versions were kept, which name the file's number,
find that very file). `officer_id` None means no officer: a file, the command line.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from flows.errors import FlowValidationError, Problem
from flows.loader.flowfile import load_flow_text
from flows.schema import Flow
from storage import audit
from storage.flow_models import VERSION_SOURCES, FlowDraft, FlowVersion


def sha256(yaml_text: str) -> str:
    return hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()


def check(yaml_text: str, flow_id: str | None = None, *, source: str | None = None) -> Flow:
    """The flow the text defines, or the loader's FlowValidationError (each problem names the
    line and field). With `flow_id`, the text's `id:` must be it."""
    return load_flow_text(yaml_text, source or f"{flow_id or 'flow'}.yaml", expected_id=flow_id)


# -- drafts


def save_draft(
    session: Session,
    flow_id: str,
    yaml_text: str,
    officer_id: int | None,
    *,
    now: datetime,
    source: str = "editor",
    report: list[Any] | None = None,
) -> FlowDraft:
    _known_source(source)
    draft = get_draft(session, flow_id)
    if draft is None:
        draft = FlowDraft(flow_id=flow_id)
        session.add(draft)
    draft.yaml_text = yaml_text
    draft.source = source
    draft.report = report
    draft.updated_at = now
    draft.updated_by = officer_id
    session.flush()
    return draft


def get_draft(session: Session, flow_id: str) -> FlowDraft | None:
    return session.scalars(select(FlowDraft).where(FlowDraft.flow_id == flow_id)).one_or_none()


def list_drafts(session: Session) -> list[FlowDraft]:
    return list(session.scalars(select(FlowDraft).order_by(FlowDraft.flow_id)))


def discard_draft(session: Session, flow_id: str) -> bool:
    result = session.execute(delete(FlowDraft).where(FlowDraft.flow_id == flow_id))
    return bool(getattr(result, "rowcount", 0))


# -- versions


def publish(
    session: Session,
    flow_id: str,
    yaml_text: str,
    officer_id: int | None,
    source: str,
    *,
    now: datetime,
    actor: str | None = None,
) -> int:
    _known_source(source)
    flow = check(yaml_text, flow_id)
    _keyword_free(session, flow)
    newest = latest(session, flow_id)
    number = max((newest.number + 1) if newest is not None else 1, flow.version)
    digest = sha256(yaml_text)
    session.add(
        FlowVersion(
            flow_id=flow_id,
            number=number,
            yaml_text=yaml_text,
            sha256=digest,
            source=source,
            published_at=now,
            published_by=officer_id,
        )
    )
    discard_draft(session, flow_id)
    audit.record(
        session,
        actor=actor or (f"officer:{officer_id}" if officer_id is not None else source),
        action="publish_flow",
        subject=f"flow:{flow_id}",
        detail={"version": number, "source": source, "sha256": digest},
        now=now,
    )
    return number


def list_versions(session: Session, flow_id: str) -> list[FlowVersion]:
    return list(
        session.scalars(
            select(FlowVersion)
            .where(FlowVersion.flow_id == flow_id)
            .order_by(FlowVersion.number.desc())
        )
    )


def get_version(session: Session, flow_id: str, number: int) -> FlowVersion | None:
    return session.scalars(
        select(FlowVersion).where(FlowVersion.flow_id == flow_id, FlowVersion.number == number)
    ).one_or_none()


def latest(session: Session, flow_id: str) -> FlowVersion | None:
    return session.scalars(
        select(FlowVersion)
        .where(FlowVersion.flow_id == flow_id)
        .order_by(FlowVersion.number.desc())
        .limit(1)
    ).first()


def latest_numbers(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(FlowVersion.flow_id, func.max(FlowVersion.number)).group_by(FlowVersion.flow_id)
    ).all()
    return {flow_id: int(number) for flow_id, number in rows}


def flow_ids(session: Session) -> list[str]:
    return sorted(latest_numbers(session))


def generation(session: Session) -> int:
    """The newest version's row id: a reader that saw this number has seen every version."""
    return int(session.scalar(select(func.coalesce(func.max(FlowVersion.id), 0))) or 0)


def latest_from_files(session: Session, flow_id: str) -> FlowVersion | None:
    """The newest version that came from a file: a file is imported again only when it differs
    from this, so an unchanged file never undoes what was published in the dashboard since."""
    return session.scalars(
        select(FlowVersion)
        .where(FlowVersion.flow_id == flow_id, FlowVersion.source == "file")
        .order_by(FlowVersion.number.desc())
        .limit(1)
    ).first()


def _known_source(source: str) -> None:
    if source not in VERSION_SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(VERSION_SOURCES)}")


def _keyword_free(session: Session, flow: Flow) -> None:
    """Two flows with one start keyword would leave the keyword meaning whichever loaded last."""
    keyword = flow.start_keyword
    if not keyword:
        return
    for other_id, number in latest_numbers(session).items():
        if other_id == flow.id:
            continue
        other = get_version(session, other_id, number)
        if other is None:
            continue
        try:
            other_flow = check(other.yaml_text, other_id)
        except FlowValidationError:
            continue
        if other_flow.start_keyword == keyword:
            raise FlowValidationError(
                [
                    Problem(
                        f"{flow.id}.yaml",
                        1,
                        "start_keyword",
                        f"{keyword} already starts the flow '{other_id}'",
                    )
                ]
            )
