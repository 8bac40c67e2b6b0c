"""A small, fast, defensive .xlsx reader on the standard library alone.

Why not openpyxl: importing it costs ~0.2 s and loading a workbook builds a
full object model; yjzl needs only cell values, whether a formula had a cached
result, error values, and whether a number is formatted as a percentage or a
date. The parts are read within limits (`archive.py`) and the sheets decoded
by `sheetxml.py`. openpyxl remains the writer (template, annotate).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from yjzl.errors import UnusableInput
from yjzl.workbook import archive, sheetxml
from yjzl.workbook.archive import Archive
from yjzl.workbook.budget import Budget
from yjzl.workbook.cells import MAX_CELL_CHARS, Cell, Sheet, Workbook, cell_ref, col_letter
from yjzl.workbook.numfmt import builtin_flags, format_flags

__all__ = ["MAX_CELL_CHARS", "Cell", "Sheet", "Workbook", "cell_ref", "col_letter", "format_flags", "read_workbook"]

NS = sheetxml.NS
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_SHEET = re.compile(r'<sheet ([^>]*?)/?>')
_REL = re.compile(r'<Relationship ([^>]*?)/?>')
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')


def _attrs(data: bytes, pattern: re.Pattern[str], root: str) -> list[dict[str, str]] | None:
    """The attributes of each element `pattern` finds, for a small canonical part; None: use the parser."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "<!" in text or "&" in text or f":{root}" in text:
        return None  # entities, comments or prefixes: the XML parser's job
    return [dict(_ATTR.findall(m)) for m in pattern.findall(text)]


# The small parts that describe a workbook (styles, relationships, the sheet list, custom properties) are the
# same in a batch's files (one template, one program): each is worked out once per distinct part, keyed by its
# name, CRC and size from the zip directory, so a hit does not even inflate it. Cells are never cached.
_PARTS: dict[tuple[str, str, int, int], Any] = {}  # (kind, part, CRC, size) → what it means


def _cached(arc: Archive, part: str, kind: str, work: Callable[[bytes], Any], absent: Any = None) -> Any:
    """`work(the part's bytes)` (what the part means as `kind`), or `absent` when the archive has no such part.
    What it returns is shared between workbooks: never changed."""
    crc = arc.crc(part)
    if crc is None:
        return absent
    key = (kind, part, *crc)
    hit = _PARTS.get(key)
    if hit is not None:
        return hit
    data = arc.read(part)
    out = work(data) if data is not None else absent
    if len(_PARTS) < 1024:
        _PARTS[key] = out
    return out


def _rels(arc: Archive, source: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last segment, part name) of the part `source` ("" for the package)."""
    folder, base = posixpath.split(source)
    return _cached(arc, posixpath.join(folder, "_rels", base + ".rels"), "rels", lambda data: _read_rels(data, folder), {})


def _read_rels(data: bytes, folder: str) -> dict[str, tuple[str, str]]:
    data = _transitional(data)
    found = _attrs(data, _REL, "Relationships")
    if found is None:
        found = [dict(rel.attrib) for rel in ET.fromstring(data).iter(f"{PKG_REL_NS}Relationship")]
    out = {}
    for rel in found:
        target = rel.get("Target", "").replace("\\", "/")  # a Windows separator
        if rel.get("TargetMode") == "External" or not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(part).lstrip("/"))
    return out


def sheet_parts(read_part: Callable[[str], bytes | None]) -> dict[str, str]:
    """Sheet name → its worksheet part, by the package's and the workbook's relationships (for a writer
    that edits a package it has just saved: yjzl/output/ignored_errors.py). `read_part`: a part's bytes or None."""
    book_part = _by_type(_read_rels(read_part("_rels/.rels") or b"", ""), "officeDocument") or "xl/workbook.xml"
    folder, base = posixpath.split(book_part)
    rels = _read_rels(read_part(posixpath.join(folder, "_rels", base + ".rels")) or b"", folder)
    book = read_part(book_part)
    listed = _sheets(_transitional(book)) if book else []
    return {name: rels[rid][1] for name, rid, _hidden in listed if rid in rels}


