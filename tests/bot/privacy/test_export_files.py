"""Files written to disk with people's data go when the people in them are erased: by a request
to be forgotten or by the retention purge, whose dry run names the same files."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.export import export_command
from bot.cli.privacy import privacy_group
from bot.clock import FrozenClock
from bot.config import Settings, get_settings
from bot.privacy.retention import PurgeReport, purge
from bot.services import Services, build_services
from storage import audit, export_files
from storage import contacts as contacts_repo
from storage.models import ExportFile
from tests.bot.privacy.test_retention import LATER, NOW, converse

ALICE = "+447700900601"
BOB = "+447700900602"
ALICE_WORDS = "Alice's keyworker Tegwen was brilliant"


@pytest.fixture
def services(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    svc = build_services(settings, clock=FrozenClock(NOW))
    yield svc
    svc.close()
    get_settings.cache_clear()


def contact_id(services: Services, number: str) -> int:
    with services.session_factory() as s:
        found = contacts_repo.find_by_address(s, "sms", number)
        assert found is not None
        return found[0].id


def record(services: Services, path: Path, holders: list[str], written_at: object) -> None:
    with services.session_factory.begin() as s:
        export_files.record(
            s,
            path=str(path),
            kind="responses",
            identified=False,
            actor="cli",
            contact_ids=[contact_id(services, n) for n in holders],
            now=written_at,  # type: ignore[arg-type]
        )


def test_forgetting_someone_deletes_every_file_written_with_their_data(
    services: Services, tmp_path: Path
) -> None:
    """Failed before: `privacy forget` left the CSV export and the subject access file on disk."""
    converse(services, ALICE, ["FEEDBACK", "1", "yes", "4", ALICE_WORDS], NOW)
    converse(services, BOB, ["FEEDBACK", "1", "yes", "2", "Too far"], NOW)
    runner = CliRunner()
    everyone = tmp_path / "everyone.csv"
    result = runner.invoke(
        export_command, ["--format", "csv", "--layout", "long", "--out", str(everyone)]
    )
    assert result.exit_code == 0, result.output
    rows = csv.reader(everyone.read_text(encoding="utf-8-sig").splitlines())
    assert ALICE_WORDS in [cell for row in rows for cell in row]
    theirs = tmp_path / "alice's request.json"
    result = runner.invoke(privacy_group, ["export", ALICE, "--out", str(theirs)])
    assert result.exit_code == 0, result.output
    assert theirs.stat().st_mode & 0o077 == 0
    bobs = tmp_path / "bob.csv"
    bobs.write_text("Bob's own file\n")
    record(services, bobs, [BOB], NOW)
    record(services, tmp_path / "moved-away.csv", [ALICE], NOW)  # deleted by hand already

    result = runner.invoke(privacy_group, ["forget", ALICE, "--yes"])

    assert result.exit_code == 0, result.output
    assert "deleted 3 export files:" in result.output
    assert f"  {everyone}" in result.output
    assert f"  {theirs}" in result.output
    assert f"  {tmp_path / 'moved-away.csv'} (already gone)" in result.output
    assert not everyone.exists()
    assert not theirs.exists()
    assert bobs.exists()  # Bob's file never held Alice
    with services.session_factory() as s:
        [entry] = audit.recent(s, action="forget")
        fates = sorted(f["fate"] for f in entry.detail["export_files"])
        assert fates == ["deleted", "deleted", "missing"]
        assert str(tmp_path) not in str(entry.detail)  # paths may name people: not logged
        removed = s.scalars(select(ExportFile).where(ExportFile.removed_at.is_not(None))).all()
        assert {f.removed_because for f in removed} == {"forget"}
        assert len(removed) == 3


def test_the_purge_deletes_the_same_files_its_dry_run_names(
    services: Services, tmp_path: Path
) -> None:
    converse(services, ALICE, ["FEEDBACK", "1", "yes", "4", ALICE_WORDS], NOW)  # long silent
    converse(services, BOB, ["FEEDBACK", "1", "yes", "2", "Too far"], LATER - timedelta(days=7))
    paths = {name: tmp_path / f"{name}.csv" for name in ("alice", "old", "recent")}
    for path in paths.values():
        path.write_text("pseudonym,answer\n")
    record(services, paths["alice"], [ALICE, BOB], LATER - timedelta(days=1))  # holds Alice
    record(services, paths["old"], [BOB], NOW)  # itself past retention
    record(services, paths["recent"], [BOB], LATER - timedelta(days=1))  # stays
    record(services, tmp_path / "gone.csv", [ALICE], LATER - timedelta(days=1))

    def run(dry_run: bool) -> PurgeReport:
        return purge(
            services.session_factory,
            services.library,
            retention_days=730,
            now=LATER,
            dry_run=dry_run,
        )

    dry = run(True)
    assert all(path.exists() for path in paths.values())
    real = run(False)

    expected = [str(paths["alice"]), str(paths["old"]), str(tmp_path / "gone.csv")]
    assert sorted(f.path for f in dry.files) == sorted(expected)
    assert sorted(f.path for f in real.files) == sorted(expected)
    assert dry.export_files == real.export_files == 3
    assert {f.path: f.fate for f in dry.files}[str(tmp_path / "gone.csv")] == "missing"
    assert {f.path: f.fate for f in real.files}[str(paths["old"])] == "deleted"
    assert not paths["alice"].exists()
    assert not paths["old"].exists()
    assert paths["recent"].exists()
    assert run(True).files == []
    with services.session_factory() as s:
        [entry] = audit.recent(s, action="retention_purge")
        assert entry.detail["export_files"] == 3
        assert len(entry.detail["files"]) == 3
