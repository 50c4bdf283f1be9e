"""The statistical detector: stable features, a calibrated score, a reproducible build, and its
first-sight figures on the frozen set kept from sliding back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.safeguarding.assess import assess
from flows.safeguarding.evaluation import Verdict, read_tsv, score
from flows.safeguarding.features import DIMENSIONS, hashed, tokens
from flows.safeguarding.model import load, shipped


def test_features_are_the_same_on_every_run() -> None:
    # crc32, not Python's salted hash(): a model trained on one machine reads the same elsewhere.
    assert hashed("my dad hits me") == hashed("my dad hits me")
    assert all(0 <= index < DIMENSIONS for index in hashed("Dwi ddim yn saff adre 😢"))


def test_emoji_are_words_and_accents_and_stretched_letters_fold() -> None:
    assert tokens("pls help 😭🔪") == ["pls", "help", "😭", "🔪"]
    assert tokens("Dw i'n ofn mynd adre") == tokens("dw in ofn mynd adre")
    assert tokens("sooooo scared") == tokens("soo scared")
    assert tokens("Mae'n ddrwg gen i, ŵyr") == tokens("maen ddrwg gen i, wyr")


# No deadline: the first example loads the model and compiles the rules, slow on a busy machine.
@settings(deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_probability(text: str) -> None:
    found = assess(text)
    assert 0.0 <= found.score <= 1.0
    assert not (found.flagged and found.review)
    assert (found.category is not None) == found.flagged


def test_the_threshold_is_a_setting_that_trades_recall_for_quiet() -> None:
    text = "i dont want to be here anymore"
    assert assess(text, threshold=0.0).flagged
    assert not assess("the coffee morning was lovely", threshold=0.99).flagged


def test_hyperbole_is_not_flagged() -> None:
    for text in ("my mum would kill me if i was late", "my dad will kill me if i lost my phone"):
        assert not assess(text).flagged, text
    assert assess("he said he would kill me if i told anyone").flagged


def test_the_model_reads_play_and_training_topics_as_harmless() -> None:
    # The rules still flag these (a known weakness, left for a person to dismiss); the model,
    # trained on such hard negatives, does not.
    model = shipped()
    assert model is not None
    for text in (
        "my brother hit me with a pillow 😂",
        "we talked about grooming and county lines at the workshop",
    ):
        assert model.score(hashed(text, model.dimensions)) < 0.2, text


def test_training_is_reproducible(tmp_path: Path) -> None:
    from bot.safeguarding.training import CORPUS, corpus_rows, train

    rows = corpus_rows([CORPUS / "train.tsv"])[::6]  # a sixth, to keep the test quick
    first = train(rows, tmp_path / "a")
    second = train(rows, tmp_path / "b")
    assert first == second
    assert (tmp_path / "a" / "weights.bin").read_bytes() == (
        tmp_path / "b" / "weights.bin"
    ).read_bytes()
    model = load(tmp_path / "a")
    assert model.meta["trained_on"]["rows"] == len(rows)


def test_harmless_messages_with_words_of_harm_weigh_more_in_training() -> None:
    import numpy as np

    from bot.safeguarding.training import HARD_NEGATIVE_WEIGHT, _weights

    texts = [
        "my mum would kill me if i was late",
        "the coffee morning was lovely",
        "my dad hits me",
    ]
    weights = _weights(texts, np.array([0, 0, 1]))
    assert list(weights) == [HARD_NEGATIVE_WEIGHT, 1.0, 1.0]


def test_the_shipped_model_was_built_from_the_corpus_in_the_repository() -> None:
    from bot.safeguarding.training import CORPUS, corpus_rows

    model = shipped()
    assert model is not None
    assert model.meta["trained_on"]["rows"] == len(corpus_rows(sorted(CORPUS.glob("*.tsv"))))


@pytest.mark.parametrize(
    ("frozen", "language", "recall_floor", "false_alarm_ceiling"),
    # first_sight.tsv. First sight (the combined detector's first score on this set, before anything
    # was changed in the light of it): all 0.950 / 0.222, en 0.950 / 0.229, cy 0.962 / 0.244,
    # mix 0.920 / 0.133. With vetoes and the wider corpus (not first sight): all
    # 0.957 / 0.183, en 0.964 / 0.182, cy 0.925 / 0.222, mix 0.960 / 0.133.
    # second_sight.tsv. First sight, before the vetoes and the wider corpus: all 0.972 / 0.280,
    # en 0.988 / 0.310, cy 0.903 / 0.200, mix 0.933 / 0.111. Then: all 0.986 / 0.218, en 0.994 /
    # 0.234, cy 0.935 / 0.160, mix 1.000 / 0.167.
    # third_sight.tsv. First sight, before hard.tsv and the weighting: all 0.981 / 0.195,
    # en 0.992 / 0.207, cy 0.962 / 0.125, mix 0.909 / 0.125.
    # Now (hard.tsv, hard negatives weighted; not first sight): first all 0.973 / 0.173, en 0.977 /
    # 0.177, cy 0.962 / 0.200, mix 0.960 / 0.100; second all 0.986 / 0.212, en 0.994 / 0.222,
    # cy 0.935 / 0.180, mix 1.000 / 0.167; third all 0.987 / 0.191, en 0.992 / 0.203,
    # cy 0.962 / 0.125, mix 1.000 / 0.125.
    # These floors keep it from sliding back; they are not targets, and the sets are never tuned on.
    # Where a language has few rows, the floor allows one more miss than now.
    [
        ("first_sight.tsv", None, 0.97, 0.18),
        ("first_sight.tsv", "en", 0.975, 0.185),
        ("first_sight.tsv", "cy", 0.94, 0.21),
        ("first_sight.tsv", "mix", 0.92, 0.11),
        ("second_sight.tsv", None, 0.98, 0.215),
        ("second_sight.tsv", "en", 0.985, 0.225),
        ("second_sight.tsv", "cy", 0.93, 0.19),
        ("second_sight.tsv", "mix", 0.93, 0.17),
        ("third_sight.tsv", None, 0.98, 0.195),
        ("third_sight.tsv", "en", 0.985, 0.21),
        ("third_sight.tsv", "cy", 0.92, 0.13),
        ("third_sight.tsv", "mix", 0.9, 0.13),
    ],
)
def test_the_frozen_sets_do_not_slide_back(
    frozen: str, language: str | None, recall_floor: float, false_alarm_ceiling: float
) -> None:
    path = Path(__file__).with_name("frozen") / frozen
    rows = read_tsv(path.read_text(encoding="utf-8").splitlines())
    if language is not None:
        rows = [row for row in rows if row.language == language]

    def judge(text: str) -> Verdict:
        found = assess(text)
        return Verdict(found.flagged, found.review)

    result = score(rows, judge)
    print(
        f"{frozen} {language or 'all'}: recall {result.recall:.3f}, false alarms "
        f"{result.false_alarm_rate:.3f}"
    )
    assert result.recall >= recall_floor
    assert result.false_alarm_rate <= false_alarm_ceiling
