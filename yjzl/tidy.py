"""Results as tidy tables: one row per observation, one column per variable, for pandas, SQL or a BI tool.

`Report.rows(table)`, `ComputeReport.rows(table)`, their `to_pandas(table)` and
`compute -o results.sqlite` (yjzl.batch.sqlite_sink) all use these tables and
column names, documented in docs/api.md:

    files          one row per input file (its error when it could not be used)
    submissions    one row per form found (a consortium workbook holds several)
    indicators     one row per submission and indicator
    targets        one row per submission, indicator and target set
    findings       one row per finding (error or warning) of a submission
    groups         one row per group and indicator (compute --group-by)
    group_targets  one row per group, indicator and target set
    scores, score_items, progress (the roster's units), left_out

A submission is numbered in the order of the run (1, 2 …) and carries its key
("file!sheet", as left_out and the roster name it). Column names avoid SQL's
reserved words (check_id, target_set, grouped_by, group_value, table_row), so that
a query needs no quoting. Booleans are True/False (SQLite: 1/0), absent values None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yjzl.report import FileReport, Finding, FormFound, IndicatorResult, ScoreResult, TargetResult

Row = dict[str, Any]

# table → (column, SQLite type); the order of the columns in rows, DataFrames and the database.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "files": (("file", "TEXT"), ("error", "TEXT"), ("submissions", "INTEGER"), ("sheets_skipped", "TEXT")),
    "submissions": (("submission", "INTEGER"), ("key", "TEXT"), ("file", "TEXT"), ("sheet", "TEXT"), ("table_row", "INTEGER"),
                    ("form", "TEXT"), ("form_code", "TEXT"), ("name", "TEXT"), ("org_code", "TEXT"), ("region", "TEXT"),
                    ("period", "TEXT"), ("statistics_period", "TEXT"), ("period_origin", "TEXT"), ("passed", "INTEGER"),
                    ("errors", "INTEGER"), ("warnings_open", "INTEGER"), ("warnings_explained", "INTEGER"),
                    ("first_error", "TEXT")),
    "indicators": (("submission", "INTEGER"), ("indicator", "TEXT"), ("name", "TEXT"), ("form", "TEXT"), ("value", "REAL"),
                   ("unit", "TEXT"), ("status", "TEXT"), ("numerator", "REAL"), ("denominator", "REAL"), ("reason", "TEXT"),
                   ("period", "TEXT"), ("compared_with", "TEXT")),
    "targets": (("submission", "INTEGER"), ("indicator", "TEXT"), ("target_set", "TEXT"), ("op", "TEXT"), ("target", "REAL"),
                ("met", "INTEGER"), ("due_by", "INTEGER"), ("due", "INTEGER"), ("tolerance", "REAL")),
    "findings": (("submission", "INTEGER"), ("file", "TEXT"), ("form", "TEXT"), ("severity", "TEXT"), ("code", "TEXT"),
                 ("check_id", "TEXT"), ("message", "TEXT"), ("cells", "TEXT"), ("explained", "INTEGER"),
                 ("explanation", "TEXT"), ("period", "TEXT")),
    "groups": (("grouped_by", "TEXT"), ("group_value", "TEXT"), ("form", "TEXT"), ("indicator", "TEXT"), ("name", "TEXT"),
               ("value", "REAL"), ("unit", "TEXT"), ("status", "TEXT"), ("numerator", "REAL"), ("denominator", "REAL"),
               ("reason", "TEXT"), ("contributing", "INTEGER"), ("left_out", "INTEGER"), ("failing_included", "INTEGER")),
    "group_targets": (("grouped_by", "TEXT"), ("group_value", "TEXT"), ("form", "TEXT"), ("indicator", "TEXT"),
                      ("target_set", "TEXT"), ("op", "TEXT"), ("target", "REAL"), ("met", "INTEGER"), ("due_by", "INTEGER"),
                      ("due", "INTEGER"), ("tolerance", "REAL")),
    "scores": (("submission", "INTEGER"), ("file", "TEXT"), ("sheet", "TEXT"), ("form", "TEXT"), ("name", "TEXT"),
               ("scheme", "TEXT"), ("total", "REAL"), ("maximum", "REAL")),
    "score_items": (("submission", "INTEGER"), ("scheme", "TEXT"), ("indicator", "TEXT"), ("name", "TEXT"),
                    ("weight", "REAL"), ("value", "REAL"), ("points", "REAL"), ("band", "TEXT")),
    "progress": (("line", "INTEGER"), ("name", "TEXT"), ("org_code", "TEXT"), ("region", "TEXT"), ("form", "TEXT"),
                 ("parent", "TEXT"), ("received", "INTEGER"), ("counted_key", "TEXT"), ("passed", "INTEGER"),
                 ("warnings_open", "INTEGER")),
    "left_out": (("key", "TEXT"), ("reason", "TEXT")),
}
TABLES = tuple(COLUMNS)


def sheet_of(cell: str) -> str | None:
    """The sheet of "表1!C5" or "'成员 单位'!B3"; None for a cell in another workbook ("[b.xlsx]S!A1")."""
    if cell.startswith("[") or "!" not in cell:
        return None
    sheet = cell.rpartition("!")[0]
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return sheet


def split_indicators(forms: Sequence[FormFound], indicators: Sequence[IndicatorResult]) -> list[list[IndicatorResult]]:
    """Each form's indicators: consecutive results of its form id, until an id repeats (the next form's run)."""
    out: list[list[IndicatorResult]] = [[] for _ in forms]
    i = 0
    for n, form in enumerate(forms):
        ids: set[str] = set()
        while i < len(indicators) and indicators[i].form == form.form and indicators[i].id not in ids:
            ids.add(indicators[i].id)
            out[n].append(indicators[i])
            i += 1
    # Results that fit no run (a hand-edited document) go to the first form of their id, not lost.
    for ind in indicators[i:]:
        n = next((k for k, f in enumerate(forms) if f.form == ind.form), None)
        if n is not None:
            out[n].append(ind)
    return out


def split_findings(forms: Sequence[FormFound], findings: Sequence[Finding]) -> list[list[Finding]]:
    """Each form's findings, matched by form id and the sheet of their cells (several T3M sheets in one book)."""
    out: list[list[Finding]] = [[] for _ in forms]
    last: int | None = None
    for f in findings:
        same_id = [k for k, form in enumerate(forms) if form.form == f.form]
        sheets = {s for s in map(sheet_of, f.cells) if s}
        by_sheet = [k for k in same_id if forms[k].sheet in sheets]
        if by_sheet:
            k = by_sheet[0]
        elif last is not None and last in same_id:
            k = last  # findings come in form order: a cell-less one belongs with its predecessor
        elif same_id:
            k = same_id[0]
        elif forms:
            k = 0
        else:
            continue
        out[k].append(f)
        last = k
    return out


