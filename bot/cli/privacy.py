"""`sendvoice privacy ...`: retention purge, erasure, subject access export, key rotation."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from bot.cli.db import open_database
from bot.cli.library import library_or_exit
from bot.clock import system_clock
from bot.config import get_settings
from bot.privacy.files import FileFate
from storage import export_files
from storage.crypto import generate_key


@click.group("privacy")
def privacy_group() -> None:
    """Keep as little as we can, for as short as we can, and prove it."""


@privacy_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
def purge_command(dry_run: bool) -> None:
    """Delete messages, free text and identifiers older than RETENTION_DAYS; keep anonymised answers.

    Works in small batches, each its own transaction, so replies are not held up; if stopped, run
    it again and it carries on.
    """
    from bot.privacy.retention import count, purge

    settings = get_settings()
    now = system_clock()
    library = library_or_exit()
    with open_database(settings) as session_factory:
        if dry_run:
            report = purge(
                session_factory,
                library,
                retention_days=settings.retention_days,
                now=now,
                dry_run=True,
            )
        else:
            with session_factory() as session:
                total = count(session, library, retention_days=settings.retention_days, now=now)
            with click.progressbar(length=total.total(), label="purging", file=sys.stderr) as bar:
                report = purge(
                    session_factory,
                    library,
                    retention_days=settings.retention_days,
                    now=now,
                    dry_run=False,
                    progress=bar.update,
                    actor="cli",
                )
    verb = "would delete" if dry_run else "deleted"
    click.echo(
        f"retention {settings.retention_days} days: {verb} {report.messages} messages, "
        f"{report.receipts} delivery receipts, identifiers of {report.contacts} people "
        f"({report.identities} numbers or chat ids, {report.follow_ups} planned follow-ups "
        f"cancelled), free text of {report.free_text_answers} answers, replies as typed of "
        f"{report.typed_answers} answers, the saved state of {report.conversations} "
        f"conversations, and {report.export_files} export files"
    )
    _say_files(report.files, verb)


@privacy_group.command("forget")
@click.argument("who")
@click.option(
    "--delete-answers", is_flag=True, help="Delete their answers too, not just anonymise."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget_command(who: str, delete_answers: bool, yes: bool) -> None:
    """Erase a person (PHONE or TELEGRAM_ID): identifiers, messages, and their words everywhere."""
    from bot.privacy.forgetting import find_person, forget

    settings = get_settings()
    with open_database(settings) as session_factory, session_factory.begin() as session:
        contact = find_person(session, who, settings.sms_default_region)
        if contact is None:
            click.echo("nobody with that number or chat id is held", err=True)
            sys.exit(1)
        if not yes:
            click.confirm(f"Erase person {contact.pseudonym}? This cannot be undone", abort=True)
        report = forget(
            session,
            library_or_exit(),
            contact,
            delete_answers=delete_answers,
            actor="cli",
            now=system_clock(),
        )
    kept = "deleted" if delete_answers else "kept, anonymised"
    click.echo(
        f"erased person {report.pseudonym}: {report.identities} identifiers, "
        f"{report.messages} messages, {report.free_text_answers} free-text answers, "
        f"the words of {report.flags} safeguarding flags (the flags stay), "
        f"{report.follow_ups} planned requests; structured answers {kept}; "
        "written to the audit log"
    )
    _say_files(report.files, "deleted")


def _say_files(fates: list[FileFate], verb: str) -> None:
    """Export files that held the people erased (or past retention themselves): each by its path,
    and what became of it."""
    if fates:
        click.echo(f"{verb} {len(fates)} export files:")
        for fate in fates:
            click.echo(f"  {fate.line()}")


@privacy_group.command("export")
@click.argument("who")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the JSON here (default: standard output).",
)
def export_command(who: str, out: Path | None) -> None:
    """Everything held about a person (PHONE or TELEGRAM_ID), as JSON: a subject access request."""
    from bot.privacy.access import subject_access
    from bot.privacy.forgetting import find_person

    settings = get_settings()
    with open_database(settings) as session_factory, session_factory.begin() as session:
        contact = find_person(session, who, settings.sms_default_region)
        if contact is None:
            click.echo("nobody with that number or chat id is held", err=True)
            sys.exit(1)
        data = subject_access(session, contact, actor="cli", now=system_clock())
        if out is not None:
            # Recorded with the request: erasing them later deletes this file too.
            export_files.record(
                session,
                path=str(out.resolve()),
                kind="subject_access",
                identified=True,
                actor="cli",
                contact_ids=[contact.id],
                now=system_clock(),
            )
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    if out is None:
        click.echo(text)
    else:
        _write_private(out, text + "\n")
        click.echo(f"written to {out}", err=True)


def _write_private(path: Path, text: str) -> None:
    """Readable by its owner only from the first byte (a chmod afterwards leaves a window)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    path.chmod(0o600)  # an existing file keeps its mode through O_CREAT


@privacy_group.command("new-key")
def new_key() -> None:
    """Print a new encryption key for DATA_ENCRYPTION_KEY."""
    click.echo(generate_key())


@privacy_group.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt every identifier and everyone's words under the first key in DATA_ENCRYPTION_KEY.

    To rotate: put the new key first and keep the old one after it ("NEW,OLD"), restart, run this,
    then remove the old key. Run once with your one key after upgrading, to seal conversations an
    earlier version stored in clear.
    """
    from bot.cli.db import require_cipher
    from bot.privacy.keys import rotate

    settings = get_settings()
    cipher = require_cipher(settings)
    with open_database(settings) as session_factory, session_factory.begin() as session:
        rows = rotate(session, cipher, actor="cli", now=system_clock())
    click.echo(f"re-encrypted {rows} values under the first key; the old key can now be removed")
