"""The conversation engine: pure functions from (flow, state, reply, now) to an Outcome.

No I/O, no clock, no randomness: the same inputs always give the same outcome, on every channel.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from flows import expr
from flows.messages import VARIABLE_DEFAULTS, reply_instruction, say, template
from flows.outcome import (
    Event,
    Outcome,
    Prompt,
    PromptKind,
    PromptOption,
    RecordedAnswer,
    Reply,
    Status,
)
from flows.reading.answers import Interpretation, interpret
from flows.reading.commands import Command, parse_command
from flows.reading.interpretation import WHY_EXCLUSIVE
from flows.reading.yesno import NO_KEY, YES_KEY
from flows.schema import END, Flow, Special, Step, StepType
from flows.state import State
from flows.texts import fill
from flows.who_answered import STEP_ID as WHO_STEP
from flows.who_answered import recorded as who_recorded

YES_NO_DEFAULTS = {"en": ("Yes", "No"), "cy": ("Ie", "Na")}


class _Run:
    """Accumulates one call's prompts, answers and events."""

    def __init__(
        self, flow: Flow, state: State, now: datetime, personal: Mapping[str, str] | None = None
    ) -> None:
        self.flow = flow
        self.state = state
        self.now = now
        self.personal: Mapping[str, str] = personal or {}
        self.prompts: list[Prompt] = []
        self.answers: list[RecordedAnswer] = []
        self.events: list[Event] = []
        self.retracted: list[str] = []
        self.answered_by: str | None = None

    @property
    def lang(self) -> str:
        return self.state.language

    def info(self, key: str, kind: PromptKind = PromptKind.INFO) -> None:
        self.prompts.append(Prompt(kind=kind, text=say(self.lang, key), language=self.lang))

    def outcome(self) -> Outcome:
        active = self.state.status is Status.ACTIVE
        if active:
            self.state.expires_at = self.now + self.flow.expires_after
        return Outcome(
            state=self.state.to_dict(),
            status=self.state.status,
            prompts=tuple(self.prompts),
            answers=tuple(self.answers),
            events=tuple(self.events),
            retracted=tuple(self.retracted),
            wake_at=self.state.expires_at if active else None,
            answered_by=self.answered_by,
        )

    # -- asking

    def variables(self) -> Mapping[str, str]:
        # Personal values come first and are looked up only when a text names them: the caller
        # may decrypt on demand, and they never reach the state the caller stores.
        context = {k: v for k, v in self.state.context.items() if v}
        # A value in the conversation's language ("event_name_cy") wins over the plain one.
        suffix = f"_{self.lang}"
        local = {k[: -len(suffix)]: v for k, v in context.items() if k.endswith(suffix)}
        return _Layers(self.personal, local, context, VARIABLE_DEFAULTS.get(self.lang, {}))

    def text(self, texts: Mapping[str, str]) -> str:
        raw = (
            texts.get(self.lang)
            or texts.get(self.flow.default_language)
            or next(iter(texts.values()))
        )
        return fill(raw, self.variables())

    def question(self, step: Step, kind: PromptKind) -> Prompt:
        return Prompt(
            kind=kind,
            text=self.text(step.text),
            step_id=step.id,
            step_type=step.type,
            options=self.options(step),
            multi=step.type is StepType.MULTI_CHOICE,
            specials=tuple(
                s
                for s in (Special.SKIP, Special.DONT_KNOW, Special.PREFER_NOT_TO_SAY)
                if s in step.allow
            ),
            seq=self.state.seq,
            language=self.lang,
        )

    def options(self, step: Step) -> tuple[PromptOption, ...]:
        if step.type in (StepType.CHOICE, StepType.MULTI_CHOICE):
            return tuple(
                PromptOption(str(i), o.value, self.text(o.label), o.emoji)
                for i, o in enumerate(step.options, start=1)
            )
        if step.type is StepType.SCALE:
            return tuple(
                PromptOption(str(p.value), str(p.value), self.text(p.label), p.emoji)
                for p in step.points
            )
        if step.type is StepType.YES_NO:
            yes, no = YES_NO_DEFAULTS.get(self.lang, YES_NO_DEFAULTS["en"])
            return (
                PromptOption("1", "yes", self.text(step.yes_label) if step.yes_label else yes),
                PromptOption("2", "no", self.text(step.no_label) if step.no_label else no),
            )
        return ()

    def reprompt(self, step: Step, result: Interpretation) -> None:
        if result.why == WHY_EXCLUSIVE:
            alone = next((o for o in step.options if o.exclusive), None)
            label = self.text(alone.label) if alone else ""
            lead = f"{say(self.lang, 'sorry')} {say(self.lang, result.why, label=label)}"
        elif result.why is not None:
            lead = say(self.lang, result.why)
        elif result.problem == "special_not_allowed":
            lead = say(self.lang, "needs_answer")
        elif result.problem == "too_many" and step.max_choices is None:
            lead = say(self.lang, "choose_one")  # a single choice named two answers
        elif result.problem in ("too_many", "too_few"):
            n = step.max_choices if result.problem == "too_many" else step.min_choices
            lead = say(self.lang, result.problem, n=n) + "."
        else:
            lead = say(self.lang, "sorry")
        lo, hi = _bounds(step)
        hint = reply_instruction(
            self.lang, step.type, n_options=len(step.options), lo=lo, hi=hi, specials=step.allow
        )
        question = self.question(step, PromptKind.REPROMPT)
        self.prompts.append(replace(question, text=f"{lead} {hint}"))

    # -- moving

    def enter(self, step_id: str | None) -> None:
        """Walk from `step_id`: say message steps, stop at the next question or finish."""
        guard = 0
        while step_id is not None and step_id != END:
            guard += 1
            if guard > 2 * len(self.flow.steps) + 2 or not self.flow.has_step(step_id):
                break  # a loop of messages (the linter warns) or a step gone from a newer flow
            step = self.flow.step(step_id)
            who = self.flow.who_answered
            if (
                step.is_question
                and not step.gate  # "can we ask?" comes first: who answers once they agree
                and who is not None
                and WHO_STEP not in self.state.values
                # a conversation begun before the flow asked it has answered a question already
                and all(self.flow.has_step(s) and self.flow.step(s).gate for s in self.state.path)
            ):
                # Before the first question, whichever route led there; then on to that question.
                self.state.after_who = step.id
                step = who
            if step.is_question:
                self.state.step = step.id
                self.state.seq += 1
                self.state.reprompts = 0
                self.prompts.append(self.question(step, PromptKind.QUESTION))
                return
            self.prompts.append(
                Prompt(
                    kind=PromptKind.MESSAGE,
                    text=self.text(step.text),
                    step_id=step.id,
                    step_type=step.type,
                    language=self.lang,
                )
            )
            step_id = self.next_of(step)
        self.finish()

    def finish(self) -> None:
        self.state.step = None
        self.state.status = Status.COMPLETED
        self.state.expires_at = None
        self.events.append(Event.COMPLETED)
        if not self.prompts or self.prompts[-1].kind is not PromptKind.MESSAGE:
            self.info("done", PromptKind.GOODBYE)

    def next_of(self, step: Step) -> str | None:
        if step.id == WHO_STEP:
            return self.state.after_who
        for route in step.next:
            if route.condition is None or expr.evaluate(
                route.condition, self.state.values, self.state.specials
            ):
                return route.go
        position = self.flow.position(step.id)
        return self.flow.steps[position + 1].id if position + 1 < len(self.flow.steps) else None

    def record(self, step: Step, value: Any, special: Special | None, raw: str | None) -> None:
        self.state.values[step.id] = value
        self.state.specials[step.id] = special.value if special else None
        if step.id not in self.state.path:
            self.state.path.append(step.id)
        if step.id == WHO_STEP:
            # One value per conversation, kept apart from the flow's own answers.
            self.answered_by = who_recorded(value, special)
            return
        self.answers.append(RecordedAnswer(step.id, value, special, raw))


