"""Structured prompts -> what a channel sends: numbered GSM-7 text for SMS, buttons for chat."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from flows.gsm import SegmentInfo, count_segments, to_gsm7
from flows.outcome import Prompt, PromptKind, PromptOption
from flows.reading.yesno import PLAIN_NO, PLAIN_YES
from flows.schema import ALLOWABLE_SPECIALS, Special, StepType

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "reply_number": "Reply with a number.",
        "reply_numbers": "Reply with all the numbers that apply, e.g. 1,3.",
        "reply_yes_no": "Reply {yes} or {no}.",
        "or": "Or",
        "skip_word": "SKIP",
        "dont_know_word": "DON'T KNOW",
        "prefer_not_to_say_word": "RATHER NOT SAY",
        "opt_out": "Reply STOP to opt out.",
        "type_numbers": "Type the numbers, e.g. 1,3",
        "skip": "Skip",
        "dont_know": "Don't know",
        "prefer_not_to_say": "Prefer not to say",
    },
    "cy": {
        "reply_number": "Atebwch gyda rhif.",
        "reply_numbers": "Atebwch gyda'r holl rifau sy'n berthnasol, e.e. 1,3.",
        "reply_yes_no": "Atebwch {yes} neu {no}.",
        "or": "Neu",
        "skip_word": "SGIP",
        "dont_know_word": "DDIM YN GWYBOD",
        "prefer_not_to_say_word": "GWELL PEIDIO",
        "opt_out": "Atebwch STOP i optio allan.",
        "type_numbers": "Teipiwch y rhifau, e.e. 1,3",
        "skip": "Sgipio",
        "dont_know": "Ddim yn gwybod",
        "prefer_not_to_say": "Gwell peidio dweud",
    },
}
# Labels that say nothing beyond yes or no, so "Reply YES or NO." is all a reader needs.
_PLAIN_YES, _PLAIN_NO = PLAIN_YES, PLAIN_NO  # the reader takes "1" only when numbers are shown

_ASKING = (PromptKind.QUESTION, PromptKind.REPEAT)
_BUTTON_STEPS = (StepType.CHOICE, StepType.SCALE, StepType.YES_NO)
_MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback_data
# A row on a narrow phone holds about this much text before Telegram truncates labels.
_ROW_MAX_BUTTONS = 5
_ROW_MAX_LABEL = 12
_ROW_MAX_TOTAL = 30


def strings(language: str) -> dict[str, str]:
    base = re.split(r"[-_]", language, maxsplit=1)[0].lower()
    return STRINGS.get(base, STRINGS["en"])


def _is_multi(prompt: Prompt) -> bool:
    return prompt.multi or prompt.step_type is StepType.MULTI_CHOICE


def _numbered(options: Sequence[PromptOption]) -> list[str]:
    return [f"{o.key} {o.label}" for o in options]


# --- SMS --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsMessage:
    text: str
    segments: SegmentInfo


def _plain_yes_no(options: Sequence[PromptOption]) -> bool:
    def word(label: str) -> str:
        return re.sub(r"[^\w' ]", "", label).strip().casefold()

    return (
        len(options) == 2
        and word(options[0].label) in _PLAIN_YES
        and word(options[1].label) in _PLAIN_NO
    )


def _sms_question(prompt: Prompt, words: dict[str, str]) -> str:
    lines = [prompt.text.strip()]
    instruction = ""
    if prompt.step_type is StepType.YES_NO and _plain_yes_no(prompt.options):
        yes, no = (o.label.strip(" .!").upper() for o in prompt.options)
        instruction = words["reply_yes_no"].format(yes=yes, no=no)
    elif prompt.options and (_is_multi(prompt) or prompt.step_type in _BUTTON_STEPS):
        lines += _numbered(prompt.options)
        instruction = words["reply_numbers" if _is_multi(prompt) else "reply_number"]
    way_out = _way_out(prompt.specials, words)
    if instruction:
        lines.append(f"{instruction} {way_out}".rstrip())
    elif way_out:
        lines[-1] = f"{lines[-1]} {way_out}"
    return "\n".join(lines)


def _way_out(specials: Sequence[Special], words: dict[str, str]) -> str:
    """Every special the question allows, by name: "Or SKIP, or DON'T KNOW." """
    named = [words[f"{s.value}_word"] for s in ALLOWABLE_SPECIALS if s in specials]
    if not named:
        return ""
    joiner = f", {words['or'].lower()} "
    return f"{words['or']} {joiner.join(named)}."


def _sms_paragraph(prompt: Prompt, words: dict[str, str]) -> str:
    if prompt.kind in _ASKING:
        return _sms_question(prompt, words)
    if prompt.kind is PromptKind.REPROMPT and prompt.hint:
        return f"{prompt.text.strip()}\n{prompt.hint.strip()}"
    return prompt.text.strip()


# Coarsest first: paragraphs, lines, sentences, words. Each pattern captures the separator it drops.
_SPLIT_LEVELS = (
    re.compile(r"(\n[^\S\n]*\n\s*)"),
    re.compile(r"(\n\s*)"),
    re.compile(r"(?<=[.!?])(\s+)"),
    re.compile(r"(\s+)"),
)


def _split_chars(text: str, fits: Callable[[str], bool]) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in text:
        if current and not fits(current + char):
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def _split(text: str, fits: Callable[[str], bool], level: int = 0) -> list[str]:
    if fits(text):
        return [text]
    if level == len(_SPLIT_LEVELS):
        return _split_chars(text, fits)
    parts = _SPLIT_LEVELS[level].split(text)
    pieces: list[str] = []
    current = parts[0]
    for separator, chunk in zip(parts[1::2], parts[2::2], strict=True):
        if fits(current + separator + chunk):
            current += separator + chunk
        else:
            pieces += _split(current, fits, level + 1)
            current = chunk
    return pieces + _split(current, fits, level + 1)


def render_sms(
    prompts: Sequence[Prompt], *, opt_out_notice: bool = False, max_segments: int = 4
) -> list[SmsMessage]:
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    if not prompts:
        return []
    if any(p.kind is PromptKind.HELP for p in prompts):
        # The question is in the text just before, and REPEAT sends it again: leaving it out
        # keeps a reply to HELP to two segments. Chat shows it again, with its buttons.
        prompts = [p for p in prompts if p.kind is not PromptKind.REPEAT]
    # One text per outcome: separate SMS can arrive out of order.
    text = "\n\n".join(p for p in (_sms_paragraph(p, strings(p.language)) for p in prompts) if p)
    if opt_out_notice:
        notice = strings(prompts[-1].language)["opt_out"]
        text = f"{text}\n{notice}" if text else notice
    text = to_gsm7(text)

    def fits(piece: str) -> bool:
        return count_segments(piece).segments <= max_segments

    pieces = (piece.strip() for piece in _split(text, fits))
    return [SmsMessage(piece, count_segments(piece)) for piece in pieces if piece]


# --- chat -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChatButton:
    text: str
    data: str  # callback data: f"a:{seq}:{key}", at most 64 bytes of UTF-8


@dataclass(frozen=True)
class ChatMessage:
    text: str
    buttons: tuple[tuple[ChatButton, ...], ...] = ()  # rows


_MAX_SEQ = 10**18  # fits a signed 64-bit column and leaves 42 bytes for the key
_CALLBACK = re.compile(r"a:(0|[1-9][0-9]{0,17}):(\S(?:.*\S)?)", re.ASCII | re.DOTALL)


def callback_data(seq: int, key: str) -> str:
    if not 0 <= seq < _MAX_SEQ:
        raise ValueError(f"seq out of range: {seq}")
    prefix = f"a:{seq}:"
    room = _MAX_CALLBACK_BYTES - len(prefix)
    # Keys are short by design; a cut key simply won't match an option and is re-asked.
    return prefix + key.encode()[:room].decode(errors="ignore")


def parse_callback_data(data: str | None) -> tuple[int, str] | None:
    # Telegram's CallbackQuery.data may be None; treat everything as forged until it parses.
    if data is None:
        return None
    try:
        if len(data.encode()) > _MAX_CALLBACK_BYTES:
            return None
    except UnicodeEncodeError:
        return None
    match = _CALLBACK.fullmatch(data)
    if match is None or not match[2].isprintable():
        return None
    return int(match[1]), match[2]


def _layout(buttons: list[ChatButton], one_row: bool) -> tuple[tuple[ChatButton, ...], ...]:
    lengths = [len(b.text) for b in buttons]
    if (
        one_row
        and len(buttons) <= _ROW_MAX_BUTTONS
        and max(lengths, default=0) <= _ROW_MAX_LABEL
        and sum(lengths) <= _ROW_MAX_TOTAL
    ):
        return (tuple(buttons),)
    return tuple((b,) for b in buttons)


def _chat_buttons(prompt: Prompt, with_options: bool) -> tuple[tuple[ChatButton, ...], ...]:
    rows: tuple[tuple[ChatButton, ...], ...] = ()
    if with_options:
        buttons = [
            ChatButton(
                f"{o.emoji} {o.label}" if o.emoji else o.label, callback_data(prompt.seq, o.key)
            )
            for o in prompt.options
        ]
        rows = _layout(buttons, one_row=prompt.step_type is not StepType.CHOICE)
    words = strings(prompt.language)
    specials = [
        ChatButton(words[s.value], callback_data(prompt.seq, s.value))
        for s in ALLOWABLE_SPECIALS
        if s in prompt.specials
    ]
    return rows + _layout(specials, one_row=True) if specials else rows


def _chat_message(prompt: Prompt) -> ChatMessage:
    if prompt.kind not in (*_ASKING, PromptKind.REPROMPT):
        return ChatMessage(prompt.text)
    with_options = bool(prompt.options) and prompt.step_type in _BUTTON_STEPS
    text = prompt.text
    if prompt.kind is PromptKind.REPROMPT:
        if prompt.hint and not with_options:
            text = f"{text}\n{prompt.hint}"
    elif _is_multi(prompt) and prompt.options:
        lines = [text, *_numbered(prompt.options), strings(prompt.language)["type_numbers"]]
        text = "\n".join(lines)
    return ChatMessage(text, _chat_buttons(prompt, with_options))


def render_chat(prompts: Sequence[Prompt]) -> list[ChatMessage]:
    return [_chat_message(p) for p in prompts]


# --- both -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    body: str
    buttons: tuple[tuple[ChatButton, ...], ...] = ()
    segments: int = 1  # SMS segments; 1 for chat


def render(
    style: Literal["sms", "chat"], prompts: Sequence[Prompt], *, opt_out_notice: bool = False
) -> list[Rendered]:
    if style == "sms":
        sms = render_sms(prompts, opt_out_notice=opt_out_notice)
        return [Rendered(m.text, segments=m.segments.segments) for m in sms]
    return [Rendered(m.text, m.buttons) for m in render_chat(prompts)]
