"""Read an Excel 2.x–2003 workbook (.xls: BIFF2–BIFF8) through xlrd into the same cells as the .xlsx reader.

Why xlrd rather than python-calamine (measured on the shipped examples and a probe workbook saved as .xls by
LibreOffice, README "读取的格式 / formats read"): with `formatting_info=True` xlrd gives each cell's number format, so a
0.85 shown as 85 % is flagged as a percentage (and read as 85 in a percent field, as from .xlsx); it gives error
cells as errors (#DIV/0!). calamine gives neither: the percentage comes back as a bare 0.85 and an error cell
as an empty string, which would turn a YJ008 into a YJ001 and a percent field into a "fraction?" warning —
different findings from the same form saved as .xlsx. A .xls always stores a formula's last result, so
"never calculated" cannot arise; xlrd does not say which cells hold formulas, and nothing needs it to.

xlrd reads Excel 97–2003 compound files (a Workbook or, before Excel 97, Book stream: found whatever the case of
its name) and the bare BIFF2–4 streams of Excel 2.x–4.0. A built-in number format has no format string in the
file: its id says what it shows (yjzl.workbook.numfmt.builtin_flags: the East-Asian ids 27–36, 50–58 are dates).

Only xlrd's own calls are guarded: what xlrd raises on a damaged file is named as damage (in words where the cause
is known); an error in this module's code is a bug, and reaches the user as one (exit 3 with the report line).
A sheet's cell records are counted in the stream before xlrd builds the sheet (xlrd keeps ~400 bytes a cell), so
the workbook budget refuses a huge file before it is in memory.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from yjzl.errors import UnusableInput
from yjzl.workbook.budget import Budget
from yjzl.workbook.cells import MAX_CELL_CHARS, Cell, Sheet, Workbook

# Cell records (xlrd keeps a blank formatted cell too, so blanks count): BIFF5–8 NUMBER, LABELSST, LABEL, RK, BOOLERR,
# FORMULA, RSTRING, BLANK, and MULRK, MULBLANK holding several ([MS-XLS] 2.4); BIFF2–4 BLANK, INTEGER, NUMBER, LABEL,
# BOOLERR and the FORMULA of BIFF3 and 4 (Excel's BIFF2–4 specification).
_ONE_CELL = frozenset((0x0203, 0x00FD, 0x0204, 0x027E, 0x0205, 0x0006, 0x00D6, 0x0201,
                       0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0206, 0x0406))
_MULRK, _MULBLANK, _EOF = 0x00BD, 0x00BE, 0x000A
_BOFS = frozenset((0x0009, 0x0209, 0x0409, 0x0809))
_OLD_BOFS = (b"\x09\x00", b"\x09\x02", b"\x09\x04")  # BIFF2–4: one sheet, parsed whole when xlrd opens the file
_HEADER = struct.Struct("<HH")


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")[:MAX_CELL_CHARS]


def count_cells(mem: bytes, pos: int, most: int) -> int:
    """The cells of the sheet substream that starts at `pos` (its BOF), counted from the record headers alone;
    the count stops past `most` (the budget left)."""
    n = depth = 0
    end = len(mem)
    unpack = _HEADER.unpack_from
    while pos + 4 <= end and n <= most:
        code, length = unpack(mem, pos)
        pos += 4 + length
        if code in _ONE_CELL:
            n += 1
        elif code == _MULRK:
            n += max(0, (length - 6) // 6)
        elif code == _MULBLANK:
            n += max(0, (length - 6) // 2)
        elif code in _BOFS:
            depth += 1  # an embedded chart has a substream of its own
        elif code == _EOF:
            depth -= 1
            if depth <= 0:
                break
    return n


def _where(exc: BaseException) -> str:
    """The xlrd module the error was raised in (compdoc: the container; book: the workbook's records; sheet: a sheet's)."""
    tb, module = exc.__traceback__, ""
    while tb is not None:
        name = tb.tb_frame.f_globals.get("__name__", "")
        module = name if name.startswith("xlrd") else module
        tb = tb.tb_next
    return module


def _damage(exc: BaseException) -> str:
    """What is damaged, in words (told by where in xlrd the error arose, and what it says), and xlrd's own words."""
    kind = type(exc).__name__
    said = f"{type(exc).__module__ if kind == 'error' else ''}{'.' if kind == 'error' else ''}{kind}: {exc}"  # struct.error
    where = _where(exc)
    if where == "xlrd.compdoc" or kind == "CompDocError":
        return (f"复合文档的扇区链损坏（文件的容器结构已损坏，数据无法定位）/ the compound file's sector chains are broken "
                f"(the container is damaged; the data cannot be located): {said}")
    if "Can't find workbook" in str(exc):
        return f"复合文档中没有工作簿数据流 / the compound file holds no Workbook stream: {said}"
    if "Unsupported format" in str(exc) or "BOF" in str(exc):
        return f"不是 Excel 的记录流（文件开头已损坏）/ not an Excel record stream (the start of the file is damaged): {said}"
    if isinstance(exc, struct.error | IndexError | EOFError):
        return f"记录被截断（文件不完整或已损坏）/ a record is cut short (the file is truncated or damaged): {said}"
    return f"记录已损坏 / a record is damaged: {said}"


