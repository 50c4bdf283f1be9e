"""Routes through a flow, from its first step to its end, for costing and checking them."""

from __future__ import annotations

from flows.lint.graph import edges
from flows.schema import END, Flow

MAX_PATHS = 10_000


def default_next(flow: Flow, step_id: str) -> str | None:
    """Where a step leads when no condition holds: its plain `go`, else the step below it."""
    step = flow.step(step_id)
    plain = next((r.go for r in step.next if r.condition is None), None)
    if plain is None:
        position = flow.position(step_id)
        plain = flow.steps[position + 1].id if position + 1 < len(flow.steps) else END
    return None if plain == END else plain


def default_path(flow: Flow) -> list[str]:
    """The route of someone whose answers never take a branch: the flow's typical run."""
    path: list[str] = []
    current: str | None = flow.steps[0].id
    while current is not None and current not in path:
        path.append(current)
        current = default_next(flow, current)
    return path


def all_paths(flow: Flow) -> list[list[str]]:
    """Every route to the end that visits no step twice (conditions are not evaluated, so a
    route some answers could never take may be listed too)."""
    found: list[list[str]] = []
    todo: list[list[str]] = [[flow.steps[0].id]]
    while todo and len(found) < MAX_PATHS:
        path = todo.pop()
        for target in reversed(edges(flow, flow.step(path[-1]))):
            if target == END:
                found.append(path)
            elif target not in path:
                todo.append([*path, target])
    return found


def turns(flow: Flow, path: list[str]) -> list[list[str]]:
    """A route cut into what each message carries: everything up to and with a question, then
    whatever follows the last answer (empty when the flow ends on a question)."""
    out: list[list[str]] = [[]]
    for step_id in path:
        out[-1].append(step_id)
        if flow.step(step_id).is_question:
            out.append([])
    return out
