"""Read an Excel 97–2003 workbook (.xls, BIFF8) through xlrd into the same cells as the .xlsx reader.

Why xlrd rather than python-calamine (measured on the shipped examples and a probe workbook saved as .xls by
LibreOffice, README "读取的格式 / formats read"): with `formatting_info=True` xlrd gives each cell's number format, so a
0.85 shown as 85 % is flagged as a percentage (and read as 85 in a percent field, as from .xlsx); it gives error
cells as errors (#DIV/0!). calamine gives neither: the percentage comes back as a bare 0.85 and an error cell
as an empty string, which would turn a YJ008 into a YJ001 and a percent field into a "fraction?" warning —
different findings from the same form saved as .xlsx. A .xls always stores a formula's last result, so
"never calculated" cannot arise; xlrd does not say which cells hold formulas, and nothing needs it to.
"""

from __future__ import annotations

import io
from pathlib import Path

from yjzl.errors import UnusableInput
from yjzl.workbook.cells import MAX_CELL_CHARS, Cell, Sheet, Workbook

MAX_XLS_BYTES = 64 * 1024 * 1024  # xlrd holds the whole file in memory; Excel 97–2003 files are rarely over 10 MB


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")[:MAX_CELL_CHARS]


def read_xls(path: Path) -> Workbook:
    """Every sheet's cells; UnusableInput with the reason when xlrd cannot read the file."""
    import xlrd
    from xlrd.biffh import error_text_from_code

    from yjzl.workbook.archive import whole_file
    from yjzl.workbook.xlsx import format_flags

    name = str(path)
    data = whole_file(path, MAX_XLS_BYTES, ".xls")
    try:
        # xlrd writes its warnings about a damaged file to stdout unless given a log file: they would corrupt
        # yjzl's own output (JSON, CSV); what matters reaches the user as UnusableInput.
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, IndexError … on a damaged file
        if "encrypted" in str(exc).lower():  # xlrd: "Workbook is encrypted" (a FILEPASS record: an open password)
            from yjzl.workbook.archive import ENCRYPTED

            raise UnusableInput(name, ENCRYPTED) from exc
        raise UnusableInput(name, f"工作簿已损坏，无法读取（.xls）/ the .xls workbook is damaged: {type(exc).__name__}: {exc}") from exc
    try:
        flags: dict[int, tuple[bool, bool]] = {}
        for i, xf in enumerate(book.xf_list):
            fmt = book.format_map.get(xf.format_key)
            flags[i] = format_flags(fmt.format_str) if fmt is not None else (False, False)
        sheets = []
        for index in range(book.nsheets):
            xs = book.get_sheet(index)
            sheet = Sheet(xs.name, xs.visibility != 0)
            sheet.max_row = xs.nrows
            sheet.hidden_rows = {r + 1 for r, info in xs.rowinfo_map.items() if info.hidden}
            for r in range(xs.nrows):
                for c, found in enumerate(xs.row(r), 1):
                    cell = _cell(found.ctype, found.value, error_text_from_code)
                    if cell is None:
                        continue
                    if isinstance(cell.value, float):
                        percent, date = flags.get(found.xf_index, (False, False))
                        cell.percent, cell.date = percent, date or found.ctype == xlrd.XL_CELL_DATE
                    sheet.cells[(r + 1, c)] = cell
            book.unload_sheet(index)
            sheets.append(sheet)
        return Workbook(name, sheets)
    except Exception as exc:
        raise UnusableInput(name, f"工作簿已损坏，无法读取（.xls）/ the .xls workbook is damaged: {type(exc).__name__}: {exc}") from exc
    finally:
        book.release_resources()


def _cell(kind: int, value: object, error_text) -> Cell | None:
    # xlrd's cell types: 0 empty, 1 text, 2 number, 3 date, 4 boolean, 5 error, 6 blank (formatted, no value)
    if kind == 1:
        text = _text(str(value))
        return Cell(text) if text else None
    if kind in (2, 3):
        return Cell(float(value))  # type: ignore[arg-type]
    if kind == 4:
        return Cell(bool(value))
    if kind == 5:
        return Cell(None, error=error_text.get(value, "#N/A"))  # type: ignore[call-overload]
    return None
