"""Options shared by several commands, and the rules every command follows.

A command that writes a file takes `force_option`, calls `yjzl.output.atomic.prepare` before any
work (not an input, an extension it can write, the folder exists, --force for an existing file),
writes with `write_bytes`/`write_text` and ends with `written`. A command that reads submissions
expands its arguments with `yjzl.batch.inputs.expand_all` and calls `input_notes`; one that takes
`--form` or `--target-set` checks them with `check_form` / `target_set_ids` (a suggestion, never
ignored). Usage errors and help are translated by `yjzl.cli.i18n` without anything to do here; an
option's help is written "中文 / English" and a command's help as Chinese paragraphs, then English
ones (tests/test_messages.py checks every option has both).
"""

from __future__ import annotations

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
    from yjzl.cli.i18n import lang

    return click.option(
        # The default is the run's language (i18n.detect, before click parses): `--lang en` given to the group
        # (`yjzl --lang en validate …`, as --help shows it) or YJZL_LANG then reaches the subcommand too.
        "--lang", type=click.Choice(["zh", "en"]), default=lambda: lang(),
        show_default=False, help="输出语言：zh（默认，或环境变量 YJZL_LANG）或 en / language: zh (default, or YJZL_LANG) or en",
    )(func)


def period_option(func: F) -> F:
    return click.option(
        "--period", metavar="PERIOD",
        help="统计周期，优先于表中的“统计年度”与目录默认值（2019年上半年）：2019H1、2019H2、2019 或 "
             "2019-01-01:2019-06-30 / the statistics period, overriding the form's statistics year and the "
             "catalogue's default (2019 H1): 2019H1, 2019H2, 2019 or 2019-01-01:2019-06-30",
    )(func)


def load_catalogue(catalogue_path: Path | None, overlays: tuple[Path, ...]):
    from yjzl.catalogue.loader import load

    return load(catalogue_path, list(overlays))


def check_form(cat, form: str | None) -> None:
    """An unknown --form is refused before any file is read, naming the closest forms."""
    if not form or cat.find_form(form) is not None:
        return
    from yjzl.cli.base import closest, did_you_mean
    from yjzl.cli.i18n import say
    from yjzl.errors import UsageProblem

    names = {n: f for f in cat.forms.values() for n in (f.code, f.id)}
    known = "、".join(f.code for f in cat.forms.values())
    raise UsageProblem(say(f"--form {form}：没有这个表单（可选：{known}）。", f"--form {form}: no such form (known: {known}).")
                       + did_you_mean(closest(form, names)))


def form_not_applied(files, form: str | None) -> str | None:
    """--form names the form of sheets yjzl cannot recognise; when every sheet was recognised, say it was not used."""
    if not form:
        return None
    found = [x for f in files if not f.error for x in f.forms]
    if not found or any(x.identified_by == "--form" for x in found):
        return None
    from yjzl.cli.i18n import say

    seen = "、".join(dict.fromkeys(f"{x.code}「{x.sheet}」" for x in found))
    seen_en = ", ".join(dict.fromkeys(f"{x.code_en or x.code} '{x.sheet}'" for x in found))
    return say(f"注意：--form {form} 未使用：各工作表已识别为 {seen}（--form 只用于未能识别的工作表）",
               f"note: --form {form} not applied: every sheet was recognised ({seen_en}); --form names sheets that are not")


def force_option(func: F) -> F:
    """Every command that writes a file takes --force: an existing file is replaced only with it."""
    return click.option("-f", "--force", is_flag=True,
                        help="覆盖已存在的输出文件 / replace an existing output file")(func)


def written(path: Path, zh: str = "", en: str = "", detail: str = "") -> None:
    """The one line every writer ends with, on stderr so that stdout stays the data:
    `已写出报告：out.html（…）` / `report written: out.html (…)`."""
    from yjzl.cli.i18n import say

    note(say(f"已写出{zh}：{path}", f"{en + ' ' if en else ''}written: {path}") + detail)


def finish(code: int, reasons: list[str], on_screen: bool = False) -> None:
    """End the command with `code`. An exit code that is not 0 is always explained on stderr, in one line
    (stdout may be a file, a pipe or data for a program) — unless that line is on the screen already
    (`on_screen`: the table's own summary went to a terminal)."""
    import sys

    from yjzl.cli.i18n import say

    if code and reasons and not on_screen:
        note(say(f"退出码 {code}：", f"exit {code}: ") + say("，", ", ").join(reasons))
    sys.exit(code)


