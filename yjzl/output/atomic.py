"""Write outputs atomically (a temporary file in the same folder, then rename).

A reader of the output sees the old file or the new one, never half of one; a
failure while writing (a full disk, a bug in the producer, Ctrl-C) leaves the
old file as it was and no temporary file behind. The new file gets the old
one's permissions, or the usual ones (0666 less the umask) when there was none.
A run never writes over one of its own inputs (`guard`). Errors of the file
system (no permission, disk full, read-only) are one-line UsageProblems.

`prepare` is the one rule every command that writes a file follows, checked before
any work is done: not over an input, into a folder that exists, with an extension
of a format the command can write, and over an existing file only with --force
(it may be a filled-in workbook or last year's report: yjzl never loses work).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO, TypeVar

from yjzl.errors import UsageProblem
from yjzl.text import VISIBLE_ERRORS


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # the same file by any name: a symlink, a hard link, another case
    except (OSError, ValueError):
        return a.resolve() == b.resolve()  # the output does not exist yet


def guard(out: Path, inputs: Iterable[str | Path]) -> None:
    """Refuse to write over one of the run's own inputs."""
    out = Path(out)
    try:
        out.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        raise UsageProblem(f"{out}: 无法写入 / cannot write: {exc}") from exc
    for p in inputs:
        try:
            same = _same(Path(p), out)
        except (OSError, RuntimeError, ValueError):
            continue
        if same:
            raise UsageProblem(f"{out}: 输出会覆盖输入文件，已拒绝 / the output would overwrite an input: refused")


# The extensions each output format may have ("" for none); the first is the one to suggest.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "table": (".txt", ".log", ""), "github": (".txt", ".log", ""), "json": (".json",), "jsonl": (".jsonl",), "csv": (".csv",),
    "xlsx": (".xlsx",), "html": (".html", ".htm"), "folder": ("",), "sqlite": (".sqlite", ".sqlite3", ".db"),
}


def format_of(out: Path, fmt: str | None, formats: Iterable[str]) -> str:
    """The format to write `out` in: the one asked for, else the one its extension names.
    An extension that does not fit the format (report.pdf, --format json -o x.csv) is refused."""
    formats = list(formats)
    suffix = Path(out).suffix.lower()
    if fmt is None:
        fmt = next((f for f in formats if suffix in SUFFIXES[f]), None)
    if fmt is None or suffix not in SUFFIXES[fmt]:
        fits = [f for f in formats if suffix in SUFFIXES[f]]
        allowed = "、".join(dict.fromkeys(x for f in ([fmt] if fmt else formats) for x in SUFFIXES[f] if x))
        why = (f"，或改用 --format {fits[0]}", f", or use --format {fits[0]}") if fits and fmt else ("", "")
        raise UsageProblem(f"{out}: 无法写出 {suffix or '无扩展名'} 文件，应以 {allowed} 结尾{why[0]} / "
                           f"cannot write a {suffix or 'suffix-less'} file: the name should end in {allowed.replace('、', ', ')}{why[1]}")
    return fmt


def prepare(out: Path, inputs: Iterable[str | Path], force: bool, formats: Iterable[str], fmt: str | None = None,
            templates: bool = False) -> str:
    """Check an output before the work, and return its format: not an input; an extension of a
    format the command writes (`format_of`); its folder exists; not a folder; an existing file is
    replaced only with `force`, and a workbook yjzl did not write (somebody's submission, a corrected
    annotated copy) never: `templates` lets the template command replace a template of its own."""
    out = Path(out)
    guard(out, inputs)
    if out.is_dir():
        raise UsageProblem(f"{out}: 这是一个目录 / this is a folder, not a file")
    fmt = format_of(out, fmt, formats)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UsageProblem(f"{out}: 目录不存在 / the folder does not exist: {folder}")
    if out.exists() and not force:
        raise UsageProblem(f"{out}: 文件已存在，如需覆盖请加 --force / the file exists: add --force to overwrite it")
    if out.is_file():
        from yjzl.workbook.own import someone_elses

        if someone_elses(out, templates):
            raise UsageProblem(f"{out}: 这个工作簿不是 yjzl 写出的（可能是一份填报），加 --force 也不覆盖，请换一个文件名"
                               f" / this workbook was not written by yjzl (it may be a submission): not replaced even"
                               f" with --force; choose another name")
    return fmt


def prepare_folder(folder: Path, index: str, inputs: Iterable[str | Path], force: bool) -> Path:
    """`prepare` for an output that is a folder of files (a split report): its parent exists, it is
    no file, and its `index` is replaced only with `force`. Returns the index's path."""
    folder = Path(folder)
    out = folder / index
    guard(out, inputs)
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise UsageProblem(f"{folder}: 目录不存在 / the folder does not exist: {parent}")
    if folder.exists() and not folder.is_dir():
        raise UsageProblem(f"{folder}: 这是一个文件，不是目录 / this is a file, not a folder")
    if out.exists() and not force:
        raise UsageProblem(f"{out}: 文件已存在，如需覆盖请加 --force / the file exists: add --force to overwrite it")
    return out


def _cannot_write(out: Path, exc: OSError) -> UsageProblem:
    return UsageProblem(f"{out}: 无法写入 / cannot write: {exc.strerror or exc}")


def _temporary(folder: Path, out: Path) -> tuple[int, Path]:
    """A new file beside `out`, created with the usual permissions (unlike mkstemp's 0600)."""
    for _ in range(100):
        tmp = folder / f".{out.name[:80]}.{os.urandom(4).hex()}.tmp"  # os.urandom, not secrets: its import costs 3 ms
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def write_bytes(out: Path, produce: Callable[[Path], None] | bytes) -> None:
    """`produce(tmp_path)` writes the content (or pass bytes); then it is renamed into place."""
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UsageProblem(f"{out}: 目录不存在 / the folder does not exist: {folder}")
    if out.is_dir():
        raise UsageProblem(f"{out}: 这是一个目录 / this is a folder, not a file")
    try:
        fd, tmp = _temporary(folder, out)
    except OSError as exc:
        raise _cannot_write(out, exc) from exc
    try:
        if isinstance(produce, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(produce)
                fh.flush()
                os.fsync(fh.fileno())
        else:
            os.close(fd)
            produce(tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        with contextlib.suppress(OSError):  # no file to replace: keep the usual permissions
            os.chmod(tmp, stat.S_IMODE(os.stat(out).st_mode))  # keep the permissions of the file replaced
        os.replace(tmp, out)
    except OSError as exc:
        _remove(tmp)
        raise _cannot_write(out, exc) from exc
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def write_text(out: Path, text: str) -> None:
    write_bytes(out, text.encode("utf-8", VISIBLE_ERRORS))  # a file name that is not UTF-8: its bytes as \x80


T = TypeVar("T")


def write_stream(out: Path | None, produce: Callable[[TextIO], T]) -> T:
    """`produce(stream)` writes text as it goes, to standard output or (out) into a temporary file
    beside `out` that is renamed into place when produce returns; its result is returned."""
    if out is None:
        return produce(sys.stdout)
    box: list[T] = []

    def into(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", errors=VISIBLE_ERRORS, newline="") as fh:
            box.append(produce(fh))
    write_bytes(out, into)
    return box[0]
