"""What a flow costs by SMS: every text it can send, filled with long real-world names, against a
budget of segments (each one is paid for, and a council texts thousands of families)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flows import engine
from flows.lint.graph import edges
from flows.lint.paths import default_next
from flows.messages import VARIABLE_DEFAULTS, say
from flows.outcome import Prompt, PromptKind
from flows.render import render_sms
from flows.schema import END, Audience, Flow, StepType
from flows.texts import fill

# Segments each kind of text may cost.
BUDGET = {
    "first message": 2,  # the privacy notice, the introduction and the first question
    "question": 1,
    "next": 2,  # what one answer brings: any messages, then the next question
    "help": 2,
    "re-ask": 1,
    "reminder": 2,
    "reply": 2,  # the service's own replies: HELP outside a flow, STOP, START, the fallback
    "privacy": 3,  # the full privacy notice, asked for with PRIVACY
}

# Long but real: a 40-character council, a 50-character event, a long first name.
LONG_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "council_name": "London Borough of Hammersmith and Fulham",
        "service_name": "SEND team",
        "event_name": "Preparing for Adulthood: moving on to college talk",
        "first_name": "Oluwaseyifunmi",
        "contact_details": "call 01234 567890 or email send@example.gov.uk",
        "event_date": "14 March",
        "actions_summary": (
            "We moved the coffee mornings to after school drop-off and now send the slides a "
            "week before."
        ),
    },
    "cy": {
        "council_name": "Cyngor Bwrdeistref Sirol Rhondda Cynon Taf",
        "service_name": "Tim AAA",
        "event_name": "Gweithdy Paratoi at Fod yn Oedolyn: symud i goleg",
        "first_name": "Oluwaseyifunmi",
        "contact_details": "ffoniwch 01234 567890 neu e-bostiwch aaa@example.gov.uk",
        "event_date": "14 Mawrth",
        "actions_summary": (
            "Rydyn ni wedi symud y boreau coffi i ar ol y daith i'r ysgol ac yn anfon y "
            "sleidiau wythnos ymlaen llaw."
        ),
    },
}
_NOW = datetime(2026, 1, 1, tzinfo=UTC)
_UNREADABLE = "xq zv"


@dataclass(frozen=True)
class ServiceTexts:
    """What the service says around a flow, per language, as templates: `{council_name}` etc. are
    filled with the same names as the flow's texts. Empty mappings are simply not checked."""

    # The council's own names per language, checked beside the long ones.
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    notice: Mapping[str, str] = field(default_factory=dict)  # first contact, before anything else
    unavailable: Mapping[str, str] = field(default_factory=dict)  # "only in English"
    reminder: Mapping[str, str] = field(default_factory=dict)  # before the question again
    # Replies outside any flow, by the name an officer would look for (a keyword or a setting).
    replies: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Sent:
    """One text a flow can send, as the phone receives it."""

    kind: str  # a key of BUDGET
    step_id: str | None
    field: str
    language: str
    names: str  # "default names" or "long names"
    text: str
    segments: int
    encoding: str

    @property
    def budget(self) -> int:
        return BUDGET[self.kind]

    @property
    def over(self) -> bool:
        return self.segments > self.budget


def by_sms(flow: Flow) -> bool:
    return flow.audience in (Audience.PARENT, Audience.ANY)


def _fill(template: str, language: str, values: Mapping[str, str]) -> str:
    return fill(template, {**VARIABLE_DEFAULTS.get(language, {}), **values})


def _info(text: str, language: str) -> Prompt:
    return Prompt(kind=PromptKind.INFO, text=text, language=language)


def _sent(
    kind: str,
    prompts: list[Prompt],
    *,
    step_id: str | None,
    field: str,
    language: str,
    names: str,
    first: bool = False,
) -> Sent:
    messages = render_sms(prompts, opt_out_notice=first)
    text = "\n".join(m.text for m in messages)
    encoding = "UCS-2" if any(m.segments.encoding == "UCS-2" for m in messages) else "GSM-7"
    segments = sum(m.segments.segments for m in messages)
    return Sent(kind, step_id, field, language, names, text, segments, encoding)


def name_sets(language: str, service: ServiceTexts | None = None) -> dict[str, dict[str, str]]:
    own = dict((service.names if service else {}).get(language, {}))
    return {"default names": own, "long names": LONG_NAMES.get(language, LONG_NAMES["en"])}


