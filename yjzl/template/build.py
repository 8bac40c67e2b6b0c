"""Build a fill-in workbook for forms of the catalogue: `yjzl template`.

One sheet per form, named by the form's code: the title, the header row
序号 | 指标 | 数值 | 单位 | 说明 that `yjzl.workbook.layout.find_layout` recognises,
the section headings and every field in document order. Everything derives
from the catalogue; there is no per-form code. The value and 说明 cells are the
only unlocked cells; each value cell carries a data validation by the field's
kind with its input message (see messages.py). The custom document property
`yjzl.forms` names the form of each sheet so that `validate` recognises the
sheets exactly; a sheet copied elsewhere still reads by its name, title or labels.

openpyxl is imported inside the functions: the CLI must not pay for it on import.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FieldDef, FormDef
from yjzl.errors import UsageProblem
from yjzl.template import entries, live, messages
from yjzl.workbook.layout import CATALOGUE_PROPERTY, LIVE_SHEET, OVERLAYS_PROPERTY, TEMPLATE_PROPERTY

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

HEADER = ("序号", "指标", "数值", "审核", "单位", "说明")
TITLE_ROW, SUMMARY_ROW, HEADER_ROW = 1, 2, 3
VALUE_COL, AUDIT_COL, UNIT_COL, NOTE_COL = "C", "D", "E", "F"
COLS = {"value": VALUE_COL, "audit": AUDIT_COL, "note": NOTE_COL}
LAST_COL = 6
WIDTHS = {"A": 6, "B": 40, "C": 21, "D": live.WIDTHS_AUDIT, "E": 8, "F": 30}  # C: an 18-character code whole
LINE_HEIGHT = 16  # points per wrapped line of 11-point CJK text
FILL_HEADER, FILL_HEADING, FILL_VALUE = "D9E1F2", "EDEDED", "FFF9E5"

# Data validation by kind: (type, formula1 with {c} for the cell). A numeric cell accepts exactly what the
# live audit reads as a number (entries.normalise: a number, or one typed as text in the text-formatted
# cell) and `--`; entries.accepts never returns an error, and an error would reject the entry.
def _numeric_rule(kind: str) -> tuple[str, str]:
    return "custom", entries.accepts(kind, "{c}")


RULES: dict[str, tuple[str | None, str | None]] = {
    "count": _numeric_rule("count"),
    "amount": _numeric_rule("amount"),
    "decimal": _numeric_rule("decimal"),
    "percent": _numeric_rule("percent"),
    "permille": _numeric_rule("permille"),
    "yesno": ("list", '"是,否"'),
    "text": (None, None),  # any value: the validation only carries the input message
    "code": (None, None),
}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def resolve_forms(cat: Compiled, names: Iterable[str]) -> list[FormDef]:
    """The forms named (code, id or sheet name, or `all`), each lead form followed by its members."""
    wanted: set[str] = set()
    for name in names:
        if name.strip().lower() == "all":
            wanted |= set(cat.forms)
            continue
        form = cat.find_form(name)
        if form is None:
            known = "、".join(f.code for f in cat.forms.values() if not f.member_of)
            raise UsageProblem(f"没有这个表单 / no such form: {name}（可选 / known: {known}、all）")
        wanted |= {form.id, *(m.id for m in cat.members_of(form.id))}
    if not wanted:
        raise UsageProblem("请指定表单 / name a form: 表1|表2|表3|表4|all")
    return [f for f in cat.forms.values() if f.id in wanted]  # catalogue order: a lead before its members


def sheet_name(form: FormDef, taken: Iterable[str] = ()) -> str:
    """The form's code as an Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    base = _SHEET_BAD.sub("_", form.code).strip("'")[:31] or form.id
    name, n = base, 2
    while name in set(taken):
        name = f"{base[:28]}({n})"
        n += 1
    return name


def build_template(cat: Compiled, forms: Sequence[str | FormDef], lang: str = "zh", members: int = 1) -> Workbook:
    """A workbook with one sheet per form (names are resolved as by `resolve_forms`) and 指标计算;
    `members` sheets of each member form whose lead is in it."""
    return build_with_audit(cat, forms, lang, members)[0]


