"""A Mermaid flowchart of a flow, so officers can see its shape and branches."""

from __future__ import annotations

from flows.lint.graph import edges
from flows.schema import END, Flow, StepType

_MAX_LABEL = 48


def _label(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _MAX_LABEL:
        text = text[: _MAX_LABEL - 1].rstrip() + "…"
    # Mermaid reads quotes, brackets and braces as syntax inside labels.
    for char, code in (
        ('"', "#quot;"),
        ("<", "#lt;"),
        (">", "#gt;"),
        ("{", "#123;"),
        ("}", "#125;"),
    ):
        text = text.replace(char, code)
    return text


def mermaid(flow: Flow, language: str | None = None) -> str:
    lang = language or flow.default_language
    lines = ["flowchart TD", f'    start(["{_label(flow.title)}"])']
    lines.append(f"    start --> {flow.steps[0].id}")
    if flow.who_answered is not None:
        # Asked by the engine before the first question, whichever route leads there.
        who = flow.who_answered
        text = _label(f"{who.id}: {who.text.get(lang, '')}")
        lines.append(f'    {who.id}{{{{"{text}<br/>(built in, before the first question)"}}}}')
        lines.append(f"    start -.-> {who.id}")
    for step in flow.steps:
        text = _label(f"{step.id}: {step.text.get(lang, '')}")
        if step.type is StepType.MESSAGE:
            lines.append(f'    {step.id}["{text}"]')
        else:
            lines.append(f'    {step.id}{{"{text}<br/>({step.type.value})"}}')
    for step in flow.steps:
        conditional = {r.go: r.source for r in step.next if r.condition is not None}
        for target in edges(flow, step):
            node = "finish" if target == END else target
            cond = conditional.get(target)
            if cond and not any(r.go == target and r.condition is None for r in step.next):
                lines.append(f'    {step.id} -- "{_label(cond)}" --> {node}')
            else:
                lines.append(f"    {step.id} --> {node}")
    lines.append('    finish(["end"])')
    return "\n".join(lines) + "\n"
