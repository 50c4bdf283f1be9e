"""A flow laid out as boxes and arrows for the dashboard's inline SVG, and as a text outline.

Steps stand in one column in file order, so a flow reads top to bottom as its file does. An arrow
to the very next box goes straight down; every other arrow (a branch, a jump ahead, a loop back)
runs in its own lane to the right, labelled with its condition where it leaves its step. Lanes are
spaced by their labels' widths, so no label is crossed by another lane's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.reports.questions import question_text
from flows.schema import END, Flow, Step, StepType

START = "start"
FINISH = "finish"

BOX_X = 16
BOX_W = 360
BOX_H = 78
PILL_H = 34
GAP = 46  # between boxes: room for a straight arrow and its label
LANE_FIRST = 28  # from the boxes' right edge to the first lane
LANE_PAD = 28  # between one lane's widest label and the next lane
EXIT_FIRST = 20  # from a box's top to its first sideways exit
EXIT_STEP = 22
ENTRY_FROM_BOTTOM = 14
CHAR_W = 7.4  # average width of a 13px sans-serif character, for spacing labels
LINE_CHARS = 46
LABEL_CHARS = 44
MARGIN = 16

TYPE_WORDS = {
    StepType.MESSAGE: "message",
    StepType.CHOICE: "choose one",
    StepType.MULTI_CHOICE: "choose any",
    StepType.SCALE: "scale",
    StepType.YES_NO: "yes / no",
    StepType.TEXT: "free text",
    StepType.NUMBER: "number",
    StepType.DATE: "date",
}


@dataclass(frozen=True)
class Branch:
    """Where a step can go next, and when: `when` is None for the only way on."""

    target: str  # a step id, or END
    when: str | None


@dataclass
class Node:
    id: str
    kind: str  # "start", "finish", "message" or "question"
    title: str
    lines: list[str]
    y: float
    height: float
    tooltip: str = ""

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> float:
        return BOX_X + BOX_W / 2


@dataclass
class Edge:
    source: str
    target: str
    label: str
    full_label: str
    path: str = ""
    label_x: float = 0
    label_y: float = 0
    straight: bool = False


@dataclass
class Chart:
    nodes: list[Node]
    edges: list[Edge]
    width: float
    height: float
    box_x: float = BOX_X
    box_w: float = BOX_W
    lanes: list[float] = field(default_factory=list)


def type_words(step: Step) -> str:
    if step.type is StepType.SCALE and step.points:
        return f"scale {step.scale_min} to {step.scale_max}"
    return TYPE_WORDS[step.type]


def branches(flow: Flow, step: Step) -> list[Branch]:
    """Every way on from `step`, in the order the engine tries them, one per target."""
    found: dict[str, list[str | None]] = {}
    conditional = False
    for route in step.next:
        if route.condition is None:
            found.setdefault(route.go, []).append("otherwise" if conditional else None)
            break
        conditional = True
        found.setdefault(route.go, []).append(f"if {route.source or 'condition'}")
    else:
        position = flow.position(step.id)
        following = flow.steps[position + 1].id if position + 1 < len(flow.steps) else END
        found.setdefault(following, []).append("otherwise" if conditional else None)
    out = []
    for target, whens in found.items():
        words = [w for w in whens if w]
        # A target reached both on a condition and otherwise is reached whatever the answer.
        out.append(Branch(target, None if None in whens else " or ".join(words) or None))
    return out


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        if len(word) > width:
            word = word[: width - 1] + "…"
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last).rstrip() + "…"
    return lines


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _entry(node: Node) -> float:
    """Where a sideways arrow comes in: low on a box, away from its own exits at the top."""
    return node.y + node.height / 2 if node.kind == "finish" else node.bottom - ENTRY_FROM_BOTTOM


def layout(flow: Flow, language: str | None = None) -> Chart:
    lang = language or flow.default_language
    nodes: list[Node] = [Node(START, "start", _short(flow.title, 36), [], MARGIN, PILL_H)]
    y = MARGIN + PILL_H + GAP
    for step in flow.steps:
        text = question_text(step, lang)
        kind = "question" if step.is_question else "message"
        title = f"{step.id} · {type_words(step)}"
        nodes.append(Node(step.id, kind, title, _wrap(text, LINE_CHARS, 2), y, BOX_H, text))
        y += BOX_H + GAP
    nodes.append(Node(FINISH, "finish", "end", [], y, PILL_H))
    index = {n.id: i for i, n in enumerate(nodes)}

    edges = [Edge(START, flow.steps[0].id, "", "")]
    for step in flow.steps:
        for branch in branches(flow, step):
            goes = FINISH if branch.target == END else branch.target
            if goes not in index:
                continue  # the loader refuses such flows; never draw an arrow to nowhere
            when = branch.when or ""
            edges.append(Edge(step.id, goes, _short(when, LABEL_CHARS), when))

    exits: dict[str, int] = {}
    sideways: list[Edge] = []
    for edge in edges:
        source, target = nodes[index[edge.source]], nodes[index[edge.target]]
        if index[edge.target] == index[edge.source] + 1:
            edge.straight = True
            x = source.centre
            edge.path = f"M{x:g},{source.bottom:g} V{target.y - 2:g}"
            edge.label_x, edge.label_y = x + 10, source.bottom + GAP / 2 + 4
        else:
            k = exits.get(edge.source, 0)
            exits[edge.source] = k + 1
            edge.label_y = source.y + EXIT_FIRST + k * EXIT_STEP  # exit height, for now
            sideways.append(edge)

    # Short spans take the inner lanes; a lane holds arrows whose spans do not overlap.
    lanes: list[list[tuple[float, float]]] = []
    lane_of: dict[int, int] = {}
    for i, edge in sorted(
        enumerate(sideways),
        key=lambda p: abs(index[p[1].target] - index[p[1].source]),
    ):
        entry = _entry(nodes[index[edge.target]])
        lo, hi = sorted((edge.label_y, entry))
        lo, hi = lo - 12, hi + 12
        for n, taken in enumerate(lanes):
            if all(hi < a or lo > b for a, b in taken):
                taken.append((lo, hi))
                lane_of[i] = n
                break
        else:
            lanes.append([(lo, hi)])
            lane_of[i] = len(lanes) - 1

    lane_x: list[float] = []
    x = BOX_X + BOX_W + LANE_FIRST
    for n in range(len(lanes)):
        lane_x.append(x)
        widest = max((len(e.label) for i, e in enumerate(sideways) if lane_of[i] == n), default=0)
        x += widest * CHAR_W + LANE_PAD
    right = BOX_X + BOX_W
    for i, edge in enumerate(sideways):
        lx = lane_x[lane_of[i]]
        exit_y = edge.label_y
        entry = _entry(nodes[index[edge.target]])
        edge.path = f"M{right:g},{exit_y:g} H{lx:g} V{entry:g} H{right + 2:g}"
        edge.label_x, edge.label_y = lx + 6, exit_y + 4

    width = max(x, BOX_X + BOX_W + MARGIN) + MARGIN
    height = nodes[-1].bottom + MARGIN
    return Chart(nodes, edges, width, height, lanes=lane_x)


@dataclass(frozen=True)
class OutlineStep:
    """One step as a screen reader hears it: what it asks, then where each answer leads."""

    step: Step
    number: int
    kind: str
    text: str
    branches: list[tuple[str, str | None]]  # (target step id or "end", condition words)


def outline(flow: Flow, language: str | None = None) -> list[OutlineStep]:
    lang = language or flow.default_language
    return [
        OutlineStep(
            step,
            i,
            type_words(step),
            question_text(step, lang),
            [(b.target, b.when) for b in branches(flow, step)],
        )
        for i, step in enumerate(flow.steps, start=1)
    ]
