"""Audit read workbooks against the catalogue: input issues, checks, cross-form checks.

One run may hold several forms (in one workbook or several files). Cross-form
checks (`across:`) see a lead form with its member forms: members in the same
workbook as their lead, or, when the run holds exactly one lead of that form,
every member of the run. A 表1 sees every 表2 of the run the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Check, Compiled
from yjzl.catalogue.describe import namer
from yjzl.period import Period, PeriodError, reads_period
from yjzl.period import getter as period_getter
from yjzl.period import parse as period_parse
from yjzl.report import Audit, FileReport, Finding, FormFound, SheetSkipped, Skipped, in_sheet_order
from yjzl.rules import kinds
from yjzl.rules.indicators import compute
from yjzl.rules.registry import KINDS, SEVERITY
from yjzl.rules.verdicts import peer_group
from yjzl.text import label_key
from yjzl.workbook.model import FormData, InputIssue, WorkbookData

if TYPE_CHECKING:
    from yjzl.rules.history import History


def member_forms(cat: Compiled, form_id: str) -> list[str]:
    """The forms a form meets in its cross-form checks: a lead's member forms, a province's cities."""
    level = cat.forms[form_id].level
    return [o.id for o in cat.forms.values() if o.member_of == form_id or (level, o.level) == ("province", "city")]


class Run:
    """The run's forms indexed once, so that finding each lead's members costs no pass over the run
    (a summary table of 100 000 rows would make that quadratic)."""

    def __init__(self, run_forms: Sequence[FormData]) -> None:
        self.by_form: dict[str, list[FormData]] = {}
        self.by_lead: dict[tuple[str, str], list[FormData]] = {}  # (member form, lead's name or code key) → members
        self.tagged: set[str] = set()  # member forms whose rows name their lead (a 所属医联体 column)
        for f in run_forms:
            self.by_form.setdefault(f.form_id, []).append(f)
            if f.consortium:
                self.tagged.add(f.form_id)
                self.by_lead.setdefault((f.form_id, label_key(f.consortium)), []).append(f)


def _identity(cat: Compiled, data: FormData) -> list[str]:
    """The keys a member row may name its lead by: the lead's code and name."""
    roles = {f.role: f.id for f in cat.forms[data.form_id].fields if f.role}
    return list(dict.fromkeys(label_key(t) for r in ("code", "name") if r in roles and (t := data.text(roles[r]))))


def _members(cat: Compiled, lead: FormData, book_forms: Sequence[FormData], run: Run) -> dict[str, list[FormData]]:
    """A lead's member forms: those whose 所属医联体 column names it; else, for a printed form, those in its
    workbook; else, when the run holds exactly one lead of its form, every member of the run. A table row
    never takes the other rows of its table as members by being in the same file."""
    out: dict[str, list[FormData]] = {}
    for other in member_forms(cat, lead.form_id):
        if other in run.tagged:
            found = {id(m): m for key in _identity(cat, lead) for m in run.by_lead.get((other, key), [])}
            out[other] = list(found.values())  # named by code and by name: once
            continue
        same_book = [f for f in book_forms if f.form_id == other and f.row is None] if lead.row is None else []
        single_lead = len(run.by_form.get(lead.form_id, [])) == 1
        out[other] = same_book or (run.by_form.get(other, []) if single_lead else [])
    return out


def _cells(check: Check, data: FormData, members: dict[str, list[FormData]]) -> list[str]:
    nodes = check.located
    cells: list[str] = []
    for n in nodes:
        for fid in sorted(expr.fields(n), key=lambda f: data.values[f].row if f in data.values else 0):
            if fid in data.values and data.values[fid].cell not in cells:
                cells.append(data.values[fid].cell)
        for form_id, fid in sorted(expr.member_refs(n), key=str):
            for m in members.get(form_id, []):
                # A cell in another file is named as Excel names it: [book.xlsx]Sheet!A1.
                ref = m.values[fid].cell if fid and fid in m.values else None
                if ref and m.file != data.file:
                    ref = f"[{os.path.basename(m.file)}]{ref}"
                if ref and ref not in cells:
                    cells.append(ref)
    return cells


def _explanations(check: Check, data: FormData) -> list[str]:
    values = data.values
    notes = [values[f].explanation for f in check.compared if f in values and values[f].explanation]
    return list(dict.fromkeys(notes))  # type: ignore[arg-type]  # a table's row-level 说明 explains every field once


