"""Typed model of a flow file. Built only by `flows.loader`, which has already validated everything."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import timedelta

from flows.expr import Expr

FORMAT_VERSION = 1

# Texts are always resolved per language: {"en": "...", "cy": "..."}.
Text = dict[str, str]


class Audience(enum.StrEnum):
    PARENT = "parent"
    YOUNG_PERSON = "young_person"
    ANY = "any"


class StepType(enum.StrEnum):
    MESSAGE = "message"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    SCALE = "scale"
    YES_NO = "yes_no"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


class Special(enum.StrEnum):
    """Answers that are not a value. The first three are what a person may say when a step allows it."""

    SKIP = "skip"
    DONT_KNOW = "dont_know"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"
    # Recorded by the engine, never typed: the step was skipped after too many replies that didn't fit.
    NO_VALID_ANSWER = "no_valid_answer"


ALLOWABLE_SPECIALS = (Special.SKIP, Special.DONT_KNOW, Special.PREFER_NOT_TO_SAY)


@dataclass(frozen=True)
class Option:
    """One answer of a choice or multi_choice step; `value` is what is stored and what conditions compare."""

    value: str
    label: Text
    # Extra words that mean this option, per language ("a bit" -> "partly").
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    emoji: str | None = None
    # multi_choice: an answer that stands alone ("None of these"); with another option, ask again.
    exclusive: bool = False


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: Text  # every point has words; an emoji alone is never enough
    emoji: str | None = None


@dataclass(frozen=True)
class Route:
    """`go` to a step id (or END) when `condition` holds; no condition means always."""

    go: str
    condition: Expr | None = None
    source: str | None = None  # the condition as written, for diagrams and errors


END = "end"


@dataclass(frozen=True)
class Step:
    id: str
    type: StepType
    text: Text  # `ask` for questions, `say` for messages
    line: int = 0
    allow: frozenset[Special] = frozenset()
    next: tuple[Route, ...] = ()
    help: Text | None = None
    # choice / multi_choice
    options: tuple[Option, ...] = ()
    min_choices: int = 1
    max_choices: int | None = None
    # scale
    points: tuple[ScalePoint, ...] = ()
    # yes_no: optional relabelling, e.g. {"yes": {"en": "Yes, please"}}
    yes_label: Text | None = None
    no_label: Text | None = None
    # yes_no: "Can we ask you some questions?", asked before "who is answering?" (who_answered)
    gate: bool = False
    # text
    max_length: int = 500
    # number
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = True

    @property
    def is_question(self) -> bool:
        return self.type is not StepType.MESSAGE

    @property
    def scale_min(self) -> int:
        return self.points[0].value

    @property
    def scale_max(self) -> int:
        return self.points[-1].value


@dataclass(frozen=True)
class Flow:
    id: str
    version: int  # the flow's own revision, stored with every conversation
    title: str
    audience: Audience
    languages: tuple[str, ...]
    steps: tuple[Step, ...]
    start_keyword: str | None = None
    expires_after: timedelta = timedelta(days=3)
    max_reprompts: int = 2
    description: str = ""
    variables: frozenset[str] = (
        frozenset()
    )  # context variables the flow may use beyond the standard ones
    source: str = ""  # file the flow came from
    help: Text | None = None  # flow-wide help, shown on HELP when the step has none
    translation_review: tuple[
        str, ...
    ] = ()  # languages whose texts await a fluent speaker's review
    # Sent only to people who answered before, who have had the privacy notice already.
    returning_only: bool = False
    # `who_answered: ask`: the engine's own "who is answering?" question (flows.who_answered),
    # asked once before the first question; not one of `steps`, so no report counts it as one.
    who_answered: Step | None = None
    who_answered_set: bool = False  # the file says `ask` or `off`; the lint asks for one

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def step(self, step_id: str) -> Step:
        return self._index[step_id]

    def has_step(self, step_id: str) -> bool:
        return step_id in self._index

    def position(self, step_id: str) -> int:
        return self._positions[step_id]

    def __post_init__(self) -> None:
        index = {s.id: s for s in self.steps}
        if self.who_answered is not None:
            index[self.who_answered.id] = self.who_answered
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_positions", {s.id: i for i, s in enumerate(self.steps)})

    _index: dict[str, Step] = field(init=False, repr=False, compare=False)
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)


# Variables every conversation's context may carry; a flow declares any others it needs in `variables`.
STANDARD_VARIABLES = frozenset(
    {"first_name", "event_name", "event_date", "council_name", "service_name", "contact_details"}
)
