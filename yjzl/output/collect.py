"""`yjzl collect`: many submissions (workbooks, tables) into one summary table per form.

Each form gets a sheet named by its code (表3, 表3（成员单位）…), which `yjzl` reads
back as a summary table: 序号, then every field in catalogue order under its printed
label (a label printed twice gets two columns, the second marked （重复项）, read back in order), a `<label>说明`
column after a field that has an explanation somewhere, a 所属医联体 column for
member forms (the lead's code or name, so that the round trip pairs members with
their lead as the workbooks did), then where the row came from and its audit
(errors and warnings, cross-form checks included). Values are written as read: a
number as a number, `--` as `--`, what could not be read as it was typed, a blank
as a blank. A second header row holds each field's unit. Files that could not
be read are listed on a last sheet, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.expr import MISSING
from yjzl.workbook.model import FormData, WorkbookData
from yjzl.workbook.own import UNREADABLE_HEADERS

UNREADABLE_SHEET = "未能读取的文件"
REPEATED = "（重复项）"  # folded away by yjzl.text.label_key when the table is read back


@dataclass(slots=True)
class Collected:
    """What was gathered: rows per form id (in catalogue order) and the files that could not be read."""

    forms: dict[str, list[list[object]]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    units: dict[str, list[str]] = field(default_factory=dict)  # each header's unit ("" for none): a second header row
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    @property
    def submissions(self) -> int:
        return sum(len(rows) for rows in self.forms.values())


def _cell(data: FormData, fid: str) -> object:
    fv = data.values.get(fid)
    if fv is None:
        return None
    if fv.value is MISSING:
        return "--"
    if fv.value is None:
        return fv.raw  # typed but unreadable (约100): kept as typed; blank stays blank
    return int(fv.value) if isinstance(fv.value, float) and fv.value.is_integer() else fv.value


def _leads(cat: Compiled, books: Sequence[WorkbookData]) -> dict[int, str]:
    """A member form's lead, by id(member): its own 所属医联体, else the one lead of its form in its workbook."""
    out: dict[int, str] = {}
    for book in books:
        for data in book.forms:
            lead_form = cat.forms[data.form_id].member_of
            if not lead_form:
                continue
            if data.consortium:
                out[id(data)] = data.consortium
                continue
            leads = [f for f in book.forms if f.form_id == lead_form and f.row is None]
            if len(leads) == 1 and data.row is None:
                roles = {f.role: f.id for f in cat.forms[lead_form].fields if f.role}
                who = next((t for r in ("code", "name") if r in roles and (t := leads[0].text(roles[r]))), None)
                if who:
                    out[id(data)] = who
    return out


def gather(cat: Compiled, books: Sequence[WorkbookData], unreadable: Sequence[tuple[str, str]]) -> Collected:
    """Audit the read submissions together (so cross-form checks meet) and lay them out as rows."""
    from yjzl.rules.engine import findings_by_submission

    audit = iter([(sum(1 for f in fs if f.severity == "error"), sum(1 for f in fs if f.severity == "warning"))
                  for fs in findings_by_submission(cat, books)])
    leads = _leads(cat, books)
    by_form: dict[str, list[tuple[FormData, tuple[int, int]]]] = {}
    for book in books:
        for data in book.forms:
            by_form.setdefault(data.form_id, []).append((data, next(audit)))
    out = Collected(unreadable=list(unreadable))
    for form_id, form in cat.forms.items():
        subs = by_form.get(form_id)
        if not subs:
            continue
        fields = [f for f in form.fields if not f.supplement or any(f.id in d.values for d, _ in subs)]
        noted = {f.id for f in fields if any(d.values.get(f.id) and d.values[f.id].explanation for d, _ in subs)}
        header, units = ["序号"], [""]
        for f in fields:
            # an item the documents print twice: its second column says so, every header unique (read in order)
            header.append(f.label + (REPEATED if f.label in header else ""))
            units.append(f.unit or "")
            if f.id in noted:
                header.append(f"{header[-1]}说明")
                units.append("")
        member = bool(form.member_of)
        header += (["所属医联体"] if member else []) + ["来源文件", "来源工作表", "错误数", "警告数"]
        units += [""] * (len(header) - len(units))
        rows = []
        for n, (data, (errors, warnings)) in enumerate(subs, 1):
            row: list[object] = [n]
            for f in fields:
                row.append(_cell(data, f.id))
                if f.id in noted:
                    fv = data.values.get(f.id)
                    row.append(fv.explanation if fv else None)
            where = data.sheet if data.row is None else f"{data.sheet} 第{data.row}行"
            row += ([leads.get(id(data))] if member else []) + [data.file, where, errors, warnings]
            rows.append(row)
        out.forms[form_id] = rows
        out.headers[form_id] = header
        out.units[form_id] = units
    return out


def write(path: Path, cat: Compiled, collected: Collected) -> None:
    """The summary workbook, written atomically through yjzl.output.xlsx_sheet (openpyxl's write-only mode:
    rows stream to disk). A two-row header, label then unit, which the summary layout reads back; the
    list of unreadable files is yjzl's own sheet (never read as a form)."""
    import openpyxl

    from yjzl.output import xlsx_sheet as X
    from yjzl.output.atomic import write_bytes

    def produce(tmp: Path) -> None:
        wb = openpyxl.Workbook(write_only=True)
        for form_id, rows in collected.forms.items():
            units = collected.units.get(form_id, [])
            heads = [X.Column(h, unit=units[i] if i < len(units) else "") for i, h in enumerate(collected.headers[form_id])]
            X.table(wb, cat.forms[form_id].code, heads, rows, freeze_cols=_name_column(cat, form_id, collected),
                    footer=cat.forms[form_id].code)
        own = []
        if collected.unreadable or not collected.forms:
            X.table(wb, UNREADABLE_SHEET, [UNREADABLE_HEADERS[0], X.Column(UNREADABLE_HEADERS[1], wrap=True)],
                    [list(x) for x in collected.unreadable], footer=UNREADABLE_SHEET)
            own.append(UNREADABLE_SHEET)
        X.mark(wb, "collect", own)
        wb.save(tmp)

    write_bytes(path, produce)


def _name_column(cat: Compiled, form_id: str, collected: Collected) -> int:
    """The columns that stay in view when scrolling right: 序号 and the submitter's name, when it has one."""
    fields = cat.forms[form_id].fields
    name = next((f.label for f in fields if f.role == "name"), None)
    header = collected.headers[form_id]
    return header.index(name) + 1 if name in header else 1
