"""`<ignoredErrors>` in a saved .xlsx package: Excel's and WPS's error markers switched off per range.

The template formats its value cells as text (`@`) so that `--` can be typed as it is; Excel and
WPS then mark every number typed there with a green triangle, "number stored as text". The
worksheet element ignoredErrors (ECMA-376 Part 1, 18.3.1.51 ignoredError, 18.3.1.52 ignoredErrors)
switches that marker off for a range. openpyxl has the classes (openpyxl.worksheet.errors) but its
writer never writes them (worksheet/_writer.py, write_tail) and its reader drops them on load.

Why a post-processing of the saved package rather than a hook into openpyxl's writer: the hook
would subclass openpyxl's private ExcelWriter and WorksheetWriter and copy write_worksheet (about
20 lines of its internals: drawings, rels, the write-only case), which any openpyxl release may
change; this depends on the file format only. Its cost, one more pass over the zip, is measured
by benchmarks/bench_ignored_errors.py: for the `all` template it adds about 0.01–0.02 s to openpyxl's
0.1 s save (ratios 0.7–1.2 over runs, within the noise of a shared machine; the hook 0.6–1.1), in a
command that takes about 1 s: not worth depending on openpyxl's internals.

The element is put in its place in CT_Worksheet's sequence (18.3.1.99): after everything up to
cellWatches, before smartTags … extLst (`AFTER`); a misplaced element makes Excel call the file
damaged. An ignoredErrors element already there is replaced, never doubled.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# The children of CT_Worksheet that come after ignoredErrors (ECMA-376 Part 1, 18.3.1.99).
AFTER = ("smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
         "controls", "webPublishItems", "tableParts", "extLst")
_PREFIX = r"(?:[A-Za-z_][\w.-]*:)?"
_NEXT = re.compile(rf"<{_PREFIX}(?:{'|'.join(AFTER)})[\s/>]")
_END = re.compile(rf"</{_PREFIX}worksheet\s*>\s*$")
_OLD = re.compile(rf"<({_PREFIX})ignoredErrors\b(?:[^>]*/>|.*?</\1ignoredErrors\s*>)", re.S)
_DATA_END = re.compile(rf"</{_PREFIX}sheetData\s*>|<{_PREFIX}sheetData\s*/>")

# One ignoredError: its attributes as written (sqref and the flags, "1" for on).
Ignored = dict[str, str]


def runs(col: str, rows: Iterable[int]) -> list[str]:
    """Rows of one column as runs: C3:C5, C8."""
    out: list[str] = []
    rows = sorted(set(rows))
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        out.append(f"{col}{rows[i]}" if i == j else f"{col}{rows[i]}:{col}{rows[j]}")
        i = j + 1
    return out


def text_cells(ws: Worksheet) -> str:
    """The sqref of every cell of `ws` formatted as text (`@`), column by column: where a number
    typed is text on purpose, so the "number stored as text" marker is noise."""
    by_col: dict[str, list[int]] = {}
    for row in ws.iter_rows():  # the used range (a template's is a few thousand cells); empty ones are not written
        for cell in row:
            if cell.number_format == "@":
                by_col.setdefault(cell.column_letter, []).append(cell.row)
    return " ".join(r for col in sorted(by_col, key=lambda c: (len(c), c)) for r in runs(col, by_col[col]))


def numbers_as_text(wb: Workbook, sheets: Iterable[str] | None = None) -> dict[str, list[Ignored]]:
    """For each sheet (all, or those named) with text-formatted cells: numberStoredAsText over them."""
    out: dict[str, list[Ignored]] = {}
    for ws in wb.worksheets:
        if sheets is not None and ws.title not in set(sheets):
            continue
        sqref = text_cells(ws)
        if sqref:
            out[ws.title] = [{"sqref": sqref, "numberStoredAsText": "1"}]
    return out


def element(ignored: list[Ignored], ns: bool = False) -> str:
    """The ignoredErrors element; `ns` declares the main namespace (for a sheet that prefixes it)."""
    items = "".join("<ignoredError" + "".join(f" {k}={quoteattr(v)}" for k, v in item.items()) + "/>"
                    for item in ignored)
    return f"<ignoredErrors{' xmlns=' + quoteattr(MAIN_NS) if ns else ''}>{items}</ignoredErrors>"


def insert(sheet_xml: str, ignored: list[Ignored]) -> str:
    """The sheet's XML with `ignored` as its ignoredErrors (an old one replaced; none when empty)."""
    data_end = _DATA_END.search(sheet_xml)
    start = data_end.end() if data_end else 0
    head, tail = sheet_xml[:start], _OLD.sub("", sheet_xml[start:])
    if not ignored:
        return head + tail
    root = re.search(r"<([A-Za-z_][\w.-]*:)?worksheet[\s>]", sheet_xml)
    new = element(ignored, ns=bool(root and root.group(1)))
    at = _NEXT.search(tail) or _END.search(tail)
    if at is None:
        raise ValueError("not a worksheet: no </worksheet>")
    return head + tail[:at.start()] + new + tail[at.start():]


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the part (path in the zip) of each worksheet present, found as the reader finds them."""
    from yjzl.workbook.xlsx import sheet_parts as found

    parts = found(lambda name: z.read(name) if name in z.NameToInfo else None)
    return {name: part for name, part in parts.items() if part in z.NameToInfo}


def add_to_package(package: bytes, ignored: Mapping[str, list[Ignored]]) -> bytes:
    """The .xlsx `package` with each named sheet's ignoredErrors set; every other part copied as it is
    (same names, order, dates and compression)."""
    src = zipfile.ZipFile(io.BytesIO(package))
    parts = {part: ignored[name] for name, part in sheet_parts(src).items() if name in ignored}
    if not parts:
        return package
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in parts:
                data = insert(data.decode("utf-8"), parts[info.filename]).encode("utf-8")
            dst.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()


def read(path: Path) -> dict[str, list[Ignored]]:
    """The ignoredErrors of each sheet of an .xlsx file (sheets without one left out), to carry them
    into a copy made with openpyxl, which drops them."""
    out: dict[str, list[Ignored]] = {}
    with zipfile.ZipFile(path) as z:
        for name, part in sheet_parts(z).items():
            xml = z.read(part).decode("utf-8", "replace")
            data_end = _DATA_END.search(xml)
            old = _OLD.search(xml, data_end.end() if data_end else 0)
            if old is None:
                continue
            root = re.search(r"<([A-Za-z_][\w.-]*:)?worksheet\b[^>]*>", xml)
            prefix = old.group(1)
            # The element parsed alone, with the namespace declarations of the root it came from.
            decl = " ".join(re.findall(r"xmlns(?::[\w.-]+)?=(?:\"[^\"]*\"|'[^']*')", root.group(0))) if root else ""
            wrapped = f"<w {decl}>{old.group(0)}</w>" if prefix else old.group(0)
            try:
                tree = ElementTree.fromstring(wrapped)
            except ElementTree.ParseError:
                continue  # not ours to repair: the copy goes without it, as openpyxl leaves it
            items = [{k: v for k, v in e.attrib.items() if "}" not in k}  # the schema's attributes are unqualified
                     for e in tree.iter() if e.tag.rsplit("}", 1)[-1] == "ignoredError"]
            items = [i for i in items if i.get("sqref")]
            if items:
                out[name] = items
    return out


def save(wb: Workbook, ignored: Mapping[str, list[Ignored]]) -> Callable[[Path], None]:
    """A producer for atomic.write_bytes: `wb` saved by openpyxl, then `ignored` put in."""
    def produce(tmp: Path) -> None:
        wb.save(tmp)  # to the temporary file itself, which is then rewritten: one code path with or without
        if ignored:
            package = Path(tmp).read_bytes()
            done = add_to_package(package, ignored)
            if done is not package:
                Path(tmp).write_bytes(done)
    return produce
