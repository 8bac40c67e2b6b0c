"""Render a ComputeReport as csv, json, table or xlsx.

JSON carries everything (files with their indicators, groups, scores, summary),
with the same indicator objects as `validate`. csv and table carry the main
table: groups when grouped, else scores when scored, else one row per
submission and indicator (or per submission with --wide); the table also lists
unusable files. xlsx holds every table, one sheet each.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from yjzl.batch import rows as R
from yjzl.output import csvtext
from yjzl.report import ComputeReport
from yjzl.text import json_safe, visible


def to_json(report: ComputeReport, wide: bool = False) -> str:
    return json_safe(json.dumps(report.to_dict(), ensure_ascii=False, indent=2)) + "\n"


def _main(report: ComputeReport, wide: bool) -> tuple[list[str], list[dict[str, object]]]:
    if report.groups:
        return R.with_sets(R.GROUP, report.target_sets), R.group_rows(report)
    if report.scores:
        return R.SCORE, R.score_rows(report.scores)
    if wide:
        return R.wide_rows(report)
    return R.with_sets(R.LONG, report.target_sets), R.long_rows(report)


def to_csv(report: ComputeReport, wide: bool = False) -> str:
    columns, rows = _main(report, wide)
    buf = io.StringIO()
    w = csvtext.DictWriter(buf, columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


EN = {"indicator_name": "indicator", "indicator": "indicator id", "org_code": "organisation code", "met": "met",
      "left_out_detail": "left out (why)", "percent": "percent", "by": "grouped by",
      "copies": "copies (with a roster the first counts)"}


def _header(col: str, lang: str, names: dict[str, str] | None = None) -> str:
    """A column as people call it; a --wide indicator column by the indicator's name; a target set's pair of
    columns by the set's name (names: the report's target_sets)."""
    if names and col in names:
        return names[col]
    pair = R.set_of(col)
    if pair and names is not None and pair[1] in names:
        kind, name = pair[0], names[pair[1]]
        return (f"{'目标' if kind == 'target' else '达标'}（{name}）" if lang == "zh" else f"{kind} ({name})")
    return R.HEADERS["zh"].get(col, col) if lang == "zh" else EN.get(col, col).replace("_", " ")


def _zh(column: str, value: object) -> object:
    if column in ("statistics_period", "compared_with") and value:
        from yjzl.period import parse

        return parse(str(value)).label("zh")  # 2019年上半年
    if column == "status":
        return R.STATUS_ZH.get(str(value), value)
    if column == "audit":
        return R.AUDIT_ZH.get(str(value), value)
    if column in ("resubmitted", "late") and value in ("yes", "no"):  # 已重报, 逾期 (进度明细)
        return "是" if value == "yes" else "否"
    if column == "met":
        words = {"yes": "是", "no": "否"}
        return "; ".join(words.get(x, re.sub(r"^not yet due \((.*)\)$", r"未到期（\1）", x)) for x in str(value).split("; "))
    return value


def one_set(rows: list[dict[str, object]]) -> str | None:
    """The target set of all the rows' targets when there is only one (the header names it), else None."""
    sets = {t.set for r in rows for t in r.get("_targets") or []}  # type: ignore[attr-defined]
    return next(iter(sets)) if len(sets) == 1 else None


