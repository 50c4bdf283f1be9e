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

# Politeness and hedges that may come before or after a special without changing it:
# "skip pls", "can't remember tbh", "nesaf plis", "i honestly can't remember".
SPECIAL_FILLER: dict[str, frozenset[str]] = {
    "en": _words(
        "please pls plz tbh sorry honestly really thanks thx ta cheers just i mate yet exactly "
        "atm tbf lol x xx of the date"
    ),
    "cy": _words("plis diolch sori wir eto"),
}

# Keys are flows.schema.Special values. A special must be the whole message (filler aside).
SPECIALS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "skip": (
            "skip", "pass", "next", "skip it", "skip this", "skip this one", "skip question",
            "skip this question", "skip please", "next question", "pass please", "skp", "skipp",
            "n/a", "not applicable", "move on", "i'd rather skip", "rather skip", "i'd rather skip this",
            "i'd rather skip this one", "skip that", "skip that one", "pass on this", "pass on this one",
            "i'll skip that", "i'll skip this", "i'll skip this one", "i'll pass",
        ),
        "dont_know": (
            "don't know", "do not know", "i don't know", "i do not know", "dunno", "i dunno",
            "duno", "donno", "dont no", "i dont no", "dno", "dk", "idk", "idek", "not sure",
            "i'm not sure", "unsure", "no idea", "no clue", "not a clue", "haven't a clue",
            "can't remember", "i can't remember", "don't remember", "not certain", "can't say",
            "hard to say", "hard to tell", "can't recall", "i can't recall", "don't recall",
            "too early to tell", "too early to say", "too soon to tell", "too soon to say",
            "who knows", "no idea at all",
            # A shrug, whoever shrugs ("🤷‍♀️" is read as the shrug and the sign, the joiner dropped).
            "🤷", "🤷♀", "🤷♂",
        ),
        "prefer_not_to_say": (
            "prefer not to say", "i prefer not to say", "i'd prefer not to say", "rather not say",
            "i'd rather not say", "i'd rather not", "rather not", "prefer not", "pnts",
            "no comment", "not saying", "i'd rather not answer", "prefer not to answer",
            "i'd prefer not to", "prefer not to", "i'd prefer not", "prefer not 2 say",
            "i'd prefer not to answer", "i would prefer not to answer", "i would prefer not to say",
            "rather not 2 say", "rather not share", "rather not share that", "i'd rather not share",
            "i'd rather not share that", "that's private", "it's private", "private",
            "that's personal", "personal", "none of your business", "not telling", "not telling you",
            "i'd rather keep that private", "i decline", "decline", "decline to say",
            "decline to answer", "would rather not say", "i would rather not say",
            "would rather not", "rather not answer", "not comfortable saying",
            # A sealed mouth, or the monkey covering its mouth.
            "🤐", "🙊",
        ),
    },
    "cy": {
        "skip": ("sgip", "sgipio", "nesaf", "nesa", "neidio", "pasio", "hepgor"),
        "dont_know": (
            "ddim yn gwybod", "dim yn gwybod", "dwi ddim yn gwybod", "dw i ddim yn gwybod",
            "dim syniad", "wn i ddim", "sai'n gwybod", "sa i'n gwybod", "ddim yn siŵr",
            "dim yn siŵr", "sai'n siŵr", "ansicr", "dwi ddim yn cofio", "dw i ddim yn cofio",
            "ddim yn cofio", "dim yn cofio", "sai'n cofio", "sa i'n cofio", "dwn i ddim", "dwn im",
            "anodd dweud", "anodd deud", "pwy a ŵyr", "rhy gynnar i ddweud", "rhy fuan i ddweud",
        ),
        "prefer_not_to_say": (
            "gwell gennyf beidio", "gwell gen i beidio", "gwell peidio dweud",
            "gwell peidio â dweud", "gwell gen i beidio dweud", "gwell peidio", "dim sylw",
            "gwell peidio deud", "gwell gen i beidio deud", "gwell gen i beidio â dweud",
            "well gen i beidio", "byddai'n well gen i beidio", "preifat", "mae hynny'n breifat",
            "personol", "dim o'ch busnes", "dim o'ch busnes chi", "dim eisiau dweud",
            "ddim eisiau dweud", "dim isio deud", "dim isho deud", "ddim isho deud",
            "mae'n well gen i beidio", "well gen i beidio dweud", "well gen i beidio deud",
        ),
    },
}

