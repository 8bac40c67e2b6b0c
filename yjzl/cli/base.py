"""The command classes of yjzl's command line: a group that suggests the command meant.

Every group of yjzl (the top level, `catalogue`, and any a module adds) uses `Group`, so a mistyped
command gets "did you mean" in the run's language; options get click's own suggestion, translated
by the message layer (`yjzl.cli.i18n`).
"""

from __future__ import annotations

from collections.abc import Iterable

import click

from yjzl.cli.i18n import say


def closest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The choices closest to a mistyped word (difflib, as click does for options)."""
    import difflib  # only when a name was mistyped

    choices = list(choices)
    hits = difflib.get_close_matches(word, choices, n=n, cutoff=0.5)
    if not hits:  # a prefix ("cat" for catalogue) or a word typed inside ("ind" for --indicators)
        hits = [c for c in choices if c.startswith(word) or (len(word) > 2 and word in c)][:n]
    return hits


def did_you_mean(hits: list[str]) -> str:
    if not hits:
        return ""
    return say("你是不是要用 ", " Did you mean ") + say("、", ", ").join(hits) + say("？", "?")


def accept_lang(cmd: click.Command) -> None:
    """`--lang` is accepted on a group too; the language was read from argv before parsing (i18n.detect)."""
    if not any(p.name == "lang" for p in cmd.params):
        from yjzl.cli.options import lang_option

        lang_option(cmd)
        cmd.params[-1].expose_value = False


class Group(click.Group):
    """click.Group whose unknown-command error names the closest commands, and that accepts
    `--lang` before its subcommand (`yjzl catalogue --lang en --help`) like every command."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        accept_lang(self)

    @classmethod
    def adopt(cls, cmd: click.Command) -> click.Command:
        """A plain click.Group another module made becomes one of ours (suggestions, --lang, help); a
        command without --lang gets it."""
        if type(cmd) is click.Group:
            cmd.__class__ = cls  # same layout: Group only adds methods
        accept_lang(cmd)  # every command takes --lang: the messages and help follow it even if the command does not
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each subcommand with the first sentence of its help in the run's language."""
        import inspect

        from yjzl.cli.i18n import pick_paragraphs

        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            paragraphs = [x for x in pick_paragraphs(inspect.cleandoc(cmd.help or "")).split("\n\n") if not x.startswith("\b")]
            text = (paragraphs or [""])[0].replace("\n", " ").strip()
            for stop in ("。", ". "):
                if stop in text:
                    text = text[: text.index(stop) + 1].strip()
                    break
            rows.append((name, text))
        if rows:
            with formatter.section(say("命令", "Commands")):
                formatter.write_dl(rows)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if self.get_command(ctx, name) is None and not ctx.resilient_parsing and not name.startswith("-"):
            hint = did_you_mean(closest(name, self.list_commands(ctx)))
            raise click.UsageError(say(f"没有这个命令：{name}。", f"No such command: {name}.") + hint, ctx)
        return super().resolve_command(ctx, args)
