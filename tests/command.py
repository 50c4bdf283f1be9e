"""Run a `sendvoice` command inside the test process, as the installed command would run it.

Starting a real process costs about a second of CPU before the command does anything; tests about
what a command prints, stores or exits with run it here instead. Tests about the process itself
(signals, kills, the installed entry point, file modes, a default database in a fresh directory)
keep starting one (tests/serve.py).
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import traceback
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import main
from bot.config import get_settings


def run_command(
    args: list[str],
    *,
    stdin: str = "",
    env: Mapping[str, str | None] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`sendvoice ARGS` with ENV added to this process's environment (None removes a key) and CWD
    as the working directory; the result reads like a finished process's."""
    root = logging.getLogger()
    level = root.level  # the demo quietens logging for the terminal: not for the tests after it
    get_settings.cache_clear()  # settings are read from the environment once per process
    try:
        with contextlib.chdir(cwd or Path.cwd()):
            result = CliRunner(env=dict(env or {})).invoke(
                main, args, input=stdin, prog_name="sendvoice"
            )
    finally:
        get_settings.cache_clear()
        root.setLevel(level)
    stderr = result.stderr
    if result.exc_info is not None and not isinstance(result.exc_info[1], SystemExit):
        # A real process would print the traceback and exit 1.
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(
        ["sendvoice", *args], result.exit_code, stdout=result.stdout, stderr=stderr
    )
