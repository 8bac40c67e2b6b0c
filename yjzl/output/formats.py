"""Render a Report as a table, JSON, CSV or GitHub workflow annotations."""

from __future__ import annotations

import csv
import io
import json

from yjzl.report import FormFound, Report

SEV = {"zh": {"error": "错误", "warning": "警告"}, "en": {"error": "error", "warning": "warning"}}


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["file", "severity", "code", "check", "cells", "message", "explained", "explanation"])
    for f in report.files:
        if f.error:
            w.writerow([f.file, "error", "YJ000", "unusable-input", "", f.error, "false", ""])
        for x in f.findings:
            w.writerow([f.file, x.severity, x.code, x.check, " ".join(x.cells), x.message,
                        str(x.explained).lower(), x.explanation or ""])
    return buf.getvalue()


def _escape(text: str) -> str:  # GitHub workflow-command data escaping
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def to_github(report: Report) -> str:
    lines = []
    for f in report.files:
        if f.error:
            lines.append(f"::error file={f.file},title=YJ000::{_escape(f.error)}")
        for x in f.findings:
            if x.explained:
                continue
            level = "error" if x.severity == "error" else "warning"
            where = ",".join(x.cells)
            lines.append(f"::{level} file={f.file},title={x.code} {x.check}::{_escape(where + ' ' + x.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _where(x: FormFound, zh: bool) -> str:
    """A form as found; a table row with its row number and submitter, so that findings group by submitter."""
    if x.row is None:
        return f"{x.code}「{x.sheet}」"
    who = ("，" if zh else ", ").join(t for t in (x.name, x.org_code or (x.region if not x.name else None)) if t) or (
        "未写明单位" if zh else "no submitter")
    return f"{x.code}「{x.sheet}」第 {x.row} 行 {who}" if zh else f"{x.code} '{x.sheet}' row {x.row} {who}"


def to_table(report: Report, show_indicators: bool = False) -> str:
    from yjzl.output.table import render

    lang = report.lang
    zh = lang == "zh"
    out = []
    clean_rows: dict[tuple[str, str, str], int] = {}  # a table's rows with nothing to say: counted, not listed
    listed: set[tuple[str, str, str]] = set()
    for f in report.files:
        if f.error:
            out.append(f"{f.file}: {'无法使用' if zh else 'unusable'}: {f.error}")
            continue
        if len(f.forms) == 1 and f.forms[0].row is not None and not f.findings and not f.sheets_skipped and not show_indicators:
            key = (f.file, f.forms[0].code, f.forms[0].sheet)
            clean_rows[key] = clean_rows.get(key, 0) + 1
            continue
        if len(f.forms) == 1 and f.forms[0].row is not None:
            listed.add((f.file, f.forms[0].code, f.forms[0].sheet))
        forms = "、".join(_where(x, zh) for x in f.forms) or ("未找到表单" if zh else "no form found")
        out.append(f"{f.file}: {forms}")
        for s in f.sheets_skipped:
            out.append(f"  {'跳过' if zh else 'skipped'} {s.sheet}: {s.reason}")
        rows = []
        for x in f.findings:
            sev = SEV[lang][x.severity] + (("（已说明）" if zh else " (explained)") if x.explained else "")
            rows.append([sev, x.code, ", ".join(x.cells), x.message + (f"\n说明：{x.explanation}" if x.explanation and zh else (f"\nnote: {x.explanation}" if x.explanation else ""))])
        if rows:
            out.append(render(rows, headers=["级别", "代码", "单元格", "问题"] if zh else ["severity", "code", "cells", "problem"]))
        if show_indicators and f.indicators:
            out.append(render([[i.name, i.form, "" if i.value is None else i.value, i.unit, i.status] for i in f.indicators],
                                headers=["指标", "表", "值", "单位", "状态"] if zh else ["indicator", "form", "value", "unit", "status"]))
        out.append("")
    for (file, code, sheet), n in clean_rows.items():
        other = (file, code, sheet) in listed
        out.append(f"{file}: {code}「{sheet}」{'其余' if other else '全部'} {n} 行没有问题" if zh
                   else f"{file}: {code} '{sheet}': {n} {'other ' if other else ''}row(s) clean")
    if clean_rows:
        out.append("")
    s = report.summary()
    if zh:
        rows = f"（{s['submissions']} 份填报）" if s["submissions"] > s["files"] else ""
        out.append(f"共 {s['files']} 个文件{rows}：{s['errors']} 个错误（必须修改），{s['open_warnings']} 个待说明的警告，"
                   f"{s['explained_warnings']} 个已说明的警告" + (f"，{s['unusable']} 个文件无法使用" if s["unusable"] else ""))
    else:
        rows = f" ({s['submissions']} submissions)" if s["submissions"] > s["files"] else ""
        out.append(f"{s['files']} file(s){rows}: {s['errors']} error(s) to fix, {s['open_warnings']} open warning(s), "
                   f"{s['explained_warnings']} explained" + (f", {s['unusable']} unusable file(s)" if s["unusable"] else ""))
    return "\n".join(out) + "\n"


FORMATS = {"table": to_table, "json": to_json, "csv": to_csv, "github": to_github}
