"""A transcript as an officer reads it: both sides, in the order they happened, answers as labels."""

from __future__ import annotations

import re
from html import unescape

from tests.bot.web.dashboard.conftest import Dash
from tests.bot.web.dashboard.test_pages import conversation_of

# What the first south parent sent, in order (tests/bot/web/dashboard/seed.py).
THEIR_WORDS = ["3", "yes", "2", "Too noisy", "yes", "Quieter room", "no", "no", "news"]


def entries(html: str) -> list[tuple[str, str]]:
    """(who, body) for each message in the transcript, top to bottom."""
    found = re.findall(
        r'<p class="who">(They wrote|We sent) <time[^>]*>[^<]+</time></p>\s*<p class="body">(.*?)</p>',
        html,
        re.S,
    )
    return [(who, unescape(body)) for who, body in found]


def test_a_transcript_shows_both_sides_in_order_with_answers_as_labels(dash: Dash) -> None:
    dash.officer("sam@council.example", "officer", ("south",))
    conversation_id, _ = conversation_of(dash, dash.seeded.south_numbers[0])
    with dash.login("sam@council.example") as sam:
        html = sam.get(f"/dashboard/responses/{conversation_id}").text
    shown = entries(html)
    assert [body for who, body in shown if who == "They wrote"] == THEIR_WORDS
    # Each of their words follows the question it answers.
    questions = {
        "3": "Who is answering?",
        "2": "Overall, how was",
        "Too noisy": "What was the main problem?",
        "Quieter room": "even better?",
        "news": "Would you like news about events",
    }
    for i, (who, body) in enumerate(shown):
        if who == "They wrote" and body in questions:
            who_before, asked = shown[i - 1]
            assert who_before == "We sent"
            assert questions[body] in asked
    assert "<dt>Who answered</dt><dd>Someone answered for them</dd>" in html
    answers = html.split("<h2>Answers stored</h2>", 1)[1]
    assert "Overall, how was South parent panel?" in answers  # as they were asked it
    assert "[event name]" not in answers
    cells = [unescape(c) for c in re.findall(r"<td>(.*?)</td>", answers, re.S)]
    assert "Yes" in cells  # attended: stored as true
    assert "2 - Not great" in cells
    assert "News only" in cells  # stay in touch: stored as "updates"
    for raw in ("True", "False", "updates"):
        assert raw not in cells
