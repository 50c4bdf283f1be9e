"""The built-in "who is answering?" question a flow asks when it sets `who_answered: ask`.

Who answered changes how the answers read (POET): a parent answering alone, with a support
worker beside them, or a friend answering for them are not the same voice. The question is
the engine's, not the flow file's, so every flow asks it in the same few words, and its answer
is kept apart from the flow's own answers: one value per conversation, never a question column.
"""

from __future__ import annotations

from flows.schema import Audience, Option, Special, Step, StepType, Text

STEP_ID = "answered_by"  # reserved: no flow may name a step this

SELF = "self"
WITH_HELP = "with_help"
FOR_THEM = "for_them"
UNKNOWN = "unknown"  # asked, and skipped or not understood
VALUES = (SELF, WITH_HELP, FOR_THEM)
RECORDED = (*VALUES, UNKNOWN)

# The setting's words in a flow file.
ASK = "ask"
OFF = "off"
SETTINGS = (ASK, OFF)

# Parents by SMS: third person, so it reads the same whoever holds the phone. GSM-7 only.
_PARENT_ASK: Text = {"en": "Who is answering?", "cy": "Pwy sy'n ateb?"}
_PARENT_LABELS: dict[str, Text] = {
    SELF: {"en": "Parent or carer", "cy": "Rhiant neu ofalwr"},
    WITH_HELP: {"en": "Parent or carer, with help", "cy": "Rhiant neu ofalwr, gyda help"},
    FOR_THEM: {"en": "Someone else, for them", "cy": "Rhywun arall, ar eu rhan"},
}
_PARENT_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    SELF: {
        "en": ("parent", "carer", "me", "myself", "just me", "mum", "dad"),
        "cy": ("rhiant", "gofalwr", "fi", "dim ond fi", "mam", "tad"),
    },
    WITH_HELP: {
        "en": ("with help", "helped", "help", "someone is helping", "me with help"),
        "cy": ("gyda help", "help", "helpu"),
    },
    FOR_THEM: {
        "en": ("someone else", "for them", "on behalf", "on their behalf", "for the parent"),
        "cy": ("rhywun arall", "ar eu rhan"),
    },
}

# Young people (and flows for anyone): second person, short everyday words, present tense,
# because it comes before any other question.
_YOUNG_ASK: Text = {
    "en": "Is anyone helping you answer?",
    "cy": "Oes rhywun yn dy helpu di i ateb?",
}
_YOUNG_LABELS: dict[str, Text] = {
    SELF: {"en": "No, just me", "cy": "Nac oes, dim ond fi"},
    WITH_HELP: {"en": "Yes, someone helps", "cy": "Oes, mae rhywun yn helpu"},
    FOR_THEM: {"en": "Someone answers for me", "cy": "Mae rhywun yn ateb drosta i"},
}
_YOUNG_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    SELF: {
        "en": ("no", "nope", "nah", "just me", "me", "myself", "on my own", "nobody", "no one"),
        "cy": ("nac oes", "na", "naddo", "fi", "dim ond fi", "neb"),
    },
    WITH_HELP: {
        "en": ("yes", "yeah", "yep", "helping", "helped", "someone helps", "with help"),
        "cy": ("oes", "ie", "do", "helpu", "gyda help"),
    },
    FOR_THEM: {
        "en": ("for me", "someone else", "answers for me", "answering for me"),
        "cy": ("drosta i", "rhywun arall"),
    },
}
_HELP: Text = {
    "en": "We ask so we read your answers right. Any answer is fine.",
    "cy": "Rydyn ni'n gofyn er mwyn darllen eich atebion yn iawn. Mae unrhyw ateb yn iawn.",
}


def question(audience: Audience, languages: tuple[str, ...]) -> Step:
    """The built-in question in the flow's languages, worded for its audience."""
    parent = audience is Audience.PARENT
    ask, labels, aliases = (
        (_PARENT_ASK, _PARENT_LABELS, _PARENT_ALIASES)
        if parent
        else (_YOUNG_ASK, _YOUNG_LABELS, _YOUNG_ALIASES)
    )

    def pick(text: Text) -> Text:
        return {lang: text.get(lang, text["en"]) for lang in languages}

    return Step(
        id=STEP_ID,
        type=StepType.CHOICE,
        text=pick(ask),
        allow=frozenset({Special.SKIP}),
        help=pick(_HELP),
        options=tuple(
            Option(
                value=value,
                label=pick(labels[value]),
                aliases={lang: aliases[value].get(lang, ()) for lang in languages},
            )
            for value in VALUES
        ),
    )


def recorded(value: object, special: Special | None) -> str:
    """What a conversation keeps: one of VALUES, or UNKNOWN for a skip or a reply not understood."""
    if special is None and isinstance(value, str) and value in VALUES:
        return value
    return UNKNOWN
