"""A small, safe expression language for strategy eligibility and script branching.

Admins write conditions such as ``days_since_last_purchase >= 30 and segment in ['b2c', 'vip']`` or
``answer <= 6``. The text is parsed with Python's own grammar (so precedence is familiar) and then only a short
whitelist of node kinds is accepted: literals, names, dotted names, comparisons, ``and`` / ``or`` / ``not``,
arithmetic on numbers. There is no ``eval``, no calls, no subscripts, no attribute access on objects: a name is
looked up in a plain mapping, so a playbook can never reach into the program.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Value = Any
Evaluator = Callable[[Mapping[str, Value]], Value]

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ARITH: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}
_WORDS = {"true": True, "false": False, "null": None, "none": None}


class ExpressionError(ValueError):
    """The expression is not valid in this language; the message says what and where."""


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its source, the names it reads, and a compiled evaluator."""

    source: str
    names: frozenset[str]
    constants: frozenset[object]  # literals it compares against, to check them against a question's options
    _run: Evaluator

    def evaluate(self, variables: Mapping[str, Value]) -> Value:
        """Evaluate against ``variables``; a missing name is None, and ordering against None is false."""
        try:
            return self._run(variables)
        except (TypeError, ZeroDivisionError):
            return False

    def test(self, variables: Mapping[str, Value]) -> bool:
        return bool(self.evaluate(variables))

    def __str__(self) -> str:
        return self.source


def parse_expression(source: str) -> Expression:
    """Parse ``source`` or raise :class:`ExpressionError` naming the offending part."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("expected a condition like 'answer <= 6'")
    # Playbook ids may contain hyphens ("answers.trial-start"); inside a dotted name a hyphen between letters is
    # part of the name, so it is swapped for a marker before parsing and swapped back in the names read.
    text = "".join(
        part if part[:1] in ("'", '"') else _HYPHENATED.sub(lambda m: m.group(0).replace("-", _HYPHEN), part)
        for part in _QUOTED.split(source.strip())
    )
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse {source!r}: {exc.msg} at column {exc.offset}") from None
    names: set[str] = set()
    constants: set[object] = set()
    run = _compile(tree.body, text, names, constants)
    return Expression(source=source.strip(), names=frozenset(names), constants=frozenset(constants), _run=run)


_HYPHEN = "__hyphen__"
_QUOTED = re.compile(r"""('[^']*'|"[^"]*")""")
_HYPHENATED = re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*(?:-[A-Za-z_]\w*)*)+")


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def _compile(node: ast.expr, source: str, names: set[str], constants: set[object]) -> Evaluator:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str | bool | type(None)):
        value = node.value
        constants.add(value)
        return lambda _v: value
    if isinstance(node, ast.Name | ast.Attribute):
        name = _dotted(node)
        if name is None:
            raise _unsupported(node, source)
        name = name.replace(_HYPHEN, "-")
        if name.lower() in _WORDS:
            word = _WORDS[name.lower()]
            return lambda _v: word
        names.add(name)
        return lambda v: v.get(name, None)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = [_compile(e, source, names, constants) for e in node.elts]
        return lambda v: [item(v) for item in items]
    if isinstance(node, ast.BoolOp):
        parts = [_compile(e, source, names, constants) for e in node.values]
        if isinstance(node.op, ast.And):
            return lambda v: all(p(v) for p in parts)
        return lambda v: any(p(v) for p in parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        inner = _compile(node.operand, source, names, constants)
        if isinstance(node.op, ast.Not):
            return lambda v: not inner(v)
        return lambda v: -inner(v)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        fn = _ARITH[type(node.op)]
        left, right = (
            _compile(node.left, source, names, constants),
            _compile(node.right, source, names, constants),
        )
        return lambda v: fn(_number(left(v)), _number(right(v)))
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        first = _compile(node.left, source, names, constants)
        rest = [
            (_COMPARE[type(op)], _compile(c, source, names, constants))
            for op, c in zip(node.ops, node.comparators, strict=True)
        ]

        def compare(v: Mapping[str, Value]) -> bool:
            left = first(v)
            for fn, right_of in rest:
                right = right_of(v)
                # "x == null" asks whether x is missing; ordering against a missing value is simply false.
                if (left is None or right is None) and fn not in (operator.eq, operator.ne):
                    return False
                if not fn(left, right):
                    return False
                left = right
            return True

        return compare
    raise _unsupported(node, source)


def _number(value: Value) -> float | int:
    # Arithmetic is for numbers only: "'x' * 10**9" must not be a way to exhaust memory.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("arithmetic on a non-number")
    return value


def _unsupported(node: ast.AST, source: str) -> ExpressionError:
    fragment = ast.get_source_segment(source.strip(), node) or type(node).__name__
    return ExpressionError(
        f"{fragment!r} is not allowed in {source.strip()!r}: use names, numbers, strings, lists, "
        "comparisons, and / or / not, + - * /"
    )
