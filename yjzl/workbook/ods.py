"""Read an OpenDocument spreadsheet (.ods) into the same cells as the .xlsx reader.

Why not python-calamine, which reads .ods (measured, README "读取的格式 / formats read"): it returns a percentage as a
bare 0.85 and an error cell as an empty string, so the same form saved as .ods would give other findings than as
.xlsx (a "fraction?" warning, YJ001 instead of YJ008). ODF says all of it explicitly on each cell
(office:value-type "percentage", "date", "time", "boolean"; LibreOffice's calcext:value-type "error"), so
ElementTree reading content.xml through the same size-limited archive is short and exact.

Rows and cells repeat (table:number-rows-repeated, …-columns-repeated; LibreOffice pads every sheet to 1 048 576
rows × 16 384 columns that way): empty repeats only move the position; repeated cells with content are counted
against the workbook's budget (yjzl/workbook/budget.py) before they are made, so a file is refused before it
exhausts memory; a hidden row is remembered only when it holds a cell (a hidden run of padding rows costs nothing).
A cell's text stops at Excel's limit of MAX_CELL_CHARS as it is built (<text:s text:c="10000000000000"/> is 32 767
spaces, not a MemoryError). Cells under a merge (table:covered-table-cell) keep their values, as an .xlsx keeps them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.etree import ElementTree as ET

from yjzl.errors import UnusableInput
from yjzl.workbook.archive import Archive
from yjzl.workbook.budget import Budget
from yjzl.workbook.cells import MAX_CELL_CHARS, Cell, Sheet, Workbook
from yjzl.workbook.celltext import iso_serial

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_DURATION = re.compile(r"-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?")


def _serial(iso: str) -> float:
    days = iso_serial(iso)
    if days is None:
        raise ValueError(f"not a date: {iso!r}")
    return days


def _duration(text: str) -> float:
    m = _DURATION.fullmatch(text)
    if not m:
        raise ValueError(text)
    d, h, mi, s = (float(x or 0) for x in m.groups())
    days = d + h / 24 + mi / 1440 + s / 86400
    return -days if text.startswith("-") else days


class _Text:
    """A cell's text as it is built, never longer than MAX_CELL_CHARS (what is kept of any cell)."""

    __slots__ = ("left", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.left = MAX_CELL_CHARS

    def add(self, text: str) -> None:
        if self.left > 0:
            text = text[:self.left]
            self.parts.append(text)
            self.left -= len(text)


def _paragraphs(el: ET.Element) -> str:
    """The cell's text: paragraphs joined by line breaks, <text:s text:c="n"/> as n spaces, tabs and breaks."""
    out = _Text()
    first = True
    for p in el:
        if p.tag not in (f"{TEXT}p", f"{TEXT}h"):
            continue
        if not first:
            out.add("\n")
        first = False
        _inline(p, out)
    return "".join(out.parts)


def _inline(el: ET.Element, out: _Text) -> None:
    if el.text:
        out.add(el.text)
    for child in el:
        if out.left <= 0:
            return
        tag = child.tag
        if tag == f"{TEXT}s":
            count = child.get(f"{TEXT}c", "1") or "1"
            out.add(" " * min(int(count) if count.isdigit() else 1, out.left))
        elif tag == f"{TEXT}tab":
            out.add("\t")
        elif tag == f"{TEXT}line-break":
            out.add("\n")
        elif tag != f"{OFFICE}annotation":  # a comment is not the cell's text
            _inline(child, out)
        if child.tail:
            out.add(child.tail)


def _cell(el: ET.Element) -> Cell | None:
    kind = el.get(f"{OFFICE}value-type")
    formula = el.get(f"{TABLE}formula") is not None
    if el.get(f"{CALCEXT}value-type") == "error":
        return Cell(None, error=_paragraphs(el).strip() or "#VALUE!", formula=formula)
    if kind in ("float", "currency", "percentage"):
        return Cell(float(el.get(f"{OFFICE}value", "0")), formula=formula, percent=kind == "percentage")
    if kind == "date":
        return Cell(_serial(el.get(f"{OFFICE}date-value", "")), formula=formula, date=True)
    if kind == "time":
        return Cell(_duration(el.get(f"{OFFICE}time-value", "")), formula=formula, date=True)
    if kind == "boolean":
        return Cell(el.get(f"{OFFICE}boolean-value") == "true", formula=formula)
    if kind == "string":
        text = el.get(f"{OFFICE}string-value")
        text = _paragraphs(el) if text is None else text
        return Cell(text[:MAX_CELL_CHARS], formula=formula) if text or formula else None
    if formula:
        # No value type: LibreOffice writes a formula whose result is "" so, with an empty paragraph; without even
        # that, the file holds no result at all (a generator that left the calculation to the reader).
        if el.find(f"{TEXT}p") is not None:
            return Cell("", formula=True)
        return Cell(None, formula=True, cached=False)
    return None


def read_ods(path: Path, arc: Archive | None = None) -> Workbook:
    """Every sheet's cells; UnusableInput with the reason when the file is no readable .ods."""
    own = arc is None
    arc = arc or Archive(path)
    arc.kind = ".ods"
    try:
        data = arc.read("content.xml")
        if data is None:
            raise UnusableInput(str(path), "工作簿已损坏：缺少 content.xml / the .ods workbook is damaged: content.xml is missing")
        sheets = _sheets(data, arc.budget)
        del data
        return Workbook(str(path), sheets, _properties(arc.read("meta.xml")))
    except UnusableInput:
        raise
    except (ET.ParseError, ValueError, OverflowError) as exc:
        raise UnusableInput(str(path), f"工作簿已损坏，无法读取 content.xml / the .ods workbook is damaged: content.xml: "
                            f"{type(exc).__name__}: {exc}") from exc
    finally:
        if own:
            arc.close()


META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


def _properties(data: bytes | None) -> dict[str, str]:
    """Custom document properties (an .xlsx's docProps/custom.xml becomes meta:user-defined in an .ods)."""
    if not data:
        return {}
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return {}  # the properties only name a template's forms: the sheets are still recognised by name
    return {el.get(f"{META}name", ""): el.text or "" for el in root.iter(f"{META}user-defined")}


def _sheets(data: bytes, spend: Budget) -> list[Sheet]:
    hidden_styles: set[str] = set()  # table styles with table:display="false": hidden sheets
    sheets: list[Sheet] = []
    sheet: Sheet | None = None
    row = col = 0
    row_repeat = 1
    row_hidden = row_kept = False
    style = ""
    # Each element leaves its parent once read (a cell's paragraphs once the cell is read): what is held while
    # reading is the path from the root, not the part (64 MB of <table:table-row/> would be millions of elements).
    stack: list[ET.Element] = []
    in_cell = 0
    cells = (f"{TABLE}table-cell", f"{TABLE}covered-table-cell")
    for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
        tag = el.tag
        if event == "start":
            stack.append(el)
            if tag in cells:
                in_cell += 1
            elif tag == f"{TABLE}table":
                sheet = Sheet(el.get(f"{TABLE}name", ""), el.get(f"{TABLE}style-name", "") in hidden_styles)
                sheets.append(sheet)
                row = 0
            elif tag == f"{TABLE}table-row":
                row_repeat = max(1, int(el.get(f"{TABLE}number-rows-repeated", "1") or 1))
                row_hidden = el.get(f"{TABLE}visibility", "visible") != "visible"
                row_kept = False
                col = 0
            elif tag == f"{STYLE}style":
                style = el.get(f"{STYLE}name", "")
            continue
        stack.pop()
        if tag in cells:
            in_cell -= 1
        if stack and not in_cell:
            stack[-1].remove(el)  # its earlier siblings are gone already: found first
        if tag in cells and sheet is not None:
            repeat = max(1, int(el.get(f"{TABLE}number-columns-repeated", "1") or 1))
            cell = _cell(el)  # a covered cell (under a merge) keeps its value, as in an .xlsx
            if cell is not None:
                spend.add_cells(repeat * row_repeat)  # before they are made
                if isinstance(cell.value, str) or cell.error:
                    spend.add_chars(len(cell.value or cell.error or ""))  # one string, shared by the repeats
                row_kept = True
                for r in range(row + 1, row + row_repeat + 1):
                    for c in range(col + 1, col + repeat + 1):
                        sheet.cells[(r, c)] = Cell(cell.value, cell.error, cell.formula, cell.cached, cell.percent, cell.date)
                sheet.max_row = max(sheet.max_row, row + row_repeat)
            col += repeat
            el.clear()
        elif tag == f"{TABLE}table-row" and sheet is not None:
            if row_hidden and row_kept:  # only a row that holds a cell matters; its cells were counted already
                sheet.hidden_rows.update(range(row + 1, row + 1 + row_repeat))
            row += row_repeat
            el.clear()
        elif tag == f"{STYLE}table-properties" and el.get(f"{TABLE}display") == "false":
            hidden_styles.add(style)
    return sheets
