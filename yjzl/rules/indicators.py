"""Compute a form's indicators: numerator, denominator, factor, the 1 − x form, targets."""

from __future__ import annotations

import operator

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Compiled, Indicator
from yjzl.catalogue.expr import MISSING, UNDEFINED
from yjzl.report import IndicatorResult, TargetResult
from yjzl.workbook.model import FormData

OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


def value_of(ind: Indicator, numerator: float, denominator: float) -> float | None:
    """The indicator in its unit; None when the denominator is zero (undefined, never 0)."""
    if denominator == 0:
        return None
    ratio = numerator / denominator
    if ind.defn.complement:
        ratio = 1 - ratio
    return ratio * ind.defn.factor


def meets(ind: Indicator, value: float | None, sets: set[str] | None = None) -> list[TargetResult]:
    """Each target of the indicator (in the chosen sets), met or not at the displayed precision."""
    out = []
    for t in ind.targets:
        if sets is not None and t.set not in sets:
            continue
        met = None if value is None else OPS[t.op](round(value, ind.defn.decimals), t.value)
        out.append(TargetResult(t.set, t.op, t.value, met))
    return out


def compute(cat: Compiled, data: FormData, lang: str = "zh", sets: set[str] | None = None) -> list[IndicatorResult]:
    out = []
    for ind in cat.indicators_for(data.form_id):
        name = (ind.defn.name_en or ind.defn.name) if lang == "en" else ind.defn.name
        if ind.defn.kind == "growth":  # needs the previous period: `yjzl compute --previous`
            out.append(IndicatorResult(ind.id, name, data.form_id, None, ind.defn.unit, "missing input",
                                       targets=meets(ind, None, sets)))
            continue
        num = expr.evaluate(ind.numerator, data.get)  # type: ignore[arg-type]
        den = expr.evaluate(ind.denominator, data.get)  # type: ignore[arg-type]
        if num is MISSING or den is MISSING:
            status, value = "missing input", None
        elif num is UNDEFINED or den is UNDEFINED:
            status, value = "undefined", None
        else:
            value = value_of(ind, num, den)  # type: ignore[arg-type]
            status = "ok" if value is not None else "undefined"
        shown = None if value is None else round(value, ind.defn.decimals)
        out.append(IndicatorResult(
            ind.id, name, data.form_id, shown, ind.defn.unit, status,  # type: ignore[arg-type]
            numerator=num if isinstance(num, float) else None,
            denominator=den if isinstance(den, float) else None,
            targets=meets(ind, value, sets),
        ))
    return out
