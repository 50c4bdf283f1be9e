"""The reader on messy replies written by someone who never saw its code (see README.md here).

dev.tsv is for tuning; frozen.tsv is only ever measured. Both floors sit a little under the scores
reached, so a change that reads replies worse fails here.
"""

from __future__ import annotations

import pytest

from flows.corpus import REASK, Labelled, parse_tsv, report, score
from tests.flows.reading.score import HERE, NOW, corpus_flow, score_file

DEV_FLOOR = 0.73
FROZEN_FLOOR = 0.74
# Stored answers a person would not have stored (or would have asked about), at most.
DEV_CONFIDENT_WRONG = 81
FROZEN_CONFIDENT_WRONG = 27


def test_dev_replies_are_read_as_a_person_would() -> None:
    result = score_file(HERE / "dev.tsv")
    print(report(result, title="dev.tsv"))
    assert result.overall.accuracy >= DEV_FLOOR
    assert result.overall.confident_wrong <= DEV_CONFIDENT_WRONG


def test_frozen_replies_score_is_reported_and_holds() -> None:
    result = score_file(HERE / "frozen.tsv")
    print(report(result, title="frozen.tsv (measured only, never tuned on)", misses=False))
    assert result.overall.accuracy >= FROZEN_FLOOR
    assert result.overall.confident_wrong <= FROZEN_CONFIDENT_WRONG


@pytest.mark.parametrize(
    ("step", "reply", "expected"),
    [
        ("attended", "yes", "yes"),
        ("attended", "no", "no"),
        ("attended", "skip", "skip"),
        ("rating", "4", "4"),
        ("where", "at school", "school"),
        ("helped", "1 and 3", "speech,ta"),
        ("children", "2", "2"),
        ("review_date", "12/03/2026", "2026-03-12"),
        ("children", "what does this mean", REASK),
        ("children", "help", REASK),  # a command is not an answer
    ],
)
def test_the_scorer_names_what_the_engine_stored(step: str, reply: str, expected: str) -> None:
    result = score(corpus_flow(), [Labelled(step, "en", reply, expected)], NOW)
    assert result.readings[0].got == expected


def test_a_stored_answer_the_corpus_would_ask_about_is_confident_wrong() -> None:
    cases = parse_tsv(
        "step\tlang\treply\texpected\n"
        "rating\ten\t4\t4\n"
        "rating\ten\t4\tREASK\n"  # stored, but a person would ask: confident wrong
        "rating\ten\t4\t5\n"  # stored the wrong point: confident wrong
        "rating\ten\tbananas\t2\n"  # asked again where a person would not: wrong, not confident
    )
    result = score(corpus_flow(), cases, NOW)
    assert (result.overall.right, result.overall.total) == (1, 4)
    assert result.overall.confident_wrong == 2
    assert [r.case.reply for r in result.misses] == ["4", "4", "bananas"]
    assert "rating (scale)" in report(result)


def test_a_malformed_line_is_named() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_tsv("step\tlang\treply\texpected\nrating\ten\t4\n")
