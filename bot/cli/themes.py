"""`sendvoice themes ...`: suggested themes and tags for a free-text question, worked out here."""

from __future__ import annotations

import json

import click

from bot.cli.db import open_database
from bot.cli.library import library_or_exit
from bot.clock import system_clock
from bot.config import get_settings
from storage import audit, published


@click.group("themes")
def themes_group() -> None:
    """Suggest themes for free-text answers (nothing leaves this server)."""


def _question(flow_id: str, question: str) -> None:
    flows = {f.id: f for f in library_or_exit()}
    flow = flows.get(flow_id)
    if flow is None:
        raise click.BadParameter(f"no flow '{flow_id}'; known: {', '.join(sorted(flows))}")
    if not flow.has_step(question) or flow.step(question).type.value != "text":
        texts = [s.id for s in flow.steps if s.type.value == "text"]
        raise click.BadParameter(
            f"'{question}' is not a free-text question of {flow_id}; those are: {', '.join(texts)}",
            param_hint="--question",
        )


@themes_group.command("suggest")
@click.option("--flow", "flow_id", required=True, help="The flow, e.g. post_event.")
@click.option("--question", required=True, help="The free-text question's id, e.g. worked_well.")
@click.option(
    "--themes", type=click.IntRange(1, 30), default=None, help="How many (default: best)."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of text.")
def suggest_command(flow_id: str, question: str, themes: int | None, as_json: bool) -> None:
    """Propose a coding frame: themes with key phrases and example quotes (identifiers blanked).

    Themes of fewer people than SMALL_GROUP_THRESHOLD show no count and no quotes."""
    from bot.analysis import frame  # scikit-learn: loaded for this command only

    _question(flow_id, question)
    settings = get_settings()
    with open_database(settings) as session_factory, session_factory.begin() as session:
        read, views = frame.suggested_themes(
            session, flow_id, question, threshold=settings.small_group_threshold, themes=themes
        )
        audit.record(
            session,
            actor="cli",
            action="suggest_themes",
            now=system_clock(),
            detail={"flow_id": flow_id, "step_id": question, "answers": read},
        )
    if as_json:
        click.echo(json.dumps({"answers": read, "themes": [v.__dict__ for v in views]}))
        return
    if not views:
        click.echo(f"{read} answers: too few, or too short, to suggest themes.")
        return
    click.echo(f"{read} answers, {len(views)} suggested themes:")
    for n, view in enumerate(views, 1):
        count = (
            f"{view.count} answers"
            if view.count is not None
            else "fewer than " + str(settings.small_group_threshold)
        )
        click.echo(f"\n{n}. {view.name} ({count})")
        click.echo(f"   key phrases: {', '.join(view.key_phrases)}")
        for quote in view.quotes:
            click.echo(f'   "{quote}"')
    click.echo("\nAccept, rename, merge or reject them in the dashboard's coding page.")


@themes_group.command("suggest-tags")
@click.option("--flow", "flow_id", required=True)
@click.option("--question", required=True)
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.5, show_default=True)
def suggest_tags_command(flow_id: str, question: str, min_confidence: float) -> None:
    """For answers not tagged yet, the theme the officers' own tags suggest; tags nothing."""
    from bot.analysis import frame  # scikit-learn: loaded for this command only

    _question(flow_id, question)
    settings = get_settings()
    with open_database(settings) as session_factory, session_factory.begin() as session:
        views = frame.suggested_tags(session, flow_id, question, min_confidence=min_confidence)
        audit.record(
            session,
            actor="cli",
            action="suggest_tags",
            now=system_clock(),
            detail={"flow_id": flow_id, "step_id": question, "suggested": len(views)},
        )
    if not views:
        click.echo("No suggestions: tag some answers with at least two themes first.")
        return
    for view in views:
        click.echo(f'answer {view.answer_id}: {view.theme} ({view.confidence:.0%})  "{view.quote}"')


@themes_group.command("approve-quote")
@click.argument("answer_id", type=click.IntRange(1))
@click.option("--theme", "theme_id", type=click.IntRange(1), required=True, help="The theme's id.")
@click.option("--withdraw", is_flag=True, help="Take the approval back.")
def approve_quote_command(answer_id: int, theme_id: int, withdraw: bool) -> None:
    """Approve (or withdraw) an answer as a quote under a theme on the public page."""
    settings = get_settings()
    now = system_clock()
    with open_database(settings) as session_factory, session_factory.begin() as session:
        if withdraw:
            changed = published.withdraw(session, answer_id, theme_id)
        else:
            try:
                changed = published.approve(session, answer_id, theme_id, None, now)
            except published.NotCoded as exc:
                raise click.BadParameter(f"{exc}; tag it first", param_hint="ANSWER_ID") from None
        if changed:
            audit.record(
                session,
                actor="cli",
                action="withdraw_quote" if withdraw else "approve_quote",
                now=now,
                detail={"answer_id": answer_id, "theme_id": theme_id},
            )
    verb = "withdrawn" if withdraw else "approved"
    click.echo(f"answer {answer_id} {verb} for theme {theme_id}" if changed else "nothing changed")
