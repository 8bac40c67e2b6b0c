"""The rows `yjzl catalogue show` prints for each kind of entry."""

from __future__ import annotations

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.describe import (
    KIND_NAMES,
    SEVERITY_NAMES,
    Hit,
    check_text,
    checks_touching,
    formula,
)
from yjzl.output import words


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _targets(cat: Compiled, ind, lang: str) -> str:
    """Each target in people's words (国家标准 ≥ 90%), with its wording, how an approximation is read
    (tolerance), the year due and the source by document number, one a line."""
    unit = words.unit(cat, ind.defn.unit, lang)
    out = []
    for t in ind.targets:
        text = f"{words.target_set(cat, t.set, lang)} {words.target(t.op, t.value, unit)}"
        if t.tolerance:
            lo = {">=": f"≥ {t.value - t.tolerance:g}", ">": f"> {t.value - t.tolerance:g}", "<=": f"≤ {t.value + t.tolerance:g}",
                  "<": f"< {t.value + t.tolerance:g}"}.get(t.op, f"{t.value - t.tolerance:g}–{t.value + t.tolerance:g}")
            sep = "" if unit in ("%", "‰", "") else " "
            text += _t(lang, f"（容差 ±{t.tolerance:g}：{lo}{sep}{unit} 即达标）", f" (tolerance ±{t.tolerance:g}: {lo}{sep}{unit} counts as met)")
        if t.by:
            text += _t(lang, f"，{t.by} 年到期", f", due {t.by}")
        wording = (f"（{t.label}）" if lang != "en" else f" ({t.label})") if t.label else ""  # the target as printed
        out.append(text + wording + f" — {words.source(cat, t.source)}")
    return "\n".join(out)


def _aims(cat: Compiled, aims, lang: str) -> str:
    """Aims stated in words: their set, wording, year due and source, one a line; never a verdict."""
    return "\n".join(f"{words.target_set(cat, q.set, lang)}{_t(lang, '：', ': ')}{q.label}" + (_t(lang, f"（{q.by} 年）", f" ({q.by})") if q.by else "")
                     + f" — {words.source(cat, q.source)}" for q in aims)


def _target_set(cat: Compiled, s, lang: str) -> list[tuple[str, str]]:
    """A target set whole: its targets with their indicators, then the aims it states only in words."""
    targets = [f"{(i.defn.name_en or i.defn.name) if lang == 'en' else i.defn.name}{_t(lang, '：', ': ')}"
               f"{words.target(t.op, t.value, words.unit(cat, i.defn.unit, lang))}" + (_t(lang, f"（{t.by} 年）", f" ({t.by})") if t.by else "")
               for i in cat.indicators.values() for t in i.targets if t.set == s.id]
    aims = [q for q in cat.source.qualitative_targets if q.set == s.id]
    rows = [(_t(lang, "目标值集合", "target set"), (s.name_en or s.name) if lang == "en" else s.name),
            (_t(lang, "出处", "source"), words.source(cat, s.source)),
            (_t(lang, f"目标值（{len(targets)}）", f"targets ({len(targets)})"), "\n".join(targets) or "—")]
    if aims:
        rows.append((_t(lang, f"定性目标（不判定，{len(aims)}）", f"qualitative targets (not judged, {len(aims)})"), _aims(cat, aims, lang)))
    rows.append(_id(lang, s.id))
    return rows


def _plausible(cat: Compiled, d, lang: str) -> str:
    """The range a correct value lies in: declared (with its anchor), or 0–100 for a share (proved by YC011)."""
    if d.plausible is not None and d.plausible.min is None and d.plausible.max is None:
        return _t(lang, "不设范围", "no range") + f" — {d.plausible.note}"  # declared unbounded: the note says why
    if d.plausible is not None:
        lo = f"{d.plausible.min:g}" if d.plausible.min is not None else "−∞"
        hi = f"{d.plausible.max:g}" if d.plausible.max is not None else "∞"
        unit = words.unit(cat, d.unit, lang)
        said = "（超出时警告）" if lang != "en" else " (a warning outside) "
        return f"{lo}–{hi} {unit}{said}— {d.plausible.note}"
    if d.kind == "ratio" and d.unit == "%" and d.subset:
        return _t(lang, "0–100%：份额，分子 ≤ 分母由逻辑审核保证", "0–100 %: a share; numerator ≤ denominator is a logic check")
    if d.kind == "ratio" and d.unit == "%":
        return _t(lang, "不是份额：超过100%由 分子 ≤ 分母 的审核报告（一次，标出两个单元格）",
                  "not a share: an excess over 100 % is reported by a numerator ≤ denominator check (once, at both cells)")
    if d.kind != "ratio":
        return _t(lang, "按各期数值的合理范围审核", "each period's value is range-checked on its form")
    return ""


