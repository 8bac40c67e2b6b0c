"""Which form a sheet holds, and how it was recognised.

In order: the template's document property; the sheet's name (a form's code or
one of its sheet names, as a whole token: 表1, 表 1, 表一, 表1（省级）, 表3汇总 — but
never 工作表1, LibreOffice's default name, nor 表10); the title in the first
rows; the labels (for a printed form, its label column; for a table, its header).
The layouts themselves are in `yjzl/workbook/layouts/`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.text import label_key
from yjzl.workbook.cells import Sheet
from yjzl.workbook.layouts.printed import LABEL_HEADERS, NOTE_HEADERS, VALUE_HEADERS, Layout, find_layout

__all__ = [
    "CATALOGUE_PROPERTY",
    "LABEL_HEADERS",
    "NOTE_HEADERS",
    "TEMPLATE_PROPERTY",
    "VALUE_HEADERS",
    "Layout",
    "find_layout",
    "form_by_sheet_name",
    "identify",
    "template_forms",
]

TEMPLATE_PROPERTY = "yjzl.forms"  # custom document property written by `yjzl template`
LIVE_SHEET = "yjzl:indicators"  # in TEMPLATE_PROPERTY: the template's live indicator sheet (no form)
CATALOGUE_PROPERTY = "yjzl.catalogue"  # the catalogue the template was made from: "<id> <version>[ + overlays]"
OVERLAYS_PROPERTY = "yjzl.overlays"  # the overlays' file names, so a workbook read without them can name them

_NUMERALS = str.maketrans("一二三四五六七八九", "123456789")
_TABLE_NUMBER = re.compile(r"表([一二三四五六七八九])(?![一二三四五六七八九十])")


@lru_cache(maxsize=4096)
def _name_key(text: str) -> str:
    """A sheet name or form code folded for token matching: 表一 → 表1 (label_key folds spaces and width)."""
    return _TABLE_NUMBER.sub(lambda m: "表" + m.group(1).translate(_NUMERALS), label_key(text))


def _word(ch: str) -> bool:
    """A character that continues a word: a CJK ideograph or a letter (工作表1: 作 glues to 表1)."""
    return ch.isalpha()


def _token_at(key: str, name: str) -> bool:
    """`name` occurs in `key` as a whole token: not glued to a word before, nor to a digit after."""
    start = key.find(name)
    while start >= 0:
        before = key[start - 1] if start else ""
        end = start + len(name)
        after = key[end] if end < len(key) else ""
        if not (before and _word(before)) and not (after.isdigit() and name[-1:].isdigit()):
            return True
        start = key.find(name, start + 1)
    return False


def form_by_sheet_name(sheet_name: str, cat: Compiled) -> FormDef | None:
    """The form a sheet's name says, or None when the name says nothing (工作表1, Sheet1, 汇总)."""
    form = cat.find_form(sheet_name)
    if form:
        return form
    key = _name_key(sheet_name)
    hits = [(len(n), f) for f in cat.forms.values() for n in {_name_key(x) for x in (f.code, *f.sheet_names)}
            if n and _token_at(key, n)]
    return max(hits, key=lambda x: x[0])[1] if hits else None


def form_by_title(texts: list[str], cat: Compiled) -> FormDef | None:
    """The form whose title or filler (填报单位) appears in the sheet's first rows."""
    for text in (label_key(v) for v in texts):
        hits = [(len(label_key(f.filled_by)), f) for f in cat.forms.values() if label_key(f.filled_by) in text]
        hits += [(len(label_key(f.title)), f) for f in cat.forms.values() if label_key(f.title) in text and not any(
            label_key(o.title) in text and len(o.title) > len(f.title) for o in cat.forms.values())]
        if hits:
            return max(hits, key=lambda x: x[0])[1]
    return None


def identify(sheet: Sheet, cat: Compiled, template_forms: dict[str, str]) -> tuple[FormDef | None, str]:
    """The form a printed-form sheet holds, and how it was recognised."""
    if sheet.name in template_forms and template_forms[sheet.name] in cat.forms:
        return cat.forms[template_forms[sheet.name]], "template"
    form = form_by_sheet_name(sheet.name, cat)
    if form:
        return form, "sheet name"
    first = [c.value for (r, _), c in sheet.cells.items() if r <= 6 and isinstance(c.value, str) and c.value.strip()]
    form = form_by_title(first, cat)
    if form:
        return form, "title"
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
