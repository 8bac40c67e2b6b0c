"""Sheet layouts: how a sheet becomes submissions (FormData), one small unit per layout.

Registered here, in the order they are tried; the first whose shape the sheet has reads it:

- `long`    (long.py): 单位 | 指标 | 数值 columns, one row per value (a platform's data-value export);
- `summary` (summary.py): a header row of field labels, one row per submitter (汇总表);
- `form`    (printed.py): the printed form, labels down a column — every other sheet.

Each unit says why it was chosen (FormData.layout, shown by `validate --format json` and
`inspect`) and which layout it is (FormData.layout_name). Whatever the layout, every value
carries its own cell, so findings cite the row they concern (`表3汇总!BD5`); the rules engine,
compute and report see FormData only.
"""

from __future__ import annotations

from collections.abc import Iterator

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.text import label_key
from yjzl.workbook.cells import Sheet
from yjzl.workbook.layouts import long, printed, summary
from yjzl.workbook.layouts.common import head
from yjzl.workbook.model import FormData, SheetNote

LAYOUTS = (long, summary, printed)  # most specific shape first; the printed form takes the rest
UNRECOGNISED = "未识别出表单 / no form recognised (用 --form 指定 / name it with --form)"


def _table_form(sheet: Sheet, top: dict[int, dict[int, str]], cat: Compiled, template: dict[str, str],
                by_labels: FormDef | None) -> tuple[FormDef | None, str]:
    """A table's form: the template's property, its sheet name, its title, then its labels."""
    from yjzl.workbook.layout import form_by_sheet_name, form_by_title

    if sheet.name in template and template[sheet.name] in cat.forms:
        return cat.forms[template[sheet.name]], "template"
    form = form_by_sheet_name(sheet.name, cat)
    if form:
        return form, "sheet name"
    form = form_by_title([t for r in sorted(top)[:3] for t in top[r].values()], cat)
    if form:
        return form, "title"
    return by_labels, "labels"


def read_sheet(sheet: Sheet, cat: Compiled, file: str, template: dict[str, str],
               forced: FormDef | None, notes: list[SheetNote], consume: bool = False) -> Iterator[FormData]:
    """The submissions a sheet holds, one by one (a table's rows are not all held at once); notes on what
    of it was not read go to `notes`. consume: a summary table's cells leave the sheet as they are read."""
    top = head(sheet)
    said: list[str] = []
    shape_long = long.detect(sheet, top, cat)
    shape = summary.detect(sheet, top, cat) if shape_long is None else None
    n = 0
    if shape_long is not None:
        form, how = _table_form(sheet, top, cat, template, None)
        if form is None and shape_long.form is None:
            form, how = long.form_by_labels(sheet, shape_long, cat), "labels"
        if form is None and forced is not None:
            form, how = forced, "--form"
        names: dict[str, FormDef | None] = {}
        if shape_long.form:
            from yjzl.workbook.layout import form_by_sheet_name

            for (r, c), cell in sheet.cells.items():
                if c == shape_long.form and r > shape_long.header_row and isinstance(cell.value, str):
                    k = label_key(cell.value)
                    if k not in names:
                        names[k] = form_by_sheet_name(cell.value, cat)
            how = "form column" if form is None else how
        forms, said = long.read(sheet, shape_long, form, cat, file, how, names)
        n = len(forms)
        yield from forms
    elif shape is not None:
        form, how = _table_form(sheet, top, cat, template, shape.form)
        if how == "labels":
            how = "header"
        if form is None and forced is not None:
            form, how = forced, "--form"
        if shape.form is None or form is None:
            cells = "、".join(shape.cells) or "无 / none"
            notes.append(SheetNote(sheet.name, f"第 {shape.header_row} 行像汇总表的表头，但只有 {shape.hits} 列对应到表单字段（{cells}），"
                                   f"至少要 {summary.MIN_LABELS} 列：请用表单中的指标名称作列名 / row {shape.header_row} looks "
                                   f"like a summary table's header but only {shape.hits} column(s) name a field of the form"))
            return
        for data in summary.read(sheet, shape, form, cat, file, how, said, consume):
            n += 1
            yield data
    else:
        from yjzl.workbook.layout import identify

        found, how = identify(sheet, cat, template)
        if found is None and forced is not None:
            found, how = forced, "--form"
        if found is None:
            notes.append(SheetNote(sheet.name, "空白工作表 / empty sheet" if not sheet.cells else UNRECOGNISED))
            return
        yield printed.read(sheet, found, cat, file, how)
        return
    notes += [SheetNote(sheet.name, x) for x in said]
    if not n:
        notes.append(SheetNote(sheet.name, "表格中没有数据行 / the table has no data rows"))
