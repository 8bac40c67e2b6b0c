"""The expression language evaluated through closures (yjzl/catalogue/closures.py): values worked by hand,
the sentinels' rules, and agreement with a plain tree walk over random expressions."""

from __future__ import annotations

import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yjzl.catalogue import expr
from yjzl.catalogue.closures import closure
from yjzl.catalogue.expr import MISSING, UNDEFINED, evaluate, parse

VALUES = {"a": 6.0, "b": 3.0, "z": 0.0, "m": MISSING}


def get(fid: str) -> object:
    return VALUES.get(fid, MISSING)


@pytest.mark.parametrize("text, value", [
    ("a + b * 2", 12.0),
    ("(a - b) / b * 100", 100.0),
    ("-a + 10", 4.0),
    ("a / z", UNDEFINED),  # a rate over 0 is undefined, never 0
    ("a / z + m", MISSING),  # a missing input wins over an undefined rate, on either side
    ("m + a / z", MISSING),
    ("a / z * 0", UNDEFINED),
    ("a > b", 1.0), ("a <= b", 0.0), ("a == 6", 1.0), ("a != 6", 0.0),
    ("a > b and b > a", 0.0), ("a > b or b > a", 1.0), ("not z", 1.0),
    ("a > b or m > 0", MISSING),  # both sides are evaluated: no short cut hides a missing input
    ("not m", MISSING), ("-m", MISSING), ("a / z > 1", UNDEFINED),
])
def test_values_worked_by_hand(text: str, value: object) -> None:
    assert evaluate(parse(text), get) == value if isinstance(value, float) else evaluate(parse(text), get) is value


def test_members_sum_and_count() -> None:
    members = {"T3M": [{"x": 2.0}.get, {"x": 5.5}.get]}
    assert evaluate(parse("sum(T3M.x) + count(T3M)"), get, members) == 9.5
    assert evaluate(parse("count(T4M)"), get, members) == 0.0 and evaluate(parse("sum(T4M.x)"), get, members) == 0.0
    gap = {"T3M": [{"x": 2.0}.get, lambda f: MISSING]}
    assert evaluate(parse("sum(T3M.x)"), get, gap) is MISSING


def test_a_tree_is_built_once_and_an_equal_tree_gets_its_own() -> None:
    node = parse("a + b")
    assert closure(node) is closure(node)
    other = parse("a + b")  # equal, not the same: keyed by identity, each its own (both right)
    assert other == node and other is not node and closure(other)(get, None) == 9.0


# A plain walk of the tree, written here from the module's documented rules, as the oracle.
_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_CMP = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def walk(node: tuple, values: dict) -> object:
    tag = node[0]
    if tag == "n":
        return node[1]
    if tag == "f":
        return values.get(node[1], MISSING)
    if tag in ("neg", "not"):
        v = walk(node[1], values)
        if v is MISSING or v is UNDEFINED:
            return v
        return -v if tag == "neg" else float(not v)
    a, b = (walk(node[2], values), walk(node[3], values)) if tag == "cmp" else (walk(node[1], values), walk(node[2], values))
    if MISSING in (a, b):
        return MISSING
    if UNDEFINED in (a, b):
        return UNDEFINED
    if tag == "/":
        return UNDEFINED if b == 0 else a / b
    if tag == "cmp":
        return float(_CMP[node[1]](a, b))
    if tag in ("and", "or"):
        return float(bool(a) and bool(b)) if tag == "and" else float(bool(a) or bool(b))
    return _OPS[tag](a, b)


leaves = st.one_of(st.sampled_from(["a", "b", "z", "m", "q"]), st.integers(0, 9).map(str))
texts = st.recursive(leaves, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "<", ">=", "==", "and", "or"]), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"),
    inner.map(lambda t: f"(-{t})"), inner.map(lambda t: f"(not {t})")), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(texts, st.dictionaries(st.sampled_from(["a", "b", "z", "q"]), st.integers(-3, 3).map(float)))
def test_closures_agree_with_a_plain_tree_walk(text: str, values: dict) -> None:
    node = expr.parse(text)
    got, want = evaluate(node, lambda f: values.get(f, MISSING)), walk(node, values)
    assert got is want if not isinstance(want, float) else got == want
