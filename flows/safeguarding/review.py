"""The second, wider net: words that may mean harm, for a person to glance at.

The rules in `flows.safeguarding.detector` decide when the survey pauses and the lead is emailed; they are
precise, and new wordings slip past them. This net catches what they might miss, at the cost of
false alarms, so its hits only go to the officers' review queue: nobody's survey is interrupted.
"""

from __future__ import annotations

import re

from flows.safeguarding.text import normalise, squeeze

# The line these run on has its repeated letters squeezed ("kill" reads "kil"), so the patterns are
# squeezed the same way; written out in full they would never match "kill", "pills" or "terrified".
RISK_WORDS = re.compile(
    squeeze(
        r"\b(die|dying|dead|death|kill\w*|suicid\w*|unalive\w*|hurt\w*|hit|hits|hitting|beat|beats|"
        r"beaten|beating|punch\w*|kick\w*|slap\w*|strangl\w*|chok\w*|touch\w*|abus\w*|rape\w*|"
        r"scared|afraid|frighten\w*|terrified|unsafe|knife|knives|stab\w*|gun|weapon\w*|cut|cuts|"
        r"cutting|starv\w*|hungry|secret\w*|drug\w*|owe|bruis\w*|lock\w* me|threat\w*|"
        r"overdos\w*|pills|tablets|self ?harm\w*|harm\w*|groom\w*|naked|nudes?|blackmail\w*)\b"
    )
)
_FIRST_PERSON = re.compile(r"\b(me|my|i|im|myself|mine|us|we|our)\b")
# Everyday SEND talk that uses the same words; only these exact phrases are let through.
_IDIOMS = re.compile(
    squeeze(
        r"\b(killing (me|us|it)|kill for|dying to|died laughing|bored to death|to die for|"
        r"dead end|dead line|deadline|"
        r"hit (the|a|our|my|his|her|their|its) (target|deadline|wall|milestone)s?|"
        r"hit and miss|kick(ed|s)? off|cut (the )?queue|cut ?back|cuts? to (services|funding|budget)|"
        r"scared of (needles|dogs|the dark|spiders)|afraid (so|not)|secret santa|"
        r"medication|tablets? (for|at|in the morning)|hurt (my|our) chances)\b"
    )
)


# Emoji that can stand for harm on their own ("🔪😭", "💊💊💊"): a person glances at any message
# with one, whatever the words say. Not 💀, which young people use for laughing.
_DANGER_EMOJI = frozenset("🔪🗡🩸🪢🆘🔫⚰🪦💊🩹🤕😵🚑🚨⛓")


def danger_emoji(text: str) -> str | None:
    """The first emoji in the text that can signal harm, or None."""
    return next((c for c in text if c in _DANGER_EMOJI), None)


_LONGEST = 5000


def needs_review(text: str, line: str | None = None) -> str | None:
    """The risk word that caught this message, or None. `line` is the text already normalised."""
    tidied = line if line is not None and len(text) <= _LONGEST else normalise(text[:_LONGEST]).line
    found = RISK_WORDS.search(tidied)
    if found is None or not _FIRST_PERSON.search(tidied):
        return None
    spans = [m.span() for m in _IDIOMS.finditer(tidied)]
    for match in RISK_WORDS.finditer(tidied):
        if not any(a <= match.start() < b for a, b in spans):
            return _as_written(match.group(0), text)
    return None


def _as_written(word: str, text: str) -> str:
    """The word as the person wrote it ("killing", not the squeezed "kiling"), for the officer."""
    for found in re.finditer(r"[^\W\d_]+", text.lower()):
        if squeeze(found.group(0)) == word:
            return found.group(0)
    return word
