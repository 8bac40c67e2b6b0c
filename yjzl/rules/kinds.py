"""The four kinds of catalogue check, one small function each.

Each takes a compiled check and a Scope (the values of one form, its members,
and how to name fields) and returns an Outcome: passed, skipped (an input is
missing or a rate undefined), or failed with the values for the message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Check
from yjzl.catalogue.expr import MISSING, UNDEFINED, Value

EPS = 1e-9


@dataclass(slots=True)
class Scope:
    get: Callable[[str], Value]
    members: Mapping[str, Sequence[Callable[[str], Value]]]
    name: Callable[[str], str]  # field id → label in the chosen language


@dataclass(slots=True)
class Outcome:
    status: str  # "passed" | "skipped" | "failed"
    reason: str = ""  # for skipped: "missing input" | "undefined" | "not applicable"
    failures: list[dict[str, str]] = field(default_factory=list)  # message arguments, one per failure


def fmt(v: Value) -> str:
    """A number as people write it: 12, 52.17, 0.5 (at most two decimals)."""
    if v is MISSING:
        return "--"
    if v is UNDEFINED or not isinstance(v, float):
        return "?"
    if float(v).is_integer():
        return f"{int(v)}"
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _values(nodes: Sequence[expr.Node], scope: Scope) -> list[Value] | Outcome:
    out = [expr.evaluate(n, scope.get, scope.members) for n in nodes]
    if any(v is MISSING for v in out):
        return Outcome("skipped", "missing input")
    if any(v is UNDEFINED for v in out):
        return Outcome("skipped", "undefined")
    return out


def le(check: Check, scope: Scope) -> Outcome:
    vals = _values(check.terms, scope)
    if isinstance(vals, Outcome):
        return vals
    failures = [
        {"lhs": expr.render(a, scope.name), "lhs_value": fmt(x), "rhs": expr.render(b, scope.name), "rhs_value": fmt(y)}
        for (a, x), (b, y) in zip(zip(check.terms, vals), zip(check.terms[1:], vals[1:]))
        if x > y + EPS  # type: ignore[operator]
    ]
    return Outcome("failed" if failures else "passed", failures=failures)


def _within(value: float, expected: float, check: Check) -> bool:
    tol = check.defn.tolerance
    if tol is None:
        return abs(value - expected) <= EPS * max(1.0, abs(expected))
    ok_abs = tol.abs is not None and abs(value - expected) <= tol.abs + EPS
    ok_rel = tol.rel is not None and abs(value - expected) <= tol.rel * abs(expected) + EPS
    return ok_abs or ok_rel


def eq(check: Check, scope: Scope) -> Outcome:
    vals = _values(check.terms, scope)
    if isinstance(vals, Outcome):
        return vals
    first, a = vals[0], check.terms[0]
    failures = [
        {"lhs": expr.render(a, scope.name), "lhs_value": fmt(first), "rhs": expr.render(b, scope.name),
         "rhs_value": fmt(y), "diff": fmt(abs(first - y))}  # type: ignore[operator]
        for b, y in zip(check.terms[1:], vals[1:])
        if not _within(first, y, check)  # type: ignore[arg-type]
    ]
    return Outcome("failed" if failures else "passed", failures=failures)


def range_(check: Check, scope: Scope) -> Outcome:
    vals = _values([check.expr], scope)  # type: ignore[list-item]
    if isinstance(vals, Outcome):
        return vals
    v, d = vals[0], check.defn
    if (d.min is not None and v < d.min - EPS) or (d.max is not None and v > d.max + EPS):  # type: ignore[operator]
        lo = fmt(float(d.min)) if d.min is not None else "−∞"
        hi = fmt(float(d.max)) if d.max is not None else "∞"
        return Outcome("failed", failures=[{"expr": expr.render(check.expr, scope.name), "value": fmt(v), "min": lo, "max": hi}])  # type: ignore[arg-type]
    return Outcome("passed")


def recompute(check: Check, scope: Scope) -> Outcome:
    vals = _values([check.expr, check.formula], scope)  # type: ignore[list-item]
    if isinstance(vals, Outcome):
        return vals
    value, expected = vals
    if _within(value, expected, check):  # type: ignore[arg-type]
        return Outcome("passed")
    tol = check.defn.tolerance
    shown = " / ".join(x for x in (
        fmt(float(tol.abs)) if tol and tol.abs is not None else "",
        f"{tol.rel:.0%}" if tol and tol.rel is not None else "") if x)
    return Outcome("failed", failures=[{
        "expr": expr.render(check.expr, scope.name), "value": fmt(value),  # type: ignore[arg-type]
        "formula": expr.render(check.formula, scope.name), "expected": fmt(expected), "tolerance": shown,  # type: ignore[arg-type]
    }])


EVALUATORS: dict[str, Callable[[Check, Scope], Outcome]] = {"le": le, "eq": eq, "range": range_, "recompute": recompute}


def run(check: Check, scope: Scope) -> Outcome:
    """Evaluate the `when` guard, then the check's own kind."""
    if check.when is not None:
        cond = expr.evaluate(check.when, scope.get, scope.members)
        if cond is MISSING or cond is UNDEFINED:
            return Outcome("skipped", "missing input")
        if not cond:
            return Outcome("passed", "not applicable")
    return EVALUATORS[check.defn.rule](check, scope)
