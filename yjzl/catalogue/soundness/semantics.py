"""Semantic proofs: expressions, units, rule shapes, factors and targets."""

from __future__ import annotations

import string
from collections.abc import Iterator

from yjzl.catalogue import expr
from yjzl.catalogue.schema import Catalogue, CheckDef, FieldDef, FormDef
from yjzl.catalogue.soundness.problem import Problem
from yjzl.period import QUANTITIES

_NUMERIC = {"count", "amount", "decimal", "percent", "permille", "yesno"}
# The placeholders each rule kind's message may use (see yjzl/rules/kinds.py).
PLACEHOLDERS = {
    "le": {"lhs", "lhs_value", "rhs", "rhs_value"},
    "eq": {"lhs", "lhs_value", "rhs", "rhs_value", "diff"},
    "range": {"expr", "value", "min", "max"},
    "recompute": {"expr", "value", "formula", "expected", "tolerance"},
}
_DERIVED = "derived"  # a product or quotient: its unit is not tracked


def _dimension(f: FieldDef) -> str:
    return {
        "count": "count", "amount": f"money[{f.unit}]", "decimal": f"[{f.unit}]",
        "percent": "%", "permille": "‰", "yesno": "flag",
    }.get(f.kind, f.kind)


def _dim(node: expr.Node, form: FormDef, forms: dict[str, FormDef]) -> str | None:
    """The unit family of an expression; None for a bare number."""
    tag = node[0]
    if tag == "n":
        return None
    if tag == "f":
        f = next((d for d in form.fields if d.id == node[1]), None)
        if f is None and node[1] in QUANTITIES:
            return "[日]"  # days of the period: comparable with a decimal in 日
        return _dimension(f) if f else None
    if tag == "count":
        return "count"
    if tag == "sum":
        other = forms.get(node[1])
        f = next((d for d in other.fields if d.id == node[2]), None) if other else None
        return _dimension(f) if f else None
    if tag == "neg":
        return _dim(node[1], form, forms)
    if tag in ("+", "-"):
        a, b = _dim(node[1], form, forms), _dim(node[2], form, forms)
        if a is None or a == b:
            return b
        if b is None:
            return a
        return _DERIVED if _DERIVED in (a, b) else f"mixed({a},{b})"
    return _DERIVED


def _texts(c: CheckDef) -> list[tuple[str, str]]:
    out = [(f"terms[{i}]", t) for i, t in enumerate(c.terms)]
    out += [(k, v) for k, v in (("expr", c.expr), ("formula", c.formula), ("when", c.when)) if v is not None]
    return out


def _refs(where: str, node: expr.Node, forms: list[FormDef], across: str | None, all_forms: dict[str, FormDef]) -> Iterator[Problem]:
    for form in forms:
        kinds = {f.id: f.kind for f in form.fields}
        for fid in sorted(expr.fields(node)):
            if fid in QUANTITIES and fid not in kinds:
                continue  # the statistics period's days / working days (yjzl/period.py)
            if fid not in kinds:
                yield Problem("YC005", where, f"表单 {form.id} 没有字段 / form {form.id} has no field {fid}")
            elif kinds[fid] not in _NUMERIC:
                yield Problem("YC005", where, f"{form.id}.{fid} 不是数值字段 / is not numeric ({kinds[fid]})")
    for other, fid in sorted(expr.member_refs(node), key=str):
        if other != across:
            yield Problem("YC005", where, f"sum()/count() 只能用于 across 表单 / only the `across` form may be aggregated: {other}")
        elif fid is not None and fid not in {f.id for f in all_forms[other].fields}:
            yield Problem("YC005", where, f"表单 {other} 没有字段 / form {other} has no field {fid}")


