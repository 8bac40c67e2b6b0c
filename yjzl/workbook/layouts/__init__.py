"""Sheet layouts: how a sheet becomes submissions (FormData), one small unit per layout.

Registered here, in the order they are tried; the first whose shape the sheet has reads it:

- `long`    (long.py): 单位 | 指标 | 数值 columns, one row per value (a platform's data-value export);
- `summary` (summary.py): a header row of field labels, one row per submitter (汇总表);
- `form`    (printed.py): the printed form, labels down a column — every other sheet.

A unit is a module with `NAME`, `detect(sheet, top, cat)` (its shape, or None when the sheet
does not have it) and `submissions(sheet, shape, reading)` (the FormData, one by one; what was
not read goes to `reading.notes`). Adding a layout is adding a module and its place in LAYOUTS.

Each unit says why it was chosen (FormData.layout, shown by `validate --format json` and
`inspect`) and which layout it is (FormData.layout_name). Whatever the layout, every value
carries its own cell, so findings cite the row they concern (`表3汇总!BD5`); the rules engine,
compute and report see FormData only.
"""

from __future__ import annotations

from collections.abc import Iterator

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.workbook.cells import Sheet
from yjzl.workbook.layouts import long, printed, summary
from yjzl.workbook.layouts.common import Reading, head
from yjzl.workbook.layouts.printed import UNRECOGNISED
from yjzl.workbook.model import FormData, SheetNote

__all__ = ["LAYOUTS", "UNRECOGNISED", "read_sheet"]

# Each unit has NAME, detect(sheet, top, cat) -> its shape or None, and submissions(sheet, shape, Reading).
# Most specific shape first; the printed form's detect accepts every sheet, so it comes last.
LAYOUTS = (long, summary, printed)


def read_sheet(sheet: Sheet, cat: Compiled, file: str, template: dict[str, str],
               forced: FormDef | None, notes: list[SheetNote], consume: bool = False) -> Iterator[FormData]:
    """The submissions a sheet holds, one by one (a table's rows are not all held at once), read by the first
    layout whose shape the sheet has; notes on what of it was not read go to `notes`. consume: a summary
    table's cells leave the sheet as they are read."""
    top = head(sheet)
    reading = Reading(cat, file, template, forced, notes, consume, top)
    for unit in LAYOUTS:
        shape = unit.detect(sheet, top, cat)
        if shape is not None:
            yield from unit.submissions(sheet, shape, reading)
            return
