"""Lay a ComputeReport out as rows: per submission and indicator (long), per submission (wide),
per group and indicator, per submission's score. Column names are stable English ids; the
table and xlsx formats show Chinese headers (HEADERS)."""

from __future__ import annotations

from yjzl.report import ComputeReport, Duplicate, FileReport, FormFound, IndicatorResult, ScoreResult, TargetResult

OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
SUBMITTER = ["file", "sheet", "form", "name", "org_code", "region", "period", "audit", "errors", "warnings_open",
             "statistics_period"]
RESULT = ["value", "unit", "numerator", "denominator", "status", "reason", "compared_with", "target", "met", "verdict"]
LONG = [*SUBMITTER, "indicator", "indicator_name", *RESULT]
GROUP = ["by", "group", "form", "indicator", "indicator_name", *RESULT, "contributing", "failing_included", "left_out",
         "left_out_detail"]
SCORE = ["file", "sheet", "form", "name", "scheme", "total", "maximum", "percent", "breakdown"]
HEADERS = {
    "zh": {"file": "文件", "sheet": "工作表", "form": "表", "name": "名称", "org_code": "机构代码", "region": "地区",
           "period": "统计年度", "statistics_period": "统计周期", "compared_with": "对比期", "indicator": "指标编号", "indicator_name": "指标", "value": "值", "unit": "单位",
           "numerator": "分子", "denominator": "分母", "status": "状态", "reason": "原因", "target": "目标",
           "met": "达标", "verdict": "判定", "by": "分组依据", "group": "组", "contributing": "计入", "left_out": "未计入",
           "left_out_detail": "未计入的填报及原因", "scheme": "评分方案", "total": "得分", "maximum": "满分",
           "percent": "得分率%", "breakdown": "明细", "audit": "审核结果", "errors": "错误数",
           "warnings_open": "待说明警告数", "failing_included": "其中有错误的",
           "province": "省", "city": "市", "county": "县（区）"},
}
STATUS_ZH = {"ok": "正常", "missing input": "缺少数据", "denominator zero": "分母为0"}
AUDIT_ZH = {"passed": "通过", "failed": "有错误"}


def _num(x: float | None) -> float | int | str:
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else x


def with_sets(columns: list[str], sets: list[str] | dict[str, str]) -> list[str]:
    """The columns with `target` and `met` as one pair per target set compared (target_national, met_national, …):
    tidy, one value a cell, however many sets a run compares with."""
    out: list[str] = []
    for c in columns:
        if c == "target":
            out += [f"{k}_{s}" for s in sets for k in ("target", "met")]
        elif c != "met":
            out.append(c)
    return out


def set_of(column: str) -> tuple[str, str] | None:
    """`target_national` → ("target", "national"); None for any other column."""
    for kind in ("target", "met"):
        if column.startswith(kind + "_"):
            return kind, column[len(kind) + 1:]
    return None


def _targets(ts: list[TargetResult]) -> dict[str, str]:
    # the approximation's tolerance and the year due travel with the target: "≥ 90 ±0.5 (2017)"
    out = {}
    for t in ts:
        out[f"target_{t.set}"] = f"{OPS.get(t.op, t.op)} {t.value:g}" + (f" ±{t.tolerance:g}" if t.tolerance else "") + (
            f" ({t.by})" if t.by else "")
        out[f"met_{t.set}"] = (f"not yet due ({t.due_date})" if t.due_date else "not yet due") if t.due is False and t.met is None else (
            "" if t.met is None else ("yes" if t.met else "no"))
    return out


def _result(r: IndicatorResult) -> dict[str, object]:
    from yjzl.rules.verdicts import code

    return {"value": _num(r.value), "unit": r.unit, "numerator": _num(r.numerator), "denominator": _num(r.denominator),
            "status": r.status, "reason": r.reason or "", "compared_with": r.compared_with or "", **_targets(r.targets),
            "verdict": code(r.verdict),  # a hospital's result without a target: direction or place among peers
            "_targets": r.targets, "_verdict": r.verdict}  # for the tables people read (formats.people); csv ignores them


def is_group(columns: list[str]) -> bool:
    return "by" in columns and "group" in columns