def _id(lang: str, entry_id: str) -> tuple[str, str]:
    """The entry's id, named as what it is for: overlays and `catalogue show` refer to it."""
    return (_t(lang, "编号（覆盖层中引用）", "id (for overlays)"), entry_id)


def _constraints(cat: Compiled, checks, form: str, lang: str) -> str:
    return "\n".join(check_text(cat, c, form, lang) for c in checks)


def _indicator(cat: Compiled, ind, lang: str) -> list[tuple[str, str]]:
    d = ind.defn
    form = d.forms[0]
    rows = [
        (_t(lang, "指标", "indicator"), f"{d.name_en} / {d.name}" if lang == "en" and d.name_en else
         d.name),  # in English the document's own name too; in Chinese only Chinese
        (_t(lang, "适用表单", "forms"), _t(lang, "、", ", ").join(words.form(cat, f, lang) for f in d.forms if f in cat.forms)),
        (_t(lang, "公式", "formula"), formula(cat, ind, form, lang)),
        (_t(lang, "单位", "unit"), _t(lang, f"{d.unit}（保留 {d.decimals} 位小数）", f"{words.unit(cat, d.unit, lang)} ({d.decimals} decimals)")),
    ]
    if d.definition:
        rows.append((_t(lang, "定义", "definition"), d.definition))
    used: set[str] = set()
    for node in (ind.numerator, ind.denominator, ind.of):
        if node is not None:
            used |= expr.fields(node)
    constraints = checks_touching(cat, form, used)
    if constraints:
        rows.append((_t(lang, "约束", "constraints"), _constraints(cat, constraints, form, lang)))
    bounds = _plausible(cat, d, lang)
    if bounds:
        rows.append((_t(lang, "合理范围", "plausible range"), bounds))
    if ind.targets:
        rows.append((_t(lang, "目标值", "targets"), _targets(cat, ind, lang)))
    aims = [q for q in cat.source.qualitative_targets if q.indicator == d.id]
    if aims:
        rows.append((_t(lang, "定性目标（不判定）", "qualitative targets (not judged)"), _aims(cat, aims, lang)))
    if d.direction is not None:
        way = _t(lang, "越低越好（较前期下降为向好）", "lower is better (a fall on the earlier period is better)") \
            if d.direction.better == "lower" else _t(lang, "越高越好（较前期上升为向好）", "higher is better (a rise is better)")
        rows.append((_t(lang, "方向", "direction"), f"{way} — {words.source(cat, d.direction.source)}"))
    items = [f"{i.level1} / {i.level2} / {i.name}" for fw in cat.source.frameworks for i in fw.items if d.id in i.indicators]
    if items:
        rows.append((_t(lang, "考核框架条目", "framework items"), "\n".join(items)))
    rows.append((_t(lang, "出处", "source"), words.source(cat, d.source)))
    rows.append(_id(lang, d.id))
    if d.note:
        rows.append((_t(lang, "说明", "note"), d.note))
    return rows