def key_of(file: str, form: FormFound) -> str:
    """The submission's key as left_out, the roster and duplicates name it (yjzl.batch.worker.Submission.key)."""
    row = f"!{form.row}" if form.row is not None else ""
    return f"{file}!{form.sheet}{row}"


def _target_row(t: TargetResult) -> Row:
    return {"target_set": t.set, "op": t.op, "target": t.value, "met": t.met, "due_by": t.by, "due": t.due,
            "tolerance": t.tolerance}


def _indicator_row(r: IndicatorResult) -> Row:
    return {"indicator": r.id, "name": r.name, "form": r.form, "value": r.value, "unit": r.unit, "status": r.status,
            "numerator": r.numerator, "denominator": r.denominator, "reason": r.reason}


class Numbering:
    """Numbers a run's submissions 1, 2 … as files go by, and remembers each key's number (scores, the roster)."""

    def __init__(self) -> None:
        self.count = 0
        self.by_key: dict[str, int] = {}

    def file_rows(self, rep: FileReport, scores: Sequence[ScoreResult] = ()) -> dict[str, list[Row]]:
        """The rows one file adds to each per-submission table."""
        out: dict[str, list[Row]] = {name: [] for name in ("files", "submissions", "indicators", "targets", "findings",
                                                            "scores", "score_items")}
        skipped = "; ".join(f"{s.sheet}: {s.reason}" for s in rep.sheets_skipped) or None
        out["files"].append({"file": rep.file, "error": rep.error, "submissions": len(rep.forms), "sheets_skipped": skipped})
        numbers = []
        for form, inds, finds in zip(rep.forms, split_indicators(rep.forms, rep.indicators), split_findings(rep.forms, rep.findings)):
            self.count += 1
            n, key = self.count, key_of(rep.file, form)
            self.by_key[key] = n
            numbers.append((form, n))
            a = form.audit
            errors = [f for f in finds if f.severity == "error"]
            out["submissions"].append({
                "submission": n, "key": key, "file": rep.file, "sheet": form.sheet, "table_row": form.row, "form": form.form,
                "form_code": form.code, "name": form.name, "org_code": form.org_code, "region": form.region,
                "period": form.period, "statistics_period": form.statistics_period, "period_origin": form.period_origin,
                "passed": a.passed if a else not errors,
                "errors": a.errors if a else len(errors),
                "warnings_open": a.warnings_open if a else sum(1 for f in finds if f.severity == "warning" and not f.explained),
                "warnings_explained": a.warnings_explained if a else sum(1 for f in finds if f.explained),
                "first_error": a.first_error if a else (f"{errors[0].cells[0]} {errors[0].message}" if errors and errors[0].cells
                                                        else errors[0].message if errors else None)})
            for r in inds:
                out["indicators"].append({"submission": n, **_indicator_row(r), "period": r.period, "compared_with": r.compared_with})
                out["targets"] += [{"submission": n, "indicator": r.id, **_target_row(t)} for t in r.targets]
            out["findings"] += [{"submission": n, "file": rep.file, "form": f.form, "severity": f.severity, "code": f.code,
                                 "check_id": f.check, "message": f.message, "cells": ", ".join(f.cells),
                                 "explained": f.explained, "explanation": f.explanation, "period": f.period} for f in finds]
        for s in scores:
            n = next((k for form, k in numbers if form.sheet == s.sheet and form.form == s.form), None)
            out["scores"].append({"submission": n, "file": s.file, "sheet": s.sheet, "form": s.form, "name": s.name,
                                  "scheme": s.scheme, "total": s.total, "maximum": s.maximum})
            out["score_items"] += [{"submission": n, "scheme": s.scheme, "indicator": i.indicator, "name": i.name,
                                    "weight": i.weight, "value": i.value, "points": i.points, "band": i.band} for i in s.items]
        return out


