"""`yjzl report`: one offline HTML page over many submissions (charts, tables, findings)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from yjzl.cli.i18n import say
from yjzl.cli.options import (
    catalogue_options,
    check_form,
    force_option,
    input_notes,
    lang_option,
    load_catalogue,
    target_set_ids,
    written,
)


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="要写出的 .html 报告 / the .html file to write")
@force_option
@catalogue_options
@click.option("--form", "form", help="未能自动识别时指定表单，如 表1、T4M / the form, when a sheet is not recognised")
@click.option("--target-set", "target_set", default="national", show_default=True,
              help="图中目标线所用的目标值集合，如 阳江市 或 yangjiang / the target set drawn as the line")
@lang_option
def report(inputs: tuple[Path, ...], output: Path, catalogue_path: Path | None, overlays: tuple[Path, ...],
           form: str | None, target_set: str, force: bool, lang: str) -> None:
    """生成离线 HTML 报告：每个有目标值的指标一张排序条形图，每个填报单位的指标、错误与警告。

    报告可离线打开、按 A4 打印。INPUTS 可以是工作簿、文件夹（递归查找，跳过 ~$ 锁定文件）或
    `yjzl validate/compute --format json` 的 JSON；全部工作簿一起审核。

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
    from yjzl.output.atomic import prepare, write_text

    found = expand(inputs)
    prepare(output, [*inputs, *found.all], force, ["html"])
    cat = load_catalogue(catalogue_path, overlays)
    check_form(cat, form)
    input_notes(inputs)
    gathered = gather(found, cat, form=form, lang=lang)
    sets = {s.id: (s.name_en or s.name) if lang == "en" else s.name for s in cat.source.target_sets}
    target_set = target_set_ids(cat, [target_set], target_sets_in(gathered.files))[0]
    view = build(gathered.files, target_set, lang, sets, gathered.catalogues)
    if not view.submissions:
        lines = [f"{f}: {r}" for f, r in view.unusable] or [f"{p}: 未找到表单 / no form found" for p in inputs]
        head = [] if len(lines) == 1 else ["没有可用的输入，未写出报告 / no usable input, no report written:"]
        raise UsageProblem("\n  ".join(head + lines))
    write_text(output, render(view, "yjzl", __version__))
    n, bad = len(view.submissions), len(view.unusable)
    written(output, "报告", "report", say(f"（{n} 个填报单位" + (f"，{bad} 个文件无法使用" if bad else "") + "）",
                                          f" ({n} submission(s)" + (f", {bad} unusable file(s)" if bad else "") + ")"))
    if bad:
        sys.exit(1)
