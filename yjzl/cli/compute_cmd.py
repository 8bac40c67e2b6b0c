"""`yjzl compute`: every indicator over one or thousands of submissions."""

from __future__ import annotations

import sys
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
    target_set_ids,
    written,
)


def _progress_bar() -> object | None:
    """A one-line progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < 2:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@catalogue_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl", "json", "xlsx", "sqlite"]), default=None,
              help="输出格式，默认 table；-o 以 .xlsx/.csv/.json/.jsonl 结尾时按扩展名。table、csv、jsonl 边算边写，内存不随文件数增长；"
                   "json 与 xlsx 是完整文档，全部算完才写出 / output format (default: table, or from -o's suffix); "
                   "table, csv and jsonl stream in bounded memory, json and xlsx are whole documents written at the end。"
                   "sqlite（-o x.sqlite）：整理好的表（填报、指标值、目标、分组…），已有的 yjzl 结果库追加本次运行而不替换，"
                   "加 --force 才替换 / sqlite: tidy tables (submissions, indicator values, targets, groups …); an existing "
                   "yjzl results database gets this run added, not replaced (--force replaces it); schema in docs/api.md")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="写入文件（.xlsx、.csv、.json、.jsonl、.sqlite 或表格 .txt）/ write to a file (.xlsx, .csv, .json, .jsonl, "
                   ".sqlite, or a .txt table)")
@force_option
@click.option("--wide", is_flag=True, help="每份填报一行，每个指标一列 / one row per submission, a column per indicator")
@click.option("--group-by", "group_by", metavar="KEY",
              help="按 province|city|county（按机构代码或地区名称归入行政区划，逐级汇总）、region（按所填文字）、"
                   "folder|form|name|code|period|file|all 或字段编号分组，组内分子之和 ÷ 分母之和 / group (province, city and "
                   "county roll up by division) and compute sum of numerators over sum of denominators")
@click.option("--previous", multiple=True, metavar="PATH",
              help="上一期的文件、文件夹或通配符；再给一次是前两期 / the previous period's inputs; again for the one before")
@click.option("--scoring", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="省级评分方案 YAML（示例 examples/scoring-sample.yaml）/ a scoring scheme")
@click.option("--only-passing", is_flag=True,
              help="有错误（未通过逻辑审核）的填报不计入分组与评分，逐个列出 / leave submissions with logic errors out of groups and scores")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="名单（.xlsx/.xls/.ods/.csv：名称、机构代码，可选 地区、表、上级）：未报送、名单外、重复报送 / the expected submitters")
@click.option("--deadline", metavar="DATE",
              help="报送截止日期（名单的“截止日期”列优先）：收到日期在其后为逾期 / the deadline for units whose roster row gives none")
@click.option("--target-set", "target_sets", multiple=True, metavar="SET",
              help="另外比较的目标值集合，如 阳江市 或 yangjiang（默认：国家标准与所用覆盖层的集合）/ a target set to compare with "
                   "as well, e.g. yangjiang (default: the national set and the overlays' sets)")
@click.option("--form", help="未能自动识别时指定表单 / the form, when a sheet is not recognised")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="并行进程数，默认为 CPU 核数 / worker processes (default: the machine's cores)")
@period_option
@lang_option
def compute(inputs: tuple[str, ...], catalogue_path: Path | None, overlays: tuple[Path, ...], fmt: str | None,
            output: Path | None, wide: bool, group_by: str | None, previous: tuple[str, ...], scoring: Path | None,
            only_passing: bool, roster: Path | None, target_sets: tuple[str, ...], form: str | None, jobs: int | None,
            period: str | None, force: bool, lang: str, deadline: str | None) -> None:
    """计算全部考核指标：一个或成千上万份填报，供批处理使用。

    INPUTS 可以是文件（.xlsx、.xls、.ods、.csv）、文件夹（递归查找这些文件，跳过 ~$ 锁定文件）或通配符。无法读取的文件列出原因，其余照常计算。
    退出码：0 全部可用，1 有文件无法读取，2 没有可用输入或用法错误（--format json/jsonl 仍写出文档，逐个列出原因）。

    Compute every indicator of every submission: files (.xlsx, .xls, .ods,
    .csv), folders (searched for them, skipping ~$ lock files) and globs. A file that cannot be read is
    listed with its reason and the run goes on; the exit code is then 1.
    Exit 0 all read, 1 some unreadable, 2 no usable input (--format json and
    jsonl still write the document, each input with its reason) or a usage error.

    \b
    例 / examples:
      yjzl compute 2024/ -o 指标.xlsx
      yjzl compute 2024/ --group-by city --format csv
      yjzl compute 2024/ --previous 2023/ --previous 2022/ -o trends.json
      yjzl compute 2024/ --scoring examples/scoring-sample.yaml
      yjzl compute 2024/ --roster 名单.xlsx --group-by region --only-passing
      yjzl compute 第1批/ 第2批/ --roster 名单.xlsx --deadline 2024-03-31
    """
    import yjzl.api as api
    from yjzl.batch import formats
    from yjzl.batch.inputs import expand_all
    from yjzl.batch.run import default_jobs
    from yjzl.batch.sinks import SINKS
    from yjzl.errors import UsageProblem
    from yjzl.output.atomic import prepare, write_bytes, write_text

    # Each period's inputs, once: for the output's check and for saying what was named twice.
    own: list[tuple[Path, str]] = []  # yjzl's own outputs in an input folder: said, not read
    now, before = (expand_all(list(items), [], own) for items in (inputs, previous))
    if output:
        # A file named as an input, or found in an input folder or glob (a hard link to one): never the output,
        # not even with --force. An earlier output of yjzl left inside an input folder is not read (yjzl.workbook.own),
        # so it is no input: --force replaces it.
        named = [p for p in (*inputs, *previous) if Path(p).is_file()]
        from yjzl.batch.sqlite_sink import appends

        fmt = prepare(output, [*named, *now[0], *before[0], *((scoring and [scoring]) or []), *((roster and [roster]) or [])],
                      force or appends(output, fmt, force), formats.WRITERS, fmt)  # a yjzl database: this run is added
    elif fmt in ("xlsx", "sqlite"):
        raise UsageProblem(say(f"--format {fmt} 需要 -o 文件名", f"--format {fmt} needs -o FILE"))
    fmt = fmt or "table"
    cat = load_catalogue(catalogue_path, overlays)
    api.read_period(period)  # an unreadable --period fails before anything is read or written (exit 2)
    check_form(cat, form)
    target_sets = tuple(compared_sets(cat, target_set_ids(cat, target_sets), overlays))
    if group_by:
        _check_group_by(cat, group_by)
    say_repeated(now[2])
    say_repeated(before[2])
    say_own(own)
    args = dict(previous=previous, group_by=group_by, scoring=scoring, form=form, lang=lang,
                target_sets=target_sets, jobs=jobs or default_jobs(), progress=_progress_bar(),
                exclude=[output] if output else [],  # a rerun does not read its last output
                only_passing=only_passing, roster=roster, period=period, deadline=deadline,
                missing="report")  # a path that names nothing is listed as unusable (exit 1 or 2), not raised
    if fmt == "sqlite":
        tally, found, unusable = _sqlite(api, cat, output, list(inputs), args, force,
                                         dict(inputs=list(inputs), previous=list(previous), group_by=group_by,
                                              target_sets=list(target_sets), period=period,
                                              roster=str(roster) if roster else None))
    elif fmt in SINKS:
        tally, found, unusable = _stream(api, cat, fmt, output, list(inputs), args,
                                         dict(wide=wide, grouped=bool(group_by), scored=bool(scoring)))
    else:
        report = api.compute(list(inputs), cat, **args)  # type: ignore[arg-type]
        tally, found = report.summary(), report.files
        unusable = [f for f in report.files if f.error]
        if fmt != "json":  # JSON is still written: a program reads there that nothing was usable, and why
            _no_usable(tally, report.files)
        if fmt == "xlsx":
            write_bytes(output, lambda tmp: formats.write_xlsx(report, tmp, wide))  # type: ignore[arg-type]
        elif output:
            write_text(output, formats.TEXT_FORMATS[fmt](report, wide))
        else:
            click.echo(formats.TEXT_FORMATS[fmt](report, wide), nl=False)
    if output:
        written(output)
    if fmt in ("json", "jsonl"):
        _no_usable(tally, [f for f in found if f.error])  # after the document: the one line on stderr, exit 2
    unused = form_not_applied(found, form)
    if unused:
        note(unused)
    if tally["unusable"] and not table_on_screen(fmt, output):  # named nowhere else: a CSV or JSONL has no place for them
        from yjzl.bilingual import in_language

        for f in unusable:
            note(say(f"无法使用：{f.file}：{in_language(f.error or '', lang)}", f"unusable: {f.file}: {in_language(f.error or '', lang)}"))
    finish(1 if tally["unusable"] else 0, [say(f"{tally['unusable']} 个输入无法使用", f"{tally['unusable']} input(s) could not be used")],
           table_on_screen(fmt, output))


def _check_group_by(cat, by: str) -> None:
    """An unknown --group-by is refused before any file is read, naming the closest keys (as an option is)."""
    from yjzl.batch.groups import BUILTIN, key_function
    from yjzl.cli.base import closest, did_you_mean
    from yjzl.errors import UsageProblem

    try:
        key_function(cat, by)
    except UsageProblem:
        keys = [*BUILTIN, "all"]
        raise UsageProblem(say(f"--group-by 不认识 {by}：可用 {'、'.join(keys)} 或表中字段的编号。",
                               f"--group-by {by}: unknown key (use {', '.join(keys)} or a field id).")
                           + did_you_mean(closest(by, keys))) from None


def _no_usable(tally: dict[str, int], unusable: list) -> None:
    from yjzl.errors import UsageProblem

    if tally["files"] == tally["unusable"]:
        reasons = "; ".join(f"{f.file}: {f.error}" for f in unusable[:5])
        raise UsageProblem(f"没有可用的输入 / no usable input: {reasons}")


def _stream(api, cat, fmt: str, output: Path | None, inputs: list[str], args: dict,
            layout: dict) -> tuple[dict[str, int], list, list]:
    """Run with a streaming sink: rows are written as each file is finished (into a temporary file beside -o).
    Returns the counts and each file's forms without its results (for the --form note)."""
    from yjzl.batch.sinks import SINKS
    from yjzl.output.atomic import write_stream
    from yjzl.report import FileReport

    found: list[FileReport] = []
    unusable: list[FileReport] = []

    def run(stream) -> dict[str, int]:
        sink = SINKS[fmt](stream, cat, **layout)
        sink.unusable = unusable  # the same list: read after the run
        if args.get("form") or fmt == "jsonl":  # the --form note reads them, and jsonl's "no usable input": without --form a streamed run keeps nothing per file
            write_file = sink.file

            def file(rep: FileReport, scores: list) -> None:
                found.append(FileReport(rep.file, forms=rep.forms, error=rep.error))
                write_file(rep, scores)

            sink.file = file  # type: ignore[method-assign]
        api.compute(inputs, cat, sink=sink, **args)
        tally = sink.tally.as_dict()
        if fmt == "jsonl":  # its records say why each input was unusable: written, then exit 2 (compute)
            sink.out.release()
        else:
            _no_usable(tally, sink.unusable)  # raised inside write_bytes: no output file is left behind
        return tally

    return write_stream(output, run), found, unusable


def _sqlite(api, cat, output: Path, inputs: list[str], args: dict, force: bool, meta: dict) -> tuple[dict[str, int], list, list]:
    """Stream the run into a SQLite database (yjzl.batch.sqlite_sink): added to a yjzl database, or a new file."""
    from yjzl.batch.sqlite_sink import write

    def fill(sink) -> None:
        api.compute(inputs, cat, sink=sink, **args)
        _no_usable(sink.tally.as_dict(), sink.unusable)  # raised inside the transaction: nothing is added

    sink = write(output, force, fill, meta)
    return sink.tally.as_dict(), [], list(sink.unusable)
