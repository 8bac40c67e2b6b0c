"""The message layer of the command line: one language per run, Chinese unless asked for English.

The language is decided before click parses anything (`detect`: `--lang en` anywhere in argv, else
`YJZL_LANG`), because a usage error or `--help` can stop parsing before `--lang` is reached.

click's own texts (errors, "Usage:", "Show this message and exit.", "[default: …]") all pass
through `gettext` calls inside click's modules; `install` points those at `CLICK_ZH`, so a command
or option any module adds gets Chinese errors without doing anything. Help texts written in both
languages ("中文 / English" for an option, Chinese and English paragraphs for a command) are cut
to the run's language by `HelpFormatter`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence

import click

from yjzl import bilingual
from yjzl.bilingual import _cjk, has_cjk

LANGS = ("zh", "en")
_lang = "zh"


def detect(argv: Sequence[str], env: dict[str, str] | None = None) -> str:
    """`--lang en` / `--lang=en` anywhere on the command line wins over YJZL_LANG; zh otherwise."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGS:
            return arg[7:]
    value = (os.environ if env is None else env).get("YJZL_LANG", "zh").strip().lower()
    return value if value in LANGS else "zh"


def lang() -> str:
    return _lang


def say(zh: str, en: str) -> str:
    """The message in the run's language."""
    return en if _lang == "en" else zh


# click's message ids (click 8.1–8.4) and their Chinese. Ids click does not use are harmless;
# an id missing here falls back to click's English.
CLICK_ZH: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "Aborted!": "已中断。",
    "Missing command.": "缺少命令。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少 {param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option: {name}": "没有这个选项：{name}",
    "No such option {name!r}.": "没有这个选项 {name!r}。",
    "No such command {name!r}.": "没有这个命令 {name!r}。",
    "Did you mean {possibility}?": "你是不是要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（你是不是要用其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带取值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个取值。",
    "{value!r} is not {choice}.": "{value!r} 不是可选值 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，这里要一个文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，这里要一个文件。",
    "{name} {filename!r} is not readable.": "{filename!r} 无法读取（没有权限）。",
    "{name} {filename!r} is not writable.": "{filename!r} 无法写入（没有权限）。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "unknown error": "未知错误",
}
# Words click puts into its messages untranslated (a number type's name).
_WORDS_ZH = {"有效的integer range": "有效的整数", "有效的float range": "有效的数", "有效的integer": "有效的整数",
             "有效的float": "有效的数"}  # longer first


def polish(message: str) -> str:
    """A click message finished in the run's language: its untranslated words, a Chinese full stop."""
    if _lang != "zh":
        return message
    for en, zh in _WORDS_ZH.items():
        message = message.replace(en, zh)
    return message[:-1] + "。" if message.endswith(".") else message


def _gettext(message: str) -> str:
    return CLICK_ZH.get(message, message) if _lang == "zh" else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


_CLICK_MODULES = ("core", "exceptions", "types", "parser", "formatting", "decorators", "termui", "utils")


def install(language: str) -> None:
    """Make this run speak `language`: click's texts, the help formatter, `say`."""
    global _lang
    _lang = language if language in LANGS else "zh"
    for name in _CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    click.Context.formatter_class = HelpFormatter
    if not getattr(click.Choice.convert, "suggests", False):
        click.Choice.convert = _suggesting(click.Choice.convert)  # type: ignore[method-assign]


def _suggesting(convert):  # type: ignore[no-untyped-def]
    """A value outside a Choice (`--format jsno`) is told the closest choice, as a mistyped option is."""

    def wrapped(self, value, param, ctx):  # type: ignore[no-untyped-def]
        try:
            return convert(self, value, param, ctx)
        except click.BadParameter as exc:
            from yjzl.cli.base import closest, did_you_mean

            exc.message += did_you_mean(closest(str(value), [str(c) for c in self.choices]))
            raise

    wrapped.suggests = True  # type: ignore[attr-defined]
    return wrapped


def pick(text: str, language: str | None = None) -> str:
    """"中文 / English" → the part in the run's language (yjzl.bilingual.pick)."""
    return bilingual.pick(text, language or _lang)


def english(message: str) -> str:
    """With --lang en, a library message's Chinese halves left out (yjzl.bilingual); in Chinese as written."""
    return bilingual.in_language(message, _lang)


