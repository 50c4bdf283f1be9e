"""The committee's read figures: counts suppressed like every other, times only for enough answers."""

from __future__ import annotations

from datetime import timedelta

from bot.web.dashboard.views_report import read_figures
from storage.to_read import ReadFigures

DAY = timedelta(hours=72)


def test_enough_answers_show_every_figure() -> None:
    got = read_figures(ReadFigures(40, 30, 24, 5.5, 100.0), DAY, 5)
    labels = {k: getattr(v, "label", v) for k, v in got.items()}
    assert labels == {
        "within_hours": 72,
        "total": "40",
        "read": "30",
        "unread": "10",
        "within": "24",
        "median": "5.5 hours",
        "longest": "4.2 days",
    }


def test_a_small_group_shows_no_times_and_no_count_that_leads_back_to_one() -> None:
    got = read_figures(ReadFigures(7, 3, 3, 2.0, 3.0), DAY, 5)
    assert got["read"].label in ("fewer than 5", "not shown")
    assert got["unread"].label in ("fewer than 5", "not shown")
    assert got["within"].label == "not shown"
    assert (got["median"], got["longest"]) == ("not shown", "not shown")


def test_a_few_read_late_are_not_shown_by_subtraction() -> None:
    got = read_figures(ReadFigures(40, 30, 28, 5.0, 90.0), DAY, 5)
    assert got["read"].label == "30"
    # 30 - 28 would give the 2 read late: only a range that says no more than "fewer than 5".
    assert got["within"].label == "26 to 29"


def test_nothing_yet() -> None:
    got = read_figures(ReadFigures(0, 0, 0, None, None), DAY, 5)
    assert (got["total"].label, got["median"]) == ("0", "not shown")
