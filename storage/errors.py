from __future__ import annotations


class StorageError(Exception):
    """Root of every error the storage package raises."""


class UnsupportedDatabase(StorageError):
    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        super().__init__(
            f"sendvoice supports SQLite and PostgreSQL databases, not {dialect!r}. "
            "Check DATABASE_URL."
        )


class SchemaOutOfDate(StorageError):
    def __init__(self, current: str | None, needed: str, *, newer: bool = False) -> None:
        self.current = current
        self.needed = needed
        shown = current if current is not None else "empty"
        if newer:
            message = (
                f"The database schema is at revision {shown}, which is newer than this version "
                f"of sendvoice understands (it needs {needed}). Upgrade sendvoice."
            )
        else:
            message = (
                f"The database schema is at revision {shown} but this version of sendvoice "
                f"needs {needed}. Run `sendvoice db upgrade`."
            )
        super().__init__(message)