def people(report: ComputeReport, row: dict[str, object], one: str | None = None) -> dict[str, object]:
    """A row in people's words: statuses, 是/否, targets as 国家标准 ≥ 95%, forms by code. `one`: the only
    target set, named in the header instead (≥ 95%)."""
    from yjzl.output import words

    lang = report.lang
    out = dict(row)
    if "status" in row:
        out["status"] = words.status(str(row["status"]), lang)
    for col in ("resubmitted", "late"):  # 已重报, 逾期 (the roster's 进度明细)
        if row.get(col) in ("yes", "no"):
            out[col] = words.yes_no(row[col] == "yes", lang)
    if row.get("audit"):
        out["audit"] = R.AUDIT_ZH.get(str(row["audit"]), row["audit"]) if lang == "zh" else row["audit"]
    for col, value in row.items():  # a set's own columns (xlsx): 是/否/未到期（2020-12-31） in Chinese
        if lang == "zh" and R.set_of(col) and col.startswith("met_"):
            text = str(value)
            out[col] = {"yes": "是", "no": "否"}.get(text) or (
                words.not_yet_due(text[13:-1] or None, "zh") if text.startswith("not yet due") else value)
    if "_targets" in row:
        ts = row["_targets"]
        unit = str(row.get("unit") or "")
        out["target"] = "\n".join(("" if t.set == one else f"{report.target_sets.get(t.set, t.set)} ") + words.target(t.op, t.value, unit)
                                  + (f" ±{t.tolerance:g}" if t.tolerance else "") + ((f"（{t.by}）" if lang == "zh" else f" ({t.by})") if t.by else "") for t in ts)
        out["met"] = "\n".join(words.not_yet_due(t.due_date, lang) if t.due is False and t.met is None
                               else words.yes_no(t.met, lang) for t in ts)
    if "_verdict" in row:
        from yjzl.rules.verdicts import words as verdict_words

        out["verdict"] = verdict_words(row["_verdict"], lang)  # type: ignore[arg-type]
    return out


def _wide_names(report: ComputeReport, columns: list[str]) -> dict[str, str]:
    names = {r.id: r.name for f in report.files for r in f.indicators}
    return {c: names[c] for c in columns if c in names and c not in R.SUBMITTER}


def table_block(report: ComputeReport, columns: list[str], rows: list[dict[str, object]], wide: bool,
                names: dict[str, str] | None = None, forms_en: dict[str, str] | None = None) -> str:
    """Rows of the main table in people's words, fitted to the terminal (a streamed run writes several
    blocks). The long table is one table per submission under its heading; `names`: --wide's
    indicator columns by name."""
    from yjzl.output.table import fit_line, render

    zh = report.lang == "zh"
    out: list[str] = []
    if not (report.groups or report.scores or wide or R.is_group(columns) or R.is_score(columns)):
        # the sheet, codes and the sums are in csv/json; the table keeps what a person reads: a value, or why there is
        # none (the status and its reason under the indicator's name)
        keep = ["indicator_name", "value", "unit", "target", "met", "verdict"]
        blocks: dict[tuple, list[dict[str, object]]] = {}
        for r in rows:
            blocks.setdefault((r["file"], r["sheet"], r["form"], r["name"]), []).append(r)
        for (file, sheet, form, name), block in blocks.items():
            a = block[0]
            audit = "" if not a.get("audit") else (
                f"（审核结果：{R.AUDIT_ZH.get(str(a['audit']), a['audit'])}，错误数 {a['errors']}，待说明警告数 {a['warnings_open']}）" if zh else
                f" (audit: {a['audit']}, {a['errors']} error(s), {a['warnings_open']} open warning(s))")
            where = f"{form}「{sheet}」" if zh else f"{a.get('_form_en') or form} '{sheet}'"
            out.append(fit_line(f"{file}: {where}" + (f" {name}" if name else "") + audit))
            one = one_set(block)
            shown = [_why(people(report, r, one), r, zh) for r in block]
            cols = [c for c in keep if c in ("indicator_name", "value") or any(r.get(c) not in ("", None) for r in shown)]
            caps = {"target": 14, "unit": 8}
            heads = [_header(c, report.lang) for c in cols]
            if one and "target" in cols:  # one set: named once, in the header
                name = report.target_sets.get(one, one)
                heads[cols.index("target")] = f"目标（{name}）" if zh else f"target ({name})"
            out.append(render([[r.get(c, "") for c in cols] for r in shown], headers=heads, caps=[caps.get(c) for c in cols]) + "\n")
        return "\n".join(out).rstrip("\n") + "\n"
    if R.is_group(columns) and rows:  # what was grouped by heads the table; indicators by name, not id
        return grouped_table(report, rows, forms_en)
    names = names if names is not None else (_wide_names(report, columns) if wide else {})
    show = [people(report, r) for r in rows]
    out.append(render([[r.get(c, "") for c in columns] for r in show], headers=[_header(c, report.lang, names) for c in columns]))
    return "\n".join(out)


