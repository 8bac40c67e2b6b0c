"""The live audit of a template: what Excel, WPS or LibreOffice recalculate while people type.

On every form sheet (columns of build.py):
- a hidden column of normalised values (NORM_COL): the value cell as yjzl validate reads it, a
  number, or "" for a blank, `--` or anything it would not read as a number (`normalise`);
- a hidden column of check statuses (STATUS_COL): one cell per way a check can fail (one finding
  of `yjzl validate`), 0 or formulas.LOGIC / PENDING / EXPLAINED;
- a hidden column of entry statuses (ENTRY_COL, entries.entry_status): a required cell blank, an
  entry that is not a number or `--`, a percentage typed as a fraction;
- the 审核 column: per field row, the short reasons of the failing checks that read the row;
- a summary in the row above the header, and conditional formatting (red: logic, yellow: plausibility).
Then a sheet 指标计算 with every indicator of every form sheet, computed by formula.
All formulas come from formulas.py; nothing here knows a check or an indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.describe import check_text, namer
from yjzl.period import ENDS_MIDYEAR
from yjzl.template import entries, formulas, messages
from yjzl.template.messages import t

WIDTHS_AUDIT = 48  # the 审核 column's width (build.WIDTHS["D"]); rows are made tall enough for its text
LINE_HEIGHT = 15
TEXTS_SIZED = 2  # a row is made tall enough for this many of its checks' texts at once (_audit_column)
if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

NORM_COL, STATUS_COL, ENTRY_COL, CHECK_COL = "H", "I", "J", "K"  # CHECK_COL: a code's expected check character
FILL_LOGIC, FILL_PLAUSIBILITY = "FFC7CE", "FFEB9C"  # Excel's own "bad" red and "neutral" yellow
FONT_LOGIC, FONT_PLAUSIBILITY = "9C0006", "9C5700"
FILL_BLANK, FONT_BLANK, BLANK_MARK = "FCE4D6", "833C0B", "●"  # a blank required row, once the filler has started
OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


@dataclass(slots=True)
class Audit:
    """What the live audit could not translate: shown on the rows and counted for the README."""

    untranslated_checks: dict[str, list[str]] = field(default_factory=dict)  # sheet → check ids
    trend_indicators: int = 0
    indicator_rows: list[tuple[str, str]] = field(default_factory=list)  # (sheet, indicator id), sheet order
    sheets: dict[str, str] = field(default_factory=dict)  # form sheet → form id


def add_live_audit(wb: Workbook, cat: Compiled, sheets: dict[str, str], rows: dict[str, dict[str, int]],
                   first_row: int, summary_row: int, cols: dict[str, str], lang: str) -> Audit:
    """Add the audit to the form sheets of `wb` (sheet → form id; rows[sheet][field id] = row)."""
    book = formulas.Book(cat, sheets, rows, NORM_COL, cols["note"], cat.default_period())
    audit = Audit(sheets=dict(sheets))
    for sheet, form_id in sheets.items():
        ws = wb[sheet]
        for f in cat.forms[form_id].fields:
            if f.id not in rows[sheet]:
                continue
            r = rows[sheet][f.id]
            value, norm = f"{cols['value']}{r}", f"{NORM_COL}{r}"
            check = None
            if f.kind == "code":  # the code compacted, and the check character it should end with
                ws[norm] = "=" + entries.compact_code(value)
                check = f"{CHECK_COL}{r}"
                ws[check] = "=" + entries.expected_check(norm)
            elif f.kind != "text":
                ws[norm] = "=" + entries.normalise(f.kind, value)
            required = not (f.optional or f.condition or f.duplicate_of)
            status = entries.entry_status(f.kind, value, norm, f"{cols['note']}{r}", required, check)
            if status != str(entries.OK):  # a constant 0 is what an empty cell counts as: one formula fewer to read
                ws[f"{ENTRY_COL}{r}"] = "=" + status
        for col in (NORM_COL, STATUS_COL, ENTRY_COL, CHECK_COL):
            ws.column_dimensions[col].hidden = True
        if rows[sheet]:  # the filler has started: blank required rows are marked clearly from then on
            values = f"${cols['value']}${min(rows[sheet].values())}:${cols['value']}${max(rows[sheet].values())}"
            ws[f"{ENTRY_COL}{summary_row}"] = f"=COUNTA({values})>0"
    shown: dict[tuple[str, str], list[str]] = {}  # (sheet, field id) → IF() pieces of its 审核 text
    settled: dict[tuple[str, str], list[str]] = {}  # (sheet, field id) → conditions: a warning it reads is explained
    sizes: dict[tuple[str, str], list[int]] = {}  # (sheet, field id) → the longest text of each check on the row
    notes: dict[tuple[str, str], list[str]] = {}  # (sheet, field id) → checks not translated
    status_rows: dict[str, list[int]] = {}
    for sheet, form_id in sheets.items():
        ws, n = wb[sheet], first_row
        for check in cat.checks_for(form_id):
            if check.defn.across and not book.members(sheet, check.defn.across):
                continue  # no member sheet in this workbook: yjzl validate skips it too
            try:
                live = formulas.live_check(check, book, sheet, namer(cat, form_id, lang, period=book.period))
                live.first_status_row = n
                pieces, explained, longest = _pieces(live, book, cat, lang)
            except formulas.Untranslatable:
                audit.untranslated_checks.setdefault(sheet, []).append(check.id)
                said = check_text(cat, check, form_id, lang)  # in words: no internal id in what a person reads
                for fid in sorted({f for node in check.nodes for f in expr.fields(node)}):
                    notes.setdefault((sheet, fid), []).append(said)
                continue
            for status in live.status:
                ws[f"{STATUS_COL}{n}"] = "=" + status
                status_rows.setdefault(sheet, []).append(n)
                n += 1
            for key, piece in pieces.items():
                shown.setdefault(key, []).extend(piece)
            for key, cond in explained.items():
                settled.setdefault(key, []).extend(cond)
            for key, width in longest.items():
                sizes.setdefault(key, []).append(width)
    _audit_column(wb, cat, sheets, rows, cols, (shown, settled, sizes), notes, (summary_row, lang))
    for sheet in sheets:
        _summary(wb[sheet], rows[sheet], status_rows.get(sheet, []), summary_row, lang,
                 len(audit.untranslated_checks.get(sheet, [])))
        _colours(wb[sheet], first_row, max(rows[sheet].values(), default=first_row), cols)
    _indicator_sheet(wb, cat, book, audit, cols, lang)
    return audit


def _pieces(live: formulas.LiveCheck, book: formulas.Book, cat: Compiled, lang: str
            ) -> tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], list[str]], dict[tuple[str, str], int]]:
    """For every row the check reads: one IF() per failure, the row's short text when it fails; the
    conditions under which the check is an explained warning (the row shows ✓ only when its own 说明 is
    written, once: _audit_column); and the width of its longest text on the row (for the row's height)."""
    check, sheet = live.check, live.sheet
    catalogue = check.defn.message or cat.source.messages.get(check.defn.rule)
    whole = ((catalogue.en or catalogue.zh) if lang == "en" else catalogue.zh) if catalogue else check.id
    mark = messages.MARKS[check.severity]
    out: dict[tuple[str, str], list[str]] = {}
    settled: dict[tuple[str, str], list[str]] = {}
    longest: dict[tuple[str, str], int] = {}
    by_here: dict[str, list[formulas.Failure]] = {}
    for row_sheet, fid in live.rows:
        if row_sheet not in by_here:  # the message's values, as read from the row's own sheet
            ctx = formulas.Ctx(book, sheet, row_sheet)
            by_here[row_sheet] = formulas.KINDS[check.defn.rule](check, ctx, namer(cat, book.sheets[sheet], lang))
        key = (row_sheet, fid)
        for i, fail in enumerate(by_here[row_sheet]):
            side = next((k for k, fids in fail.sides.items() if fid in fids and row_sheet == sheet), None)
            template = t(lang, messages.ROW_TEXTS[side]) if side else whole
            msg = formulas.fill(mark + template + " ", fail.args)
            longest[key] = max(longest.get(key, 0), _estimate(mark + template, fail.args))
            cell = f"${STATUS_COL}${live.first_status_row + i}"
            st = cell if row_sheet == sheet else f"{formulas.quote(sheet)}!{cell}"
            if check.severity == "logic":
                piece = f'IF({st}={formulas.LOGIC},{msg},"")'
            else:
                piece = f'IF({st}={formulas.PENDING},{msg},"")'
                settled.setdefault(key, []).append(f"{st}={formulas.EXPLAINED}")
            out.setdefault(key, []).append(piece)
    return out, settled, longest


def _estimate(template: str, args: dict[str, str]) -> int:
    """The display width of a message once filled: a literal argument as written, a value as ten characters."""
    import string

    from yjzl.output.xlsx_sheet import display_width

    text = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        text.append(literal)
        if name is not None:
            arg = args.get(name, "")
            literal_arg = arg.startswith('"') and arg.endswith('"') and '"' not in arg[1:-1].replace('""', "")
            text.append(arg[1:-1].replace('""', '"') if literal_arg else "0" * 10)
    return display_width("".join(text))


def _audit_column(wb: Workbook, cat: Compiled, sheets: dict[str, str], rows: dict[str, dict[str, int]],
                  cols: dict[str, str], found: tuple[dict, dict, dict], notes: dict, where: tuple[int, str]) -> None:
    """The 审核 text of every field row, and a row height that holds it whole (no program grows a row for
    the result of a formula): the longest text of each check that reads the row, one check under the other."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment

    from yjzl.output.xlsx_sheet import display_width, lines

    shown, settled, sizes = found
    summary_row, lang = where
    for sheet in sheets:
        ws = wb[sheet]
        fields = cat.fields[sheets[sheet]]
        started = f"${ENTRY_COL}${summary_row}"
        for fid, r in rows[sheet].items():
            cell = ws[f"{cols['audit']}{r}"]
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            kind = fields[fid].kind
            entry = _entry_pieces(kind, f"${ENTRY_COL}${r}", f"${CHECK_COL}${r}", started, lang)
            note = f"${cols['note']}{r}"
            done = [*settled.get((sheet, fid), []), *_entry_settled(kind, f"${ENTRY_COL}${r}")]
            tick = []
            if done:  # ✓ once, and only on a row whose own 说明 settles something
                either = done[0] if len(done) == 1 else f"OR({','.join(done)})"
                tick = [f'IF(AND(LEN(TRIM({note}))>0,{either}),{formulas.text(t(lang, messages.EXPLAINED))},"")']
            pieces = [*entry, *shown.get((sheet, fid), []), *tick]
            if pieces:
                cell.value = "=TRIM(" + "&".join(pieces) + ")"
            if (sheet, fid) in notes:
                text = t(lang, messages.UNTRANSLATED) + "\n" + "\n".join(notes[(sheet, fid)])
                cell.comment = Comment(text, "yjzl")
            # An entry's own text (wrong, blank) and the checks' (which need a readable entry) never show together.
            own = max((display_width(str(t(lang, x))) + 2 for x in _entry_texts(kind)), default=0)
            # Sized for the two longest texts failing at once (a wrong value often fails two checks); every
            # check on a busy row at once would make an empty form's rows ten lines tall. The text starts at
            # the top of the cell, so what does not fit is its end, never its beginning.
            longest = sorted((lines("x" * w, WIDTHS_AUDIT) for w in sizes.get((sheet, fid), [])), reverse=True)[:TEXTS_SIZED]
            checks = sum(longest) + (1 if tick else 0)
            need = max(lines("x" * own, WIDTHS_AUDIT) if own else 1, checks)
            height = LINE_HEIGHT * need + 4
            if need > 1 and (ws.row_dimensions[r].height or 0) < height:
                ws.row_dimensions[r].height = height


def _entry_texts(kind: str) -> list[tuple[str, str]]:
    """The texts an entry of this kind can show on its row (for the row's height)."""
    out = [messages.ERRORS[kind]] if kind in messages.ERRORS else []
    if kind == "percent":
        out.append(messages.FRACTION)
    if kind == "code":
        out.append(("".join(messages.CODE_WRONG[0]) + "X", "".join(messages.CODE_WRONG[1]) + "X"))
    return [*out, messages.BLANK[_blank_kind(kind)]]


def _blank_kind(kind: str) -> str:
    return "text" if kind in ("text", "code") else "yesno" if kind == "yesno" else "number"


def _entry_pieces(kind: str, status: str, check: str, started: str, lang: str) -> list[str]:
    """The 审核 text of a wrong entry (✗), a percentage that looks like a fraction or a code whose check digit
    is wrong (⚠), a blank required cell (○ 必填, quietly, while the sheet is new; ● 尚未填写 with what to type
    once the filler has typed anything), each in the words of the field's kind."""
    out = []
    if kind in messages.ERRORS:
        wrong = formulas.text(messages.MARKS["logic"] + t(lang, messages.ERRORS[kind]) + " ")
        out.append(f'IF({status}={entries.INVALID},{wrong},"")')
    if kind == "percent":
        pending = formulas.text(messages.MARKS["plausibility"] + t(lang, messages.FRACTION) + " ")
        out.append(f'IF({status}={entries.FRACTION},{pending},"")')
    if kind == "code":
        head, tail = t(lang, messages.CODE_WRONG)
        out.append(f'IF({status}={entries.CODE_WRONG},{formulas.text(messages.MARKS["plausibility"] + head)}&{check}'
                   f'&{formulas.text(tail + " ")},"")')
    quiet = formulas.text(t(lang, messages.REQUIRED) + " ")
    loud = formulas.text(t(lang, messages.BLANK[_blank_kind(kind)]) + " ")
    out.append(f'IF({status}={entries.BLANK_REQUIRED},IF({started},{loud},{quiet}),"")')
    return out


def _entry_settled(kind: str, status: str) -> list[str]:
    """The entry statuses a 说明 on the row has settled (a fraction in a per-cent field, a code's check digit)."""
    return ([f"{status}={entries.FRACTION_EXPLAINED}"] if kind == "percent" else []) + \
        ([f"{status}={entries.CODE_EXPLAINED}"] if kind == "code" else [])


def _summary(ws: Worksheet, rows: dict[str, int], status: list[int], summary_row: int, lang: str, later: int = 0) -> None:
    """逻辑审核 N 处错误、合理性审核 M 处待说明、K 项未填或填写有误, and 可以上报 when all three are 0; and how
    many checks of the sheet have no formula (`later`: run on submission), so 可以上报 promises no more
    than the sheet checked."""
    from openpyxl.styles import Font

    words = t(lang, messages.SUMMARY)
    rng = f"${STATUS_COL}${min(status)}:${STATUS_COL}${max(status)}" if status else None
    entry = f"${ENTRY_COL}${min(rows.values())}:${ENTRY_COL}${max(rows.values())}"
    logic = f"COUNTIF({rng},{formulas.LOGIC})" if rng else "0"
    pending = ((f"COUNTIF({rng},{formulas.PENDING})+" if rng else "") + f"COUNTIF({entry},{entries.FRACTION})"
               f"+COUNTIF({entry},{entries.CODE_WRONG})")
    blank = f"COUNTIF({entry},{entries.INVALID})+COUNTIF({entry},{entries.BLANK_REQUIRED})"
    formula = (f'={formulas.text(words[0])}&{logic}&{formulas.text(words[1])}&({pending})&{formulas.text(words[2])}'
               f'&({blank})&{formulas.text(words[3])}&IF(AND({logic}=0,({pending})=0,({blank})=0),'
               f'{formulas.text(words[4])},{formulas.text(words[5])})')
    if later:
        formula += "&" + formulas.text(str(t(lang, messages.ONLY_ON_SUBMISSION)).format(n=later))
    cell = ws.cell(summary_row, 2, formula)
    cell.font = Font(bold=True, color="C00000")


def _colours(ws: Worksheet, first: int, last: int, cols: dict[str, str]) -> None:
    """Value and 审核 cells turn red on a logic failure, yellow on a plausibility failure to explain, orange on a
    blank required row once the filler has started (grey text before)."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    audit = f"${cols['audit']}{first}"
    area = f"{cols['value']}{first}:{cols['audit']}{last}"
    for mark, fill, font in (("✗", FILL_LOGIC, FONT_LOGIC), ("⚠", FILL_PLAUSIBILITY, FONT_PLAUSIBILITY),
                             (BLANK_MARK, FILL_BLANK, FONT_BLANK)):
        ws.conditional_formatting.add(area, FormulaRule(
            formula=[f'ISNUMBER(SEARCH("{mark}",{audit}))'], stopIfTrue=True,
            fill=PatternFill("solid", start_color=fill, end_color=fill), font=Font(color=font)))
    # the quiet mark of a new sheet: grey, no fill
    ws.conditional_formatting.add(f"{cols['audit']}{first}:{cols['audit']}{last}", FormulaRule(
        formula=[f'ISNUMBER(SEARCH("○",{audit}))'], stopIfTrue=True, font=Font(color="A6A6A6")))


def _indicator_sheet(wb: Workbook, cat: Compiled, book: formulas.Book, audit: Audit, cols: dict[str, str], lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    from yjzl.output.xlsx_sheet import put_text

    ws = wb.create_sheet(t(lang, messages.INDICATOR_SHEET))  # type: ignore[arg-type]
    ws.cell(1, 1, t(lang, messages.INDICATOR_TITLE)).font = Font(bold=True, size=13)
    for col, head in enumerate(t(lang, messages.INDICATOR_HEADER), start=1):  # type: ignore[arg-type]
        c = ws.cell(2, col, head)
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="D9E1F2")
    r = 2
    for sheet, form_id in book.sheets.items():
        period = next((f.id for f in cat.forms[form_id].fields if f.role == "period"), None)
        for ind in cat.indicators_for(form_id):
            r += 1
            audit.indicator_rows.append((sheet, ind.id))
            put_text(ws, r, 1, sheet)
            put_text(ws, r, 2, (ind.defn.name_en or ind.defn.name) if lang == "en" else ind.defn.name)
            put_text(ws, r, 6, ind.defn.unit or "")
            try:
                live = formulas.live_indicator(ind, book, sheet, ws.title, t(lang, messages.ZERO))  # type: ignore[arg-type]
            except formulas.Untranslatable:
                audit.trend_indicators += 1
                ws.cell(r, 9, t(lang, messages.TREND))
                continue
            ws.cell(r, 3, "=" + live.numerator)
            ws.cell(r, 4, "=" + live.denominator)
            ws.cell(r, 5, "=" + live.value)
            ws.cell(r, 9, "=" + live.note)
            _targets(ws, r, ind, book, sheet, period, cols['value'], lang)
    widths = dict(zip("ABCDEFGHI", (14, 40, 11, 11, 10, 7, 11, 11, 30)))
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3, max_row=r, min_col=2, max_col=9):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="center")
    from yjzl.output.xlsx_sheet import lines, page

    longest_note = max(len(str(t(lang, m))) * 2 for m in (messages.ZERO, messages.TREND))  # what column I may say
    for row in range(3, r + 1):  # a wrapped name or note, whole: no program grows a row for a formula's text
        need = max(lines(ws.cell(row, 2).value or "", widths["B"]), lines("x" * longest_note, widths["I"]),
                   lines(str(ws.cell(row, 7).value or ""), widths["G"]))
        if need > 1:
            ws.row_dimensions[row].height = LINE_HEIGHT * need + 4
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:I{max(r, 3)}"
    page(ws, sum(widths.values()), "1:2", t(lang, messages.INDICATOR_SHEET), portrait=True)  # type: ignore[arg-type]
    ws.print_area = f"A1:I{max(r, 2)}"
    ws.protection.sheet = True  # no password, as the form sheets: nothing here is typed
    ws.protection.formatColumns = ws.protection.formatRows = False
    ws.protection.autoFilter = False  # the filter stays usable on the protected sheet


def _targets(ws: Worksheet, r: int, ind, book: formulas.Book, sheet: str, period: str | None, col: str, lang: str) -> None:
    """Target and 达标/未达标/未到期: the value as shown (rounded) against each target (indicators.meets).

    A target with a due year (`by`, where the catalogue gives one) is 未到期 while the form's period ends before
    that year's 12-31, as `Period.is_due` reads it: an earlier year, or the same year's first half (上半年, H1 …);
    a blank or unreadable 统计年度 is the catalogue's default period (a constant of the template, as in validate).
    """
    if not ind.targets:
        return
    value = f"$E${r}"
    texts, states = [], []
    year = midyear = None
    if period is not None and period in book.rows[sheet]:
        cell = book.ref(sheet, period, ws.title, col=col)
        year = f"VALUE(LEFT(TRIM({cell}),4))"
        midyear = "OR(" + ",".join(f"ISNUMBER(SEARCH({formulas.text(w)},{cell}))" for w in ENDS_MIDYEAR) + ")"
    for tg in ind.targets:
        texts.append(f"{OPS[tg.op]}{formulas.number(tg.value)}")
        met, no = formulas.text(t(lang, messages.MET)), formulas.text(t(lang, messages.NOT_MET))
        by = getattr(tg, "by", None)
        if by is not None:
            due = formulas.text(t(lang, messages.NOT_DUE))
            default = due if book.period is not None and not book.period.is_due(int(by)) else no
            no = (f"IF(ISERROR({year}),{default},IF(OR({year}<{int(by)},AND({year}={int(by)},{midyear})),{due},{no}))"
                  if year is not None else default)
        states.append(f"IF({_met(tg, value)},{met},{no})")
    ws.cell(r, 7, "；".join(texts))  # the operator and value; an approximation's tolerance is in the catalogue
    joined = '&"；"&'.join(states)
    ws.cell(r, 8, f'=IF(ISNUMBER({value}),{joined},"")')


def _met(tg, value: str) -> str:
    """indicators' target test on the shown value: an approximation's `tolerance` (where the catalogue
    has one) widens the lenient side; == is within the tolerance."""
    tol = getattr(tg, "tolerance", None) or 0.0
    target = formulas.number(tg.value)
    if tg.op == "==":
        return f"ABS({value}-{target})<={formulas.number(tol)}+1E-9"
    if not tol:
        return f"{value}{tg.op}{target}"
    bound = formulas.number(tg.value - tol if tg.op in (">=", ">") else tg.value + tol)
    return f"{value}{tg.op}{bound}"
