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

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from yjzl.catalogue.compiled import Compiled
from yjzl.errors import UnusableInput, UsageProblem
from yjzl.workbook.layout import CATALOGUE_PROPERTY, LIVE_SHEET, OVERLAYS_PROPERTY, template_forms
from yjzl.workbook.layouts import UNRECOGNISED, read_sheet
from yjzl.workbook.layouts.common import quote as _quote  # noqa: F401 - the name tests and callers know
from yjzl.workbook.layouts.printed import MAX_HINTS  # noqa: F401 - ditto (unknown labels given a closest label)
from yjzl.workbook.model import FormData, InputIssue, SheetNote, WorkbookData
from yjzl.workbook.own import looks_like_own, own_sheets
from yjzl.workbook.xlsx import Workbook, read_workbook


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a workbook is read: reading makes millions of objects and no
    cycles, and each full collection walks them all (measured: 40 % of reading a 100 000-row table)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read(path: str | Path, cat: Compiled, form: str | None = None) -> WorkbookData:
    """Read every sheet of a workbook that holds a form of the catalogue (a sheet that is not read as a form,
    `not_read`, is not even decoded: a template's indicator sheet, a hidden lookup sheet)."""
    with gc_paused():  # the workbook is ours alone: its cells may leave it as they are read
        book = read_workbook(path, skip=lambda name, hidden, props: not_read(name, hidden, template_forms(props),
                                                                             own_sheets(props)) is not None)
        return read_book(book, cat, form, consume=True)


OWN_SHEET = "yjzl 写出的结果表，不是填报 / a table yjzl wrote, not a submission"


def not_read(sheet: str, hidden: bool, from_template: dict[str, str], own: set[str] = frozenset()) -> str | None:
    """Why a sheet is not read as a form, in words; None when it is read. A sheet yjzl wrote (`own`,
    yjzl.workbook.own) is OWN_SHEET: passed over without a word unless nothing else is left."""
    if sheet in own or from_template.get(sheet) == LIVE_SHEET:  # the template's live indicator sheet too
        return OWN_SHEET
    if hidden:
        return "隐藏的工作表，未读取 / hidden sheet, not read"
    return None


def read_book(book: Workbook, cat: Compiled, form: str | None = None, consume: bool = False,
              require_form: bool = True) -> WorkbookData:
    """The forms of a workbook read already; `require_form=False` (yjzl inspect) returns even when none is
    found. consume: the caller lets a table's cells go as they are read (`book` is then no longer whole)."""
    out = WorkbookData(book.path)
    each_form(book, cat, form, out.forms.append, out, consume, require_form)
    return out


def each_form(book: Workbook, cat: Compiled, form: str | None, sink: Callable[[FormData], None],
              out: WorkbookData | None = None, consume: bool = False, require_form: bool = True) -> WorkbookData:
    """Hand every submission of the workbook to `sink` as it is read (a table of 100 000 rows is never
    held whole: `compute` keeps only each row's results); return the sheets skipped. UnusableInput when
    no sheet holds a form. consume: the caller owns `book` and lets a table's cells go as they are read."""
    out = out if out is not None else WorkbookData(book.path)
    forced = None
    if form:
        forced = cat.find_form(form)
        if forced is None:
            known = "、".join(f"{f.code}({f.id})" for f in cat.forms.values())
            raise UsageProblem(f"没有这个表单 / no such form: {form}（可选 / known: {known}）")
    from_template = template_forms(book.properties)
    own = own_sheets(book.properties)
    ours: list[SheetNote] = []
    made_with = book.properties.get(CATALOGUE_PROPERTY)
    stale = bool(made_with) and made_with != cat.label  # the template's form may have rows this catalogue lacks
    ids = made_with.partition(" + ")[2] if stale and made_with else ""  # the template's overlays
    wanted = (book.properties.get(OVERLAYS_PROPERTY) or ids) if ids and ids not in cat.label else ""  # files to pass
    count = 0
    out.skipped += [SheetNote(name, reason) for name, reason in book.skipped]  # sheets the reader could not open
    for sheet in book.sheets:
        why = not_read(sheet.name, sheet.hidden, from_template, own)
        if why:
            (ours if why == OWN_SHEET else out.skipped).append(SheetNote(sheet.name, why))
            continue
        if looks_like_own(sheet.cells):  # a sheet copied out of a workbook yjzl wrote: not read, nothing said
            ours.append(SheetNote(sheet.name, OWN_SHEET))
            continue
        for data in read_sheet(sheet, cat, book.path, from_template, forced, out.skipped, consume):
            if stale and data.identified_by == "template":
                data.issues.insert(0, InputIssue("YJ013", [], None, f"{made_with}|{cat.label}|{wanted}"))
            count += 1
            sink(data)
    if wanted:  # a sheet of a form an overlay added: say which overlay reads it
        out.skipped = [SheetNote(n.sheet, f"覆盖层的表单，请加 --overlay {wanted} / a form of an overlay: add --overlay {wanted}")
                       if n.reason == UNRECOGNISED and from_template.get(n.sheet) not in (None, *cat.forms) else n
                       for n in out.skipped]
    out.skipped = [n for n in out.skipped if n.sheet not in own]  # a sheet yjzl wrote the reader could not open
    if not count and require_form:
        # Nothing was audited: say so (exit 2), rather than report a clean file.
        reasons = ("；".join(f"{s.sheet}: {s.reason}" for s in out.skipped) or (ours[0].reason if ours else "")
                   or "没有工作表 / no sheets")
        raise UnusableInput(book.path, f"未找到可识别的表单 / no form recognised（{reasons}）")
    return out
