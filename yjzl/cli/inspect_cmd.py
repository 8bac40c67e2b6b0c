"""`yjzl inspect FILE`: what yjzl sees in a workbook (a thin layer over yjzl.api.inspect)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from yjzl.cli.options import catalogue_options, lang_option, load_catalogue


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@catalogue_options
@click.option("--form", "form", help="未能自动识别时指定表单，如 表1、T4M / the form, when a sheet is not recognised")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式 / output format")
@lang_option
def inspect(file: Path, catalogue_path: Path | None, overlays: tuple[Path, ...], form: str | None, fmt: str, lang: str) -> None:
    """显示 yjzl 在工作簿中读到的内容：哪个工作表是哪张表、如何识别、版式（哪列是指标/数值/说明）、
    每个字段的单元格、原始内容与读取值，以及跳过的工作表和原因。

    Show what yjzl reads in a workbook: which sheet holds which form and how it
    was recognised, the layout (which column holds labels, values, notes), every
    field with its cell, what the cell holds and the value read, and the sheets
    skipped with why. Exit 0; 2 when the file is unusable or holds no form.
    """
    from yjzl.api import inspect as inspect_file
    from yjzl.text import json_safe, visible

    doc = inspect_file(file, load_catalogue(catalogue_path, overlays), form)
    if fmt == "json":
        click.echo(json_safe(json.dumps(doc, ensure_ascii=False, indent=2)))
    else:
        from yjzl.output.table import fit_line
        from yjzl.workbook.inspect_text import render

        # raw cell text: control characters shown, not acted on; a long line fitted (its tables fit already)
        click.echo("\n".join(fit_line(line) for line in visible(render(doc, lang)).split("\n")))
    sys.exit(0 if doc["forms"] else 2)
