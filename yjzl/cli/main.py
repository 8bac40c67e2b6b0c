"""The `yjzl` command: a thin layer over the library.

Exit codes: 0 clean, 1 findings at error level (or catalogue problems),
2 unusable input or a usage error, 3 an internal error; 130 after Ctrl-C, 143 after
SIGTERM (both stop the --jobs workers and leave no temporary file). A user's mistake gets one line naming the
file, sheet or cell; only an internal bug shows a traceback, with a request to
report it.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import traceback
from collections.abc import Iterable
from typing import ClassVar, TextIO

import click

from yjzl import __version__
from yjzl.cli import i18n
from yjzl.cli.base import Group
from yjzl.cli.options import lang_option
from yjzl.errors import UsageProblem, YjzlError
from yjzl.text import visible

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(Group):
    """Import each subcommand's module only when it runs, so `--help` stays instant."""

    commands_map: ClassVar[dict[str, tuple[str, str, str]]] = {
        "catalogue": ("yjzl.cli.catalogue_cmd", "catalogue", "查看与检查指标目录 / inspect and check the indicator catalogue"),
        "validate": ("yjzl.cli.validate_cmd", "validate", "离线审核填报工作簿 / audit submission workbooks offline"),
        "compute": ("yjzl.cli.compute_cmd", "compute", "批量计算全部考核指标 / compute every indicator over many submissions"),
        "report": ("yjzl.cli.report_cmd", "report", "生成离线 HTML 报告（图表与表格） / write an offline HTML report with charts and tables"),
        "collect": ("yjzl.cli.collect_cmd", "collect", "把许多份填报汇成每表一张汇总表 / gather submissions into one summary table per form"),
        "template": ("yjzl.cli.template_cmd", "template", "生成填报模板工作簿 / write a fill-in template workbook"),
        "inspect": ("yjzl.cli.inspect_cmd", "inspect", "显示工作簿中读到的表单、版式与每个字段 / show what yjzl reads in a workbook"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands_map)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands_map:
            return None
        import importlib

        module, attr, _ = self.commands_map[name]
        return Group.adopt(getattr(importlib.import_module(module), attr))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_, _, help_) in self.commands_map.items()]
        with formatter.section(i18n.say("命令", "Commands")):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="yjzl", message="yjzl %(version)s",
                      help="显示版本并退出 / show the version and exit")
@lang_option
def cli(lang: str) -> None:
    """yjzl：分级诊疗与医联体评价考核指标的计算与审核工具，上传之前离线审核表1–表4。

    yjzl computes and audits the evaluation forms 表1–表4 of China's
    tiered-diagnosis (分级诊疗) and medical-consortium (医联体) assessments,
    offline, before upload.

    退出码：0 无错误，1 有错误级问题，2 输入不可用或用法错误，3 内部错误。英文输出用 --lang en 或 YJZL_LANG=en。

    Exit codes: 0 clean, 1 errors found, 2 unusable input or usage error, 3 internal error.
    """


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler's or a service manager's stop), handled as Ctrl-C is: the --jobs workers
    are stopped and no temporary file is left (each writer removes its own on the way out)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


class _Terminal:
    """Standard output when it is a terminal: whatever is printed (a CSV or github listing too, not only
    the tables, which escape their own text) shows control characters as escapes instead of obeying them."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes a stream with write(b""): let the real one answer
            return self._stream.write(text)
        return self._stream.write(visible(text))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:  # flush, isatty, fileno, encoding, buffer …
        return getattr(self._stream, name)


def _streams() -> None:
    """stdout and stderr never fail on a file name that is not UTF-8 (PEP 383 surrogates): such a
    byte is written as the visible escape \\x80 (yjzl.text), so JSON and CSV stay valid UTF-8.
    A terminal on stdout gets `_Terminal`."""
    from yjzl.text import VISIBLE_ERRORS

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):  # replaced by a test harness, or closed
            stream.reconfigure(errors=VISIBLE_ERRORS)  # type: ignore[union-attr]
    with contextlib.suppress(AttributeError, ValueError):
        if sys.stdout.isatty():
            sys.stdout = _Terminal(sys.stdout)  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> None:
    # The language is known before click parses: a usage error may come before --lang is read.
    i18n.install(i18n.detect(sys.argv[1:] if argv is None else argv))
    stdout = sys.stdout
    _streams()
    before = None
    with contextlib.suppress(ValueError):  # not the main thread (an embedding program): leave its signals alone
        before = signal.signal(signal.SIGTERM, _terminate)
    try:
        _main(argv)
    finally:
        sys.stdout = stdout
        if before is not None:  # main() called in-process (tests, a program): give its handler back
            signal.signal(signal.SIGTERM, before)


def _main(argv: list[str] | None) -> None:
    try:
        rc = cli.main(args=argv, prog_name="yjzl", standalone_mode=False)
    except click.exceptions.Abort as exc:  # click turns Ctrl-C (KeyboardInterrupt) and SIGTERM into Abort
        if isinstance(exc.__cause__, Terminated):
            click.echo(i18n.say("已终止（SIGTERM）", "terminated (SIGTERM)"), err=True)
            sys.exit(143)  # 128 + SIGTERM, as a shell reports a process the signal ended
        click.echo(i18n.say("已中断", "aborted"), err=True)
        sys.exit(130 if isinstance(exc.__cause__, KeyboardInterrupt) else 2)
    except click.ClickException as exc:  # usage errors: click's own message (translated by i18n), exit 2
        message = visible(i18n.polish(exc.format_message()))  # it may quote an argument: a file name
        exc.format_message = lambda: message  # type: ignore[method-assign]
        exc.show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except (YjzlError, UsageProblem) as exc:
        click.echo(f"yjzl: {visible(i18n.english(str(exc)))}", err=True)  # it may quote a cell or a file name
        sys.exit(2)
    except Terminated:
        click.echo(i18n.say("已终止（SIGTERM）", "terminated (SIGTERM)"), err=True)
        sys.exit(143)  # 128 + SIGTERM, as a shell reports a process the signal ended
    except KeyboardInterrupt:
        click.echo(i18n.say("已中断", "interrupted"), err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception:
        traceback.print_exc()
        click.echo(
            f"yjzl {__version__} 内部错误，请将以上信息报告给开发者 / internal error: please report the lines above",
            err=True,
        )
        sys.exit(3)
    sys.exit(rc if isinstance(rc, int) else 0)


if __name__ == "__main__":
    main()
