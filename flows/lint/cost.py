"""What one person's run through a flow costs by SMS: segments per route, shortest to longest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flows.lint.budget import turn_prompts
from flows.lint.paths import all_paths, default_path, turns
from flows.outcome import Prompt, PromptKind
from flows.render import render_sms
from flows.schema import Flow
from flows.texts import fill


@dataclass(frozen=True)
class RouteCost:
    steps: tuple[str, ...]
    texts: int  # messages sent (a long one may be split, each part counted in segments)
    segments: int


def route_cost(
    flow: Flow,
    steps: list[str],
    language: str,
    values: Mapping[str, str],
    notice: str | None = None,
) -> RouteCost:
    """Every text sent along `steps`, the first with `notice` (a template) when given."""
    texts = segments = 0
    for i, group in enumerate(turns(flow, steps)):
        if not group and i == 0:
            continue
        prompts = turn_prompts(flow, group, language, values)
        if i == 0 and notice:
            text = fill(notice, values)
            prompts = [Prompt(kind=PromptKind.INFO, text=text, language=language), *prompts]
        sent = render_sms(prompts, opt_out_notice=i == 0)
        texts += len(sent)
        segments += sum(m.segments.segments for m in sent)
    return RouteCost(tuple(steps), texts, segments)


def costs(
    flow: Flow, language: str, values: Mapping[str, str], notice: str | None = None
) -> dict[str, RouteCost]:
    """The cheapest and dearest routes, and the typical one (no answer takes a branch)."""
    every = [route_cost(flow, p, language, values, notice) for p in all_paths(flow)]
    typical = route_cost(flow, default_path(flow), language, values, notice)
    return {
        "shortest": min(every, key=lambda r: (r.segments, len(r.steps))),
        "typical": typical,
        "longest": max(every, key=lambda r: (r.segments, len(r.steps))),
    }
