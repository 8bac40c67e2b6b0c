"""The four kinds of catalogue check, one small function each.

`run` evaluates a check's `when` guard and the values it compares, through
closures built once per check (yjzl/catalogue/closures.py): a check is skipped
when an input is missing or a rate undefined. Each kind then takes the check,
its values (numbers only) and a Scope (how to name fields) and returns an
Outcome: passed, or failed with the values for the message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from yjzl.catalogue import expr
from yjzl.catalogue.closures import Closure, closure
from yjzl.catalogue.compiled import Check
from yjzl.catalogue.expr import MISSING, UNDEFINED, Value
from yjzl.memo import by_identity

EPS = 1e-9


@dataclass(slots=True)
class Scope:
    get: Callable[[str], Value]
    members: Mapping[str, Sequence[Callable[[str], Value]]]
    name: Callable[[str], str]  # field id → label in the chosen language


@dataclass(slots=True, frozen=True)
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


def _operands(check: Check) -> tuple[Closure | None, tuple[Closure, ...]]:
    """The closures of a check's `when` guard and of the values its kind compares (built once per check)."""
    return by_identity(_OPERANDS, check, _make_operands)


def _make_operands(check: Check) -> tuple[Closure | None, tuple[Closure, ...]]:
    nodes = check.terms if check.defn.rule in ("le", "eq") else (check.expr, check.formula)
    return (closure(check.when) if check.when is not None else None,
            tuple(closure(n) for n in nodes if n is not None))


_OPERANDS: dict[int, tuple[Check, tuple[Closure | None, tuple[Closure, ...]]]] = {}
PASSED = Outcome("passed")  # shared: an outcome is never changed after it is made
NOT_APPLICABLE = Outcome("passed", "not applicable")
MISSING_INPUT = Outcome("skipped", "missing input")
UNDEFINED_RATE = Outcome("skipped", "undefined")


def _pairs(check: Check, vals: Sequence[float]):  # (node a, value a, node b, value b) of each neighbouring pair
    return zip(check.terms, vals, check.terms[1:], vals[1:])


def le(check: Check, vals: Sequence[float], scope: Scope) -> Outcome:
    failures = [
        {"lhs": expr.render(a, scope.name), "lhs_value": fmt(x), "rhs": expr.render(b, scope.name), "rhs_value": fmt(y)}
        for a, x, b, y in _pairs(check, vals)
        if x > y + EPS
    ]
    return Outcome("failed", failures=failures) if failures else PASSED


def _within(value: float, expected: float, check: Check) -> bool:
    tol = check.defn.tolerance
    if tol is None:
        return abs(value - expected) <= EPS * max(1.0, abs(expected))
    ok_abs = tol.abs is not None and abs(value - expected) <= tol.abs + EPS
    ok_rel = tol.rel is not None and abs(value - expected) <= tol.rel * abs(expected) + EPS
    return ok_abs or ok_rel


def eq(check: Check, vals: Sequence[float], scope: Scope) -> Outcome:
    first, a = vals[0], check.terms[0]
    failures = [
        {"lhs": expr.render(a, scope.name), "lhs_value": fmt(first), "rhs": expr.render(b, scope.name),
         "rhs_value": fmt(y), "diff": fmt(abs(first - y))}
        for b, y in zip(check.terms[1:], vals[1:])
        if not _within(first, y, check)
    ]
    return Outcome("failed", failures=failures) if failures else PASSED


def range_(check: Check, vals: Sequence[float], scope: Scope) -> Outcome:
    v, d = vals[0], check.defn
    if (d.min is not None and v < d.min - EPS) or (d.max is not None and v > d.max + EPS):
        lo = fmt(float(d.min)) if d.min is not None else "−∞"
        hi = fmt(float(d.max)) if d.max is not None else "∞"
        return Outcome("failed", failures=[{"expr": expr.render(check.expr, scope.name), "value": fmt(v), "min": lo, "max": hi}])  # type: ignore[arg-type]
    return PASSED


def recompute(check: Check, vals: Sequence[float], scope: Scope) -> Outcome:
    value, expected = vals
    if _within(value, expected, check):
        return PASSED
    tol = check.defn.tolerance
    shown = " / ".join(x for x in (
        fmt(float(tol.abs)) if tol and tol.abs is not None else "",
        f"{tol.rel:.0%}" if tol and tol.rel is not None else "") if x)
    return Outcome("failed", failures=[{
        "expr": expr.render(check.expr, scope.name), "value": fmt(value),  # type: ignore[arg-type]
        "formula": expr.render(check.formula, scope.name), "expected": fmt(expected), "tolerance": shown,  # type: ignore[arg-type]
    }])


EVALUATORS: dict[str, Callable[[Check, Sequence[float], Scope], Outcome]] = {
    "le": le, "eq": eq, "range": range_, "recompute": recompute}


def run(check: Check, scope: Scope) -> Outcome:
    """Evaluate the `when` guard, then the values the check compares, then its own kind (on numbers only)."""
    get, members = scope.get, scope.members
    when, operands = _operands(check)
    if when is not None:
        cond = when(get, members)
        if cond is MISSING or cond is UNDEFINED:
            return MISSING_INPUT
        if not cond:
            return NOT_APPLICABLE
    vals = [fn(get, members) for fn in operands]
    if MISSING in vals:  # identity first: the values are floats or the two sentinels
        return MISSING_INPUT
    if UNDEFINED in vals:
        return UNDEFINED_RATE
    return EVALUATORS[check.defn.rule](check, vals, scope)  # type: ignore[arg-type]
