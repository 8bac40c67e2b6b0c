"""The first sheet of an annotated copy, 审核结果: every finding on one printable page.

Comments show only when hovering and print only when asked, so the copy also lists each finding
with its level, code, cell (a link that jumps to the cell), message and the explanation written in
the 说明 column; errors first. It prints on A4 landscape, the header repeated on every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yjzl.output.table import width
from yjzl.report import FileReport

if TYPE_CHECKING:
    from openpyxl import Workbook

TITLE = {"zh": "审核结果", "en": "Audit findings"}
HEADERS = {"zh": ["级别", "代码", "单元格", "问题", "说明"], "en": ["level", "code", "cell", "problem", "explanation"]}
LEVELS = {"zh": {"error": "错误", "warning": "警告", "explained": "警告（已说明）"},
          "en": {"error": "error", "warning": "warning", "explained": "warning (explained)"}}
WIDTHS = {"A": 14, "B": 8, "C": 16, "D": 70, "E": 40}
HEADER_ROW = 4


def _link(ref: str, sheets: list[str]) -> str | None:
    """An in-workbook location for `表3!C21` ('表 3'!C21 quoted), or None for another workbook's cell."""
    sheet, _, cell = ref.rpartition("!")
    sheet = sheet.strip("'")
    if not cell or sheet not in sheets:
        return None
    return f"'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}"


def add_findings_sheet(wb: Workbook, report: FileReport, lang: str, fills: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    lang = "en" if lang == "en" else "zh"
    sheets = list(wb.sheetnames)
    title = TITLE[lang]
    while title in wb.sheetnames:  # the input already has such a sheet (an annotated copy annotated again)
        title += "_"
    ws = wb.create_sheet(title, 0)
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    ws.cell(1, 1, f"{TITLE[lang]}：{report.file}" if lang == "zh" else f"{TITLE[lang]}: {report.file}").font = Font(bold=True, size=14)
    errors = report.errors
    open_warnings = report.open_warnings
    explained = sum(1 for f in report.findings if f.explained)
    ws.cell(2, 1, f"{errors} 个错误（必须修改），{open_warnings} 个待说明的警告，{explained} 个已说明的警告；点击单元格可跳到该处"
            if lang == "zh" else f"{errors} error(s) to fix, {open_warnings} open warning(s), {explained} explained; "
            "click a cell to go to it")
    for col, text in enumerate(HEADERS[lang], 1):
        c = ws.cell(HEADER_ROW, col, text)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    rank = {"error": 0, "warning": 1, "explained": 2}
    findings = sorted(report.findings, key=lambda f: rank["explained" if f.explained else f.severity])
    r = HEADER_ROW
    for f in findings:
        r += 1
        level = "explained" if f.explained else f.severity
        ws.cell(r, 1, LEVELS[lang][level])
        ws.cell(r, 2, f.code)
        ws.cell(r, 4, f.message)
        ws.cell(r, 5, f.explanation or "")
        for col in (1, 2, 4, 5):
            ws.cell(r, col).alignment = wrap
        # Neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl: say how tall it is.
        lines = max(-(-width(str(ws.cell(r, col).value or "")) // (WIDTHS[letter] - 2))
                    for col, letter in enumerate(WIDTHS, 1) if letter != "C")
        ws.row_dimensions[r].height = 15 * max(1, lines)
        for k, ref in enumerate(f.cells or [""]):  # each cell a link of its own, one a row (a link's text does not wrap)
            if k:
                r += 1
            ws.cell(r, 1).fill = PatternFill("solid", fgColor=fills[level])
            cell = ws.cell(r, 3, ref)
            cell.alignment = Alignment(vertical="top")
            target = _link(ref, sheets) if ref else None
            if target:
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target, display=ref)
                cell.style = "Hyperlink"
                cell.alignment = Alignment(vertical="top")
    last = r
    if not findings:
        ws.cell(HEADER_ROW + 1, 4, "没有发现问题" if lang == "zh" else "no findings")
    for col, w in WIDTHS.items():
        ws.column_dimensions[col].width = w
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:E{max(HEADER_ROW + 1, last)}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddFooter.right.text = "&P / &N"
