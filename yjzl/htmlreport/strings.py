"""The page's own words in Chinese and English, and how numbers are written on it.

Indicator and form names come from the data (the catalogue, in the language of
the run that computed them); only the page's frame is here.
"""

from __future__ import annotations

OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "分级诊疗与医联体评价考核报告",
        "generated": "由 {tool} {version} 生成；指标目录：{catalogue}；目标值：{set}",
        "overview": "概览",
        "charts": "指标与目标",
        "submissions": "各填报单位",
        "unusable": "无法使用的文件",
        "n_submissions": "填报单位（表单）",
        "n_files": "输入文件",
        "n_unusable": "无法使用的文件",
        "n_pass": "通过逻辑审核（无错误）",
        "n_fail": "有错误（须修改）",
        "n_not_audited": "未审核（输入中没有审核结果）",
        "n_errors": "错误",
        "n_open": "待说明的警告",
        "n_explained": "已说明的警告",
        "count": "数量",
        "item": "项目",
        "targets_table": "各指标目标达成情况",
        "indicator": "指标",
        "form": "表",
        "target": "目标",
        "met": "达标",
        "missed": "未达标",
        "not_yet_due": "未到期",
        "no_value": "无数据",
        "submission": "填报单位",
        "file": "文件",
        "sheet": "工作表",
        "org_code": "组织机构代码",
        "region": "地区",
        "period": "统计年度",
        "statistics_period": "统计周期",
        "status": "审核结果",
        "pass": "通过",
        "fail": "有错误",
        "not_audited": "未审核",
        "targets_met": "达标指标",
        "no_target": "无目标值",
        "target_near_axis": "◂ {text}（目标线紧贴 0 轴）",
        "value": "值",
        "unit": "单位",
        "numerator": "分子",
        "denominator": "分母",
        "state": "状态",
        "ok": "已计算",
        "missing input": "缺少数据",
        "undefined": "无法计算（分母为 0）",
        "denominator zero": "无法计算（分母为 0）",
        "errors": "错误（必须修改）",
        "open_warnings": "待说明的警告",
        "explained_warnings": "已说明的警告",
        "severity": "级别",
        "code": "代码",
        "cells": "单元格",
        "message": "问题",
        "explanation": "说明",
        "error": "错误",
        "warning": "警告",
        "none": "无",
        "reason": "原因",
        "no_value_list": "无数据：",
        "target_label": "目标 {op} {value}",
        "chart_aria": "{name}（{form}）：{n} 个有数据的填报单位中 {met} 个达标，目标 {op} {value}",
        "legend_met": "✓ 达标",
        "legend_miss": "✗ 未达标",
        "legend_target": "目标",
        "data_table": "数据表（可复制到 Excel）",
        "no_charts": "所选目标值（{set}）下没有可绘制的指标。",
        "only_missing": "以下有目标的指标在所有填报单位中都没有数据：",
        "no_findings": "无错误和警告。",
        "progress": "报送进度",
        "progress_line": "名单 {file}：应报 {expected}，已报 {reported}，未报送 {missing}，重复报送 {duplicates}，名单外 {strangers}",
        "roster_unit": "单位",
        "report_state": "报送",
        "reported": "已报送",
        "not_reported": "未报送",
        "twice": "收到 {n} 份",
        "section": "详见",
        "duplicates": "重复报送",
        "suspected": "疑似重复报送",
        "suspected_note": "同一表、同一统计周期、同一机构代码（无代码时同一名称，表1 为同一地区）收到不止一份。"
                          "图表与达标统计中每一份都计入；用 --roster 名单可只计一份（统计年度较晚、其次填报日期较晚的一份，列在最前；不看文件修改时间）。",
        "matched_by": "依据",
        "copies": "各份填报",
        "stat_period": "统计周期",
        "counts": "以此为准",
        "set_aside": "未采用",
        "strangers": "名单外的填报",
        "by_region": "分地区",
        "expected": "应报",
        "col_reported": "已报送",
        "col_not_reported": "未报送",
        "left_out": "以下 {n} 份填报未计入图表与达标统计：",
        "failing_included": "图表与达标统计含 {n} 份有错误（未通过逻辑审核）的填报；用 --only-passing 可排除。",
        "no_indicators": "本表没有计算指标。",
        "contents": "目录",
        "parts": "分册",
        "part": "分册",
        "index": "总览",
        "no_region": "未填地区",
        "spread": "各填报单位数值的分布（每个区间的单位数；共 {n} 个有数据）",
        "split_note": "填报单位较多（{n} 个），报告分为总览与 {parts} 个分册：总览给出全部单位的概览、目标达成与分布，各分册列出每个单位的详情。",
        "back": "返回总览",
        "details": "展开",
    },
    "en": {
        "title": "Tiered-diagnosis and medical-consortium evaluation report",
        "generated": "Made by {tool} {version}; catalogue: {catalogue}; targets: {set}",
        "overview": "Overview",
        "charts": "Indicators and targets",
        "submissions": "Submissions",
        "unusable": "Unusable files",
        "n_submissions": "Submissions (forms)",
        "n_files": "Input files",
        "n_unusable": "Unusable files",
        "n_pass": "Pass the logic checks (no errors)",
        "n_fail": "With errors (must be fixed)",
        "n_not_audited": "Not audited (the input held no audit)",
        "n_errors": "Errors",
        "n_open": "Open warnings",
        "n_explained": "Explained warnings",
        "count": "Count",
        "item": "Item",
        "targets_table": "Targets met, by indicator",
        "indicator": "Indicator",
        "form": "Form",
        "target": "Target",
        "met": "Met",
        "missed": "Not met",
        "not_yet_due": "Not yet due",
        "no_value": "No value",
        "submission": "Submission",
        "file": "File",
        "sheet": "Sheet",
        "org_code": "Organisation code",
        "region": "Region",
        "period": "Period",
        "statistics_period": "Statistics period",
        "status": "Audit",
        "pass": "pass",
        "fail": "errors",
        "not_audited": "not audited",
        "targets_met": "Targets met",
        "no_target": "no target",
        "target_near_axis": "◂ {text} (the line is at the axis)",
        "value": "Value",
        "unit": "Unit",
        "numerator": "Numerator",
        "denominator": "Denominator",
        "state": "Status",
        "ok": "computed",
        "missing input": "missing input",
        "undefined": "undefined (denominator 0)",
        "denominator zero": "undefined (denominator 0)",
        "errors": "Errors (must be fixed)",
        "open_warnings": "Open warnings",
        "explained_warnings": "Explained warnings",
        "severity": "Severity",
        "code": "Code",
        "cells": "Cells",
        "message": "Problem",
        "explanation": "Explanation",
        "error": "error",
        "warning": "warning",
        "none": "none",
        "reason": "Reason",
        "no_value_list": "No value: ",
        "target_label": "Target {op} {value}",
        "chart_aria": "{name} ({form}): {met} of {n} submissions with a value meet the target {op} {value}",
        "legend_met": "✓ met",
        "legend_miss": "✗ not met",
        "legend_target": "target",
        "data_table": "Data table (copies into Excel)",
        "no_charts": "No indicator to chart for the chosen target set ({set}).",
        "only_missing": "These targeted indicators have no value in any submission: ",
        "no_findings": "No errors or warnings.",
        "progress": "Progress",
        "progress_line": "Roster {file}: {expected} expected, {reported} reported, {missing} not reported, {duplicates} reported twice, {strangers} not on the roster",
        "roster_unit": "Unit",
        "report_state": "Reported",
        "reported": "reported",
        "not_reported": "not reported",
        "twice": "{n} received",
        "section": "See",
        "duplicates": "Reported twice",
        "suspected": "Suspected duplicates",
        "suspected_note": "One form for one statistics period arrived more than once from the same organisation code (without codes: "
                          "the same name; 表1: the same region). Every copy counts in the charts and target counts; with "
                          "--roster only one counts (the later period, then the later date filled in: listed first; never the file time).",
        "matched_by": "Matched by",
        "copies": "Copies",
        "stat_period": "Statistics period",
        "counts": "Counts",
        "set_aside": "Set aside",
        "strangers": "Not on the roster",
        "by_region": "By region",
        "expected": "Expected",
        "col_reported": "Reported",
        "col_not_reported": "Not reported",
        "left_out": "These {n} submissions are left out of the charts and target counts:",
        "failing_included": "The charts and target counts include {n} submission(s) with errors (failing the logic checks); --only-passing leaves them out.",
        "no_indicators": "This form has no computed indicators.",
        "contents": "Contents",
        "parts": "Parts",
        "part": "Part",
        "index": "Index",
        "no_region": "no region",
        "spread": "How the submissions' values spread (submissions per interval; {n} with a value)",
        "split_note": "With {n} submissions the report is an index and {parts} parts: the index has the overview, targets and spread over all; each part has its submissions in detail.",
        "back": "Back to the index",
        "details": "show",
    },
}


def t(lang: str, key: str, **kw: object) -> str:
    # An unknown key (a status a newer engine invents) shows as itself rather than failing the page.
    text = TEXT.get(lang, TEXT["zh"]).get(key, key)
    return text.format(**kw) if kw else text


def num(v: float | None) -> str:
    """A number as plain text Excel reads back as the same number: no grouping, no exponent, no trailing zeros."""
    if v is None:
        return ""
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


def with_unit(v: float, unit: str) -> str:
    return f"{num(v)}{unit}" if unit == "%" else f"{num(v)} {unit}".rstrip()


def op(symbol: str) -> str:
    return OPS.get(symbol, symbol)


def par(lang: str, html: str) -> str:
    """An aside in brackets: full-width in Chinese text, spaced half-width in English."""
    return f"（{html}）" if lang == "zh" else f" ({html})"


def colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def sep(lang: str) -> str:
    """Between items of a run-on list."""
    return "；" if lang == "zh" else "; "