YES: dict[str, tuple[str, ...]] = {
    "en": (
        "yes", "y", "yeah", "yea", "yeh", "yh", "ye", "yep", "yup", "ya", "yah", "yas", "aye",
        "sure", "ok", "okay", "okey", "definitely", "def", "defo", "of course", "ofc",
        "correct", "true", "certainly", "absolutely", "right", "that's right", "please",
        "yes please", "yes thanks", "yes thank you", "i did", "i do", "i think so", "think so",
        "no problem", "no probs", "affirmative", "did", "sure did", "course i did",
        "course", "i went", "went", "we went", "i was there", "we were there", "made it",
        "i made it", "we made it", "managed to go", "i managed to go", "managed to get there",
        "i managed to get there", "we managed to get there", "loved it", "enjoyed it",
        "really enjoyed it", "we loved it", "it was really helpful", "it was helpful",
        "it was great", "it was good", "it was really good", "attended", "i attended",
        "we attended", "i did attend", "we did attend", "i did go", "we did go",
        "it was brilliant", "it was amazing", "it was lovely", "it was fab", "it was fantastic",
        "it was useful", "it was ok", "it was okay",
    ),
    "cy": (
        "ydw", "ydy", "ydyn", "ydych", "ydi", "yndw", "yndy", "do", "ie", "ia", "oes", "oedd",
        "byddaf", "bydd", "hoffwn", "iawn", "wrth gwrs", "ydw plis", "ie plis", "fe es i",
        "es i", "mi es i", "yn bendant", "bendant", "do wir", "do siŵr", "aethon ni",
        "aethon", "mi aethon ni", "fe aethon ni", "aeth", "mi wnes i", "do mi wnes i",
    ),
}

# Replies that acknowledge a message rather than answer it. They answer an offer ("Would you like
# a call back?" "ok") but not a question of fact ("Did you go?" "ok"), which is asked again.
ACKNOWLEDGEMENTS: frozenset[str] = frozenset({
    "ok", "okay", "okey", "k", "kk", "ok thanks", "okay thanks", "ok thank you", "ok ta",
    "sure", "iawn", "oce", "ocê", "fine", "alright", "all right", "right", "cool", "no problem",
    "no probs", "please", "grand", "iawn diolch", "ok diolch", "👌", "🆗",
})
# A single letter is too little to store as an answer to anything: "k" may be a slip.
NEVER_YES: frozenset[str] = frozenset({"k"})
# Questions that offer something, where an acknowledgement accepts it.
OFFERS: dict[str, tuple[str, ...]] = {
    "en": (
        "would you", "do you want", "can we", "could we", "may we", "shall we", "can i",
        "could i", "may i", "shall i", "are you happy", "is it ok", "is that ok", "are you ok with",
        "would it",
    ),
    "cy": ("hoffech", "hoffet", "gawn ni", "gaf i", "ga i", "ydych chi'n fodlon", "wyt ti'n fodlon"),
}
# On a question of fact ("Did you go?"), a reason for not going is a no: "my son was ill".
REASONS_NOT = _words(
    "ill poorly sick unwell working work holiday holidays away busy anxious tired clashed "
    "broke childcare sitter babysitter appointment sal sâl gweithio gwaith gwyliau prysur "
    "brysur apwyntiad"
)
# Words before "3 weeks ago" that keep it a day: "about", "it was", "tua".
AGO_HEDGES = _words(
    "about around roughly approx approximately abt bout just only was it its think reckon "
    "maybe probably like exactly tua rhyw roedd oedd yn ond jyst falle efallai"
)
# Not yes or no, just unsure: never read as a typo for either ("falle" is not "false").
UNSURE = _words("maybe perhaps possibly might falle efallai hwyrach ella dunno")

