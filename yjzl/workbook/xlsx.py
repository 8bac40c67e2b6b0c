"""A small, fast, defensive .xlsx reader on the standard library alone.

Why not openpyxl: importing it costs ~0.2 s and loading a workbook builds a
full object model; yjzl needs only cell values, whether a formula had a cached
result, error values, and whether a number is formatted as a percentage or a
date. Streaming the sheet XML with ElementTree (C-accelerated) gives that at
the speed of the unzip itself. openpyxl remains the writer (template, annotate).

Hostile files are refused before they are read: a part whose declared size or
compression ratio is absurd (a zip bomb), a file that is not a zip, an
encrypted workbook (an OLE container), an old binary .xls.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from yjzl.errors import UnusableInput

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

MAX_PART_BYTES = 256 * 1024 * 1024  # one inflated XML part
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all parts read from one workbook
MAX_RATIO = 200  # inflated / compressed: real sheet XML compresses 5–30×
MAX_CELL_CHARS = 32767  # Excel's own limit for a cell

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REF = re.compile(r"([A-Z]+)(\d+)")
# Built-in number formats that display percentages or dates (ECMA-376 18.8.30).
_PERCENT_IDS = {9, 10}
_DATE_IDS = {*range(14, 23), *range(45, 48)}


@dataclass(slots=True)
class Cell:
    value: str | float | bool | None  # None: empty
    error: str | None = None  # "#DIV/0!" …
    formula: bool = False
    cached: bool = True  # False: a formula whose result was never computed
    percent: bool = False  # number formatted as a percentage
    date: bool = False  # number formatted as a date


@dataclass(slots=True)
class Sheet:
    name: str
    hidden: bool
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    max_row: int = 0


@dataclass(slots=True)
class Workbook:
    path: str
    sheets: list[Sheet]
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties


def col_letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def _split_ref(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


class _Archive:
    """A zip whose parts are read with limits on size and ratio."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = 0
        try:
            with path.open("rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise UnusableInput(str(path), f"无法打开 / cannot open: {exc.strerror or exc}") from exc
        if not head:
            raise UnusableInput(str(path), "文件为空 / the file is empty")
        if head == _OLE_MAGIC:
            raise UnusableInput(str(path), "这是旧版 .xls 或加密的工作簿，请在 Excel/WPS 中取消密码并另存为 .xlsx / "
                                "an old binary .xls or a password-protected workbook: remove the password and save as .xlsx")
        if not head.startswith(b"PK"):
            raise UnusableInput(str(path), "不是 .xlsx 工作簿（可能是改了扩展名的文本或其他文件）/ not an .xlsx workbook")
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnusableInput(str(path), f"工作簿已损坏或不完整（可能被截断）/ the workbook is damaged or truncated: {exc}") from exc

    def open(self, name: str):
        info = self.zip.getinfo(name)
        if info.file_size > MAX_PART_BYTES or (info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10_000_000):
            raise UnusableInput(str(self.path), f"{name} 解压后过大（{info.file_size} 字节），拒绝读取 / a part inflates to {info.file_size} bytes: refused")
        self.total += info.file_size
        if self.total > MAX_TOTAL_BYTES:
            raise UnusableInput(str(self.path), "工作簿解压后过大，拒绝读取 / the workbook inflates beyond the limit: refused")
        return self.zip.open(info)

    def parse(self, name: str) -> ET.Element | None:
        if name not in self.names:
            return None
        with self.open(name) as fh:
            return ET.parse(fh).getroot()


def _rels(arc: _Archive, name: str) -> dict[str, str]:
    root = arc.parse(name)
    if root is None:
        return {}
    out = {}
    for rel in root.iter(f"{PKG_REL_NS}Relationship"):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _shared_strings(arc: _Archive) -> list[str]:
    root = arc.parse("xl/sharedStrings.xml")
    if root is None:
        return []
    # Rich text splits a string into runs (<r><t>); phonetic runs (<rPh>) are not text.
    return ["".join(t.text or "" for t in si.iter(f"{NS}t") if t not in {x for p in si.iter(f"{NS}rPh") for x in p}) for si in root.iter(f"{NS}si")]


def _styles(arc: _Archive) -> list[tuple[bool, bool]]:
    """(percent, date) for each cell style index."""
    root = arc.parse("xl/styles.xml")
    if root is None:
        return []
    custom = {}
    for nf in root.iter(f"{NS}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", nf.get("formatCode", "")).lower()
        custom[int(nf.get("numFmtId", "0"))] = ("%" in code, bool(re.search(r"[yd]", code)) or ("m" in code and "%" not in code and "0" not in code))
    xfs = root.find(f"{NS}cellXfs")
    out = []
    for xf in (xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        out.append(custom.get(fid, (fid in _PERCENT_IDS, fid in _DATE_IDS)))
    return out


def _read_sheet(arc: _Archive, part: str, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]]) -> None:
    with arc.open(part) as fh:
        for _, el in ET.iterparse(fh, events=("end",)):
            tag = el.tag
            if tag == f"{NS}c":
                _cell(el, sheet, strings, styles)
                el.clear()
            elif tag == f"{NS}row":
                r = int(el.get("r", "0") or 0)
                sheet.max_row = max(sheet.max_row, r)
                if el.get("hidden") in ("1", "true"):
                    sheet.hidden_rows.add(r)
                el.clear()


