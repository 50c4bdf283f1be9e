"""Build the second messy corpus from messy_seeds.txt: messy_dev.tsv and messy_frozen.tsv.

    python -m tests.flows.reading.make_messy

Every seed reply is labelled by hand. This adds, to every question of messy_corpus.yaml, ways of
skipping, not knowing and declining to say (each labelled by what the question allows), and messy
variants of some seeds (capitals, a typo, a sign-off) that keep their seed's label. A seed and its
variants go to the same file, so the frozen part holds no near-copy of a reply in the dev part.
Fixed seeds: running it again writes the same files.
"""

from __future__ import annotations

import random
from pathlib import Path

from flows.loader.flowfile import load_flow

HERE = Path(__file__).parent
SEED = 20261202
FROZEN_SHARE = 0.4
REASK = "REASK"

SPECIALS = {
    "skip": [
        "skip",
        "Skip",
        "SKIP",
        "skip this one",
        "skip pls",
        "pass",
        "Pass!",
        "n/a",
        "next question",
        "[cy] sgip",
        "[cy] sgipio",
        "[cy] SGIP",
    ],
    "dont_know": [
        "dont know",
        "don't know",
        "Dunno",
        "not sure",
        "no idea",
        "idk",
        "🤷",
        "🤷‍♀️",
        "not a clue",
        "haven't a clue",
        "no clue tbh",
        "[cy] dim syniad",
        "[cy] ddim yn gwybod",
        "[cy] sai'n gwybod",
        "[cy] dwn i ddim",
        "[cy] wn i ddim",
    ],
    "prefer_not_to_say": [
        "prefer not to say",
        "rather not say",
        "i'd rather not say",
        "id rather not",
        "would rather not say",
        "prefer not to answer",
        "i'd prefer not to say tbh",
        "not saying",
        "private",
        "that's private",
        "none of your business",
        "🤐",
        "🙊",
        "[cy] gwell gen i beidio dweud",
        "[cy] well gen i beidio",
        "[cy] gwell peidio dweud",
        "[cy] dim eisiau dweud",
        "[cy] preifat",
        "[cy] mae'n well gen i beidio",
    ],
}
SIGN_OFFS = {
    "en": ["!", "!!", ".", " x", " thanks", " thx", " cheers", " 😊"],
    "cy": [" diolch", " x", "!"],
}
GREETINGS = {"en": ["Hi ", "hiya ", "Hello, "], "cy": ["Helo ", "Shwmae "]}


def parse_seeds(text: str) -> list[tuple[str, str, str, str]]:
    rows, step = [], ""
    for line in text.splitlines():
        if line.startswith("## "):
            step = line[3:].strip()
        elif line.strip() and not line.startswith("#"):
            reply, expected = (part.strip() for part in line.split(" => "))
            lang = "en"
            if reply.startswith("[cy] "):
                lang, reply = "cy", reply[5:]
            rows.append((step, lang, reply, expected))
    return rows


def typo(reply: str, rng: random.Random) -> str:
    words = reply.split(" ")
    long = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 6]
    if not long:
        return reply
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == "drop":
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def variant(lang: str, reply: str, rng: random.Random) -> str:
    kind = rng.choice(["upper", "capital", "sign_off", "typo", "greeting", "lower_typo"])
    if kind == "upper":
        return reply.upper()
    if kind == "capital":
        return reply[:1].upper() + reply[1:]
    if kind == "sign_off":
        return reply + rng.choice(SIGN_OFFS[lang])
    if kind == "greeting":
        return rng.choice(GREETINGS[lang]) + reply
    if kind == "typo":
        return typo(reply, rng)
    return typo(reply.lower(), rng)


def build() -> tuple[list[str], list[str]]:
    rng = random.Random(SEED)
    flow = load_flow(HERE / "messy_corpus.yaml")
    allows = {s.id: {a.value for a in s.allow} for s in flow.steps if s.type.value != "message"}
    groups: dict[str, list[list[tuple[str, str, str, str]]]] = {step: [] for step in allows}
    seen: set[tuple[str, str]] = set()
    for step, lang, reply, expected in parse_seeds((HERE / "messy_seeds.txt").read_text("utf-8")):
        groups[step].append([(step, lang, reply, expected)])
        seen.add((step, reply.casefold()))
    for step, allowed in allows.items():
        for special, phrases in SPECIALS.items():
            for phrase in rng.sample(phrases, 4):
                lang, reply = ("cy", phrase[5:]) if phrase.startswith("[cy] ") else ("en", phrase)
                if (step, reply.casefold()) in seen:
                    continue
                seen.add((step, reply.casefold()))
                expected = special if special in allowed else REASK
                groups[step].append([(step, lang, reply, expected)])
    for step_groups in groups.values():
        for group in step_groups:
            step, lang, reply, expected = group[0]
            if rng.random() < 0.4:
                messy = variant(lang, reply, rng)
                if messy != reply and (step, messy) not in seen:
                    seen.add((step, messy))
                    group.append((step, lang, messy, expected))
    dev: list[str] = []
    frozen: list[str] = []
    for step_groups in groups.values():
        rng.shuffle(step_groups)
        cut = round(len(step_groups) * FROZEN_SHARE)
        for n, group in enumerate(step_groups):
            (frozen if n < cut else dev).extend("\t".join(row) for row in group)
    rng.shuffle(dev)
    rng.shuffle(frozen)
    return dev, frozen


def main() -> None:
    dev, frozen = build()
    header = "step\tlang\treply\texpected"
    for name, rows in (("messy_dev.tsv", dev), ("messy_frozen.tsv", frozen)):
        (HERE / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        print(f"{name}: {len(rows)} replies")


if __name__ == "__main__":
    main()
