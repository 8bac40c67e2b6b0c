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
with a reason: binary content, an encoding that is none of these, a file over
MAX_CSV_BYTES.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from yjzl.errors import UnusableInput
from yjzl.workbook.cells import MAX_CELL_CHARS, Cell, Sheet, Workbook

SUFFIXES = (".csv", ".tsv")
MAX_CSV_BYTES = 16 * 1024 * 1024  # a form's CSV is a few KB; as many cells as a 64 MB sheet part
_CONTAINERS = (b"PK", b"\xd0\xcf\x11\xe0")  # a zip (an .xlsx renamed .csv) or an OLE file: not text
_DELIMITERS = (",", "\t", ";")
SAVE_AS = "请在 Excel/WPS 中另存为 .xlsx（或 UTF-8 CSV）/ save it as .xlsx (or UTF-8 CSV) in Excel/WPS"


def is_container(path: Path) -> bool:
    """A zip or OLE file whatever its name says: read it as a workbook, not as text."""
    try:
        with path.open("rb") as fh:
            return fh.read(4).startswith(_CONTAINERS)
    except OSError:
        return False


def _decode(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


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


def read_csv(path: Path) -> Workbook:
    """One sheet of text cells; UnusableInput with the reason when the file is no text CSV."""
    from yjzl.workbook.archive import whole_file

    name = str(path)
    data = whole_file(path, MAX_CSV_BYTES, "CSV")
    if not data:
        raise UnusableInput(name, "文件为空 / the file is empty")
    text = _decode(data)
    if text is None:
        raise UnusableInput(name, f"无法识别 CSV 文件的编码（不是 UTF-8、UTF-16 或 GBK）/ the CSV is in no known encoding "
                            f"(UTF-8, UTF-16, GBK): {SAVE_AS}")
    if _binary(text):
        raise UnusableInput(name, f"不是文本 CSV 文件（含有二进制内容）/ not a text CSV file (binary content): {SAVE_AS}")
    head = text[:8192].splitlines()
    delimiter = _delimiter(head)
    if head and head[0].strip().lower().startswith("sep=") and len(head[0].strip()) == 5:
        delimiter = head[0].strip()[4]  # Excel's hint line: sep=;
        text = text.split("\n", 1)[1] if "\n" in text else ""
    sheet = Sheet(path.stem, False)
    if csv.field_size_limit() < MAX_CSV_BYTES:
        csv.field_size_limit(MAX_CSV_BYTES)  # a pasted page in one field is a long cell, not an error
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        for r, record in enumerate(reader, 1):
            for c, value in enumerate(record, 1):
                if value.strip():
                    sheet.cells[(r, c)] = Cell(value[:MAX_CELL_CHARS])
            sheet.max_row = r
    except csv.Error as exc:  # pragma: no cover - strict=False accepts nearly anything
        raise UnusableInput(name, f"CSV 第 {reader.line_num} 行无法读取 / line {reader.line_num} cannot be read: {exc}") from exc
    return Workbook(name, [sheet])
