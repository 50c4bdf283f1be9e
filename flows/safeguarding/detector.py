"""Does a message need a person to read it now? Rules a council officer can read, not a model.

Every free-text reply is checked. A flagged Finding names the most serious category that matched,
each phrase that fired (as the person typed it) and why. The rules are in
flows/safeguarding/lexicon.py; how typing is tidied first (case, accents, text-speak, leetspeak,
repeated letters, a few typos) is in flows/safeguarding/text.py.

Decisions, so that they can be argued with:
  - Recall first. A borderline message costs an officer a minute; a missed one can cost a child.
  - Self-harm and suicide are flagged even when negated or joked about: "I don't want to die",
    "I'm not suicidal but...", "makes me want to die lol". Someone should read those.
  - Harm by someone is flagged when a person word is the one doing it ("my dad hits me",
    "he doesn't hit me anymore"); "no one hurts me" has no person doing anything, so it is not.
  - Words as a topic are not disclosures: "suicide prevention training", "self-harm awareness
    talk", "abuse of the process" (so "the SENCo is abusive of the process" is not flagged, while
    "the SENCo is abusive to my son" is).
  - A child's known behaviour described by a parent is a care need, not a disclosure: "he hits
    his head when he's overwhelmed", "he kicks off at me", "punches walls" are not flagged;
    "he has been cutting himself" and "self-harming" are.
  - Accidents are not abuse: "hit by a ball", "hurt myself at PE", "she hit her head".
  - Idioms are not threats: "the wait was killing me", "I could kill him when he leaves his lego
    out", "bored to death", "dying to know". "I want to kill him" and "I'm going to hurt them" are.
Limits: phrase rules catch the wordings someone thought of. On six batches of freshly written
messages, measured before the rules were improved on them, about half the disclosures were
caught at first (recall 0.35-0.54, precision 0.85-1.0). This is a net under the officers' own
reading, not a replacement for it.
Pure: no I/O and no logging; the caller decides who is told and what is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from flows.safeguarding.lexicon import RULES, WORDS, Rule
from flows.safeguarding.text import Normalised, normalise, squeeze
from flows.safeguarding.vetoes import TOPICS, VETOES

CATEGORIES = (
    "self_harm_suicide",
    "abuse_physical",
    "abuse_sexual",
    "abuse_emotional",
    "neglect",
    "violence",
    "exploitation",
    "unsafe",
)
LABELS = {
    "self_harm_suicide": "self-harm or suicide",
    "abuse_physical": "physical abuse",
    "abuse_sexual": "sexual abuse",
    "abuse_emotional": "emotional abuse",
    "neglect": "neglect",
    "violence": "violence or threats",
    "exploitation": "exploitation or grooming",
    "unsafe": "feeling unsafe or bullied",
}
_MOST_REASONS = 12
_LOOK_BACK = 120  # characters of the tidied message that `unless_before` may read


@dataclass(frozen=True)
class Finding:
    flagged: bool
    category: str | None
    reasons: tuple[str, ...]
    matched: tuple[str, ...]
    # Matches a veto set aside (flows/safeguarding/vetoes.py), each with why: for the review queue.
    set_aside: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Compiled:
    category: str
    rule: Rule
    pattern: re.Pattern[str]
    unless_before: re.Pattern[str] | None
    unless_within: re.Pattern[str] | None


def check(text: str, *, every_rule: bool = False) -> Finding:
    """`every_rule` tries all the rules, not only those the message's words allow (for tests)."""
    return check_normalised(normalise(text), every_rule=every_rule)


def check_normalised(message: Normalised, *, every_rule: bool = False) -> Finding:
    """`check` for a message already tidied, so a caller reading it twice tidies it once."""
    rules = _compiled() if every_rule else _index().candidates(message.line)
    return _finding(message, rules)


def _finding(message: Normalised, rules: Iterable[_Compiled]) -> Finding:
    hits: list[tuple[int, int, str, Rule]] = []
    set_aside: list[str] = []
    for compiled in rules:
        found = _first(compiled, message)
        if isinstance(found, str):
            if found not in set_aside:
                set_aside.append(found)
        elif found is not None:
            hits.append((CATEGORIES.index(compiled.category), found[0], found[1], compiled.rule))
    if not hits:
        return Finding(False, None, (), (), tuple(set_aside))
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    reasons: list[str] = []
    matched: list[str] = []
    for rank, _, excerpt, rule in hits:
        reason = f'matched "{excerpt}" ({LABELS[CATEGORIES[rank]]}: {rule.about})'
        if reason not in reasons and len(reasons) < _MOST_REASONS:
            reasons.append(reason)
        if excerpt not in matched:
            matched.append(excerpt)
    return Finding(True, CATEGORIES[hits[0][0]], tuple(reasons), tuple(matched))


