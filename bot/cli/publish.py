"""`sendvoice publish`: write the public "we asked, you said, we did" page."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.db import open_database
from bot.cli.library import library_or_exit
from bot.clock import system_clock
from bot.config import get_settings
from bot.reports import public_page
from storage import audit


@click.command("publish")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for index.html (upload it to the Local Offer website).",
)
@click.option("--flow", "flow_ids", multiple=True, help="Only these flows (default: all answered).")
def publish_command(out_dir: Path, flow_ids: tuple[str, ...]) -> None:
    """Write the public page: what was asked, how many answered, themes, approved quotes, actions.

    Counts below SMALL_GROUP_THRESHOLD are hidden; quotes appear only where an officer approved
    each one, with names, numbers, emails and postcodes blanked."""
    settings = get_settings()
    library = library_or_exit()
    unknown = [f for f in flow_ids if f not in library]
    if unknown:
        raise click.BadParameter(f"no flow {', '.join(unknown)}", param_hint="--flow")
    now = system_clock()
    with open_database(settings) as session_factory, session_factory.begin() as session:
        flows = public_page.sections(
            session, library, settings.small_group_threshold, list(flow_ids) or None
        )
        html = public_page.render(settings.council_name, flows, settings.small_group_threshold, now)
        audit.record(
            session,
            actor="cli",
            action="publish_page",
            now=now,
            detail={"flows": [f.title for f in flows], "out": str(out_dir)},
        )
    page = public_page.write(out_dir, html)
    click.echo(f"wrote {page} ({len(flows)} flow{'s' * (len(flows) != 1)})")
