"""The live library: newest version for new conversations, the pinned one for running ones,
each version parsed once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from bot.versions.live import LiveLibrary
from flows.library import load_library
from storage import flow_versions
from tests.storage.flow_texts import V1, V2

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def live() -> LiveLibrary:
    return LiveLibrary(load_library())


def test_with_nothing_published_the_files_flows_run(live: LiveLibrary, session: Session) -> None:
    assert live.refresh(session)  # the first look always reads
    assert "post_event" in live
    assert "coffee_morning" not in live
    assert live.by_keyword("COFFEE") is None


def test_a_published_flow_joins_the_library_with_its_keyword(
    live: LiveLibrary, session: Session
) -> None:
    live.refresh(session)
    flow_versions.publish(session, "coffee_morning", V1, None, "upload", now=NOW)
    assert live.refresh(session)
    found = live.by_keyword("coffee")
    assert found is not None
    assert (found.id, found.version) == ("coffee_morning", 1)
    assert not live.refresh(session)  # nothing new: one small query, nothing parsed


def test_new_conversations_get_the_newest_and_running_ones_their_own(
    live: LiveLibrary, session: Session
) -> None:
    flow_versions.publish(session, "coffee_morning", V1, None, "file", now=NOW)
    flow_versions.publish(session, "coffee_morning", V2, None, "editor", now=NOW)
    live.refresh(session)
    assert live.get("coffee_morning").version == 2
    pinned = live.pinned(session, "coffee_morning", 1)
    assert pinned is not None
    assert pinned.version == 1
    assert pinned.step("rating").text["en"] == "How useful was the coffee morning?"
    assert live.get("coffee_morning").step("rating").text["en"].startswith("Was the coffee")


def test_a_version_is_parsed_once(
    live: LiveLibrary, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    flow_versions.publish(session, "coffee_morning", V1, None, "file", now=NOW)
    first = live.version(session, "coffee_morning", 1)
    calls: list[str] = []
    monkeypatch.setattr(flow_versions, "check", lambda *a, **k: calls.append("parsed"))
    monkeypatch.setattr(flow_versions, "get_version", lambda *a, **k: calls.append("read"))
    assert live.version(session, "coffee_morning", 1) is first
    assert calls == []


def test_a_conversation_from_before_versions_were_kept_runs_the_newest(
    live: LiveLibrary, session: Session
) -> None:
    live.refresh(session)
    # post_event has no stored versions: a conversation naming version 1 runs the file's flow.
    found = live.pinned(session, "post_event", 1)
    assert found is live.get("post_event")
    assert live.pinned(session, "gone_flow", 1) is None