def _why(shown: dict[str, object], row: dict[str, object], zh: bool) -> dict[str, object]:
    """A row without a value says why under the indicator's name (缺少数据：需要 …): no column of statuses and
    reasons that most rows leave empty."""
    if row.get("status") not in ("ok", None, ""):
        reason = str(row.get("reason") or "")
        why = f"{shown['status']}{'：' if zh else ': '}{reason}" if reason else str(shown["status"])
        shown["indicator_name"] = f"{shown['indicator_name']}\n→ {why}"
    return shown


def grouped_table(report: ComputeReport, rows: list[dict[str, object]], forms_en: dict[str, str] | None = None) -> str:
    """--group-by for a person: a block per form, its indicators as rows and the groups as columns (a value, or
    – with the reason in the legend); too many groups for the screen continue in further blocks that repeat the
    indicator. The numerators, denominators and who was left out are in CSV, JSON and xlsx. `forms_en`: each
    form's English code (Form 3) by its code (表3)."""
    from yjzl.output import words
    from yjzl.output.table import fit_line, render

    zh = report.lang == "zh"
    by = str(rows[0]["by"])
    if by == "all":
        out = ["全部填报合为一组" if zh else "all submissions as one group"]
    else:
        out = [fit_line(f"按{_header(by, 'zh')}分组" if zh else f"grouped by {_header(by, 'en')}")]
    forms: dict[str, dict[str, dict[str, dict[str, object]]]] = {}  # form → indicator → group → row
    groups: dict[str, None] = {}
    for r in rows:
        forms.setdefault(str(r["form"]), {}).setdefault(str(r["indicator"]), {})[str(r["group"])] = r
        groups[str(r["group"])] = None
    one = one_set(rows)  # one set: named once, in the header
    missing = False
    for form, indicators in forms.items():
        present = [g for g in groups if any(g in by_group for by_group in indicators.values())]
        table = []
        for by_group in indicators.values():
            first = next(iter(by_group.values()))
            unit = str(first.get("unit") or "")
            target = ("；" if zh else "; ").join(
                ("" if one else f"{report.target_sets.get(t.set, t.set)} ") + words.target(t.op, t.value, unit)
                + (f" ±{t.tolerance:g}" if t.tolerance else "") + ((f"（{t.by}）" if zh else f" ({t.by})") if t.by else "")
                for t in first.get("_targets") or [])  # type: ignore[attr-defined]
            values: list[object] = []
            for g in present:
                r = by_group.get(g)
                missing |= r is not None and r.get("status") != "ok"
                values.append("" if r is None else r["value"] if r.get("status") == "ok" else "–")
            name = str(first["indicator_name"]) + ((f"（{unit}）" if zh else f" ({unit})") if unit else "")
            table.append([name, target, *values])
        head = ["指标" if zh else "indicator", "目标" if zh else "target", *present]
        if one:
            name = report.target_sets.get(one, one)
            head[1] = f"目标（{name}）" if zh else f"target ({name})"
        if not any(row[1] for row in table):
            table = [[row[0], *row[2:]] for row in table]
            head = [head[0], *head[2:]]
        shown = form if zh else (forms_en or {}).get(form, form)
        out += ["", f"{shown}（{len(indicators)} 个指标）" if zh else f"{shown} ({len(indicators)} indicators)"]
        out.append(render(table, headers=head, caps=[28, 16]))
    if missing:
        out += ["", fit_line("–：缺少数据或分母为 0（原因见 CSV、JSON 或不加 --group-by 的表格）" if zh else
                             "–: missing input or denominator zero (the reason is in CSV, JSON or the table without --group-by)")]
    return "\n".join(out)


