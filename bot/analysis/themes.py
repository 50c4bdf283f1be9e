"""Suggested themes for one free-text question, and suggested tags learnt from officers' own
tagging. Everything runs here, on this server: nothing leaves it and nothing is downloaded.

Themes: each answer's words (English and Welsh, stop words out, stemmed, neighbouring pairs, and the
service concerns they point at) are weighted by TF-IDF and factorised into themes (NMF); an answer
belongs to the theme it weighs most on. The number of themes is the one whose groups are most
distinct (silhouette), unless an officer asks for a number.
Answers with no content words ("ok", "nothing") or far from every group belong to no theme.
A suggestion is only a suggestion: an officer accepts, renames, merges or rejects it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from bot.analysis.words import SurfaceForms, terms

MIN_ANSWERS = 10
MAX_THEMES = 12
# An answer this far from every theme's centre has no clear theme (cosine similarity).
MIN_SIMILARITY = 0.15
SPLIT_RATHER_THAN_LUMP = 0.9
CHOOSE_ON = 2000


@dataclass(frozen=True)
class Suggestion:
    name: str
    key_phrases: tuple[str, ...]
    members: tuple[int, ...]  # indices into the answers given
    examples: tuple[int, ...]  # the most typical members, best first


def _vectorise(texts: Sequence[str]) -> tuple[TfidfVectorizer, csr_matrix]:
    vectoriser = TfidfVectorizer(
        analyzer=terms, min_df=2 if len(texts) >= 50 else 1, sublinear_tf=True
    )
    return vectoriser, csr_matrix(vectoriser.fit_transform(list(texts)))


def suggest(texts: Sequence[str], *, themes: int | None = None, seed: int = 0) -> list[Suggestion]:
    """Themes, largest first. Fewer than MIN_ANSWERS answers (or no words at all) give none."""
    if len(texts) < MIN_ANSWERS:
        return []
    try:
        vectoriser, weights = _vectorise(texts)
    except ValueError:  # no answer has a content word
        return []
    has_words = np.asarray(weights.getnnz(axis=1) > 0)
    rows = np.flatnonzero(has_words)
    if len(rows) < MIN_ANSWERS:
        return []
    labels = _themes_of(weights[rows], themes, seed)
    forms = SurfaceForms(list(texts))
    vocabulary = vectoriser.get_feature_names_out()
    out: list[Suggestion] = []
    for label in sorted(set(labels)):
        members = rows[labels == label]
        centre = np.asarray(weights[members].mean(axis=0)).ravel()
        similarity = (weights[members] @ centre) / (np.linalg.norm(centre) or 1.0)
        keep = similarity >= MIN_SIMILARITY * float(np.max(similarity) or 1.0)
        members, similarity = members[keep], similarity[keep]
        if len(members) == 0:
            continue
        ranked = [str(vocabulary[i]) for i in np.argsort(-centre)[:16]]
        concern = next((t[1:] for t in ranked if t.startswith("#")), None)
        phrases = _distinct([forms.show(t) for t in ranked if not t.startswith("#")])[:5]
        order = np.argsort(-similarity)
        out.append(
            Suggestion(
                name=_name(concern, phrases),
                key_phrases=tuple(phrases),
                members=tuple(int(i) for i in members),
                examples=tuple(int(members[i]) for i in order[:5]),
            )
        )
    return sorted(out, key=lambda s: -len(s.members))


def _themes_of(weights: csr_matrix, themes: int | None, seed: int) -> np.ndarray:
    def factorise(matrix: csr_matrix, k: int) -> np.ndarray:
        model = NMF(k, init="nndsvda", random_state=seed, max_iter=500, tol=1e-3)
        return np.asarray(model.fit_transform(matrix))

    if themes is not None:
        return np.asarray(factorise(weights, max(1, min(themes, weights.shape[0]))).argmax(axis=1))
    # How many themes is decided on at most CHOOSE_ON answers: as good a guide, and 10,000 answers
    # then take one factorisation more, not nine.
    rows = weights.shape[0]
    sample = (
        np.random.default_rng(seed).choice(rows, CHOOSE_ON, replace=False)
        if rows > CHOOSE_ON
        else None
    )
    part = weights[np.sort(sample)] if sample is not None else weights
    scored: list[tuple[float, int, np.ndarray]] = []
    for k in range(4, min(MAX_THEMES, part.shape[0] // 5) + 1):
        share = normalize(factorise(part, k))
        labels = share.argmax(axis=1)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(
            share, labels, metric="cosine", sample_size=min(len(labels), 2000), random_state=seed
        )
        scored.append((float(score), k, labels))
    if not scored:
        return np.zeros(rows, dtype=int)
    # Merging two suggested themes is one click; splitting one means rereading its answers. So of
    # the numbers of themes nearly as distinct as the best, take the largest.
    best = max(score for score, _, _ in scored)
    score, k, labels = [s for s in scored if s[0] >= SPLIT_RATHER_THAN_LUMP * best][-1]
    return labels if sample is None else np.asarray(factorise(weights, k).argmax(axis=1))


def _distinct(phrases: list[str]) -> list[str]:
    """Drop a word already said inside a longer phrase ("therapy" beside "speech therapy")."""
    out: list[str] = []
    for phrase in phrases:
        if any(phrase in kept.split(" ") or phrase == kept for kept in out):
            continue
        out = [kept for kept in out if kept not in phrase.split(" ")]
        out.append(phrase)
    return out


def _name(concern: str | None, phrases: list[str]) -> str:
    words = ", ".join(phrases[:2])
    if concern is None:
        return words.capitalize() or "Other"
    return f"{concern.replace('_', ' ').capitalize()}: {words}" if words else concern


@dataclass(frozen=True)
class TagSuggestion:
    index: int  # into the untagged answers given
    theme: str
    confidence: float


def suggest_tags(
    tagged: Sequence[tuple[str, str]],
    untagged: Sequence[str],
    *,
    min_confidence: float = 0.5,
) -> list[TagSuggestion]:
    """For each untagged answer, the theme officers would most likely give it, learnt from the
    answers they tagged; only where the model is at least `min_confidence` sure."""
    themes = {theme for _, theme in tagged}
    if len(themes) < 2 or not untagged:
        return []
    texts = [text for text, _ in tagged]
    vectoriser = TfidfVectorizer(analyzer=terms, sublinear_tf=True)
    try:
        matrix = vectoriser.fit_transform([*texts, *untagged])
    except ValueError:
        return []
    model = LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")
    model.fit(matrix[: len(texts)], [theme for _, theme in tagged])
    probabilities = model.predict_proba(matrix[len(texts) :])
    has_words = np.asarray(matrix[len(texts) :].getnnz(axis=1) > 0)
    out = []
    for i, row in enumerate(probabilities):
        best = int(np.argmax(row))
        if has_words[i] and row[best] >= min_confidence:
            out.append(TagSuggestion(i, str(model.classes_[best]), float(row[best])))
    return out
