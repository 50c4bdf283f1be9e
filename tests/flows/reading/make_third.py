"""Build third_frozen.tsv from the hand-labelled third_seeds.txt.

    python -m tests.flows.reading.make_third

Adds ways of skipping, not knowing and declining to every question (labelled by what the question
allows: `REASK` where it does not) and a messy variant of about a fifth of the replies (capitals, a
typo, a greeting or a sign-off). The whole set is held out: nobody tunes the reader on it.
"""

from __future__ import annotations

import random
from pathlib import Path

from flows.corpus import REASK
from tests.flows.reading.score import HERE, corpus_flow

SPECIAL_WORDINGS = {
    "skip": {
        "en": ["skip", "Skip", "pass", "n/a", "skip this one", "next question", "I'll skip that"],
        "cy": ["sgip", "hepgor", "pasio", "nesaf plis"],
    },
    "dont_know": {
        "en": ["don't know", "dont know", "dunno", "idk", "not sure", "no idea", "🤷", "🤷‍♀️"],
        "cy": ["dim syniad", "dwi ddim yn gwybod", "sai'n gwybod", "ddim yn siŵr", "dwn i ddim"],
    },
    "prefer_not_to_say": {
        "en": ["prefer not to say", "rather not say", "I'd rather not say", "private", "🤐"],
        "cy": ["gwell gen i beidio â dweud", "mae'n well gen i beidio", "dim eisiau dweud"],
    },
}
GREETINGS = {"en": ["Hi ", "hiya, ", "Hello - "], "cy": ["Helo ", "Shwmae, "]}
SIGN_OFFS = {"en": [" thanks", " cheers", " ty", "!!", " thank you"], "cy": [" diolch", "!!"]}
# Typos only where a person reads through them without a doubt: words, never digits or dates.
TYPO_TYPES = {"scale", "yes_no", "choice", "multi_choice"}


def seeds(text: str) -> list[tuple[str, str, str, str]]:
    rows, step = [], ""
    for line in text.splitlines():
        if line.startswith("## "):
            step = line[3:].strip()
        elif line.strip() and not line.startswith("#"):
            expected, lang, reply = line.split(" ", 2)
            rows.append((step, lang, reply, expected))
    return rows


def typo(rng: random.Random, reply: str) -> str | None:
    words = [i for i, w in enumerate(reply.split(" ")) if len(w) >= 5 and w.isalpha()]
    if not words:
        return None
    parts = reply.split(" ")
    i = rng.choice(words)
    w = parts[i]
    j = rng.randrange(1, len(w) - 1)
    parts[i] = rng.choice(
        [w[:j] + w[j + 1 :], w[:j] + w[j] + w[j:], w[:j] + w[j + 1] + w[j] + w[j + 2 :]]
    )
    return " ".join(parts)


def variant(rng: random.Random, step_type: str, row: tuple[str, str, str, str]) -> str | None:
    _step, lang, reply, expected = row
    kinds = ["caps", "greeting", "sign_off"]
    if step_type in TYPO_TYPES and expected != REASK:
        kinds.append("typo")
    kind = rng.choice(kinds)
    if kind == "caps":
        return reply.upper() if reply.upper() != reply else None
    if kind == "greeting":
        return rng.choice(GREETINGS[lang]) + reply
    if kind == "sign_off":
        return reply + rng.choice(SIGN_OFFS[lang])
    return typo(rng, reply)


def build() -> list[tuple[str, str, str, str]]:
    rng = random.Random(20261202)
    flow = corpus_flow("third_corpus.yaml")
    types = {s.id: s.type.value for s in flow.steps}
    allowed = {s.id: {a.value for a in s.allow} for s in flow.steps}
    rows = seeds((HERE / "third_seeds.txt").read_text(encoding="utf-8"))
    out = list(rows)
    for step in dict.fromkeys(r[0] for r in rows):
        for special, by_lang in SPECIAL_WORDINGS.items():
            for lang in ("en", "cy"):
                for wording in rng.sample(by_lang[lang], 2 if lang == "en" else 1):
                    out.append(
                        (step, lang, wording, special if special in allowed[step] else REASK)
                    )
    for row in rows:
        if rng.random() < 0.2:
            messy = variant(rng, types[row[0]], row)
            if messy and messy != row[2]:
                out.append((row[0], row[1], messy, row[3]))
    rng.shuffle(out)
    return out


def main() -> None:
    lines = ["step\tlang\treply\texpected"] + ["\t".join(r) for r in build()]
    Path(HERE / "third_frozen.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
