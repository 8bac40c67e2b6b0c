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
    form_not_applied,
    input_notes,
    lang_option,
    load_catalogue,
    note,
    period_option,
    target_set_ids,
    written,
)


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="要写出的 .html 报告；分册时可为文件夹（写入 index.html 与各分册）/ the .html file, or a folder for a split report")
@force_option
@catalogue_options
@click.option("--form", "form", help="未能自动识别时指定表单，如 表1、T4M / the form, when a sheet is not recognised")
@click.option("--target-set", "target_set", default="national", show_default=True,
              help="图中目标线所用的目标值集合，如 阳江市 或 yangjiang / the target set drawn as the line")
@click.option("--split", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="分册：auto 在填报单位超过 500 个时分为总览页与按地区、表分的分册 / "
                   "auto: above 500 submissions, an index page and one part per region and form")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="名单（.xlsx/.xls/.ods/.csv：名称、机构代码，可选 地区、表、上级）：报告以报送进度开头 / the expected submitters: "
                   "the report opens with their progress")
@click.option("--only-passing", is_flag=True,
              help="有错误的填报不计入图表与达标统计，逐个列出 / leave submissions with logic errors out of the charts and counts")
@period_option
@lang_option
def report(inputs: tuple[Path, ...], output: Path, catalogue_path: Path | None, overlays: tuple[Path, ...],
           form: str | None, target_set: str, split: str, roster: Path | None, only_passing: bool,
           period: str | None, force: bool, lang: str) -> None:
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
    A report over more than 500 submissions (--split auto) is an index page
    with the overview, targets and how the values spread over every
    submitter, and one page per region and form with each submitter's
    detail: -o names a folder (index.html and part-NNN.html are written
    there), or an .html file for the index with the parts in the folder
    beside it (报告_分册/).

    \b
    例 / examples:
      yjzl report 各市填报/ -o 报告.html
      yjzl report 审核结果.json -o 报告.html --lang en
      yjzl report *.xlsx -o 报告.html --target-set yangjiang
      yjzl report 各市填报/ -o 报告.html --roster 名单.xlsx --only-passing
    """
    from yjzl.errors import UsageProblem
    from yjzl.htmlreport.inputs import expand, gather
    from yjzl.htmlreport.model import build, target_sets_in
    from yjzl.output.atomic import format_of, guard, prepare, prepare_folder

    found = expand(inputs)
    named = [*inputs, *found.all, *((roster and [roster]) or [])]
    guard(output, named)  # an input first: that is the mistake to name
    if format_of(output, None, ["html", "folder"]) == "folder":  # report.pdf is refused; a name without one is a folder
        prepare_folder(output, "index.html", named, force)
    else:
        prepare(output, named, force, ["html"])
    cat = load_catalogue(catalogue_path, overlays)
    check_form(cat, form)
    input_notes(inputs)
    units = None
    if roster is not None:
        from yjzl.batch.roster import load

        units = (str(roster), load(roster, cat))  # a bad roster is refused before the workbooks are read
        found.workbooks = [p for p in found.workbooks if p.resolve() != roster.resolve()]  # a roster inside an input folder
    gathered = gather(found, cat, form=form, lang=lang, period=period)
    unused = form_not_applied([f.report for f in gathered.files], form)
    if unused:
        note(unused)
    sets = {s.id: (s.name_en or s.name) if lang == "en" else s.name for s in cat.source.target_sets}
    target_set = target_set_ids(cat, [target_set], target_sets_in(gathered.files))[0]
    from yjzl.rules.verdicts import judge_files

    # a hospital's results without a target in the shown set: direction, or its place among the run's peers
    judge_files(cat, [f.report for f in gathered.files], lang, {target_set})
    from yjzl.batch.duplicates import regional_forms

    members = frozenset(f.code for f in cat.forms.values() if f.member_of)
    view = build(gathered.files, target_set, lang, sets, gathered.catalogues, only_passing=only_passing, roster=units,
                 member_forms=members, regional=regional_forms(cat))
    view.qualitative = [(q.label, q.by, _indicator_name(cat, q.indicator, lang))
                        for q in cat.source.qualitative_targets if q.set == target_set]  # named, never judged
    if not view.submissions:
        lines = [f"{f}: {r}" for f, r in view.unusable] or [f"{p}: 未找到表单 / no form found" for p in inputs]
        head = [] if len(lines) == 1 else ["没有可用的输入，未写出报告 / no usable input, no report written:"]
        raise UsageProblem("\n  ".join(head + lines))
    n, bad = len(view.submissions), len(view.unusable)
    where, parts = write(view, gathered, output, split, target_set, lang, sets, only_passing)
    written(where, "报告", "report", say(f"（{n} 个填报单位" + (f"，{bad} 个文件无法使用" if bad else "")
                                          + (f"；{parts}" if parts else "") + "）",
                                          f" ({n} submission(s)" + (f", {bad} unusable file(s)" if bad else "")
                                          + (f"; {parts}" if parts else "") + ")"))
    if bad:
        sys.exit(1)


def _indicator_name(cat, ind: str | None, lang: str) -> str | None:
    if ind is None or ind not in cat.indicators:
        return None
    d = cat.indicators[ind].defn
    return (d.name_en or d.name) if lang == "en" else d.name


def write(view, gathered, output: Path, split: str, target_set: str, lang: str, sets: dict[str, str],
          only_passing: bool = False) -> tuple[Path, str]:
    """One page, or an index and its parts (yjzl.htmlreport.split); says where, and the parts, for the message."""
    from yjzl import __version__
    from yjzl.htmlreport import split as S
    from yjzl.htmlreport.model import build
    from yjzl.htmlreport.page import render
    from yjzl.output.atomic import write_text

    folder_named = output.suffix.lower() not in (".html", ".htm")
    index = output / "index.html" if folder_named else output
    if split == "never" or (split == "auto" and len(view.submissions) <= S.SPLIT_ABOVE):
        if folder_named:
            output.mkdir(exist_ok=True)
        write_text(index, render(view, "yjzl", __version__))
        return index, ""
    folder = output if folder_named else output.with_name(output.stem + ("_分册" if lang == "zh" else "_parts"))
    folder.mkdir(exist_ok=True)
    parts = S.parts_of(gathered.files, lang)
    back = "index.html" if folder_named else f"../{index.name}"
    for part in parts:  # one part at a time: its page is built, written and let go
        part_view = build(part.files, target_set, lang, sets, gathered.catalogues, only_passing=only_passing,
                          regional=None)  # the index lists the suspected duplicates, linked into the parts
        write_text(folder / part.name, render(part_view, "yjzl", __version__, compact=True, part=(part.title, back)))
        part.counts = part_view.counts
    write_text(index, S.index_page(view, parts, "yjzl", __version__, "" if folder_named else f"{folder.name}/"))
    for name in S.stale([p.name for p in folder.iterdir()], {p.name for p in parts}):
        (folder / name).unlink()  # a part of an earlier, larger run: it would link to nothing
    return index, say(f"{len(parts)} 个分册：{folder}", f"{len(parts)} parts: {folder}")