def table_tail(report: ComputeReport, unusable: list[dict[str, object]], s: dict[str, int]) -> str:
    """The unusable files, what the totals leave out, the roster and the summary line that end a table."""
    from yjzl.bilingual import in_language
    from yjzl.output.table import fit_line

    zh = report.lang == "zh"
    out = [fit_line(f"{'无法使用' if zh else 'unusable'}: {u['file']}: {in_language(str(u['reason']), report.lang)}")
           for u in unusable]
    out += [fit_line(x) for x in _totals_note(report, s["failed"])]
    out += _roster_text(report)
    out += [fit_line(x) for x in duplicates_text(report)]
    out += [fit_line(x) for x in divisions_text(report)]
    out.append(fit_line(summary_line(s, report.lang)))
    if s.get("judged_by_direction") or s.get("judged_by_peers"):  # hospitals: what judged the values without a target
        out.append(fit_line(
            f"判定：{s['judged_by_target']} 个按目标值，{s['judged_by_direction']} 个按较前期的方向，{s['judged_by_peers']} 个按同级（同表同级别）排位"
            if zh else f"judged: {s['judged_by_target']} against a target, {s['judged_by_direction']} by the direction of the change, "
            f"{s['judged_by_peers']} among peers (same form and level)"))
    return "\n".join(out) + "\n"


def summary_line(s: dict[str, int], lang: str) -> str:
    """The line that ends compute's table: inputs that could not be used lead (an input is a file, a folder
    or a glob), then what the others hold."""
    used = s["files"] - s["unusable"]
    if lang == "zh":
        body = (f"{used} 个文件、{s['submissions']} 份填报（审核通过 {s['passed']}，有错误 {s['failed']}）：{s['ok']} 个指标值，"
                f"{s['missing_input']} 个缺少数据，{s['denominator_zero']} 个分母为 0")
        return f"{s['unusable']} 个输入无法使用（见上）；其余 {body}" if s["unusable"] else f"共 {body}"
    body = (f"{used} file(s), {s['submissions']} submission(s) ({s['passed']} pass, {s['failed']} with errors): {s['ok']} values, "
            f"{s['missing_input']} missing input, {s['denominator_zero']} denominator zero")
    return f"{s['unusable']} input(s) could not be used (above); {body}" if s["unusable"] else body


def _totals_note(report: ComputeReport, failing: int) -> list[str]:
    """What the groups and scores leave out, one by one; or how many failing submissions they include."""
    zh = report.lang == "zh"
    out = []
    if report.left_out and (report.groups or report.scores or report.only_passing):
        out.append(f"未计入分组与评分的填报（{len(report.left_out)}）：" if zh else
                   f"left out of groups and scores ({len(report.left_out)}):")
        out += [f"  {x.submission}: {x.reason}" for x in report.left_out]
    if (report.groups or report.scores) and not report.only_passing and failing:
        out.append(f"分组与评分含 {failing} 份有错误的填报（--only-passing 可排除）" if zh else
                   f"groups and scores include {failing} submission(s) with errors (--only-passing leaves them out)")
    return out


