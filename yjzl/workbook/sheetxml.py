"""Decode a worksheet's and the shared strings' XML into cells.

Two decoders give the same cells:
- `fast`: regular expressions over the part's text. Excel, WPS, LibreOffice and
  openpyxl all write canonical SpreadsheetML (unprefixed tags, `r` first, double
  quotes, UTF-8), and matching that directly costs about what the standard
  library's parser spends merely tokenising it; building a cell then costs a
  few attribute lookups instead of an Element per tag.
- `tree`: ElementTree, for anything else (namespace prefixes, CDATA, comments,
  other encodings, cells or rows without `r`, which it places by order as Excel
  does). The fast decoder proves it saw every `<c ` tag of the part, or hands
  the part to the tree decoder.
Text is what an XML parser would give (line ends normalised to \n before
entities are expanded), then with the `_xHHHH_` escapes of ST_Xstring
(ECMA-376 22.9.2.19) decoded: `_x000D_` is a carriage return, `_x005F_` a `_`.
Both are tested to agree (tests/test_reader.py).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from yjzl.workbook.budget import Budget
from yjzl.workbook.cells import ADDRESS, DIGITS, LETTERS, MAX_CELL_CHARS, Cell, Sheet, column_number
from yjzl.workbook.celltext import iso_serial, raw_text, unescape_x

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# r, then s and t in the order every writer uses. The three commonest cells (a number, a
# shared string, a plain inline string) are recognised whole by the pattern, in C; anything
# else (formulas, errors, rich text, other attributes, which land in `rest`) takes the slow
# branch. Sheets are matched as bytes: decoding a whole part to text costs a pass of its own,
# and only the few strings kept are decoded. A cell's content stops at the next "<c": an
# unclosed cell fails where the next one starts instead of searching the rest of the part
# (with `.*?</c>`, thousands of unclosed cells took time quadratic in the part's size).
_CELL = re.compile(
    rb'<c r="(' + LETTERS.encode() + rb')(' + DIGITS.encode() + rb')"(?: s="([0-9]+)")?'
    rb'(?:(?: t="n")?><v>([^<]+)</v></c>'
    rb'| t="s"><v>([0-9]+)</v></c>'
    rb'| t="inlineStr"><is><t>([^<]+)</t></is></c>'
    rb'|(?: t="(\w+)")?([^>]*?)(?:/>|>([^<]*(?:<(?!/c>|c[\s>/])[^<]*)*)</c>))')
_TYPE = re.compile(r'\st="(\w+)"')
_STYLE = re.compile(rb'\ss="([0-9]+)"')
# Every pattern stops at the next tag that cannot be inside it (see _CELL): linear on any input.
_V = re.compile(r"<v(?:\s[^>]*)?(?:/>|>([^<]*)</v>)")  # text only: CDATA sends a part to the tree decoder
_T = re.compile(r"<t(?:\s[^>]*)?>([^<]*)</t>")
_RPH = re.compile(r"<rPh\b[^<]*(?:<(?!/?rPh\b)[^<]*)*</rPh>")  # phonetic guides: not part of the text
_SI = re.compile(r"<si>([^<]*(?:<(?!/?si[\s/>])[^<]*)*)</si>|<si/>")
_HIDDEN_ROW = re.compile(rb'<row r="([0-9]+)"[^>]*?\shidden="(?:1|true)"')
_UTF8 = re.compile(rb'encoding=["\'](?i:utf-8)["\']')
_COLUMNS: dict[bytes, int] = {}


def _column(letters: bytes) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = column_number(letters)
    return col


def _text(fragment: str) -> str:
    if "<rPh" in fragment:
        fragment = _RPH.sub("", fragment)
    text = "".join(_T.findall(fragment))
    return raw_text(text) if "&" in text or "\r" in text or "_x" in text else text


def _utf8(data: bytes) -> bool:
    head = data[:200]
    return b"encoding=" not in head or _UTF8.search(head) is not None


def shared_strings(data: bytes) -> list[str]:
    found = _strings_fast(data)
    return found if found is not None else _strings_tree(data)


def _strings_fast(data: bytes) -> list[str] | None:
    """The strings, read by pattern when the part is canonical; None: the parser's job."""
    if _utf8(data) and b"<!" not in data and b":sst" not in data:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        opened = text.count("<si>") + text.count("<si/>")
        if not text or not opened:
            return [] if text else None
        if "<rPh" not in text:
            found = _runs(text, opened)
            if found is not None:
                return found
        found = _SI.findall(text)
        if len(found) == opened:
            return [_text(s)[:MAX_CELL_CHARS] for s in found]
    return None


