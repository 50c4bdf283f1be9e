"""Two independent detectors, combined: the readable rules and the statistical model.

A message is flagged (the survey pauses, the lead is alerted) when either is confident: a rule
matched, or the model's calibrated score reached the threshold. Below that, the review net (a rule
match a veto set aside, a risk word, or a model score in the grey zone) sends it to the officers'
review queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.safeguarding import model as model_module
from flows.safeguarding.detector import LABELS, check_normalised
from flows.safeguarding.features import hashed_words, tokens
from flows.safeguarding.review import danger_emoji, needs_review
from flows.safeguarding.text import normalise

# A one-word reply ("no", "both", "HELP") is an answer or a keyword far more often than a disclosure,
# and the model has little to go on: it flags one alone only when it is a signal word or emoji it is
# near certain of ("kms", a knife and tears), and never sends a reply under three words for review.
_SURE_OF_ONE_WORD = 0.9
_REVIEW_WORDS = 3


@dataclass(frozen=True)
class Assessment:
    flagged: bool
    review: bool  # only the wider net caught it
    score: float  # the model's calibrated probability (0 when no model is shipped)
    category: str | None
    reasons: tuple[str, ...]


def assess(
    text: str,
    *,
    threshold: float | None = None,
    review_threshold: float | None = None,
    model: model_module.Model | None = None,
) -> Assessment:
    """`threshold` and `review_threshold` default to the ones chosen when the model was trained."""
    message = normalise(text)
    finding = check_normalised(message)
    model = model or model_module.shipped()
    score, counts, words = 0.0, {}, 0
    if model is not None and text.strip():
        found = tokens(text)
        counts = hashed_words(found, model.dimensions)
        score = model.score(counts)
        words = len(found)
        threshold = model.meta["threshold"] if threshold is None else threshold
        review_threshold = (
            model.meta["review_threshold"] if review_threshold is None else review_threshold
        )
    if finding.flagged and finding.category is not None:
        return Assessment(True, False, score, finding.category, finding.reasons)
    if (
        model is not None
        and counts
        and threshold is not None
        and score >= (threshold if words > 1 else max(threshold, _SURE_OF_ONE_WORD))
    ):
        likely = model.category(counts)
        reason = f"the model scored it {score:.2f} (likely {LABELS[likely]})"
        return Assessment(True, False, score, likely, (reason,))
    if finding.set_aside:
        # A rule matched but a veto read it as play, hyperbole or a topic: a person still glances.
        return Assessment(False, True, score, None, finding.set_aside)
    word = needs_review(text, message.line) or danger_emoji(text)
    if word is not None:
        return Assessment(False, True, score, None, (f'contains "{word}"',))
    if review_threshold is not None and score >= review_threshold and words >= _REVIEW_WORDS:
        return Assessment(False, True, score, None, (f"the model scored it {score:.2f}",))
    return Assessment(False, False, score, None, ())
