"""Words of a free-text answer for analysis: English and Welsh, stop words out, light stemming,
and common Welsh SEND words read as their English twins so one theme gathers both languages."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import pairwise

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS


def _words(*lines: str) -> tuple[str, ...]:
    return tuple(" ".join(lines).split())


WELSH_STOP_WORDS = frozenset(
    _words(
        "a ac ag am amdani amdano angen ar arni arno arnyn at beth bod bydd byddai cael chi dau",
        "ddim dim diolch doedd does dros drwy dw dwi dy dyma dyna e ef ei eich ein erbyn eto eu fe",
        "fel felly fi fod fy gael gall gallu gan gwneud gyda heb hefo hefyd hi hon hwn hyn hynny i",
        "iawn iddi iddo iddyn just llawer lle mae maen mewn mi mwy na nac nad neu nhw ni nid o oedd",
        "oeddwn oes ohoni ohono ol ond os pam pan plis pob pryd pwy r rhai rhaid rhwng roedd rwy",
        "rydw rydych rydyn sut sy sydd tan ti trwy un wedi wel wneud wrth y ydw ydy ydych ydyn yma",
        "yn yna yno yr yw",
    )
)
STOP_WORDS = (
    frozenset(ENGLISH_STOP_WORDS)
    | WELSH_STOP_WORDS
    | frozenset(
        _words(
            "didnt doesnt dont honestly im isnt ive lol ok really tbh thank thanks think wont x xx",
            "sure dunno honest byd says goes takes gets got keeps lot things thing way",
        )
    )
)
# Welsh SEND and everyday words as their English stems (mutated forms included), so a theme is one
# theme in both languages. A glossary of the service's own vocabulary, not a translator.
WELSH_TO_ENGLISH = {
    "tacsi": "taxi",
    "thacsi": "taxi",
    "bws": "bus",
    "fws": "bus",
    "cludiant": "transport",
    "gludiant": "transport",
    "nghludiant": "transport",
    "teithio": "travel",
    "gyrrwr": "driver",
    "yrrwr": "driver",
    "ysgol": "school",
    "ysgolion": "school",
    "athro": "teacher",
    "athrawon": "teacher",
    "athrawes": "teacher",
    "cymhorthydd": "assistant",
    "gymhorthydd": "assistant",
    "cynorthwyydd": "assistant",
    "gwahardd": "exclud",
    "wahardd": "exclud",
    "hyfforddiant": "train",
    "awtistiaeth": "autism",
    "awtistig": "autism",
    "aros": "wait",
    "rhestr": "list",
    "asesiad": "assess",
    "asesu": "assess",
    "diagnosis": "diagnosis",
    "cynllun": "plan",
    "gynllun": "plan",
    "adolygiad": "review",
    "hwyr": "late",
    "blwyddyn": "year",
    "flwyddyn": "year",
    "blynedd": "year",
    "flynedd": "year",
    "misoedd": "month",
    "mis": "month",
    "wythnosau": "week",
    "ateb": "repli",
    "atebion": "repli",
    "e-bost": "email",
    "ebost": "email",
    "byst": "email",
    "ffonio": "phone",
    "ffon": "phone",
    "diweddariad": "updat",
    "diweddariadau": "updat",
    "tim": "team",
    "gweithiwr": "worker",
    "cyngor": "council",
    "gyngor": "council",
    "therapi": "therapi",
    "therapydd": "therapist",
    "lleferydd": "speech",
    "iaith": "languag",
    "galwedigaethol": "occup",
    "ffisio": "physio",
    "ffisiotherapi": "physio",
    "canslo": "cancel",
    "ganslo": "cancel",
    "preifat": "privat",
    "talu": "pay",
    "seibiant": "respit",
    "gwyliau": "holiday",
    "clwb": "club",
    "clybiau": "club",
    "gofalwyr": "carer",
    "gofalwr": "carer",
    "taliadau": "payment",
    "uniongyrchol": "direct",
    "blino": "exhaust",
    "torri": "cut",
    "dorri": "cut",
    "cymorth": "support",
    "gymorth": "support",
    "help": "help",
    "helpu": "help",
    "anghenion": "need",
    "ymddygiad": "behaviour",
    "ofn": "anxious",
    "pryder": "anxious",
    "bryder": "anxious",
}
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")


def fold(text: str) -> str:
    """Lower case without accents: "â" and "a" are the same letter to a texting parent."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    if word.endswith(("ss", "us", "is")):  # "anxious", "diagnosis", "class" are not plurals
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("i") and len(word) > 4:  # "therapies" -> "therapi", as "therapy" -> ...
        return word
    return word[:-1] + "i" if word.endswith("y") and len(word) > 4 else word


