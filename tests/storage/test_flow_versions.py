"""Flow versions and drafts kept in the database (storage.flow_versions), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from flows.errors import FlowValidationError
from storage import audit, flow_versions
from storage import officers as officers_repo
from tests.storage.flow_texts import BROKEN, V1, V2

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _officer(session: Session) -> int:
    officer = officers_repo.create(
        session, email="author@example.org", password_hash="x", role="admin", areas=[], now=NOW
    )
    return officer.id


def test_publishing_numbers_versions_and_keeps_each_word_for_word(session: Session) -> None:
    officer = _officer(session)
    assert flow_versions.publish(session, "coffee_morning", V1, None, "file", now=NOW) == 1
    later = NOW + timedelta(hours=1)
    assert flow_versions.publish(session, "coffee_morning", V2, officer, "editor", now=later) == 2

    versions = flow_versions.list_versions(session, "coffee_morning")
    assert [(v.number, v.source, v.published_by) for v in versions] == [
        (2, "editor", officer),
        (1, "file", None),
    ]
    first = flow_versions.get_version(session, "coffee_morning", 1)
    assert first is not None
    assert first.yaml_text == V1
    assert first.sha256 == flow_versions.sha256(V1)
    newest = flow_versions.latest(session, "coffee_morning")
    assert newest is not None
    assert newest.number == 2
    assert newest.published_at == later
    assert flow_versions.latest_numbers(session) == {"coffee_morning": 2}
    assert flow_versions.get_version(session, "coffee_morning", 3) is None


def test_publishing_is_audited_with_who_and_which_version(session: Session) -> None:
    officer = _officer(session)
    flow_versions.publish(session, "coffee_morning", V1, officer, "upload", now=NOW)
    (entry,) = audit.recent(session, action="publish_flow")
    assert entry.actor == f"officer:{officer}"
    assert entry.subject == "flow:coffee_morning"
    assert entry.detail["version"] == 1
    assert entry.detail["source"] == "upload"


def test_a_broken_flow_is_refused_with_the_loaders_line_and_field(session: Session) -> None:
    with pytest.raises(FlowValidationError) as refused:
        flow_versions.publish(session, "coffee_morning", BROKEN, None, "editor", now=NOW)
    (problem,) = refused.value.problems
    assert problem.line == 12
    assert problem.field == "steps[0] (rating).type"
    assert flow_versions.list_versions(session, "coffee_morning") == []
    assert audit.recent(session, action="publish_flow") == []


def test_the_text_must_be_the_flow_it_is_published_as(session: Session) -> None:
    with pytest.raises(FlowValidationError, match="must match"):
        flow_versions.publish(session, "other_flow", V1, None, "editor", now=NOW)


def test_a_start_keyword_already_used_by_another_flow_is_refused(session: Session) -> None:
    flow_versions.publish(session, "coffee_morning", V1, None, "file", now=NOW)
    twin = V1.replace("id: coffee_morning", "id: tea_morning")
    with pytest.raises(FlowValidationError, match="COFFEE already starts"):
        flow_versions.publish(session, "tea_morning", twin, None, "editor", now=NOW)


def test_a_higher_version_in_the_file_is_kept_as_the_number(session: Session) -> None:
    text = V1.replace("version: 1", "version: 4")
    assert flow_versions.publish(session, "coffee_morning", text, None, "file", now=NOW) == 4
    assert flow_versions.publish(session, "coffee_morning", V2, None, "editor", now=NOW) == 5


def test_a_draft_is_saved_replaced_and_gone_once_published(session: Session) -> None:
    officer = _officer(session)
    flow_versions.save_draft(session, "coffee_morning", "half written:", officer, now=NOW)
    later = NOW + timedelta(minutes=5)
    flow_versions.save_draft(
        session, "coffee_morning", V2, officer, now=later, source="rapidpro", report=["x"]
    )
    draft = flow_versions.get_draft(session, "coffee_morning")
    assert draft is not None
    assert (draft.yaml_text, draft.source, draft.report) == (V2, "rapidpro", ["x"])
    assert draft.updated_at == later
    assert draft.updated_by == officer
    assert [d.flow_id for d in flow_versions.list_drafts(session)] == ["coffee_morning"]

    flow_versions.publish(session, "coffee_morning", draft.yaml_text, officer, "editor", now=later)
    assert flow_versions.get_draft(session, "coffee_morning") is None


def test_discarding_a_draft(session: Session) -> None:
    flow_versions.save_draft(session, "coffee_morning", V1, None, now=NOW)
    assert flow_versions.discard_draft(session, "coffee_morning")
    assert not flow_versions.discard_draft(session, "coffee_morning")


def test_the_generation_moves_on_each_publication(session: Session) -> None:
    before = flow_versions.generation(session)
    flow_versions.publish(session, "coffee_morning", V1, None, "file", now=NOW)
    after = flow_versions.generation(session)
    assert after != before
    assert flow_versions.generation(session) == after


def test_an_unknown_source_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="unknown source"):
        flow_versions.publish(session, "coffee_morning", V1, None, "telepathy", now=NOW)
