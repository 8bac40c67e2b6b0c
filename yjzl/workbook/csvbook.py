"""Read a form saved as CSV (指标,数值[,说明]) into the same Workbook model as an .xlsx.

Hospital systems export CSV, and people "save as CSV" from Excel or WPS. The file
becomes one sheet named after the file (so `表3.csv` is recognised as 表3 by its
name, like a sheet), each record a row, each field a cell holding its text; the
value parser reads the text as it reads text typed into a cell. A CSV has no
formats, formulas or error values, so YJ007/YJ008/YJ012 never arise from one;
a cell reference such as B11 means the 11th record, 2nd field.

Encodings: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode
text"), and otherwise GB18030, the superset of GBK and GB2312 that Excel and WPS
write on a Chinese Windows. Delimiters: comma, tab or semicolon, whichever the
first line uses most, or Excel's `sep=;` hint line. Anything else is refused
with a reason: binary content, an encoding that is none of these, a file past
the workbook's reading budget (yjzl/workbook/budget.py: bytes, cells, characters).
"""

from __future__ import annotations

import csv
from pathlib import Path

from yjzl.errors import UnusableInput
from yjzl.workbook.budget import Budget
from yjzl.workbook.cells import MAX_CELL_CHARS, Cell, Sheet, Workbook

SUFFIXES = (".csv", ".tsv")
_DELIMITERS = (",", "\t", ";")
SAVE_AS = "请在 Excel/WPS 中另存为 .xlsx（或 UTF-8 CSV）/ save it as .xlsx (or UTF-8 CSV) in Excel/WPS"


def _encodings(head: bytes) -> tuple[str, ...]:
    if head.startswith(b"\xef\xbb\xbf"):
        return ("utf-8-sig",)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)
    return ("utf-8", "gb18030")


def _binary(text: str) -> bool:
    """NUL or many control characters: not a text file, whatever decoded."""
    head = text[:4096]
    if "\0" in head:
        return True
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    return controls > len(head) // 20


def _delimiter(lines: list[str]) -> str:
    first = next((line for line in lines if line.strip()), "")
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path, spend: Budget | None = None) -> Workbook:
    """One sheet of text cells; UnusableInput with the reason when the file is no text CSV. The file is read as a
    stream, record by record, each counted against the workbook's budget (cells, characters) before it is kept."""
    name = str(path)
    spend = spend or Budget(name)
    try:
        spend.add_bytes(path.stat().st_size)
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise UnusableInput(name, f"无法打开 / cannot open: {exc.strerror or exc}") from exc
    if not head:
        raise UnusableInput(name, "文件为空 / the file is empty")
    for encoding in _encodings(head):
        cells, chars = spend.cells, spend.chars
        try:
            return _read(path, encoding, spend)
        except UnicodeDecodeError:
            spend.cells, spend.chars = cells, chars  # read again in the next encoding
        except OSError as exc:
            raise UnusableInput(name, f"无法读取 / cannot read: {exc.strerror or exc}") from exc
    raise UnusableInput(name, f"无法识别 CSV 文件的编码（不是 UTF-8、UTF-16 或 GBK）/ the CSV is in no known encoding "
                        f"(UTF-8, UTF-16, GBK): {SAVE_AS}")


def _read(path: Path, encoding: str, spend: Budget) -> Workbook:
    name = str(path)
    with path.open(encoding=encoding, newline="") as fh:
        text = fh.read(8192)
        if _binary(text):
            raise UnusableInput(name, f"不是文本 CSV 文件（含有二进制内容）/ not a text CSV file (binary content): {SAVE_AS}")
        head = text.splitlines()
        delimiter = _delimiter(head)
        fh.seek(0)
        if head and head[0].strip().lower().startswith("sep=") and len(head[0].strip()) == 5:
            delimiter = head[0].strip()[4]  # Excel's hint line: sep=;
            fh.readline()
        sheet = Sheet(path.stem, False)
        # A pasted page in one field is a long cell, not an error; past the budget's characters it is refused.
        csv.field_size_limit(spend.max_chars)
        reader = csv.reader(fh, delimiter=delimiter, strict=False)
        cells = sheet.cells
        try:
            for r, record in enumerate(reader, 1):
                kept = [(c, value[:MAX_CELL_CHARS]) for c, value in enumerate(record, 1) if value.strip()]
                spend.add_cells(len(kept))
                spend.add_chars(sum(len(v) for _, v in kept))
                for c, value in kept:
                    cells[(r, c)] = Cell(value)
                sheet.max_row = r
        except csv.Error as exc:
            if "field limit" in str(exc):
                spend.add_chars(spend.max_chars + 1)  # one field longer than the whole budget: refused as such
            raise UnusableInput(name, f"CSV 第 {reader.line_num} 行无法读取 / line {reader.line_num} cannot be read: {exc}") from exc
    return Workbook(name, [sheet])
