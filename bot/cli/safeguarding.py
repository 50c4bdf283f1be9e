"""`sendvoice safeguarding ...`: try the safeguarding detector on texts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator

import click

from flows.safeguarding.detector import check


@click.group("safeguarding")
def safeguarding_group() -> None:
    """Check free text for things a person must read (self-harm, abuse, neglect...)."""


@safeguarding_group.command("check")
@click.argument("text", required=False)
def check_text(text: str | None) -> None:
    """Check TEXT, or each non-blank line of standard input; print one JSON object per text."""
    texts: Iterable[str] = [text] if text is not None else _lines(sys.stdin)
    for item in texts:
        finding = check(item)
        record = {
            "text": item,
            "flagged": finding.flagged,
            "category": finding.category,
            "reasons": list(finding.reasons),
        }
        click.echo(json.dumps(record, ensure_ascii=False))


def _lines(stream: Iterable[str]) -> Iterator[str]:
    # One at a time, so a long file piped in is answered as it is read.
    for line in stream:
        if line.strip():
            yield line.rstrip("\r\n")
