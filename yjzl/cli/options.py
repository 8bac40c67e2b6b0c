"""Options shared by several commands."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

F = Callable[..., Any]


def catalogue_options(func: F) -> F:
    func = click.option(
        "--overlay", "overlays", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
        help="省级覆盖层 YAML，可多次给出 / a provincial overlay (repeatable)",
    )(func)
    return click.option(
        "--catalogue", "catalogue_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="指标目录文件，默认为国家版 / the catalogue file (default: the national indicators.yaml)",
    )(func)


def lang_option(func: F) -> F:
    return click.option(
        "--lang", type=click.Choice(["zh", "en"]), default=lambda: os.environ.get("YJZL_LANG", "zh"),
        show_default="zh", help="输出语言 / language of messages",
    )(func)


def period_option(func: F) -> F:
    return click.option(
        "--period", metavar="PERIOD",
        help="统计周期，优先于表中的“统计年度”与目录默认值（2019年上半年）：2019H1、2019H2、2019 或 "
             "2019-01-01:2019-06-30 / the statistics period, overriding the form's 统计年度 and the catalogue's "
             "default (2019 H1)",
    )(func)


def load_catalogue(catalogue_path: Path | None, overlays: tuple[Path, ...]):
    from yjzl.catalogue.loader import load

    return load(catalogue_path, list(overlays))
