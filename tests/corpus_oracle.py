"""The differential check of the reader against two other readers, on one real workbook.

Used by tests/test_corpus.py. For each cell on which openpyxl (`data_only=True`) and python-calamine
agree, yjzl's reader must give the same value, and its date/percent flags must match openpyxl's
number format. Where the two oracles are known to be wrong (the corpus README), the cell is not
compared, and the quirk is counted by name.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from yjzl.workbook.cells import Cell, Workbook, cell_ref

# Oracle quirks (listed in /work/shared/xlsx-corpus/README.md), counted but not compared:
NEGATIVE_DATE = "negative number under a date format (both oracles convert it oddly)"
OUT_OF_RANGE = "a date serial past 9999-12-31 (openpyxl turns it into #VALUE!)"
# Also in the README, and left out by the comparison itself (the oracles do not agree there): openpyxl hides values
# under merged ranges. Error cells, which calamine leaves out, are compared with openpyxl alone.


@dataclass
class Outcome:
    compared: int = 0
    agreed: int = 0
    quirks: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # lost or wrong cells, wrong flags, refusals


def _percent(fmt: str) -> bool:
    return "%" in re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)


def _norm(value: object, epoch: dt.datetime) -> tuple[str, object] | None:
    """A value of either oracle as (kind, value): numbers (dates as their serial), text, booleans."""
    from openpyxl.utils.datetime import to_excel

    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", float(value))
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        try:
            return ("n", float(to_excel(value, epoch)))
        except (TypeError, ValueError, OverflowError):
            return None
    return ("s", str(value))


def _same(a: tuple[str, object], b: tuple[str, object]) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "n":
        x, y = float(a[1]), float(b[1])  # type: ignore[arg-type]
        return abs(x - y) <= 1e-9 * max(1.0, abs(x)) or abs(x - y) < 1e-6  # dates: datetime keeps microseconds
    return a[1] == b[1]


def _ours(cell: Cell | None) -> tuple[str, object] | None:
    if cell is None or cell.value is None or cell.value == "":
        return None
    if isinstance(cell.value, bool):
        return ("b", cell.value)
    if isinstance(cell.value, float):
        return ("n", cell.value)
    return ("s", cell.value)


def oracles(path: Path) -> tuple[dict[str, dict[tuple[int, int], tuple[tuple[str, object], str]]], str | None]:
    """Per sheet name, the cells both oracles agree on: (value, openpyxl's number format); and the error cells
    openpyxl reads (as ("e", "#DIV/0!")), since calamine leaves them out."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=True)
        cw = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # an oracle that cannot read the file: nothing to compare
        return {}, f"{type(exc).__name__}: {exc}"
    out = {}
    try:
        names = set(cw.sheet_names)
        for ws in wb.worksheets:
            if ws.title not in names:
                continue
            try:
                sheet = cw.get_sheet_by_name(ws.title)
                rows = sheet.to_python()
                r0, c0 = sheet.start or (0, 0)
            except Exception:
                continue
            agreed = {}
            for (r, c), cell in ws._cells.items():
                if cell.data_type == "e" and cell.value:  # calamine leaves error cells out: openpyxl alone says
                    agreed[(r, c)] = (("e", cell.value), cell.number_format or "General")
                    continue
                ours = _norm(cell.value, wb.epoch)
                if ours is None:
                    continue
                i, j = r - 1 - r0, c - 1 - c0
                theirs = _norm(rows[i][j], wb.epoch) if 0 <= i < len(rows) and 0 <= j < len(rows[i]) else None
                if theirs is not None and _same(ours, theirs):
                    agreed[(r, c)] = (ours, cell.number_format or "General")
            out[ws.title] = agreed
    finally:
        cw.close()
    return out, None


def compare(path: Path, book: Workbook, agreed, outcome: Outcome) -> None:
    """Count the agreed cells that yjzl reads the same, and name each one it does not."""
    from openpyxl.styles.numbers import is_date_format

    sheets = {s.name: s for s in book.sheets}
    for name, cells in agreed.items():
        sheet = sheets.get(name)
        if sheet is None:
            outcome.problems.append(f"{path.name}: sheet {name!r} lost ({len(cells)} cells)")
            continue
        for (r, c), (value, fmt) in cells.items():
            date_fmt = is_date_format(fmt)
            if value[0] == "n" and date_fmt and float(value[1]) < 0:  # type: ignore[arg-type]
                outcome.quirks[NEGATIVE_DATE] = outcome.quirks.get(NEGATIVE_DATE, 0) + 1
                continue
            cell = sheet.cells.get((r, c))
            where = f"{path.name}!{name}!{cell_ref(r, c)}"
            if value[0] == "e":
                if value[1] == "#VALUE!" and cell is not None and cell.date and isinstance(cell.value, float) and cell.value >= 2958466:
                    outcome.quirks[OUT_OF_RANGE] = outcome.quirks.get(OUT_OF_RANGE, 0) + 1
                    continue
                outcome.compared += 1
                if cell is None or cell.error != value[1]:
                    outcome.problems.append(f"{where}: {cell!r}, openpyxl: the error {value[1]}")
                else:
                    outcome.agreed += 1
                continue
            outcome.compared += 1
            ours = _ours(cell)
            if ours is None:
                outcome.problems.append(f"{where}: lost (oracles: {value[1]!r})")
            elif not _same(ours, value):
                outcome.problems.append(f"{where}: {ours[1]!r}, oracles {value[1]!r}")
            elif value[0] == "n" and cell is not None and (cell.date, cell.percent) != (date_fmt, _percent(fmt)):
                outcome.problems.append(f"{where}: date={cell.date} percent={cell.percent}, format {fmt!r}")
            else:
                outcome.agreed += 1
