import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_tui.core.expressions import ExpressionError, parse_expression


@pytest.mark.parametrize(
    ("source", "variables", "expected"),
    [
        ("answer <= 6", {"answer": 6}, True),
        ("answer <= 6", {"answer": 7}, False),
        (
            "days_since_last_purchase >= 30 and segment in ['b2c', 'vip']",
            {"days_since_last_purchase": 31, "segment": "vip"},
            True,
        ),
        ("not answers.nps > 8", {"answers.nps": 9}, False),
        ("x == null or x >= 30", {}, True),
        ("x == null or x >= 30", {"x": 10}, False),
        ("x >= 30", {}, False),  # ordering against a missing value is false, not an error
        ("answer == true", {"answer": True}, True),
        ("revenue_total / purchases_count > 1000", {"revenue_total": 5000, "purchases_count": 0}, False),
        ("1 < x < 5", {"x": 3}, True),
    ],
)
def test_evaluates(source, variables, expected):
    assert parse_expression(source).test(variables) is expected


def test_reports_names_read():
    assert parse_expression("a > 1 or b.c == 'x'").names == {"a", "b.c"}


@pytest.mark.parametrize(
    "source",
    [
        '__import__("os")',
        "a[1]",
        "x if y else z",
        "lambda: 1",
        "open('f')",
        "(1).__class__",
        "2 ** 8",
        "1 +",
        "",
    ],
)
def test_refuses_anything_outside_the_language(source):
    with pytest.raises(ExpressionError):
        parse_expression(source)


def test_string_arithmetic_cannot_exhaust_memory():
    assert parse_expression("'x' * 1000000000 == 'x'").test({}) is False


@given(st.integers(-100, 100), st.integers(-100, 100))
def test_comparisons_agree_with_python(a, b):
    assert parse_expression("a < b").test({"a": a, "b": b}) is (a < b)
    assert parse_expression("a + b == c").test({"a": a, "b": b, "c": a + b})