def is_score(columns: list[str]) -> bool:
    return "scheme" in columns


def _submitter(f: FileReport, x: FormFound) -> dict[str, object]:
    a = x.audit
    return {"file": f.file, "sheet": x.sheet, "form": x.code, "name": x.name or "", "org_code": x.org_code or "",
            "region": x.region or "", "period": x.period or "", "statistics_period": x.statistics_period or "",
            "audit": "" if a is None else ("passed" if a.passed else "failed"),
            "errors": "" if a is None else a.errors, "warnings_open": "" if a is None else a.warnings_open,
            "_form_en": x.code_en or x.code}  # the form as English tables name it (formats.table_block); no column


def _by_form(f: FileReport) -> list[tuple[FormFound, list[IndicatorResult]]]:
    """Each submission of the file with its own indicators (matched by form and sheet)."""
    return [(x, [r for r in f.indicators if r.form == x.form and r.sheet in (x.sheet, None)]) for x in f.forms]


def long_rows_of(f: FileReport) -> list[dict[str, object]]:
    """One file's rows: per submission and indicator."""
    rows = []
    for x, inds in _by_form(f):
        base = _submitter(f, x)
        for r in inds:
            rows.append({**base, "indicator": r.id, "indicator_name": r.name, **_result(r)})
    return rows


def long_rows(report: ComputeReport) -> list[dict[str, object]]:
    return [row for f in report.files if not f.error for row in long_rows_of(f)]


def wide_rows_of(f: FileReport) -> list[dict[str, object]]:
    """One file's rows: per submission, its value of every indicator (keyed by indicator id)."""
    rows = []
    for x, inds in _by_form(f):
        row = _submitter(f, x)
        for r in inds:
            row[r.id] = _num(r.value)
        rows.append(row)
    return rows


def wide_rows(report: ComputeReport) -> tuple[list[str], list[dict[str, object]]]:
    """One row per submission: its value of every indicator (the columns: indicator ids, in catalogue order)."""
    rows = [row for f in report.files if not f.error for row in wide_rows_of(f)]
    columns = dict.fromkeys(k for row in rows for k in row if k not in SUBMITTER and not k.startswith("_"))
    return [*SUBMITTER, *columns], rows


def group_rows(report: ComputeReport) -> list[dict[str, object]]:
    out = []
    for g in report.groups:
        r = g.indicator
        out.append({"by": g.by, "group": g.group, "form": g.form, "indicator": r.id, "indicator_name": r.name,
                    **_result(r), "contributing": len(g.contributing), "failing_included": g.failing_included,
                    "left_out": len(g.left_out),
                    "left_out_detail": "; ".join(f"{x.submission}: {x.reason}" for x in g.left_out)})
    return out


def score_rows(scores: list[ScoreResult]) -> list[dict[str, object]]:
    return [{"file": s.file, "sheet": s.sheet, "form": s.form, "name": s.name or "", "scheme": s.scheme,
             "total": _num(s.total), "maximum": _num(s.maximum),
             "percent": _num(round(100 * s.total / s.maximum, 2)) if s.maximum else "",
             "breakdown": "; ".join(f"{i.name} {i.points:g}/{i.weight:g}" for i in s.items)} for s in scores]


def unusable_rows(report: ComputeReport) -> list[dict[str, object]]:
    return [{"file": f.file, "reason": f.error} for f in report.files if f.error]


# The roster's tables: (id, Chinese title, English title, columns, rows). Columns reuse HEADERS.
ROSTER_HEADERS = {"expected": "应报", "reported": "已报", "missing": "未报送", "duplicates": "重复报送",
                  "strangers": "名单外", "submissions": "另收到", "counted": "以此为准", "why": "原因",
                  "parent": "上级", "passed": "审核结果", "submission": "填报", "resubmitted": "已重报",
                  "deadline": "截止日期", "received": "收到日期", "late": "逾期"}
HEADERS["zh"].update(ROSTER_HEADERS)


