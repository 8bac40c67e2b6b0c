"""Decode a worksheet's and the shared strings' XML into cells.

Two decoders give the same cells:
- `fast`: regular expressions over the part's text. Excel, WPS, LibreOffice and
  openpyxl all write canonical SpreadsheetML (unprefixed tags, `r` first, double
  quotes, UTF-8), and matching that directly costs about what the standard
  library's parser spends merely tokenising it; building a cell then costs a
  few attribute lookups instead of an Element per tag.
- `tree`: ElementTree, for anything else (namespace prefixes, CDATA, comments,
  other encodings, cells without `r`). The fast decoder proves it saw every
  `<c ` tag of the part, or hands the part to the tree decoder.
Both are tested to agree (tests/test_reader.py).
"""

from __future__ import annotations

import re
from html import unescape
from xml.etree import ElementTree as ET

from yjzl.workbook.cells import MAX_CELL_CHARS, Cell, Sheet

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# r, then s and t in the order every writer uses; other attributes land in `rest`.
_CELL = re.compile(r'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]+)")?(?: t="(\w+)")?([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_TYPE = re.compile(r'\st="(\w+)"')
_STYLE = re.compile(r'\ss="([0-9]+)"')
_V = re.compile(r"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_T = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_RPH = re.compile(r"<rPh\b.*?</rPh>", re.S)  # phonetic guides: not part of the text
_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_HIDDEN_ROW = re.compile(r'<row r="([0-9]+)"[^>]*?\shidden="(?:1|true)"')
_ANY_CELL = re.compile(r"<c[\s/>]")  # every cell tag, however written
_AWKWARD = ("<![CDATA[", "<!--", "<!DOCTYPE", ":sheetData", ":sst")
_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        _COLUMNS[letters] = col
    return col


def _text(fragment: str) -> str:
    if "<rPh" in fragment:
        fragment = _RPH.sub("", fragment)
    text = "".join(_T.findall(fragment))
    return unescape(text) if "&" in text else text


def _canonical(data: bytes) -> str | None:
    """The part as text when the fast decoder may read it, else None."""
    head = data[:200]
    if b"encoding=" in head and not re.search(rb'encoding="(?i:utf-8)"', head):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if any(mark in text for mark in _AWKWARD) else text


def shared_strings(data: bytes) -> list[str]:
    text = _canonical(data)
    if text is not None:
        found = _SI.findall(text)
        if len(found) == text.count("<si>") + text.count("<si/>"):
            return [_text(s) for s in found]
    root = ET.fromstring(data)
    out = []
    for si in root.iter(f"{NS}si"):
        phonetic = {id(t) for p in si.iter(f"{NS}rPh") for t in p.iter(f"{NS}t")}
        out.append("".join(t.text or "" for t in si.iter(f"{NS}t") if id(t) not in phonetic))
    return out


def decode(data: bytes, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]]) -> None:
    text = _canonical(data)
    if text is not None and text.rstrip().endswith("</worksheet>"):
        found = _CELL.findall(text)
        if len(found) == len(_ANY_CELL.findall(text)):
            _fast(text, found, sheet, strings, styles)
            return
    _tree(data, sheet, strings, styles)


def _fast(text: str, found: list[tuple[str, ...]], sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]]) -> None:
    cells = sheet.cells
    nstyles = len(styles)
    columns = _COLUMNS
    plain = (False, False)
    row = 0
    for letters, digits, s, kind, rest, inner in found:
        if not inner:
            continue  # an empty, merely formatted cell
        if rest and ("t=" in rest or "s=" in rest):  # attributes in an unusual order
            m = _TYPE.search(rest)
            kind = m.group(1) if m else kind
            m = _STYLE.search(rest)
            s = m.group(1) if m else s
        row = int(digits)
        # The common shapes, <v>…</v> and <is><t>…</t></is>, are sliced, not searched.
        if kind == "inlineStr":
            if inner.startswith("<is><t>") and inner.count("<") == 4:
                value = inner[7:-9]
                value = unescape(value) if "&" in value else value
            else:
                value = _text(inner)
            cell = Cell(value[:MAX_CELL_CHARS], formula="<f" in inner)
        else:
            if inner.startswith("<v>") and inner.count("<") == 2:
                value, formula = inner[3:-4], False
            else:
                m = _V.search(inner)
                value, formula = (m.group(1) if m else None), "<f" in inner
            if value and "&" in value:
                value = unescape(value)
            cell = _typed(kind or "n", value, formula, strings)
        if (cell.value is None or cell.value == "") and not (cell.formula or cell.error):
            continue  # as the tree decoder: an empty string is an empty cell
        if s:
            i = int(s)
            cell.percent, cell.date = styles[i] if i < nstyles else plain
        cells[(row, columns.get(letters) or _column(letters))] = cell
    sheet.max_row = max(sheet.max_row, row)
    if ' hidden="' in text:
        sheet.hidden_rows.update(int(r) for r in _HIDDEN_ROW.findall(text))


def _typed(kind: str, value: str | None, formula: bool, strings: list[str]) -> Cell:
    """A cell from its type attribute and the text of its <v>."""
    if value is None:
        return Cell(None, formula=formula, cached=not formula)  # a formula with no <v> was never calculated
    if kind == "s":
        idx = int(value)
        text = strings[idx] if 0 <= idx < len(strings) else None
        return Cell(text[:MAX_CELL_CHARS] if text else text, formula=formula)
    if kind == "e":
        return Cell(None, error=value, formula=formula)
    if kind == "b":
        return Cell(value == "1", formula=formula)
    if kind in ("str", "d"):
        return Cell(value[:MAX_CELL_CHARS], formula=formula)
    try:
        return Cell(float(value), formula=formula)
    except ValueError:
        return Cell(value[:MAX_CELL_CHARS], formula=formula)


def _tree(data: bytes, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]]) -> None:
    import io

    for _, el in ET.iterparse(io.BytesIO(data), events=("end",)):
        tag = el.tag
        if tag == f"{NS}c":
            _tree_cell(el, sheet, strings, styles)
            el.clear()
        elif tag == f"{NS}row":
            r = int(el.get("r", "0") or 0)
            sheet.max_row = max(sheet.max_row, r)
            if el.get("hidden") in ("1", "true"):
                sheet.hidden_rows.add(r)
            el.clear()


def _tree_cell(el: ET.Element, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]]) -> None:
    m = re.fullmatch(r"([A-Z]{1,3})([0-9]+)", el.get("r", ""))
    if not m:
        return
    v = el.find(f"{NS}v")
    formula = el.find(f"{NS}f") is not None
    kind = el.get("t", "n")
    if kind == "inlineStr":
        is_ = el.find(f"{NS}is")
        phonetic = {id(t) for p in (is_.iter(f"{NS}rPh") if is_ is not None else ()) for t in p.iter(f"{NS}t")}
        text = "".join(t.text or "" for t in is_.iter(f"{NS}t") if id(t) not in phonetic) if is_ is not None else None
        cell = Cell(text[:MAX_CELL_CHARS] if text else text, formula=formula)
    else:
        cell = _typed(kind, (v.text or "") if v is not None else None, formula, strings)
    s = int(el.get("s", "0") or 0)
    cell.percent, cell.date = styles[s] if s < len(styles) else (False, False)
    if cell.value not in (None, "") or cell.error or cell.formula:
        sheet.cells[(int(m.group(2)), _column(m.group(1)))] = cell
