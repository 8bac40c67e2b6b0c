"""A small, fast, defensive .xlsx reader on the standard library alone.

Why not openpyxl: importing it costs ~0.2 s and loading a workbook builds a
full object model; yjzl needs only cell values, whether a formula had a cached
result, error values, and whether a number is formatted as a percentage or a
date. The parts are read within limits (`archive.py`) and the sheets decoded
by `sheetxml.py`. openpyxl remains the writer (template, annotate).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from yjzl.errors import UnusableInput
from yjzl.workbook import sheetxml
from yjzl.workbook.archive import Archive
from yjzl.workbook.cells import MAX_CELL_CHARS, Cell, Sheet, Workbook, cell_ref, col_letter

__all__ = ["MAX_CELL_CHARS", "Cell", "Sheet", "Workbook", "cell_ref", "col_letter", "read_workbook"]

NS = sheetxml.NS
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Built-in number formats that display percentages or dates (ECMA-376 18.8.30).
_PERCENT_IDS = {9, 10}
_DATE_IDS = {*range(14, 23), *range(45, 48)}
_STYLE_CACHE: dict[bytes, list[tuple[bool, bool]]] = {}  # styles.xml is the same across a batch's files


def _parse(arc: Archive, name: str) -> ET.Element | None:
    data = arc.read(name)
    return None if data is None else ET.fromstring(data)


def _rels(arc: Archive, name: str) -> dict[str, str]:
    root = _parse(arc, name)
    if root is None:
        return {}
    out = {}
    for rel in root.iter(f"{PKG_REL_NS}Relationship"):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _styles(arc: Archive) -> list[tuple[bool, bool]]:
    """(percent, date) for each cell style index."""
    data = arc.read("xl/styles.xml")
    if data is None:
        return []
    cached = _STYLE_CACHE.get(data)
    if cached is not None:
        return cached
    root = ET.fromstring(data)
    custom = {}
    for nf in root.iter(f"{NS}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", nf.get("formatCode", "")).lower()
        custom[int(nf.get("numFmtId", "0"))] = ("%" in code, bool(re.search(r"[yd]", code)) or ("m" in code and "%" not in code and "0" not in code))
    xfs = root.find(f"{NS}cellXfs")
    out = []
    for xf in (xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        out.append(custom.get(fid, (fid in _PERCENT_IDS, fid in _DATE_IDS)))
    if len(_STYLE_CACHE) < 64:
        _STYLE_CACHE[data] = out
    return out


def _custom_properties(arc: Archive) -> dict[str, str]:
    root = _parse(arc, "docProps/custom.xml")
    if root is None:
        return {}
    out = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            out[name] = prop[0].text or ""
    return out


def read_workbook(path: str | Path) -> Workbook:
    """Read every sheet's cells; raise UnusableInput with a reason people understand."""
    path = Path(path)
    arc = Archive(path)
    try:
        book = _parse(arc, "xl/workbook.xml")
        if book is None:
            if "EncryptedPackage" in arc.names:
                raise UnusableInput(str(path), "工作簿已加密，请取消密码后再试 / the workbook is encrypted: remove the password")
            raise UnusableInput(str(path), "压缩包中没有工作簿（不是 .xlsx）/ the archive holds no workbook (not an .xlsx)")
        rels = _rels(arc, "xl/_rels/workbook.xml.rels")
        data = arc.read("xl/sharedStrings.xml")
        strings = sheetxml.shared_strings(data) if data else []
        styles = _styles(arc)
        sheets = []
        for s in book.iter(f"{NS}sheet"):
            part = rels.get(s.get(f"{REL_NS}id", ""), "")
            sheet = Sheet(s.get("name", ""), s.get("state", "visible") != "visible")
            data = arc.read(part) if part else None
            if data is not None:
                sheetxml.decode(data, sheet, strings, styles)
            sheets.append(sheet)
        return Workbook(str(path), sheets, _custom_properties(arc))
    except UnusableInput:
        raise
    except (zipfile.BadZipFile, ET.ParseError, EOFError, KeyError, ValueError, OSError, RuntimeError, IndexError) as exc:
        # zlib.error and the like surface as these; a truncated or corrupted part.
        raise UnusableInput(str(path), f"工作簿已损坏，无法读取 / the workbook is damaged: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        if type(exc).__module__ == "zlib":
            raise UnusableInput(str(path), f"工作簿已损坏，无法解压 / the workbook is damaged: {exc}") from exc
        raise
    finally:
        arc.close()