def _first(compiled: _Compiled, message: Normalised) -> tuple[int, str] | str | None:
    """The first match (where, and what was typed); else why a match was set aside; else None."""
    line = message.line
    set_aside: str | None = None
    for match in compiled.pattern.finditer(line):
        start, end = match.start(), match.end() - 1
        if compiled.unless_before is not None and compiled.unless_before.search(
            line, max(0, start - _LOOK_BACK), start
        ):
            continue
        if compiled.unless_within is not None and compiled.unless_within.search(
            line, start, match.end()
        ):
            continue
        excerpt = message.excerpt(start, end)
        why = _vetoed(compiled.category, line, start, match.end())
        if why is not None:
            set_aside = set_aside or f'matched "{excerpt}" but read as {why}'
            continue
        return start, excerpt
    return set_aside


def _vetoed(category: str, line: str, start: int, end: int) -> str | None:
    """Why a veto's words overlapping line[start:end] make the match harmless, or None."""
    vetoes = _topics() if category == "self_harm_suicide" else _topics() + _vetoes()
    low, high = max(0, start - _LOOK_BACK), min(len(line), end + _LOOK_BACK)
    for veto in vetoes:
        for found in veto.pattern.finditer(line, low, high):
            if found.start() >= end:
                break
            if found.end() <= start:
                continue
            if veto.unless_before is not None and veto.unless_before.search(
                line, max(0, found.start() - _LOOK_BACK), found.start()
            ):
                continue
            return veto.rule.about
    return None


@dataclass(frozen=True)
class _Firsts:
    """The words a match can begin with: whole words, word beginnings, or anything at all."""

    words: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    anything: bool = False  # begins with a number, so no word can rule it out
    nullable: bool = False  # can match no words at all

    def __or__(self, other: _Firsts) -> _Firsts:
        return _Firsts(
            self.words | other.words,
            self.prefixes | other.prefixes,
            self.anything or other.anything,
            self.nullable or other.nullable,
        )


@dataclass(frozen=True)
class _Index:
    """Which rules could match a message, from its words, so most rules are never tried.

    A rule can only match where one of its possible first words stands; a rule that could begin
    with anything is always tried. Rules keep their order, so findings are as without the index.
    """

    rules: tuple[_Compiled, ...]
    always: frozenset[int]
    by_word: Mapping[str, frozenset[int]]
    by_prefix: Mapping[str, frozenset[int]]

    def candidates(self, line: str) -> list[_Compiled]:
        chosen = set(self.always)
        for word in set(line.split(" ")):
            chosen.update(self.by_word.get(word, ()))
            for end in range(1, len(word) + 1):
                chosen.update(self.by_prefix.get(word[:end], ()))
        return [self.rules[i] for i in sorted(chosen)]


@cache
def _index() -> _Index:
    rules = _compiled()
    always: set[int] = set()
    by_word: dict[str, set[int]] = {}
    by_prefix: dict[str, set[int]] = {}
    for number, compiled in enumerate(rules):
        firsts = _firsts(compiled.rule.pattern)
        if firsts.anything or firsts.nullable:
            always.add(number)
            continue
        for word in firsts.words:
            by_word.setdefault(word, set()).add(number)
        for prefix in firsts.prefixes:
            by_prefix.setdefault(prefix, set()).add(number)
    return _Index(
        rules,
        frozenset(always),
        {k: frozenset(v) for k, v in by_word.items()},
        {k: frozenset(v) for k, v in by_prefix.items()},
    )


@cache
def _compiled() -> tuple[_Compiled, ...]:
    return tuple(
        _compile_rule(category, rule) for category in CATEGORIES for rule in RULES[category]
    )


@cache
def _topics() -> tuple[_Compiled, ...]:
    return tuple(_compile_rule("veto", rule) for rule in TOPICS)


@cache
def _vetoes() -> tuple[_Compiled, ...]:
    return tuple(_compile_rule("veto", rule) for rule in VETOES)


def _compile_rule(category: str, rule: Rule) -> _Compiled:
    body = _compile(rule.pattern)
    if rule.unless_next:
        body += f"(?!{_compile(rule.unless_next)})"
    before = _optional(rule.unless_before, "\\Z")
    within = _optional(rule.unless_within, "")
    return _Compiled(category, rule, re.compile(f"(?<= ){body}"), before, within)


