"""A tiny, safe condition language for branching, parsed and checked at load time (never Python eval).

    rating <= 2
    attended == no and not skipped(rating)
    "speakers" in worked_well or use_learning in ["yes", "a_bit"]

Names are step ids and stand for that step's answer. `yes`/`no`/`true`/`false` are booleans.
`answered(step)` is true once the step has a real value; `skipped(step)` when it was skipped, answered
"don't know" or "prefer not to say", or given up on. A comparison with a missing answer is false.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flows.errors import FlowError


class ExprError(FlowError):
    def __init__(self, message: str, column: int) -> None:
        self.column = column
        super().__init__(f"{message} (at character {column + 1})")


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Name:
    step_id: str


@dataclass(frozen=True)
class Call:
    func: str  # "answered" | "skipped"
    step_id: str


@dataclass(frozen=True)
class ListLit:
    items: tuple[Literal, ...]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    operand: Expr


Expr = Literal | Name | Call | ListLit | Compare | BoolOp | Not

FUNCTIONS = frozenset({"answered", "skipped"})
KEYWORD_LITERALS = {"yes": True, "no": False, "true": True, "false": False}
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">", "in", "not in")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>"[^"\\]*"|'[^'\\]*')
      | (?P<op>==|!=|<=|>=|<|>)
      | (?P<punct>[()\[\],])
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    pos: int


def _tokenize(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        m = _TOKEN.match(source, pos)
        if m is None or m.lastgroup is None:
            start = pos + (len(source[pos:]) - len(source[pos:].lstrip()))
            raise ExprError(f"unexpected {source[start]!r}", start)
        kind = m.lastgroup
        tokens.append(_Tok(kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(_Tok("eof", "", len(source)))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.i = 0

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok.kind == "name" and tok.text == word

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            raise ExprError(f"expected {text!r} but found {tok.text or 'the end'!r}", tok.pos)

    def parse(self) -> Expr:
        if self.peek().kind == "eof":
            raise ExprError("the condition is empty", 0)
        expr = self.parse_or()
        tok = self.peek()
        if tok.kind != "eof":
            raise ExprError(f"unexpected {tok.text!r}", tok.pos)
        return expr

    def parse_or(self) -> Expr:
        parts = [self.parse_and()]
        while self.is_word("or"):
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def parse_and(self) -> Expr:
        parts = [self.parse_not()]
        while self.is_word("and"):
            self.take()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def parse_not(self) -> Expr:
        if self.is_word("not"):
            self.take()
            return Not(self.parse_not())
        return self.parse_compare()

    def parse_compare(self) -> Expr:
        left = self.parse_atom()
        tok = self.peek()
        op: str | None = None
        if tok.kind == "op":
            op = self.take().text
        elif self.is_word("in"):
            self.take()
            op = "in"
        elif self.is_word("not") and self.tokens[self.i + 1].text == "in":
            self.take()
            self.take()
            op = "not in"
        if op is None:
            return left
        return Compare(op, left, self.parse_atom())

    def parse_atom(self) -> Expr:
        tok = self.take()
        if tok.kind == "number":
            return Literal(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "string":
            return Literal(tok.text[1:-1])
        if tok.text == "(":
            inner = self.parse_or()
            self.expect(")")
            return inner
        if tok.text == "[":
            items: list[Literal] = []
            while self.peek().text != "]":
                item = self.parse_atom()
                if not isinstance(item, Literal):
                    raise ExprError(
                        "a list may only hold numbers, words in quotes, yes or no", tok.pos
                    )
                items.append(item)
                if self.peek().text == ",":
                    self.take()
                elif self.peek().text != "]":
                    nxt = self.peek()
                    raise ExprError(
                        f"expected ',' or ']' but found {nxt.text or 'the end'!r}", nxt.pos
                    )
            self.take()
            return ListLit(tuple(items))
        if tok.kind == "name":
            if tok.text in KEYWORD_LITERALS:
                return Literal(KEYWORD_LITERALS[tok.text])
            if tok.text in ("and", "or", "not", "in"):
                raise ExprError(f"{tok.text!r} needs something before it", tok.pos)
            if self.peek().text == "(":
                if tok.text not in FUNCTIONS:
                    known = ", ".join(sorted(FUNCTIONS))
                    raise ExprError(f"unknown function {tok.text!r}; known: {known}", tok.pos)
                self.take()
                arg = self.take()
                if arg.kind != "name":
                    raise ExprError(f"{tok.text}() takes a step id", arg.pos)
                self.expect(")")
                return Call(tok.text, arg.text)
            return Name(tok.text)
        raise ExprError(f"unexpected {tok.text or 'end of condition'!r}", tok.pos)


def parse(source: str) -> Expr:
    return _Parser(source).parse()


def names(expr: Expr) -> set[str]:
    """Every step id the expression refers to."""
    match expr:
        case Name(step_id) | Call(_, step_id):
            return {step_id}
        case Compare(_, left, right):
            return names(left) | names(right)
        case BoolOp(_, parts):
            return set().union(*(names(p) for p in parts))
        case Not(operand):
            return names(operand)
        case _:
            return set()


def comparisons(expr: Expr) -> list[Compare]:
    match expr:
        case Compare():
            return [expr]
        case BoolOp(_, parts):
            return [c for p in parts for c in comparisons(p)]
        case Not(operand):
            return comparisons(operand)
        case _:
            return []


_MISSING = object()


def evaluate(expr: Expr, answers: dict[str, Any], specials: dict[str, str | None]) -> bool:
    """`answers` maps step id to typed value (None when skipped); `specials` to the special, if any."""
    return bool(_eval(expr, answers, specials))


def _eval(expr: Expr, answers: dict[str, Any], specials: dict[str, str | None]) -> Any:
    match expr:
        case Literal(value):
            return value
        case ListLit(items):
            return [i.value for i in items]
        case Name(step_id):
            value = answers.get(step_id)
            return _MISSING if value is None else value
        case Call("answered", step_id):
            return answers.get(step_id) is not None
        case Call(_, step_id):
            return step_id in specials and specials[step_id] is not None
        case Not(operand):
            return not _truthy(_eval(operand, answers, specials))
        case BoolOp("and", parts):
            return all(_truthy(_eval(p, answers, specials)) for p in parts)
        case BoolOp(_, parts):
            return any(_truthy(_eval(p, answers, specials)) for p in parts)
        case Compare(op, left, right):
            return _compare(op, _eval(left, answers, specials), _eval(right, answers, specials))


def _truthy(value: Any) -> bool:
    return value is not _MISSING and bool(value)


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return False
    try:
        if op == "==":
            return bool(a == b)
        if op == "!=":
            return bool(a != b)
        if op in ("in", "not in"):
            found = a in b if isinstance(b, list | str) else False
            return found if op == "in" else not found
        if isinstance(a, bool) or isinstance(b, bool):
            return False
        if op == "<":
            return bool(a < b)
        if op == "<=":
            return bool(a <= b)
        if op == ">":
            return bool(a > b)
        return bool(a >= b)
    except TypeError:
        return False
