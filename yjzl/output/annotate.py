"""`--annotate`: a copy of the workbook with findings marked at their cells.

A first sheet 审核结果 lists every finding with a link to its cell
(`findings_sheet`); at the cells, errors red, warnings yellow (explained ones light
green), each with the message as a cell comment, printed after the sheet. The copy is made with openpyxl from the original file and
written atomically; the input is never opened for writing. openpyxl drops the sheets' ignoredErrors
(a template's "number stored as text" switched off, or errors a person chose to ignore in Excel) on
load; they are read from the original and put back (ignored_errors.py), so the copy shows what it did.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from yjzl.errors import UnusableInput, UsageProblem
from yjzl.output.atomic import write_bytes
from yjzl.output.findings_sheet import add_findings_sheet
from yjzl.report import FileReport

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "explained": "C6EFCE"}


def _split(ref: str) -> tuple[str, str]:
    sheet, _, cell = ref.rpartition("!")
    return sheet.strip("'"), cell


def _writable(ws, ref: str):
    """The cell to mark: a cell inside a merged range is marked on the range's top-left cell
    (openpyxl's merged cells take no fill or comment), its note naming the cell."""
    from openpyxl.cell.cell import MergedCell

    c = ws[ref]
    if isinstance(c, MergedCell):
        for rng in ws.merged_cells.ranges:
            if ref in rng:
                return ws.cell(rng.min_row, rng.min_col)
    return c


def within_budget(src: Path) -> None:
    """openpyxl loads the whole workbook (~25× the reader's cost a cell: a 1 000 000-row sheet took 50 s); refuse one
    whose parts inflate past the --annotate limit, from the zip's directory, before it does (yjzl.workbook.budget)."""
    from yjzl.workbook.archive import DAMAGE
    from yjzl.workbook.budget import check_annotate

    try:
        with zipfile.ZipFile(src) as z:
            inflated = sum(i.file_size for i in z.infolist())
    except DAMAGE:
        return  # not a zip it can measure: the reader says what is wrong with the file
    check_annotate(str(src), inflated)


def annotate_copy(src: Path, report: FileReport, out: Path, lang: str = "zh") -> None:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageProblem(f"{src}: --annotate 只能用于 .xlsx 工作簿，请先另存为 .xlsx / --annotate needs an .xlsx workbook: "
                           "save it as .xlsx first")
    within_budget(src)
    try:
        wb = openpyxl.load_workbook(src)
    except Exception as exc:  # openpyxl is stricter than the reader: a file yjzl could audit, it may not open
        raise UnusableInput(str(src), f"无法为此文件写出标注副本 / cannot make a marked-up copy of it: "
                                      f"{type(exc).__name__}: {exc}") from exc
    from yjzl.output import xlsx_sheet as X
    from yjzl.workbook.own import own_sheets

    # An annotated copy annotated again: its old 审核结果 goes, the new one replaces it (yjzl's mark names it).
    mine = own_sheets({p.name: p.value for p in wb.custom_doc_props.props if isinstance(getattr(p, "value", None), str)})
    for name in [n for n in wb.sheetnames if n in mine]:
        if len(wb.sheetnames) > 1:
            wb.remove(wb[name])
    notes: dict[tuple[str, str], list[str]] = {}
    colour: dict[tuple[str, str], str] = {}
    rank = {"error": 3, "warning": 2, "explained": 1}
    for f in report.findings:
        level = "explained" if f.explained else f.severity
        for ref in f.cells:
            if ref.startswith("["):
                continue  # a cell of another workbook
            sheet, cell = _split(ref)
            if not cell or sheet not in wb.sheetnames:
                continue
            try:
                target = _writable(wb[sheet], cell)
            except (ValueError, KeyError, IndexError):
                continue  # a reference beyond what Excel (and openpyxl) can address
            key = (sheet, target.coordinate)
            notes.setdefault(key, []).append(f"[{f.code}] {f.message}" + (f"（{cell}）" if target.coordinate != cell else ""))
            if rank[level] > rank.get(colour.get(key, ""), 0):
                colour[key] = level
    for (sheet, cell), level in colour.items():
        c = wb[sheet][cell]
        c.fill = PatternFill("solid", fgColor=FILLS[level])
        c.comment = Comment(X.visible("\n".join(notes[(sheet, cell)]))[:30000], "yjzl", width=300, height=120)
    for sheet in {s for s, _ in colour}:
        # Comments print too. LibreOffice lists the notes after the sheet for `asDisplayed` (its filter
        # ignores `atEnd`, sc/source/filter/oox/pagesettings.cxx); Excel prints only comments shown on the
        # sheet — for it the 审核结果 sheet lists every finding.
        wb[sheet].page_setup.cellComments = "asDisplayed"
    X.mark(wb, "annotate", [add_findings_sheet(wb, report, lang, FILLS)])

    from yjzl.output import ignored_errors

    try:
        keep = ignored_errors.read(src)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        keep = {}  # openpyxl read the file, its parts are not ours to judge: the copy goes without them

    def save(tmp: Path) -> None:
        try:
            ignored_errors.save(wb, keep)(tmp)
        except OSError:
            raise  # the disk, not the workbook: write_bytes reports it
        except (IndexError, ValueError, KeyError, TypeError) as exc:  # what openpyxl loaded it cannot write back
            # (IndexError "At least one sheet must be visible": a workbook whose sheets openpyxl lost)
            raise UnusableInput(str(src), f"无法为此文件写出标注副本 / cannot make a marked-up copy of it: "
                                          f"{type(exc).__name__}: {exc}") from exc

    write_bytes(out, save)
