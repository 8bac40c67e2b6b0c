"""Write outputs atomically (a temporary file in the same folder, then rename).

A reader of the output sees the old file or the new one, never half of one; a
failure while writing (a full disk, a bug in the producer, Ctrl-C) leaves the
old file as it was and no temporary file behind. The new file gets the old
one's permissions, or the usual ones (0666 less the umask) when there was none.
A run never writes over one of its own inputs (`guard`). Errors of the file
system (no permission, disk full, read-only) are one-line UsageProblems.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO, TypeVar

from yjzl.errors import UsageProblem


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


def _cannot_write(out: Path, exc: OSError) -> UsageProblem:
    return UsageProblem(f"{out}: 无法写入 / cannot write: {exc.strerror or exc}")


def _temporary(folder: Path, out: Path) -> tuple[int, Path]:
    """A new file beside `out`, created with the usual permissions (unlike mkstemp's 0600)."""
    for _ in range(100):
        tmp = folder / f".{out.name[:80]}.{secrets.token_hex(4)}.tmp"
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
    write_bytes(out, text.encode("utf-8"))


T = TypeVar("T")


def write_stream(out: Path | None, produce: Callable[[TextIO], T]) -> T:
    """`produce(stream)` writes text as it goes, to standard output or (out) into a temporary file
    beside `out` that is renamed into place when produce returns; its result is returned."""
    if out is None:
        return produce(sys.stdout)
    box: list[T] = []

    def into(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            box.append(produce(fh))
    write_bytes(out, into)
    return box[0]
