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


EN = {"indicator_name": "indicator", "indicator": "indicator id", "org_code": "organisation code", "met": "met",
      "left_out_detail": "left out (why)", "percent": "percent", "by": "grouped by"}


def _header(col: str, lang: str, names: dict[str, str] | None = None) -> str:
    """A column as people call it; a --wide indicator column by the indicator's name."""
    if names and col in names:
        return names[col]
    return R.HEADERS["zh"].get(col, col) if lang == "zh" else EN.get(col, col).replace("_", " ")


def people(report: ComputeReport, row: dict[str, object]) -> dict[str, object]:
    """A row in people's words: statuses, 是/否, targets as 国家标准 ≥ 95%, forms by code."""
    from yjzl.output import words

    lang = report.lang
    out = dict(row)
    if "status" in row:
        out["status"] = words.status(str(row["status"]), lang)
    if "_targets" in row:
        ts = row["_targets"]
        unit = str(row.get("unit") or "")
        out["target"] = "\n".join(f"{report.target_sets.get(t.set, t.set)} {words.target(t.op, t.value, unit)}" for t in ts)
        out["met"] = "\n".join(words.yes_no(t.met, lang) for t in ts)
    return out


def _wide_names(report: ComputeReport, columns: list[str]) -> dict[str, str]:
    names = {r.id: r.name for f in report.files for r in f.indicators}
    return {c: names[c] for c in columns if c in names and c not in R.SUBMITTER}


def table_block(report: ComputeReport, columns: list[str], rows: list[dict[str, object]], wide: bool,
                names: dict[str, str] | None = None) -> str:
    """Rows of the main table in people's words, fitted to the terminal (a streamed run writes several
    blocks). The long table is one table per submission under its heading; `names`: --wide's
    indicator columns by name."""
    from yjzl.output.table import fit_line, render

    zh = report.lang == "zh"
    out: list[str] = []
    if not (report.groups or report.scores or wide or columns in (R.GROUP, R.SCORE)):
        # the sheet, codes and the sums are in csv/json; the table keeps what a person reads
        keep = ["indicator_name", "value", "unit", "status", "reason", "target", "met"]
        blocks: dict[tuple, list[dict[str, object]]] = {}
        for r in rows:
            blocks.setdefault((r["file"], r["sheet"], r["form"], r["name"]), []).append(r)
        for (file, sheet, form, name), block in blocks.items():
            out.append(fit_line(f"{file}: {form}「{sheet}」" + (f" {name}" if name else "")))
            shown = [people(report, r) for r in block]
            cols = [c for c in keep if c in ("indicator_name", "value") or any(r.get(c) not in ("", None) for r in shown)]
            out.append(render([[r.get(c, "") for c in cols] for r in shown], headers=[_header(c, report.lang) for c in cols]) + "\n")
        return "\n".join(out).rstrip("\n") + "\n"
    if columns == R.GROUP and rows:  # what was grouped by heads the table; indicators by name, not id
        by = str(rows[0]["by"])
        if by == "all":
            out.append("全部填报合为一组" if zh else "all submissions as one group")
        else:
            out.append(fit_line(f"按{_header(by, 'zh')}分组" if zh else f"grouped by {_header(by, 'en')}"))
        columns = [c for c in columns if c not in ("by", "indicator")]
    names = names if names is not None else (_wide_names(report, columns) if wide else {})
    show = [people(report, r) for r in rows]
    out.append(render([[r.get(c, "") for c in columns] for r in show], headers=[_header(c, report.lang, names) for c in columns]))
    return "\n".join(out)


def table_tail(report: ComputeReport, unusable: list[dict[str, object]], s: dict[str, int]) -> str:
    """The unusable files and the summary line that end a table."""
    from yjzl.output.table import fit_line

    zh = report.lang == "zh"
    out = [fit_line(f"{'无法使用' if zh else 'unusable'}: {u['file']}: {u['reason']}") for u in unusable]
    out.append(fit_line(
        f"共 {s['files']} 个文件、{s['submissions']} 份填报：{s['ok']} 个指标值，{s['missing_input']} 个缺少数据，"
        f"{s['denominator_zero']} 个分母为 0" + (f"；{s['unusable']} 个文件无法使用" if s["unusable"] else "") if zh else
        f"{s['files']} file(s), {s['submissions']} submission(s): {s['ok']} values, {s['missing_input']} missing input, "
        f"{s['denominator_zero']} denominator zero" + (f"; {s['unusable']} unusable file(s)" if s["unusable"] else "")))
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
        names = _wide_names(report, columns) if wide else {}
        ws.append([_header(c, report.lang, names) for c in columns])
        for r in rows:
            shown = people(report, r)
            ws.append([shown.get(c, "") for c in columns])
    wb.save(path)


TEXT_FORMATS = {"json": to_json, "csv": to_csv, "table": to_table}
WRITERS = ["xlsx", *TEXT_FORMATS, "jsonl"]  # what `compute -o` can write (yjzl.output.atomic.format_of)