def build_with_audit(cat: Compiled, forms: Sequence[str | FormDef], lang: str = "zh",
                     members: int = 1) -> tuple[Workbook, live.Audit]:
    """The workbook, and what its live audit holds: the checks it could not translate, the order of
    the indicator rows (see live.Audit).

    A member sheet copied by hand is not in the lead's live cross-form checks (a formula cannot
    name a sheet that did not exist), so `members` asks for enough of them up front; one deleted
    later drops out of the live checks as it drops out of `yjzl validate`."""
    import openpyxl
    from openpyxl.packaging.custom import StringProperty

    resolved = [f for f in forms if isinstance(f, FormDef)]
    names = [f for f in forms if isinstance(f, str)]
    if names or not resolved:
        resolved += [f for f in resolve_forms(cat, names) if f not in resolved]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets: dict[str, str] = {}
    rows: dict[str, dict[str, int]] = {}
    ids = {f.id for f in resolved}
    for form in resolved:
        for _ in range(max(1, members) if form.member_of in ids else 1):
            name = sheet_name(form, sheets)
            sheets[name] = form.id
            rows[name] = _sheet(wb.create_sheet(name), cat, form, lang)
    audit = live.add_live_audit(wb, cat, sheets, rows, HEADER_ROW + 1, SUMMARY_ROW, COLS, lang)
    label = cat.label
    marked = {**sheets, wb.worksheets[-1].title: LIVE_SHEET}  # the indicator sheet: validate skips it
    wb.custom_doc_props.append(StringProperty(name=TEMPLATE_PROPERTY, value=json.dumps(marked, ensure_ascii=False)))
    wb.custom_doc_props.append(StringProperty(name=CATALOGUE_PROPERTY, value=label))
    if cat.overlay_files:
        wb.custom_doc_props.append(StringProperty(name=OVERLAYS_PROPERTY, value="、".join(cat.overlay_files)))
    wb.properties.title = "填报模板 " + "、".join(sheets)
    wb.properties.subject = cat.source.catalogue.name
    wb.properties.creator = "yjzl"
    wb.properties.description = f"yjzl template; catalogue {label}"
    return wb, audit


def write_template(cat: Compiled, forms: Sequence[str | FormDef], out: str | Path, lang: str = "zh",
                   inputs: Iterable[str | Path] = (), force: bool = False, members: int = 1) -> Path:
    """Build and write atomically; never over one of `inputs` (the catalogue, overlays), and over an
    existing file only with `force`."""
    from yjzl.output import ignored_errors
    from yjzl.output.atomic import guard, write_bytes

    out = Path(out)
    guard(out, inputs)
    if out.suffix.lower() != ".xlsx":  # Excel warns about a file whose extension does not match its format
        raise UsageProblem(f"{out}: 输出文件应以 .xlsx 结尾 / the output must be an .xlsx file")
    if out.exists() and not force:  # it may be a workbook someone has already filled in
        raise UsageProblem(f"{out}: 文件已存在，如需覆盖请加 --force / the file exists: add --force to overwrite it")
    wb = build_template(cat, forms, lang, members)
    # The value cells are text on purpose (`--`): no "number stored as text" triangle on every number typed.
    write_bytes(out, ignored_errors.save(wb, ignored_errors.numbers_as_text(wb)))
    return out


def _layout_rows(form: FormDef) -> list[tuple[int, Any]]:
    """(depth, section) for each heading and (-1, field) for each field, in document order.

    A field's section heading is printed before it with every ancestor not printed yet, so a
    field that opens 1. under （一） under 一、 brings all three.
    """
    sections = {s.id: s for s in form.sections}
    printed: set[str] = set()
    out: list[tuple[int, Any]] = []
    for f in form.fields:
        if f.hidden:  # an overlay left this national field out of its templates (reason in the catalogue)
            continue
        chain, sid = [], f.section
        while sid and sid in sections and sid not in printed:
            chain.append(sections[sid])
            sid = sections[sid].parent
        for s in reversed(chain):
            depth, p = 0, s.parent
            while p in sections:
                depth, p = depth + 1, sections[p].parent
            out.append((depth, s))
            printed.add(s.id)
        out.append((-1, f))
    return out


