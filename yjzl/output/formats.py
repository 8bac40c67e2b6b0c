"""Render a Report as a table, JSON, CSV or GitHub workflow annotations."""

from __future__ import annotations

import io
import json

from yjzl.output import csvtext
from yjzl.report import FileReport, FormFound, Report
from yjzl.text import json_safe, visible

SEV = {"zh": {"error": "错误", "warning": "警告"}, "en": {"error": "error", "warning": "warning"}}


def to_json(report: Report) -> str:
    return json_safe(json.dumps(report.to_dict(), ensure_ascii=False, indent=2)) + "\n"


CSV_HEADER = ["file", "severity", "code", "check", "cells", "message", "explained", "explanation"]


def csv_rows(f: FileReport) -> list[list[str]]:
    rows = [[f.file, "error", "YJ000", "unusable-input", "", f.error, "false", ""]] if f.error else []
    return rows + [[f.file, x.severity, x.code, x.check, " ".join(x.cells), x.message, str(x.explained).lower(),
                    x.explanation or ""] for x in f.findings]


def to_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csvtext.Writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for f in report.files:
        w.writerows(csv_rows(f))
    return buf.getvalue()


def _escape(text: str) -> str:  # GitHub workflow-command data escaping
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property (file=, title=): a file name with a line break, `,` or `:` could
    otherwise end the property or start a command of its own (`x\n::add-mask::…`)."""
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(f: FileReport) -> list[str]:
    lines = [f"::error file={_property(f.file)},title=YJ000::{_escape(f.error)}"] if f.error else []
    for x in f.findings:
        if x.explained:
            continue
        level = "error" if x.severity == "error" else "warning"
        where = ",".join(x.cells)
        lines.append(f"::{level} file={_property(f.file)},title={_property(f'{x.code} {x.check}')}::{_escape(where + ' ' + x.message)}")
    return lines


def to_github(report: Report) -> str:
    lines = [line for f in report.files for line in github_lines(f)]
    return "\n".join(lines) + ("\n" if lines else "")


ORIGIN = {"zh": {"option": "--period", "form": "表中统计年度", "catalogue": "目录默认"},
          "en": {"option": "--period", "form": "the form's 统计年度", "catalogue": "catalogue default"}}


def period_text(x: FormFound, lang: str) -> str:
    """2019年上半年（目录默认） — the period the form was audited for, and where it came from (and how a bare year
    such as 2019 was read: the whole year, as `--period 2019`)."""
    if not x.statistics_period:
        return ""
    from yjzl.period import bare_year, parse

    label = parse(x.statistics_period).label(lang)
    origin = ORIGIN[lang].get(x.period_origin or "", x.period_origin or "")
    if x.period_origin == "form" and x.period and bare_year(x.period):  # say how a year with no span was read
        origin = (f"表中统计年度“{x.period.strip()}”只写年份，按全年" if lang == "zh"
                  else f"the form's 统计年度 '{x.period.strip()}' gives only the year: read as the whole year")
    return f"{label}（{origin}）" if lang == "zh" else f"{label} ({origin})"


def period_note(x: FormFound, lang: str) -> str:
    if not x.statistics_period:
        return ""
    return f" 统计周期 {period_text(x, lang)}" if lang == "zh" else f" period {period_text(x, lang)}"


def _where(x: FormFound, zh: bool) -> str:
    """A form as found; a table row with its row number and submitter, so that findings group by submitter."""
    code = x.code if zh else x.code_en or x.code
    if x.row is None:
        return f"{code}「{x.sheet}」" if zh else f"{code} '{x.sheet}'"
    who = ("，" if zh else ", ").join(t for t in (x.name, x.org_code or (x.region if not x.name else None)) if t) or (
        "未写明单位" if zh else "no submitter")
    return f"{code}「{x.sheet}」第 {x.row} 行 {who}" if zh else f"{code} '{x.sheet}' row {x.row} {who}"


class CleanRows:
    """A table's rows with nothing to say, counted as they stream by and said in one line when the table ends."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.key: tuple[str, str, str] | None = None
        self.clean = 0
        self.listed = False

    def take(self, f: FileReport, show_indicators: bool) -> tuple[list[str], bool]:
        """The lines due before f (the previous table's count), and whether f is a clean row (not shown)."""
        row = len(f.forms) == 1 and f.forms[0].row is not None and not f.error
        key = (f.file, (f.forms[0].code if self.lang == "zh" else f.forms[0].code_en or f.forms[0].code), f.forms[0].sheet) if row else None
        lines = self.flush() if key != self.key else []
        self.key = key
        if not row:
            return lines, False
        if not f.findings and not f.sheets_skipped and not show_indicators:
            self.clean += 1
            return lines, True
        self.listed = True
        return lines, False

    def flush(self) -> list[str]:
        if not self.clean or self.key is None:
            self.clean, self.listed = 0, False
            return []
        file, code, sheet = self.key
        other = self.listed
        line = (f"{file}: {code}「{sheet}」{'其余' if other else '全部'} {self.clean} 行没有问题" if self.lang == "zh"
                else f"{file}: {code} '{sheet}': {self.clean} {'other ' if other else ''}row(s) clean")
        self.clean, self.listed = 0, False
        return [line, ""]


