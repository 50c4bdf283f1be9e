"""The canonical form the safeguarding rules read, with each word's place in what was typed.

What is typed -> what the rules see, in order:
  1. accents dropped, lower case ("É" -> "e"), apostrophes joined ("don't" -> "dont"), but
     "he'll", "they'd", "I'm" split ("he will", "they would", "i am"); other punctuation is a space;
  2. runs of three or more single letters joined ("k m s" -> "kms");
  3. text-speak expanded ("u" -> "you", "wanna" -> "want to", "no1" -> "no one", "2" -> "to"
     before a word that is not a unit of time);
  4. digits inside words read as letters ("su1c1de" -> "suicide", "d13" -> "die");
  5. repeated letters written once ("diiie" -> "die", "kill" -> "kil"): rules are written in
     ordinary spelling and squeezed the same way, so "kil myself" and "kill myself" read alike;
  6. a few words the rules depend on are forgiven one typo ("suicidel" -> "suicidal").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from flows.reading.spelling import distance

_APOSTROPHES = frozenset("'’‘ʼ`´′")
_CONTRACTIONS = {"ll": "will", "d": "would", "re": "are", "ve": "have", "m": "am"}
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s"})
_REPEATS = re.compile(r"([^\W\d_])\1+")
_LONGEST_WORD = 40

# Keys and values in ordinary spelling; both are squeezed before use.
_TEXT_SPEAK = {
    "u": "you", "ur": "your", "r": "are", "n": "and", "ppl": "people", "pple": "people",
    "bc": "because", "bcos": "because", "bcoz": "because", "bcuz": "because", "cos": "because",
    "coz": "because", "cuz": "because", "cus": "because",
    "im": "i am", "ive": "i have", "ima": "i am going to", "imma": "i am going to",
    "gonna": "going to", "gunna": "going to", "wanna": "want to", "gotta": "got to",
    "tryna": "trying to", "wnt": "want",
    "hes": "he is", "shes": "she is", "theyre": "they are", "theyd": "they would",
    "theyll": "they will", "theyve": "they have", "youre": "you are", "hed": "he would",
    "dnt": "dont", "dont": "dont", "doesnt": "doesnt", "dosnt": "doesnt", "dosent": "doesnt",
    "didnt": "didnt", "havnt": "havent", "hvnt": "havent", "havent": "havent", "carnt": "cant",
    "bf": "boyfriend", "gf": "girlfriend", "no1": "no one", "noone": "no one",
    "some1": "someone", "sum1": "someone", "any1": "anyone", "ne1": "anyone",
    "every1": "everyone", "2day": "today", "2nite": "tonight", "2night": "tonight",
    "tonite": "tonight", "nite": "night", "b4": "before", "wen": "when", "wiv": "with",
    "pls": "please", "plz": "please", "plez": "please", "smth": "something", "sth": "something",
    "sumthin": "something", "nothin": "nothing", "wat": "what", "wot": "what", "luv": "love",
    "hav": "have", "cud": "could", "wud": "would", "shud": "should", "scard": "scared",
    "kys": "kill yourself", "kms": "kms",
}  # fmt: skip
_PAIRS = {
    ("my", "self"): "myself", ("your", "self"): "yourself", ("him", "self"): "himself",
    ("her", "self"): "herself", ("them", "selves"): "themselves", ("step", "dad"): "stepdad",
    ("step", "mum"): "stepmum", ("step", "mom"): "stepmum", ("step", "brother"): "stepbrother",
    ("step", "sister"): "stepsister", ("any", "more"): "anymore",
}  # fmt: skip
_UNITS = frozenset(
    ["day", "days", "week", "weeks", "hour", "hours", "hrs", "night", "nights", "month", "months",
     "year", "years", "yrs", "min", "mins", "minute", "minutes", "time", "times", "pm", "am",
     "weekend", "weekends", "o", "oclock"]
)  # fmt: skip
# Words the rules depend on, with a typo forgiven; real words one typo away are left alone.
_TYPO_TARGETS = (
    "suicide", "suicidal", "myself", "yourself", "himself", "herself", "worthless",
    "frightened", "terrified", "overdose", "paracetamol", "bruises", "unalive", "touches",
    "touched", "privates", "boyfriend", "girlfriend", "stepdad", "bullied", "threatened",
    "threatening",
)  # fmt: skip
_NOT_TYPOS = frozenset({"overdone", "overdoes", "cruises", "primates", "touchy"})


def squeeze(word: str) -> str:
    """Repeated letters once: "diiie" -> "die", "kill" -> "kil"."""
    return _REPEATS.sub(r"\1", word)


_SPEAK = {squeeze(k): tuple(squeeze(w) for w in v.split()) for k, v in _TEXT_SPEAK.items()}
_JOIN = {(squeeze(a), squeeze(b)): squeeze(v) for (a, b), v in _PAIRS.items()}
_TYPOS = {squeeze(w): squeeze(w) for w in _TYPO_TARGETS}
_SQUEEZED_UNITS = frozenset(squeeze(u) for u in _UNITS)


@dataclass(frozen=True)
class Word:
    text: str
    start: int  # where it was typed: text[start:end] of the original message
    end: int


@dataclass(frozen=True)
class Normalised:
    original: str
    words: tuple[Word, ...]
    line: str  # " w1 w2 ... wn ": every word has a space either side
    offsets: tuple[int, ...]  # where each word starts in `line`

    def excerpt(self, start: int, end: int) -> str:
        """What was typed for the words overlapping line[start:end]."""
        first = _word_at(self.offsets, start)
        last = _word_at(self.offsets, max(start, end - 1))
        return " ".join(self.original[self.words[first].start : self.words[last].end].split())


def normalise(text: str) -> Normalised:
    words = _raw_words(text)
    words = _join_spelled_out(words)
    words = _expand(words)
    words = _join_pairs(words)
    offsets = []
    position = 1
    for word in words:
        offsets.append(position)
        position += len(word.text) + 1
    line = " " + " ".join(w.text for w in words) + " "
    return Normalised(text, tuple(words), line, tuple(offsets))


def _word_at(offsets: tuple[int, ...], position: int) -> int:
    low, high = 0, len(offsets) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if offsets[middle] <= position:
            low = middle
        else:
            high = middle - 1
    return low


def _raw_words(text: str) -> list[Word]:
    words: list[Word] = []
    chars: list[str] = []
    start = 0

    def flush(end: int) -> None:
        if chars:
            words.append(Word("".join(chars)[:_LONGEST_WORD], start, end))
            chars.clear()

    length = len(text)
    index = 0
    while index < length:
        ch = text[index]
        if ch in _APOSTROPHES:
            suffix = _contraction_after(text, index)
            if suffix and chars:
                flush(index)
                words.append(Word(_CONTRACTIONS[suffix], index, index + 1 + len(suffix)))
                index += 1 + len(suffix)
            else:
                index += 1  # "don't" -> "dont", "mum's" -> "mums"
            continue
        for part in _plain(ch):
            if part.isalnum() or part in "@$":
                if not chars:
                    start = index
                chars.append(part)
            else:
                flush(index)
        index += 1
    flush(length)
    return words


def _contraction_after(text: str, index: int) -> str | None:
    for suffix in ("ll", "re", "ve", "d", "m"):
        end = index + 1 + len(suffix)
        if text[index + 1 : end].lower() == suffix and (
            end >= len(text) or not text[end].isalnum()
        ):
            return suffix
    return None


@lru_cache(maxsize=4096)  # a message is mostly the same few dozen characters
def _plain(ch: str) -> str:
    """One typed character as lower-case letters without accents; anything else as a space."""
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return " "
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn") or " "


def _join_spelled_out(words: list[Word]) -> list[Word]:
    """ "k m s" -> "kms": a run of three or more single letters is one word."""
    out: list[Word] = []
    run: list[Word] = []
    for word in [*words, Word("", 0, 0)]:
        if len(word.text) == 1 and word.text.isalpha():
            run.append(word)
            continue
        if len(run) >= 3:
            out.append(Word("".join(w.text for w in run), run[0].start, run[-1].end))
        else:
            out.extend(run)
        run = []
        if word.text:
            out.append(word)
    return out


def _expand(words: list[Word]) -> list[Word]:
    out: list[Word] = []
    for index, word in enumerate(words):
        text = squeeze(word.text)
        if text == "2":
            following = words[index + 1].text if index + 1 < len(words) else ""
            if following.isalpha() and squeeze(following) not in _SQUEEZED_UNITS:
                text = "to"
        if text in _SPEAK:
            out.extend(Word(part, word.start, word.end) for part in _SPEAK[text])
            continue
        if any(c.isalpha() for c in text) and any(not c.isalpha() for c in text):
            text = squeeze(text.translate(_LEET))
        elif not text.isalnum():
            text = text.strip("@$") or text
        out.append(Word(_corrected(text), word.start, word.end))
    return out


@lru_cache(maxsize=16384)  # every message is checked; most words recur
def _corrected(word: str) -> str:
    if len(word) < 6 or word in _TYPOS or word in _NOT_TYPOS or not word.isalpha():
        return word
    best, best_distance = word, 3
    for target in _TYPOS:
        limit = 1 if len(target) <= 8 else 2
        found = distance(word, target, limit)
        if found <= limit and found < best_distance:
            best, best_distance = target, found
    return best


def _join_pairs(words: list[Word]) -> list[Word]:
    out: list[Word] = []
    for word in words:
        if out and (out[-1].text, word.text) in _JOIN:
            previous = out.pop()
            out.append(Word(_JOIN[(previous.text, word.text)], previous.start, word.end))
        else:
            out.append(word)
    return out
