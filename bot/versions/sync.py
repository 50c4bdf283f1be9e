"""Flow files become published versions: the bundled library and FLOW_PATHS, when they change.

A file is published again only when its text differs from the newest version that came from a
file, so an unchanged file never undoes what officers published in the dashboard since; a
changed file is the newer word and becomes the newest version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from flows.errors import FlowValidationError, Problem
from flows.library import flow_files
from storage import flow_versions


@dataclass
class SyncReport:
    published: list[tuple[str, int]] = field(default_factory=list)  # (flow id, version)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def sync_files(
    session: Session, paths: Iterable[str | Path] | None, *, now: datetime
) -> SyncReport:
    report = SyncReport()
    for path in flow_files(paths):
        flow_id = path.stem
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            report.problems.append(Problem(str(path), 1, "(file)", f"cannot read: {exc}"))
            continue
        last = flow_versions.latest_from_files(session, flow_id)
        if last is not None and last.sha256 == flow_versions.sha256(text):
            report.unchanged.append(flow_id)
            continue
        try:
            with session.begin_nested():
                number = flow_versions.publish(
                    session, flow_id, text, None, "file", now=now, actor="file"
                )
        except FlowValidationError as exc:
            report.problems += [
                Problem(str(path), p.line, p.field, p.message) for p in exc.problems
            ]
            continue
        report.published.append((flow_id, number))
    return report
