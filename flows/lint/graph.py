"""The step graph of a flow: where each step can lead, what is unreachable, which loops never end."""

from __future__ import annotations

from flows.schema import END, Flow, Step


def edges(flow: Flow, step: Step) -> list[str]:
    """Every step id (or END) that can follow `step`, whatever the answers."""
    targets = [r.go for r in step.next]
    if not any(r.condition is None for r in step.next):
        position = flow.position(step.id)
        targets.append(flow.steps[position + 1].id if position + 1 < len(flow.steps) else END)
    return list(dict.fromkeys(targets))


def unreachable(flow: Flow) -> list[Step]:
    seen = {flow.steps[0].id}
    todo = [flow.steps[0].id]
    while todo:
        current = flow.step(todo.pop())
        for target in edges(flow, current):
            if target != END and target not in seen:
                seen.add(target)
                todo.append(target)
    return [s for s in flow.steps if s.id not in seen]


def trapped_loops(flow: Flow) -> list[list[str]]:
    """Groups of steps that lead only to each other: once entered, the conversation can never end."""
    graph = {s.id: [t for t in edges(flow, s) if t != END] for s in flow.steps}
    can_end = {s.id for s in flow.steps if END in edges(flow, s)}
    # Walk backwards from every step that can end; whatever is never reached cannot finish.
    reverse: dict[str, list[str]] = {s.id: [] for s in flow.steps}
    for source, targets in graph.items():
        for t in targets:
            reverse[t].append(source)
    finishing = set(can_end)
    todo = list(can_end)
    while todo:
        for source in reverse[todo.pop()]:
            if source not in finishing:
                finishing.add(source)
                todo.append(source)
    stuck = [s.id for s in flow.steps if s.id not in finishing]
    if not stuck:
        return []
    # Report each stuck strongly connected group once, in file order.
    groups: list[list[str]] = []
    placed: set[str] = set()
    for sid in stuck:
        if sid in placed:
            continue
        group = [x for x in stuck if _reaches(graph, sid, x) and _reaches(graph, x, sid)]
        if not group:  # leads into a loop but is not part of one; the loop itself is reported
            placed.add(sid)
            continue
        placed.update(group)
        groups.append(group)
    return groups


def _reaches(graph: dict[str, list[str]], a: str, b: str) -> bool:
    seen = {a}
    todo = [a]
    while todo:
        for t in graph[todo.pop()]:
            if t == b:
                return True
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return False
