"""`sendvoice themes suggest` reads a question's answers from the database and proposes a coding
frame; small themes keep their quotes and counts to themselves; nothing is tagged by it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import answers as answers_repo
from storage import audit, coding
from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage.dashboard_models import Coding
from storage.models import Answer
from tests.bot.analysis.planted import planted
from tests.bot.cli.test_cli import sendvoice

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def _answers(session_factory: sessionmaker[Session], texts: list[str]) -> list[int]:
    ids = []
    with session_factory.begin() as s:
        for i, text in enumerate(texts):
            contact, _, _ = contacts_repo.find_or_create(
                s, "sms", f"+4477009{i:05d}", NOW, role="parent"
            )
            conversation = conversations_repo.create(
                s,
                contact_id=contact.id,
                flow_id="post_event",
                flow_version=1,
                language="en",
                channel="sms",
                state={},
                status="completed",
                now=NOW,
                wake_at=None,
            )
            answer = answers_repo.record(
                s,
                conversation=conversation,
                step_id="even_better",
                # A few give their number: quotes must never show it.
                value=text + (f" call me on 07700 900{i:03d}" if i % 4 == 0 else ""),
                special=None,
                raw_text=None,
                message_id=None,
                now=NOW,
            )
            ids.append(answer.id)
    return ids


def _answer(s: Session, answer_id: int) -> Answer:
    found = s.get(Answer, answer_id)
    assert found is not None
    return found


def test_suggested_themes_from_the_database_with_quotes_blanked(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    texts = [p.text for p in planted(300, seed=5) if p.theme]
    _answers(session_factory, texts)
    env = {"DATABASE_URL": database_url}
    result = sendvoice(
        "themes", "suggest", "--flow", "post_event", "--question", "even_better", env=env
    )
    assert result.returncode == 0, result.stderr
    assert f"{len(texts)} answers," in result.stdout
    assert "Transport: " in result.stdout
    assert "key phrases:" in result.stdout
    assert "07700 900" not in result.stdout  # phone numbers in quotes are blanked
    as_json = sendvoice(
        "themes",
        "suggest",
        "--flow",
        "post_event",
        "--question",
        "even_better",
        "--json",
        env={**env, "SMALL_GROUP_THRESHOLD": "100"},
    )
    assert as_json.returncode == 0, as_json.stderr
    themes = json.loads(as_json.stdout)["themes"]
    small = [t for t in themes if t["count"] is None]
    assert small, "with a threshold of 100, some themes of 279 answers are small"
    assert all(t["quotes"] == [] for t in small)
    assert all(t["quotes"] for t in themes if t["count"] is not None)
    with session_factory() as s:
        assert [e.action for e in audit.recent(s)][:2] == ["suggest_themes", "suggest_themes"]


def test_suggested_tags_learn_from_the_officers_tags_and_tag_nothing(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    data = [p for p in planted(200, seed=9) if p.theme in ("transport", "therapy")]
    ids = _answers(session_factory, [p.text for p in data])
    with session_factory.begin() as s:
        themes = {
            name: coding.create_theme(
                s, flow_id="post_event", name=name, description=None, officer_id=None, now=NOW
            ).id
            for name in ("transport", "therapy")
        }
        for answer_id, p in list(zip(ids, data, strict=True))[:30]:
            coding.set_codings(
                s, _answer(s, answer_id), {themes[str(p.theme)]}, officer_id=None, now=NOW
            )
    env = {"DATABASE_URL": database_url}
    result = sendvoice(
        "themes", "suggest-tags", "--flow", "post_event", "--question", "even_better", env=env
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) >= (len(data) - 30) // 2
    right = sum(
        1
        for line in lines
        if f": {data[ids.index(int(line.split()[1].rstrip(':')))].theme} (" in line
    )
    assert right / len(lines) >= 0.9
    with session_factory() as s:
        assert s.scalar(select(func.count(Coding.id))) == 30  # suggestions tag nothing


def test_a_question_that_is_not_free_text_is_refused(database_url: str) -> None:
    result = sendvoice(
        "themes",
        "suggest",
        "--flow",
        "post_event",
        "--question",
        "rating",
        env={"DATABASE_URL": database_url},
    )
    assert result.returncode == 2
    assert "'rating' is not a free-text question of post_event" in result.stderr
    assert "even_better" in result.stderr