def _roster_text(report: ComputeReport) -> list[str]:
    from yjzl.output.table import fit_line, render

    r = report.roster
    if r is None:
        return []
    zh = report.lang == "zh"
    reported = sum(1 for p in r.units if p.submissions)
    out = [fit_line(f"名单 {r.file}：应报 {len(r.units)}，已报 {reported}，未报送 {len(r.missing)}，重复报送 {len(r.duplicates)}，"
           f"名单外 {len(r.strangers)}" if zh else
           f"roster {r.file}: {len(r.units)} expected, {reported} reported, {len(r.missing)} not reported, "
           f"{len(r.duplicates)} reported twice, {len(r.strangers)} not on the roster")]
    caps = {"counted": 24, "submissions": 24, "why": 16, "submission": 24, "region": 12}
    for key, title_zh, title_en, columns, rows in R.roster_tables(report):
        if not rows:
            continue
        if key == "progress":  # which copy counts, when several came, is in 重复报送 below: the path would crowd out the names
            columns = [c for c in columns if c != "counted"]
        out.append(f"{title_zh if zh else title_en}（{len(rows)}）：" if zh else f"{title_en} ({len(rows)}):")
        out.append(render([[_zh(c, x.get(c, "")) if zh else x.get(c, "") for c in columns] for x in rows],
                          headers=[_header(c, report.lang) for c in columns], caps=[caps.get(c) for c in columns]))
    return out


def duplicates_text(report: ComputeReport) -> list[str]:
    """疑似重复报送 without a roster: one line per submitter and its copies, and that every copy is counted."""
    from yjzl.period import parse

    dups = report.duplicates
    if not dups:
        return []
    zh = report.lang == "zh"
    bases = {R.matched_by(d, report.lang) for d in dups}
    mixed = len(bases) > 1  # then each line says its own
    basis = ("同一机构代码或名称" if zh else "the same organisation code or name") if mixed else bases.pop()
    out = [f"疑似重复报送 {len(dups)} 组（{basis}、同一表、同一统计周期）：" if zh else
           f"suspected duplicates, {len(dups)} group(s) ({basis}, form and statistics period):"]
    for d in dups:
        period = parse(d.statistics_period).label(report.lang) if d.statistics_period else None
        how = "" if not mixed else f"，{R.matched_by(d, 'zh')}" if zh else f", {R.matched_by(d, 'en')}"
        who = d.name or d.region or ""
        why = (f"；名单下以第一份为准：{d.why}" if zh else f"; with a roster the first counts: {d.why}") if d.why else ""
        out.append(f"  {d.form} {who}（{period or '统计周期未知'}{how}）：{'、'.join(d.submissions)}{why}" if zh else
                   f"  {d.form} {who} ({period or 'period unknown'}{how}): {', '.join(d.submissions)}{why}")
    out.append("合计与分组中每一份都计入；用 --roster 名单可只计一份" if zh else
               "every copy counts in the totals and groups; --roster ROSTER counts one only")
    return out


def divisions_text(report: ComputeReport) -> list[str]:
    """With --group-by province|city|county: the division table's edition, and each region text that disagrees
    with its submission's code (a warning: placed by the code)."""
    if report.divisions is None:
        return []
    zh = report.lang == "zh"
    conflicts = [p for p in report.placements if p.conflict]
    unplaced = sum(1 for p in report.placements if p.division is None)
    out = [f"行政区划表：{report.divisions}；{len(report.placements)} 份填报中 "
           f"{sum(p.source == 'code' for p in report.placements)} 份按机构代码、{sum(p.source == 'text' for p in report.placements)} 份按地区名称归入"
           + (f"，{unplaced} 份无法归入（未填）" if unplaced else "") if zh else
           f"division table: {report.divisions}; of {len(report.placements)} submission(s), "
           f"{sum(p.source == 'code' for p in report.placements)} placed by organisation code, "
           f"{sum(p.source == 'text' for p in report.placements)} by region text" + (f", {unplaced} not placed" if unplaced else "")]
    if conflicts:
        out.append(f"警告：地区与机构代码不一致 {len(conflicts)} 份：" if zh else
                   f"warning: region disagrees with the organisation code in {len(conflicts)} submission(s):")
        out += [f"  {p.submission}：{p.conflict}" if zh else f"  {p.submission}: {p.conflict}" for p in conflicts]
    return out


