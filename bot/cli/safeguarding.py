"""`sendvoice safeguarding ...`: try the safeguarding detector on texts; the unread backlog."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import timedelta

import click

from bot.cli.db import open_database
from bot.clock import system_clock
from bot.config import get_settings
from flows.safeguarding.assess import assess
from flows.safeguarding.evaluation import Score, Verdict, read_tsv, score, wilson
from storage import to_read


@click.group("safeguarding")
def safeguarding_group() -> None:
    """Check free text for things a person must read (self-harm, abuse, neglect...)."""


@safeguarding_group.command("check")
@click.argument("text", required=False)
def check_text(text: str | None) -> None:
    """Check TEXT, or each non-blank line of standard input; print one JSON object per text.

    Keys: text, flagged (a person must read it now), review (only the wider net caught it),
    score (the model's calibrated probability), category, reasons.
    """
    texts: Iterable[str] = [text] if text is not None else _lines(sys.stdin)
    for item in texts:
        found = assess(item)
        record = {
            "text": item,
            "flagged": found.flagged,
            "review": found.review,
            "score": round(found.score, 4),
            "category": found.category,
            "reasons": list(found.reasons),
        }
        click.echo(json.dumps(record, ensure_ascii=False))


def _lines(stream: Iterable[str]) -> Iterator[str]:
    # One at a time, so a long file piped in is answered as it is read.
    for line in stream:
        if line.strip():
            yield line.rstrip("\r\n")


def _judge(text: str) -> Verdict:
    found = assess(text)
    return Verdict(flagged=found.flagged, review=found.review)


@safeguarding_group.command("evaluate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--misses/--no-misses", default=True, help="List the disclosures it missed.")
def evaluate(path: str, misses: bool) -> None:
    """Score the detector on PATH (label TAB text; 1 = must be read): recall, false alarms, misses."""
    with open(path, encoding="utf-8") as stream:
        try:
            rows = read_tsv(stream)
        except ValueError as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
    _report("all", score(rows, _judge), misses=misses)
    for language in sorted({row.language for row in rows if row.language}):
        subset = [row for row in rows if row.language == language]
        _report(f"language {language}", score(subset, _judge), misses=False)


def _report(name: str, result: Score, *, misses: bool) -> None:
    low, high = wilson(result.caught, result.disclosures)
    click.echo(
        f"{name}: recall {result.recall:.3f} (95% CI {low:.3f}-{high:.3f}) on "
        f"{result.disclosures} disclosures; with the review net {result.recall_with_review:.3f}"
    )
    if result.negatives:
        low, high = wilson(result.false_alarms, result.negatives)
        click.echo(
            f"{name}: false alarms {result.false_alarm_rate:.3f} (95% CI {low:.3f}-{high:.3f}) "
            f"on {result.negatives} messages that need no one"
        )
    if misses:
        for row in result.misses:
            click.echo(f"  missed [{row.category or '?'}] {row.text}")
        for row in result.alarms:
            click.echo(f"  false alarm: {row.text}")


@safeguarding_group.command("train")
@click.option(
    "--corpus",
    "corpus",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Labelled TSV files (default: every file in flows/safeguarding/corpus/).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to write the model (default: the one this package ships).",
)
def train_model(corpus: tuple[str, ...], out: str | None) -> None:
    """Build the statistical detector from the labelled corpus (reproducible; nothing downloaded)."""
    from pathlib import Path

    from bot.safeguarding.training import CORPUS, corpus_rows, is_composed, train
    from flows.safeguarding.model import MODEL_DIR

    paths = [Path(p) for p in corpus] or sorted(CORPUS.glob("*.tsv"))
    report = train(
        corpus_rows([p for p in paths if not is_composed(p)]),
        Path(out) if out else MODEL_DIR,
        corpus_rows([p for p in paths if is_composed(p)]),
    )
    click.echo(
        f"trained on {report.rows} messages ({report.disclosures} disclosures; "
        f"{report.composed} composed, never scored in cross-validation); "
        f"cross-validated with the rules: recall {report.recall:.3f}, "
        f"false alarms {report.false_alarms:.3f}; threshold {report.threshold:.3f}, "
        f"review from {report.review_threshold:.3f}"
    )


@safeguarding_group.command("unread")
def unread_backlog() -> None:
    """Free text nobody has read yet, as JSON: how many, how many past READ_WITHIN_HOURS, and the
    oldest per area. Exits 1 while any is past the deadline, for a monitoring check."""
    settings = get_settings()
    now = system_clock()
    within = timedelta(hours=settings.read_within_hours)
    with open_database(settings) as factory, factory() as session:
        areas = to_read.backlog(session, scope=None, lead=True)
        overdue = to_read.overdue_count(session, now, within)
    record = {
        "unread": sum(a.count for a in areas),
        "overdue": overdue,
        "read_within_hours": settings.read_within_hours,
        "areas": [
            {"area": a.area, "unread": a.count, "oldest": a.oldest.isoformat()} for a in areas
        ],
    }
    click.echo(json.dumps(record))
    if overdue:
        raise SystemExit(1)