def statistics_period(cat: Compiled, data: FormData, option: Period | None, lang: str,
                      fallback: Period | None = None) -> tuple[Period | None, list[Finding]]:
    """The period of one form: --period > the form's 统计年度 > `fallback` or the catalogue's default (yjzl/period.py).

    A YJ014 warning when the form's 统计年度 cannot be read (the default is then used, and said).
    """
    if option is not None:
        return option, []
    default = fallback or cat.default_period()
    fid = next((f.id for f in cat.forms[data.form_id].fields if f.role == "period"), None)
    text = data.text(fid) if fid else None
    if not text:
        return default, []
    try:
        return period_parse(text, origin="form"), []
    except PeriodError:
        k = KINDS["YJ014"]
        used = default.label(lang) if default else ("日历年度" if lang == "zh" else "a calendar year")
        label = namer(cat, data.form_id, lang)(fid)  # type: ignore[arg-type]
        msg = (k.en if lang == "en" else k.zh).format(label=label, detail=text, hint=used)
        return default, [Finding(k.severity, k.code, k.name, msg, [data.values[fid].cell], data.form_id)]  # type: ignore[index]


def check_form(cat: Compiled, data: FormData, members: dict[str, list[FormData]], lang: str,
               period: Period | None = None) -> tuple[list[Finding], list[Skipped]]:
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    get = period_getter(data.numbers(), period)
    scope = kinds.Scope(get, {k: [m.get for m in v] for k, v in members.items()},
                        namer(cat, data.form_id, lang, plain=True, period=period))
    messages = cat.source.messages
    for check in cat.checks_for(data.form_id):
        if check.defn.across and not members.get(check.defn.across):
            continue  # no member forms in this run: nothing to compare
        outcome = kinds.run(check, scope)
        if outcome.status == "skipped":
            missing = sorted(f for f in check.reads if not isinstance(get(f), float))
            skipped.append(Skipped(check.id, data.form_id, outcome.reason, missing))  # type: ignore[arg-type]
            continue
        if not outcome.failures:
            continue  # passed: no message, no explanation to look up (a table's many rows mostly pass)
        severity = SEVERITY[check.severity]
        template = check.defn.message or messages.get(check.defn.rule)
        text = (template.en or template.zh) if (template and lang == "en") else (template.zh if template else check.id)
        notes = _explanations(check, data)
        used = period.text if period and reads_period(check.reads) else None
        for args in outcome.failures:
            findings.append(Finding(
                severity, check.code, check.id, text.format(**args), _cells(check, data, members), data.form_id,  # type: ignore[arg-type]
                explained=bool(notes) and severity == "warning", explanation="；".join(notes) or None, period=used,
            ))
    return findings, skipped


def code_issues(cat: Compiled, data: FormData) -> list[InputIssue]:
    """YJ015: an organisation code (a field of kind `code`) whose check digit is wrong."""
    from yjzl.rules.orgcode import wrong_check_digit

    out = []
    for f in cat.forms[data.form_id].fields:
        fv = data.values.get(f.id) if f.kind == "code" else None
        if fv is not None and isinstance(fv.value, str) and fv.value:
            wrong = wrong_check_digit(fv.value)
            if wrong:
                out.append(InputIssue("YJ015", [fv.cell], f.id, f"{fv.value}|{wrong[0]}|{wrong[1]}"))
    return out


BLANK_HINTS = {  # YJ001's hint by the field's kind (zh, en)
    "count": ("（每项都须填报：未开展填 0，未统计填 --）", " (fill every field: 0 if not carried out, -- if not counted)"),
    "yesno": ("（请填 是 或 否）", " (choose 是 or 否)"),
    "text": ("（必填项）", " (required)"),
    "code": ("（必填项，按文本填写代码）", " (required: the code, as text)"),
}


def issue_findings(cat: Compiled, data: FormData, lang: str) -> list[Finding]:
    out = []
    name = namer(cat, data.form_id, lang, plain=True)
    for issue in [*data.issues, *code_issues(cat, data)]:
        k = KINDS[issue.code]
        detail, hint, expected = issue.detail, "", ""
        if issue.code == "YJ006":
            detail, _, best = issue.detail.rpartition("|")  # the typed label may itself hold a "|"
            hint = (f"，最接近的是「{best}」" if lang == "zh" else f"; closest: '{best}'") if best else ""
        elif issue.code == "YJ013":
            detail, _, hint = issue.detail.partition("|")  # the template's catalogue | this run's | its overlays' files
            hint, _, wanted = hint.partition("|")
            if wanted:  # made with overlays: name the files to pass
                hint += f"（请加 --overlay {wanted}）" if lang == "zh" else f" (add --overlay {wanted})"
        elif issue.code == "YJ001":  # what to type fits the field: no "0 if not carried out" for a name
            kind = cat.fields[data.form_id][issue.field_id].kind if issue.field_id in cat.fields[data.form_id] else "count"
            hint = BLANK_HINTS.get(kind, BLANK_HINTS["count"])[lang == "en"]
        elif issue.code == "YJ015":
            detail, expected, hint = issue.detail.rsplit("|", 2)  # the code as typed | expected digit | standard
        percent = ""
        if issue.code == "YJ011":
            percent = kinds.fmt(float(issue.detail) * 100)
        label = name(issue.field_id) if issue.field_id else ""
        text = (k.en if lang == "en" else k.zh).format(label=label, detail=detail, hint=hint, percent=percent, expected=expected)
        fv = data.values.get(issue.field_id) if issue.field_id else None
        note = fv.explanation if fv else None
        out.append(Finding(k.severity, k.code, k.name, text, issue.cells, data.form_id,  # type: ignore[arg-type]
                           explained=bool(note) and k.severity == "warning", explanation=note))
    return out


