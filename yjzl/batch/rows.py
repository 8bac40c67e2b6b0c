"""Lay a ComputeReport out as rows: per submission and indicator (long), per submission (wide),
per group and indicator, per submission's score. Column names are stable English ids; the
table and xlsx formats show Chinese headers (HEADERS)."""

from __future__ import annotations

from yjzl.report import ComputeReport, FileReport, FormFound, IndicatorResult, ScoreResult, TargetResult

OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
SUBMITTER = ["file", "sheet", "form", "name", "org_code", "region", "period"]
RESULT = ["value", "unit", "numerator", "denominator", "status", "reason", "target", "met"]
LONG = [*SUBMITTER, "indicator", "indicator_name", *RESULT]
GROUP = ["by", "group", "form", "indicator", "indicator_name", *RESULT, "contributing", "left_out", "left_out_detail"]
SCORE = ["file", "sheet", "form", "name", "scheme", "total", "maximum", "percent", "breakdown"]
HEADERS = {
    "zh": {"file": "文件", "sheet": "工作表", "form": "表", "name": "名称", "org_code": "机构代码", "region": "地区",
           "period": "统计年度", "indicator": "指标编号", "indicator_name": "指标", "value": "值", "unit": "单位",
           "numerator": "分子", "denominator": "分母", "status": "状态", "reason": "原因", "target": "目标",
           "met": "达标", "by": "分组依据", "group": "组", "contributing": "计入", "left_out": "未计入",
           "left_out_detail": "未计入的填报及原因", "scheme": "评分方案", "total": "得分", "maximum": "满分",
           "percent": "得分率%", "breakdown": "明细"},
}
STATUS_ZH = {"ok": "正常", "missing input": "缺少数据", "denominator zero": "分母为0"}


def _num(x: float | None) -> float | int | str:
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else x


def _targets(ts: list[TargetResult]) -> tuple[str, str]:
    target = "; ".join(f"{t.set} {OPS.get(t.op, t.op)} {t.value:g}" for t in ts)
    met = "; ".join("" if t.met is None else ("yes" if t.met else "no") for t in ts)
    return target, met


def _result(r: IndicatorResult) -> dict[str, object]:
    target, met = _targets(r.targets)
    return {"value": _num(r.value), "unit": r.unit, "numerator": _num(r.numerator), "denominator": _num(r.denominator),
            "status": r.status, "reason": r.reason or "", "target": target, "met": met}


def _submitter(f: FileReport, x: FormFound) -> dict[str, object]:
    return {"file": f.file, "sheet": x.sheet, "form": x.code, "name": x.name or "", "org_code": x.org_code or "",
            "region": x.region or "", "period": x.period or ""}


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
    columns = dict.fromkeys(k for row in rows for k in row if k not in SUBMITTER)
    return [*SUBMITTER, *columns], rows


def group_rows(report: ComputeReport) -> list[dict[str, object]]:
    out = []
    for g in report.groups:
        r = g.indicator
        out.append({"by": g.by, "group": g.group, "form": g.form, "indicator": r.id, "indicator_name": r.name,
                    **_result(r), "contributing": len(g.contributing), "left_out": len(g.left_out),
                    "left_out_detail": "; ".join(f"{x.submission}: {x.reason}" for x in g.left_out)})
    return out


def score_rows(scores: list[ScoreResult]) -> list[dict[str, object]]:
    return [{"file": s.file, "sheet": s.sheet, "form": s.form, "name": s.name or "", "scheme": s.scheme,
             "total": _num(s.total), "maximum": _num(s.maximum),
             "percent": _num(round(100 * s.total / s.maximum, 2)) if s.maximum else "",
             "breakdown": "; ".join(f"{i.indicator} {i.points:g}/{i.weight:g}" for i in s.items)} for s in scores]


def unusable_rows(report: ComputeReport) -> list[dict[str, object]]:
    return [{"file": f.file, "reason": f.error} for f in report.files if f.error]
