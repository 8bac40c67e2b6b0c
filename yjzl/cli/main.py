"""The `yjzl` command: a thin layer over the library.

Exit codes: 0 clean, 1 findings at error level (or catalogue problems),
2 unusable input or a usage error. A user's mistake gets one line naming the
file, sheet or cell; only an internal bug shows a traceback, with a request to
report it.
"""

from __future__ import annotations

import sys
import traceback
from typing import ClassVar

import click

from yjzl import __version__
from yjzl.errors import UsageProblem, YjzlError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    """Import each subcommand's module only when it runs, so `--help` stays instant."""

    commands_map: ClassVar[dict[str, tuple[str, str, str]]] = {
        "catalogue": ("yjzl.cli.catalogue_cmd", "catalogue", "查看与检查指标目录 / inspect and check the indicator catalogue"),
        "validate": ("yjzl.cli.validate_cmd", "validate", "离线审核填报工作簿 / audit submission workbooks offline"),
        "compute": ("yjzl.cli.compute_cmd", "compute", "批量计算全部考核指标 / compute every indicator over many submissions"),
        "report": ("yjzl.cli.report_cmd", "report", "生成离线 HTML 报告（图表与表格）/ write an offline HTML report with charts and tables"),
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
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_, _, help_) in self.commands_map.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="yjzl")
def cli() -> None:
    """yjzl：分级诊疗与医联体评价考核指标的计算与审核工具。

    yjzl computes and audits the evaluation forms 表1–表4 of China's
    tiered-diagnosis (分级诊疗) and medical-consortium (医联体) assessments,
    offline, before upload.

    \b
    退出码 / exit codes: 0 无错误 clean · 1 有错误级问题 errors found · 2 输入不可用或用法错误 unusable input or usage error
    """


def main(argv: list[str] | None = None) -> None:
    try:
        rc = cli.main(args=argv, prog_name="yjzl", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已中断 / aborted", err=True)
        sys.exit(2)
    except click.ClickException as exc:  # usage errors: click's own message, exit 2
        exc.show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except (YjzlError, UsageProblem) as exc:
        click.echo(f"yjzl: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("已中断 / interrupted", err=True)
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
