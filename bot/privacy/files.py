"""Deleting the export files that hold an erased person, and saying what became of each."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from storage import export_files
from storage.models import ExportFile

Fate = Literal["deleted", "missing", "would delete", "could not delete"]


@dataclass(frozen=True)
class FileFate:
    file_id: int
    path: str
    fate: Fate

    def line(self) -> str:
        if self.fate == "missing":
            return f"{self.path} (already gone)"
        if self.fate == "could not delete":
            return f"{self.path} (COULD NOT DELETE: remove it by hand)"
        return self.path

    def audited(self) -> dict[str, object]:
        # The path stays out of the audit log: officers name files after people.
        return {"id": self.file_id, "fate": self.fate}


def foresee(files: list[ExportFile]) -> list[FileFate]:
    """What `remove` would do, doing nothing."""
    return [
        FileFate(f.id, f.path, "would delete" if Path(f.path).exists() else "missing")
        for f in files
    ]


def remove_files(
    session: Session, files: list[ExportFile], because: str, now: datetime
) -> list[FileFate]:
    """Delete each file; one already gone is reported, not an error. A file that cannot be deleted
    (permissions) stays recorded, so the next run tries again and says so again."""
    fates: list[FileFate] = []
    for f in files:
        try:
            os.unlink(f.path)
            fate: Fate = "deleted"
        except FileNotFoundError:
            fate = "missing"
        except OSError:
            fate = "could not delete"
        fates.append(FileFate(f.id, f.path, fate))
    export_files.mark_removed(
        session, [f.file_id for f in fates if f.fate != "could not delete"], because, now
    )
    return fates