# Two passes over the whole part, in C: LibreOffice writes most strings as rich text (a run per font:
# <r><rPr>…</rPr><t>…</t></r>), which a pattern per string would scan again. First the runs of a string
# are joined where only tags stand between them (never a string's own <si>, </si>); then each string
# is one <t> among tags. A string of any other shape (text between tags, no <t>) fails the count: the
# pattern per string reads the part instead.
_JOIN = re.compile(r"</t>(?:<(?!/?si[\s/>]|t[\s>])[^>]*>)*<t(?:\s[^>]*)?>")
_ONE = re.compile(r"<si>(?:<(?!/?si[\s/>]|t[\s>])[^>]*>)*<t(?:\s[^>]*)?>([^<]*)</t>(?:<(?!/?si[\s/>])[^>]*>)*</si>|<si/>")


def _runs(text: str, opened: int) -> list[str] | None:
    found = _ONE.findall(_JOIN.sub("", text))
    if len(found) != opened:
        return None
    return [raw_text(t)[:MAX_CELL_CHARS] if "&" in t or "\r" in t or "_x" in t else t[:MAX_CELL_CHARS] for t in found]


def _strings_tree(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    out = []
    for si in root.iter(f"{NS}si"):
        phonetic = {id(t) for p in si.iter(f"{NS}rPh") for t in p.iter(f"{NS}t")}
        out.append(unescape_x("".join(t.text or "" for t in si.iter(f"{NS}t") if id(t) not in phonetic))[:MAX_CELL_CHARS])
    return out


def decode(data: bytes, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]], spend: Budget | None = None) -> None:
    # Only <sheetData> holds cells, and in it every "<c" opens one (rich inline text with
    # <color>/<charset> overcounts, and goes to the tree decoder: slower, still right). A
    # prefixed <x:sheetData>, CDATA, comments or another encoding go to the tree decoder too.
    start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
    if 0 <= start < end and _utf8(data) and data[-64:].rstrip().endswith(b"</worksheet>"):
        body = data[start:end]
        if b"<!" not in body and data.find(b"<!DOCTYPE", 0, start) < 0:
            spent = (spend.cells, spend.chars) if spend is not None else (0, 0)
            try:
                if _fast_chunks(body, sheet, strings, styles, spend):
                    return
            except UnicodeDecodeError:
                pass
            if spend is not None:
                spend.cells, spend.chars = spent  # counted again by the tree decoder
            sheet.cells.clear()
            sheet.hidden_rows.clear()
            sheet.max_row = 0
    elif b"<sheetData/>" in data and b"<c " not in data:
        return  # an empty sheet
    _tree(data, sheet, strings, styles, spend)


CHUNK = 1 << 20  # the fast decoder's matches are listed a megabyte of rows at a time


def _fast_chunks(body: bytes, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]], spend: Budget | None) -> bool:
    """Decode <sheetData> a chunk of whole rows at a time (the list of matches for a 100 MB sheet
    would hold as much again as its cells); False when a chunk has a cell the pattern missed."""
    pos, size = 0, len(body)
    while pos < size:
        cut = body.find(b"<row ", pos + CHUNK) if size - pos > CHUNK else -1
        piece = body[pos:cut] if cut > 0 else body[pos:] if pos else body
        found = _CELL.findall(piece)
        if len(found) != piece.count(b"<c"):
            return False
        if spend is not None:
            spend.add_cells(len(found))  # before they are made
        chars = _fast(piece, found, sheet, strings, styles)
        if spend is not None:
            spend.add_chars(chars)
        pos = cut if cut > 0 else size
    return True


def _fast(body: bytes, found: list[tuple[bytes, ...]], sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]]) -> int:
    """Put the cells of a chunk in the sheet; the characters of text made for them (a shared string is the strings')."""
    cells = sheet.cells
    chars = 0
    nstrings = len(strings)
    columns = _COLUMNS
    # Only the few styles that show a percentage or a date matter; most cells' style is none of them.
    flagged = {str(i).encode(): f for i, f in enumerate(styles) if f[0] or f[1]}
    for letters, digits, s, number, shared, inline, kind, rest, inner in found:
        if number:
            try:
                cell = Cell(float(number))
            except ValueError:
                cell = Cell(raw_text(number.decode())[:MAX_CELL_CHARS])
                chars += len(cell.value)  # type: ignore[arg-type]
        elif shared:
            i = int(shared)
            value = strings[i] if i < nstrings else None
            if not value:
                continue
            cell = Cell(value)
        elif inline:
            text = inline.decode()
            if "&" in text or "\r" in text or "_x" in text:
                text = raw_text(text)
            cell = Cell(text[:MAX_CELL_CHARS])
            chars += len(text)
        elif not inner:
            continue  # an empty, merely formatted cell
        else:
            cell = _other(kind.decode(), rest.decode(), inner.decode(), strings)
            if cell is None:
                continue
            if isinstance(cell.value, str) and kind != b"s" and b't="s"' not in rest:  # a shared string is counted once
                chars += len(cell.value)
            if b"s=" in rest:
                m = _STYLE.search(rest)
                s = m.group(1) if m else s
        if s in flagged:
            cell.percent, date = flagged[s]
            cell.date = date or cell.date  # a t="d" cell is a date whatever its style
        cells[(int(digits), columns.get(letters) or _column(letters))] = cell
    if found:
        sheet.max_row = max(sheet.max_row, int(found[-1][1]))
    # LibreOffice writes hidden="false" on every row: look for the rows only when one is hidden.
    if b' hidden="1"' in body or b' hidden="true"' in body:
        sheet.hidden_rows.update(int(r) for r in _HIDDEN_ROW.findall(body))
    return chars


