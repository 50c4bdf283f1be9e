"""The suggested-themes page over HTTP: officers accept (renamed or not), merge, reject and undo
suggestions, each decision kept across reloads and audited; accepting with tags asks first; suggested
tags are accepted one by one or ticked together; small groups keep their counts and quotes."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from storage import audit, coding
from storage.dashboard_models import Coding
from tests.bot.web.dashboard.analysis_helpers import SUGGESTED, decide, plant, suggestions
from tests.bot.web.dashboard.conftest import Dash, open_bare_dash, post_form


def _codings(dash: Dash) -> int:
    with dash.services.session_factory() as s:
        return int(s.scalar(select(func.count(Coding.id))) or 0)


def _frame(dash: Dash) -> dict[str, int]:
    with dash.services.session_factory() as s:
        return {t.name: t.id for t in coding.themes_for(s, "post_event")}


def test_officers_decide_on_suggested_themes_and_the_decisions_stay(bare_dash: Dash) -> None:
    dash = bare_dash
    plant(dash.services, dash.clock)
    dash.officer("ann@council.example", "officer", ("*",))
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as viewer:
        assert viewer.get(SUGGESTED).status_code == 403  # quotes are rows: not for viewers
    with dash.login("ann@council.example") as client:
        page = client.get(SUGGESTED)
        assert page.status_code == 200
        assert "161 answers read." in page.text or "160 answers read." in page.text
        assert "07700 900123" not in page.text  # quotes are redacted
        assert 'name="csrf_token" value=""' not in page.text  # every form can be sent
        offered = suggestions(page.text)
        assert len(offered) >= 4
        first, second, third, fourth = list(offered.items())[:4]

        # Accept, renamed: a theme in the frame, nothing tagged.
        response = decide(
            client, [("op", f"accept:{first[1]}"), (f"name-{first[1]}", "School transport")]
        )
        assert response.status_code == 303
        assert "School transport" in _frame(dash)
        assert _codings(dash) == 0

        # Accept with tags: a confirmation first, and nothing tagged until it is given.
        fields = [("op", f"accept:{second[1]}"), ("tag", "1")]
        confirm = decide(client, fields)
        assert confirm.status_code == 200
        assert "Tag the answers too?" in confirm.text
        assert second[0] not in _frame(dash)
        assert _codings(dash) == 0
        done = decide(client, [*fields, ("confirm", "1")])
        assert done.status_code == 303
        tagged = _codings(dash)
        assert tagged >= 5

        # Merge two, with a name of the officer's choosing.
        too_few = decide(client, [("op", "merge"), ("pick", third[1]), ("merged", "Waits")])
        assert too_few.status_code == 400
        merged = decide(
            client,
            [("op", "merge"), ("pick", third[1]), ("pick", fourth[1]), ("merged", "Waits")],
        )
        assert merged.status_code == 303
        assert "Waits" in _frame(dash)

        # A reload keeps every decision: the decided ones are no longer offered.
        again = client.get(SUGGESTED)
        left = suggestions(again.text)
        assert {first[0], second[0], third[0], fourth[0]}.isdisjoint(left)
        assert "Merged" in again.text
        assert "Accepted" in again.text
        assert "School transport" in again.text

        # Reject one, then undo it: offered again.
        name, key = next(iter(left.items()))
        assert decide(client, [("op", f"reject:{key}")]).status_code == 303
        assert name not in suggestions(client.get(SUGGESTED).text)
        assert decide(client, [("op", f"undo:{key}")]).status_code == 303
        assert name in suggestions(client.get(SUGGESTED).text)

        # A suggestion the page never offered (or no longer does) is refused.
        assert decide(client, [("op", "accept:" + "0" * 32)]).status_code == 409
        assert decide(client, [("op", "explode:x")]).status_code == 400
        bad = post_form(
            client,
            SUGGESTED,
            "/dashboard/themes/suggested",
            [("flow", "post_event"), ("step", "rating"), ("op", f"reject:{key}")],
        )
        assert bad.status_code == 400  # not a free-text question
    with dash.services.session_factory() as s:
        actions = [e.action for e in audit.recent(s)]
    for action in (
        "accept_suggested_theme",
        "merge_suggested_themes",
        "reject_suggested_theme",
        "undo_theme_decision",
    ):
        assert action in actions


def test_suggested_tags_are_accepted_only_by_an_officer(bare_dash: Dash) -> None:
    dash = bare_dash
    plant(dash.services, dash.clock)
    dash.officer("ann@council.example", "officer", ("*",))
    with dash.login("ann@council.example") as client:
        offered = list(suggestions(client.get(SUGGESTED).text).values())
        for key in offered[:2]:  # two themes, their answers tagged (after the confirmation)
            fields = [("op", f"accept:{key}"), ("tag", "1"), ("confirm", "1")]
            assert decide(client, fields).status_code == 303
        before = _codings(dash)
        page = client.get(SUGGESTED).text
        tags = sorted(set(re.findall(r'name="tag" value="(\d+:\d+)"', page)))
        assert len(tags) >= 3, "untagged answers get suggested tags"
        assert "%</td>" in page  # with a confidence
        assert _codings(dash) == before  # shown, not applied
        one = post_form(
            client,
            SUGGESTED,
            "/dashboard/themes/suggested/tags",
            [("flow", "post_event"), ("step", "even_better"), ("only", tags[0])],
        )
        assert one.status_code == 303
        assert _codings(dash) == before + 1
        ticked = [("tag", t) for t in tags[1:3]]
        bulk = post_form(
            client,
            SUGGESTED,
            "/dashboard/themes/suggested/tags",
            [("flow", "post_event"), ("step", "even_better"), *ticked],
        )
        assert bulk.status_code == 303
        assert _codings(dash) == before + 3
        nothing = post_form(
            client,
            SUGGESTED,
            "/dashboard/themes/suggested/tags",
            [("flow", "post_event"), ("step", "even_better")],
        )
        assert nothing.status_code == 400
        forged = post_form(
            client,
            SUGGESTED,
            "/dashboard/themes/suggested/tags",
            [("flow", "post_event"), ("step", "even_better"), ("tag", "1:x")],
        )
        assert forged.status_code == 400
    with dash.services.session_factory() as s:
        assert "accept_suggested_tags" in [e.action for e in audit.recent(s)]


def test_small_suggested_themes_show_no_count_and_no_quotes(database_url: str) -> None:
    with open_bare_dash(database_url, small_group_threshold=100) as dash:
        plant(dash.services, dash.clock)
        dash.officer("ann@council.example", "officer", ("*",))
        with dash.login("ann@council.example") as client:
            page = client.get(SUGGESTED).text
    assert suggestions(page)
    assert "fewer than 100" in page
    assert "<blockquote>" not in page
