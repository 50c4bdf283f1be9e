"""Flows to and from RapidPro/TextIt: the file work behind `sendvoice flows import` and
`sendvoice flows export-rapidpro` (the mapping itself is pure, in flows.interop)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.errors import FlowValidationError
from flows.interop.rapidpro_common import RapidProError
from flows.interop.rapidpro_export import export_flow
from flows.interop.rapidpro_import import read_export
from flows.lint.checks import lint
from flows.loader.flowfile import load_flow
from flows.schema import Flow


def import_file(export_file: Path, out_dir: Path, *, force: bool, known: set[str]) -> int:
    """Write each flow of the export as a flow file; prints what did not map. Returns the exit code."""
    try:
        doc = json.loads(export_file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        click.echo(f"error: {export_file}: not a text file (expected a JSON export)", err=True)
        return 1
    except json.JSONDecodeError as exc:
        click.echo(
            f"error: {export_file}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})", err=True
        )
        return 1
    try:
        result = read_export(doc)
    except RapidProError as exc:
        click.echo(f"error: {export_file}: {exc}", err=True)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    for flow in result.flows:
        path = out_dir / f"{flow.flow_id}.yaml"
        if path.exists() and not force:
            click.echo(f"error: {path} exists; choose another --out or add --force", err=True)
            failed = True
            continue
        path.write_text(flow.yaml(), encoding="utf-8")
        try:
            loaded = load_flow(path)
        except FlowValidationError as exc:
            failed = True
            click.echo(f"{path}: imported, but it does not load yet:", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            continue
        questions = sum(1 for s in loaded.steps if s.is_question)
        warnings = lint(loaded)
        click.echo(
            f"{path}: {len(loaded.steps)} steps, {questions} question{'s' * (questions != 1)} "
            f"({', '.join(loaded.languages)}), valid; {len(warnings)} warning(s) from "
            f"`sendvoice flows validate {path}`"
        )
        if flow.flow_id in known:
            click.echo(f"  note: a flow '{flow.flow_id}' is already loaded; rename one of them")
    unmapped = [str(u) for u in result.unmapped] + [
        str(u) for flow in result.flows for u in flow.unmapped
    ]
    if unmapped:
        click.echo("Not imported (check these before sending the flow to anyone):")
        for line in unmapped:
            click.echo(f"  - {line}")
    return 1 if failed else 0


def export_text(flow: Flow) -> tuple[str, list[str]]:
    document, unmapped = export_flow(flow)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n", unmapped