def tokens(text: str) -> list[str]:
    out = []
    for raw in _WORD.findall(fold(text)):
        word = raw.strip("'-").split("'")[-1] if "'" in raw else raw.strip("-")
        if len(word) < 2 or word in STOP_WORDS or word.isdigit():
            continue
        out.append(WELSH_TO_ENGLISH.get(word) or stem(word))
    return out


def terms(text: str) -> list[str]:
    """Single words, pairs of neighbouring words ("speech therapi" says more than either) and the
    concerns the words point at."""
    words = tokens(text)
    return words + [f"{a} {b}" for a, b in pairwise(words)] + concerns(words)


class SurfaceForms:
    """The word people wrote most often for each stem, so a key phrase reads as English."""

    def __init__(self, texts: list[str]) -> None:
        self._seen: dict[str, Counter[str]] = {}
        for text in texts:
            for raw in _WORD.findall(fold(text)):
                word = raw.strip("'-")
                if len(word) < 2 or word in STOP_WORDS:
                    continue
                key = WELSH_TO_ENGLISH.get(word) or stem(word)
                if key not in WELSH_TO_ENGLISH.values() or word not in WELSH_TO_ENGLISH:
                    self._seen.setdefault(key, Counter())[word] += 1

    def show(self, term: str) -> str:
        return " ".join(
            (self._seen[w].most_common(1)[0][0] if w in self._seen else w) for w in term.split()
        )


# What families write about, as a council's SEND service would group it: words (after stemming and
# the Welsh glossary) that point at the same concern. A concern is added beside the words, so two
# answers about a late taxi and a scary bus share something even with no word in common.
CONCERNS: dict[str, tuple[str, ...]] = {
    "transport": _words(
        "transport taxi bus minibu coach driver escort journey travel lift drive car pick drop",
        "train route passenger seatbelt",
    ),
    "waiting": _words(
        "wait waited delay delai late deadlin week weeks month year took slow list backlog timescal",
        "ago still overdu",
    ),
    "assessment": _words(
        "assess diagnosi ehcp ehc plan draft final review annual tribunal appeal panel decision",
        "refus agreed statutori",
    ),
    "communication": _words(
        "email repli repli phone call callback answer updat inform told letter contact chase",
        "respons respond ignor caseworker worker officer",
    ),
    "therapy": _words(
        "therapi therapist speech languag salt occup ot physio physiotherapi sensori camh",
        "psychologist counsel session appoint",
    ),
    "short_breaks": _words(
        "respit break holiday club summer weekend carer care overnight sitter payment direct",
        "exhaust tire burnout activit leisur",
    ),
    "school": _words(
        "school teacher assistant ta senco class classroom exclud timetabl lesson unit mainstream",
        "special train staff lunch playground",
    ),
    "behaviour_wellbeing": _words(
        "anxious anxieti meltdown behaviour distress upset scare scared sad lonely bulli self-harm",
        "sleep mental wellbe",
    ),
    "money": _words("money cost pay paid afford benefit dla pip fund funding budget privat"),
    "health": _words("doctor gp nurse hospit medic medicat health paediatrician clinic"),
    "post_16": _words("college post-16 adult adulthood job work employ apprentic sixth univers"),
}
_CONCERN_OF = {word: f"#{concern}" for concern, words in CONCERNS.items() for word in words}


def concerns(words: list[str]) -> list[str]:
    return [_CONCERN_OF[w] for w in words if w in _CONCERN_OF]
