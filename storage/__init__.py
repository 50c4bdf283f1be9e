"""The database layer: models, repositories and migrations (SQLite or PostgreSQL).

Repository functions take a Session and never commit; the caller owns the transaction.
Nothing here reads the clock: callers pass `now`.
"""
