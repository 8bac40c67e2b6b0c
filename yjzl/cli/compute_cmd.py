"""`yjzl compute`: every indicator over one or thousands of submissions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from yjzl.cli.options import catalogue_options, lang_option, load_catalogue, period_option


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
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default=None,
              help="输出格式，默认 table；-o 以 .xlsx/.csv/.json 结尾时按扩展名 / output format (default: table, or from -o's suffix)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件（原子写入）/ write to a file")
@click.option("--wide", is_flag=True, help="每份填报一行，每个指标一列 / one row per submission, a column per indicator")
@click.option("--group-by", "group_by", metavar="KEY",
              help="按 region|folder|form|name|code|period|file|all 或字段编号分组，组内分子之和 ÷ 分母之和 / "
                   "group and compute sum of numerators over sum of denominators")
@click.option("--previous", multiple=True, metavar="PATH",
              help="上一期的文件、文件夹或通配符；再给一次是前两期 / the previous period's inputs; again for the one before")
@click.option("--scoring", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="省级评分方案 YAML（示例 examples/scoring-sample.yaml）/ a scoring scheme")
@click.option("--target-set", "target_sets", multiple=True, metavar="SET",
              help="只比较这些目标值集合，如 national / compare with these target sets only")
@click.option("--form", help="未能自动识别时指定表单 / the form, when a sheet is not recognised")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="并行进程数，默认为 CPU 核数 / worker processes (default: the machine's cores)")
@period_option
@lang_option
def compute(inputs: tuple[str, ...], catalogue_path: Path | None, overlays: tuple[Path, ...], fmt: str | None,
            output: Path | None, wide: bool, group_by: str | None, previous: tuple[str, ...], scoring: Path | None,
            target_sets: tuple[str, ...], form: str | None, jobs: int | None, period: str | None, lang: str) -> None:
    """计算全部考核指标：一个或成千上万份填报，供批处理使用。

    Compute every indicator of every submission: files, folders (searched for
    *.xlsx, skipping ~$ lock files) and globs. A file that cannot be read is
    listed with its reason and the run goes on; the exit code is then 1.
    Exit 0 all read, 1 some unreadable, 2 no usable input or a usage error.

    \b
    例 / examples:
      yjzl compute 2024/ -o 指标.xlsx
      yjzl compute 2024/ --group-by region --format csv
      yjzl compute 2024/*.xlsx --previous 2023/ --previous 2022/ --format json -o trends.json
      yjzl compute 2024/ --scoring examples/scoring-sample.yaml
    """
    import yjzl.api as api
    from yjzl.batch import formats
    from yjzl.batch.run import default_jobs
    from yjzl.errors import UsageProblem
    from yjzl.output.atomic import guard, write_bytes, write_text

    if fmt is None:
        fmt = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}.get(output.suffix.lower(), "table") if output else "table"
    if fmt == "xlsx" and output is None:
        raise UsageProblem("--format xlsx 需要 -o 文件名 / --format xlsx needs -o FILE")
    if output:
        guard(output, [p for p in (*inputs, *previous) if Path(p).is_file()])  # named as an input: refused, not skipped
    cat = load_catalogue(catalogue_path, overlays)
    report = api.compute(list(inputs), cat, previous=previous, group_by=group_by, scoring=scoring, form=form, lang=lang,
                         target_sets=target_sets or None, jobs=jobs or default_jobs(), progress=_progress_bar(),  # type: ignore[arg-type]
                         exclude=[output] if output else [], period=period)  # a rerun does not read its last output
    if not any(not f.error for f in report.files if f.file not in report.previous):
        reasons = "; ".join(f"{f.file}: {f.error}" for f in report.files[:5])
        raise UsageProblem(f"没有可用的输入 / no usable input: {reasons}")
    if output:
        guard(output, [*(f.file for f in report.files), *report.previous, *((scoring and [scoring]) or [])])
    if fmt == "xlsx":
        write_bytes(output, lambda tmp: formats.write_xlsx(report, tmp, wide))  # type: ignore[arg-type]
    elif output:
        write_text(output, formats.TEXT_FORMATS[fmt](report, wide))
    else:
        click.echo(formats.TEXT_FORMATS[fmt](report, wide), nl=False)
    sys.exit(1 if report.summary()["unusable"] else 0)
