"""The editor's condition builder: three boxes (question, comparison, value) and the condition they write.

The condition is written in the loader's own language (flows/expr.py), so what the builder writes is
checked exactly as a hand-written one; a condition it cannot show as boxes (and/or, brackets) is kept
as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

OPERATORS = {
    "==": "is",
    "!=": "is not",
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
    "includes": "includes",
    "answered": "was answered",
    "skipped": "was skipped (or don't know)",
}
NO_VALUE = ("answered", "skipped")

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_COMPARE = re.compile(rf"^({_NAME})\s*(==|!=|<=|>=|<|>)\s*(.+)$")
_INCLUDES = re.compile(rf'^"([^"]*)"\s+in\s+({_NAME})$')
_CALL = re.compile(rf"^(answered|skipped)\(\s*({_NAME})\s*\)$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


@dataclass
class Branch:
    question: str = ""
    op: str = "=="
    value: str = ""
    go: str = ""
    written: str = ""  # a condition the builder cannot show (and/or, brackets): kept as written

    @property
    def blank(self) -> bool:
        return not (self.go or self.question or self.written)


def parse_condition(source: str, go: str) -> Branch:
    """The builder's three boxes for a condition, or the condition kept as written."""
    text = source.strip()
    if not text:
        return Branch(go=go)
    if m := _CALL.match(text):
        return Branch(question=m.group(2), op=m.group(1), go=go)
    if m := _INCLUDES.match(text):
        return Branch(question=m.group(2), op="includes", value=m.group(1), go=go)
    if (m := _COMPARE.match(text)) and " and " not in text and " or " not in text:
        value = m.group(3).strip()
        if value.startswith('"') and value.endswith('"') and '"' not in value[1:-1]:
            return Branch(question=m.group(1), op=m.group(2), value=value[1:-1], go=go)
        if _NUMBER.match(value) or re.fullmatch(_NAME, value):
            return Branch(question=m.group(1), op=m.group(2), value=value, go=go)
    return Branch(go=go, written=text)


def condition(branch: Branch, kinds: Mapping[str, str]) -> str:
    """The condition the builder's boxes say, in the loader's language (flows/expr.py)."""
    if branch.written:
        return branch.written
    q, op, value = branch.question, branch.op, branch.value
    if not q:
        return ""
    if op in NO_VALUE:
        return f"{op}({q})"
    if op == "includes":
        return f"{_quoted(value)} in {q}"
    kind = kinds.get(q, "")
    if kind == "yes_no" and value.lower() in ("yes", "no"):
        written = value.lower()
    elif kind in ("scale", "number") and _NUMBER.match(value):
        written = value
    else:
        written = _quoted(value)
    return f"{q} {op} {written}"


def _quoted(value: str) -> str:
    return '"' + value.replace('"', "") + '"'
