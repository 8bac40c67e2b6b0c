"""Render a ComputeReport as csv, json, table or xlsx.

JSON carries everything (files with their indicators, groups, scores, summary),
with the same indicator objects as `validate`. csv and table carry the main
table: groups when grouped, else scores when scored, else one row per
submission and indicator (or per submission with --wide); the table also lists
unusable files. xlsx holds every table, one sheet each.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from yjzl.batch import rows as R
from yjzl.report import ComputeReport


def to_json(report: ComputeReport, wide: bool = False) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _main(report: ComputeReport, wide: bool) -> tuple[list[str], list[dict[str, object]]]:
    if report.groups:
        return R.GROUP, R.group_rows(report)
    if report.scores:
        return R.SCORE, R.score_rows(report.scores)
    if wide:
        return R.wide_rows(report)
    return R.LONG, R.long_rows(report)


def to_csv(report: ComputeReport, wide: bool = False) -> str:
    columns, rows = _main(report, wide)
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _header(col: str, lang: str) -> str:
    return R.HEADERS["zh"].get(col, col) if lang == "zh" else col


def _zh(column: str, value: object) -> object:
    if column == "status":
        return R.STATUS_ZH.get(str(value), value)
    if column == "met":
        return str(value).replace("yes", "是").replace("no", "否")
    return value


def table_block(report: ComputeReport, columns: list[str], rows: list[dict[str, object]], wide: bool) -> str:
    """Rows of the main table, aligned (a streamed run writes several blocks)."""
    from yjzl.output.table import render

    zh = report.lang == "zh"
    if not (report.groups or report.scores or wide or columns in (R.GROUP, R.SCORE)):
        # the long table: the sheet, codes and the sums are in csv/json; the table keeps what a person reads
        columns = [c for c in columns if c not in ("sheet", "org_code", "region", "period", "numerator", "denominator", "indicator")]
    show = [{c: _zh(c, v) if zh else v for c, v in r.items()} for r in rows]
    return render([[r.get(c, "") for c in columns] for r in show], headers=[_header(c, report.lang) for c in columns])


def table_tail(report: ComputeReport, unusable: list[dict[str, object]], s: dict[str, int]) -> str:
    """The unusable files and the summary line that end a table."""
    zh = report.lang == "zh"
    out = [f"{'无法使用' if zh else 'unusable'}: {u['file']}: {u['reason']}" for u in unusable]
    out.append(f"共 {s['files']} 个文件、{s['submissions']} 份填报：{s['ok']} 个指标值，{s['missing_input']} 个缺少数据，"
               f"{s['denominator_zero']} 个分母为 0" + (f"；{s['unusable']} 个文件无法使用" if s["unusable"] else "") if zh else
               f"{s['files']} file(s), {s['submissions']} submission(s): {s['ok']} values, {s['missing_input']} missing input, "
               f"{s['denominator_zero']} denominator zero" + (f"; {s['unusable']} unusable file(s)" if s["unusable"] else ""))
    return "\n".join(out) + "\n"


def to_table(report: ComputeReport, wide: bool = False) -> str:
    columns, rows = _main(report, wide)
    head = [table_block(report, columns, rows, wide)] if rows else []
    return "\n".join(head) + ("\n" if head else "") + table_tail(report, R.unusable_rows(report), report.summary())


def write_xlsx(report: ComputeReport, path: Path, wide: bool = False) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)  # streaming: thousands of rows without a cell object each
    zh = report.lang == "zh"
    tables = [("指标" if zh else "indicators", *(R.wide_rows(report) if wide else (R.LONG, R.long_rows(report))))]
    if report.groups:
        tables.append(("分组" if zh else "groups", R.GROUP, R.group_rows(report)))
    if report.scores:
        tables.append(("评分" if zh else "scores", R.SCORE, R.score_rows(report.scores)))
    unusable = R.unusable_rows(report)
    if unusable:
        tables.append(("无法使用" if zh else "unusable", ["file", "reason"], unusable))
    for title, columns, rows in tables:
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        ws.append([_header(c, report.lang) for c in columns])
        for r in rows:
            ws.append([r.get(c, "") for c in columns])
    wb.save(path)


TEXT_FORMATS = {"json": to_json, "csv": to_csv, "table": to_table}
