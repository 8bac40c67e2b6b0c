"""What a file is, told by its first bytes, not its name: hospital systems (HIS) save HTML, CSV, SpreadsheetML 2003
(XML) and MHTML under the name .xls or .xlsx, and Excel opens them all.

yjzl reads the containers (zip: .xlsx/.ods; OLE: .xls), the bare BIFF2–4 streams of Excel 2.x–4.0 and text whose first
line is delimited (CSV: comma, tab or semicolon; other text stays "not an .xlsx workbook");
the rest is named with what to do about it (open it in Excel/WPS and save it as .xlsx): it is not guessed at.
"""

from __future__ import annotations

import codecs
from pathlib import Path

ZIP, OLE, BIFF, HTML, MHTML, SPREADSHEETML, XML, TEXT, EMPTY, OTHER = (
    "zip", "ole", "biff", "html", "mhtml", "spreadsheetml", "xml", "text", "empty", "other")
HEAD_BYTES = 4096
# BOF records of a bare BIFF stream ([MS-XLS] 2.4.21 and its BIFF2–5 predecessors): BIFF2, 3, 4, and 5–8 without
# the OLE container.
_BOF = {b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08"}

_SAVE = "请在 Excel/WPS 中打开，另存为 .xlsx（文件 → 另存为 → Excel 工作簿）"
_SAVE_EN = "open it in Excel/WPS and save it as .xlsx (File → Save As → Excel Workbook)"
REASONS = {
    HTML: f"这是网页（HTML）格式的表格，只是扩展名为 Excel 的（医院信息系统常这样导出），{_SAVE} / "
          f"a web page (HTML) table named as an Excel file (as hospital systems often export): {_SAVE_EN}",
    MHTML: f"这是单个文件网页（MHTML）格式，只是扩展名为 Excel 的，{_SAVE} / "
           f"a single-file web page (MHTML) named as an Excel file: {_SAVE_EN}",
    SPREADSHEETML: f"这是 XML 电子表格 2003（SpreadsheetML）格式，只是扩展名为 Excel 的，{_SAVE} / "
                   f"an XML Spreadsheet 2003 (SpreadsheetML) named as an Excel file: {_SAVE_EN}",
    XML: f"这是 XML 文件，不是工作簿，{_SAVE} / an XML file, not a workbook: {_SAVE_EN}",
}


def _text(head: bytes) -> str | None:
    """The head as text when it is text (UTF-8, UTF-16 with BOM, GB18030), else None."""
    from yjzl.workbook.csvbook import _binary, _encodings

    for encoding in _encodings(head):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)  # a character cut at the end
        except UnicodeDecodeError:
            continue
        return None if _binary(text) else text
    return None


def kind(path: Path) -> str:
    """One of the kinds above; OTHER also when the file cannot be opened (the reader then says why)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return OTHER
    if not head:
        return EMPTY
    if head.startswith(b"PK"):
        return ZIP
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return OLE
    if head[:2] in _BOF and 4 <= int.from_bytes(head[2:4], "little") <= 20:
        return BIFF
    text = _text(head)
    if text is None:
        return OTHER
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("mime-version:") or "content-type: multipart/related" in start[:2048]:
        return MHTML
    if start.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start or 'progid="excel.sheet"' in start:
            return SPREADSHEETML
        return HTML if "<html" in start else XML
    if start.startswith(("<html", "<!doctype html", "<table", "<head", "<body", "<meta", "<style", "<!--")) or (
            start.startswith("<") and "<table" in start):
        return HTML
    first = next((line for line in text.splitlines() if line.strip()), "")
    return TEXT if any(d in first for d in ",\t;") else OTHER  # a table of text; a lone line is no CSV export
