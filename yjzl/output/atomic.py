"""Write outputs atomically (a temporary file in the same folder, then rename)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from yjzl.errors import UsageProblem


def guard(out: Path, inputs: Iterable[str | Path]) -> None:
    """Refuse to write over one of the run's own inputs."""
    try:
        target = out.resolve()
    except OSError as exc:
        raise UsageProblem(f"{out}: 无法写入 / cannot write: {exc}") from exc
    for p in inputs:
        try:
            if Path(p).resolve() == target:
                raise UsageProblem(f"{out}: 输出会覆盖输入文件，已拒绝 / the output would overwrite an input: refused")
        except OSError:
            continue


def write_bytes(out: Path, produce: Callable[[Path], None] | bytes) -> None:
    """`produce(tmp_path)` writes the content (or pass bytes); then it is renamed into place."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UsageProblem(f"{out}: 目录不存在 / the folder does not exist: {folder}")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    try:
        if isinstance(produce, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(produce)
        else:
            os.close(fd)
            produce(Path(tmp))
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(out: Path, text: str) -> None:
    write_bytes(out, text.encode("utf-8"))