def table_file(f: FileReport, lang: str, show_indicators: bool = False, rows: CleanRows | None = None) -> list[str]:
    """One file's block of the table: its forms, skipped sheets, findings (and indicators). A table's
    clean rows are counted in `rows` instead of listed."""
    from yjzl.bilingual import in_language
    from yjzl.output import words
    from yjzl.output.table import fit_line, render

    zh = lang == "zh"
    out: list[str] = []
    if rows is not None:
        out, hidden = rows.take(f, show_indicators)
        if hidden:
            return out
    if f.error:
        return [*out, fit_line(f"{f.file}: {'无法使用' if zh else 'unusable'}: {in_language(f.error, lang)}")]
    forms = ("、" if zh else ", ").join(_where(x, zh) + period_note(x, lang) for x in f.forms) or ("未找到表单" if zh else "no form found")
    out.append(fit_line(f"{f.file}: {forms}"))
    for s in f.sheets_skipped:
        out.append(fit_line(f"  {'跳过' if zh else 'skipped'} {s.sheet}: {in_language(s.reason, lang)}"))
    if f.findings:
        out.append(findings_table(f, lang))
    if show_indicators and f.indicators:
        codes = {x.form: x.code if zh else x.code_en or x.code for x in f.forms}  # the form by its code (表3), not its id
        out.append(render([[i.name, codes.get(i.form, i.form), "" if i.value is None else i.value, i.unit,
                            words.status(i.status, lang)] for i in f.indicators],
                          headers=["指标", "表", "值", "单位", "状态"] if zh else ["indicator", "form", "value", "unit", "status"]))
    out.append("")
    return out


def findings_table(f: FileReport, lang: str, limit: int | None = -1) -> str:
    """A file's findings for the terminal, designed for 80 columns: the message is given the width; cells
    lose their sheet when all share one (the heading names it), and a run down a column is one range
    (C86:C89); an explained warning is a warning whose 说明 follows its message."""
    from yjzl.output.table import render
    from yjzl.report import cell_position

    zh = lang == "zh"
    where = [cell_position(c) for x in f.findings for c in x.cells]
    sheets = {p[0] for p in where if p}
    one = sheets.pop() if len(sheets) == 1 and all(where) else None
    rows = []
    for x in f.findings:
        note = ""
        if x.explanation:
            note = ("\n已说明：" if x.explained else "\n说明：") if zh else ("\nexplained: " if x.explained else "\nnote: ")
            note += x.explanation
        rows.append([SEV[lang][x.severity], x.code, ", ".join(short_cells(x.cells, one)), x.message + note])
    cells = "单元格" if zh else "cells"
    if one is not None and one not in {x.sheet for x in f.forms}:  # the heading names another sheet
        cells = f"单元格（{one}）" if zh else f"cells ({one})"
    return render(rows, headers=["级别", "代码", cells, "问题"] if zh else ["level", "code", cells, "problem"],
                  limit=limit, caps=[None, None, 16, None])


def short_cells(cells: list[str], sheet: str | None = None) -> list[str]:
    """Cell references as few as they can be: without `sheet!` when `sheet` is given; three or more cells
    running down one column (C86, C87, C88, C89) as a range, C86:C89."""
    from yjzl.report import cell_position

    out: list[str] = []
    run: list[tuple[str, tuple[str, int, int]]] = []  # (as shown, position) of consecutive cells down one column

    def close() -> None:
        if len(run) >= 3:
            out.append(f"{run[0][0]}:{run[-1][0].rpartition('!')[2]}")
        else:
            out.extend(t for t, _ in run)
        run.clear()

    for ref in cells:
        p = cell_position(ref)
        text = ref.rpartition("!")[2] if p and sheet is not None and p[0] == sheet and "[" not in ref else ref
        if p and run and (p[0], p[1] - 1, p[2]) == run[-1][1] and ref.startswith("[") == run[-1][0].startswith("["):
            run.append((text, p))
            continue
        close()
        if p:
            run.append((text, p))
        else:
            out.append(text)
    close()
    return out


def table_summary(s: dict[str, int], lang: str) -> str:
    """The line that ends validate's table. What matters leads: inputs that could not be used (a file, a
    folder or a glob: "inputs", not "files"), then what the audited files hold."""
    from yjzl.output.table import fit_line

    audited = s["files"] - s["unusable"]
    many = s.get("submissions", 0) > audited
    if lang == "zh":
        bad = f"{s['unusable']} 个输入无法使用（见上）" if s["unusable"] else ""
        if not audited:
            return fit_line(f"没有审核任何文件：{bad}")
        counts = (f"{s['errors']} 个错误（必须修改），{s['open_warnings']} 个待说明的警告，"
                  f"{s['explained_warnings']} 个已说明的警告")
        files = f"{audited} 个文件" + (f"（{s['submissions']} 份填报）" if many else "")
        return fit_line(f"{bad}；其余 {files}：{counts}" if bad else f"共 {files}：{counts}")
    bad = f"{s['unusable']} input(s) could not be used (above)" if s["unusable"] else ""
    if not audited:
        return fit_line(f"nothing audited: {bad}")
    counts = f"{s['errors']} error(s) to fix, {s['open_warnings']} open warning(s), {s['explained_warnings']} explained"
    files = f"{audited} file(s)" + (f" ({s['submissions']} submissions)" if many else "")
    return fit_line(f"{bad}; {files} audited: {counts}" if bad else f"{files}: {counts}")


def to_table(report: Report, show_indicators: bool = False) -> str:
    rows = CleanRows(report.lang)
    out = [line for f in report.files for line in table_file(f, report.lang, show_indicators, rows)]
    out += rows.flush()
    out.append(table_summary(report.summary(), report.lang))
    return visible("\n".join(out) + "\n")  # a file name or a cell's text: its control characters shown, not acted on


FORMATS = {"table": to_table, "json": to_json, "csv": to_csv, "github": to_github}
