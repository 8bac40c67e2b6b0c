"""The first sheet of an annotated copy, 审核结果: every finding on one printable page.

Comments show only when hovering and print only when asked, so the copy also lists each finding
with its level, code, cell (a link that jumps to the cell), message and the explanation written in
the 说明 column, in the order of the report (sheet by sheet, top to bottom: as a person fixes them).
It is a table of yjzl.output.xlsx_sheet: frozen header, filter, fitted to the page width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yjzl.report import FileReport
from yjzl.workbook.own import FINDINGS_HEADERS

if TYPE_CHECKING:
    from openpyxl import Workbook

TITLE = {"zh": "审核结果", "en": "Audit findings"}
HEADERS = FINDINGS_HEADERS  # the reader knows the sheet by them when it is copied elsewhere
LEVELS = {"zh": {"error": "错误", "warning": "警告", "explained": "警告（已说明）"},
          "en": {"error": "error", "warning": "warning", "explained": "warning (explained)"}}
WIDTHS = (14, 8, None, 64, 36)  # None: as wide as the widest cell reference
HEADER_ROW = 4


def _link(ref: str, sheets: list[str]) -> str | None:
    """An in-workbook location for `表3!C21` ('表 3'!C21 quoted), or None for another workbook's cell."""
    sheet, _, cell = ref.rpartition("!")
    sheet = sheet.strip("'")
    if not cell or sheet not in sheets:
        return None
    return f"'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}"


def add_findings_sheet(wb: Workbook, report: FileReport, lang: str, fills: dict[str, str]) -> str:
    """Add the sheet as the first one, the findings in the report's order (yjzl.report sorts them as a
    person fixes them: sheet by sheet, top to bottom); return its name."""
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from yjzl.output import xlsx_sheet as X

    lang = "en" if lang == "en" else "zh"
    sheets = list(wb.sheetnames)
    title = TITLE[lang]
    while title in wb.sheetnames:  # the input has a sheet of that name that is not ours
        title += "_"
    errors = report.errors
    open_warnings = report.open_warnings
    explained = sum(1 for f in report.findings if f.explained)
    above = [f"{TITLE[lang]}：{report.file}" if lang == "zh" else f"{TITLE[lang]}: {report.file}",
             f"{errors} 个错误（必须修改），{open_warnings} 个待说明的警告，{explained} 个已说明的警告；点击单元格可跳到该处"
             if lang == "zh" else f"{errors} error(s) to fix, {open_warnings} open warning(s), {explained} explained; "
             "click a cell to go to it"]
    rows: list[list[object]] = []
    levels: list[str | None] = []  # the level of each row (None: a finding's further cell)
    for f in report.findings:
        level = "explained" if f.explained else f.severity
        for k, ref in enumerate(f.cells or [""]):  # each cell a link of its own, one a row (a link's text does not wrap)
            rows.append([LEVELS[lang][level], f.code, ref, f.message, f.explanation or ""] if not k else
                        [None, None, ref, None, None])
            levels.append(level)
    if not rows:
        rows.append([None, None, None, "没有发现问题" if lang == "zh" else "no findings", None])
        levels.append(None)
    columns = [X.Column(h, wrap=w is not None and w > 30, width=w) for h, w in zip(HEADERS[lang], WIDTHS)]
    ws = X.table(wb, title, columns, rows, above=above, index=0, footer=TITLE[lang])
    X.first(wb, ws.title)
    first = HEADER_ROW + 1
    for i, (level, row) in enumerate(zip(levels, rows)):
        r = first + i
        if level:
            ws.cell(r, 1).fill = PatternFill("solid", fgColor=fills[level])
        target = _link(str(row[2]), sheets) if row[2] else None
        if target:
            c = ws.cell(r, 3)
            c.hyperlink = Hyperlink(ref=c.coordinate, location=target, display=str(row[2]))
            c.font = X.link_font()
    return ws.title