def _shape(c: CheckDef, forms: dict[str, FormDef]) -> Iterator[Problem]:
    where = f"checks[{c.id}]"
    if c.rule in ("le", "eq") and (len(c.terms) < 2 or c.expr or c.formula):
        yield Problem("YC007", where, f"{c.rule} 需要至少两个 terms / needs two or more terms and no expr")
    if c.rule == "range":
        if c.expr is None or (c.min is None and c.max is None) or c.terms:
            yield Problem("YC007", where, "range 需要 expr 与 min/max / needs expr and min and/or max")
        elif c.min is not None and c.max is not None and c.min > c.max:
            yield Problem("YC007", where, f"min {c.min} > max {c.max}")
    if c.rule == "recompute" and not (c.expr and c.formula and c.tolerance and (c.tolerance.abs is not None or c.tolerance.rel is not None)):
        yield Problem("YC007", where, "recompute 需要 expr、formula 与容差 / needs expr, formula and a tolerance")
    if c.tolerance and any(v is not None and v < 0 for v in (c.tolerance.abs, c.tolerance.rel)):
        yield Problem("YC007", where, "容差不能为负 / tolerance must be ≥ 0")
    if c.across:
        anchor = forms.get(c.forms[0]) if len(c.forms) == 1 else None
        member = forms.get(c.across)
        related = anchor and member and (member.member_of == anchor.id or (anchor.level, member.level) == ("province", "city"))
        if not related:
            yield Problem("YC007", where, f"across 须为唯一锚定表单的下级表单 / across must be a member form of the single anchor form: {c.across}")
    if c.message:
        allowed = PLACEHOLDERS[c.rule]
        for text in (c.message.zh, c.message.en or ""):
            bad = {name for _, name, _, _ in string.Formatter().parse(text) if name} - allowed
            if bad:
                yield Problem("YC007", where, f"消息模板中有未知占位符 / unknown placeholders {sorted(bad)}")


def period(cat: Catalogue) -> Iterator[Problem]:
    """The default period is a span, and no field takes a name that expressions read as the period's."""
    p = cat.catalogue.period
    if p is not None and p.end < p.start:
        yield Problem("YC007", "catalogue.period", f"统计周期结束早于开始 / the period ends before it starts: {p.start}–{p.end}")
    for form in cat.forms:
        for f in form.fields:
            if f.id in QUANTITIES:
                yield Problem("YC001", f"forms[{form.id}].fields[{f.id}]",
                              f"{f.id} 是统计周期的保留名 / {f.id} is reserved for the statistics period (yjzl/period.py)")


def expressions(cat: Catalogue) -> Iterator[Problem]:
    """Expressions parse, read numeric fields of every form named, and compare like with like."""
    forms = {f.id: f for f in cat.forms}
    for c in cat.checks:
        where = f"checks[{c.id}]"
        yield from _shape(c, forms)
        named = [forms[f] for f in c.forms if f in forms]
        nodes: dict[str, expr.Node] = {}
        for key, text in _texts(c):
            try:
                nodes[key] = expr.parse(text)
            except expr.ExprError as exc:
                yield Problem("YC005", f"{where}.{key}", str(exc))
                continue
            yield from _refs(f"{where}.{key}", nodes[key], named, c.across, forms)
            if (key == "when") != expr.is_boolean(nodes[key]):
                yield Problem("YC007", f"{where}.{key}", "when 须为条件，其余须为数值表达式 / `when` must be a condition, terms a number")
        if c.rule in ("le", "eq"):
            for form in named:
                dims = {_dim(n, form, forms) for k, n in nodes.items() if k.startswith("terms")} - {None, _DERIVED}
                if len(dims) > 1 or any(d.startswith("mixed") for d in dims):
                    yield Problem("YC006", where, f"{form.id}: 比较的单位不一致 / terms have incomparable units {sorted(dims)}")
    for i in cat.indicators:
        for key, text in (("numerator", i.numerator), ("denominator", i.denominator), ("of", i.of)):
            if text is None:
                continue
            try:
                node = expr.parse(text)
            except expr.ExprError as exc:
                yield Problem("YC005", f"indicators[{i.id}].{key}", str(exc))
                continue
            yield from _refs(f"indicators[{i.id}].{key}", node, [forms[f] for f in i.forms if f in forms], None, forms)


