"""The vetoes: play, hyperbole, topics, games and accidents quieten a rule, never hide a message."""

from __future__ import annotations

import pytest

from flows.safeguarding.assess import assess
from flows.safeguarding.detector import check


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("my brother hit me with a pillow 😂", "play"),
        ("my little sister threw a snowball at me lol", "play"),
        ("my cousin kicked me under the table at tea", "play"),
        ("i got kicked in the shin by accident at football", "an accident"),
        ("i stabbed my mate in warzone", "a game"),
        ("the session on self harm for parents was really helpful", "a topic, not an event"),
        ("we talked about grooming and county lines at the workshop", "a topic, not an event"),
        ("the child abuse case in the papers was awful", "a topic, not an event"),
        ("no one is mean to me at home, im fine", "denied"),
    ],
)
def test_a_harmless_context_sets_the_rule_aside_but_a_person_still_glances(
    text: str, why: str
) -> None:
    finding = check(text)
    assert not finding.flagged
    assert any(why in reason for reason in finding.set_aside), finding.set_aside
    found = assess(text, threshold=0.99)  # only the rules' part is under test here
    assert found.review
    assert not found.flagged


@pytest.mark.parametrize(
    "text",
    [
        "my dad hits me",
        "my dad hit me lol",  # nervous laughter is not play
        "dad hit me with a wooden spoon",
        "he said he would kill me if i told anyone",
        "my ex would kill me if he knew where i was",
        "my partner will kill me if i leave",
        "i keep talking about killing myself",
        "kill myself in the game lol",  # self-harm words are read even when joked about
        "we had a session on self harm and i realised i cut myself every night",
        "a group of older boys said they're going to kill my brother",
        "nobody knows my stepdad hits me",
    ],
)
def test_a_veto_does_not_reach_a_disclosure(text: str) -> None:
    assert check(text).flagged, text


def test_an_emoji_that_can_mean_harm_reaches_the_review_queue() -> None:
    for text in ("🔪😭", "💊💊💊", "🆘"):
        found = assess(text, threshold=0.99)
        assert found.flagged or found.review, text
    assert not assess("😂😂", threshold=0.99).review