NO: dict[str, tuple[str, ...]] = {
    "en": (
        "no", "n", "nope", "nah", "na", "nay", "no thanks", "no thank you", "no ta", "not really",
        "never", "false", "not at all", "no way", "definitely not", "of course not",
        "absolutely not", "certainly not", "i didn't", "i did not", "i don't", "i do not",
        "don't think so", "i don't think so", "negative", "did not", "didn't", "didn't go",
        "didnt go", "not this time", "not this one", "not today", "afraid not", "i'm afraid not",
        "unfortunately not", "sadly not", "sorry no", "couldn't", "could not", "couldn't go",
        "couldn't make it", "wasn't able", "was not able", "wasn't able to", "not able to",
        "i wasn't able to", "unable to", "i was unable to", "i missed it", "missed it",
        "we missed it", "i couldn't", "we couldn't", "i forgot", "forgot", "i didn't go",
        "we didn't go", "i couldn't go", "we couldn't go", "i couldn't make it",
    ),
    "cy": (
        "nac ydw", "nac ydy", "nac ydyn", "nac ydych", "nag ydw", "nag ydy", "naddo", "na",
        "nage", "nac oes", "nag oes", "nac oedd", "nag oedd", "na fyddaf", "na hoffwn", "dim",
        "ddim", "dim diolch", "na diolch", "nac do", "nag do", "methu", "methu mynd",
        "methais", "methais i", "methais i fynd", "fues i ddim", "es i ddim", "anghofiais",
        "anghofiais i", "wedi anghofio", "naddo wir", "wnes i ddim", "wnes i ddim mynd",
        "wnaethon ni ddim", "wnaethon ni ddim mynd", "methon ni", "methon", "methon ni fynd",
        "aethon ni ddim", "ddim y tro yma", "ddim y tro hwn",
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
        "dri": 3, "ddau": 2, "ddwy": 2, "dair": 3, "bedwar": 4, "bedair": 4, "bump": 5,
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
    "en": {
        "none": 0, "never": 0, "no times": 0, "once": 1, "twice": 2, "a couple": 2, "no one": 0,
        "nobody": 0, "not any": 0, "both": 2, "twins": 2, "triplets": 3, "no children": 0,
        "no kids": 0, "not once": 0, "not one": 0, "nothing": 0, "nothing at all": 0,
        "none at all": 0, "not a single one": 0, "not a single time": 0,
    },
    "cy": {
        "dim": 0, "dim un": 0, "byth": 0, "unwaith": 1, "dwywaith": 2, "y ddau": 2, "y ddwy": 2,
        "gefeilliaid": 2, "efeilliaid": 2, "dim plant": 0,
    },
}
# People a "how many" reply may name instead of counting them: "my son", "mab a merch".
PEOPLE = _words(
    "son daughter boy girl child kid eldest youngest middle oldest baby stepson stepdaughter "
    "mab merch ferch bachgen fachgen plentyn hynaf ieuengaf sons daughters boys girls children "
    "kids meibion merched bechgyn plant blant him her"
)
# A number after these, or before "oed" / "years old", is someone's age: "my son is 7".
AGE_BEFORE = _words("is aged age yn hes shes turned")
# Of those, the ones that say "age" on their own; "is" and "yn" only after a person ("my son is").
AGE_ALWAYS = _words("aged age hes shes turned")
AGE_AFTER = ("oed", "years old", "yrs old", "year old", "yo", "mlwydd")
# A number before these is the ones that count: "3 kids, 2 with SEND", "1 has autism".
SUBSET_AFTER = _words("with has have sydd gyda gydag efo")
# Weaker: "2 out of 3", "two of my three", "2 allan o 3", when nothing says "with" or "has".
PART_OF = _words("out of allan")
# A count said with these is a bound or comes with a catch: "at least 2", "0 but ...".
NOT_A_COUNT = _words(
    "least more over than nearly almost several sawl rhai but ond except bron"
)

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
    "en": (
        "all", "all of them", "all of the above", "everything", "the lot", "all of those",
        "all of it", "all of these", "all the above", "every one", "each of them",
        "every single one", "any of them", "any day", "every day", "any of those",
    ),
    "cy": ("pob un", "pob un ohonynt", "y cyfan", "popeth", "i gyd", "nhw i gyd"),
}
NONE: dict[str, tuple[str, ...]] = {
    "en": (
        "none", "none of them", "none of the above", "nothing", "neither", "no one", "nobody",
        "not any", "none of these", "none of those", "nothing really", "none really",
        "nothing at all", "none at all", "nothing yet", "none yet", "not really anything",
        "not anything",
    ),
    "cy": (
        "dim un", "dim", "dim byd", "dim un ohonynt", "dim un ohonyn nhw", "dim byd o gwbl",
        "dim byd eto", "dim un o gwbl",
    ),
}
# "all but 2", "none apart from the TA", "popeth heblaw OT": the options after these are left out
# of "all", or are the only ones after "none".
EXCEPT: dict[str, tuple[str, ...]] = {
    "en": ("but", "except", "except for", "apart from", "other than", "bar", "besides", "save"),
    "cy": (
        "ond", "heblaw", "heblaw am", "ar wahân i", "ar wahan i", "ac eithrio", "heblaw'r",
        "ar wahân i'r", "ar wahan i'r", "ond y", "ond yr",
    ),
}
# Labels written short for a calendar word: an option "Mon" is also "monday" and "mondays".
ABBREVIATED: dict[str, str] = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday",
    "weds": "wednesday", "thu": "thursday", "thur": "thursday", "thurs": "thursday",
    "fri": "friday", "sat": "saturday", "sun": "sunday", "jan": "january", "feb": "february",
    "mar": "march", "apr": "april", "jun": "june", "jul": "july", "aug": "august",
    "sep": "september", "sept": "september", "oct": "october", "nov": "november",
    "dec": "december",
}  # fmt: skip
# "both therapies", "y ddau therapi": the two options that share that word.
BOTH = ("both", "both of the", "y ddau", "y ddwy", "ddau", "ddwy")
# "dim ond OT" is "only OT" in Welsh, not "none".
ONLY: tuple[str, ...] = ("dim ond", "only", "just", "mainly", "mostly")
# A later part of a list that only says what was not chosen: "TA, none of the others".
NOTHING_ELSE: tuple[str, ...] = (
    "none of the others", "none of the other ones", "none of the rest", "no others",
    "nothing else", "none of the therapies", "not the others", "dim un arall", "dim byd arall",
    "not the", "not any of the others",
)
# Initials of an option's label that are everyday words, so never read as the option.
NOT_INITIALS = _words(
    "a i y as he ac at it in on to be we me so no do or an is my by up us if of not nt yes ok am "
    "hi go"
)

