"""`yjzl collect`: many submissions into one summary table per form."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from yjzl.cli.options import catalogue_options, force_option, input_notes, load_catalogue, note


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@catalogue_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="汇总工作簿 .xlsx（原子写入）/ the summary workbook to write (.xlsx, atomic)")
@click.option("--form", "form", help="未能自动识别时指定表单 / the form, when a sheet is not recognised")
@force_option
def collect(inputs: tuple[str, ...], catalogue_path: Path | None, overlays: tuple[Path, ...], output: Path,
            form: str | None, force: bool) -> None:
    """把许多份填报（工作簿、汇总表、长表）汇成每个表单一张汇总表。

    Gather many submissions (workbooks, summary tables, long tables) into one
    summary table per form: every field's value as read, one column per field in
    catalogue order, and each submitter's error and warning counts. `yjzl
    compute` on the result gives the same numbers as on the inputs. Exit 0
    written, 1 written but some input could not be read, 2 nothing to collect.

    \b
    例 / example:
      yjzl collect 各市填报/ -o 汇总.xlsx
      yjzl collect 各市填报/ -o 汇总.xlsx --force
    """
    import yjzl.api as api
    from yjzl.batch.inputs import expand
    from yjzl.output.atomic import prepare

    # Every file the run would read, found in folders and globs too: never the output, even with --force.
    prepare(output, [*(p for p in inputs if Path(p).is_file()), *expand(list(inputs))[0]], force, ["xlsx"])
    cat = load_catalogue(catalogue_path, overlays)
    input_notes(inputs, (output,))  # files named twice; yjzl's own outputs in a folder, not read
    count, problems = api.collect(list(inputs), output, cat, form=form)
    for name, why in problems:
        note(f"{name}: {why}")
    note(f"已写出 {count} 份填报的汇总表 / summary of {count} submission(s) written: {output}")
    if problems:
        sys.exit(1)
