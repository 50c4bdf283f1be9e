"""The wider net: risk words with double letters reach the review queue, as the officer would read them."""

from __future__ import annotations

import pytest

from flows.safeguarding.review import needs_review


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("my dad will kill me", "kill"),
        ("he keeps HITTING me", "hitting"),
        ("im terrified to go home", "terrified"),
        ("i took all my pills", "pills"),
        ("someone online is trying to groom me", "groom"),
    ],
)
def test_words_with_double_letters_go_for_review(text: str, word: str) -> None:
    assert needs_review(text) == word


@pytest.mark.parametrize(
    "text",
    ["the wait is killing me", "it was hit and miss for us", "my son is scared of needles"],
)
def test_everyday_phrases_with_double_letters_stay_out(text: str) -> None:
    assert needs_review(text) is None
