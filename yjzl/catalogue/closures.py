"""Expression trees turned into Python closures, once per process.

A national batch evaluates each of the catalogue's ~1 000 expression trees once
per submission: 10⁴–10⁵ times. Walking the tuple tree each time costs a
dispatch on the node's tag at every step; a closure built once per node does
that dispatch once. The semantics are those documented in `expr`: MISSING and
UNDEFINED travel through the arithmetic (MISSING first), a division by zero is
UNDEFINED, comparisons and connectives give 1.0 or 0.0.

Closures cannot be pickled, so they live here rather than in the cached
catalogue: `closure(node)` builds on first use, remembered by the node's
identity (yjzl/memo.py).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from yjzl.catalogue.expr import MISSING, UNDEFINED, Node, Value, _Sentinel
from yjzl.memo import by_identity

Members = Mapping[str, Sequence[Callable[[str], Value]]] | None
Closure = Callable[[Callable[[str], Value], Members], Value]

_CACHE: dict[int, tuple[Node, Closure]] = {}
_CMP = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def closure(node: Node) -> Closure:
    """The closure `(get, members) -> Value` of an expression tree (built once, then cached)."""
    return by_identity(_CACHE, node, _build)


def _either(a: Value, b: Value) -> Value:
    """The sentinel two operands give: MISSING before UNDEFINED (one of them is a sentinel)."""
    return MISSING if a is MISSING or b is MISSING else UNDEFINED


def _build(node: Node) -> Closure:
    tag = node[0]
    if tag == "n":
        number = node[1]
        return lambda get, members: number
    if tag == "f":
        fid = node[1]
        return lambda get, members: get(fid)
    if tag in ("+", "-", "*", "/"):
        return _arithmetic(tag, closure(node[1]), closure(node[2]))
    if tag in ("neg", "not"):
        inner = closure(node[1])
        if tag == "neg":
            return lambda get, members: a if isinstance(a := inner(get, members), _Sentinel) else -a  # type: ignore[operator]
        return lambda get, members: a if isinstance(a := inner(get, members), _Sentinel) else float(not a)
    if tag == "count":
        form = node[1]
        return lambda get, members: float(len((members or {}).get(form, ())))
    if tag == "sum":
        return _sum(node[1], node[2])
    if tag in ("and", "or"):
        return _connective(tag, closure(node[1]), closure(node[2]))
    if tag == "cmp":
        return _compare(_CMP[node[1]], closure(node[2]), closure(node[3]))
    raise ValueError(f"unknown expression node {tag!r}")


def _arithmetic(tag: str, fa: Closure, fb: Closure) -> Closure:
    # One closure per operator: the operator is chosen here, once, not at every evaluation.
    if tag == "/":
        def divide(get: Any, members: Members) -> Value:
            a, b = fa(get, members), fb(get, members)
            if isinstance(a, _Sentinel) or isinstance(b, _Sentinel):
                return _either(a, b)
            return UNDEFINED if b == 0 else a / b
        return divide
    op = {"+": operator.add, "-": operator.sub, "*": operator.mul}[tag]

    def arithmetic(get: Any, members: Members) -> Value:
        a, b = fa(get, members), fb(get, members)
        if isinstance(a, _Sentinel) or isinstance(b, _Sentinel):
            return _either(a, b)
        return op(a, b)
    return arithmetic


def _sum(form: str, fid: str) -> Closure:
    def total(get: Any, members: Members) -> Value:
        out = 0.0
        for member_get in (members or {}).get(form, ()):
            v = member_get(fid)
            if isinstance(v, _Sentinel):
                return v
            out += v
        return out
    return total


def _connective(tag: str, fa: Closure, fb: Closure) -> Closure:
    both = tag == "and"

    def connective(get: Any, members: Members) -> Value:
        a, b = fa(get, members), fb(get, members)  # both sides: a sentinel on either side propagates
        if isinstance(a, _Sentinel) or isinstance(b, _Sentinel):
            return _either(a, b)
        return float(bool(a) and bool(b)) if both else float(bool(a) or bool(b))
    return connective


def _compare(op: Callable[[Any, Any], bool], fa: Closure, fb: Closure) -> Closure:
    def compare(get: Any, members: Members) -> Value:
        a, b = fa(get, members), fb(get, members)
        if isinstance(a, _Sentinel) or isinstance(b, _Sentinel):
            return _either(a, b)
        return float(op(a, b))
    return compare
