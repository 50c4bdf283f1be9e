"""Every foreign key a delete or a join walks has an index, read from the database's own catalogue.

Without one, deleting a row makes the database scan each table that points at it (to cascade or
to set NULL): the first retention purge after two years would hold locks for hours.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, inspect

from storage.db import make_engine

# (table, columns) -> why no index is wanted. Keep this short: every entry is a scan on delete.
DELIBERATELY_UNINDEXED: dict[tuple[str, tuple[str, ...]], str] = {}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _is_partial(index: dict[str, object]) -> bool:
    # A partial index (WHERE ...) serves only the rows it holds, not a delete's lookup of all.
    options = index.get("dialect_options") or {}
    assert isinstance(options, dict)
    return any(key.endswith("_where") and value is not None for key, value in options.items())


def _leading_column_sets(engine: Engine, table: str) -> list[tuple[str, ...]]:
    inspector = inspect(engine)
    sets: list[tuple[str, ...]] = []
    for index in inspector.get_indexes(table):
        if not _is_partial(dict(index)):
            sets.append(tuple(c for c in index["column_names"] if c is not None))
    # SQLite lists the indexes behind UNIQUE constraints and the primary key only here.
    for unique in inspector.get_unique_constraints(table):
        sets.append(tuple(unique["column_names"]))
    primary = inspector.get_pk_constraint(table).get("constrained_columns") or []
    sets.append(tuple(primary))
    return sets


def unindexed_foreign_keys(engine: Engine) -> list[tuple[str, tuple[str, ...], str]]:
    inspector = inspect(engine)
    missing = []
    for table in inspector.get_table_names():
        covering = _leading_column_sets(engine, table)
        for key in inspector.get_foreign_keys(table):
            columns = tuple(key["constrained_columns"])
            # An index serves a lookup on its leading columns, in any order among themselves.
            if any(set(c[: len(columns)]) == set(columns) for c in covering):
                continue
            missing.append((table, columns, key["referred_table"]))
    return missing


def test_every_foreign_key_has_an_index_whose_leading_columns_cover_it(engine: Engine) -> None:
    inspector = inspect(engine)
    # The catalogue was read: the keys the models declare are there to check.
    assert inspector.get_foreign_keys("follow_ups")
    found = unindexed_foreign_keys(engine)
    missing = [
        f"{table}({', '.join(columns)}) -> {referred}"
        for table, columns, referred in found
        if (table, columns) not in DELIBERATELY_UNINDEXED
    ]
    assert missing == [], "foreign keys without an index: " + "; ".join(missing)


def test_the_list_of_deliberate_exceptions_names_real_unindexed_keys(engine: Engine) -> None:
    found = {(table, columns) for table, columns, _ in unindexed_foreign_keys(engine)}
    for key, reason in DELIBERATELY_UNINDEXED.items():
        assert reason.strip(), f"{key} needs a reason"
        assert key in found, f"{key} is listed as unindexed but now has an index: remove it"