class _Layers(Mapping[str, str]):
    """The first layer that has a key answers for it; a layer is asked only when a key is wanted."""

    def __init__(self, *layers: Mapping[str, str]) -> None:
        self._layers = layers

    def __getitem__(self, key: str) -> str:
        for layer in self._layers:
            if key in layer:
                return layer[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter({k: None for layer in self._layers for k in layer})

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _bounds(step: Step) -> tuple[float | None, float | None]:
    if step.type is StepType.SCALE:
        return step.scale_min, step.scale_max
    if step.type is StepType.NUMBER:
        return step.minimum, step.maximum
    return None, None


def start(
    flow: Flow,
    context: Mapping[str, str],
    now: datetime,
    language: str | None = None,
    *,
    personal: Mapping[str, str] | None = None,
) -> Outcome:
    """`context` is kept in the state; `personal` (a person's name) fills texts and is not kept:
    pass it again to each `step` and `resume`. Keys it lacks fall back to `context`, then defaults."""
    lang = language if language in flow.languages else flow.default_language
    state = State(
        flow_id=flow.id,
        flow_version=flow.version,
        language=lang or "en",
        context={str(k): str(v) for k, v in context.items()},
    )
    run = _Run(flow, state, now, personal)
    run.enter(flow.steps[0].id)
    return run.outcome()


def step(
    flow: Flow,
    state_data: Mapping[str, Any],
    reply: Reply | str,
    now: datetime,
    *,
    personal: Mapping[str, str] | None = None,
) -> Outcome:
    state = State.from_dict(dict(state_data))
    run = _Run(flow, state, now, personal)
    if isinstance(reply, str):
        reply = Reply(reply)
    if state.status is not Status.ACTIVE:
        return run.outcome()
    if state.expires_at is not None and now >= state.expires_at:
        return _expire(run)
    current = state.step
    if current is None or not flow.has_step(current):
        run.finish()
        return run.outcome()
    question = flow.step(current)
    if reply.seq is not None and reply.seq != state.seq:
        run.events.append(Event.STALE_BUTTON)
        run.info("old_button")
        run.prompts.append(run.question(question, PromptKind.REPEAT))
        return run.outcome()
    if reply.seq is None:
        command = parse_command(reply.text, state.language)
        if command is not None:
            _command(run, command, question)
            return run.outcome()
    text = reply.text
    if reply.key is not None and question.type is StepType.YES_NO:
        # A button names its answer; only typed numbers are doubtful on a yes/no question.
        text = {YES_KEY: "yes", NO_KEY: "no"}.get(reply.key, text)
    result = interpret(question, text, state.language, now.date())
    if result.ok:
        run.record(question, result.value, result.special, reply.text)
        run.enter(run.next_of(question))
    elif state.reprompts >= flow.max_reprompts:
        run.events.append(Event.GAVE_UP_ON_STEP)
        run.record(question, None, Special.NO_VALID_ANSWER, reply.text)
        run.info("moving_on")
        run.enter(run.next_of(question))
    else:
        state.reprompts += 1
        run.events.append(Event.REPROMPTED)
        run.reprompt(question, result)
    return run.outcome()


def _command(run: _Run, command: Command, question: Step) -> None:
    state = run.state
    if command is Command.STOP:
        state.status = Status.STOPPED
        state.step = None
        state.expires_at = None
        run.events.append(Event.OPTED_OUT)
    elif command is Command.HELP:
        run.events.append(Event.HELP_REQUESTED)
        texts = question.help or run.flow.help
        explained = run.text(texts) if texts else ""
        if explained:
            run.prompts.append(
                Prompt(
                    kind=PromptKind.HELP,
                    text=explained,
                    step_id=question.id if question.help else None,
                    language=run.lang,
                )
            )
        # A person to talk to, unless the help already named one; then how to go on.
        contact = run.variables().get("contact_details", "")
        lines = [] if contact and contact in explained else [template(run.lang, "help_contact")]
        lines.append(template(run.lang, "help"))
        text = fill(" ".join(lines), run.variables())
        run.prompts.append(Prompt(kind=PromptKind.HELP, text=text, language=run.lang))
        run.prompts.append(run.question(question, PromptKind.REPEAT))
    elif command is Command.REPEAT:
        run.events.append(Event.REPEATED)
        run.prompts.append(run.question(question, PromptKind.REPEAT))
    elif command is Command.BACK:
        if not state.path:
            run.info("first_question")
            run.prompts.append(run.question(question, PromptKind.REPEAT))
            return
        previous = state.path.pop()
        state.values.pop(previous, None)
        state.specials.pop(previous, None)
        run.retracted.append(previous)
        run.events.append(Event.WENT_BACK)
        state.step = previous
        state.seq += 1
        state.reprompts = 0
        run.prompts.append(run.question(run.flow.step(previous), PromptKind.REPEAT))
    else:  # RESTART
        run.retracted.extend(state.path)
        state.path.clear()
        state.values.clear()
        state.specials.clear()
        run.events.append(Event.RESTARTED)
        run.info("restarting")
        run.enter(run.flow.steps[0].id)


def _expire(run: _Run) -> Outcome:
    # The waiting question is kept, so a reminder can reopen the conversation where it stopped.
    run.state.status = Status.EXPIRED
    run.state.expires_at = None
    run.events.append(Event.EXPIRED)
    return run.outcome()


def resume(
    flow: Flow,
    state_data: Mapping[str, Any],
    now: datetime,
    *,
    personal: Mapping[str, str] | None = None,
) -> Outcome:
    """A reminder: reopen an unfinished conversation (even an expired one) at its current question."""
    state = State.from_dict(dict(state_data))
    run = _Run(flow, state, now, personal)
    if state.status not in (Status.ACTIVE, Status.EXPIRED) or state.step is None:
        return Outcome(state=state.to_dict(), status=state.status)
    if not flow.has_step(state.step):
        run.finish()
        return run.outcome()
    state.status = Status.ACTIVE
    run.prompts.append(run.question(flow.step(state.step), PromptKind.REPEAT))
    return run.outcome()


def timeout(flow: Flow, state_data: Mapping[str, Any], now: datetime) -> Outcome:
    """Call at `wake_at`: expires the conversation if it is due, otherwise changes nothing."""
    state = State.from_dict(dict(state_data))
    run = _Run(flow, state, now)
    if state.status is Status.ACTIVE and state.expires_at is not None and now >= state.expires_at:
        return _expire(run)
    return Outcome(
        state=state.to_dict(),
        status=state.status,
        wake_at=state.expires_at if state.status is Status.ACTIVE else None,
    )


def at_question(
    flow: Flow, step_id: str, language: str, context: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A state waiting at `step_id`, as if it had just been asked: for linting what a reply brings."""
    state = State(
        flow_id=flow.id,
        flow_version=flow.version,
        language=language,
        context=dict(context or {}),
        step=step_id,
        seq=1,
    )
    return state.to_dict()


def preview(
    flow: Flow, step_id: str, language: str, context: Mapping[str, str] | None = None
) -> Prompt:
    """The prompt a step shows when first asked, for linting, diagrams and documentation."""
    state = State(
        flow_id=flow.id, flow_version=flow.version, language=language, context=dict(context or {})
    )
    run = _Run(flow, state, datetime.min)
    step_ = flow.step(step_id)
    if step_.is_question:
        return run.question(step_, PromptKind.QUESTION)
    return Prompt(
        kind=PromptKind.MESSAGE,
        text=run.text(step_.text),
        step_id=step_.id,
        step_type=step_.type,
        language=language,
    )
