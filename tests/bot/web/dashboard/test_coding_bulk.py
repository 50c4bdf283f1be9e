"""Coding many answers at once over HTTP: tag, take off, "no theme", filters, pages, the chart."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from bot.web.dashboard import views_coding
from storage import audit, coding
from storage.dashboard_models import Coding, NoTheme
from storage.models import ReadItem
from tests.bot.web.dashboard.coding_helpers import (
    add_theme,
    answers_on,
    code_answers,
    coding_url,
)
from tests.bot.web.dashboard.conftest import Dash, post_form
from tests.bot.web.dashboard.seed import NORTH

WORKED = coding_url(step="worked_well")
TICKED = re.compile(r'name="answer" value="\d+" id="a-\d+" aria-describedby="m-\d+" checked>')


def test_an_officer_tags_many_answers_at_once_and_codes_the_rest_no_theme(dash: Dash) -> None:
    officer_id = dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as ann:
        speakers = add_theme(ann, "Speakers")
        page = ann.get(WORKED).text
        found = answers_on(page)
        assert len(found) == len(NORTH)  # every north answer to worked_well, none of the south
        chosen = [found["The speakers were brilliant"], found["The speakers knew their stuff"]]
        response = code_answers(ann, chosen, speakers, page=WORKED)
        assert response.status_code == 303
        page = ann.get(response.headers["location"]).text
        assert "2 answers tagged with &#39;Speakers&#39;." in page
        # "ok"-like answers: read, nothing to code, and then they count as coded.
        short = [found["Short and to the point"], found["The handouts"]]
        assert code_answers(ann, short, "none", page=WORKED).status_code == 303
        uncoded = ann.get(WORKED + "&uncoded=1").text
        left = answers_on(uncoded)
        assert len(left) == len(NORTH) - 4
        assert "Short and to the point" not in left
        assert "Answers not yet coded: 9" in uncoded
        page = ann.get(WORKED).text
        assert page.count('<span class="tag none">No theme</span>') == 2
        assert page.count('<span class="tag">Speakers</span>') == 2
        # Tagging a "no theme" answer with a theme takes "no theme" off.
        assert code_answers(ann, short[:1], speakers, page=WORKED).status_code == 303
        # Taking a theme off.
        assert code_answers(ann, chosen[:1], speakers, remove=True).status_code == 303
    with dash.services.session_factory() as s:
        tagged = set(s.scalars(select(Coding.answer_id).where(Coding.theme_id == speakers)))
        assert tagged == {chosen[1], short[0]}
        assert set(s.scalars(select(NoTheme.answer_id))) == {short[1]}
        entries = [e for e in audit.recent(s) if e.action == "code_answers"]
        assert len(entries) == 4
        assert all(e.actor == f"officer:{officer_id}" for e in entries)
        first = entries[-1].detail
        assert (sorted(first["answers"]), first["theme"], first["op"]) == (
            sorted(chosen),
            str(speakers),
            "add",
        )
        # Coding read them: none of the coded answers waits on the to-read list.
        items = s.scalars(select(ReadItem).where(ReadItem.answer_id.in_([*chosen, *short])))
        assert {i.answer_id: i.read_by for i in items} == {
            a: f"officer:{officer_id}" for a in [*chosen, *short]
        }


def test_the_coding_page_is_paged_and_tick_all_ticks_only_this_page(
    dash: Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views_coding, "CODING_PAGE", 10)
    dash.officer("admin@council.example", "admin")
    with dash.login("admin@council.example") as admin:
        first = admin.get(coding_url()).text
        total = int(re.search(r"Answers: (\d+)", first).group(1))  # type: ignore[union-attr]
        assert 10 < total <= 20  # every free-text answer to post_event, north and south
        assert len(answers_on(first)) == 10
        assert "Page 1 of 2" in first
        second = admin.get(coding_url(page="2")).text
        assert len(answers_on(second)) == total - 10
        assert not set(answers_on(first).values()) & set(answers_on(second).values())
        assert TICKED.search(first) is None
        ticked = admin.get(coding_url(page="2", select="all")).text
        assert len(TICKED.findall(ticked)) == total - 10
        assert "Untick all" in ticked
        # Past the last page shows the last page, not an empty list.
        assert len(answers_on(admin.get(coding_url(page="9")).text)) == total - 10


def test_bad_bulk_forms_are_refused_with_a_clear_4xx(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    dash.officer("sam@council.example", "officer", ("south",))
    with dash.login("ann@council.example") as ann:
        theme = add_theme(ann, "Venue")
        with dash.services.session_factory.begin() as s:
            other_flow = coding.create_theme(
                s,
                flow_id="ehcp_experience",
                name="Travel",
                description=None,
                officer_id=None,
                now=dash.clock(),
            ).id
        north = list(answers_on(ann.get(WORKED).text).values())
    with dash.login("sam@council.example") as sam:
        south = list(answers_on(sam.get(WORKED).text).values())
        assert south
        assert not set(south) & set(north)
        cases = [
            ([], str(theme), 400, "Tick at least one answer"),
            ([str(north[0])], "", 400, "Choose a theme"),
            (["²"], str(theme), 400, "not a number"),
            (["99999999999"], str(theme), 400, "not a number"),
            ([str(north[0])], str(theme), 404, "not in your areas"),  # another area's answer
            (["2147483647"], str(theme), 404, "not in your areas"),
            ([str(south[0])], "99999", 400, "no such theme"),
            ([str(south[0])], "x\x00", 400, "no such theme"),
            ([str(south[0])], str(other_flow), 400, "another flow"),
        ]
        for answers, chosen, status, words in cases:
            fields = [("answer", a) for a in answers] + [("theme", chosen)]
            response = post_form(sam, WORKED, "/dashboard/coding/answers", fields)
            assert response.status_code == status, (answers, chosen, response.status_code)
            assert words.lower() in response.text.lower(), (answers, chosen)
        many = [("answer", str(i)) for i in range(1, 502)] + [("theme", str(theme))]
        assert post_form(sam, WORKED, "/dashboard/coding/answers", many).status_code == 400
    with dash.services.session_factory() as s:
        assert s.scalars(select(Coding)).all() == []
        assert s.scalars(select(NoTheme)).all() == []


def test_a_viewer_cannot_code(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as val:
        assert val.get(coding_url()).status_code == 403
        response = post_form(val, "/dashboard/", "/dashboard/coding/answers", [("answer", "1")])
        assert response.status_code == 403


def _figure(client: httpx.Client) -> str:
    html = client.get("/dashboard/themes?flow=post_event").text
    return html.split('<figure class="chart"', 1)[1].split("</figure>", 1)[0]


def _cell(figure: str, label: str) -> str:
    found = re.search(
        rf'<th scope="row">{re.escape(label)}</th><td>(.*?)</td><td>(.*?)</td>', figure
    )
    assert found, label
    return found.group(1) + " | " + found.group(2)


def test_the_theme_chart_counts_suppresses_and_gives_percentages(dash: Dash) -> None:
    dash.officer("admin@council.example", "admin")
    dash.officer("val@council.example", "viewer")
    with dash.login("admin@council.example") as admin:
        speakers, venue = add_theme(admin, "Speakers"), add_theme(admin, "Venue")
        found = answers_on(admin.get(WORKED).text)
        people = [v for k, v in found.items() if "parents" in k or "speakers" in k.lower()]
        people.append(found["Childcare on site"])
        rooms = [found["The room was too small"], found["Parking was easy"]]
        assert len(people) == 5
        code_answers(admin, [*people, rooms[0]], speakers)
        code_answers(admin, rooms, venue)
    with dash.login("val@council.example") as val:
        figure = _figure(val)
        assert "Themes in what people wrote" in figure
        assert _cell(figure, "Speakers") == f"6 | {round(100 * 6 / 7)}%"
        assert _cell(figure, "Venue").startswith('<span class="suppressed">fewer than 5')
        assert _cell(figure, "Venue").endswith(" | ")  # no percentage for a hidden figure
        assert _cell(figure, "No theme") == "0 | 0%"
        assert '<th scope="row">Answers coded</th><td>7</td>' in figure
        assert 'bar-hidden">hidden' in figure  # a small group's bar says so, never a short bar
    # Two answers with nothing to code: the 7 with a theme and the 2 without add up to the 9
    # coded, so the small "no theme" group hides the split and every theme with it.
    with dash.login("admin@council.example") as admin:
        code_answers(admin, [found["The handouts"], found["The SENDIASS stall"]], "none")
    with dash.login("val@council.example") as val:
        figure = _figure(val)
        themes_table = val.get("/dashboard/themes?flow=post_event").text.split("</figure>")[1]
    assert '<th scope="row">Answers coded</th><td>9</td>' in figure
    assert _cell(figure, "No theme").startswith('<span class="suppressed">')
    assert ">6<" not in figure
    assert ">2<" not in figure
    assert ">6<" not in themes_table
    assert ">7<" not in themes_table
