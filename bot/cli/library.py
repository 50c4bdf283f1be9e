"""The flows a command works with: the bundled library and FLOW_PATHS, or the errors that stop it."""

from __future__ import annotations

import click

from bot.config import get_settings
from flows.errors import FlowValidationError
from flows.library import LIBRARY_DIR, FlowLibrary, load_library


def library_or_exit() -> FlowLibrary:
    try:
        return load_library([LIBRARY_DIR, *get_settings().flow_path_list()])
    except FlowValidationError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(1) from None
