"""2,000 free-text answers with themes planted in them, English and Welsh, written before the
theme suggester was built (and not changed to suit it): what a county's "what would make things
better?" question brings back, with typos, text-speak and answers that belong to no theme."""

from __future__ import annotations

import random
from dataclasses import dataclass

THEMES: dict[str, dict[str, list[str]]] = {
    "transport": {
        "en": [
            "the school transport is always late",
            "taxi to school keeps changing drivers",
            "my son gets anxious on the bus to school",
            "no transport for after school clubs",
            "the escort on the minibus doesnt understand autism",
            "home to school transport was cut without warning",
            "the journey to his special school takes over an hour",
            "we had to drive her ourselves because the taxi never came",
        ],
        "cy": [
            "mae'r tacsi i'r ysgol yn hwyr bob dydd",
            "dim cludiant i'r ysgol arbennig",
            "mae'r bws ysgol yn codi ofn arno fe",
            "newidiodd y gyrrwr tacsi eto",
        ],
    },
    "waiting": {
        "en": [
            "waited over a year for the ehcp assessment",
            "the ehc plan took 40 weeks not 20",
            "still waiting for a diagnosis after two years",
            "the waiting list for camhs is far too long",
            "nobody told us how long the assessment would take",
            "months waiting for the annual review paperwork",
            "the plan was late and the deadline was missed",
            "waiting times for the autism assessment are ridiculous",
        ],
        "cy": [
            "aros dros flwyddyn am asesiad",
            "mae'r rhestr aros yn rhy hir",
            "dal i aros am ddiagnosis ar ol dwy flynedd",
            "roedd y cynllun yn hwyr iawn",
        ],
    },
    "communication": {
        "en": [
            "nobody replies to my emails",
            "the caseworker never calls back",
            "we get no updates from the send team",
            "i have to chase everyone for answers",
            "phone the council and no one picks up",
            "our case worker changed three times and nobody told us",
            "letters arrive after the meeting has happened",
            "it would help if someone just kept us informed",
        ],
        "cy": [
            "does neb yn ateb fy e-byst",
            "dim diweddariad gan y tim",
            "mae'n rhaid i mi ffonio drosodd a throsodd",
            "neb yn ffonio yn ol",
        ],
    },
    "therapy": {
        "en": [
            "no speech and language therapy for months",
            "the plan says weekly salt but he gets none",
            "occupational therapy was stopped",
            "we pay for private speech therapy ourselves",
            "physio sessions keep getting cancelled",
            "she needs ot support for her sensory needs",
            "speech therapist left and was never replaced",
            "therapy in the plan is not being delivered",
        ],
        "cy": [
            "dim therapi iaith a lleferydd ers misoedd",
            "stopiwyd y therapi galwedigaethol",
            "rydyn ni'n talu am therapi lleferydd preifat",
            "mae'r ffisio yn cael ei ganslo o hyd",
        ],
    },
    "short_breaks": {
        "en": [
            "we need respite, we are exhausted",
            "short breaks were cut and we have no help at home",
            "no holiday clubs that can take a child with his needs",
            "a few hours of respite a month would save us",
            "the overnight short break unit closed",
            "nothing for disabled teenagers in the summer holidays",
            "direct payments but no carers to employ",
            "we have not had a break in three years",
        ],
        "cy": [
            "rydyn ni angen seibiant, wedi blino'n lan",
            "dim clwb gwyliau i blant ag anghenion",
            "cafodd y seibiant byr ei dorri",
            "dim gofalwyr ar gael gyda'r taliadau uniongyrchol",
        ],
    },
    "school_support": {
        "en": [
            "the teaching assistant support was taken away",
            "school says they cant meet his needs",
            "he was excluded again because of his behaviour",
            "the senco is brilliant but has no time",
            "school wont follow the plan",
            "she is on a part time timetable and only goes mornings",
            "the teachers need training in autism and adhd",
            "he has no one to one support at lunch",
        ],
        "cy": [
            "cafodd y cymhorthydd dysgu ei dynnu",
            "mae'r ysgol yn dweud na allan nhw ei helpu",
            "cafodd ei wahardd o'r ysgol eto",
            "dydy'r athrawon ddim wedi cael hyfforddiant awtistiaeth",
        ],
    },
}
NOISE = [
    "ok",
    "nothing",
    "n/a",
    "no",
    "not sure",
    "dunno",
    "all good thanks",
    "dim",
    "dim byd",
    "na",
]
OPENERS = {
    "en": ["", "", "", "honestly ", "tbh ", "well ", "i think ", "to be honest ", "just that "],
    "cy": ["", "", "wel ", "a dweud y gwir ", "dwi'n meddwl "],
}
CLOSERS = {
    "en": ["", "", "", ".", "!!", " it's so stressful", " please help", " thanks", " x", " :("],
    "cy": ["", "", ".", " diolch", " plis helpwch", " mae'n anodd iawn"],
}


@dataclass(frozen=True)
class Planted:
    text: str
    theme: str | None  # None: belongs to no theme ("ok", "nothing")
    language: str


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 12 or rng.random() > 0.25:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]  # a letter dropped
    if kind < 0.8:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # two letters swapped
    return text[:i] + text[i] + text[i:]  # a letter doubled


def _one(theme: str, lang: str, rng: random.Random) -> str:
    pool = THEMES[theme][lang]
    core = rng.choice(pool)
    if rng.random() < 0.15:  # two points about the same thing
        other = rng.choice(pool)
        if other != core:
            core = f"{core} and {other}" if lang == "en" else f"{core} ac {other}"
    text = rng.choice(OPENERS[lang]) + core + rng.choice(CLOSERS[lang])
    if rng.random() < 0.3:
        text = text.capitalize()
    return _typo(text, rng)


def planted(n: int = 2000, *, seed: int = 20261202, welsh: float = 0.25) -> list[Planted]:
    rng = random.Random(seed)
    themes = sorted(THEMES)
    out: list[Planted] = []
    for _ in range(n):
        if rng.random() < 0.06:
            out.append(Planted(rng.choice(NOISE), None, "en"))
            continue
        lang = "cy" if rng.random() < welsh else "en"
        theme = rng.choice(themes)
        out.append(Planted(_one(theme, lang, rng), theme, lang))
    return out
