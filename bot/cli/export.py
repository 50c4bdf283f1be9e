"""`sendvoice export`: responses to CSV or XLSX, pseudonymised unless --identified with a reason."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from bot.cli.db import open_database
from bot.cli.library import library_or_exit
from bot.clock import system_clock
from bot.config import get_settings
from bot.reports import exports
from storage import export_files
from storage.models import ANSWERED_BY
from storage.reporting import NOT_ASKED, Filters

PROGRESS_OVER = 500  # rows; smaller exports finish before a bar is worth drawing


@click.command("export")
@click.option("--event", "event_id", type=int, default=None, help="Only this event's responses.")
@click.option("--flow", "flow_id", default=None, help="Only this flow's responses.")
@click.option(
    "--answered-by",
    type=click.Choice([*sorted(ANSWERED_BY), NOT_ASKED]),
    default=None,
    help="Only responses given this way (who answered).",
)
@click.option(
    "--layout",
    type=click.Choice(exports.LAYOUTS),
    default="wide",
    show_default=True,
    help="wide: one row per response; long: one row per answer.",
)
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), required=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--identified",
    is_flag=True,
    help="Add phone numbers and Telegram ids (needs --reason; written to the audit log).",
)
@click.option("--reason", default="", help="Why an identified export is needed.")
def export_command(
    event_id: int | None,
    flow_id: str | None,
    answered_by: str | None,
    layout: exports.Layout,
    fmt: exports.Format,
    out_path: Path,
    identified: bool,
    reason: str,
) -> None:
    """Export responses. Pseudonymised by default; every export is written to the audit log."""
    settings = get_settings()
    if identified and len(reason.strip()) < 10:
        raise click.BadParameter(
            "an identified export needs --reason (at least 10 characters)", param_hint="--reason"
        )
    library = library_or_exit()
    request = exports.ExportRequest(
        filters=Filters(event_id=event_id, flow_id=flow_id, answered_by=answered_by),
        layout=layout,
        format=fmt,
        actor="cli",
        identified=identified,
        reason=reason,
    )
    with open_database(settings) as session_factory, ExitStack() as stack:
        partial = out_path.with_name(out_path.name + ".part")
        bars: list[Any] = []

        def on_total(total: int) -> None:
            if total > PROGRESS_OVER:
                bar = click.progressbar(length=total, label="Exporting", file=sys.stderr)
                bars.append(stack.enter_context(bar))

        def tick() -> None:
            for bar in bars:
                bar.update(1)

        holders: set[int] = set()
        now = system_clock()
        try:
            with partial.open("wb") as out:
                written = exports.export(
                    session_factory,
                    request,
                    library,
                    out,
                    now=now,
                    on_total=on_total,
                    tick=tick,
                    holders=holders,
                )
            # Recorded before it is in place: erasing anyone in it will delete it.
            with session_factory.begin() as session:
                export_files.record(
                    session,
                    path=str(out_path.resolve()),
                    kind="responses",
                    identified=identified,
                    actor="cli",
                    contact_ids=holders,
                    now=now,
                )
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(out_path)  # a half-written file never looks like a finished export
    kind = "IDENTIFIED" if identified else "pseudonymised"
    click.echo(f"wrote {written} rows ({kind}, {layout}) to {out_path}")