def table_on_screen(fmt: str | None, output: Path | None) -> bool:
    """The table went to a terminal: its summary line already says why the exit code is what it is."""
    import sys

    try:
        return fmt == "table" and output is None and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def note(message: str) -> None:
    """A line on stderr, fitted to the terminal (COLUMNS) like every line yjzl prints; a file name or a cell's
    text in it is shown with its control characters escaped."""
    from yjzl.output.table import fit_line
    from yjzl.text import visible

    click.echo("\n".join(fit_line(line) for line in visible(message).split("\n")), err=True)


def input_notes(items: tuple[str | Path, ...] | list[str | Path], exclude: tuple[Path | None, ...] = ()) -> None:
    """Say once each file named twice (directly and in a folder, or through a link): it is read once."""
    from yjzl.batch.inputs import expand_all

    own: list[tuple[Path, str]] = []
    say_repeated(expand_all(list(items), [p for p in exclude if p], own)[2])
    say_own(own)


def say_own(own: list[tuple[Path, str]]) -> None:
    """One line for the files yjzl wrote that a folder held: not read as submissions (yjzl.workbook.own)."""
    from yjzl.cli.i18n import say

    if own:
        names = "、".join(str(p) for p, _ in own)
        note(say(f"注意：跳过 yjzl 自己写出的文件（结果表、汇总表或标注副本），不作为填报读取：{names}（要读取请直接给出文件名）",
                 f"note: skipped files yjzl wrote (results, summaries, annotated copies), not submissions: "
                 f"{', '.join(str(p) for p, _ in own)} (name a file to read it)"))


def say_repeated(repeated: list[tuple[Path, Path]]) -> None:
    """`expand_all`'s files named again, as one note per file read."""
    from yjzl.cli.i18n import say

    again: dict[str, list[str]] = {}
    for name, first in repeated:
        again.setdefault(str(first), [])
        if str(name) != str(first) and str(name) not in again[str(first)]:
            again[str(first)].append(str(name))
    for first, names in again.items():
        same = say(f"（又作为 {'、'.join(names)}）", f" (also as {', '.join(names)})") if names else ""
        note(say(f"注意：同一文件给了两次，只读一次：{first}{same}", f"note: the same file was given twice, read once: {first}{same}"))


NATIONAL = "national"


def compared_sets(cat, named: tuple[str, ...] | list[str] = (), overlays: tuple[Path, ...] | list[Path] = ()) -> list[str]:
    """The target sets a run compares with — one default for every command: the national set, plus the sets
    the user names (`--target-set`, ids already) and those of the overlays in use (the sets an overlay defines
    or adds targets to). A province's own targets are not shown for another province's submissions."""
    import yaml

    wanted = {NATIONAL, *named}
    for path in overlays:
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # the catalogue loader has said why already, or will
        if not isinstance(doc, dict):
            continue
        for key, name in (("target_sets", "id"), ("targets", "set"), ("qualitative_targets", "set")):
            wanted.update(str(e.get(name)) for e in doc.get(key) or [] if isinstance(e, dict))
    return [s.id for s in cat.source.target_sets if s.id in wanted]


def target_set_ids(cat, values: tuple[str, ...] | list[str], also: set[str] = frozenset()) -> list[str]:
    """--target-set by id (national) or name (国家标准, National standard); an unknown one is refused
    with the closest names, never ignored. `also`: ids known from elsewhere (a JSON report's targets)."""
    from yjzl.cli.base import closest, did_you_mean
    from yjzl.cli.i18n import say
    from yjzl.errors import UsageProblem
    from yjzl.output import words

    names: dict[str, str] = {i: i for i in also}
    for s in cat.source.target_sets:
        for n in (s.id, s.name, s.name_en, s.short, s.short_en):
            if n:
                names[n] = s.id
    out = []
    for v in values:
        if v not in names:
            known = say("、", ", ").join(say(f"{words.target_set(cat, s.id, 'zh')}（{s.id}）", f"{words.target_set(cat, s.id, 'en')} ({s.id})")
                                         for s in cat.source.target_sets)
            raise UsageProblem(say(f"--target-set {v}：没有这个目标值集合（可选：{known}）。", f"--target-set {v}: no such target set "
                                   f"(known: {known}).") + did_you_mean(closest(v, names)))
        out.append(names[v])
    return out
