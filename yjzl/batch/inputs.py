"""Turn the command line's files, folders and globs into the workbooks to read."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

# What a folder is searched for (a .csv in the 指标,数值 layout; an .et to be told to save it as .xlsx, not skipped).
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et", ".csv")


def lock_file(path: Path) -> bool:
    # Excel's and WPS's owner files (~$x.xlsx) and LibreOffice's (.~lock.x.xlsx#) are not workbooks.
    return path.name.startswith(("~$", ".~lock"))


def workbooks_in(folder: Path) -> list[Path]:
    """The submissions in a folder and its subfolders, sorted."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file() and not lock_file(p))


def expand(items: list[str | Path], exclude: Iterable[str | Path] = ()) -> tuple[list[Path], list[tuple[str, str]]]:
    """The workbooks named, in a stable order, and the arguments that named none (with why).

    `exclude`: files never to read, e.g. the run's own output inside an input folder.
    """
    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            books = workbooks_in(path)
            if not books:
                problems.append((str(item), "文件夹中没有 .xlsx 工作簿 / no .xlsx workbook in this folder"))
            found += books
        elif path.exists():
            found.append(path)
        elif glob.has_magic(str(item)):
            books = sorted(Path(p) for p in glob.glob(str(item), recursive=True)
                           if Path(p).is_file() and not lock_file(Path(p)))
            if not books:
                problems.append((str(item), "没有匹配的文件 / no file matches"))
            found += books
        else:
            problems.append((str(item), "文件不存在 / no such file"))
    seen: set[Path] = {Path(p).resolve() for p in exclude}
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, problems