# Text-speak and joined-up words for common answers: "skool" is "school".
TEXT_SPEAK: dict[str, str] = {
    "skool": "school", "skl": "school", "skul": "school", "schl": "school", "coll": "college",
    "colege": "college", "homeschool": "home school", "homeschooled": "home schooled",
    "homeschooling": "home schooling", "homeed": "home ed", "cymhorthydd": "cynorthwyydd",
    "cymhorthwyr": "cynorthwyydd", "cynorthwywyr": "cynorthwyydd",
}
# Kinds of school people name instead of the word: "Oakwood Primary", "the comp", "ysgol gynradd".
# Read as "school" / "ysgol" only where an option's label has that word.
SCHOOLS: dict[str, str] = {
    "primary": "school", "secondary": "school", "mainstream": "school", "comp": "school",
    "comprehensive": "school", "juniors": "school", "infants": "school", "nursery": "school",
    "academy": "school", "cynradd": "ysgol",
    "gynradd": "ysgol", "uwchradd": "ysgol",
}
# "was home ed, now at school": what comes after these is the answer today.
NOW = ("now", "nawr", "currently", "bellach", "these days")
# Answers about later, not now: "probably college next year".
LATER = ("next year", "from september", "soon", "will be", "going to", "flwyddyn nesaf")

# Words that turn a label around: "not very useful" must not be read as "very useful".
NEGATIONS = _words(
    "not no never dont didnt doesnt isnt wasnt cant couldnt wouldnt ddim dim nid na nac nag"
)

# Words for "or": a reply naming two days is a question back.
OR: frozenset[str] = frozenset({"or", "neu"})

# Scale replies in other words, read as the words labels use. Only a point whose label is the
# result is chosen, so on a scale without an "OK" point "fine" is still asked again.
SCALE_SYNONYMS: dict[str, dict[str, str]] = {
    "en": {
        "okay": "ok", "okey": "ok", "alright": "ok", "all right": "ok", "fine": "ok",
        "so so": "ok", "average": "ok", "not bad": "ok", "useless": "not useful",
        "pointless": "not useful", "worthless": "not useful", "a waste of time": "not useful",
        "waste of time": "not useful", "a waste": "not useful", "not at all": "not useful",
        "not useful at all": "not useful", "not at all useful": "not useful",
        "unhelpful": "not helpful", "neutral": "neither agree nor disagree",
        "in the middle": "neither agree nor disagree",
    },
    "cy": {
        "oce": "ok", "ocê": "ok", "di-werth": "ddim yn ddefnyddiol",
        "diwerth": "ddim yn ddefnyddiol", "dibwrpas": "ddim yn ddefnyddiol",
        "gwastraff amser": "ddim yn ddefnyddiol", "ddim o gwbl": "ddim yn ddefnyddiol",
        "reit": "", "eitha": "", "eithaf": "",
    },
}
# Everyday words for a scale's own words, used only where a label says the latter: "quite sure"
# is "Fairly sure" on a scale worded "A little / Fairly / Very", and means nothing new elsewhere.
LABEL_WORDINGS: dict[str, str] = {
    "quite": "fairly", "a bit": "a little", "slightly": "a little", "not very": "a little",
    "hardly ever": "rarely", "hardly": "rarely", "seldom": "rarely",
}  # fmt: skip
# Words that make a label stronger, read as "very": "really useful" is "Very useful".
INTENSIFIERS = _words(
    "really super extremely v very so incredibly hugely massively totally mega well truly "
    "exceptionally amazingly hynod wirioneddol gwirioneddol ofnadwy strongly completely fully "
    "absolutely"
)
# After "not", words that soften it to "not very": "not that useful", "not particularly useful".
SOFTENERS = _words("that particularly especially too overly really all hugely terribly massively")
# Pictures of a star: "⭐⭐⭐⭐" is four stars.
STARS = frozenset({"⭐", "🌟", "★"})
# A number followed by one of these counts something else: "met 3 other parents", "1 hour".
COUNTED = _words(
    "other others hour hours hr hrs minutes mins minute people parents speakers kids children "
    "times weeks days months years am pm oclock awr munud rhieni pobl plant"
)
# fmt: on
