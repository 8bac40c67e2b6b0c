"""The catalogue's small expression language.

Numerators, check terms and conditions are arithmetic over a form's field ids
(`a + b`, `x / y * 100`, `count(T3M) + 1`, `sum(T3M.referrals_up)`), and in
conditions also comparisons and `and`/`or`/`not`. Python's own parser reads the
text; only a whitelist of node types is accepted, so nothing is ever executed.

An expression compiles to nested tuples (picklable, so the compiled catalogue
can be cached) and is evaluated by `evaluate`. Two sentinels travel through the
arithmetic instead of exceptions: MISSING (an input was `--` or absent: the
check is not evaluated) and UNDEFINED (a division by zero: a rate is
undefined, never 0); when both meet, MISSING wins. Comparisons and
connectives give 1.0 or 0.0 and propagate the sentinels of either side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from yjzl.memo import by_identity


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self) -> str:  # pickle as the module-level singleton
        return self.name


MISSING = _Sentinel("MISSING")
UNDEFINED = _Sentinel("UNDEFINED")

Node = tuple  # ("n", 1.0) | ("f", "id") | ("+", a, b) | ("sum", "T3M", "id") | …
Value = float | _Sentinel

_BIN = {"Add": "+", "Sub": "-", "Mult": "*", "Div": "/"}
_CMP = {"Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">="}


class ExprError(ValueError):
    """The text is not a valid expression of the catalogue language."""


def parse(text: str | int | float) -> Node:
    """Compile expression text to a node tree, or raise ExprError."""
    if isinstance(text, (int, float)):
        return ("n", float(text))
    import ast  # only when compiling a catalogue: a warm run evaluates cached trees

    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"不是合法的表达式 / not a valid expression: {text!r}") from exc
    return _node(tree.body, str(text))


def _node(n: Any, text: str) -> Node:
    import ast

    if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool):
        return ("n", float(n.value))
    if isinstance(n, ast.Name):
        return ("f", n.id)
    if isinstance(n, ast.BinOp) and type(n.op).__name__ in _BIN:
        return (_BIN[type(n.op).__name__], _node(n.left, text), _node(n.right, text))
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        inner = _node(n.operand, text)
        return ("neg", inner) if isinstance(n.op, ast.USub) else inner
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
        return ("not", _node(n.operand, text))
    if isinstance(n, ast.BoolOp):
        op = "and" if isinstance(n.op, ast.And) else "or"
        out = _node(n.values[0], text)
        for v in n.values[1:]:
            out = (op, out, _node(v, text))
        return out
    if isinstance(n, ast.Compare) and len(n.ops) == 1 and type(n.ops[0]).__name__ in _CMP:
        return ("cmp", _CMP[type(n.ops[0]).__name__], _node(n.left, text), _node(n.comparators[0], text))
    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and not n.keywords and len(n.args) == 1:
        arg = n.args[0]
        if n.func.id == "sum" and isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name):
            return ("sum", arg.value.id, arg.attr)
        if n.func.id == "count" and isinstance(arg, ast.Name):
            return ("count", arg.id)
    raise ExprError(f"表达式中有不支持的写法 / unsupported construct in {text!r}: {ast.dump(n)[:60]}")


def fields(node: Node) -> frozenset[str]:
    """The ids of the anchor form's fields that the expression reads."""
    return by_identity(_FIELDS, node, _fields)


def member_refs(node: Node) -> frozenset[tuple[str, str | None]]:
    """(form, field) pairs read through sum()/count(); field is None for count()."""
    return by_identity(_MEMBER_REFS, node, _member_refs)


# A batch asks what each check reads for every finding it words: worked out once per tree (yjzl/memo.py).
_FIELDS: dict[int, tuple[Node, frozenset[str]]] = {}
_MEMBER_REFS: dict[int, tuple[Node, frozenset[tuple[str, str | None]]]] = {}


def _fields(node: Node) -> frozenset[str]:
    tag = node[0]
    if tag == "f":
        return frozenset((node[1],))
    if tag in ("n", "sum", "count"):
        return frozenset()
    return frozenset().union(*(fields(child) for child in node[1:] if isinstance(child, tuple)))


def _member_refs(node: Node) -> frozenset[tuple[str, str | None]]:
    tag = node[0]
    if tag == "sum":
        return frozenset(((node[1], node[2]),))
    if tag == "count":
        return frozenset(((node[1], None),))
    return frozenset().union(*(member_refs(child) for child in node[1:] if isinstance(child, tuple)))


def is_boolean(node: Node) -> bool:
    return node[0] in ("cmp", "and", "or", "not")


def evaluate(
    node: Node,
    get: Callable[[str], Value],
    members: Mapping[str, Sequence[Callable[[str], Value]]] | None = None,
) -> Value:
    """Evaluate with `get(field_id)`; `members[form]` gives each member's getter.

    Through the node's closure (yjzl/catalogue/closures.py), built on first use.
    """
    return closure(node)(get, members)


_PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}


def render(node: Node, name: Callable[[str], str], parent: int = 0) -> str:
    """Write the expression for people, with `name(field_id)` for each field."""
    tag = node[0]
    if tag == "n":
        v = node[1]
        return str(int(v)) if float(v).is_integer() else str(v)
    if tag == "f":
        return name(node[1])
    if tag == "sum":
        return name(f"sum:{node[1]}.{node[2]}")
    if tag == "count":
        return name(f"count:{node[1]}")
    prec = _PREC[tag if tag != "cmp" else "cmp"]
    if tag == "neg":
        text = "−" + render(node[1], name, prec)
    elif tag == "not":
        text = "非 " + render(node[1], name, prec)
    elif tag == "cmp":
        text = f"{render(node[2], name, prec)} {node[1]} {render(node[3], name, prec + 1)}"
    else:
        sym = {"+": " + ", "-": " − ", "*": " × ", "/": " ÷ ", "and": " 且 ", "or": " 或 "}[tag]
        text = render(node[1], name, prec) + sym + render(node[2], name, prec + 1)
    return f"({text})" if prec < parent else text


# At the end: closures.py reads this module's sentinels when it is imported.
from yjzl.catalogue.closures import closure  # noqa: E402
