"""One line of a health report: what was checked, how it stands, and how to put it right."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    name: str
    level: Level
    # Said to operators, in logs and on a public /healthz: setting names and counts only, never a
    # secret, a phone number or a name.
    summary: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.level == "fail"


def ok(name: str, summary: str) -> Check:
    return Check(name, "ok", summary)


def warn(name: str, summary: str, fix: str) -> Check:
    return Check(name, "warn", summary, fix)


def fail(name: str, summary: str, fix: str) -> Check:
    return Check(name, "fail", summary, fix)


def failures(checks: Iterable[Check]) -> list[Check]:
    return [c for c in checks if c.failed]


def problems(checks: Iterable[Check]) -> list[Check]:
    """Everything not OK, failures first."""
    found = [c for c in checks if c.level != "ok"]
    return sorted(found, key=lambda c: c.level != "fail")
