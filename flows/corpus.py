"""Scoring the reply reader against replies a person has labelled with what they mean.

Each reply goes through the real engine, at its question, as if it had just arrived, so what is
scored is what a family would get: a stored answer, or the question asked again. Pure: the caller
reads the labelled replies and supplies the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flows import engine
from flows.outcome import RecordedAnswer
from flows.schema import Flow
from flows.state import State

# What a corpus says when a careful person would ask again rather than store anything.
REASK = "REASK"
SPECIALS = ("skip", "dont_know", "prefer_not_to_say")


@dataclass(frozen=True)
class Labelled:
    step: str
    language: str
    reply: str
    expected: str  # a stored value as text, a special's name, or REASK


@dataclass(frozen=True)
class Reading:
    case: Labelled
    got: str

    @property
    def right(self) -> bool:
        return self.got == self.case.expected

    @property
    def confident_wrong(self) -> bool:
        """Something was stored, and it is not what the person meant (or they'd have asked)."""
        return not self.right and self.got != REASK

    @property
    def needless_reask(self) -> bool:
        """Asked again where a person would have stored an answer: costly, but nothing wrong kept."""
        return self.got == REASK and self.case.expected != REASK


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    confident_wrong: int = 0
    needless_reask: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class Score:
    readings: list[Reading] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # step id -> its answer type

    @property
    def overall(self) -> Tally:
        return _tally(self.readings)

    def by_step(self) -> dict[str, Tally]:
        steps: dict[str, list[Reading]] = {}
        for r in self.readings:
            steps.setdefault(r.case.step, []).append(r)
        return {step: _tally(rs) for step, rs in steps.items()}

    def by_type(self) -> dict[str, Tally]:
        """Per answer type, plus `special`: replies meant as skip, don't know or prefer not to say."""
        kinds: dict[str, list[Reading]] = {}
        for r in self.readings:
            kinds.setdefault(self.types.get(r.case.step, "?"), []).append(r)
            if r.case.expected in SPECIALS:
                kinds.setdefault("special", []).append(r)
        return {kind: _tally(rs) for kind, rs in kinds.items()}

    @property
    def misses(self) -> list[Reading]:
        return [r for r in self.readings if not r.right]


def _tally(readings: Iterable[Reading]) -> Tally:
    tally = Tally()
    for r in readings:
        tally.total += 1
        tally.right += r.right
        tally.confident_wrong += r.confident_wrong
        tally.needless_reask += r.needless_reask
    return tally


def parse_tsv(text: str) -> list[Labelled]:
    """`step<TAB>lang<TAB>reply<TAB>expected` lines under a header; no quoting."""
    cases = []
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise ValueError(f"line {number}: expected 4 tab-separated fields, got {len(fields)}")
        cases.append(Labelled(*fields))
    return cases


def read(flow: Flow, case: Labelled, now: datetime) -> str:
    """What the engine makes of one reply, in the corpus's words."""
    state = State(
        flow_id=flow.id,
        flow_version=flow.version,
        language=case.language,
        context={},
        step=case.step,
        seq=1,
    )
    outcome = engine.step(flow, state.to_dict(), case.reply, now)
    answers = [a for a in outcome.answers if a.step_id == case.step]
    return as_label(answers[0]) if answers else REASK


def as_label(answer: RecordedAnswer) -> str:
    if answer.special is not None:
        return answer.special.value
    return _value(answer.value)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


def score(flow: Flow, cases: Iterable[Labelled], now: datetime) -> Score:
    types = {s.id: s.type.value for s in flow.steps}
    return Score([Reading(case, read(flow, case, now)) for case in cases], types)


def report(result: Score, title: str = "", misses: bool = True) -> str:
    """Accuracy per question, per type and overall, then every miss, as plain text.

    "wrong accept" is an answer stored that a person would not store (the costly kind);
    "needless re-ask" is asking again where a person would have understood.
    """
    lines = [title] if title else []
    rows = [
        (f"{step} ({result.types.get(step, '?')})", tally)
        for step, tally in sorted(result.by_step().items())
    ]
    rows += [(f"type {kind}", tally) for kind, tally in sorted(result.by_type().items())]
    rows.append(("overall", result.overall))
    width = max(len(name) for name, _ in rows)
    for name, tally in rows:
        lines.append(
            f"{name:<{width}}  {tally.accuracy:.3f}  ({tally.right}/{tally.total}, "
            f"{tally.confident_wrong} wrong accept, {tally.needless_reask} needless re-ask)"
        )
    if misses and result.misses:
        lines.append("")
        lines.append("misses (step, lang, reply, expected, got; * = confident wrong):")
        for r in result.misses:
            mark = "*" if r.confident_wrong else " "
            c = r.case
            lines.append(f"{mark} {c.step}\t{c.language}\t{c.reply}\t{c.expected}\t{r.got}")
    return "\n".join(lines)
