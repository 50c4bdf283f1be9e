"""Translated texts in flow files: placeholders and per-language completeness."""

from __future__ import annotations

import string
from collections.abc import Mapping


class PlaceholderError(ValueError):
    pass


def placeholders(text: str) -> set[str]:
    """Names used as {name}; raises PlaceholderError for malformed braces or {name.attr} / {0}."""
    found: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise PlaceholderError(f"{exc}; write {{{{ and }}}} for literal braces") from exc
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise PlaceholderError(f"{{{name}}} is not a variable name")
        found.add(name)
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """Fill placeholders; values are user data and are inserted verbatim, never re-interpreted."""
    out: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            value = values.get(name, "")
            written = "".join(out)
            before = written.rstrip()
            starts = not before or before[-1] in ".!?" or written.endswith("\n")
            if value[:1].islower() and starts and len(value[0].upper()) == 1:
                # "y digwyddiad: ..." opening a sentence reads "Y digwyddiad: ...".
                value = value[0].upper() + value[1:]
            out.append(value)
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    # An empty variable ("Hi {first_name},") must not leave "Hi ," behind.
    while "  " in text:
        text = text.replace("  ", " ")
    for mark in ",.!?":
        text = text.replace(f" {mark}", mark)
    return text.strip()
