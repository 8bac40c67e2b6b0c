"""`yjzl validate`: audit workbooks offline, as the national platform would."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from yjzl.cli.options import catalogue_options, lang_option, load_catalogue, period_option


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalogue_options
@click.option("--form", "form", help="未能自动识别时指定表单，如 表1、表3（成员单位）、T4M / the form, when a sheet is not recognised")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "github"]), default="table", show_default=True,
              help="输出格式；table、csv、github、jsonl 逐个文件边审核边写出，json 是完整文档，全部审核完才写出 / "
                   "table, csv, github and jsonl are written file by file as each is audited; json is one document written at the end")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件而非标准输出 / write to a file")
@click.option("--strict", is_flag=True, help="未说明的警告也视为失败 / open warnings fail too")
@click.option("--annotate", type=click.Path(dir_okay=False, path_type=Path),
              help="另存一份标注副本：错误标红、警告标黄并附批注 / write a marked-up copy (input untouched)")
@click.option("--indicators", "show_indicators", is_flag=True, help="表格中同时列出计算的指标 / list computed indicators in the table")
@period_option
@lang_option
def validate(files: tuple[Path, ...], catalogue_path: Path | None, overlays: tuple[Path, ...], form: str | None,
             fmt: str, output: Path | None, strict: bool, annotate: Path | None, show_indicators: bool,
             period: str | None, lang: str) -> None:
    """审核填报工作簿：逻辑审核（错误，必须修改）与合理性审核（警告，可填写说明）。

    Audit submission workbooks: logic checks (errors, must be fixed) and
    plausibility checks (warnings, may stand with an explanation in the 说明
    column). Several files are audited together, so a lead form meets its
    member forms. Exit 0 no errors, 1 errors (or open warnings with --strict),
    2 unusable input.

    \b
    例 / examples:
      yjzl validate 表3.xlsx
      yjzl validate 表3.xlsx --annotate 表3-审核.xlsx
      yjzl validate 表3.xlsx --period 2019
      yjzl validate *.xlsx --format json -o report.json
    """
    import yjzl.api as api
    from yjzl.output.atomic import guard, write_text
    from yjzl.output.formats import FORMATS
    from yjzl.output.stream import STREAMED

    if annotate and len(files) != 1:
        raise click.UsageError("--annotate 只能用于单个文件 / --annotate takes a single input file")
    for out in (output, annotate):
        if out:
            guard(out, files)
    cat = load_catalogue(catalogue_path, overlays)
    if fmt in STREAMED and not annotate:
        api.read_period(period)  # an unreadable --period fails before anything is written (exit 2)
        s = _stream(api, cat, files, form, lang, fmt, output, show_indicators, period)
    else:
        report = api.validate(list(files), cat, form=form, lang=lang, period=period)
        text = FORMATS[fmt](report, show_indicators) if fmt == "table" else FORMATS[fmt](report)
        if output:
            write_text(output, text)
        else:
            click.echo(text, nl=False)
        if annotate and not report.files[0].error:
            from yjzl.output.annotate import annotate_copy
            from yjzl.report import FileReport

            whole = FileReport(report.files[0].file)  # a table's rows are FileReports of their own: mark them all
            for part in report.files:
                whole.forms += part.forms
                whole.findings += part.findings
            annotate_copy(files[0], whole, annotate)
            click.echo(f"已写出标注副本 / marked-up copy written: {annotate}", err=True)
        s = report.summary()
    if s["unusable"] == s["files"]:
        sys.exit(2)
    if s["errors"] or s["unusable"] or (strict and s["open_warnings"]):
        sys.exit(1)


def _stream(api, cat, files, form, lang: str, fmt: str, output: Path | None, show_indicators: bool,
            period: str | None = None) -> dict[str, int]:
    """Audit and write file by file (into a temporary file beside -o, renamed at the end)."""
    from yjzl import __version__
    from yjzl.output.atomic import write_stream
    from yjzl.output.stream import AuditWriter
    from yjzl.report import Report

    def run(stream) -> dict[str, int]:
        writer = AuditWriter(stream, fmt, Report("yjzl", __version__, cat.label, lang), show_indicators)
        for rep in api.iter_validate(list(files), cat, form=form, lang=lang, period=period):
            writer.file(rep)
        return writer.finish()

    return write_stream(output, run)
