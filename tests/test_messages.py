"""What a person meets first: usage errors and help in their language (Chinese unless --lang en or
YJZL_LANG=en), exit 2, no traceback, a suggestion for a mistyped name; one rule for inputs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "表1-flawed.xlsx"


def _usage_error(res, *expected: str) -> None:
    assert res.code == 2, (res.code, res.err)
    assert "Traceback" not in res.err and res.out == ""
    for text in expected:
        assert text in res.err, (text, res.err)


# (arguments, what the Chinese error says, what the English one says)
MISTAKES = {
    "mistyped command": (["validat", "x.xlsx"], ["错误：没有这个命令：validat。你是不是要用 validate？"],
                         ["Error: No such command: validat. Did you mean validate?"]),
    "mistyped subcommand": (["catalogue", "lst"], ["没有这个命令：lst。你是不是要用 list？"], ["Did you mean list?"]),
    "mistyped option": (["validate", "x.xlsx", "--formt", "json"], ["没有这个选项 '--formt'", "'--form', '--format'"],
                        ["No such option", "'--form', '--format'"]),
    "missing argument": (["validate"], ["用法：", "错误：缺少参数 'FILES...'。", "运行 'yjzl validate --help' 查看帮助。"],
                         ["Missing argument 'FILES...'"]),
    "folder given for a file": (["catalogue", "check", "--catalogue", str(ROOT / "examples")],
                                ["'--catalogue' 的取值无效：", "是文件夹，这里要一个文件。"], ["is a directory"]),
    "path does not exist": (["report", "没有这个文件.xlsx", "-o", "r.html"], ["'没有这个文件.xlsx' 不存在。"], ["does not exist"]),
    "invalid choice": (["validate", "x.xlsx", "--format", "pdf"],
                       ["'--format' 的取值无效：'pdf' 不是可选值之一：'table', 'json', 'jsonl', 'csv', 'github'。"],
                       ["Invalid value for '--format'"]),
    "mistyped choice": (["validate", "x.xlsx", "--format", "jsno"], ["'jsno' 不是可选值之一", "你是不是要用 json"],
                        ["Did you mean json"]),
    "option without its value": (["validate", "x.xlsx", "-o"], ["选项 '-o' 需要一个取值。"], ["requires an argument"]),
    "extra argument": (["catalogue", "check", "extra"], ["多余的参数（extra）"], ["unexpected extra argument"]),
    "number out of range": (["compute", "x.xlsx", "--jobs", "0"], ["'--jobs' 的取值无效：0 不在范围 x>=1 内。"],
                            ["0 is not in the range x>=1"]),
    "unknown form": (["validate", str(EXAMPLE), "--form", "表9"], ["--form 表9：没有这个表单", "你是不是要用 表"],
                     ["--form 表9: no such form", "Did you mean 表"]),
    "unknown target set": (["compute", str(EXAMPLE), "--target-set", "nationl"],
                           ["--target-set nationl：没有这个目标值集合", "国家标准（national）", "你是不是要用 national"],
                           ["no such target set", "National standard (national)", "Did you mean national"]),
    "unknown indicator": (["catalogue", "show", "县域内就诊"], ["没有找到：县域内就诊。你是不是要用 县域内就诊率？"],
                          ["nothing found: 县域内就诊. Did you mean 县域内就诊率?"]),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_a_mistake_is_told_in_chinese_with_a_suggestion(run, name: str) -> None:
    args, zh, _ = MISTAKES[name]
    res = run(*args)
    _usage_error(res, *zh)
    assert "Usage:" not in res.err and "Try '" not in res.err and "Invalid value" not in res.err and "Error:" not in res.err


@pytest.mark.parametrize("name", MISTAKES)
def test_the_same_mistake_in_english(run, name: str) -> None:
    args, _, en = MISTAKES[name]
    _usage_error(run("--lang", "en", *args), *en)


def test_yjzl_lang_picks_english_before_parsing(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YJZL_LANG", "en")
    _usage_error(run("validat"), "No such command: validat. Did you mean validate?")
    monkeypatch.setenv("YJZL_LANG", "zh")
    _usage_error(run("validat"), "你是不是要用 validate？")


def test_help_is_chinese_and_english_with_lang(run) -> None:
    res = run("validate", "--help")
    assert res.code == 0 and "用法：" in res.out and "显示本帮助并退出。" in res.out and "选项" in res.out
    assert "Show this message" not in res.out and "[default" not in res.out and "(zh)" not in res.out
    assert "输出格式：表格（默认）" in res.out and "output format" not in res.out
    res = run("validate", "--help", "--lang", "en")
    assert "Usage:" in res.out and "Show this message and exit." in res.out and "output format" in res.out
    assert "输出格式" not in res.out and "审核填报工作簿" not in res.out
    top = run("--lang", "en", "--help").out
    assert "audit submission workbooks offline" in top and "离线审核" not in top
    assert "离线审核填报工作簿" in run("--help").out
    report = run("report", "--help").out  # an English-only verbatim block is left out of the Chinese help
    assert "A report over more than 500" not in report and "退出码：" in report and "0 已写出报告" in report
    assert "A report over more than 500" in run("report", "--help", "--lang", "en").out


def _commands():
    from yjzl.cli.main import cli

    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        subs = [cmd.get_command(ctx, s) for s in cmd.list_commands(ctx)] if isinstance(cmd, click.Group) else []
        yield from [cmd, *subs]


def test_every_option_and_command_has_help_in_both_languages() -> None:
    from yjzl.cli.i18n import has_cjk, pick

    for cmd in _commands():
        assert cmd.help and has_cjk(cmd.help), cmd.name
        for p in cmd.params:
            if isinstance(p, click.Option):
                assert p.help, (cmd.name, p.name)
                assert has_cjk(pick(p.help, "zh")) and not has_cjk(pick(p.help, "en")), (cmd.name, p.name, p.help)


def test_validate_takes_folders_and_globs_like_compute(run, tmp_path: Path) -> None:
    sub = tmp_path / "各市" / "甲市"
    sub.mkdir(parents=True)
    shutil.copy(EXAMPLE, sub / "表1.xlsx")
    (sub / "~$表1.xlsx").write_bytes(b"lock")  # Excel's owner file: not a workbook
    res = run("validate", tmp_path / "各市", "--format", "json")
    assert res.code == 1 and res.out.count('"file"') == 1 and "~$" not in res.out
    res = run("validate", str(tmp_path / "各市" / "*" / "*.xlsx"), "--format", "json")
    assert res.code == 1 and res.out.count('"file"') == 1
    res = run("validate", str(tmp_path / "*.none"))
    assert res.code == 2 and "没有匹配的文件" in res.out


def test_a_file_given_twice_is_said_once(run, tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "a.xlsx")
    os.symlink(tmp_path / "a.xlsx", tmp_path / "link.xlsx")
    for cmd in (["validate"], ["compute", "--jobs", "1"]):
        res = run(*cmd, tmp_path / "a.xlsx", tmp_path / "link.xlsx", tmp_path)
        notes = [line for line in res.err.splitlines() if "同一文件给了两次" in line]
        assert notes == [f"注意：同一文件给了两次，只读一次：{tmp_path / 'a.xlsx'}（又作为 {tmp_path / 'link.xlsx'}）"], res.err
    os.link(tmp_path / "a.xlsx", tmp_path / "hard.xlsx")
    res = run("report", tmp_path / "a.xlsx", tmp_path / "hard.xlsx", "-o", tmp_path / "r.html")
    assert "同一文件给了两次，只读一次" in res.err and "（1 个填报单位）" in res.err  # a hard link too, and read once
    doc = run("validate", tmp_path / "a.xlsx", tmp_path / "a.xlsx", "--format", "json", "--lang", "en")
    assert doc.out.count('"file"') == 1 and "the same file was given twice, read once" in doc.err


def test_form_is_applied_or_refused_with_a_reason(run, tmp_path: Path) -> None:
    for args in (["validate"], ["compute", "--jobs", "1"], ["validate", "--format", "json"], ["compute", "--format", "json"],
                 ["report", "-o", tmp_path / "r.html", "--force"]):
        res = run(*args, EXAMPLE, "--form", "表2")  # the sheet is recognised as 表1: --form not used, and said so
        assert "注意：--form 表2 未使用：各工作表已识别为 表1「表1」" in res.err, args
    out = tmp_path / "表.csv"  # no sheet name, no heading: only --form can say which form it is
    out.write_text("指标,数值\n户籍人口数,100\n", encoding="utf-8")
    res = run("validate", out, "--form", "表1", "--format", "json")
    assert "--form" not in res.err and '"identified_by": "--form"' in res.out


def test_a_plain_click_group_added_later_gets_suggestions(run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another module's subcommand group, written with plain click, speaks Chinese and suggests too."""
    import sys
    import types

    from yjzl.cli.main import LazyGroup

    mod = types.ModuleType("yjzl_test_plain")

    @click.group()
    def plain() -> None:
        """试验命令组 / a test group."""

    @plain.command()
    @click.option("--count", type=int, help="次数 / how many")
    def inspect(count: int | None) -> None:
        """检查 / inspect."""

    mod.plain = plain
    monkeypatch.setitem(sys.modules, "yjzl_test_plain", mod)
    monkeypatch.setitem(LazyGroup.commands_map, "plain", ("yjzl_test_plain", "plain", "试验 / test"))
    _usage_error(run("plain", "inspekt"), "没有这个命令：inspekt。你是不是要用 inspect？")
    _usage_error(run("plain", "inspect", "--count", "x"), "'--count' 的取值无效：'x' 不是有效的整数。")
    _usage_error(run("plain", "--lang", "en", "inspekt"), "Did you mean inspect?")
    assert "次数" in run("plain", "inspect", "--help").out


