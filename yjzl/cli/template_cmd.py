"""`yjzl template`: write a fill-in workbook that prevents the usual typing mistakes."""

from __future__ import annotations

from pathlib import Path

import click

from yjzl.cli.options import catalogue_options, lang_option, load_catalogue


@click.command()
@click.argument("forms", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="要写出的 .xlsx 文件 / the .xlsx file to write")
@click.option("-f", "--force", is_flag=True, help="覆盖已存在的文件 / overwrite an existing file")
@click.option("--members", type=click.IntRange(1, 50), default=1, show_default=True,
              help="每种成员单位表的张数（表间审核实时计算这些表）/ sheets per member form (live cross-form checks)")
@catalogue_options
@lang_option
def template(forms: tuple[str, ...], output: Path, force: bool, members: int, catalogue_path: Path | None,
             overlays: tuple[Path, ...], lang: str) -> None:
    """生成填报模板（边填边审）：表1|表2|表3|表4|all（表3、表4 含成员单位表）。

    Write a fill-in workbook for the named forms (表3 and 表4 bring their
    member forms; `all` gives every form): section headings and every field
    in document order, value cells validated by kind with the definition,
    formula and checks as input messages, labels locked, A4 print setup;
    a live 审核 column, summary and 指标计算 sheet recalculated by Excel,
    WPS or LibreOffice as people type (formulas from the catalogue).
    `yjzl validate` recognises the sheets exactly. `--lang en` writes the
    input messages in English where the catalogue has English texts.

    \b
    例 / examples:
      yjzl template 表1 -o 表1-模板.xlsx
      yjzl template 表3 -o 表3-模板.xlsx            # 表3 + 表3（成员单位）
      yjzl template 表3 --members 5 -o 表3-模板.xlsx  # 五张成员单位表
      yjzl template all --overlay 广东.yaml -o 模板.xlsx
    """
    from yjzl.catalogue.loader import default_path
    from yjzl.template.build import resolve_forms, write_template

    cat = load_catalogue(catalogue_path, overlays)
    chosen = resolve_forms(cat, forms)
    write_template(cat, chosen, output, lang, inputs=[catalogue_path or default_path(), *overlays], force=force,
                   members=members)
    names = "、".join(f.code for f in chosen)
    click.echo(f"已写出模板 / template written: {output}（{names}）", err=True)
