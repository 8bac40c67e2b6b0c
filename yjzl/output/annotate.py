"""`--annotate`: a copy of the workbook with findings marked at their cells.

Errors red, warnings yellow (explained ones light green), each with the message
as a cell comment. The copy is made with openpyxl from the original file and
written atomically; the input is never opened for writing.
"""

from __future__ import annotations

from pathlib import Path

from yjzl.output.atomic import write_bytes
from yjzl.report import FileReport

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "explained": "C6EFCE"}


def _split(ref: str) -> tuple[str, str]:
    sheet, _, cell = ref.rpartition("!")
    return sheet.strip("'"), cell


def annotate_copy(src: Path, report: FileReport, out: Path) -> None:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = openpyxl.load_workbook(src)
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
            key = (sheet, cell)
            notes.setdefault(key, []).append(f"[{f.code}] {f.message}")
            if rank[level] > rank.get(colour.get(key, ""), 0):
                colour[key] = level
    for (sheet, cell), level in colour.items():
        c = wb[sheet][cell]
        c.fill = PatternFill("solid", fgColor=FILLS[level])
        c.comment = Comment("\n".join(notes[(sheet, cell)])[:30000], "yjzl")

    write_bytes(out, lambda tmp: wb.save(tmp))
