"""Finding which option or scale point a reply names by its words or emoji, forgiving typos.

Every rule gives an answer only when exactly one candidate fits; anything ambiguous is left unread,
because asking again is better than storing a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flows.reading.spelling import close, distance, key, normalise, squeeze
from flows.reading.vocabulary import ABBREVIATED, INTENSIFIERS, NEGATIONS, NOT_INITIALS
from flows.schema import Option, ScalePoint

_NEGATIONS = frozenset(squeeze(key(w)) for w in NEGATIONS)
_SMALL_WORDS = frozenset({"and", "of", "the", "a", "an", "to", "for", "in"})
# Words that say nothing about which option: "at colledge now", "my son's school".
_PRONOUNS = frozenset(
    {"my", "his", "her", "their", "our", "y", "yr", "r", "fy", "ei", "eu", "ein"}
    | {"at", "now", "nawr", "we", "i", "he", "she", "they", "mae", "mae'n", "maen"}
)
# Welsh mutations, longest first, back to the letters they came from (soft, nasal and aspirate).
_MUTATIONS = (
    ("ngh", "c"), ("mh", "p"), ("nh", "t"), ("ch", "c"), ("ph", "p"), ("th", "t"), ("dd", "d"),
    ("ng", "g"), ("f", "b"), ("f", "m"), ("b", "p"), ("d", "t"), ("g", "c"), ("l", "ll"),
    ("r", "rh"), ("m", "b"), ("n", "d"), ("", "g"),
)  # fmt: skip
# "ve" is too short to stand for "very useful"; three letters are enough to start a label.
MIN_PREFIX = 3


@dataclass(frozen=True)
class Candidate:
    keys: frozenset[str]  # every label, alias and stored value, in every language, as keys
    emoji: str | None = None


def from_options(options: Sequence[Option]) -> list[Candidate]:
    candidates = []
    for o in options:
        keys = _keys([*o.label.values(), *(a for al in o.aliases.values() for a in al), o.value])
        candidates.append(
            Candidate(keys | _initials(o.label.get("en", "")) | _written_out(keys), _emoji(o.emoji))
        )
    return candidates


def _written_out(keys: frozenset[str]) -> frozenset[str]:
    """An option "Mon" is also "monday" and "mondays", "Sept" also "september"."""
    return frozenset(
        f"{ABBREVIATED[k]}{plural}" for k in keys if k in ABBREVIATED for plural in ("", "s")
    )


def _initials(label: str) -> frozenset[str]:
    """ "SALT" or "SLT" for "Speech and language therapy", "OT" for "Occupational therapy"."""
    words = key(label).split()
    if len([w for w in words if w not in _SMALL_WORDS]) < 2:
        return frozenset()
    found = {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _SMALL_WORDS)}
    return frozenset(i for i in found if len(i) >= 2 and i not in NOT_INITIALS)


def from_points(points: Sequence[ScalePoint]) -> list[Candidate]:
    return [Candidate(_keys(p.label.values()), _emoji(p.emoji)) for p in points]


def exact(candidates: Sequence[Candidate], typed: str) -> int | None:
    return _unique(i for i, c in enumerate(candidates) if typed in c.keys)


def find(
    candidates: Sequence[Candidate], typed: str, norm: str, radical: bool = False
) -> int | None:
    """typed is the reply's key, norm its normalised form (emoji survive only there)."""
    found = exact(candidates, typed)
    if found is not None:
        return found
    inside, spelt = _said_in(candidates, typed), _misspelt(candidates, typed)
    if inside is not None and spelt is not None and inside != spelt:
        # "stongly agree" is "Strongly agree", not "Agree"; but "i agree" is not "Disagree".
        return spelt if _extends(candidates[spelt], candidates[inside]) else inside
    for found in (inside, spelt, _start_of(candidates, typed)):
        if found is not None:
            return found
    found = _by_emoji(candidates, norm)
    if found is None and not radical:
        # Welsh changes a word's first letter after some words: "reit ddefnyddiol", "a choleg".
        known = {w for c in candidates for k in c.keys for w in k.split()}
        readings = {find(candidates, v, v, radical=True) for v in _radicals(typed, known)}
        readings.discard(None)
        found = readings.pop() if len(readings) == 1 else None
    return found


def _radicals(typed: str, known: set[str]) -> list[str]:
    """The reply with a mutated Welsh word put back as a label spells it ("ddefnyddiol")."""
    words = typed.split()
    found = []
    for i, word in enumerate(words):
        for mutated, radical in _MUTATIONS:
            plain = radical + word[len(mutated) :]
            if word not in known and word.startswith(mutated) and plain in known:
                found.append(" ".join([*words[:i], plain, *words[i + 1 :]]))
    return found[:24]


def _extends(longer: Candidate, shorter: Candidate) -> bool:
    return any(f" {s} " in f" {k} " for k in longer.keys for s in shorter.keys if s != k)


