"""Taking identifiers out of free text before it leaves the people allowed to read it raw.

A parent may write "call me on 07700 900123" or "my son Jacob": quotes in the committee report and
free text in pseudonymised exports go through `redact` first. It catches phone numbers, email
addresses, postcodes, and a name that follows words such as "my son" or "my name is". It cannot
catch every name: the report asks officers to read quotes before sharing them.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, with the spaces, dots, dashes and brackets people put between them.
_PHONE = re.compile(r"(?<!\w)\+?\(?\d(?:[\s().-]*\d){6,}(?!\w)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_RELATIONS = (
    r"son|daughter|child|kid|boy|girl|grandson|granddaughter|nephew|niece|brother|sister|"
    r"husband|wife|partner|name|teacher|senco|social worker"
)
_NAMED = re.compile(
    rf"\b((?i:(?:my|our|his|her|their)\s+(?:{_RELATIONS})(?:\s+is|\s+was|'s\s+name\s+is|\s+called|,)?)\s+)"
    r"([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)"
)
_SELF = re.compile(r"\b((?i:I am|I'm|this is|it's|from)\s+)([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)")
_NOT_NAMES = frozenset(
    {
        "I",
        "The",
        "A",
        "An",
        "It",
        "He",
        "She",
        "They",
        "We",
        "Very",
        "Not",
        "So",
        "Really",
        "Happy",
        "Sorry",
        "Sure",
        "Glad",
        "Worried",
        "Year",
        "Mum",
        "Dad",
        "School",
        "College",
    }
)


def _name(match: re.Match[str]) -> str:
    first = match.group(2).split()[0]
    if first in _NOT_NAMES:
        return match.group(0)
    return f"{match.group(1)}[name]"


def _phone(match: re.Match[str]) -> str:
    return match.group(0) if _DATE.fullmatch(match.group(0).strip()) else "[phone number]"


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub(_phone, text)
    text = _POSTCODE.sub("[postcode]", text)
    text = _NAMED.sub(_name, text)
    return _SELF.sub(_name, text)
