"""Compute a form's indicators: numerator, denominator, factor, the 1 − x form, targets, trends.

A ratio needs one period; a growth or change (kind `growth`, `change`) needs the
value of its `of` expression in an earlier period too. `compute` gives every
indicator of one submission, trends marked "missing input" until `with_trend`
fills them from the earlier period's `of` value (see yjzl/batch/trends.py).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Compiled, Indicator
from yjzl.catalogue.expr import MISSING, UNDEFINED
from yjzl.period import Period, due_date, quantity_label
from yjzl.period import getter as period_getter
from yjzl.report import IndicatorResult, TargetResult
from yjzl.workbook.model import FormData

OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}
TRENDS = ("growth", "change")


def value_of(ind: Indicator, numerator: float, denominator: float) -> float | None:
    """The indicator in its unit; None when the denominator is zero (undefined, never 0)."""
    if ind.defn.kind == "change":
        return numerator - denominator  # now − then, in the unit of `of`
    if denominator == 0:
        return None
    ratio = numerator / denominator
    if ind.defn.complement:
        ratio = 1 - ratio
    return ratio * ind.defn.factor


def _met(op: str, value: float, target: float, tolerance: float | None) -> bool:
    """Met at the displayed precision; an approximation's tolerance widens the lenient side."""
    tol = tolerance or 0.0
    if op == "==":
        return abs(value - target) <= tol + 1e-9
    return OPS[op](value, target - tol if op in (">=", ">") else target + tol)


def meets(ind: Indicator, value: float | None, sets: set[str] | None = None,
          period: Period | None = None) -> list[TargetResult]:
    """Each target of the indicator (in the chosen sets): met, missed, or not yet due.

    A target is due when the period ends on or after its due date (`Period.is_due`: a target due by the
    end of 2019 is not due on 2019 H1 data, and is on the year 2019). The catalogue's default period is a
    period like any other; only without any period is a target's due state unknown (and a miss a miss).
    """
    out = []
    for t in ind.targets:
        if sets is not None and t.set not in sets:
            continue
        met = None if value is None else _met(t.op, round(value, ind.defn.decimals), t.value, t.tolerance)
        due = None if t.by is None or period is None else period.is_due(t.by)
        if due is False and met is False:
            met = None  # 未到期, not 未达标
        out.append(TargetResult(t.set, t.op, t.value, met, t.by, due, t.tolerance,
                                due_date(t.by).isoformat() if t.by is not None else None))
    return out


def result(ind: Indicator, form_id: str, lang: str, sets: set[str] | None, num: object, den: object,
           reason: str | None = None, period: Period | None = None) -> IndicatorResult:
    """One IndicatorResult from evaluated parts (floats, MISSING or UNDEFINED)."""
    name = (ind.defn.name_en or ind.defn.name) if lang == "en" else ind.defn.name
    if num is MISSING or den is MISSING:
        status, value = "missing input", None
    elif num is UNDEFINED or den is UNDEFINED:
        status, value = "denominator zero", None
    else:
        value = value_of(ind, num, den)  # type: ignore[arg-type]
        status = "ok" if value is not None else "denominator zero"
        if value is not None and not math.isfinite(value):  # 1e308 ÷ 1e-300: as undefined as ÷ 0
            status, value = "denominator zero", None
            reason = reason or ("结果超出数值范围，请核对分子与分母" if lang == "zh" else "the result overflows: check numerator and denominator")
    if status == "denominator zero" and reason is None:
        reason = "分母为 0，指标无定义（不是 0）" if lang == "zh" else "the denominator is 0: undefined, not 0"
    shown = None if value is None else round(value, ind.defn.decimals)
    return IndicatorResult(
        ind.id, name, form_id, shown, (ind.unit_en or ind.defn.unit) if lang == "en" else ind.defn.unit, status,  # type: ignore[arg-type]
        numerator=num if isinstance(num, float) and math.isfinite(num) else None,
        denominator=den if isinstance(den, float) and math.isfinite(den) else None,
        targets=meets(ind, value, sets, period), reason=reason if status != "ok" else None,
    )


def _missing(cat: Compiled, data: FormData, ind: Indicator, lang: str, get: Callable[[str], object]) -> str:
    fields = cat.fields[data.form_id]
    nodes = [n for n in (ind.numerator, ind.denominator, ind.of) if n is not None]
    order = list(fields)
    gone = sorted({f for n in nodes for f in expr.fields(n) if get(f) is MISSING},
                  key=lambda f: order.index(f) if f in order else len(order))
    names = [((fields[f].label_en or fields[f].label) if lang == "en" else fields[f].label) if f in fields
             else quantity_label(f, None, lang) for f in gone]
    return ("缺少：" if lang == "zh" else "missing: ") + "、".join(names)


def needs_history(ind: Indicator, lang: str) -> str:
    lag = ind.defn.lag
    if lang == "zh":
        return "需要上一期的数据（--previous）" if lag == 1 else f"需要前 {lag} 期的数据（--previous 给出 {lag} 次）"
    return "needs the previous period (--previous)" if lag == 1 else f"needs the period {lag} back (--previous {lag} times)"


def compute(cat: Compiled, data: FormData, lang: str = "zh", sets: set[str] | None = None,
            period: Period | None = None) -> list[IndicatorResult]:
    """Every indicator of one form; each result names the statistics period it is of."""
    out = _compute(cat, data, lang, sets, period)
    text = period.text if period else None
    for r in out:
        r.sheet = data.sheet
        r.period = text
    return out


def _compute(cat: Compiled, data: FormData, lang: str, sets: set[str] | None, period: Period | None) -> list[IndicatorResult]:
    out = []
    get = period_getter(data.numbers(), period)
    for ind in cat.indicators_for(data.form_id):
        if ind.defn.kind in TRENDS:
            out.append(result(ind, data.form_id, lang, sets, MISSING, MISSING, needs_history(ind, lang), period))
            continue
        num = expr.evaluate(ind.numerator, get)  # type: ignore[arg-type]
        den = expr.evaluate(ind.denominator, get)  # type: ignore[arg-type]
        reason = _missing(cat, data, ind, lang, get) if MISSING in (num, den) else None
        out.append(result(ind, data.form_id, lang, sets, num, den, reason, period))
    return out


def trend_values(cat: Compiled, data: FormData, period: Period | None = None) -> dict[str, float | None]:
    """The `of` value of each growth/change indicator in this period (None: missing or undefined)."""
    out: dict[str, float | None] = {}
    get = period_getter(data.numbers(), period)
    for ind in cat.indicators_for(data.form_id):
        if ind.defn.kind in TRENDS and ind.of is not None:
            v = expr.evaluate(ind.of, get)  # type: ignore[arg-type]
            out[ind.id] = v if isinstance(v, float) else None
    return out


def with_trend(ind: Indicator, form_id: str, lang: str, sets: set[str] | None, now: float | None,
               then: float | None, missing: Callable[[], str], period: Period | None = None) -> IndicatorResult:
    """A growth or change from this period's and the earlier period's `of` values (its targets judged on `period`)."""
    if now is None or then is None:
        return result(ind, form_id, lang, sets, MISSING, MISSING, missing(), period)
    if ind.defn.kind == "change":
        return result(ind, form_id, lang, sets, now, then, period=period)  # numerator: now, denominator: then
    return result(ind, form_id, lang, sets, now - then, then, period=period)  # growth: (now − then) ÷ then × 100
