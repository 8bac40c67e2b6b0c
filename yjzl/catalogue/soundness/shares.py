"""YC011: every share is backed by a logic check numerator ≤ denominator; every other rate has a plausible range.

A ratio indicator in % whose numerator counts a part of what its denominator counts
(`subset`, the default for %) can only be right between 0 and 100 if the form's
figures obey numerator ≤ denominator; that must be a logic check, or an absurd
numerator passes with a share over 100 %. The proof derives ≤ from the logic `le`
and `eq` checks of each form the indicator names (unconditional, not cross-form),
chaining them (a ≤ b ≤ c), reading a part of a sum (a ≤ a + x), adding them term by term (a + b ≤ c + d when a ≤ c and
b ≤ d; leftover terms of the larger side are ≥ 0 fields), and reading `d − x ≤ d`.
Any other ratio (a % that is not a share, a per-10 000 rate, an average) must
declare its `plausible:` range, so that an absurd input is flagged somewhere; a % that is not a share may
instead be bounded by a `le` check numerator ≤ denominator of any severity (a plausibility ≤ on its
fields reports the excess once, at both cells: a range on the rate would report it twice, YC013).
A `plausible:` with neither bound declares the rate unbounded; its note says why (or which check bounds it). A ratio
over a constant (an overlay's count or yes/no written as `x / 1`) is no rate of two
quantities: its fields' own checks govern it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import permutations

from yjzl.catalogue import expr
from yjzl.catalogue.schema import Catalogue
from yjzl.catalogue.soundness.problem import Problem

Key = tuple  # a canonical expression: the sorted terms of a sum


def _terms(node: expr.Node) -> list[expr.Node]:
    if node[0] == "+":
        return _terms(node[1]) + _terms(node[2])
    return [node]


def _key(node: expr.Node) -> Key:
    return tuple(sorted(repr(t) for t in _terms(node)))


def _within(a: Key, b: Key) -> bool:
    """Every term of a is a term of b (as a multiset): a ≤ b when all terms are ≥ 0."""
    rest = list(b)
    for x in a:
        if x not in rest:
            return False
        rest.remove(x)
    return True


class _Order:
    """The ≤ facts one form's logic checks establish, closed under chaining."""

    def __init__(self, edges: set[tuple[Key, Key]]) -> None:
        self.next: dict[Key, set[Key]] = {}
        self.prev: dict[Key, set[Key]] = {}
        for a, b in edges:
            self.next.setdefault(a, set()).add(b)
            self.prev.setdefault(b, set()).add(a)

    def le(self, num: expr.Node, den: expr.Node) -> bool:
        if den[0] != "-" and num[0] == "-" and _key(num[1]) == _key(den) and expr.fields(num[2]):
            return True  # d − x ≤ d: x is made of fields, and fields are ≥ 0
        return self._le(_key(num), _key(den))

    def _le(self, a: Key, b: Key, depth: int = 0) -> bool:
        reach = self._reach(a)
        if b in reach:
            return True
        # a ≤ a + x ≤ … ≤ b: a's terms are among the terms of something that reaches b (fields are ≥ 0)
        if any(_within(a, k) for k in self._reach(b, self.prev)):
            return True
        if depth > 2 or len(b) > 8:
            return False
        # k1 + … + kn ≤ b1 + … + bm when each ki ≤ a distinct bj (the other bj are fields, ≥ 0)
        return any(
            all(self._le((x,), (y,), depth + 1) for x, y in zip(k, perm))
            for k in reach if 1 < len(k) <= len(b) for perm in permutations(b, len(k)))

    def _reach(self, a: Key, graph: dict[Key, set[Key]] | None = None) -> set[Key]:
        graph = self.next if graph is None else graph
        seen, todo = {a}, [a]
        while todo:
            for y in graph.get(todo.pop(), ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        return seen


def _order(cat: Catalogue, form_id: str, severities: tuple[str, ...] = ("logic",)) -> _Order:
    edges: set[tuple[Key, Key]] = set()
    for c in cat.checks:
        if c.severity not in severities or c.when or c.across or form_id not in c.forms or c.rule not in ("le", "eq"):
            continue
        try:
            keys = [_key(expr.parse(t)) for t in c.terms]
        except expr.ExprError:
            continue  # reported by `expressions`
        if c.rule == "le":
            edges |= set(zip(keys, keys[1:]))
        else:
            edges |= {(keys[0], k) for k in keys[1:]} | {(k, keys[0]) for k in keys[1:]}
    return _Order(edges)


def shares(cat: Catalogue) -> Iterator[Problem]:
    orders: dict[str, _Order] = {}
    loose: dict[str, _Order] = {}  # plausibility checks too: what bounds a rate that is not a share
    for i in cat.indicators:
        if i.kind != "ratio" or not (i.numerator and i.denominator):
            continue
        where = f"indicators[{i.id}]"
        try:
            num, den = expr.parse(i.numerator), expr.parse(i.denominator)
        except expr.ExprError:
            continue  # reported by `expressions`
        if not expr.fields(den):
            continue  # a count or a yes/no scaled by a constant (an overlay's `x / 1`): no rate of two quantities
        if i.unit != "%" or not i.subset:
            bounded = i.unit == "%" and all(
                loose.setdefault(f, _order(cat, f, ("logic", "plausibility"))).le(num, den) for f in i.forms)
            if i.plausible is None and not bounded:
                yield Problem("YC011", where, "不是份额的比率须给出合理范围 plausible（或 分子 ≤ 分母 的 le 审核）/ "
                                              "a rate that is not a share needs a `plausible:` range (or a `le` check numerator ≤ denominator)")
            if not i.subset and not i.note:
                yield Problem("YC011", where, "subset: false 须在 note 中说明 / `subset: false` needs a note saying why")
            continue
        for form_id in i.forms:
            order = orders.setdefault(form_id, _order(cat, form_id))
            if not order.le(num, den):
                yield Problem("YC011", where, f"{form_id}: 份额的分子 ≤ 分母没有逻辑审核规则保证 / no logic check proves "
                                              f"numerator ≤ denominator ({i.numerator} ≤ {i.denominator}); add one, or mark `subset: false` with a note")


__all__ = ["shares"]
