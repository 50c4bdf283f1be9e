"""The words people use for dates in replies, per language ("en", "cy"), as in flows.reading.vocabulary.

The same clean-up applies: lower case, accents and apostrophes ignored, punctuation read as a space.
"""

from __future__ import annotations

# fmt: off
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

# Days back from today (tomorrow is one day back the other way).
RELATIVE_DAYS: dict[str, dict[str, int]] = {
    "en": {
        "today": 0, "tday": 0, "2day": 0, "yesterday": 1, "yday": 1, "yest": 1,
        "day before yesterday": 2, "the day before yesterday": 2, "this morning": 0,
        "this afternoon": 0, "earlier today": 0, "tomorrow": -1, "tmrw": -1, "tmw": -1,
        "2moro": -1, "2morrow": -1, "day after tomorrow": -2, "the day after tomorrow": -2,
    },
    "cy": {
        "heddiw": 0, "ddoe": 1, "echdoe": 2, "bore ma": 0, "bore yma": 0, "pnawn ma": 0,
        "prynhawn ma": 0, "prynhawn yma": 0, "fory": -1, "yfory": -1, "drennydd": -2,
    },
}

# "3 weeks ago", "pythefnos yn ôl": how many days, weeks, months or years one of these words is.
# Welsh words are given with their soft mutations ("dau fis"). Values are (days, months).
AGO_UNITS: dict[str, dict[str, tuple[int, int]]] = {
    "en": {
        "day": (1, 0), "days": (1, 0), "week": (7, 0), "weeks": (7, 0), "wk": (7, 0),
        "wks": (7, 0), "fortnight": (14, 0), "fortnights": (14, 0), "month": (0, 1),
        "months": (0, 1), "year": (0, 12), "years": (0, 12), "yr": (0, 12), "yrs": (0, 12),
    },
    "cy": {
        "diwrnod": (1, 0), "ddiwrnod": (1, 0), "niwrnod": (1, 0), "diwrnodau": (1, 0),
        "dydd": (1, 0), "wythnos": (7, 0), "wythnosau": (7, 0), "pythefnos": (14, 0),
        "mis": (0, 1), "fis": (0, 1), "mlynedd": (0, 12), "blynedd": (0, 12), "flynedd": (0, 12),
        "blwyddyn": (0, 12), "flwyddyn": (0, 12), "bythefnos": (14, 0), "deufis": (0, 2),
        "ddeufis": (0, 2),
    },
}
# What follows the amount: "ago", "yn ôl" (read without its accent).
AGO = frozenset({"ago", "yn ol", "nol"})

# Days every family knows by name, as (month, day); the latest one is meant.
NAMED_DAYS: dict[str, dict[str, tuple[int, int]]] = {
    "en": {
        "bonfire night": (11, 5), "guy fawkes night": (11, 5), "christmas day": (12, 25),
        "christmas eve": (12, 24), "boxing day": (12, 26), "new year's day": (1, 1),
        "new years day": (1, 1), "new year's eve": (12, 31), "new years eve": (12, 31),
        "valentine's day": (2, 14), "valentines day": (2, 14), "halloween": (10, 31),
        "st david's day": (3, 1), "st davids day": (3, 1),
    },
    "cy": {
        "noson tân gwyllt": (11, 5), "dydd nadolig": (12, 25), "noswyl nadolig": (12, 24),
        "gŵyl san steffan": (12, 26), "dydd calan": (1, 1), "nos calan": (12, 31),
        "dydd gŵyl dewi": (3, 1), "dydd santes dwynwen": (1, 25), "calan gaeaf": (10, 31),
    },
}

# Weekday numbers as in datetime (Monday is 0); a bare weekday means the latest one, today included.
WEEKDAYS: dict[str, dict[str, int]] = {
    "en": {
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
        "sunday": 6, "weds": 2, "tues": 1, "thurs": 3, "mon": 0, "tue": 1, "wed": 2, "thu": 3,
        "thur": 3, "fri": 4, "sat": 5, "sun": 6, "wednesd": 2, "wensday": 2, "wenesday": 2,
        "tuseday": 1, "thursdays": 3,
    },
    # Welsh weekdays only count after "dydd": "Mawrth" alone is March.
    "cy": {
        "dydd llun": 0, "dydd mawrth": 1, "dydd mercher": 2, "dydd iau": 3, "dydd gwener": 4,
        "dydd sadwrn": 5, "dydd sul": 6, "ddydd llun": 0, "ddydd mawrth": 1, "ddydd mercher": 2,
        "ddydd iau": 3, "ddydd gwener": 4, "ddydd sadwrn": 5, "ddydd sul": 6, "nos lun": 0,
        "nos fawrth": 1, "nos fercher": 2, "nos iau": 3, "nos wener": 4, "nos sadwrn": 5,
        "nos sul": 6,
    },
}
LAST: frozenset[str] = frozenset({"last", "diwethaf", "dwetha", "diwetha", "dwethaf"})
# "next friday" is the Friday of next week; "this friday" the one in this week.
NEXT: frozenset[str] = frozenset({"next", "nesaf", "nesa"})
THIS: frozenset[str] = frozenset({"this", "yma", "hwn", "ma"})
# A date question asked with these is about the past ("When was the last review?").
PAST_QUESTIONS = ("when was", "when did", "pryd oedd", "pryd cafodd", "pryd wnaeth", "pryd aeth")

# fmt: on
