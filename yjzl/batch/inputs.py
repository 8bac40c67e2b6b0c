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


def identity(path: Path) -> object:
    """The same file under any name (a symlink, a hard link, another spelling) has one identity."""
    try:
        st = path.stat()
        return (st.st_dev, st.st_ino)
    except OSError:
        return path.resolve()


def expand(items: list[str | Path], exclude: Iterable[str | Path] = ()) -> tuple[list[Path], list[tuple[str, str]]]:
    """The workbooks named, in a stable order, and the arguments that named none (with why).

    `exclude`: files never to read, e.g. the run's own output inside an input folder.
    """
    files, problems, _ = expand_all(items, exclude)
    return files, problems


def expand_all(items: list[str | Path], exclude: Iterable[str | Path] = (), own: list[tuple[Path, str]] | None = None
               ) -> tuple[list[Path], list[tuple[str, str]], list[tuple[Path, Path]]]:
    """`expand`, and the files named again (directly, inside a folder, or through a link) as
    (the name used again, the name read), so that a caller can say each was read once.

    A workbook yjzl wrote (compute's or collect's results, an annotated copy: yjzl.workbook.own) found
    in a folder is left out, and added to `own` as (path, the command that wrote it) for the caller to
    say so; named by itself it is read (a collected summary table is a set of submissions)."""
    from yjzl.workbook.own import written_by_yjzl

    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            books = workbooks_in(path)
            if not books:
                problems.append((str(item), "文件夹中没有 .xlsx 工作簿 / no .xlsx workbook in this folder"))
            for book in books:
                by = written_by_yjzl(book)
                if by is None:
                    found.append(book)
                elif own is not None:
                    own.append((book, by))
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
    excluded = {identity(Path(p)) for p in exclude}
    first: dict[object, Path] = {}
    unique, repeated = [], []
    for p in found:
        key = identity(p)
        if key in excluded:
            continue
        if key in first:
            repeated.append((p, first[key]))
            continue
        first[key] = p
        unique.append(p)
    return unique, problems, repeated
