"""Column types that keep a family's words encrypted at rest, whoever writes or reads them.

Messages, answers, safeguarding flags and export records hold what people wrote. A column of
these types encrypts every value bound to it (ORM flushes, Core inserts and updates, upserts)
with the cipher attached to the engine, and decrypts every value read from it, so no query can
forget to. Values are Fernet tokens (random IV): two equal words never look alike, so the
database cannot compare, search or sort them, and these types refuse to try: a filter such as
`Message.body == "x"` or `.like(...)` raises at once instead of silently matching nothing. Filter
and sort in Python after reading, or on a keyed hash kept beside the value.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    Connection,
    Dialect,
    Engine,
    MetaData,
    Table,
    Text,
    bindparam,
    select,
    type_coerce,
    update,
)
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

from storage.crypto import EncryptionKeyError, IdentifierCipher

_ATTRIBUTE = "sendvoice_cipher"
_ROTATE_BATCH = 1000


def attach(engine: Engine, cipher: IdentifierCipher) -> None:
    """Seal and open the engine's encrypted columns with this cipher from now on."""
    setattr(engine.dialect, _ATTRIBUTE, cipher)


def cipher_for(dialect: Dialect) -> IdentifierCipher:
    cipher = getattr(dialect, _ATTRIBUTE, None)
    if cipher is None:
        raise EncryptionKeyError(
            "this database connection has no encryption key; people's words cannot be read or "
            "written (open it with storage.db.make_session_factory and a cipher)"
        )
    return cipher  # type: ignore[no-any-return]


class SealedValueError(TypeError):
    """A query tried to compare, search or sort encrypted values in SQL."""


_ALLOWED = {operators.is_, operators.is_not}


class _Comparator(TypeDecorator.Comparator[Any]):
    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        if op in _ALLOWED or (op in (operators.eq, operators.ne) and _structural(other)):
            return super().operate(op, *other, **kwargs)
        raise SealedValueError(
            f"{self.expr} is encrypted: compare, search or sort it in Python after reading "
            f"({getattr(op, '__name__', op)} is not possible in SQL)"
        )

    def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
        raise SealedValueError(f"{self.expr} is encrypted and cannot be compared in SQL")


def _structural(other: tuple[Any, ...]) -> bool:
    """`column == None` (IS NULL) still means something on ciphertext, and SQLAlchemy itself
    compares column objects with == when it looks them up; a value never does."""
    return len(other) == 1 and (other[0] is None or isinstance(other[0], ColumnElement))


class SealedText(TypeDecorator[str]):
    """Text stored encrypted."""

    impl = Text
    cache_ok = True
    comparator_factory = _Comparator

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"expected text, got {type(value).__name__}")
        return cipher_for(dialect).encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return cipher_for(dialect).decrypt(value)


class SealedJSON(TypeDecorator[Any]):
    """Any JSON value stored encrypted; Python None is SQL NULL."""

    impl = Text
    cache_ok = True
    comparator_factory = _Comparator

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return cipher_for(dialect).encrypt(dumps(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(cipher_for(dialect).decrypt(value))


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sealed_columns(metadata: MetaData) -> list[tuple[Table, str]]:
    """(table, column) of every encrypted column: key rotation and checks find new ones here."""
    return [
        (table, column.name)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, SealedText | SealedJSON)
    ]


def rotate(connection: Connection, table: Table, column: str, cipher: IdentifierCipher) -> int:
    """Re-encrypt one sealed column under the cipher's first key, a batch at a time, without
    decoding the values; returns how many were rewritten."""
    raw = type_coerce(table.c[column], Text)
    key = table.c.id
    rewrite = (
        update(table)
        .where(key == bindparam("row_id"))
        .values({column: bindparam("token", type_=Text)})
    )
    rows, after = 0, None
    while True:
        query = select(key, raw).where(raw.is_not(None)).order_by(key).limit(_ROTATE_BATCH)
        found = connection.execute(query if after is None else query.where(key > after)).all()
        if not found:
            return rows
        connection.execute(
            rewrite, [{"row_id": i, "token": cipher.rotate(token)} for i, token in found]
        )
        rows += len(found)
        after = found[-1][0]
