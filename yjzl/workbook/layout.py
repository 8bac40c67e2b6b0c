"""Find the form a sheet holds and the columns its labels, values and notes are in."""

from __future__ import annotations

import json
from dataclasses import dataclass

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.text import label_key
from yjzl.workbook.xlsx import Sheet, col_letter

LABEL_HEADERS = {"指标", "指标名称", "项目", "项目名称", "字段", "指标项", "名称", "考核指标", "填报项目", "indicator", "label", "item"}
VALUE_HEADERS = {"数值", "填报值", "本期", "值", "填报数", "数据", "本期值", "填报数据", "数量", "填报内容", "value", "本年"}
NOTE_HEADERS = {"说明", "备注", "情况说明", "审核说明", "填报说明", "解释", "note", "explanation"}
TEMPLATE_PROPERTY = "yjzl.forms"  # custom document property written by `yjzl template`
LIVE_SHEET = "yjzl:indicators"  # in TEMPLATE_PROPERTY: the template's live indicator sheet (no form)
CATALOGUE_PROPERTY = "yjzl.catalogue"  # the catalogue the template was made from: "<id> <version>[ + overlays]"
OVERLAYS_PROPERTY = "yjzl.overlays"  # the overlays' file names, so a workbook read without them can name them


@dataclass(slots=True)
class Layout:
    header_row: int  # 0: no header row found
    label_col: int
    value_col: int
    note_col: int | None

    def describe(self) -> str:
        parts = [f"{col_letter(self.label_col)}=指标", f"{col_letter(self.value_col)}=数值"]
        if self.note_col:
            parts.append(f"{col_letter(self.note_col)}=说明")
        return " ".join(parts)


def _texts(sheet: Sheet, max_row: int) -> dict[tuple[int, int], str]:
    return {rc: c.value for rc, c in sheet.cells.items() if rc[0] <= max_row and isinstance(c.value, str) and c.value.strip()}


def find_layout(sheet: Sheet) -> Layout:
    """Header row by its words; else the first mostly-text column and the next one."""
    texts = _texts(sheet, 15)
    rows: dict[int, dict[int, str]] = {}
    for (r, c), v in texts.items():
        rows.setdefault(r, {})[c] = label_key(v)
    for r in sorted(rows):
        cols = rows[r]
        label = next((c for c, k in sorted(cols.items()) if k in LABEL_HEADERS), None)
        value = next((c for c, k in sorted(cols.items()) if k in VALUE_HEADERS), None)
        if label and value:
            note = next((c for c, k in sorted(cols.items()) if k in NOTE_HEADERS), None)
            return Layout(r, label, value, note)
    counts: dict[int, int] = {}
    for (_, c), v in sheet.cells.items():
        if isinstance(v.value, str) and len(label_key(v.value)) >= 4:
            counts[c] = counts.get(c, 0) + 1
    label_col = max(counts, key=lambda c: (counts[c], -c)) if counts else 1
    return Layout(0, label_col, label_col + 1, None)


def identify(sheet: Sheet, cat: Compiled, template_forms: dict[str, str]) -> tuple[FormDef | None, str]:
    """The form a sheet holds, and how it was recognised."""
    if sheet.name in template_forms and template_forms[sheet.name] in cat.forms:
        return cat.forms[template_forms[sheet.name]], "template"
    form = cat.find_form(sheet.name)
    if form:
        return form, "sheet name"
    name_key = label_key(sheet.name)
    by_name = [(len(label_key(n)), f) for f in cat.forms.values() for n in (f.code, *f.sheet_names) if label_key(n) and label_key(n) in name_key]
    if by_name:
        return max(by_name, key=lambda x: x[0])[1], "sheet name"
    for text in (label_key(v) for v in _texts(sheet, 6).values()):
        hits = [(len(label_key(f.filled_by)), f) for f in cat.forms.values() if label_key(f.filled_by) in text]
        hits += [(len(label_key(f.title)), f) for f in cat.forms.values() if label_key(f.title) in text and not any(
            label_key(o.title) in text and len(o.title) > len(f.title) for o in cat.forms.values())]
        if hits:
            return max(hits, key=lambda x: x[0])[1], "title"
    return _by_labels(sheet, cat), "labels"


def _by_labels(sheet: Sheet, cat: Compiled) -> FormDef | None:
    """The form whose labels cover the most of the sheet's text cells (at least 30 %, 3 labels)."""
    keys = {label_key(c.value) for c in sheet.cells.values() if isinstance(c.value, str)}
    keys.discard("")
    best, score = None, 0
    for form in cat.forms.values():
        hits = len(keys & cat.labels[form.id].keys())
        if hits > score:
            best, score = form, hits
    return best if best and score >= 3 and score >= 0.3 * min(len(keys), len(best.fields)) else None


def template_forms(properties: dict[str, str]) -> dict[str, str]:
    try:
        data = json.loads(properties.get(TEMPLATE_PROPERTY, "{}"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