def _other(kind: str, rest: str, inner: str, strings: list[str]) -> Cell | None:
    """Any cell but the three common shapes; None for a cell that holds nothing."""
    if rest and "t=" in rest:  # attributes in an unusual order
        m = _TYPE.search(rest)
        kind = m.group(1) if m else kind
    if kind == "inlineStr":
        cell = Cell(_text(inner)[:MAX_CELL_CHARS], formula="<f" in inner)
    else:
        m = _V.search(inner)
        value = raw_text(m.group(1) or "") if m else None
        cell = _typed(kind or "n", value, "<f" in inner, strings)
    if (cell.value is None or cell.value == "") and not (cell.formula or cell.error):
        return None  # as the tree decoder: an empty string is an empty cell
    return cell


def _typed(kind: str, value: str | None, formula: bool, strings: list[str]) -> Cell:
    """A cell from its type attribute and the text of its <v>."""
    if value is None:
        return Cell(None, formula=formula, cached=not formula)  # a formula with no <v> was never calculated
    if not value:
        # <v/>: Excel's cached result of a formula that returned "" (IF(B19="","",…)); without a formula, nothing.
        return Cell("" if formula else None, formula=formula)
    if kind == "d":
        return _iso_date(value, formula)
    if kind == "s":
        idx = int(value)
        text = strings[idx] if 0 <= idx < len(strings) else None
        return Cell(text[:MAX_CELL_CHARS] if text else text, formula=formula)
    if kind == "e":
        return Cell(None, error=value, formula=formula)
    if kind == "b":
        return Cell(value == "1", formula=formula)
    if kind == "str":
        return Cell(value[:MAX_CELL_CHARS], formula=formula)
    try:
        return Cell(float(value), formula=formula)
    except ValueError:
        return Cell(value[:MAX_CELL_CHARS], formula=formula)


def _iso_date(value: str, formula: bool) -> Cell:
    """A t="d" cell (Strict Open XML and some generators): ISO 8601 text, read as the date serial Excel shows."""
    days = iso_serial(value)
    if days is None:
        return Cell(value[:MAX_CELL_CHARS], formula=formula)  # not a date after all: keep what was written
    return Cell(days, formula=formula, date=True)


def _tree(data: bytes, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]], spend: Budget | None = None) -> None:
    """ElementTree's decoding. A row or cell without `r` (the .NET OpenXML SDK writes none) takes the place after
    the previous one, as Excel, openpyxl and calamine place it; a row may mix addressed and unaddressed cells."""
    import io

    spend = spend or Budget(sheet.name)
    row, col = 0, 0
    for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == f"{NS}row":
                r = el.get("r")
                row, col = (int(r) if r and r.isdigit() else row + 1), 0
                sheet.max_row = max(sheet.max_row, row)
                if el.get("hidden") in ("1", "true"):
                    sheet.hidden_rows.add(row)
            continue
        if tag == f"{NS}c":
            m = _REF.fullmatch(el.get("r", ""))
            if m:
                col = _column(m.group(1).encode())
                if int(m.group(2)) != row:  # a cell addressed to another row than its <row> says: trust the cell
                    row = int(m.group(2))
                    sheet.max_row = max(sheet.max_row, row)
            else:
                col += 1
            _tree_cell(el, sheet, strings, styles, max(row, 1), col, spend)
            el.clear()
        elif tag == f"{NS}row":
            el.clear()


_REF = ADDRESS


def _tree_cell(el: ET.Element, sheet: Sheet, strings: list[str], styles: list[tuple[bool, bool]], row: int, col: int,
               spend: Budget) -> None:
    v = el.find(f"{NS}v")
    formula = el.find(f"{NS}f") is not None
    kind = el.get("t", "n")
    if kind == "inlineStr":
        is_ = el.find(f"{NS}is")
        phonetic = {id(t) for p in (is_.iter(f"{NS}rPh") if is_ is not None else ()) for t in p.iter(f"{NS}t")}
        text = "".join(t.text or "" for t in is_.iter(f"{NS}t") if id(t) not in phonetic) if is_ is not None else None
        text = unescape_x(text) if text else text
        cell = Cell(text[:MAX_CELL_CHARS] if text else text, formula=formula)
    else:
        cell = _typed(kind, unescape_x(v.text or "") if v is not None else None, formula, strings)
    s = int(el.get("s", "0") or 0)
    percent, date = styles[s] if s < len(styles) else (False, False)
    cell.percent, cell.date = percent, date or cell.date
    if cell.value not in (None, "") or cell.error or cell.formula:
        spend.add_cells(1)
        if isinstance(cell.value, str) and kind != "s":
            spend.add_chars(len(cell.value))
        sheet.cells[(row, col)] = cell
