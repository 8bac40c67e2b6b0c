"""Rows for `yjzl catalogue list`, one table per kind of entry."""

from __future__ import annotations

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.describe import KIND_NAMES, check_text, formula


def rows(cat: Compiled, kind: str, form_id: str | None, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    en = lang == "en"
    if kind == "form":
        return (["id", "code", "title", "fields"],
                [[f.id, f.code, f.title_en or f.title if en else f.title, str(len(f.fields))]
                 for f in cat.forms.values() if form_id in (None, f.id)])
    if kind == "field":
        out = []
        for f in cat.forms.values():
            if form_id not in (None, f.id):
                continue
            for d in f.fields:
                flags = ",".join(x for x in (
                    "选填" if d.optional else "", "中医医院填写" if d.condition else "",
                    f"=> {d.duplicate_of}" if d.duplicate_of else "",
                    f"{d.origin}增补" if d.origin else "", "模板中隐藏" if d.hidden else "") if x)
                label = (d.label_en or d.label) if en else d.label
                out.append([f"{f.id}.{d.id}", label, KIND_NAMES[d.kind][1 if en else 0], d.unit or "", flags])
        return ["id", "label", "kind", "unit", "flags"], out
    if kind == "indicator":
        out = []
        for i in cat.indicators.values():
            if form_id and form_id not in i.defn.forms:
                continue
            name = (i.defn.name_en or i.defn.name) if en else i.defn.name
            targets = "; ".join(f"{t.set} {t.op}{t.value:g}" for t in i.targets)
            out.append([i.id, name, ",".join(i.defn.forms), formula(cat, i, form_id or i.defn.forms[0], lang), i.defn.unit, targets])
        return ["id", "name", "forms", "formula", "unit", "targets"], out
    if kind == "check":
        return (["id", "code", "severity", "forms", "rule"],
                [[c.id, c.code, c.severity, ",".join(c.defn.forms), check_text(cat, c, form_id or c.defn.forms[0], lang)]
                 for c in cat.checks if form_id in (None, *c.defn.forms)])
    if kind == "target":  # quantitative targets, then (not tied to a form) the aims stated in words
        quantitative = [[i.id, t.set, f"{t.op} {t.value:g}", str(t.by or ""), t.label or "", t.source]
                        for i in cat.indicators.values() for t in i.targets if form_id in (None, *i.defn.forms)]
        words = [["", q.set, "定性" if not en else "qualitative", str(q.by or ""), q.label, q.source]
                 for q in cat.source.qualitative_targets] if form_id is None else []
        return ["indicator", "set", "target", "by", "wording", "source"], quantitative + words
    return (["id", "level1", "level2", "name", "qualitative", "indicators"],
            [[it.id, it.level1, it.level2, it.name, "定性" if it.qualitative else "", ",".join(it.indicators)]
             for fw in cat.source.frameworks for it in fw.items])


# The table people read (`catalogue list` without --format json): headers in their language,
# forms by code, target sets by name, targets as ≥ 95%, sources by document; no ids.
HEADERS = {
    "form": (["表", "名称", "填报单位", "字段数"], ["form", "title", "filled by", "fields"]),
    "field": (["表", "字段", "类型", "单位", "备注"], ["form", "field", "kind", "unit", "flags"]),
    "indicator": (["指标", "适用表单", "公式", "单位", "目标值"], ["indicator", "forms", "formula", "unit", "targets"]),
    "check": (["代码", "级别", "适用表单", "规则"], ["code", "severity", "forms", "rule"]),
    "target": (["指标", "目标值集合", "目标", "原文", "出处"], ["indicator", "target set", "target", "wording", "source"]),
    "framework": (["一级指标", "二级指标", "考核内容", "定性", "关联指标"], ["level 1", "level 2", "item", "qualitative", "indicators"]),
}


def table(cat: Compiled, kind: str, form_id: str | None, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    from yjzl.catalogue.describe import SEVERITY_NAMES
    from yjzl.output import words

    en = lang == "en"
    sep = ", " if en else "、"

    def forms(ids) -> str:
        return sep.join(words.form(cat, f, lang) for f in ids)

    def name(i) -> str:
        return (i.defn.name_en or i.defn.name) if en else i.defn.name

    def unit(u: str | None) -> str:
        return words.unit(cat, u or "", lang)

    headers = HEADERS[kind][1 if en else 0]
    if kind == "form":
        return headers, [[words.form(cat, f.id, lang), (f.title_en or f.title) if en else f.title,
                          (f.filled_by_en or f.filled_by) if en else f.filled_by,
                          str(len(f.fields))] for f in cat.forms.values() if form_id in (None, f.id)]
    if kind == "field":
        out = []
        for f in cat.forms.values():
            if form_id not in (None, f.id):
                continue
            for d in f.fields:
                same = cat.fields[f.id][d.duplicate_of] if d.duplicate_of else None
                flags = sep.join(x for x in (
                    ("optional" if en else "选填") if d.optional else "", ("TCM hospitals" if en else "中医医院填写") if d.condition else "",
                    (f"= {(same.label_en or same.label) if en else same.label}") if same else "") if x)
                out.append([words.form(cat, f.id, lang), (d.label_en or d.label) if en else d.label,
                            KIND_NAMES[d.kind][1 if en else 0], unit(d.unit), flags])
        return headers, out
    if kind == "indicator":
        out = []
        for i in cat.indicators.values():
            if form_id and form_id not in i.defn.forms:
                continue
            targets = "\n".join(f"{words.target_set(cat, t.set, lang)} {words.target(t.op, t.value, unit(i.defn.unit))}"
                                for t in i.targets)
            out.append([name(i), forms(i.defn.forms), formula(cat, i, form_id or i.defn.forms[0], lang), unit(i.defn.unit), targets])
        return headers, out
    if kind == "check":
        return headers, [[c.code, SEVERITY_NAMES[c.severity][1 if en else 0].split("（")[0].split(" (")[0], forms(c.defn.forms),
                          check_text(cat, c, form_id or c.defn.forms[0], lang)]
                         for c in cat.checks if form_id in (None, *c.defn.forms)]
    if kind == "target":
        return headers, [[name(i), words.target_set(cat, t.set, lang), words.target(t.op, t.value, unit(i.defn.unit)),
                          t.label or "", words.source(cat, t.source)]
                         for i in cat.indicators.values() for t in i.targets if form_id in (None, *i.defn.forms)] + [
            [name(cat.indicators[q.indicator]) if q.indicator in cat.indicators else "", words.target_set(cat, q.set, lang),
             "qualitative (not judged)" if en else "定性（不判定）", q.label, words.source(cat, q.source)]
            for q in cat.source.qualitative_targets
            if form_id is None or (q.indicator in cat.indicators and form_id in cat.indicators[q.indicator].defn.forms)]
    return headers, [[it.level1, it.level2, it.name, words.yes_no(it.qualitative, lang),
                      sep.join(name(cat.indicators[x]) for x in it.indicators if x in cat.indicators)]
                     for fw in cat.source.frameworks for it in fw.items]
