"""A set of flows that run together: ids and start keywords must be unique across them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from flows.errors import FlowValidationError, Problem
from flows.loader.flowfile import load_flow
from flows.schema import Flow

LIBRARY_DIR = Path(__file__).parent / "library"


class FlowLibrary:
    def __init__(self, flows: Iterable[Flow]) -> None:
        self._flows = {f.id: f for f in flows}
        self._keywords = {f.start_keyword: f for f in self._flows.values() if f.start_keyword}

    def __iter__(self) -> Iterator[Flow]:
        return iter(sorted(self._flows.values(), key=lambda f: f.id))

    def __len__(self) -> int:
        return len(self._flows)

    def __contains__(self, flow_id: object) -> bool:
        return flow_id in self._flows

    def get(self, flow_id: str) -> Flow:
        try:
            return self._flows[flow_id]
        except KeyError:
            known = ", ".join(sorted(self._flows))
            raise KeyError(f"no flow '{flow_id}'; known flows: {known}") from None

    def by_keyword(self, word: str) -> Flow | None:
        return self._keywords.get(word.strip().upper())


def flow_files(paths: Iterable[str | Path] | None = None) -> list[Path]:
    """YAML files named directly, or found in named folders; the bundled library when none are named."""
    found: list[Path] = []
    for p in [Path(x) for x in (paths or [LIBRARY_DIR])]:
        if p.is_dir():
            found += sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml"))
        else:
            found.append(p)
    return found


def load_library(paths: Iterable[str | Path] | None = None) -> FlowLibrary:
    """Load every flow; raise one FlowValidationError listing the problems of all files."""
    flows: list[Flow] = []
    problems: list[Problem] = []
    for path in flow_files(paths):
        try:
            flows.append(load_flow(path))
        except FlowValidationError as exc:
            problems += exc.problems
    seen_ids: dict[str, Flow] = {}
    seen_keywords: dict[str, Flow] = {}
    for flow in flows:
        if flow.id in seen_ids:
            problems.append(
                Problem(
                    flow.source,
                    1,
                    "id",
                    f"'{flow.id}' is also the id of {seen_ids[flow.id].source}",
                )
            )
        seen_ids[flow.id] = flow
        kw = flow.start_keyword
        if kw and kw in seen_keywords:
            problems.append(
                Problem(
                    flow.source, 1, "start_keyword", f"{kw} also starts {seen_keywords[kw].source}"
                )
            )
        if kw:
            seen_keywords[kw] = flow
    if problems:
        raise FlowValidationError(problems)
    return FlowLibrary(flows)
