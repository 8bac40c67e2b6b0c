"""`yjzl validate`: audit workbooks offline, as the national platform would."""

from __future__ import annotations

from pathlib import Path

import click

from yjzl.cli.i18n import say
from yjzl.cli.options import (
    catalogue_options,
    check_form,
    compared_sets,
    finish,
    force_option,
    form_not_applied,
    lang_option,
    load_catalogue,
    note,
    period_option,
    say_own,
    say_repeated,
    table_on_screen,
    written,
)


@click.command()
@click.argument("files", nargs=-1, required=True)
@catalogue_options
@click.option("--form", "form", help="未能自动识别时指定表单，如 表1、表3（成员单位）、T4M / the form, when a sheet is not recognised")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "github"]), default=None,
              help="输出格式：表格（默认）、JSON、JSONL、CSV 或 GitHub Actions 注释；-o 以 .json/.jsonl/.csv 结尾时按扩展名。"
                   "table、csv、github、jsonl 逐个文件边审核边写出，json 全部审核完才写出 / output format (default: table, or "
                   "from -o's suffix); table, csv, github and jsonl are written file by file, json at the end")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件而非标准输出 / write to a file")
@click.option("--strict", is_flag=True, help="未说明的警告也视为失败 / open warnings fail too")
@click.option("--annotate", type=click.Path(path_type=Path),
              help="另存一份标注副本（.xlsx）：首页“审核结果”列出全部问题，错误标红、警告标黄并附批注；"
                   "多个文件或文件夹时给一个目录：为每个有问题的文件写标注副本，并写“退回清单.xlsx” / "
                   "write a marked-up copy (input untouched); for several files or a folder, a folder: a copy of every "
                   "file with findings and a send-back list")
@click.option("--previous", multiple=True, metavar="PATH",
              help="本单位往期填报（文件、文件夹或通配符；每给一次是一期）：数值远超本单位往期范围时在该单元格给出合理性警告 / "
                   "earlier rounds (once per round): a value far outside the unit's own history is a warning at its cell")
