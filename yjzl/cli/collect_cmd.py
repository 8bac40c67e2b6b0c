"""`yjzl collect`: many submissions into one summary table per form."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from yjzl.cli.i18n import say
from yjzl.cli.options import catalogue_options, force_option, input_notes, lang_option, load_catalogue, note


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@catalogue_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="汇总工作簿 .xlsx（原子写入）/ the summary workbook to write (.xlsx, atomic)")
@click.option("--form", "form", help="未能自动识别时指定表单 / the form, when a sheet is not recognised")
@force_option
@lang_option
def collect(inputs: tuple[str, ...], catalogue_path: Path | None, overlays: tuple[Path, ...], output: Path,
            form: str | None, force: bool, lang: str) -> None:
    """把许多份填报（工作簿、汇总表、长表）汇成每个表单一张汇总表。

    INPUTS 可以是工作簿（.xlsx、.xls、.ods、.csv）、文件夹或通配符。每个字段一列（按目录顺序），附每个填报单位的
    错误数与警告数；对汇总表运行 `yjzl compute` 与对原始填报得到相同的数。

    \b
    退出码：
      0 已写出汇总表
      1 已写出汇总表，但有输入无法读取（逐个列出原因）
      2 没有可汇总的填报或用法错误，不写出

    Gather many submissions (workbooks, summary tables, long tables) into one
    summary table per form: every field's value as read, one column per field in
    catalogue order, and each submitter's error and warning counts. `yjzl
    compute` on the result gives the same numbers as on the inputs. INPUTS are
    workbooks (.xlsx, .xls, .ods, .csv), folders or globs.

    \b
    Exit codes:
      0 written
      1 written, but some input could not be read (each listed with its reason)
      2 nothing to collect, or a usage error: nothing written

    \b
    例 / example:
      yjzl collect 各市填报/ -o 汇总.xlsx
      yjzl collect 各市填报/ -o 汇总.xlsx --force
    """
    import yjzl.api as api
    from yjzl.batch.inputs import expand
    from yjzl.bilingual import in_language
    from yjzl.output.atomic import prepare

    # Every file the run would read, found in folders and globs too: never the output, even with --force.
    prepare(output, [*(p for p in inputs if Path(p).is_file()), *expand(list(inputs))[0]], force, ["xlsx"])
    cat = load_catalogue(catalogue_path, overlays)
    input_notes(inputs, (output,))  # files named twice; yjzl's own outputs in a folder, not read
    count, problems = api.collect(list(inputs), output, cat, form=form)
    for name, why in problems:
        note(f"{name}: {in_language(why, lang)}")
    note(say(f"已写出 {count} 份填报的汇总表：{output}", f"summary of {count} submission(s) written: {output}"))
    if problems:
        note(say(f"退出码 1：{len(problems)} 个输入无法读取（见上）", f"exit 1: {len(problems)} input(s) could not be read (above)"))
        sys.exit(1)