def test_the_library_s_refusals_in_english(run, tmp_path: Path) -> None:
    """yjzl's own one-line refusals are written "中文 / English"; --lang en keeps the path and the English, Chinese
    the path and the Chinese: one language a run."""
    out = tmp_path / "r.json"
    out.write_text("{}", encoding="utf-8")
    res = run("validate", EXAMPLE, "-o", out, "--lang", "en")
    assert (res.code, res.err) == (2, f"yjzl: {out}: the file exists: add --force to overwrite it\n")
    res = run("validate", EXAMPLE, "-o", out)
    assert res.err == f"yjzl: {out}: 文件已存在，如需覆盖请加 --force\n"
    res = run("compute", tmp_path / "nothing.xlsx")
    assert res.code == 2 and "没有可用的输入" in res.err and "no " not in res.err and "nothing.xlsx" in res.err
    res = run("compute", tmp_path / "nothing.xlsx", "--lang", "en")
    assert res.code == 2 and "no usable input" in res.err and "没有" not in res.err and "nothing.xlsx" in res.err


def test_lang_given_to_the_group_reaches_the_command(run, tmp_path: Path) -> None:
    """`yjzl --lang en validate …` as --help shows it: the command's output is English, the library's reasons too."""
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a zip")
    for args in (("--lang", "en", "validate", bad), ("validate", bad, "--lang", "en")):
        res = run(*args)
        assert res.code == 2 and res.out.splitlines() == [
            f"{bad}: unusable: not an .xlsx workbook",
            "nothing audited: 1 input(s) could not be used (above)"], res.out
    res = run("validate", bad)  # Chinese by default, the library's reason in Chinese
    assert res.out.startswith(f"{bad}: 无法使用: 不是 .xlsx 工作簿") and "没有审核任何文件：1 个输入无法使用" in res.out


