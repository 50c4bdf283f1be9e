"""Flow files become versions when they change, and never undo what the dashboard published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from bot.versions.sync import sync_files
from flows.library import LIBRARY_DIR, flow_files
from storage import flow_versions
from tests.storage.flow_texts import BROKEN, V1, V2

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "flows"
    folder.mkdir(exist_ok=True)
    (folder / "coffee_morning.yaml").write_text(text, encoding="utf-8")
    return folder


def test_every_bundled_flow_becomes_version_one_once(session: Session) -> None:
    first = sync_files(session, [LIBRARY_DIR], now=NOW)
    assert sorted(first.published) == sorted((p.stem, 1) for p in flow_files([LIBRARY_DIR]))
    again = sync_files(session, [LIBRARY_DIR], now=NOW + timedelta(hours=1))
    assert again.published == []
    assert sorted(again.unchanged) == sorted(p.stem for p in flow_files([LIBRARY_DIR]))


def test_a_changed_file_is_a_new_version(session: Session, tmp_path: Path) -> None:
    folder = _folder(tmp_path, V1)
    assert sync_files(session, [folder], now=NOW).published == [("coffee_morning", 1)]
    _folder(tmp_path, V2)
    assert sync_files(session, [folder], now=NOW).published == [("coffee_morning", 2)]
    newest = flow_versions.latest(session, "coffee_morning")
    assert newest is not None
    assert newest.yaml_text == V2
    assert newest.source == "file"


def test_an_unchanged_file_does_not_undo_a_version_published_in_the_dashboard(
    session: Session, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, V1)
    sync_files(session, [folder], now=NOW)
    flow_versions.publish(session, "coffee_morning", V2, None, "editor", now=NOW)
    assert sync_files(session, [folder], now=NOW).published == []
    newest = flow_versions.latest(session, "coffee_morning")
    assert newest is not None
    assert (newest.number, newest.source) == (2, "editor")


def test_a_broken_file_is_reported_with_its_path_and_nothing_is_published(
    session: Session, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, BROKEN)
    report = sync_files(session, [folder], now=NOW)
    assert report.published == []
    (problem,) = report.problems
    assert problem.file.endswith("coffee_morning.yaml")
    assert problem.line == 12
    assert flow_versions.list_versions(session, "coffee_morning") == []


def test_the_sync_command_publishes_flow_paths(
    session_factory: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch
) -> None:
    from bot.cli.main import main
    from bot.config import get_settings

    folder = _folder(tmp_path, V1)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("FLOW_PATHS", str(folder))
    get_settings.cache_clear()
    try:
        first = CliRunner().invoke(main, ["flows", "sync"])
        assert first.exit_code == 0, first.output
        assert "coffee_morning: published as version 1" in first.output
        again = CliRunner().invoke(main, ["flows", "sync"])
        assert "coffee_morning" in again.output.split("unchanged:")[1]
        listed = CliRunner().invoke(main, ["flows", "versions", "coffee_morning"])
        assert listed.exit_code == 0
        assert listed.output.startswith("v1 ")
    finally:
        get_settings.cache_clear()
    with session_factory() as s:
        assert flow_versions.latest_numbers(s)["coffee_morning"] == 1


def test_starting_a_server_publishes_changed_files_and_runs_them(
    database_url: str, tmp_path: Path
) -> None:
    from bot.cli.db import sync_flow_files
    from bot.config import Settings
    from bot.services import build_services

    folder = _folder(tmp_path, V1)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, flow_paths=str(folder)
    )
    services = build_services(settings, senders={})
    try:
        sync_flow_files(services)
        with services.session_factory() as s:
            numbers = flow_versions.latest_numbers(s)
        assert numbers["coffee_morning"] == 1
        assert numbers["post_event"] == 1
        _folder(tmp_path, V2)
        sync_flow_files(services)  # as the next start would
        assert services.library.get("coffee_morning").version == 2
    finally:
        services.close()
