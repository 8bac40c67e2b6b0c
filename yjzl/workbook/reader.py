"""Read a submission workbook into FormData: one per submission in each sheet that holds a form.

Each sheet is read by its layout (printed form, summary table, long table: yjzl/workbook/layouts/).

Labels are matched to catalogue fields forgivingly (see yjzl.text.label_key);
a label printed twice by the documents is matched in order of appearance.
Every cell problem becomes an InputIssue with its cell, never an exception.
Hidden rows are read like any other (the platform receives them too); hidden
sheets are listed as skipped; a workbook in which no sheet holds a form is
unusable (UnusableInput), not clean.
"""

from __future__ import annotations

from pathlib import Path

from yjzl.catalogue.compiled import Compiled
from yjzl.errors import UnusableInput, UsageProblem
from yjzl.workbook.layout import CATALOGUE_PROPERTY, template_forms
from yjzl.workbook.layouts import read_sheet
from yjzl.workbook.model import InputIssue, SheetNote, WorkbookData
from yjzl.workbook.xlsx import Workbook, read_workbook


def read(path: str | Path, cat: Compiled, form: str | None = None) -> WorkbookData:
    """Read every sheet of a workbook that holds a form of the catalogue."""
    return read_book(read_workbook(path), cat, form)


def read_book(book: Workbook, cat: Compiled, form: str | None = None) -> WorkbookData:
    forced = None
    if form:
        forced = cat.find_form(form)
        if forced is None:
            known = "、".join(f"{f.code}({f.id})" for f in cat.forms.values())
            raise UsageProblem(f"没有这个表单 / no such form: {form}（可选 / known: {known}）")
    out = WorkbookData(book.path)
    from_template = template_forms(book.properties)
    for sheet in book.sheets:
        if sheet.hidden:
            out.skipped.append(SheetNote(sheet.name, "隐藏的工作表，未读取 / hidden sheet, not read"))
            continue
        forms, notes = read_sheet(sheet, cat, book.path, from_template, forced)
        out.forms += forms
        out.skipped += notes
    made_with = book.properties.get(CATALOGUE_PROPERTY)
    if made_with and made_with != cat.label:  # the template's form may have rows this catalogue lacks, or lack some
        for data in out.forms:
            if data.identified_by == "template":
                data.issues.insert(0, InputIssue("YJ013", [], None, f"{made_with}|{cat.label}"))
    if not out.forms:
        # Nothing was audited: say so (exit 2), rather than report a clean file.
        reasons = "；".join(f"{s.sheet}: {s.reason}" for s in out.skipped) or "没有工作表 / no sheets"
        raise UnusableInput(book.path, f"未找到可识别的表单 / no form recognised（{reasons}）")
    return out
