"""Every table yjzl writes to .xlsx goes through here: one look, safe cells, yjzl's mark.

A table sheet has a styled header row (or two: name, then unit) that stays frozen and carries an
autofilter; columns as wide as the widest name or code they hold (a CJK character counts two, as in
Excel's widths), long text wrapped in a capped column with the row made tall enough (neither Excel
nor LibreOffice grows a row for wrapped text a program wrote); numbers stay numbers with their
unit's number format; A4, landscape when the columns are wider than a portrait page, fitted to one
page wide (a very wide summary table: as few pages wide as keep it readable, its name columns on
each) with the header rows repeated on every page.

Cells: text is always a string cell. openpyxl turns any string starting with "=" into a formula, so a
hospital name `=HYPERLINK(…)` or a file named `=cmd|…` would run in Excel: `cell` sets the type to
string explicitly (`+1+1`, `-2+3`, `@SUM(A1)` and tab/CR-led text are strings too, and stay so in
Excel, WPS and LibreOffice). Characters XML 1.0 cannot hold (control characters, the lone surrogates
of a file name that is not UTF-8) would make openpyxl refuse the whole file: they are written as
visible escapes (`\\x1b`), never dropped.

`mark` sets yjzl's document property (yjzl.workbook.own) so that yjzl never reads its outputs back
as submissions. openpyxl is imported inside the functions.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from yjzl.text import escape_char
from yjzl.workbook.own import OUTPUT_PROPERTY

if TYPE_CHECKING:
    from openpyxl import Workbook

HEADER_FILL, HEADER_FONT = "D9E1F2", "1F3864"
MAX_WIDTH = 48  # a wider column wraps: a message or a list of cells
MIN_WIDTH = 6
LINE_HEIGHT = 15  # points per line of 11-point text
PORTRAIT_WIDTH = 100  # A4 portrait holds about this many width units at 100 %; wider tables print landscape
# A table wider than this many width units (a landscape A4 at about 55 %, the smallest print people read) is
# fitted to as many pages wide as it needs, its frozen columns (who the row is about) repeated on each: a
# collected 表1 of 120 columns on one page wide would print at 15 %, unreadable.
PAGE_UNITS = 270
# What XML 1.0 (and so openpyxl) refuses; and the lone surrogates a non-UTF-8 file name decodes to.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
UNIT_FORMATS = {"%": "0.00", "‰": "0.00", "元": "#,##0.00", "万元": "#,##0.00"}


def visible(text: str) -> str:
    """`text` with what a cell cannot hold written as an escape a person can see: ESC → \\x1b."""
    if not _UNWRITABLE.search(text):
        return text
    return _UNWRITABLE.sub(lambda m: escape_char(m.group()), text)


def put_text(ws: Any, row: int, col: int, text: str) -> Any:
    """`text` into a cell of an ordinary sheet as a string cell (never a formula), escaped: for catalogue text
    (an overlay's label may start with "=") where openpyxl would guess."""
    c = ws.cell(row, col)
    c.value = visible(text)
    c.data_type = "s"
    return c


def display_width(text: str) -> int:
    """The widest line of `text` in Excel width units: a wide (CJK) character counts two."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in str(text).split("\n")), default=0)


def number_format(value: float | int, unit: str = "") -> str:
    """A number's format by its unit: money and per-cent with two decimals, whole numbers grouped."""
    if unit in UNIT_FORMATS:
        return UNIT_FORMATS[unit]
    if isinstance(value, int) or float(value).is_integer():
        return "#,##0"
    return "#,##0.0###"


def cell(ws: Any, value: object, unit: str = "") -> Any:
    """A cell for `ws` (write-only or not): text always a string cell, escaped; a number with its format."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        c = WriteOnlyCell(ws, value=visible(value))
        c.data_type = "s"  # never "f": text from a submission or a file name stays text
        return c
    if isinstance(value, bool):
        return WriteOnlyCell(ws, value=value)
    if isinstance(value, (int, float)):
        c = WriteOnlyCell(ws, value=value)
        if math.isfinite(value):
            c.number_format = number_format(value, unit)
        else:
            c.value, c.data_type = str(value), "s"  # inf/nan: no such number in a workbook
        return c
    if value is None:
        return WriteOnlyCell(ws, value=None)
    return cell(ws, str(value))  # anything else (a path, a date) as its text: a string cell too


@dataclass(slots=True)
class Column:
    """A column of a table: its header, its unit (a second header row when any column has one), and
    `wrap` for long text (a capped width, wrapped; otherwise the column is as wide as what it holds)."""

    header: str
    unit: str = ""
    wrap: bool = False
    width: float | None = None  # a fixed width, or None to fit the contents

    @staticmethod
    def of(x: Column | str) -> Column:
        return x if isinstance(x, Column) else Column(x)


def widths(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> list[float]:
    """Each column as wide as its widest header line or value, plus a margin, within MIN/MAX_WIDTH."""
    out = []
    for i, col in enumerate(columns):
        if col.width:
            out.append(col.width)
            continue
        # a header may wrap (it is styled with wrap): its longest word-run need not set the width alone
        head = max(min(display_width(col.header), 20), display_width(col.unit))
        data = max((display_width(_shown(r[i])) for r in rows if i < len(r) and r[i] is not None), default=0)
        out.append(float(min(MAX_WIDTH, max(MIN_WIDTH, head, data) + 2)))
    return out


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0")
    return str(value)


def lines(text: object, width: float) -> int:
    """How many lines `text` takes in a wrapped column `width` units wide."""
    room = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(display_width(part) / room)) for part in str(text).split("\n"))


def table(wb: Workbook, title: str, columns: Sequence[Column | str], rows: Sequence[Sequence[object]], *,
          above: Sequence[str] = (), index: int | None = None, freeze_cols: int = 0,
          units: Sequence[str] | None = None, unit_columns: set[int] | None = None, footer: str = "") -> Any:
    """Write a table sheet (see the module's docstring) and return it. `above`: lines over the table
    (the first one bold, a title), then a blank row; `units`: each row's unit, for the numbers of the
    columns in `unit_columns` (a long table mixes units in its value column); `freeze_cols`: columns that stay in view when scrolling.
    The header row(s) start after `above`: `header_row(above)`."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    cols = [Column.of(c) for c in columns]
    ws = wb.create_sheet(title[:31], index)
    widths_ = widths(cols, rows)
    for i, w in enumerate(widths_, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    bold = Font(bold=True, color=HEADER_FONT)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    edge = Border(bottom=Side(style="thin", color="8EA9DB"))
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    head_rows = 2 if any(c.unit for c in cols) else 1
    first_head = header_row(above)
    last_head = first_head + head_rows - 1
    # A write-only sheet writes its views and properties with the first row: set them before any
    ws.freeze_panes = f"{get_column_letter(freeze_cols + 1)}{last_head + 1}"
    page(ws, sum(widths_), f"{first_head}:{last_head}", footer,
         title_cols=f"A:{get_column_letter(freeze_cols)}" if freeze_cols else None)
    r = 0
    for k, line in enumerate(above):
        r += 1
        c = cell(ws, line)
        if k == 0:
            c.font = Font(bold=True, size=13)
        ws.append([c])
    if above:
        r += 1
        ws.append([])
    head_height = max(lines(c.header, w) for c, w in zip(cols, widths_)) if cols else 1
    ws.row_dimensions[r + 1].height = LINE_HEIGHT * head_height + 3
    for row_values in ([c.header for c in cols], [c.unit for c in cols])[:head_rows]:
        r += 1
        out = []
        for v in row_values:
            c = cell(ws, v or None)
            c.font, c.fill, c.alignment, c.border = bold, fill, centre, edge
            out.append(c)
        ws.append(out)
    # a column capped below what it holds wraps too: nothing is cut
    wrapped = [i for i, (c, w) in enumerate(zip(cols, widths_)) if c.wrap or (not c.width and w >= MAX_WIDTH)]
    for n, values in enumerate(rows):
        r += 1
        unit = units[n] if units is not None and n < len(units) else ""
        out = []
        for i, v in enumerate(values):
            c = cell(ws, v, (cols[i].unit if i < len(cols) else "") or (unit if unit_columns and i in unit_columns else ""))
            c.alignment = wrap if i in wrapped or (isinstance(v, str) and "\n" in v) else top
            out.append(c)
        tall = max((lines(values[i], widths_[i]) for i in wrapped if i < len(values) and values[i] not in (None, "")),
                   default=1)
        tall = max(tall, *(str(v).count("\n") + 1 for v in values if isinstance(v, str)), 1)
        if tall > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * tall + 2
        ws.append(out)
    ws.auto_filter.ref = f"A{last_head}:{get_column_letter(max(1, len(cols)))}{max(r, last_head + 1)}"
    return ws


def header_row(above: Sequence[str]) -> int:
    """The (first) header row of a table written with `above` lines over it."""
    return len(above) + 2 if above else 1


def pages_wide(width: float) -> int:
    """How many pages wide a table of `width` units prints: one, unless that would be too small to read."""
    return max(1, math.ceil(width / PAGE_UNITS))


def page(ws: Any, width: float, title_rows: str | None, footer: str = "", portrait: bool | None = None,
         title_cols: str | None = None) -> None:
    """A4 fitted to one page wide (`pages_wide` for a very wide table, `title_cols` repeated on each), as many
    tall as needed; landscape when wider than a portrait page; `title_rows` (e.g. "1:2") repeated on every
    page, page numbers in the footer."""
    ws.page_setup.paperSize = 9  # A4 (Worksheet.PAPERSIZE_A4; a write-only sheet lacks the name)
    ws.page_setup.orientation = "portrait" if (portrait if portrait is not None else width <= PORTRAIT_WIDTH) else "landscape"
    ws.page_setup.fitToWidth = pages_wide(width)
    if title_cols and pages_wide(width) > 1:
        ws.print_title_cols = title_cols
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows
    if footer:
        ws.oddFooter.left.text = visible(footer).replace("&", "&&")
    ws.oddFooter.right.text = "&P / &N"


def mark(wb: Workbook, by: str, own: Iterable[str]) -> None:
    """yjzl's mark (yjzl.workbook.own): which command wrote the workbook, when, and its own sheets.
    Call it just before saving: the document's modified time is then the mark's, and a person saving
    the file changes it."""
    from openpyxl.packaging.custom import StringProperty

    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)  # openpyxl stamps `modified` at the save
    wb.properties.creator = wb.properties.lastModifiedBy = "yjzl"
    value = json.dumps({"by": by, "own": list(dict.fromkeys(own)), "written": now.isoformat() + "Z"}, ensure_ascii=False)
    props = wb.custom_doc_props
    for p in [p for p in props.props if p.name == OUTPUT_PROPERTY]:
        props.props.remove(p)
    props.append(StringProperty(name=OUTPUT_PROPERTY, value=value))


def link_font() -> Any:
    """The look of a link (Excel's Hyperlink style, without registering the named style)."""
    from openpyxl.styles import Font

    return Font(color="0563C1", underline="single")


def first(wb: Workbook, title: str) -> None:
    """Make `title` the first sheet, the one that opens."""
    ws = wb[title]
    wb.move_sheet(ws, -wb.index(ws))
    wb.active = 0
    for other in wb.worksheets:
        other.sheet_view.tabSelected = other is ws
