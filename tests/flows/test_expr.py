from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import expr


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("rating <= 2", {"rating": 2}, True),
        ("rating <= 2", {"rating": 3}, False),
        ("rating <= 2", {}, False),
        ("attended == no", {"attended": False}, True),
        ("attended == yes and rating > 3", {"attended": True, "rating": 4}, True),
        ("not (rating > 3)", {"rating": 4}, False),
        ('"talks" in topics', {"topics": ["talks", "chat"]}, True),
        ('"talks" not in topics', {"topics": ["chat"]}, True),
        ('use in ["yes", "a_bit"]', {"use": "a_bit"}, True),
        ("answered(rating)", {"rating": 1}, True),
        ("answered(rating)", {"rating": None}, False),
        ("rating >= 4 or attended == no", {"attended": False}, True),
        ("rating > yes", {"rating": 3}, False),
    ],
)
def test_conditions_evaluate_as_officers_expect(
    source: str, values: dict[str, object], expected: bool
) -> None:
    assert expr.evaluate(expr.parse(source), values, {}) is expected


def test_skipped_looks_at_specials() -> None:
    parsed = expr.parse("skipped(rating)")
    assert expr.evaluate(parsed, {"rating": None}, {"rating": "skip"})
    assert not expr.evaluate(parsed, {"rating": 3}, {"rating": None})


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "the condition is empty (at character 1)"),
        ("rating <=", "unexpected 'end of condition' (at character 10)"),
        ("eval(rating)", "unknown function 'eval'; known: answered, skipped (at character 1)"),
        (
            "__import__('os')",
            "unknown function '__import__'; known: answered, skipped (at character 1)",
        ),
        ("rating = 2", "unexpected '=' (at character 8)"),
    ],
)
def test_bad_conditions_say_what_and_where(source: str, message: str) -> None:
    with pytest.raises(expr.ExprError) as caught:
        expr.parse(source)
    assert str(caught.value) == message


@given(st.text(max_size=80))
def test_parser_never_fails_with_anything_but_expr_error(source: str) -> None:
    try:
        parsed = expr.parse(source)
    except expr.ExprError:
        return
    expr.evaluate(parsed, {}, {})