def _field(cat: Compiled, f, form, lang: str) -> list[tuple[str, str]]:
    kind_zh, kind_en = KIND_NAMES[f.kind]
    section = next((s for s in form.sections if s.id == f.section), None)
    en = lang == "en"

    def label(x) -> str:  # a field in the output language (English falls back to the printed label)
        return (x.label_en or x.label) if en else x.label
    rows = [
        (_t(lang, "字段", "field"), f"{f.label_en} / {f.label}" if en and f.label_en else f.label),
        (_t(lang, "表单", "form"), f"{form.code} {form.title}" if lang != "en" else
         f"{form.code_en or form.code} {form.title_en or form.title}"),
        (_t(lang, "章节", "section"), (f"{section.label_en} / {section.label}" if en and section.label_en else section.label)
         if section else f.section),
        (_t(lang, "类型", "kind"), _t(lang, kind_zh, kind_en) + (_t(lang, "，", ", ") + words.unit(cat, f.unit, lang) if f.unit else "")),
    ]
    if f.optional:
        rows.append((_t(lang, "填报要求", "required"), _t(lang, "选填", "optional (选填)")))
    if f.condition == "tcm_hospital":
        rows.append((_t(lang, "填报要求", "required"), _t(lang, "中医医院填写", "TCM hospitals only (中医医院填写)")))
    if f.part_of:
        rows.append((_t(lang, "其中项，属于", "part of"), label(cat.fields[form.id][f.part_of])))
    if f.duplicate_of:
        rows.append((_t(lang, "重复印刷，同", "printed again, same as"), label(cat.fields[form.id][f.duplicate_of])))
    if f.aliases:
        rows.append((_t(lang, "别名", "aliases"), "、".join(f.aliases)))
    if f.definition:
        rows.append((_t(lang, "定义", "definition"), f.definition))
    inds = [i for i in cat.indicators_for(form.id)
            if any(n is not None and f.id in expr.fields(n) for n in (i.numerator, i.denominator, i.of))]
    if inds:
        rows.append((_t(lang, "用于指标", "used by"), "\n".join(f"{(i.defn.name_en or i.defn.name) if en else i.defn.name}: {formula(cat, i, form.id, lang)}" for i in inds)))
    constraints = checks_touching(cat, form.id, {f.id})
    if constraints:
        rows.append((_t(lang, "约束", "constraints"), _constraints(cat, constraints, form.id, lang)))
    rows.append((_t(lang, "出处", "source"), words.source(cat, f.source)))
    if f.origin:  # added by an overlay: not on the national form
        rows.append((_t(lang, "地方增补", "local"), _t(lang, f"{f.origin}增补（覆盖层）", f"added by the overlay of {f.origin}")))
    if f.hidden:
        rows.append((_t(lang, "模板中隐藏", "hidden"), f.hidden))
    rows.append(_id(lang, f"{form.id}.{f.id}"))
    if f.note:
        rows.append((_t(lang, "说明", "note"), f.note))
    return rows


def _check(cat: Compiled, c, lang: str) -> list[tuple[str, str]]:
    d = c.defn
    sev_zh, sev_en = SEVERITY_NAMES[c.severity]
    rows = [
        (_t(lang, "审核规则", "check"), check_text(cat, c, d.forms[0], lang)),
        (_t(lang, "代码", "code"), c.code),
        (_t(lang, "级别", "severity"), _t(lang, sev_zh, sev_en)),
        (_t(lang, "适用表单", "forms"), _t(lang, "、", ", ").join(words.form(cat, f, lang) for f in d.forms if f in cat.forms)),
        (_t(lang, "出处", "source"), words.source(cat, d.source)),
        _id(lang, d.id),
    ]
    if d.note:
        rows.append((_t(lang, "说明", "note"), d.note))
    return rows


def rows_for(cat: Compiled, hit: Hit, lang: str = "zh") -> list[tuple[str, str]]:
    if hit.kind == "indicator":
        return _indicator(cat, hit.entry, lang)
    if hit.kind == "field":
        return _field(cat, hit.entry, hit.form, lang)
    if hit.kind == "check":
        return _check(cat, hit.entry, lang)
    if hit.kind == "target_set":
        return _target_set(cat, hit.entry, lang)
    if hit.kind == "form":
        f = hit.entry
        return [
            (_t(lang, "表单", "form"), f"{f.code} {f.title}" if lang != "en" else
             f"{f.code_en or f.code} {f.title_en or f.title}"),
            (_t(lang, "填报单位", "filled by"), (f.filled_by_en or f.filled_by) if lang == "en" else f.filled_by),
            (_t(lang, "字段数", "fields"), str(len(f.fields))),
            (_t(lang, "指标数", "indicators"), str(len(cat.indicators_for(f.id)))),
            (_t(lang, "审核规则数", "checks"), str(len(cat.checks_for(f.id)))),
            (_t(lang, "出处", "source"), words.source(cat, f.source)),
            _id(lang, f.id),
        ]
    item = hit.entry
    return [
        (_t(lang, "考核框架条目", "framework item"), item.name),
        (_t(lang, "一级/二级指标", "level 1 / 2"), f"{item.level1} / {item.level2}"),
        (_t(lang, "定性", "qualitative"), _t(lang, "是", "yes") if item.qualitative else _t(lang, "否", "no")),
        (_t(lang, "关联指标", "indicators"), "、".join(cat.indicators[i].defn.name for i in item.indicators if i in cat.indicators) or "—"),
        *([(_t(lang, "说明", "note"), item.note)] if item.note else []),
        _id(lang, item.id),
    ]
