"""The words people use in replies, per language ("en", "cy"), kept here so a council can read them.

Every phrase is compared after the same clean-up the replies get: lower case, accents and
apostrophes ignored, punctuation read as a space, so "Don't know", "dont know" and "DON'T KNOW!" are
one entry, and "yn ôl" also matches "yn ol". Number words are read in English and in the
conversation's language; everything else in every language here, whatever the conversation's
language, because bilingual people mix. Add a phrase to the language it belongs to; nothing else
needs to change.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Kept one phrase after another, not one a line, so each list reads like a sentence.
# fmt: off

# Keys are flows.reading.commands.Command values. A command must be the whole message.
COMMANDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "help": ("help", "info", "help me", "help please", "information", "hepl", "hlep", "halp"),
        "repeat": (
            "repeat", "again", "pardon", "say again", "say that again", "repeat that",
            "repeat please", "repeat the question", "repeat question", "what was the question",
        ),
        "back": (
            "back", "go back", "previous", "undo", "prev", "back please", "previous question",
            "last question", "go back please",
        ),
        # Opt-out words are never guessed from misspellings: only these exact phrases stop messages.
        "stop": (
            "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "optout",
            "opt out", "revoke", "stop please", "please stop", "stop it", "stop messaging me",
            "stop texting me", "stop messages", "unsub", "stpo", "sotp", "unsubcribe",
            "unsubscibe",
        ),
        "restart": (
            "restart", "start again", "start over", "begin again", "reset",
            "start from the beginning",
        ),
    },
    "cy": {
        "help": ("cymorth", "help", "helpu", "gwybodaeth"),
        "repeat": ("ailadrodd", "eto", "dweud eto", "ailddweud"),
        "back": ("yn ôl", "nôl", "mynd yn ôl", "blaenorol"),
        "stop": ("stopio", "stop", "dad-danysgrifio", "canslo", "diwedd", "gorffen"),
        "restart": ("dechrau eto", "ailddechrau", "ail-ddechrau", "o'r dechrau"),
    },
}

# Keys are flows.schema.Special values. A special must be the whole message.
SPECIALS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "skip": (
            "skip", "pass", "next", "skip it", "skip this", "skip this one", "skip question",
            "skip this question", "skip please", "next question", "pass please", "skp", "skipp",
            "n/a", "not applicable", "move on",
        ),
        "dont_know": (
            "don't know", "do not know", "i don't know", "i do not know", "dunno", "i dunno",
            "duno", "donno", "dont no", "i dont no", "dno", "dk", "idk", "idek", "not sure",
            "i'm not sure", "unsure", "no idea", "no clue", "not a clue", "haven't a clue",
            "can't remember", "i can't remember", "don't remember", "not certain", "can't say",
            "hard to say",
        ),
        "prefer_not_to_say": (
            "prefer not to say", "i prefer not to say", "i'd prefer not to say", "rather not say",
            "i'd rather not say", "i'd rather not", "rather not", "prefer not", "pnts",
            "no comment", "not saying", "i'd rather not answer", "prefer not to answer",
        ),
    },
    "cy": {
        "skip": ("sgip", "sgipio", "nesaf", "nesa", "neidio", "pasio", "hepgor"),
        "dont_know": (
            "ddim yn gwybod", "dim yn gwybod", "dwi ddim yn gwybod", "dw i ddim yn gwybod",
            "dim syniad", "wn i ddim", "sai'n gwybod", "sa i'n gwybod", "ddim yn siŵr",
            "dim yn siŵr", "sai'n siŵr", "ansicr",
        ),
        "prefer_not_to_say": (
            "gwell gennyf beidio", "gwell gen i beidio", "gwell peidio dweud",
            "gwell peidio â dweud", "gwell gen i beidio dweud", "gwell peidio", "dim sylw",
        ),
    },
}

YES: dict[str, tuple[str, ...]] = {
    "en": (
        "yes", "y", "yeah", "yea", "yeh", "yh", "ye", "yep", "yup", "ya", "yah", "yas", "aye",
        "sure", "ok", "okay", "okey", "k", "kk", "definitely", "def", "defo", "of course", "ofc",
        "correct", "true", "certainly", "absolutely", "right", "that's right", "please",
        "yes please", "yes thanks", "yes thank you", "i did", "i do", "i think so", "think so",
        "no problem", "no probs", "affirmative",
    ),
    "cy": (
        "ydw", "ydy", "ydyn", "ydych", "ydi", "yndw", "yndy", "do", "ie", "ia", "oes", "oedd",
        "byddaf", "bydd", "hoffwn", "iawn", "wrth gwrs", "ydw plis", "ie plis",
    ),
}

NO: dict[str, tuple[str, ...]] = {
    "en": (
        "no", "n", "nope", "nah", "na", "nay", "no thanks", "no thank you", "no ta", "not really",
        "never", "false", "not at all", "no way", "definitely not", "of course not",
        "absolutely not", "certainly not", "i didn't", "i did not", "i don't", "i do not",
        "don't think so", "i don't think so", "negative",
    ),
    "cy": (
        "nac ydw", "nac ydy", "nac ydyn", "nac ydych", "nag ydw", "nag ydy", "naddo", "na",
        "nage", "nac oes", "nag oes", "nac oedd", "nag oedd", "na fyddaf", "na hoffwn", "dim",
        "ddim", "dim diolch", "na diolch",
    ),
}

# Clear answers that contradict a leading yes or no later in the message ("yes no", "no, yes").
YES_WORDS = frozenset({"yes", "yeah", "yep", "yup", "ydw", "ydy", "ie"})
NO_WORDS = frozenset({"no", "nope", "nah", "naddo", "nage"})

YES_EMOJI = frozenset({"👍", "✅", "✔", "☑", "👌", "🆗"})
NO_EMOJI = frozenset({"👎", "❌", "✖", "✗", "✘", "🚫", "⛔"})

NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": {
        "zero": 0, "nought": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
        "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40,
        "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    },
    "cy": {
        "sero": 0, "un": 1, "dau": 2, "dwy": 2, "tri": 3, "tair": 3, "pedwar": 4, "pedair": 4,
        "pump": 5, "pum": 5, "chwech": 6, "chwe": 6, "saith": 7, "wyth": 8, "naw": 9, "deg": 10,
        "deng": 10, "un ar ddeg": 11, "deuddeg": 12, "tri ar ddeg": 13, "pedwar ar ddeg": 14,
        "pymtheg": 15, "un ar bymtheg": 16, "dau ar bymtheg": 17, "deunaw": 18,
        "pedwar ar bymtheg": 19, "ugain": 20, "un deg": 10, "un deg un": 11, "un deg dau": 12,
        "un deg tri": 13, "un deg pedwar": 14, "un deg pump": 15, "un deg chwech": 16,
        "un deg saith": 17, "un deg wyth": 18, "un deg naw": 19, "dau ddeg": 20,
    },
}

# English words that multiply the number before them ("two hundred", "a thousand").
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# Only for "how many" questions: "never" and "none" are counts there, but not on a 1-5 scale.
COUNT_WORDS: dict[str, dict[str, int]] = {
    "en": {"none": 0, "never": 0, "no times": 0, "once": 1, "twice": 2, "a couple": 2},
    "cy": {"dim": 0, "dim un": 0, "byth": 0, "unwaith": 1, "dwywaith": 2},
}

# Position words for choices: "the first one", "2nd", "the last one" (-1 means the last option).
ORDINALS: dict[str, dict[str, int]] = {
    "en": {
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
        "eighth": 8, "ninth": 9, "tenth": 10, "last": -1,
    },
    "cy": {
        "cyntaf": 1, "ail": 2, "trydydd": 3, "trydedd": 3, "pedwerydd": 4, "pedwaredd": 4,
        "pumed": 5, "chweched": 6, "seithfed": 7, "wythfed": 8, "nawfed": 9, "degfed": 10,
        "olaf": -1,
    },
}

# Letters written after a digit to make it an ordinal: 1st, 2nd, 1af, 2il, 3ydd, 5ed, 7fed, 11eg.
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th", "af", "il", "ydd", "ed", "fed", "eg", "ain"})

# Words that may surround a choice's number without changing it: "2 please", "option 3 i think".
FILLER: dict[str, frozenset[str]] = {
    "en": _words(
        "please pls plz thanks thank you ta cheers i think guess maybe probably perhaps option "
        "number no choice answer the one its it is say would id go for with my x xx xxx um erm hmm "
        "ok okay oh"
    ),
    "cy": _words(
        "plis diolch rhif opsiwn dewis yr y rwyn dwi meddwl efallai os gwelwch yn dda "
        "ateb fy"
    ),
}

# A whole multi-choice reply meaning every option, or none of them.
ALL: dict[str, tuple[str, ...]] = {
    "en": ("all", "all of them", "all of the above", "everything", "the lot", "all of those"),
    "cy": ("pob un", "pob un ohonynt", "y cyfan", "popeth", "i gyd", "nhw i gyd"),
}
NONE: dict[str, tuple[str, ...]] = {
    "en": ("none", "none of them", "none of the above", "nothing", "neither"),
    "cy": ("dim un", "dim", "dim byd", "dim un ohonynt"),
}

# Words that turn a label around: "not very useful" must not be read as "very useful".
NEGATIONS = _words("not no never dont didnt doesnt isnt wasnt cant couldnt wouldnt ddim dim nid na")

MONTHS: dict[str, dict[str, int]] = {
    "en": {
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
        "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
        "sept": 9, "oct": 10, "nov": 11, "dec": 12, "febuary": 2, "feburary": 2,
    },
    # Welsh months with their soft mutations ("o Fawrth", "ym mis Fai" are how people write them).
    "cy": {
        "ionawr": 1, "chwefror": 2, "mawrth": 3, "fawrth": 3, "ebrill": 4, "mai": 5, "fai": 5,
        "mehefin": 6, "fehefin": 6, "gorffennaf": 7, "orffennaf": 7, "awst": 8, "medi": 9,
        "fedi": 9, "hydref": 10, "tachwedd": 11, "dachwedd": 11, "rhagfyr": 12, "ragfyr": 12,
    },
}

# Days back from today.
RELATIVE_DAYS: dict[str, dict[str, int]] = {
    "en": {
        "today": 0, "tday": 0, "2day": 0, "yesterday": 1, "yday": 1, "yest": 1,
        "day before yesterday": 2, "the day before yesterday": 2,
    },
    "cy": {"heddiw": 0, "ddoe": 1, "echdoe": 2},
}

# Weekday numbers as in datetime (Monday is 0); a bare weekday means the latest one, today included.
WEEKDAYS: dict[str, dict[str, int]] = {
    "en": {
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
        "sunday": 6, "weds": 2, "tues": 1, "thurs": 3,
    },
    # Welsh weekdays only count after "dydd": "Mawrth" alone is March.
    "cy": {
        "dydd llun": 0, "dydd mawrth": 1, "dydd mercher": 2, "dydd iau": 3, "dydd gwener": 4,
        "dydd sadwrn": 5, "dydd sul": 6,
    },
}
LAST: frozenset[str] = frozenset({"last", "diwethaf", "dwetha", "diwetha"})
# fmt: on