def _optional(pattern: str, suffix: str) -> re.Pattern[str] | None:
    return re.compile(f"(?<= ){_compile(pattern)}{suffix}") if pattern else None


# The pattern language of flows/safeguarding/lexicon.py. Every compiled word consumes the word and
# the space after it, so matches always start and end on whole words, and nothing can backtrack
# more than a few words (gaps are bounded and possessive).
_CLOSING = {"(": ")", "[": "]"}
_OPTIONAL = {"(": "", "[": "?"}
_SPECIAL = {"#": r"\d+ ", "$": r"\Z"}
_TOKENS = re.compile(r"\.\.\.\d*|[()\[\]|$]|<\w+>|[^\s()\[\]|<>$]+")


def _compile(pattern: str) -> str:
    tokens = _TOKENS.findall(pattern)
    regex, position = _alternatives(tokens, 0, pattern)
    if position != len(tokens):
        raise ValueError(f"unbalanced brackets in safeguarding rule: {pattern!r}")
    return regex


def _alternatives(tokens: list[str], position: int, pattern: str) -> tuple[str, int]:
    options = []
    sequence, position = _sequence(tokens, position, pattern)
    options.append(sequence)
    while position < len(tokens) and tokens[position] == "|":
        sequence, position = _sequence(tokens, position + 1, pattern)
        options.append(sequence)
    if len(options) == 1:
        return options[0], position
    return "(?:" + "|".join(options) + ")", position


def _sequence(tokens: list[str], position: int, pattern: str) -> tuple[str, int]:
    parts = []
    while position < len(tokens) and tokens[position] not in ("|", ")", "]"):
        token = tokens[position]
        if token in _CLOSING:
            inner, position = _alternatives(tokens, position + 1, pattern)
            if position >= len(tokens) or tokens[position] != _CLOSING[token]:
                raise ValueError(f"unbalanced brackets in safeguarding rule: {pattern!r}")
            parts.append(f"(?:{inner})" + _OPTIONAL[token])
        else:
            parts.append(_word(token, pattern))
        position += 1
    return "".join(parts), position


def _word(token: str, pattern: str) -> str:
    if token.startswith("..."):
        return rf"(?:\S++ ){{0,{int(token[3:] or 4)}}}"
    if token.startswith("<"):
        name = token[1:-1]
        if name not in WORDS:
            raise ValueError(f"unknown word list {token} in safeguarding rule: {pattern!r}")
        return f"(?:{_compile(WORDS[name])})"
    if token in _SPECIAL:
        return _SPECIAL[token]
    word = token[:-1] if token.endswith("*") else token
    if not word.isalnum():
        raise ValueError(f"{token!r} is not a word in safeguarding rule: {pattern!r}")
    if token.endswith("*"):
        return re.escape(squeeze(word.lower())) + r"\S*+ "
    return re.escape(squeeze(word.lower())) + " "


# The same pattern language read for its possible first words (see _Index).
def _firsts(pattern: str) -> _Firsts:
    firsts, _ = _firsts_alternatives(_TOKENS.findall(pattern), 0)
    return firsts


def _firsts_alternatives(tokens: list[str], position: int) -> tuple[_Firsts, int]:
    firsts, position = _firsts_sequence(tokens, position)
    while position < len(tokens) and tokens[position] == "|":
        more, position = _firsts_sequence(tokens, position + 1)
        firsts = firsts | more
    return firsts, position


def _firsts_sequence(pieces: list[str], position: int) -> tuple[_Firsts, int]:
    found = _Firsts()
    nullable = True  # everything so far can match nothing, so the next part can come first
    while position < len(pieces) and pieces[position] not in ("|", ")", "]"):
        piece = pieces[position]
        if piece in _CLOSING:
            part, position = _firsts_alternatives(pieces, position + 1)
            if piece == "[":
                part = part | _Firsts(nullable=True)
        else:
            part = _firsts_word(piece)
        if nullable:
            found = found | _Firsts(part.words, part.prefixes, part.anything)
            nullable = part.nullable
        position += 1
    return found | _Firsts(nullable=nullable), position


def _firsts_word(piece: str) -> _Firsts:
    if piece.startswith("...") or piece == "$":
        return _Firsts(nullable=True)
    if piece.startswith("<"):
        return _firsts(WORDS[piece[1:-1]])
    if piece == "#":
        return _Firsts(anything=True)
    if piece.endswith("*"):
        return _Firsts(prefixes=frozenset([squeeze(piece[:-1].lower())]))
    return _Firsts(words=frozenset([squeeze(piece.lower())]))
