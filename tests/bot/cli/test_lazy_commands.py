"""Every subcommand is listed and runs though none is imported at start, and a start does not load
the heavy libraries only some commands need."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.cli.main import SUBCOMMANDS
from tests.command import run_command

HEAVY = ("sklearn", "scipy", "numpy", "openpyxl", "docx", "weasyprint", "telegram", "twilio")


def test_help_lists_every_command() -> None:
    result = run_command(["--help"])
    assert result.returncode == 0, result.stderr
    listed = {
        line.split()[0]
        for line in result.stdout.split("Commands:", 1)[1].splitlines()
        if line.startswith("  ") and line.strip()
    }
    assert listed == {*SUBCOMMANDS, "demo", "serve", "db"}


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_each_command_loads_and_explains_itself(name: str) -> None:
    result = run_command([name, "--help"])
    assert result.returncode == 0, result.stderr
    assert f"Usage: sendvoice {name}" in result.stdout


def test_events_qr_is_found_under_events() -> None:
    result = run_command(["events", "qr", "--help"])
    assert result.returncode == 0, result.stderr
    assert "QR code" in result.stdout


def test_an_unknown_command_is_refused() -> None:
    result = run_command(["nope"])
    assert result.returncode == 2
    assert "No such command 'nope'" in result.stderr


def test_starting_the_command_loads_none_of_the_heavy_libraries() -> None:
    # A fresh interpreter: the test process has loaded everything already.
    code = "import sys, bot.cli.main; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert not loaded.intersection(HEAVY)