def roster_tables(report: ComputeReport) -> list[tuple[str, str, str, list[str], list[dict[str, object]]]]:
    r = report.roster
    if r is None:
        return []
    missing = [{"name": u.name, "org_code": u.org_code or "", "region": u.region or "", "form": u.form or "",
                "parent": u.parent or ""} for u in r.missing]
    dups = [{"name": p.unit.name, "org_code": p.unit.org_code or "", "region": p.unit.region or "",
             "counted": p.submissions[0], "submissions": "; ".join(p.submissions[1:]), "why": p.why or ""}
            for p in r.duplicates]
    strangers = [{"submission": s.submission, "form": s.form, "name": s.name or "", "org_code": s.org_code or "",
                  "region": s.region or ""} for s in r.strangers]
    progress = [{"name": p.unit.name, "org_code": p.unit.org_code or "", "region": p.unit.region or "",
                 "form": p.unit.form or "", "reported": len(p.submissions),
                 "audit": "" if p.passed is None else ("passed" if p.passed else "failed"),
                 "warnings_open": "" if p.warnings_open is None else p.warnings_open,
                 "counted": p.submissions[0] if p.submissions else "",
                 "resubmitted": "yes" if p.resubmitted else "", "why": p.why or "",
                 "deadline": p.deadline or "", "received": p.received or "",
                 "late": "" if p.late is None else ("yes" if p.late else "no")} for p in r.units]
    regions = [{"region": c.region, "expected": c.expected, "reported": c.reported, "missing": c.missing,
                "duplicates": c.duplicates, "strangers": c.strangers} for c in r.regions]
    return [
        ("progress", "进度明细", "progress",
         ["name", "org_code", "region", "form", "reported", "audit", "warnings_open", "counted", "resubmitted", "why",
          "deadline", "received", "late"], progress),
        ("missing", "未报送", "not reported", ["name", "org_code", "region", "form", "parent"], missing),
        ("duplicates", "重复报送", "reported twice", ["name", "org_code", "region", "counted", "submissions", "why"], dups),
        ("strangers", "名单外", "not on the roster", ["submission", "form", "name", "org_code", "region"], strangers),
        ("regions", "分地区", "by region", ["region", "expected", "reported", "missing", "duplicates", "strangers"], regions),
    ]


# Suspected duplicates without a roster (疑似重复报送): each copy still counts; the first is the one a roster would keep.
DUPLICATE = ["form", "name", "org_code", "region", "statistics_period", "matched_by", "copies", "why"]
HEADERS["zh"].update({"matched_by": "依据", "copies": "各份填报（名单下以第一份为准）"})
MATCHED_BY = {"zh": {"org_code": "同一机构代码", "name": "同一名称（无机构代码）", "region": "同一地区（省级填报，无名称）"},
              "en": {"org_code": "the same organisation code", "name": "the same name (no code)",
                     "region": "the same region (a province's form, no name)"}}


def matched_by(d: Duplicate, lang: str) -> str:
    """Why the copies are taken for one submitter, in words: a 表1 matched by name was matched by its region."""
    how = "region" if d.matched_by == "name" and not d.name else d.matched_by
    return MATCHED_BY["zh" if lang == "zh" else "en"][how]


def duplicate_rows(report: ComputeReport) -> list[dict[str, object]]:
    return [{"form": d.form, "name": d.name or "", "org_code": d.org_code or "", "region": d.region or "",
             "statistics_period": d.statistics_period or "", "matched_by": matched_by(d, report.lang),
             "copies": "; ".join(d.submissions), "why": d.why or ""} for d in report.duplicates]


# With --group-by province|city|county: where each submission sits, how it was placed, and any conflict.
PLACED = ["submission", "division", "division_name", "division_source", "conflict", "division_table"]
HEADERS["zh"].update({"division": "行政区划代码", "division_name": "行政区划", "division_source": "依据",
                      "conflict": "警告", "division_table": "区划表"})
SOURCE = {"zh": {"code": "机构代码第3–8位", "text": "地区名称"}, "en": {"code": "organisation code (3rd–8th)", "text": "region text"}}


def placed_rows(report: ComputeReport) -> list[dict[str, object]]:
    words = SOURCE["zh" if report.lang == "zh" else "en"]
    return [{"submission": p.submission, "division": p.division or "", "division_name": p.name or "",
             "division_source": words.get(p.source or "", ""), "conflict": p.conflict or "",
             "division_table": report.divisions or ""} for p in report.placements]
