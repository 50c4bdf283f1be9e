"""`sendvoice flows ...`: list, show, validate and cost flow files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli import rapidpro
from bot.cli.library import library_or_exit
from flows.errors import FlowValidationError
from flows.library import LIBRARY_DIR, flow_files, load_library
from flows.lint.budget import LONG_NAMES, ServiceTexts, by_sms
from flows.lint.checks import lint
from flows.lint.cost import costs
from flows.lint.diagram import mermaid
from flows.loader.flowfile import load_flow
from flows.messages import VARIABLE_DEFAULTS


def _service() -> ServiceTexts:
    from bot.config import get_settings
    from bot.conversation.replies import service_texts

    return service_texts(get_settings())


@click.group("flows")
def flows_group() -> None:
    """List, draw and check conversation flows."""


@flows_group.command("list")
def list_flows() -> None:
    """Every flow with its audience, languages and start keyword."""
    for flow in library_or_exit():
        keyword = flow.start_keyword or "-"
        questions = sum(1 for s in flow.steps if s.is_question)
        click.echo(
            f"{flow.id:<20} {flow.audience.value:<13} {','.join(flow.languages):<6} "
            f"{keyword:<10} {questions:>2} questions  {flow.title}"
        )


@flows_group.command("show")
@click.argument("flow_id")
@click.option("--lang", default=None, help="Language of the step texts in the diagram.")
@click.pass_context
def show_flow(ctx: click.Context, flow_id: str, lang: str | None) -> None:
    """Print a Mermaid diagram of FLOW_ID (paste it into any Mermaid viewer)."""
    flows = {f.id: f for f in library_or_exit()}
    if flow_id not in flows:
        click.echo(f"error: no flow '{flow_id}'; known: {', '.join(sorted(flows))}", err=True)
        ctx.exit(1)
    click.echo(mermaid(flows[flow_id], lang), nl=False)


@flows_group.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], strict: bool) -> None:
    """Check flow files (default: the bundled library); errors name the file, line and field."""
    files = flow_files(paths or None)
    errors = warnings = 0
    for path in files:
        try:
            flow = load_flow(path)
        except FlowValidationError as exc:
            for problem in exc.problems:
                click.echo(f"{problem}", err=True)
            errors += len(exc.problems)
            continue
        for warning in lint(flow, _service()):
            click.echo(str(warning), err=True)
            warnings += 1
    if not errors and len(files) > 1:
        try:
            load_library(files)
        except FlowValidationError as exc:
            for problem in exc.problems:
                click.echo(f"{problem}", err=True)
            errors += len(exc.problems)
    summary = f"{len(files)} file(s): {errors} error(s), {warnings} warning(s)"
    click.echo(summary, err=bool(errors))
    if errors or (strict and warnings):
        sys.exit(1)


@flows_group.command("cost")
@click.argument("flow_id")
@click.option(
    "--recipients", type=click.IntRange(min=1), default=1, show_default=True, help="People texted."
)
@click.option("--lang", default=None, help="Language of the texts (default: the flow's first).")
@click.option("--event", "event_name", default=None, help="The event's name, as texts show it.")
@click.option(
    "--long-names", is_flag=True, help="Cost with a 40-character council and 50-character event."
)
@click.option(
    "--returning", is_flag=True, help="People who had the privacy notice before (it is not sent)."
)
@click.pass_context
def cost(
    ctx: click.Context,
    flow_id: str,
    recipients: int,
    lang: str | None,
    event_name: str | None,
    long_names: bool,
    returning: bool,
) -> None:
    """SMS segments per route through FLOW_ID (shortest, typical, longest) and what sending it to
    --recipients people costs at SMS_PRICE_PER_SEGMENT. Re-asks, HELP and reminders are extra."""
    from bot.config import get_settings

    settings = get_settings()
    flows = {f.id: f for f in library_or_exit()}
    if flow_id not in flows:
        click.echo(f"error: no flow '{flow_id}'; known: {', '.join(sorted(flows))}", err=True)
        ctx.exit(1)
    flow = flows[flow_id]
    language = lang or flow.default_language
    if language not in flow.languages:
        raise click.BadParameter(
            f"{flow_id} is in {', '.join(flow.languages)} only", param_hint="--lang"
        )
    values = {**VARIABLE_DEFAULTS.get(language, {}), **settings.names_in(language)}
    if long_names:
        values.update(LONG_NAMES.get(language, LONG_NAMES["en"]))
    if event_name:
        values["event_name"] = event_name
    service = _service()
    notice = None if returning or flow.returning_only else service.notice.get(language)
    price = settings.sms_price_per_segment
    people = f"{recipients:,} {'person' if recipients == 1 else 'people'}"
    click.echo(f"{flow.id}: {flow.title} ({language})")
    if not by_sms(flow):
        click.echo(
            "  Sent by chat (Telegram), which costs nothing per message; by SMS it would be:"
        )
    click.echo(
        "  the first text "
        + ("includes the privacy notice" if notice else "has no privacy notice (sent before)")
    )
    width = max(len(p) for p in ("shortest", "typical", "longest"))
    for label, route in costs(flow, language, values, notice).items():
        total = route.segments * recipients * price
        texts = f"{route.texts} text{'s' if route.texts != 1 else ''}"
        click.echo(
            f"  {label:<{width}}  {route.segments:>3} segments in {texts}, "
            f"£{total:,.2f} for {people}: {' > '.join(route.steps)}"
        )
    click.echo(
        f"  at £{price:g} a segment (SMS_PRICE_PER_SEGMENT); re-asks, HELP and reminders are extra"
    )


@flows_group.command("import")
@click.argument("export_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write the flow files in (add it to FLOW_PATHS to use them).",
)
@click.option("--force", is_flag=True, help="Overwrite flow files that already exist.")
@click.pass_context
def import_flows(ctx: click.Context, export_file: Path, out_dir: Path, force: bool) -> None:
    """Turn a RapidPro/TextIt export (flow spec 13 or 14) into flow files; lists what did not map."""
    known = {flow.id for flow in load_library([LIBRARY_DIR])}
    ctx.exit(rapidpro.import_file(export_file, out_dir, force=force, known=known))


@flows_group.command("export-rapidpro")
@click.argument("flow_id")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: print)."
)
@click.pass_context
def export_rapidpro(ctx: click.Context, flow_id: str, out: Path | None) -> None:
    """Write FLOW_ID as a RapidPro/TextIt export (spec 13.1), listing what RapidPro cannot hold."""
    flows = {f.id: f for f in library_or_exit()}
    if flow_id not in flows:
        click.echo(f"error: no flow '{flow_id}'; known: {', '.join(sorted(flows))}", err=True)
        ctx.exit(1)
    text, unmapped = rapidpro.export_text(flows[flow_id])
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"{out}: {flow_id} written for RapidPro/TextIt")
    for line in unmapped:
        click.echo(f"not exported: {line}", err=True)


@flows_group.command("sync")
@click.pass_context
def sync(ctx: click.Context) -> None:
    """Publish every flow file (bundled and FLOW_PATHS) that changed as a new version in the database."""
    from bot.cli.db import open_database
    from bot.clock import system_clock
    from bot.config import get_settings
    from bot.versions.sync import sync_files

    settings = get_settings()
    with open_database(settings) as factory, factory.begin() as session:
        report = sync_files(session, [LIBRARY_DIR, *settings.flow_path_list()], now=system_clock())
    for flow_id, number in report.published:
        click.echo(f"{flow_id}: published as version {number}")
    if report.unchanged:
        click.echo(f"unchanged: {', '.join(report.unchanged)}")
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    ctx.exit(1 if report.problems else 0)


@flows_group.command("versions")
@click.argument("flow_id")
def versions(flow_id: str) -> None:
    """Every published version of FLOW_ID, newest first: number, when, where from."""
    from bot.cli.db import open_database
    from bot.config import get_settings
    from storage import flow_versions

    with open_database(get_settings()) as factory, factory() as session:
        rows = flow_versions.list_versions(session, flow_id)
        for row in rows:
            by = f"officer {row.published_by}" if row.published_by is not None else row.source
            click.echo(
                f"v{row.number:<4} {row.published_at:%Y-%m-%d %H:%M} UTC  {row.source:<8} {by}"
            )
    if not rows:
        click.echo(f"no versions of '{flow_id}' yet (run `sendvoice flows sync`)", err=True)