def indicators(cat: Catalogue) -> Iterator[Problem]:
    """A rate's factor agrees with its unit; ratios and growths have their parts."""
    for i in cat.indicators:
        where = f"indicators[{i.id}]"
        if i.kind == "ratio" and not (i.numerator and i.denominator):
            yield Problem("YC007", where, "比率需要分子与分母 / a ratio needs numerator and denominator")
        if i.kind == "growth" and (not i.of or i.unit != "%" or i.factor != 100):
            yield Problem("YC007", where, "增长率需要 of，单位为 %，系数 100 / a growth needs `of`, unit % and factor 100")
        if i.kind == "change" and (not i.of or i.factor != 1 or i.numerator or i.denominator):
            yield Problem("YC007", where, "变化量只需要 of，系数为 1 / a change needs `of` only, factor 1")
        if i.kind != "ratio" and not 1 <= i.lag <= 10:
            yield Problem("YC007", where, "lag 应在 1–10 期 / lag must be 1–10 periods")
        if not 0 <= i.decimals <= 6:
            yield Problem("YC007", where, "小数位应在 0–6 / decimals must be 0–6")
        if i.kind != "ratio":
            continue
        unit_wants = {100.0: "%", 1000.0: "‰"}.get(i.factor)
        if unit_wants and i.unit != unit_wants:
            yield Problem("YC008", where, f"系数 ×{i.factor:g} 的单位应为 {unit_wants} / factor ×{i.factor:g} needs unit {unit_wants}, not {i.unit}")
        if i.factor == 10000 and "万" not in i.unit:
            yield Problem("YC008", where, f"系数 ×10000 的单位应含“万” / factor ×10000 needs a per-万 unit, not {i.unit}")
        if i.unit in ("%", "‰") and i.factor not in (100, 1000):
            yield Problem("YC008", where, f"单位 {i.unit} 需要系数 ×100/×1000 / unit {i.unit} needs factor 100 or 1000")
        if i.complement and i.factor != 100:
            yield Problem("YC008", where, "1 − x 形式须为百分率 / the 1 − x form is a percentage (factor 100)")


def twin_units(cat: Catalogue) -> Iterator[Problem]:
    """Twins share a unit: a field and its `duplicate_of`, the fields an `eq` check equates, one id on several forms."""
    units: dict[str, dict[str, str | None]] = {f.id: {d.id: d.unit for d in f.fields} for f in cat.forms}
    for form in cat.forms:
        for d in form.fields:
            if d.duplicate_of and units[form.id].get(d.duplicate_of, d.unit) != d.unit:
                yield Problem("YC006", f"forms[{form.id}].fields[{d.id}]", f"重复印出的字段单位不一致 / a twin's unit differs: "
                                                                          f"{d.unit} vs {units[form.id].get(d.duplicate_of)}")
    for c in cat.checks:
        if c.rule != "eq" or not all(t.isidentifier() for t in c.terms):
            continue
        for form_id in c.forms:
            found = {units.get(form_id, {}).get(t) for t in c.terms} - {None}
            if len(found) > 1:
                yield Problem("YC006", f"checks[{c.id}]", f"{form_id}: 相等的字段单位不一致 / equated fields have units {sorted(found)}")
    seen: dict[str, tuple[str, str]] = {}
    for form in cat.forms:
        for d in form.fields:
            if d.unit is None or d.kind in ("percent", "permille"):
                continue
            first = seen.setdefault(d.id, (form.id, d.unit))
            if first[1] != d.unit:
                yield Problem("YC006", f"forms[{form.id}].fields[{d.id}]",
                              f"同一字段在各表单位不一致 / the same field has unit {d.unit} here, {first[1]} on {first[0]}")


def targets(cat: Catalogue) -> Iterator[Problem]:
    """A target can be met by some value of its indicator's unit."""
    inds = {i.id: i for i in cat.indicators}
    for t in cat.targets:
        i = inds.get(t.indicator)
        if i is None:
            continue  # reported by `references`
        where = f"targets[{t.indicator}@{t.set}]"
        if t.tolerance is not None and t.tolerance < 0:
            yield Problem("YC009", where, "容差不能为负 / a tolerance must be ≥ 0")
        if t.by is not None and not 1990 <= t.by <= 2100:
            yield Problem("YC009", where, f"到期年份不合理 / an implausible year due: {t.by}")
        if i.kind == "change":
            continue  # a change may be negative and of any size
        if i.kind == "growth":
            if t.value <= -100 and t.op in ("<", "<=", "=="):
                yield Problem("YC009", where, "增长率不可能低于 −100% / a growth cannot be below −100 %")
            continue
        if t.value < 0 or (t.value == 0 and t.op == "<"):
            yield Problem("YC009", where, f"比率不可能为负 / a rate cannot be negative: {t.op} {t.value:g}")
        if i.unit == "%" and (t.value > 100 or (t.value == 100 and t.op == ">")):
            yield Problem("YC009", where, f"百分比目标不可能达到 / an unreachable percentage target: {t.op} {t.value:g}")


__all__ = ["PLACEHOLDERS", "expressions", "indicators", "targets", "twin_units"]
