"""`sendvoice doctor`: every setting a deployment needs, each OK, WARN or FAIL with how to fix it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from bot.config import get_settings

if TYPE_CHECKING:
    from bot.health import Check

MARKS = {"ok": "OK  ", "warn": "WARN", "fail": "FAIL"}


def line(check: Check) -> str:
    text = f"{MARKS[check.level]}  {check.name:<20} {check.summary}"
    if check.fix:
        text += f"\n      {'':<20} fix: {check.fix}"
    return text


@click.command("doctor")
def doctor() -> None:
    """Check this deployment's settings and database; exit 1 if anything must be fixed.

    Makes no calls to Twilio, Telegram or the mail server: it checks their settings, and the
    database for real.
    """
    # Late: every `sendvoice` command, and each web process `serve --workers` spawns, imports
    # this module, and the checks bring in the database and phone-number libraries.
    from bot.health import Check, checks
    from storage.db import make_engine

    settings = get_settings()
    try:
        engine = make_engine(settings.database_url)
    except Exception as exc:  # a URL SQLAlchemy cannot even parse; its text may hold a password
        found = checks(settings, with_flows=True)
        found.append(
            Check(
                "database",
                "fail",
                f"DATABASE_URL cannot be used ({type(exc).__name__})",
                "set DATABASE_URL to a sqlite:/// or postgresql+psycopg:// address",
            )
        )
    else:
        try:
            found = checks(settings, engine, with_flows=True)
        finally:
            engine.dispose()
    for check in found:
        click.echo(line(check))
    failed = sum(c.level == "fail" for c in found)
    warned = sum(c.level == "warn" for c in found)
    click.echo("")
    if failed:
        click.echo(f"{failed} to fix, {warned} to look at.")
        sys.exit(1)
    click.echo(f"Nothing to fix; {warned} to look at." if warned else "All good.")
