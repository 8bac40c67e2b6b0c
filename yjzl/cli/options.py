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


def load_catalogue(catalogue_path: Path | None, overlays: tuple[Path, ...]):
    from yjzl.catalogue.loader import load

    return load(catalogue_path, list(overlays))