def _said_in(candidates: Sequence[Candidate], typed: str) -> int | None:
    """A whole label inside a longer reply: "it was very useful thanks"."""
    words = typed.split()
    spans: list[tuple[int, int, int]] = []
    for i, c in enumerate(candidates):
        for k in c.keys:
            size = len(k.split())
            if len(k) < 2 or size >= len(words):
                continue
            for start in range(len(words) - size + 1):
                if " ".join(words[start : start + size]) == k:
                    spans.append((start, start + size, i))
    # A label inside a longer matched label ("useful" in "very useful") doesn't count separately.
    widest = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
    fits = {i for start, end, i in widest if not _negated(" ".join(words[:start] + words[end:]))}
    return fits.pop() if len(fits) == 1 and len({i for _, _, i in widest}) == 1 else None


def _start_of(candidates: Sequence[Candidate], typed: str) -> int | None:
    """The start of a label or of a word in it: "very" -> "Very useful", "worse" -> "Much worse"."""
    if len(typed) < MIN_PREFIX:
        return None
    negated = _negated(typed)
    holding = {i for i, c in enumerate(candidates) for k in c.keys if f" {typed} " in f" {k} "}
    if len(holding) > 1 and typed not in INTENSIFIERS:
        # "school" to "Special school" or "Not in school": the "not" doesn't make it the other.
        return None
    return _unique(
        i
        for i, c in enumerate(candidates)
        for k in c.keys
        if (k.startswith(typed) or f" {typed}" in f" {k}") and _negated(k) == negated
    )


def _misspelt(candidates: Sequence[Candidate], typed: str) -> int | None:
    scores = {}
    negated, size = _negated(typed), len(typed.split())
    for i, c in enumerate(candidates):
        found = [
            d
            for k in c.keys
            if _negated(k) == negated
            and (d := close(typed, k)) is not None
            # A lost or extra space is one typo; more than that across words is another phrase.
            and (d <= 1 or len(k.split()) == size)
        ]
        if found:
            scores[i] = min(found)
    if not scores:
        return None
    best = min(scores.values())
    return _unique(i for i, d in scores.items() if d == best)


def _by_emoji(candidates: Sequence[Candidate], norm: str) -> int | None:
    present = {i for i, c in enumerate(candidates) if c.emoji and c.emoji in norm}
    if len(present) != 1:
        return None
    (i,) = present
    emoji = candidates[i].emoji or ""
    return i if not norm.replace(emoji, "").strip() else None


def _negated(text: str) -> bool:
    """Whether a phrase says "not": "great" must never be read as "Not great", nor the reverse."""
    return any(squeeze(w) in _NEGATIONS for w in text.split())


def _unique(indexes: Iterable[int]) -> int | None:
    found = set(indexes)
    return found.pop() if len(found) == 1 else None


def _keys(texts: Iterable[str]) -> frozenset[str]:
    # Welsh "cytuno'n gryf" is also written out in full: "cytuno yn gryf".
    texts = [
        t for text in texts for t in (text, text.replace("'n ", " yn ").replace("’n ", " yn "))
    ]
    return frozenset(k for k in map(key, texts) if k)


def _emoji(emoji: str | None) -> str | None:
    return normalise(emoji) or None if emoji else None


def labels_in(texts: Mapping[str, str] | None) -> frozenset[str]:
    return _keys(texts.values()) if texts else frozenset()


def by_words(candidates: Sequence[Candidate], typed: str) -> int | None:
    """Every word of a reply in one option's label, allowing a typo or another ending:
    "speach therapy", "the occupational therapist", "therapi iaith"."""
    words = [w for w in typed.split() if w not in _SMALL_WORDS and w not in _PRONOUNS]
    if not words or _negated(typed):
        return None
    fits: set[int] | None = None
    for word in words:
        here = {
            i
            for i, c in enumerate(candidates)
            for k in c.keys
            for w in k.split()
            if _same_word(word, w)
        }
        fits = here if fits is None else fits & here
        if not fits:
            return None
    return _unique(fits or ())


# Endings that keep a word's meaning: "walking" is "Walk", "buses" is "Bus".
_ENDINGS = ("s", "es", "ing", "ed")


def _same_word(typed: str, word: str) -> bool:
    if typed == word:
        return True
    if len(word) >= 3 and typed.startswith(word) and typed[len(word) :] in _ENDINGS:
        return True
    if len(typed) < 5 or len(word) < 5:
        return False
    return typed[:6] == word[:6] or distance(typed, word, 1) <= 1


def sharing_a_word(candidates: Sequence[Candidate], typed: str) -> set[int]:
    """Every option with the one word a reply names: "the therapies" -> both therapies."""
    words = [w for w in typed.split() if w not in _SMALL_WORDS and w not in _PRONOUNS]
    if len(words) != 1 or len(words[0]) < 5:
        return set()
    return {
        i
        for i, c in enumerate(candidates)
        for k in c.keys
        for w in k.split()
        if _same_word(words[0], w)
    }