@click.option("--indicators", "show_indicators", is_flag=True, help="表格中同时列出计算的指标 / list computed indicators in the table")
@force_option
@period_option
@lang_option
def validate(files: tuple[str, ...], catalogue_path: Path | None, overlays: tuple[Path, ...], form: str | None,
             fmt: str | None, output: Path | None, strict: bool, annotate: Path | None, previous: tuple[str, ...],
             show_indicators: bool, force: bool, period: str | None, lang: str) -> None:
    """审核填报工作簿：逻辑审核（错误，必须修改）与合理性审核（警告，可填写说明）。

    FILES 可以是工作簿（.xlsx、.xls、.ods、.csv）、文件夹（递归查找，跳过 ~$ 锁定文件）或通配符；多个文件一起审核，
    表3 与其成员单位表可以在不同文件中。退出码：0 无错误，1 有错误（加 --strict 时未说明的警告也算），2 输入不可用。

    Audit submission workbooks: logic checks (errors, must be fixed) and
    plausibility checks (warnings, may stand with an explanation in the 说明
    column). FILES are workbooks (.xlsx, .xls, .ods, .csv), folders (searched recursively, ~$ lock files
    skipped) or globs; they are audited together, so a lead form meets its
    member forms. Exit 0 no errors, 1 errors (or open warnings with --strict),
    2 unusable input.

    \b
    例 / examples:
      yjzl validate 表3.xlsx
      yjzl validate 表3.xlsx --annotate 表3-审核.xlsx
      yjzl validate 第1批/ 第2批/ --annotate 退回/
      yjzl validate 2019上半年/ --previous 2018上半年/ --previous 2017上半年/
      yjzl validate 表3.xlsx --period 2019
      yjzl validate *.xlsx --format json -o report.json
    """
    import yjzl.api as api
    from yjzl.batch.inputs import expand_all
    from yjzl.output.atomic import prepare, write_text
    from yjzl.output.formats import FORMATS
    from yjzl.output.stream import STREAMED
    from yjzl.report import FileReport

    # Every file the run reads, named or found in a folder or glob, is never an output, not even with --force.
    named = [f for f in files if Path(f).is_file()]
    own: list[tuple[Path, str]] = []  # yjzl's own outputs in an input folder: said, not read
    paths, missing, repeated = expand_all(list(files), [], own)
    paths_read = [*paths, *(expand_all(list(previous), [], [])[0] if previous else [])]  # earlier rounds are read too
    if output:
        fmt = prepare(output, [*named, *paths_read], force, [*FORMATS, "jsonl"], fmt)
    # --annotate names a folder (an existing one, or a name without an extension): a copy of every file with
    # findings and the 退回清单 (yjzl.output.sendback); else one .xlsx copy of a single input
    into = annotate is not None and (annotate.is_dir() or not annotate.suffix)
    if annotate is not None and not into:  # one copy: never over an input, an extension it can write
        prepare(annotate, [*named, *paths_read, *([output] if output else [])], force, ["xlsx"])
    if annotate is not None and not into and len(paths) != 1:
        raise click.UsageError(say("多个文件或文件夹的标注副本要写入一个目录：--annotate 请给目录名",
                                   "marked-up copies of several files go into a folder: give --annotate a folder"))
    if into:
        from yjzl.output.sendback import prepare_target

        prepare_target(annotate, [*files, *previous], force)  # type: ignore[arg-type]
    if annotate and not into and paths[0].suffix.lower() not in (".xlsx", ".xlsm"):  # said before the work, not after
        raise click.UsageError(say(f"--annotate 只能用于 .xlsx 工作簿：{paths[0]}，请先另存为 .xlsx",
                                   f"--annotate needs an .xlsx workbook: save {paths[0]} as .xlsx first"))
    if annotate:
        from yjzl.output.annotate import within_budget

        within_budget(paths[0])  # openpyxl's cost, refused before the audit rather than after it
    cat = load_catalogue(catalogue_path, overlays)
    check_form(cat, form)
    say_repeated(repeated)
    say_own(own)
    sets = compared_sets(cat, (), overlays)  # the one default of every command
    unusable = [FileReport(item, error=reason) for item, reason in missing]
    fmt = fmt or "table"
    if fmt in STREAMED and not annotate:
        api.read_period(period)  # an unreadable --period fails before anything is written (exit 2)
        s, found, leads = _stream(api, cat, paths, unusable, form, lang, fmt, output, show_indicators, period, previous, sets)
    else:
        report = api.validate(paths, cat, form=form, lang=lang, period=period, previous=previous, target_sets=sets,
                              missing="report")
        report.files[:0] = unusable
        found = report.files
        leads: dict = {}
        for f in report.files:
            if f.forms:
                leads.setdefault(f.file, f.forms[0])  # each file's first form, in input order
        text = FORMATS[fmt](report, show_indicators) if fmt == "table" else FORMATS[fmt](report)
        if output:
            write_text(output, text)
        else:
            click.echo(text, nl=False)
        if into:
            from yjzl.batch.duplicates import regional_forms
            from yjzl.output.sendback import send_back

            listed, copies, path = send_back(report.files, files, annotate, regional_forms(cat), lang)  # type: ignore[arg-type]
            written(path, "退回清单", "send-back list", say(f"（{listed} 个单位，{copies} 份标注副本）",
                                                           f" ({listed} unit(s), {copies} marked-up cop(ies))"))
        elif annotate and paths and not report.files[-1].error:
            from yjzl.output.annotate import annotate_copy
            from yjzl.report import FileReport

            whole = FileReport(report.files[-1].file)  # a table's rows are FileReports of their own: mark them all
            for part in report.files:
                if part.file == whole.file:
                    whole.forms += part.forms
                    whole.findings += part.findings
            annotate_copy(paths[0], whole, annotate, lang)
            written(annotate, "标注副本", "marked-up copy")
        s = report.summary()
    if output:
        written(output)
    if len(leads) > 1:  # a unit's form received twice: which copy counts, and why (yjzl.batch.progress.choose)
        from yjzl.batch.duplicates import regional_forms
        from yjzl.output.sendback import resubmission_lines

        for line in resubmission_lines(leads, files, regional_forms(cat), lang):
            note(line)
    unused = form_not_applied(found, form)
    if unused:
        note(unused)
    reasons = []
    if s["errors"]:
        reasons.append(say(f"{s['errors']} 个错误（必须修改）", f"{s['errors']} error(s) to fix"))
    if s["unusable"]:
        reasons.append(say(f"{s['unusable']} 个输入无法使用", f"{s['unusable']} input(s) could not be used"))
    if strict and s["open_warnings"]:
        reasons.append(say(f"{s['open_warnings']} 个待说明的警告（--strict）", f"{s['open_warnings']} open warning(s) (--strict)"))
    if s["unusable"] == s["files"]:
        code = 2
        reasons = [say(f"没有可用的输入（{s['unusable']} 个输入无法使用）", f"no usable input ({s['unusable']} could not be used)")]
    else:
        code = 1 if reasons else 0
    finish(code, reasons, table_on_screen(fmt, output))


def _stream(api, cat, paths, unusable, form, lang: str, fmt: str, output: Path | None,
            show_indicators: bool, period: str | None = None, previous: tuple[str, ...] = (),
            sets: list[str] | None = None) -> tuple[dict[str, int], list, dict]:
    """Audit and write file by file (into a temporary file beside -o, renamed at the end); the
    counts, the files' forms without their findings (for the --form note), and each file's first form
    (who sent it: a unit's second copy is said)."""
    from yjzl import __version__
    from yjzl.output.atomic import write_stream
    from yjzl.output.stream import AuditWriter
    from yjzl.report import FileReport, Report

    found: list[FileReport] = []
    leads: dict = {}

    def run(stream) -> dict[str, int]:
        writer = AuditWriter(stream, fmt, Report("yjzl", __version__, cat.label, lang), show_indicators)
        for rep in unusable:
            writer.file(rep)
        for rep in api.iter_validate(paths, cat, form=form, lang=lang, period=period, previous=previous, target_sets=sets,
                                     missing="report"):
            writer.file(rep)
            if rep.forms and rep.file not in leads:
                leads[rep.file] = rep.forms[0]
            if form:  # only the --form note reads them: without --form a streamed run keeps nothing per file
                found.append(FileReport(rep.file, forms=rep.forms, error=rep.error))
        return writer.finish()

    return write_stream(output, run), found, leads