@pytest.mark.parametrize("message, english, chinese", [
    ("不是 .xlsx 工作簿（可能是改了扩展名的文本或其他文件）/ not an .xlsx workbook", "not an .xlsx workbook",
     "不是 .xlsx 工作簿（可能是改了扩展名的文本或其他文件）"),
    ("工作簿已损坏，无法读取 xl/x.xml / the workbook is damaged: xl/x.xml: BadZipFile: Bad CRC",
     "the workbook is damaged: xl/x.xml: BadZipFile: Bad CRC", "工作簿已损坏，无法读取 xl/x.xml: BadZipFile: Bad CRC"),
    ("没有可用的输入 / no usable input: /tmp/n.xlsx: 文件不存在 / no such file", "no usable input: /tmp/n.xlsx: no such file",
     "没有可用的输入: /tmp/n.xlsx: 文件不存在"),
    ("隐藏的工作表，未读取 / hidden sheet, not read", "hidden sheet, not read", "隐藏的工作表，未读取"),
    ("表3!C5: plain text", "表3!C5: plain text", "表3!C5: plain text"),  # not written in both languages: kept whole
    ("a.csv: 文件为空 / the file is empty", "a.csv: the file is empty", "a.csv: 文件为空"),
    ("覆盖层的表单，请加 --overlay 北京.yaml / a form of an overlay: add --overlay 北京.yaml",
     "a form of an overlay: add --overlay 北京.yaml", "覆盖层的表单，请加 --overlay 北京.yaml"),  # English wording left out
    ("x: 无法打开 / cannot open: Permission denied", "x: cannot open: Permission denied",
     "x: 无法打开: Permission denied"),  # the system's own reason is a detail: kept
    ("未找到可识别的表单 / no form recognised（表3: 空白工作表 / empty sheet；表4: 隐藏的工作表，未读取 / hidden sheet, not read）",
     "no form recognised（表3: empty sheet；表4: hidden sheet, not read）", "未找到可识别的表单（表3: 空白工作表；表4: 隐藏的工作表，未读取）"),
    ("未识别出表单 / no form recognised (用 --form 指定 / name it with --form)", "no form recognised (name it with --form)",
     "未识别出表单 (用 --form 指定)"),
    ("data/a / b.xlsx: 文件不存在 / no such file", "data/a / b.xlsx: no such file", "data/a / b.xlsx: 文件不存在"),  # a path's slash
])
def test_library_messages_in_one_language(message: str, english: str, chinese: str) -> None:
    from yjzl.bilingual import in_language

    assert in_language(message, "en") == english and in_language(message, "zh") == chinese


def test_forms_listed_in_english_say_who_fills_them_in_english(run) -> None:
    from yjzl.bilingual import has_cjk

    res = run("--lang", "en", "catalogue", "list", "--kind", "form")
    assert res.code == 0 and "provincial health commission" in res.out and not has_cjk(res.out), res.out
    res = run("--lang", "en", "catalogue", "show", "表4（乡镇卫生院）")
    assert "township health centre supported by the county medical community" in res.out