def _count_old(path: Path, spend: Budget) -> None:
    """A BIFF2–4 file is one sheet that xlrd builds as it opens the file: its cells are counted first."""
    import mmap

    try:
        with path.open("rb") as fh:
            if fh.read(2) not in _OLD_BOFS:
                return
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mem:
                spend.add_cells(count_cells(mem, 0, spend.max_cells - spend.cells))  # type: ignore[arg-type]
    except (OSError, ValueError):
        return  # xlrd says what is wrong with it


def _open(path: Path, corrupt_ok: bool):
    import xlrd

    # xlrd writes its warnings about a damaged file to stdout unless given a log file: they would corrupt yjzl's own
    # output (JSON, CSV); what matters reaches the user as UnusableInput.
    return xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=io.StringIO(),
                              ignore_workbook_corruption=corrupt_ok)


def read_xls(path: Path, spend: Budget | None = None) -> Workbook:
    """Every sheet's cells; UnusableInput with the reason when xlrd cannot read the file."""
    import xlrd
    from xlrd.biffh import error_text_from_code
    from xlrd.compdoc import CompDocError

    from yjzl.workbook.numfmt import builtin_flags, format_flags

    name = str(path)
    spend = spend or Budget(name)
    try:
        spend.add_bytes(path.stat().st_size)
    except OSError as exc:
        raise UnusableInput(name, f"无法打开 / cannot open: {exc.strerror or exc}") from exc
    damaged = "工作簿已损坏，无法读取（.xls）/ the .xls workbook is damaged: "
    _count_old(path, spend)
    try:
        try:
            book = _open(path, False)
        except CompDocError as exc:
            # "Workbook corruption": a sector listed twice in the container's chains. The stream is usually whole
            # (files from some non-Excel writers); xlrd reads it when told to, with its number formats.
            if "corruption" not in str(exc).lower():
                raise
            book = _open(path, True)
    except OSError as exc:
        raise UnusableInput(name, f"无法打开 / cannot open: {exc.strerror or exc}") from exc
    except Exception as exc:  # only xlrd runs in this try: what it raises on a file is the file's damage
        if "encrypted" in str(exc).lower():  # xlrd: "Workbook is encrypted" (a FILEPASS record: an open password)
            from yjzl.workbook.archive import ENCRYPTED

            raise UnusableInput(name, ENCRYPTED) from exc
        raise UnusableInput(name, damaged + _damage(exc)) from exc
    try:
        flags: dict[int, tuple[bool, bool]] = {}
        for i, xf in enumerate(book.xf_list):
            fmt = book.format_map.get(xf.format_key)
            text = fmt.format_str if fmt is not None else None
            flags[i] = format_flags(text) if text else builtin_flags(xf.format_key)
        positions = getattr(book, "_sh_abs_posn", [])
        sheets = []
        for index in range(book.nsheets):
            if index < len(positions) and book.biff_version >= 50:  # BIFF2–4 hold one small sheet: xlrd reads it whole
                spend.add_cells(count_cells(book.mem, positions[index], spend.max_cells - spend.cells))
            try:
                xs = book.get_sheet(index) if book.on_demand else book.sheet_by_index(index)
            except Exception as exc:  # xlrd decoding this sheet's records, as above
                raise UnusableInput(name, damaged + f"{book.sheet_names()[index]}: " + _damage(exc)) from exc
            sheets.append(_sheet(xs, flags, error_text_from_code, xlrd.XL_CELL_DATE, spend))
            if book.on_demand:
                book.unload_sheet(index)
        return Workbook(name, sheets)
    finally:
        book.release_resources()


def _sheet(xs, flags: dict[int, tuple[bool, bool]], error_text: dict[int, str], date_type: int, spend: Budget) -> Sheet:
    sheet = Sheet(xs.name, xs.visibility != 0)
    sheet.max_row = xs.nrows
    sheet.hidden_rows = {r + 1 for r, info in xs.rowinfo_map.items() if info.hidden}
    for r in range(xs.nrows):
        for c, found in enumerate(xs.row(r), 1):
            cell = _cell(found.ctype, found.value, error_text)
            if cell is None:
                continue
            if isinstance(cell.value, str):
                spend.add_chars(len(cell.value))
            elif isinstance(cell.value, float):
                percent, date = flags.get(found.xf_index, (False, False))
                cell.percent, cell.date = percent, date or found.ctype == date_type
            sheet.cells[(r + 1, c)] = cell
    return sheet


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
