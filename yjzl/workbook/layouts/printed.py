"""The printed form: one submitter, labels down a column, values beside them.

    | 指标             | 数值   | 说明 |
    | 三级医院名称     | 某医院 |      |
    | 实际开放总床日数 | 4272   |      |

The columns are found by a header row (指标/指标名称/项目 … 数值/填报值/本期 …
说明/备注), else the first mostly-text column and the one after it. A label
printed twice by the documents is matched in order of appearance; a label that
matches no field gets YJ006 with the closest label. This is the layout every
sheet falls back to.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.text import label_key
from yjzl.workbook import values
from yjzl.workbook.cells import Sheet, cell_ref, col_letter
from yjzl.workbook.layouts.common import Reading, absent, quote, store
from yjzl.workbook.model import FormData, InputIssue, SheetNote

NAME = "form"
UNRECOGNISED = "未识别出表单 / no form recognised (用 --form 指定 / name it with --form)"
LABEL_HEADERS = {"指标", "指标名称", "项目", "项目名称", "字段", "指标项", "名称", "考核指标", "填报项目", "indicator", "label", "item"}
VALUE_HEADERS = {"数值", "填报值", "本期", "值", "填报数", "数据", "本期值", "填报数据", "数量", "填报内容", "value", "本年"}
NOTE_HEADERS = {"说明", "备注", "情况说明", "审核说明", "填报说明", "解释", "note", "explanation"}
MAX_HINTS = 500  # distinct unknown labels per sheet that get a "closest is …" hint (difflib costs ~0.1 ms each)


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


def detect(sheet: Sheet, top: dict[int, dict[int, str]], cat: Compiled) -> Layout:
    """Every sheet has this shape: the printed form is the layout the others fall back to."""
    return find_layout(sheet)


def submissions(sheet: Sheet, shape: Layout, reading: Reading) -> Iterator[FormData]:
    """The sheet's one submission, its form recognised by name, title or labels (yjzl/workbook/layout.py)."""
    from yjzl.workbook.layout import identify

    found, how = identify(sheet, reading.cat, reading.template)
    if found is None and reading.forced is not None:
        found, how = reading.forced, "--form"
    if found is None:
        reading.notes.append(SheetNote(sheet.name, "空白工作表 / empty sheet" if not sheet.cells else UNRECOGNISED))
        return
    yield read(sheet, found, reading.cat, reading.file, how, shape)


def read(sheet: Sheet, form: FormDef, cat: Compiled, file: str, how: str, layout: Layout) -> FormData:
    """The one submission of a printed form, its columns as `detect` found them."""
    data = FormData(file, sheet.name, form.id, how, layout=layout.describe(), layout_name=NAME)
    prefix = quote(sheet.name) + "!"
    index = cat.labels[form.id]
    fields = cat.fields[form.id]
    sections = {label_key(s.label) for s in form.sections} | {label_key(form.title), label_key(form.filled_by)}
    seen: dict[str, int] = {}
    hints: dict[str, str] = {}  # unknown label key → the closest label (YJ006)
    cells = sheet.cells
    label_col, value_col, note_col = layout.label_col, layout.value_col, layout.note_col
    value_prefix = prefix + col_letter(value_col)
    labels = sorted((r, x.value) for (r, c), x in cells.items() if c == label_col and r > layout.header_row and isinstance(x.value, str))
    for r, label in labels:
        key = label_key(label)
        if not key:
            continue
        value_cell = cells.get((r, value_col))
        ids = index.get(key)
        if not ids:
            if key in sections or value_cell is None or value_cell.value in (None, ""):
                continue  # a heading, or a row of prose
            best = hints.get(key)
            if best is None:
                best = ""
                if len(hints) < MAX_HINTS:  # a pasted export of 100 000 rows: the first few get a hint
                    hint = difflib.get_close_matches(key, list(index), n=1, cutoff=0.5)
                    best = fields[index[hint[0]][0]].label if hint else ""
                hints[key] = best
            data.issues.append(InputIssue("YJ006", [prefix + cell_ref(r, label_col)], None, f"{values.brief(label)}|{best}"))
            continue
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n >= len(ids):
            # Both rows' labels: the first one's value is the one read, this one's is not.
            first = prefix + cell_ref(data.values[ids[0]].row, label_col)
            data.issues.append(InputIssue("YJ010", [first, prefix + cell_ref(r, label_col)], ids[0], values.brief(label)))
            continue
        fid = ids[n]
        note_cell = cells.get((r, note_col)) if note_col else None
        note = str(note_cell.value).strip() if note_cell is not None and note_cell.value not in (None, "") else None
        store(data, fields[fid], value_cell, value_prefix, r, note)
    absent(data, form)
    return data