def to_table(report: ComputeReport, wide: bool = False) -> str:
    columns, rows = _main(report, wide)
    forms_en = {x.code: x.code_en or x.code for f in report.files for x in f.forms}
    head = [table_block(report, columns, rows, wide, forms_en=forms_en)] if rows else []
    text = "\n".join(head) + ("\n" if head else "") + table_tail(report, R.unusable_rows(report), report.summary())
    return visible(text)  # a file name or a cell's text (a roster's too): its control characters shown, not acted on


def write_xlsx(report: ComputeReport, path: Path, wide: bool = False) -> None:
    """Every table, one sheet each, through yjzl.output.xlsx_sheet (styled, safe cells, yjzl's mark). The
    sheet a supervisor opens first leads: 进度明细 with a roster, else the groups, the scores or the indicators."""
    import openpyxl

    from yjzl.output import xlsx_sheet as X

    wb = openpyxl.Workbook(write_only=True)  # streaming: thousands of rows without a cell object each
    zh = report.lang == "zh"
    tables = []
    for key, title_zh, title_en, columns, rows in R.roster_tables(report):
        tables.append((key, title_zh if zh else title_en, columns, rows))
    if report.groups:
        tables.append(("groups", "分组" if zh else "groups", R.with_sets(R.GROUP, report.target_sets), R.group_rows(report)))
    if report.scores:
        tables.append(("scores", "评分" if zh else "scores", R.SCORE, R.score_rows(report.scores)))
    main = R.wide_rows(report) if wide else (R.with_sets(R.LONG, report.target_sets), R.long_rows(report))
    main_at = 1 if report.roster is not None else len(tables)  # after 进度明细, else after the groups and scores
    tables.insert(main_at, ("indicators", "指标" if zh else "indicators", *main))
    if report.duplicates:
        tables.append(("duplicates", "疑似重复报送" if zh else "suspected duplicates", R.DUPLICATE, R.duplicate_rows(report)))
    if report.placements:
        tables.append(("divisions", "行政区划" if zh else "divisions", R.PLACED, R.placed_rows(report)))
    if report.left_out:
        tables.append(("left_out", "未计入" if zh else "left out", ["submission", "reason"],
                       [{"submission": x.submission, "reason": x.reason} for x in report.left_out]))
    unusable = R.unusable_rows(report)
    if unusable:
        tables.append(("unusable", "无法使用" if zh else "unusable", ["file", "reason"], unusable))
    units = {r.id: r.unit or "" for f in report.files for r in f.indicators}
    for _key, title, columns, rows in tables:
        names = _wide_names(report, columns) if wide else {}
        shown = [people(report, r) for r in rows]
        sets = {**report.target_sets, **names}  # a target set's pair of columns by the set's name
        heads = [X.Column(_header(c, report.lang, sets), unit=units.get(c, "") if c in names else "",
                          wrap=c in _WRAP) for c in columns]
        values = [[x.get(c, "") for c in columns] for x in shown]
        row_units = [str(r.get("unit") or "") for r in rows] if "value" in columns else None
        X.table(wb, title, heads, values, units=row_units, unit_columns={columns.index("value")} if row_units else None,
                freeze_cols=_frozen(columns), footer=title)
    X.mark(wb, "compute", [t for _, t, _, _ in tables])
    wb.save(path)


# Columns of running text: wrapped in a capped width (the others are as wide as what they hold).
_WRAP = {"reason", "left_out_detail", "breakdown", "copies", "submissions", "why", "target", "met"}


def _frozen(columns: list[str]) -> int:
    """The columns that stay in view when scrolling right: who the row is about."""
    for i, c in enumerate(columns):
        if c in ("name", "group", "submission"):
            return i + 1
    return 0


TEXT_FORMATS = {"json": to_json, "csv": to_csv, "table": to_table}
WRITERS = ["xlsx", *TEXT_FORMATS, "jsonl", "sqlite"]  # what `compute -o` can write (yjzl.output.atomic.format_of)
