"""`yjzl catalogue check | list | show`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from yjzl.cli.base import Group
from yjzl.cli.options import catalogue_options, check_form, lang_option, load_catalogue


@click.group(cls=Group)
def catalogue() -> None:
    """查看与检查指标目录 / inspect and check the indicator catalogue."""


@catalogue.command()
@catalogue_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式 / output format")
@lang_option
def check(catalogue_path: Path | None, overlays: tuple[Path, ...], fmt: str, lang: str) -> None:
    """证明目录完好：引用可解析、编号不重复、无循环、单位可比、系数与单位一致、目标可达。

    退出码：0 完好，1 有问题，2 无法读取。

    Prove the catalogue sound: every reference resolves, no duplicate ids or
    labels, no cycles, ≤ and = only between comparable units, factors agree
    with units, targets are possible. Exit 0 sound, 1 problems, 2 unreadable.
    """
    from yjzl.catalogue.loader import default_path, read

    path = catalogue_path or default_path()
    cat, names, disabled, _, problems = read(path, list(overlays))
    counts = {
        "forms": len(cat.forms), "fields": sum(len(f.fields) for f in cat.forms),
        "indicators": len(cat.indicators), "checks": len(cat.checks) - len(disabled),
        "targets": len(cat.targets), "framework_items": sum(len(f.items) for f in cat.frameworks),
    }
    if fmt == "json":
        doc = {
            "catalogue": str(path), "version": cat.catalogue.version, "overlays": names, "counts": counts,
            "sound": not problems,
            "problems": [{"code": p.code, "where": p.where, "message": p.message} for p in problems],
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        from yjzl.output.table import fit_line, render

        if problems:
            click.echo(render([(p.code, p.where, p.message) for p in problems],
                              headers=["代码", "位置", "问题"] if lang == "zh" else ["code", "where", "problem"]))
        summary = ("{forms} 张表、{fields} 个字段、{indicators} 个指标、{checks} 条审核规则、{targets} 个目标值、"
                   "{framework_items} 个考核框架条目" if lang == "zh" else
                   "{forms} forms, {fields} fields, {indicators} indicators, {checks} checks, {targets} targets, "
                   "{framework_items} framework items").format(**counts)
        verdict = (f"发现 {len(problems)} 个问题" if lang == "zh" else f"{len(problems)} problem(s)") if problems else (
            "目录完好" if lang == "zh" else "catalogue is sound")
        summary = f"（{summary}）" if lang == "zh" else f" ({summary})"
        click.echo(fit_line(f"{path}{' + ' + ', '.join(names) if names else ''}: {verdict}{summary}"))
    sys.exit(1 if problems else 0)


KINDS = ["form", "field", "indicator", "check", "target", "framework"]


@catalogue.command("list")
@catalogue_options
@click.option("--form", "form_name", help="只列出该表单的条目，如 表1、T3M / only entries of this form")
@click.option("--kind", type=click.Choice(KINDS), default="indicator", show_default=True,
              help="条目种类：表单、字段、指标、审核规则、目标值、考核框架 / the kind of entry")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式 / output format")
@lang_option
def list_(catalogue_path: Path | None, overlays: tuple[Path, ...], form_name: str | None, kind: str, fmt: str, lang: str) -> None:
    """列出目录条目：指标（默认）、字段、审核规则、目标值、考核框架或表单。

    List catalogue entries: indicators (the default), fields, checks, targets,
    framework items or forms.
    """
    from yjzl.catalogue.listing import rows, table

    cat = load_catalogue(catalogue_path, overlays)
    form = None
    if form_name:
        check_form(cat, form_name)
        form = cat.find_form(form_name)
    if fmt == "json":  # for programs: ids included
        headers, data = rows(cat, kind, form.id if form else None, lang)
        click.echo(json.dumps([dict(zip(headers, r)) for r in data], ensure_ascii=False, indent=2))
    else:
        from yjzl.output.table import render

        headers, data = table(cat, kind, form.id if form else None, lang)
        click.echo(render(data, headers=headers))


@catalogue.command()
@catalogue_options
@click.argument("query")
@lang_option
def show(catalogue_path: Path | None, overlays: tuple[Path, ...], query: str, lang: str) -> None:
    """按编号或中文名称查看条目：定义、公式、约束、目标值、出处。

    \b
    例 / examples:
      yjzl catalogue show 县域内就诊率
      yjzl catalogue show 表3

    Show an entry by id or Chinese name: definition, formula, constraints,
    targets, source.
    """
    from yjzl.catalogue.describe import describe, find
    from yjzl.output.table import render

    cat = load_catalogue(catalogue_path, overlays)
    hits = find(cat, query)
    if not hits:
        from yjzl.cli.base import closest, did_you_mean
        from yjzl.cli.i18n import say

        names = [*(i.defn.name for i in cat.indicators.values()), *(f.code for f in cat.forms.values()),
                 *(fd.label for form in cat.forms.values() for fd in form.fields),
                 *(i.name for fw in cat.source.frameworks for i in fw.items)]
        click.echo(say(f"没有找到：{query}。", f"nothing found: {query}.") + did_you_mean(closest(query, dict.fromkeys(names)))
                   + say("（全部条目见 yjzl catalogue list）", " (see `yjzl catalogue list`)"), err=True)
        sys.exit(2)
    for n, hit in enumerate(hits):
        if n:
            click.echo("")
        click.echo(render(describe(cat, hit, lang)))