def form_found(cat: Compiled, data: FormData, period: Period | None = None, *, audit: Audit | None = None) -> FormFound:
    """The form as found: where, how recognised, the submitter from its basic information, the period used."""
    form = cat.forms[data.form_id]
    roles = {f.role: f.id for f in form.fields if f.role}
    return FormFound(
        data.form_id, form.code, data.sheet, data.identified_by, data.layout,
        name=data.text(roles["name"]) if "name" in roles else None,
        org_code=data.text(roles["code"]) if "code" in roles else None,
        region=data.text(roles["region"]) if "region" in roles else None,
        period=data.text(roles["period"]) if "period" in roles else None,
        filled_on=data.text(roles["filled_on"]) if "filled_on" in roles else None,
        statistics_period=period.text if period else None,
        period_origin=period.origin if period else None,
        audit=audit, layout_name=data.layout_name, row=data.row, code_en=form.code_en,
        peer_group=peer_group(form, data.text(form.peers.by)) if form.peers else None,
    )


def summarise(findings: Sequence[Finding]) -> Audit:
    """The counts a supervisor sorts by; the first error says why a failing submission is left out."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    first = f"{errors[0].cells[0]} {errors[0].message}" if errors and errors[0].cells else (errors[0].message if errors else None)
    return Audit(len(errors), sum(1 for f in warnings if not f.explained), sum(1 for f in warnings if f.explained),
                 not errors, first)


def form_findings(cat: Compiled, data: FormData, book_forms: Sequence[FormData], run: Run | Sequence[FormData],
                  lang: str, period: Period | None = None) -> tuple[list[Finding], list[Skipped]]:
    """Everything `validate` finds in one form: unusable values, then the catalogue's checks (over `period`).
    `run`: the run's forms, or their Run index (built once when many forms are audited)."""
    index = run if isinstance(run, Run) else Run(run)
    found, skipped = check_form(cat, data, _members(cat, data, book_forms, index), lang, period)
    return issue_findings(cat, data, lang) + found, skipped


def audit_book(cat: Compiled, book: WorkbookData, run_forms: Sequence[FormData], lang: str = "zh",
               sets: set[str] | None = None, period: Period | None = None, history: History | None = None) -> list[FileReport]:
    """One workbook's reports; `run_forms` are the forms of the whole run (for a lead without its members);
    `period` (--period) overrides every form's statistics period; `history`: the units' earlier rounds (YJ203).

    A workbook of printed forms is one report; each row of a table is a report of its own (same file),
    after the workbook's printed forms, so that its findings never mix with another row's.
    """
    run = Run(run_forms)
    sheets = [d.sheet for d in book.forms]  # the workbook's order
    rep = FileReport(book.file, sheets_skipped=[SheetSkipped(s.sheet, s.reason) for s in book.skipped])
    rows: list[FileReport] = []
    for data in book.forms:
        if data.row is not None:
            rows.append(FileReport(book.file))
        target = rows[-1] if data.row is not None else rep
        used, unreadable = statistics_period(cat, data, period, lang)
        found, skipped = form_findings(cat, data, book.forms, run, lang, used)
        found = in_sheet_order(unreadable + found + (history.findings(cat, data, used, lang) if history is not None else []),
                               sheets)
        target.forms.append(form_found(cat, data, used, audit=summarise(found)))
        target.findings += found
        target.skipped += skipped
        target.indicators += compute(cat, data, lang, sets, used)
    rep.findings = in_sheet_order(rep.findings, sheets)  # a lead's findings among its members'
    if rows and not rep.forms:
        rows[0].sheets_skipped = rep.sheets_skipped
        return rows
    return [rep, *rows]


def findings_by_submission(cat: Compiled, books: Sequence[WorkbookData], lang: str = "zh") -> list[list[Finding]]:
    """Each submission's findings (input issues and checks, cross-form included), in reading order."""
    run = Run([f for b in books for f in b.forms])
    out = []
    for book in books:
        for data in book.forms:
            used, unreadable = statistics_period(cat, data, None, lang)
            out.append(in_sheet_order(unreadable + form_findings(cat, data, book.forms, run, lang, used)[0],
                                      [d.sheet for d in book.forms]))
    return out


def audit(cat: Compiled, books: Sequence[WorkbookData], lang: str = "zh", sets: set[str] | None = None,
          period: Period | None = None) -> list[FileReport]:
    """The reports of the workbooks, in the order given (a table's rows: one report each)."""
    run_forms = [f for b in books for f in b.forms]
    return [r for book in books for r in audit_book(cat, book, run_forms, lang, sets, period)]
