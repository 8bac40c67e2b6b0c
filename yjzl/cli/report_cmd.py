"""`yjzl report`: one offline HTML page over many submissions (charts, tables, findings)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from yjzl.cli.options import catalogue_options, lang_option, load_catalogue, period_option


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML 报告文件 / the HTML file to write")
@catalogue_options
@click.option("--form", "form", help="未能自动识别时指定表单，如 表1、T4M / the form, when a sheet is not recognised")
@click.option("--target-set", "target_set", default="national", show_default=True,
              help="图中目标线所用的目标值集合，如 yangjiang / the target set drawn as the line")
@period_option
@lang_option
def report(inputs: tuple[Path, ...], output: Path, catalogue_path: Path | None, overlays: tuple[Path, ...],
           form: str | None, target_set: str, period: str | None, lang: str) -> None:
    """生成离线 HTML 报告：每个有目标值的指标一张排序条形图，每个填报单位的指标、错误与警告。

    Write one self-contained HTML page (works offline, prints on A4): for
    each indicator with a target, every submission's value as a sorted bar
    chart against the target line; for each submission, its indicators, open
    errors and warnings with their cells, and explained warnings; an overview
    of how many pass the logic checks and meet each target.

    INPUTS are workbooks, folders (every *.xlsx inside, recursively, without
    ~$ lock files) or JSON from `yjzl validate --format json` / `yjzl compute
    --format json`. All workbooks are audited together (lead and member forms
    meet).

    \b
    退出码 / exit codes:
      0 已写出报告 / report written
      1 已写出报告，但有输入无法使用（报告中列出原因）/ written, but some inputs were unusable (listed in it)
      2 没有可用的输入或用法错误，不写报告 / no usable input or a usage error: nothing written

    \b
    例 / examples:
      yjzl report 各市填报/ -o 报告.html
      yjzl report 审核结果.json -o 报告.html --lang en
      yjzl report *.xlsx -o 报告.html --target-set yangjiang
    """
    from yjzl import __version__
    from yjzl.errors import UsageProblem
    from yjzl.htmlreport.inputs import expand, gather
    from yjzl.htmlreport.model import build, target_sets_in
    from yjzl.htmlreport.page import render
    from yjzl.output.atomic import guard, write_text

    found = expand(inputs)
    guard(output, [*inputs, *found.all])
    cat = load_catalogue(catalogue_path, overlays)
    gathered = gather(found, cat, form=form, lang=lang, period=period)
    sets = {s.id: (s.name_en or s.name) if lang == "en" else s.name for s in cat.source.target_sets}
    known = set(sets) | target_sets_in(gathered.files)
    if target_set not in known:
        raise UsageProblem(f"--target-set {target_set}: 未知的目标值集合 / unknown target set; "
                           f"可选 / known: {', '.join(sorted(known))}")
    view = build(gathered.files, target_set, lang, sets, gathered.catalogues)
    if not view.submissions:
        lines = [f"{f}: {r}" for f, r in view.unusable] or [f"{p}: 未找到表单 / no form found" for p in inputs]
        head = [] if len(lines) == 1 else ["没有可用的输入，未写出报告 / no usable input, no report written:"]
        raise UsageProblem("\n  ".join(head + lines))
    write_text(output, render(view, "yjzl", __version__))
    n, bad = len(view.submissions), len(view.unusable)
    click.echo(f"已写出报告 / report written: {output}（{n} 个填报单位 / submissions"
               + (f"，{bad} 个文件无法使用 / unusable file(s)" if bad else "") + "）", err=True)
    if bad:
        sys.exit(1)
