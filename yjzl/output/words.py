"""People's words for what yjzl knows by id: statuses, yes/no, targets, target sets, forms, units,
sources. Every table, workbook and page a person reads goes through these; JSON keeps the ids
(it is for programs) and carries the names beside them.

The names come from the catalogue (target sets' `short`, forms' `code_en`, `units`, sources'
titles); only the few words of yjzl's own vocabulary (statuses, yes/no, operators) live here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yjzl.catalogue.compiled import Compiled

STATUS = {"ok": ("正常", "ok"), "missing input": ("缺少数据", "missing input"),
          "denominator zero": ("分母为0", "denominator zero")}
OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def _en(lang: str) -> int:
    return 1 if lang == "en" else 0


def status(value: str, lang: str) -> str:
    return STATUS.get(value, (value, value))[_en(lang)]


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return ""
    return ("是", "yes")[_en(lang)] if value else ("否", "no")[_en(lang)]


def not_yet_due(due_date: str | None, lang: str) -> str:
    """未到期（2020-12-31） / not yet due (2020-12-31): a target whose due date the period ends before."""
    if lang == "en":
        return f"not yet due ({due_date})" if due_date else "not yet due"
    return f"未到期（{due_date}）" if due_date else "未到期"


def number(value: float) -> str:
    return f"{value:g}"


def target(op: str, value: float, unit: str = "") -> str:
    """`≥ 95%`, `≤ 9 日`: the operator as printed in the documents, the value with its unit."""
    unit = unit or ""
    sep = "" if unit in ("%", "‰", "") else " "
    return f"{OPS.get(op, op)} {number(value)}{sep}{unit}"


def target_set(cat: Compiled, set_id: str, lang: str) -> str:
    """A target set by its short name (国家标准, 北京市2017), else its name; the id only if unknown."""
    for s in cat.source.target_sets:
        if s.id == set_id:
            if lang == "en":
                return s.short_en or s.name_en or s.short or s.name
            return s.short or s.name
    return set_id


def target_sets(cat: Compiled, lang: str) -> dict[str, str]:
    return {s.id: target_set(cat, s.id, lang) for s in cat.source.target_sets}


def form(cat: Compiled, form_id: str, lang: str) -> str:
    """A form by its code (表3（成员单位）), in English `code_en` (Form 3 (member unit))."""
    f = cat.forms.get(form_id)
    if f is None:
        return form_id
    return (f.code_en or f.code) if lang == "en" else f.code


def unit(cat: Compiled, value: str, lang: str) -> str:
    if lang != "en" or not value:
        return value
    return cat.source.units.get(value, value)


_SOURCE_ID = re.compile(r"^(S\d{3}|YJZL)\b\s*")


def source(cat: Compiled, text: str) -> str:
    """`S004 第二部分 …` → `国卫医资源便函〔2019〕373号 第二部分 …`: the document by its number or title."""
    m = _SOURCE_ID.match(text or "")
    if not m:
        return text
    for s in cat.source.sources:
        if s.id == m.group(1):
            rest = text[m.end():]
            number, _, _ = s.title.partition(" ")  # the document number before its title, when it has one
            if s.id == "YJZL":
                return rest or s.title
            if " " not in s.title:  # no document number: the title names it
                return f"{s.title} {rest}".strip()
            return rest if rest.startswith(number) else f"{number} {rest}".strip()
    return text


def catalogue_name(cat: Compiled, lang: str) -> str:
    """The catalogue as a printed page names it: 分级诊疗…指标目录（国家版）2019.1 版 + its overlays."""
    meta = cat.source.catalogue
    name = (meta.name_en or meta.name) if lang == "en" else meta.name
    text = f"{name}, version {meta.version}" if lang == "en" else f"{name} {meta.version} 版"
    return text + ("".join(f" + {o}" for o in cat.overlays))