def _cell(el: ET.Element, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]]) -> None:
    row, col = _split_ref(el.get("r", ""))
    if not row:
        return
    t = el.get("t", "n")
    v = el.find(f"{NS}v")
    f = el.find(f"{NS}f")
    text = v.text if v is not None else None
    style = styles[int(el.get("s", "0"))] if el.get("s") and int(el.get("s", "0")) < len(styles) else (False, False)
    cell = Cell(None, formula=f is not None, percent=style[0], date=style[1])
    if t == "inlineStr":
        is_ = el.find(f"{NS}is")
        cell.value = "".join(x.text or "" for x in is_.iter(f"{NS}t")) if is_ is not None else None
    elif text is None:
        cell.cached = f is None  # a formula with no <v> was never calculated
    elif t == "s":
        idx = int(text)
        cell.value = strings[idx] if 0 <= idx < len(strings) else None
    elif t == "e":
        cell.error = text
    elif t == "b":
        cell.value = text == "1"
    elif t in ("str", "d"):
        cell.value = text
    else:
        try:
            cell.value = float(text)
        except ValueError:
            cell.value = text
    if isinstance(cell.value, str) and len(cell.value) > MAX_CELL_CHARS:
        cell.value = cell.value[:MAX_CELL_CHARS]
    if cell.value is not None or cell.error or cell.formula:
        sheet.cells[(row, col)] = cell


def read_workbook(path: str | Path) -> Workbook:
    """Read every sheet's cells; raise UnusableInput with a reason people understand."""
    path = Path(path)
    arc = _Archive(path)
    try:
        book = arc.parse("xl/workbook.xml")
        if book is None:
            if "EncryptedPackage" in arc.names:
                raise UnusableInput(str(path), "工作簿已加密，请取消密码后再试 / the workbook is encrypted: remove the password")
            raise UnusableInput(str(path), "压缩包中没有工作簿（不是 .xlsx）/ the archive holds no workbook (not an .xlsx)")
        rels = _rels(arc, "xl/_rels/workbook.xml.rels")
        strings = _shared_strings(arc)
        styles = _styles(arc)
        sheets = []
        for s in book.iter(f"{NS}sheet"):
            part = rels.get(s.get(f"{REL_NS}id", ""), "")
            sheet = Sheet(s.get("name", ""), s.get("state", "visible") != "visible")
            if part in arc.names:
                _read_sheet(arc, part, sheet, strings, styles)
            sheets.append(sheet)
        return Workbook(str(path), sheets, _custom_properties(arc))
    except UnusableInput:
        raise
    except (zipfile.BadZipFile, ET.ParseError, EOFError, KeyError, ValueError, OSError, RuntimeError) as exc:
        # zlib.error and the like surface as these; a truncated or corrupted part.
        raise UnusableInput(str(path), f"工作簿已损坏，无法读取 / the workbook is damaged: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        if type(exc).__module__ == "zlib":
            raise UnusableInput(str(path), f"工作簿已损坏，无法解压 / the workbook is damaged: {exc}") from exc
        raise
    finally:
        arc.zip.close()


def _custom_properties(arc: _Archive) -> dict[str, str]:
    root = arc.parse("docProps/custom.xml")
    if root is None:
        return {}
    out = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            out[name] = prop[0].text or ""
    return out