def pick_paragraphs(text: str, language: str | None = None) -> str:
    """A command's help: paragraphs in the other language are left out when some are in this one;
    a list (click's \\b block) or a one-line paragraph keeps each line's part in this language."""
    language = language or _lang
    paragraphs = text.split("\n\n")

    def kind(p: str) -> str:
        bilingual = any(pick(line, "en") != line for line in p.split("\n"))
        if bilingual or (p.lstrip().startswith("\b") and not p.replace("\b", "").strip().count(" ") > 8):
            return "lines"  # "中文 / English" lines, or a list of commands: each line kept, cut to the language
        # Chinese when CJK characters are more than a few words' worth (English prose names 说明, 表1 …)
        return "zh" if 3 * len(_cjk().findall(p)) >= len(re.findall(r"[A-Za-z]", p)) else "en"

    kinds = [kind(p) for p in paragraphs]
    other = "zh" if language == "en" else "en"
    drop = other if language in kinds else None
    kept = []
    for p, k in zip(paragraphs, kinds):
        if k == "lines":
            kept.append("\n".join(pick(line, language) for line in p.split("\n")))
        elif k != drop:  # a line break inside Chinese text is not a space
            kept.append(re.sub(r"(?<=[^\x00-\x7f])\n\s*(?=[^\x00-\x7f])", "", p) if k == "zh" else p)
    return "\n\n".join(kept)


class HelpFormatter(click.HelpFormatter):
    """click's formatter, cutting bilingual texts to the run's language and wrapping by display width
    (click counts a Chinese character as one column; a terminal shows it in two)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if _lang == "zh":
            args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
        super().write_usage(prog, args, prefix)

    def write_text(self, text: str) -> None:
        from yjzl.output.table import wrap

        indent = " " * self.current_indent
        room = max(self.width - self.current_indent, 20)
        out = []
        for para in pick_paragraphs(text).split("\n\n"):
            lines = para.split("\n")
            if lines[0].lstrip().startswith("\b"):  # a list (click's \b): its lines as written
                body = [lines[0].replace("\b", "", 1), *lines[1:]]
                out.append("\n".join(indent + ln for ln in body if ln.strip()))
                continue
            joined = ""
            for ln in (x.strip() for x in lines):
                if joined and not (has_cjk(joined[-1]) and has_cjk(ln[:1])):
                    joined += " "
                joined += ln
            out.append("\n".join(indent + x for x in wrap(joined, room)))
        self.write("\n\n".join(x.rstrip("\n") for x in out if x.strip()) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        from yjzl.output.table import width, wrap

        rows = [(_metavars(a), pick(_relang(b))) for a, b in rows]
        first = min(max((width(a) for a, _ in rows), default=0), col_max)
        indent = " " * self.current_indent
        hang = " " * (self.current_indent + first + col_spacing)
        room = max(self.width - self.current_indent - first - col_spacing, 10)
        for term, text in rows:
            self.write(indent + term)
            if not text:
                self.write("\n")
                continue
            if width(term) <= first:
                self.write(" " * (first - width(term) + col_spacing))
            else:
                self.write("\n" + hang)
            lines = [x for para in text.splitlines() for x in wrap(para, room)] or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(hang + line + "\n")


_METAVARS = re.compile(r"(?<= )(INTEGER RANGE|FLOAT RANGE|INTEGER|FLOAT|TEXT|FILE|PATH|DIRECTORY)\b")
_METAVARS_ZH = {"INTEGER RANGE": "整数", "FLOAT RANGE": "数", "INTEGER": "整数", "FLOAT": "数", "TEXT": "文本",
                "FILE": "文件", "PATH": "路径", "DIRECTORY": "文件夹"}


def _metavars(term: str) -> str:
    """click's own metavars (`--form TEXT`) in Chinese; a command's own (KEY, SET) stay as written."""
    return _METAVARS.sub(lambda m: _METAVARS_ZH[m.group(1)], term) if _lang == "zh" else term


def _relang(text: str) -> str:
    """click caches a command's help option with its text in the language of its first use (tests
    run many commands in one process): a click text is put into this run's language again."""
    if _lang == "zh":
        return CLICK_ZH.get(text, text)
    return next((en for en, zh in CLICK_ZH.items() if zh == text), text)
