"""The suggested-themes page keeps the suggester's themes between clicks: a decision or a reload
reuses them, a new answer makes them afresh. Two officers deciding one suggestion at once both get
a page, the second told what the first decided. Tagging from the page reads the answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.analysis.themes import suggest
from bot.web.dashboard import suggested
from bot.web.dashboard.suggestion_cache import suggestions as cache
from storage import contacts, messages, theme_decisions, to_read
from storage.models import ReadItem
from tests.bot.web.dashboard.analysis_helpers import SUGGESTED, decide, plant, suggestions
from tests.bot.web.dashboard.conftest import Dash, post_form
from tests.helpers import IS_POSTGRES


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many answers each run of the suggester read."""
    cache.clear()
    made: list[int] = []

    def counted(texts: Any, **kwargs: Any) -> Any:
        made.append(len(texts))
        return suggest(texts, **kwargs)

    monkeypatch.setattr(suggested, "suggest", counted)
    yield made
    cache.clear()


def test_decisions_and_reloads_reuse_the_suggestions_and_a_new_answer_does_not(
    bare_dash: Dash, calls: list[int]
) -> None:
    dash = bare_dash
    plant(dash.services, dash.clock)
    dash.officer("ann@council.example", "officer", ("*",))
    with dash.login("ann@council.example") as client:
        offered = list(suggestions(client.get(SUGGESTED).text).items())
        assert len(calls) == 1
        assert decide(client, [("op", f"reject:{offered[0][1]}")]).status_code == 303
        assert decide(client, [("op", f"accept:{offered[1][1]}")]).status_code == 303
        page = client.get(SUGGESTED).text
        assert len(calls) == 1, "deciding and reloading must not run the suggester again"
        assert offered[0][0] not in suggestions(page)
        plant(dash.services, dash.clock, n=1, seed=9)  # a new answer arrives
        page = client.get(SUGGESTED).text
        assert calls == [160, 161]
        assert "161 answers read." in page


def _other_officer_rejects(dash: Dash, key: str) -> None:
    with dash.services.session_factory.begin() as s:
        theme_decisions.decide(
            s,
            flow_id="post_event",
            step_id="even_better",
            suggestions=[key],
            decision="rejected",
            theme_id=None,
            officer_id=None,
            now=dash.clock(),
        )


def test_a_suggestion_decided_a_moment_before_shows_that_decision(bare_dash: Dash) -> None:
    dash = bare_dash
    plant(dash.services, dash.clock)
    dash.officer("ann@council.example", "officer", ("*",))
    with dash.login("ann@council.example") as client:
        key = next(iter(suggestions(client.get(SUGGESTED).text).values()))
        _other_officer_rejects(dash, key)  # after this officer's page was drawn
        response = decide(client, [("op", f"accept:{key}"), (f"name-{key}", "Mine")])
        assert response.status_code == 303
        page = client.get(SUGGESTED).text
    assert "Another officer decided this a moment before you: rejected." in page
    with dash.services.session_factory() as s:
        made = theme_decisions.decisions(s, "post_event", "even_better")
    assert made[key].decision == "rejected"


# On SQLite every transaction takes the write lock at once (BEGIN IMMEDIATE), so two decisions
# queue rather than interleave: the test above is that case.
@pytest.mark.skipif(not IS_POSTGRES, reason="only PostgreSQL lets two decisions interleave")
def test_two_officers_deciding_at_once_get_no_error(
    bare_dash: Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second officer's transaction looked (and found no decision) before the first committed:
    the database's unique constraint refuses the second, and the officer is told what stands."""
    dash = bare_dash
    plant(dash.services, dash.clock)
    dash.officer("ann@council.example", "officer", ("*",))
    with dash.login("ann@council.example") as client:
        name, key = next(iter(suggestions(client.get(SUGGESTED).text).items()))
        real_offered = suggested.offered

        def raced(session: Any, *args: Any, **kwargs: Any) -> Any:
            found = real_offered(session, *args, **kwargs)  # nothing decided yet
            _other_officer_rejects(dash, key)
            return found

        monkeypatch.setattr("bot.web.dashboard.views_suggested.offered", raced)
        # The delete before the insert ran before the other officer's commit, so it found nothing.
        monkeypatch.setattr(theme_decisions, "undo", lambda *a, **k: 0)
        response = decide(client, [("op", f"reject:{key}")])
        assert response.status_code == 303
        monkeypatch.undo()
        page = client.get(SUGGESTED).text
    assert "Another officer decided this a moment before you: rejected." in page
    assert name not in suggestions(page)


def _unread_items(dash: Dash, answer_ids: list[int]) -> None:
    at: datetime = dash.clock()
    with dash.services.session_factory.begin() as s:
        for n, answer_id in enumerate(answer_ids):
            contact, identity, _ = contacts.find_or_create(s, "sms", f"+4477009{n:05d}", at)
            message = messages.record_inbound(
                s,
                channel="sms",
                provider_id=f"SMread{n}",
                body="words",
                contact_id=contact.id,
                identity_id=identity.id,
                meta={},
                now=at,
            )
            assert message is not None
            to_read.record(
                s,
                kind="answer",
                contact_id=contact.id,
                conversation_id=None,
                message_id=message.id,
                answer_id=answer_id,
                role="parent",
                score=0.0,
                now=at,
            )


def _read(dash: Dash) -> set[int]:
    with dash.services.session_factory() as s:
        rows = s.scalars(select(ReadItem).where(ReadItem.read_at.is_not(None)))
        return {r.answer_id for r in rows if r.answer_id is not None}


def test_tagging_from_suggestions_reads_the_answers(bare_dash: Dash) -> None:
    dash = bare_dash
    ids = plant(dash.services, dash.clock)
    _unread_items(dash, ids)
    dash.officer("ann@council.example", "officer", ("*",))
    with dash.login("ann@council.example") as client:
        key = next(iter(suggestions(client.get(SUGGESTED).text).values()))
        fields = [("op", f"accept:{key}"), ("tag", "1"), ("confirm", "1")]
        assert decide(client, fields).status_code == 303
        after_theme = _read(dash)
        assert len(after_theme) >= 5, "a theme's answers tagged on acceptance are read"
        assert after_theme < set(ids)
        key = next(iter(suggestions(client.get(SUGGESTED).text).values()))
        fields = [("op", f"accept:{key}"), ("tag", "1"), ("confirm", "1")]
        assert decide(client, fields).status_code == 303
        page = client.get(SUGGESTED).text
        tags = sorted(set(re.findall(r'name="tag" value="(\d+:\d+)"', page)))
        unread_tag = next(t for t in tags if int(t.split(":")[0]) not in _read(dash))
        before = _read(dash)
        one = post_form(
            client,
            SUGGESTED,
            "/dashboard/themes/suggested/tags",
            [("flow", "post_event"), ("step", "even_better"), ("only", unread_tag)],
        )
        assert one.status_code == 303
    assert _read(dash) == before | {int(unread_tag.split(":")[0])}
