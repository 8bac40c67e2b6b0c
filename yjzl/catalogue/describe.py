"""Look catalogue entries up as a person would, and describe them in words.

`find` accepts an id (`gp_per_10k_urban`, `T1.hukou_population`, `t12.x`,
`F1.10`) or a Chinese name/label; `describe` turns an entry into (heading,
text) rows in Chinese or English. Used by `yjzl catalogue show` and by the
template's input messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Check, Compiled, Indicator
from yjzl.catalogue.schema import FieldDef, FormDef, FrameworkItem
from yjzl.period import QUANTITIES, Period, quantity_label
from yjzl.text import label_key

KIND_NAMES = {
    "count": ("计数（非负整数）", "count (whole number ≥ 0)"),
    "amount": ("金额", "amount (money)"),
    "decimal": ("数值", "decimal"),
    "percent": ("百分比", "percent"),
    "permille": ("千分比", "per mille"),
    "yesno": ("是/否", "yes/no"),
    "text": ("文本", "text"),
    "code": ("代码", "code"),
}
SEVERITY_NAMES = {"logic": ("逻辑审核（必须修改）", "logic (must be fixed)"),
                  "plausibility": ("合理性审核（可填写说明）", "plausibility (may stand with an explanation)")}


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # form | field | indicator | check | framework | target_set
    entry: Any
    form: FormDef | None = None


def find(cat: Compiled, query: str) -> list[Hit]:
    """Entries whose id or name is `query` (exact first, then by folded label)."""
    q = query.strip()
    if q in cat.indicators:
        return [Hit("indicator", cat.indicators[q])]
    checks = [c for c in cat.checks if c.id == q]
    if checks:
        return [Hit("check", checks[0])]
    if "." in q and q.split(".", 1)[0] in cat.fields:
        form_id, fid = q.split(".", 1)
        if fid in cat.fields[form_id]:
            return [Hit("field", cat.fields[form_id][fid], cat.forms[form_id])]
    items = [i for fw in cat.source.frameworks for i in fw.items if i.id == q]
    if items:
        return [Hit("framework", items[0])]
    sets = [s for s in cat.source.target_sets if q in (s.id, s.short, s.short_en, s.name)]
    if sets:
        return [Hit("target_set", sets[0])]
    form = cat.find_form(q)
    if form:
        return [Hit("form", form)]
    key = label_key(q)
    hits = [Hit("indicator", i) for i in cat.indicators.values() if label_key(i.defn.name) == key]
    for form_id, index in cat.labels.items():
        hits += [Hit("field", cat.fields[form_id][fid], cat.forms[form_id]) for fid in index.get(key, [])]
    hits += [Hit("framework", i) for fw in cat.source.frameworks for i in fw.items if label_key(i.name) == key]
    return hits


_BLANK = re.compile(r"_{2,}")


def message_label(label: str) -> str:
    """A label as a message shows it: the form's `____` blank and a trailing `？` dropped.

    `签约服务费是____元/人/年` → `签约服务费（元/人/年）`; `…占区域内贫困人口的____%` → `…占区域内贫困人口的比例（%）`;
    `是否设立签约服务费？` → `是否设立签约服务费`; `有多少专科加入专科联盟？（专科数）` → `有多少专科加入专科联盟（专科数）`.
    """
    m = _BLANK.search(label)
    if m:
        before, after = label[:m.start()], label[m.end():].strip()
        before = before.rstrip("是为，,") if not before.endswith("的") else before
        if after in ("%", "‰") and before.endswith("的"):
            before += "比例"
        after = after.replace("（", "，").replace("）", "")  # 周（平均数） → （周，平均数）
        label = before + (f"（{after}）" if after else "")
    return re.sub(r"[？?](?=(（[^（）]*）)?$)", "", label)


_PLACES: dict[tuple[int, str, str], tuple[Compiled, dict[str, str]]] = {}


def _places(cat: Compiled, form_id: str, lang: str) -> dict[str, str]:
    """Where each field printed under the same label as another sits (memoised: a batch asks per file, and
    working it out costs ~0.2 ms, an eighth of a workbook's compute; the catalogue is held so its id stays its own)."""
    key = (id(cat), form_id, lang)
    hit = _PLACES.get(key)
    if hit is None or hit[0] is not cat:
        hit = _PLACES[key] = (cat, _work_out_places(cat, form_id, lang))
    return hit[1]


def _work_out_places(cat: Compiled, form_id: str, lang: str) -> dict[str, str]:
    form = cat.forms.get(form_id)
    if form is None:
        return {}
    # Twins are the fields that read alike in the output language: 公立医院数 and 公立医院总数 (表2, duplicate_of)
    # differ in Chinese but are both "Number of public hospitals" in English, so English names their places.
    by_label: dict[str, list[FieldDef]] = {}
    for f in form.fields:
        by_label.setdefault(message_label((f.label_en or f.label) if lang == "en" else f.label), []).append(f)
    sections = {s.id: s for s in form.sections}
    out = {}
    for twins in (v for v in by_label.values() if len(v) > 1):
        for f in twins:
            s = sections.get(f.section)
            if f.number:
                out[f.id] = f"第{f.number}项" if lang == "zh" else f"item {f.number}"
            elif s is not None:
                out[f.id] = (s.label_en or s.label) if lang == "en" else s.label
        same = [f for f in twins if list(out.get(g.id) for g in twins).count(out.get(f.id)) > 1]
        for k, f in enumerate(same, 1):  # both in one section (表2 基本信息 prints 三级医院平均住院日 twice): say which
            out[f.id] = f"{out.get(f.id, '')}第{k}处" if lang == "zh" else f"{out.get(f.id, '')}, occurrence {k}"
    return out


_NAMERS: dict[tuple, tuple[Compiled, Callable[[str], str]]] = {}


def namer(cat: Compiled, form_id: str, lang: str = "zh", plain: bool = False, period: Period | None = None,
          placed: bool | None = None):
    """A function id → label for rendering expressions of one form (the period's quantities name the period).

    plain: as a finding's message shows labels — without the form's blanks, and a field printed
    twice under one label named with its place (`日间手术例次数（基本信息）`, `日间手术例次数（第17项）`).
    placed: name such twins with their place (default: as `plain`), also where the labels stay as printed
    (a check's rule in `catalogue list`, else `日间手术例次数 = 日间手术例次数`).
    Memoised, as `_places`: a batch words the same labels for every submission.
    """
    placed = plain if placed is None else placed
    key = (id(cat), form_id, lang, plain, period, placed)
    hit = _NAMERS.get(key)
    if hit is None or hit[0] is not cat:
        if len(_NAMERS) > 4096:
            _NAMERS.clear()
        hit = _NAMERS[key] = (cat, _remembering(_namer(cat, form_id, lang, plain, period, placed)))
    return hit[1]


def _remembering(name: Callable[[str], str]) -> Callable[[str], str]:
    memo: dict[str, str] = {}

    def remembered(fid: str) -> str:
        label = memo.get(fid)
        if label is None:
            label = memo[fid] = name(fid)
        return label
    return remembered


def _namer(cat: Compiled, form_id: str, lang: str, plain: bool, period: Period | None,
           placed: bool) -> Callable[[str], str]:
    fields = cat.fields.get(form_id, {})
    places = _places(cat, form_id, lang) if placed else {}

    def name(fid: str) -> str:
        if fid in QUANTITIES:  # period_days, period_working_days: named with the period used and its value
            return quantity_label(fid, period, lang)
        if fid.startswith("count:"):  # count(T3M): how many member forms the run holds
            form = cat.forms.get(fid[6:])
            code = (form.code_en or form.code if lang == "en" else form.code) if form else fid[6:]
            return f"{code}份数" if lang == "zh" else f"number of {code} submissions"
        if fid.startswith("sum:"):  # sum(T2.x): the field added up over the member forms of the run
            other, local = fid[4:].split(".", 1)
            form, f = cat.forms.get(other), cat.fields.get(other, {}).get(local)
            if lang == "en":
                code, label = (form.code_en or form.code) if form else other, (f.label_en or f.label) if f else local
                return f"sum of {label} over the {code} submissions"
            code, label = (form.code if form else other), (f.label if f else local)
            return f"各份{code}的{label}之和"
        if "." in fid:
            other, local = fid.split(".", 1)
            f = cat.fields.get(other, {}).get(local)
        else:
            f = fields.get(fid)
        if f is None:
            return fid
        label = (f.label_en or f.label) if lang == "en" else f.label
        if plain:
            label = message_label(label)
        if fid not in places:
            return label
        return f"{label}（{places[fid]}）" if lang == "zh" else f"{label} ({places[fid]})"

    return name


def formula(cat: Compiled, ind: Indicator, form_id: str, lang: str = "zh") -> str:
    """The indicator's formula in words, e.g. `1 − 转出 ÷ 总 × 100%`."""
    d = ind.defn
    name = namer(cat, form_id, lang)
    if d.kind in ("growth", "change") and ind.of:
        what = expr.render(ind.of, name)
        then = ("上期" if d.lag == 1 else f"前{d.lag}期") if lang == "zh" else ("previous" if d.lag == 1 else f"{d.lag} periods back")
        if d.kind == "change":
            return f"{what}本期 − {what}{then}" if lang == "zh" else f"{what} now − {then}"
        return f"({what}本期 − {what}{then}) ÷ {what}{then} × 100%" if lang == "zh" else f"({what} now − {then}) ÷ {then} × 100%"
    num = expr.render(ind.numerator, name, 6) if ind.numerator else "?"
    den = expr.render(ind.denominator, name, 7) if ind.denominator else "?"
    ratio = f"{num} ÷ {den}"
    if d.complement:
        ratio = f"(1 − {ratio})"
    scale = {100: "× 100%", 1000: "× 1000‰", 10000: "× 10000", 1: ""}.get(d.factor, f"× {d.factor:g}")
    return f"{ratio} {scale}".strip()


def check_text(cat: Compiled, check: Check, form_id: str, lang: str = "zh") -> str:
    """A check's rule in words: `a ≤ b ≤ c`, `x = y + z`, `1 ≤ x ≤ 30`, `x ≈ f (±2)`; a field printed twice
    named with its place (`日间手术例次数（基本信息） = 日间手术例次数（第17项）`)."""
    name = namer(cat, form_id, lang, placed=True)
    d = check.defn
    if d.rule in ("le", "eq"):
        sym = " ≤ " if d.rule == "le" else " = "
        text = sym.join(expr.render(t, name) for t in check.terms)
    elif d.rule == "range":
        e = expr.render(check.expr, name) if check.expr else "?"
        lo = f"{d.min:g} ≤ " if d.min is not None else ""
        hi = f" ≤ {d.max:g}" if d.max is not None else ""
        text = f"{lo}{e}{hi}"
    else:
        tol = d.tolerance
        parts = [f"±{tol.abs:g}" if tol and tol.abs is not None else "", f"±{tol.rel:.0%}" if tol and tol.rel is not None else ""]
        text = f"{expr.render(check.expr, name)} ≈ {expr.render(check.formula, name)} ({' '.join(p for p in parts if p)})"  # type: ignore[arg-type]
    if check.when is not None:
        text += ("，当 " if lang == "zh" else ", when ") + expr.render(check.when, name)
    return text


def checks_touching(cat: Compiled, form_id: str, field_ids: set[str]) -> list[Check]:
    """The checks that read these fields: the form's own, and a lead form's that sum them over its members."""
    own = [c for c in cat.checks_for(form_id) if any(expr.fields(n) & field_ids for n in c.nodes)]
    across = [c for c in cat.checks if c.defn.across == form_id
              and any(ref[0] == form_id and ref[1] in field_ids for n in c.nodes for ref in expr.member_refs(n))]
    return own + across


def describe(cat: Compiled, hit: Hit, lang: str = "zh") -> list[tuple[str, str]]:
    from yjzl.catalogue.describe_rows import rows_for

    return rows_for(cat, hit, lang)


__all__ = ["FieldDef", "FrameworkItem", "Hit", "check_text", "checks_touching", "describe", "find", "formula", "namer"]
