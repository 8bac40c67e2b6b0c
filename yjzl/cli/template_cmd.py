"""`yjzl template`: write a fill-in workbook that prevents the usual typing mistakes."""

from __future__ import annotations

from pathlib import Path

import click

from yjzl.cli.options import catalogue_options, force_option, lang_option, load_catalogue, written


@click.command()
@click.argument("forms", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="要写出的 .xlsx 文件 / the .xlsx file to write")
@force_option
@click.option("--members", type=click.IntRange(1, 50), default=1, show_default=True,
              help="每种成员单位表的张数（表间审核实时计算这些表）/ sheets per member form (live cross-form checks)")
@catalogue_options
@lang_option
def template(forms: tuple[str, ...], output: Path, force: bool, members: int, catalogue_path: Path | None,
             overlays: tuple[Path, ...], lang: str) -> None:
    """生成填报模板（边填边审）：表1|表2|表3|表4|all（表3、表4 含成员单位表）。

    模板含各级标题与全部字段；数值单元格按类型设置数据验证，选中时提示定义、公式与审核规则；标签锁定，按 A4 打印。
    `yjzl validate` 能准确识别模板各表。--lang en 时输入提示用英文。

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
    from yjzl.output.atomic import prepare
    from yjzl.template.build import resolve_forms, write_template

    inputs = [catalogue_path or default_path(), *overlays]
    prepare(output, inputs, force, ["xlsx"], templates=True)
    cat = load_catalogue(catalogue_path, overlays)
    chosen = resolve_forms(cat, forms)
    write_template(cat, chosen, output, lang, inputs=inputs, force=force, members=members)
    from yjzl.cli.i18n import say

    written(output, "模板", "template", say(f"（{'、'.join(f.code for f in chosen)}）",
                                            f" ({', '.join(f.code_en or f.code for f in chosen)})"))