def run_rows(report: Any) -> dict[str, list[Row]]:
    """The rows of the tables a whole run has once: groups, their targets, the roster's progress, what was left out."""
    out: dict[str, list[Row]] = {"groups": [], "group_targets": [], "progress": [], "left_out": []}
    for g in getattr(report, "groups", []):
        r = g.indicator
        where = {"grouped_by": g.by, "group_value": g.group, "form": g.form}
        out["groups"].append({**where, **_indicator_row(r), "form": g.form, "contributing": len(g.contributing),
                              "left_out": len(g.left_out), "failing_included": g.failing_included})
        out["group_targets"] += [{**where, "indicator": r.id, **_target_row(t)} for t in r.targets]
    roster = getattr(report, "roster", None)
    if roster is not None:
        out["progress"] = [{"line": p.unit.line, "name": p.unit.name, "org_code": p.unit.org_code, "region": p.unit.region,
                            "form": p.unit.form, "parent": p.unit.parent, "received": len(p.submissions),
                            "counted_key": p.submissions[0] if p.submissions else None, "passed": p.passed,
                            "warnings_open": p.warnings_open} for p in roster.units]
    out["left_out"] = [{"key": x.submission, "reason": x.reason} for x in getattr(report, "left_out", [])]
    return out


def tables(report: Any) -> dict[str, list[Row]]:
    """Every table of a Report or ComputeReport, in TABLES order (tables the run has nothing for are empty)."""
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    numbering = Numbering()
    by_file: dict[str, list[ScoreResult]] = {}
    for s in getattr(report, "scores", []):
        by_file.setdefault(s.file, []).append(s)
    for rep in report.files:
        for name, rows in numbering.file_rows(rep, by_file.pop(rep.file, [])).items():
            out[name] += rows
    for name, rows in run_rows(report).items():
        out[name] += rows
    return out


def rows(report: Any, table: str = "indicators") -> list[Row]:
    """One table of a report as a list of dicts (keys in COLUMNS order)."""
    if table not in COLUMNS:
        raise ValueError(f"no table {table!r}: one of {', '.join(TABLES)}")
    return tables(report)[table]


def to_pandas(report: Any, table: str = "indicators") -> Any:
    """One table as a pandas DataFrame (pandas is optional: imported here, on demand)."""
    found = rows(report, table)
    try:
        import pandas
    except ImportError:
        raise ImportError("to_pandas needs pandas, which yjzl does not install: pip install pandas "
                          "(or use .rows(), a list of dicts)") from None
    return pandas.DataFrame.from_records(found, columns=[c for c, _ in COLUMNS[table]])

