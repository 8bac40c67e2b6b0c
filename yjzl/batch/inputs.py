"""Turn the command line's files, folders and globs into the workbooks to read."""

from __future__ import annotations

import glob
from pathlib import Path

SUFFIXES = (".xlsx", ".xlsm")


def _lock_file(path: Path) -> bool:
    # Excel's and WPS's owner files (~$x.xlsx) and LibreOffice's (.~lock.x.xlsx#) are not workbooks.
    return path.name.startswith(("~$", ".~lock"))


def expand(items: list[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The workbooks named, in a stable order, and the arguments that named none (with why)."""
    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            books = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file() and not _lock_file(p))
            if not books:
                problems.append((str(item), "文件夹中没有 .xlsx 工作簿 / no .xlsx workbook in this folder"))
            found += books
        elif path.exists():
            found.append(path)
        elif glob.has_magic(str(item)):
            books = sorted(Path(p) for p in glob.glob(str(item), recursive=True)
                           if Path(p).is_file() and not _lock_file(Path(p)))
            if not books:
                problems.append((str(item), "没有匹配的文件 / no file matches"))
            found += books
        else:
            problems.append((str(item), "文件不存在 / no such file"))
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, problems
