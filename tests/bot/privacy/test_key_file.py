"""The demo's own key file is for its owner's eyes only, from the moment it exists."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.config import Settings
from bot.privacy.keys import demo_cipher
from tests.serve import EXE


@pytest.fixture
def usual_umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def demo_settings(path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite:///{path}", data_encryption_key=""
    )


def test_the_key_file_is_created_private_not_made_private_afterwards(
    tmp_path: Path, usual_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failed before: the key was written 0644 and only then chmodded (here, chmod does nothing)."""
    monkeypatch.setattr(os, "chmod", lambda *_a, **_k: None)
    cipher = demo_cipher(demo_settings(tmp_path / "demo.db"))
    key = tmp_path / "demo.db.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert cipher.decrypt(cipher.encrypt("kept")) == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db.key"]


def test_processes_starting_together_share_one_key(tmp_path: Path) -> None:
    settings = demo_settings(tmp_path / "demo.db")
    with ThreadPoolExecutor(8) as pool:
        ciphers = list(pool.map(lambda _: demo_cipher(settings), range(8)))
    token = ciphers[0].encrypt("shared")
    assert all(c.decrypt(token) == "shared" for c in ciphers)


def test_the_demo_database_and_key_are_readable_by_their_owner_only(
    tmp_path: Path, usual_umask: None
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATA_ENCRYPTION_KEY")}
    result = subprocess.run(
        [EXE, "demo", "--name", "Sam"],
        input="yes\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    made = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert made["sendvoice.db"] == 0o600
    assert made["sendvoice.db.key"] == 0o600
    assert all(m == 0o600 for name, m in made.items() if name.startswith("sendvoice.db"))
