from __future__ import annotations

from dataclasses import dataclass


class FlowError(Exception):
    """Root of every error the flows package raises."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a flow file, located precisely enough for a non-programmer to fix it."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class FlowValidationError(FlowError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