def _by_type(rels: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((part for k, part in rels.values() if k == kind), None)


def _sheets(data: bytes) -> list[tuple[str, str, bool]]:
    """(name, relationship id, hidden) of each sheet, in workbook order."""
    found = _attrs(data, _SHEET, "workbook")
    if found is not None:
        # The relationship prefix is usually r:, but any prefix bound to the same namespace is legal.
        return [(a.get("name", ""), next((v for k, v in a.items() if k.endswith(":id")), ""),
                 a.get("state", "visible") != "visible") for a in found]
    root = ET.fromstring(data)
    return [(s.get("name", ""), s.get(f"{REL_NS}id", ""), s.get("state", "visible") != "visible") for s in root.iter(f"{NS}sheet")]


def _styles(arc: Archive, part: str) -> list[tuple[bool, bool]]:
    """(percent, date) for each cell style index."""
    return _cached(arc, part, "styles", _read_styles, [])


def _read_styles(data: bytes) -> list[tuple[bool, bool]]:
    root = ET.fromstring(_transitional(data))
    custom = {}
    for nf in root.iter(f"{NS}numFmt"):
        custom[int(nf.get("numFmtId", "0"))] = format_flags(nf.get("formatCode", ""))
    xfs = root.find(f"{NS}cellXfs")
    out = []
    for xf in (xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        out.append(custom.get(fid) or builtin_flags(fid))
    return out


_PROPERTY = re.compile(r'<property [^>]*?name="([^"]*)"[^>]*>\s*<vt:\w+>([^<]*)</vt:\w+>\s*</property>')


def _custom_properties(arc: Archive) -> dict[str, str]:
    return _cached(arc, "docProps/custom.xml", "properties", _read_properties, {})


def _read_properties(data: bytes) -> dict[str, str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = "<!"
    if "<!" not in text:  # the usual shape, read without building a tree
        found = _PROPERTY.findall(text)
        if len(found) == text.count("<property "):
            return {unescape(k): unescape(v) for k, v in found}
    out = {}
    for prop in ET.fromstring(data):
        name = prop.get("name")
        if name and len(prop):
            out[name] = prop[0].text or ""
    return out


# ISO 29500 Strict names the same elements in other namespaces; mapped to the transitional ones, the same
# decoders read it (the elements this reader looks at are the same in both; Strict's dates are t="d" ISO text).
_STRICT = ((b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
           (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"))


def _transitional(data: bytes) -> bytes:
    if b"purl.oclc.org/ooxml" in data[:4096]:
        for strict, transitional in _STRICT:
            data = data.replace(strict, transitional)
    return data


def _not_a_workbook(arc: Archive) -> str:
    """Why a zip without xl/workbook.xml is no workbook, naming what it is when that is plain."""
    if "EncryptedPackage" in arc.names:
        return "工作簿已加密，请取消密码后再试 / the workbook is encrypted: remove the password"
    if arc.find("xl/workbook.bin"):
        return XLSB
    if "word/document.xml" in arc.names:
        return "这是 Word 文档（.docx），不是工作簿 / a Word document (.docx), not a workbook"
    return "压缩包中没有工作簿（不是 .xlsx）/ the archive holds no workbook (not an .xlsx)"


def _is_ods(arc: Archive) -> bool:
    """An OpenDocument spreadsheet: its mimetype entry says so, or (Google Docs exports have no mimetype entry) it has a
    content.xml and no package relationships, with a manifest naming a spreadsheet when there is one."""
    if arc.has("mimetype"):
        return b"opendocument.spreadsheet" in (arc.read("mimetype") or b"")[:100]
    if not arc.has("content.xml") or arc.has("_rels/.rels"):
        return False
    arc.kind = ".ods"  # a refusal of the manifest names the format it claims
    manifest = arc.read("META-INF/manifest.xml") if arc.has("META-INF/manifest.xml") else None
    ods = manifest is None or b"opendocument.spreadsheet" in manifest
    arc.kind = ".ods" if ods else ".xlsx"
    return ods


WPS_ET = ("这是 WPS 表格专有格式（.et），请在 WPS 中另存为 .xlsx / "
          "a WPS Spreadsheets file (.et): save it as .xlsx in WPS (File → Save As → Excel Workbook)")
XLSB = ("这是 Excel 二进制工作簿（.xlsb），请在 Excel/WPS 中另存为 .xlsx / "
        "an Excel binary workbook (.xlsb): save it as .xlsx in Excel/WPS")


def read_workbook(path: str | Path, skip: Callable[[str, bool, dict[str, str]], bool] | None = None) -> Workbook:
    """Read every sheet's cells; raise UnusableInput with a reason people understand. `skip(name, hidden,
    custom properties)`: a sheet the caller will not read is listed without its cells (.xlsx only).

    What a file is, is told by its content, not its name (yjzl.workbook.sniff): an OLE compound file holding a
    Workbook stream, or a bare BIFF2–4 stream, is an Excel .xls (yjzl.workbook.xls); a zip whose mimetype (or, without
    one, its content.xml) says so is an OpenDocument spreadsheet (yjzl.workbook.ods); any other zip is read as an
    .xlsx/.xlsm; text is read as CSV, one sheet (yjzl.workbook.csvbook), whatever its name; HTML, MHTML and
    SpreadsheetML 2003 saved as .xls/.xlsx are refused naming what they are. WPS's own .et is refused by name.
    Every reader spends one budget for the workbook (yjzl.workbook.budget).
    """
    from yjzl.workbook import sniff

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".et", ".ett"):
        raise UnusableInput(str(path), WPS_ET)
    spend = Budget(str(path))
    found = sniff.kind(path)
    if found in sniff.REASONS:
        raise UnusableInput(str(path), sniff.REASONS[found])
    if found == sniff.BIFF:
        from yjzl.workbook.xls import read_xls

        return read_xls(path, spend)
    if found == sniff.TEXT or (suffix in (".csv", ".tsv") and found not in (sniff.ZIP, sniff.OLE)):
        from yjzl.workbook import csvbook

        return csvbook.read_csv(path, spend)
    try:
        arc = Archive(path, spend)
    except archive.OleFile as exc:
        if exc.reason != archive.OLD_XLS:
            raise
        from yjzl.workbook.xls import read_xls

        return read_xls(path, spend)
    part = "_rels/.rels"  # the part being read, for the message when it is damaged
    try:
        if _is_ods(arc):
            from yjzl.workbook.ods import read_ods

            return read_ods(path, arc)
        # The workbook part is whatever the package's relationships name (SheetJS's wtf/workbook.xml exists);
        # xl/workbook.xml when a package has no relationships part.
        book_part = _by_type(_rels(arc, ""), "officeDocument") or "xl/workbook.xml"
        part = book_part
        if book_part.lower().endswith(".bin"):
            raise UnusableInput(str(path), XLSB)
        listed = _cached(arc, part, "sheets", lambda data: _sheets(_transitional(data)))
        if listed is None:
            raise UnusableInput(str(path), _not_a_workbook(arc))
        part = posixpath.join(posixpath.dirname(book_part), "_rels", posixpath.basename(book_part) + ".rels")
        rels = _rels(arc, book_part)
        folder = posixpath.dirname(book_part)
        part = _by_type(rels, "sharedStrings") or posixpath.join(folder, "sharedStrings.xml")
        data = arc.read(part)
        strings = sheetxml.shared_strings(_transitional(data)) if data else []
        arc.budget.add_chars(sum(map(len, strings)))
        part = _by_type(rels, "styles") or posixpath.join(folder, "styles.xml")
        styles = _styles(arc, part)
        sheets, skipped = [], []
        seen: dict[str, str] = {}  # part → the sheet read from it
        part = "docProps/custom.xml"
        properties = dict(_custom_properties(arc))  # a copy: the cache's is shared
        for name, rid, hidden in listed:
            if skip is not None and skip(name, hidden, properties):
                sheets.append(Sheet(name, hidden))
                continue
            part = rels.get(rid, ("", ""))[1]
            stored = arc.find(part) if part else None
            if stored in seen:  # no program writes two sheets on one part: each part is read once
                skipped.append((name, f"与工作表“{seen[stored]}”指向同一份数据（{part}），未重复读取 / "
                                      f"the sheet's cells are those of sheet “{seen[stored]}” ({part}): not read twice"))
                continue
            data = arc.read(part) if part else None
            if data is None:  # the workbook names a sheet whose cells are not in the archive: say so, read the rest
                skipped.append((name, f"工作表的数据不在文件中（{part or rid or '没有关系编号'}），未读取 / "
                                      f"the sheet's cells are missing from the file ({part or rid or 'no relationship id'}): not read"))
                continue
            seen[stored or part] = name
            sheet = Sheet(name, hidden)
            sheetxml.decode(_transitional(data), sheet, strings, styles, arc.budget)
            del data
            sheets.append(sheet)
        return Workbook(str(path), sheets, properties, skipped)
    except UnusableInput:
        raise
    except (zipfile.BadZipFile, ET.ParseError, EOFError, KeyError, ValueError, OSError, RuntimeError, IndexError,
            NotImplementedError, zlib.error) as exc:
        # A part that is not well-formed XML, a number that is not one, a truncated stream.
        raise UnusableInput(str(path), f"工作簿已损坏，无法读取 {part} / the workbook is damaged: {part}: "
                            f"{type(exc).__name__}: {exc}") from exc
    finally:
        arc.close()
