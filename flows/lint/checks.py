"""Warnings about flows that validate but would serve people badly: costly SMS, hard words, dead ends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flows.gsm import non_gsm7_characters
from flows.lint import welsh
from flows.lint.budget import ServiceTexts, sendable
from flows.lint.emoji import emoji_alone
from flows.lint.graph import trapped_loops, unreachable
from flows.lint.readability import TARGET_READING_AGE, assess
from flows.schema import Audience, Flow, Step


@dataclass(frozen=True)
class LintWarning:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: warning: {self.message}"


def _texts(step: Step) -> list[tuple[str, str, str]]:
    """(field, language, text) for everything a person reads in this step."""
    key = "ask" if step.is_question else "say"
    out = [(f"{key}.{lang}", lang, text) for lang, text in step.text.items()]
    for i, option in enumerate(step.options):
        out += [(f"options[{i}].label.{lang}", lang, t) for lang, t in option.label.items()]
    for point in step.points:
        out += [(f"labels.{point.value}.{lang}", lang, t) for lang, t in point.label.items()]
    if step.help:
        out += [(f"help.{lang}", lang, t) for lang, t in step.help.items()]
    return out


def _emoji_checked(step: Step) -> list[tuple[str, str, str]]:
    """Every text a person reads in the step, with the yes/no labels that replace Yes and No."""
    out = _texts(step)
    for word, label in (("yes", step.yes_label), ("no", step.no_label)):
        out += [(f"labels.{word}.{lang}", lang, t) for lang, t in (label or {}).items()]
    return out


def lint(flow: Flow, service: ServiceTexts | None = None) -> list[LintWarning]:
    """`service`: the texts the service sends around a flow (notice, replies), checked with it."""
    warnings: list[LintWarning] = []

    def warn(step: Step | None, field: str, message: str) -> None:
        line = step.line if step else 1
        if step is not None and step is flow.who_answered:
            where = f"who_answered (the built-in question).{field}"
        else:
            where = f"steps[{flow.position(step.id)}] ({step.id}).{field}" if step else field
        warnings.append(LintWarning(flow.source, line, where, message))

    if not flow.who_answered_set:
        warn(
            None,
            "who_answered",
            "says nothing about who answered: add `who_answered: ask` so answers can be read "
            "by who gave them, or `who_answered: off` to say it is not wanted",
        )
    by_sms = flow.audience in (Audience.PARENT, Audience.ANY)
    built_in = (flow.who_answered,) if flow.who_answered is not None else ()
    for lang, text in (flow.help or {}).items():
        if lang == "cy":
            for problem in welsh.problems(text):
                warn(None, "help.cy", problem)
    for step in (*built_in, *flow.steps):
        for field, _lang, text in _emoji_checked(step):
            if emoji_alone(text):
                warn(step, field, f"{text!r} is an emoji alone: add words beside it")
        for field, lang, text in _texts(step):
            if lang == "cy":
                for problem in welsh.problems(text):
                    warn(step, field, problem)
        if by_sms:
            for field, _lang, text in _texts(step):
                bad = non_gsm7_characters(text)
                if bad:
                    shown = " ".join(repr(c) for c in bad)
                    warn(
                        step,
                        field,
                        f"leaves the GSM-7 alphabet ({shown}): the SMS is sent as UCS-2, "
                        "which fits only 70 characters per segment",
                    )
        if flow.audience is Audience.YOUNG_PERSON:
            for field, lang, text in _texts(step):
                if lang != "en":
                    continue  # the checks are tuned for English
                result = assess(text)
                for sentence in result.long_sentences:
                    warn(step, field, f"long sentence for a young person: {sentence!r}")
                if result.hard_words:
                    warn(
                        step,
                        field,
                        f"long or hard words for a young person: {', '.join(result.hard_words)}",
                    )
                if result.reading_age is not None and result.reading_age > TARGET_READING_AGE:
                    warn(
                        step,
                        field,
                        f"reading age about {result.reading_age:g}; aim for {TARGET_READING_AGE}",
                    )
    if by_sms:
        _sms_budget(flow, service, warn)
    for step in unreachable(flow):
        warn(step, "id", "no route leads to this step, so nobody will ever see it")
    for group in trapped_loops(flow):
        warn(
            flow.step(group[0]), "next", f"loop with no way out: {' -> '.join([*group, group[0]])}"
        )
    for lang in flow.translation_review:
        warnings.append(
            LintWarning(
                flow.source,
                1,
                "translation_review",
                f"the '{lang}' texts still need review by a fluent speaker",
            )
        )
    return warnings


def _sms_budget(
    flow: Flow, service: ServiceTexts | None, warn: Callable[[Step | None, str, str], None]
) -> None:
    """Every text the flow can send, with the council's names and with long ones, in budget."""
    seen: set[tuple[str | None, str, str]] = set()
    if flow.help:
        for lang, text in flow.help.items():
            bad = non_gsm7_characters(text)
            if bad:
                shown = " ".join(repr(c) for c in bad)
                warn(None, f"help.{lang}", f"leaves the GSM-7 alphabet ({shown}): sent as UCS-2")
                seen.add((None, "help", lang))
    for sent in sendable(flow, service):
        step = flow.step(sent.step_id) if sent.step_id and flow.has_step(sent.step_id) else None
        field = (
            sent.field if step or sent.kind != "reply" else f"{sent.field} (the service's reply)"
        )
        if sent.encoding == "UCS-2" and (sent.step_id, sent.field, sent.language) not in seen:
            seen.add((sent.step_id, sent.field, sent.language))
            shown = " ".join(repr(c) for c in non_gsm7_characters(sent.text))
            warn(step, field, f"'{sent.language}' text leaves GSM-7 ({shown}): sent as UCS-2")
        if sent.over:
            warn(
                step,
                field,
                f"{sent.kind} needs {sent.segments} SMS segments ({len(sent.text)} characters, "
                f"{sent.encoding}) in '{sent.language}' with {sent.names}; the budget is "
                f"{sent.budget}",
            )
