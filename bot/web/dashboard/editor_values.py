"""Form values and flow-file values, each read as the other (the editor's small conversions)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def as_text(value: Any) -> str:
    if value is None:
        return ""
    return str(bool_word(value))


def bool_word(value: Any) -> Any:
    """YAML 1.1 reads a bare yes/no as true/false; the flow means the word."""
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def texts(value: Any, languages: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): as_text(v) for k, v in value.items()}
    return {languages[0] if languages else "en": as_text(value)}


def text_out(text: Mapping[str, str], langs: list[str]) -> str | dict[str, str]:
    if len(langs) == 1:
        return text.get(langs[0], "")
    return {lang: text.get(lang, "") for lang in langs}


def to_int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def to_key(value: str) -> int | str:
    n = to_int(value)
    return n if n is not None else value


def to_number(value: str) -> int | float | str:
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number