def _sheet(ws: Worksheet, cat: Compiled, form: FormDef, lang: str) -> dict[str, int]:
    """Lay the form out; return the row of each field."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    from yjzl.output.xlsx_sheet import put_text

    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    unlocked = Protection(locked=False)

    put_text(ws, TITLE_ROW, 1, f"{form.code} {form.title}").font = Font(bold=True, size=14)
    for col, text in enumerate(HEADER, start=1):
        c = ws.cell(HEADER_ROW, col, text)
        c.font, c.border, c.alignment = Font(bold=True), border, Alignment(horizontal="center", vertical="center")
        c.fill = PatternFill("solid", fgColor=FILL_HEADER)

    rows = _layout_rows(form)
    # The value cell of every field first: a prompt may name another field's cell (a repeated item).
    cell_of, r = {}, HEADER_ROW
    for depth, item in rows:
        r += 1
        if depth < 0:
            cell_of[item.id] = f"{VALUE_COL}{r}"
    groups: dict[tuple, list[int]] = {}
    r, n = HEADER_ROW, 0
    for depth, item in rows:
        r += 1
        if depth >= 0:
            c = put_text(ws, r, 2, item.label)
            c.font, c.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="center", indent=depth)
            _fit_height(ws, r, item.label, 2 * depth)
            for col in range(1, LAST_COL + 1):
                ws.cell(r, col).fill = PatternFill("solid", fgColor=FILL_HEADING)
                ws.cell(r, col).border = border
            continue
        f: FieldDef = item
        n += 1
        ws.cell(r, 1, n).alignment = Alignment(horizontal="center", vertical="center")
        put_text(ws, r, 2, f.label + messages.marks(f)).alignment = wrap  # catalogue text is text, whatever it starts with
        _fit_height(ws, r, f.label + messages.marks(f))
        put_text(ws, r, 5, f.unit or "").alignment = Alignment(horizontal="center", vertical="center")
        value, note = ws.cell(r, 3), ws.cell(r, LAST_COL)
        value.protection = note.protection = unlocked
        value.fill = PatternFill("solid", fgColor=FILL_VALUE)
        value.alignment = Alignment(vertical="center")
        note.alignment = wrap
        # Text format on every value cell: 0012 and 12345678-9 stay as typed, and a bare `--` is text, not
        # the start of a formula that Excel and WPS refuse; numbers typed here are read by VALUE() (live.py).
        value.number_format = "@"
        for col in range(1, LAST_COL + 1):
            ws.cell(r, col).border = border
        key = (f.kind, messages.title(f, lang), messages.prompt(cat, form, f, lang, cell_of))
        groups.setdefault(key, []).append(r)
    _validations(ws, groups, lang, [r for rs in groups.values() for r in rs])
    from yjzl.output.words import catalogue_name

    _page(ws, r, catalogue_name(cat, lang))  # the footer people read: the catalogue by name, not by id
    return {fid: int(ref[len(VALUE_COL):]) for fid, ref in cell_of.items()}


def _fit_height(ws: Worksheet, row: int, label: str, indent: int = 0) -> None:
    """Give a row whose label wraps the height of its lines.

    Excel does not grow a row for wrapped text it did not type itself, so a long label would
    show one line only. A CJK character is two width units, as in a column width.
    """
    from yjzl.output.xlsx_sheet import display_width

    width = indent + display_width(label)
    lines = math.ceil(width / (WIDTHS["B"] - 2))
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * lines + 2


def _ranges(col: str, rows: list[int]) -> str:
    """Rows as a space-separated sqref of runs: C3:C5 C8 (fewer, shorter ranges for Excel)."""
    out, rows = [], sorted(rows)
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
        if r is not None:
            start = prev = r
    return " ".join(out)


def _validations(ws: Worksheet, groups: dict[tuple, list[int]], lang: str, note_rows: list[int]) -> None:
    """One DataValidation per distinct (kind, title, prompt), over all its cells.

    A cell may carry one validation only (two overlapping ones make Excel repair the file),
    and the input message belongs to the validation, so cells share one only when their
    messages agree. A custom formula is written for the first cell of the sqref; Excel
    shifts it relative to each other cell.
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    for (kind, title, prompt), rows in groups.items():
        vtype, formula = RULES[kind]
        first = f"{VALUE_COL}{min(rows)}"
        dv = DataValidation(type=vtype, formula1=formula.format(c=first) if formula else None, allow_blank=True,
                            showInputMessage=True, promptTitle=title, prompt=prompt)
        if vtype:
            dv.showErrorMessage, dv.errorStyle = True, "stop"
            dv.errorTitle, dv.error = messages.error(kind, lang)
        dv.sqref = _ranges(VALUE_COL, rows)
        ws.add_data_validation(dv)
    if note_rows:
        title, prompt = messages.note_prompt(lang)
        dv = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=title, prompt=prompt)
        dv.sqref = _ranges(NOTE_COL, note_rows)
        ws.add_data_validation(dv)


def _page(ws: Worksheet, last_row: int, label: str) -> None:
    """Locked labels, a frozen header, readable columns, A4 portrait fitted to the page width."""
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{NOTE_COL}{last_row}"  # e.g. only the rows whose 审核 says something
    # No password: protection guards against typing over a label, not against the user.
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # False = allowed: people may still widen a column
    ws.protection.formatRows = False
    ws.protection.autoFilter = False  # False = allowed: the filter works on the protected sheet
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{NOTE_COL}{last_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.left.text = label.replace("&", "&&")
    ws.oddFooter.right.text = "&P / &N"