def sendable(flow: Flow, service: ServiceTexts | None = None) -> Iterator[Sent]:
    """Every text the flow can send by SMS, in each of its languages, with default and long names."""
    service = service or ServiceTexts()
    for lang in flow.languages:
        for names, values in name_sets(lang, service).items():
            yield from _in_language(flow, service, lang, names, values)
    for lang, template in service.unavailable.items():
        if lang in flow.languages:
            continue
        # A reader of `lang` is told in `lang` that the questions are in the flow's own language,
        # which the notice and everything after it are written in.
        flow_lang = flow.default_language
        for names, values in name_sets(flow_lang, service).items():
            start = engine.start(flow, values, _NOW, flow_lang)
            notice = None if flow.returning_only else service.notice.get(flow_lang)
            lead = [_info(_fill(template, lang, values), lang)]
            if notice:
                lead.append(_info(_fill(notice, flow_lang, values), flow_lang))
            yield _sent(
                "first message",
                [*lead, *start.prompts],
                step_id=flow.steps[0].id,
                field=f"first message to a '{lang}' reader",
                language=lang,
                names=names,
                first=True,
            )


def _in_language(
    flow: Flow, service: ServiceTexts, lang: str, names: str, values: Mapping[str, str]
) -> Iterator[Sent]:
    start = engine.start(flow, values, _NOW, lang)
    notice = None if flow.returning_only else service.notice.get(lang)
    lead = [_info(_fill(notice, lang, values), lang)] if notice else []
    yield _sent(
        "first message",
        [*lead, *start.prompts],
        step_id=flow.steps[0].id,
        field="first message" + (" with the privacy notice" if notice else ""),
        first=True,
        language=lang,
        names=names,
    )
    for step in flow.steps:
        if not step.is_question:
            continue
        field = f"ask.{lang}"
        question = engine.preview(flow, step.id, lang, values)
        yield _sent(
            "question", [question], step_id=step.id, field=field, language=lang, names=names
        )
        state = engine.at_question(flow, step.id, lang, values)
        helped = engine.step(flow, state, "help", _NOW)
        yield _sent(
            "help", list(helped.prompts), step_id=step.id, field="HELP", language=lang, names=names
        )
        if step.type is not StepType.TEXT:
            reasked = engine.step(flow, state, _UNREADABLE, _NOW)
            if any(p.kind is PromptKind.REPROMPT for p in reasked.prompts):
                yield _sent(
                    "re-ask",
                    list(reasked.prompts),
                    step_id=step.id,
                    field=field,
                    language=lang,
                    names=names,
                )
        for target, prompts in _after(flow, step.id, lang, values):
            yield _sent(
                "next",
                prompts,
                step_id=step.id,
                field=f"next -> {target}",
                language=lang,
                names=names,
            )
        reminder = service.reminder.get(lang)
        if reminder:
            again = engine.resume(flow, state, _NOW)
            yield _sent(
                "reminder",
                [_info(_fill(reminder, lang, values), lang), *again.prompts],
                step_id=step.id,
                field="reminder",
                language=lang,
                names=names,
            )
    for key, texts in service.replies.items():
        if lang in texts:
            text = _fill(texts[lang], lang, values)
            kind = "privacy" if key == "PRIVACY" else "reply"
            yield _sent(
                kind, [_info(text, lang)], step_id=None, field=key, language=lang, names=names
            )


def _after(
    flow: Flow, step_id: str, lang: str, values: Mapping[str, str]
) -> Iterator[tuple[str, list[Prompt]]]:
    """What answering `step_id` can bring, by where the answer leads."""
    for target in edges(flow, flow.step(step_id)):
        yield target, turn_prompts(flow, _until_question(flow, target), lang, values)


def _until_question(flow: Flow, step_id: str) -> list[str]:
    """Message steps from `step_id` along their default routes, up to and with the next question."""
    out: list[str] = []
    current: str | None = step_id
    while current is not None and flow.has_step(current) and current not in out:
        out.append(current)
        if flow.step(current).is_question:
            break
        current = default_next(flow, current)
    return out


def turn_prompts(
    flow: Flow, step_ids: list[str], lang: str, values: Mapping[str, str]
) -> list[Prompt]:
    """The prompts of one turn: message steps, then a question; or the goodbye when none is left."""
    prompts = [engine.preview(flow, s, lang, values) for s in step_ids if s != END]
    if not prompts:  # the engine thanks the person itself when the flow ends on a question
        prompts.append(Prompt(kind=PromptKind.GOODBYE, text=say(lang, "done"), language=lang))
    return prompts
