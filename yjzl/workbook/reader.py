"""Read a submission workbook into FormData: one per sheet that holds a form.

Labels are matched to catalogue fields forgivingly (see yjzl.text.label_key);
a label printed twice by the documents is matched in order of appearance.
Every cell problem becomes an InputIssue with its cell, never an exception.
Hidden rows are read like any other (the platform receives them too); hidden
sheets are listed as skipped; a workbook in which no sheet holds a form is
unusable (UnusableInput), not clean.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.errors import UnusableInput, UsageProblem
from yjzl.text import label_key
from yjzl.workbook import values
from yjzl.workbook.layout import (
    CATALOGUE_PROPERTY,
    LIVE_SHEET,
    OVERLAYS_PROPERTY,
    find_layout,
    identify,
    template_forms,
)
from yjzl.workbook.model import FieldValue, FormData, InputIssue, SheetNote, WorkbookData
from yjzl.workbook.xlsx import Sheet, Workbook, cell_ref, col_letter, read_workbook


def read(path: str | Path, cat: Compiled, form: str | None = None) -> WorkbookData:
    """Read every sheet of a workbook that holds a form of the catalogue."""
    return read_book(read_workbook(path), cat, form)


def read_book(book: Workbook, cat: Compiled, form: str | None = None, require_form: bool = True) -> WorkbookData:
    """The forms of a workbook read already; `require_form=False` (yjzl inspect) returns even when none is found."""
    forced = None
    if form:
        forced = cat.find_form(form)
        if forced is None:
            known = "、".join(f"{f.code}({f.id})" for f in cat.forms.values())
            raise UsageProblem(f"没有这个表单 / no such form: {form}（可选 / known: {known}）")
    out = WorkbookData(book.path)
    from_template = template_forms(book.properties)
    out.skipped += [SheetNote(name, reason) for name, reason in book.skipped]
    made_with = book.properties.get(CATALOGUE_PROPERTY)
    wanted = ""  # the overlays the template was made with and this run lacks, by file name where recorded
    if made_with and made_with != cat.label:
        ids = made_with.partition(" + ")[2]
        wanted = (book.properties.get(OVERLAYS_PROPERTY) or ids) if ids and ids not in cat.label else ""
    for sheet in book.sheets:
        if sheet.hidden:
            out.skipped.append(SheetNote(sheet.name, "隐藏的工作表，未读取 / hidden sheet, not read"))
            continue
        if from_template.get(sheet.name) == LIVE_SHEET:
            out.skipped.append(SheetNote(sheet.name, "模板的指标计算表 / the template's live indicator sheet"))
            continue
        found, how = identify(sheet, cat, from_template)
        if found is None and forced is not None:
            found, how = forced, "--form"
        if found is None:
            if not sheet.cells:
                reason = "空白工作表 / empty sheet"
            elif wanted and from_template.get(sheet.name) not in (None, *cat.forms):  # a form an overlay added
                reason = f"覆盖层的表单，请加 --overlay {wanted} / a form of an overlay: add --overlay {wanted}"
            else:
                reason = "未识别出表单 / no form recognised (用 --form 指定 / name it with --form)"
            out.skipped.append(SheetNote(sheet.name, reason))
            continue
        out.forms.append(read_sheet(sheet, found, cat, book.path, how))
    if made_with and made_with != cat.label:  # the template's form may have rows this catalogue lacks, or lack some
        for data in out.forms:
            if data.identified_by == "template":
                data.issues.insert(0, InputIssue("YJ013", [], None, f"{made_with}|{cat.label}|{wanted}"))
    if not out.forms and require_form:
        # Nothing was audited: say so (exit 2), rather than report a clean file.
        reasons = "；".join(f"{s.sheet}: {s.reason}" for s in out.skipped) or "没有工作表 / no sheets"
        raise UnusableInput(book.path, f"未找到可识别的表单 / no form recognised（{reasons}）")
    return out


MAX_HINTS = 500  # distinct unknown labels per sheet that get a "closest is …" hint (difflib costs ~0.1 ms each)


def _quote(sheet: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it has spaces or punctuation."""
    return f"'{sheet}'" if any(ch in sheet for ch in " -()'!,;") else sheet


def read_sheet(sheet: Sheet, form: FormDef, cat: Compiled, file: str, how: str) -> FormData:
    layout = find_layout(sheet)
    data = FormData(file, sheet.name, form.id, how, layout=layout.describe())
    prefix = _quote(sheet.name) + "!"
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
        ref = value_prefix + str(r)
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
        _store(data, fields[fid], fid, value_cell, ref, r, note)
    _absent(data, form)
    return data


def _store(data: FormData, f, fid: str, cell, ref: str, row: int, note: str | None) -> None:
    parsed = values.parse(cell, f.kind)
    data.values[fid] = FieldValue(parsed.value, ref, row, note)
    if parsed.problem:
        data.issues.append(InputIssue(parsed.problem, [ref], fid, parsed.detail))
    elif parsed.value is None and not (f.optional or f.condition or f.duplicate_of):
        data.issues.append(InputIssue("YJ001", [ref], fid))
    elif parsed.note == "fraction":
        data.issues.append(InputIssue("YJ011", [ref], fid, f"{parsed.value:g}"))


def _absent(data: FormData, form: FormDef) -> None:
    """Required fields with no row at all."""
    for f in form.fields:
        if f.id not in data.values and not (f.optional or f.condition or f.duplicate_of):
            data.issues.append(InputIssue("YJ002", [], f.id, data.sheet))
