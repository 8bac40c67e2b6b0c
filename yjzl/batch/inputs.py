"""Turn the command line's files, folders and globs into the workbooks to read."""

from __future__ import annotations

import errno
import glob
import os
import stat
from collections.abc import Iterable
from pathlib import Path

# What a folder is searched for (a .csv in the 指标,数值 layout; an .et to be told to save it as .xlsx, not skipped).
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et", ".csv")


def lock_file(path: Path) -> bool:
    # Excel's and WPS's owner files (~$x.xlsx) and LibreOffice's (.~lock.x.xlsx#) are not workbooks.
    return path.name.startswith(("~$", ".~lock"))


def workbooks_in(folder: Path) -> list[Path]:
    """The submissions in a folder and its subfolders, sorted."""
    return scan(folder)[0]


UNREADABLE_FOLDER = "无法打开文件夹，其中的文件未读取 / cannot open this folder, its files were not read"
DANGLING = "符号链接指向不存在的位置，已跳过 / a symbolic link to nothing (dangling): skipped"
LOOP = "符号链接循环，已跳过 / a symbolic link loop: skipped"
BACK = "符号链接指回其上层文件夹，未进入 / a symbolic link back to a folder above it: not followed"


def scan(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The submissions in a folder and its subfolders, sorted, and what could not be looked into,
    one entry each (an unreadable subfolder, a dangling symbolic link, a link loop): nothing in an
    input folder is passed over without a word. Links to folders are followed, each folder once."""
    books: list[Path] = []
    problems: list[tuple[str, str]] = []
    try:
        top = os.stat(folder)
    except OSError as exc:
        return [], [(str(folder), f"{UNREADABLE_FOLDER}: {exc.strerror or exc}")]
    seen = {(top.st_dev, top.st_ino)}
    stack: list[tuple[Path, tuple[tuple[int, int], ...]]] = [(folder, ((top.st_dev, top.st_ino),))]
    while stack:
        where, above = stack.pop()
        try:
            with os.scandir(where) as it:
                entries = list(it)
        except OSError as exc:
            problems.append((str(where), f"{UNREADABLE_FOLDER}: {exc.strerror or exc}"))
            continue
        for e in entries:
            path = where / e.name
            try:
                if not e.is_symlink():  # the usual case, answered from the folder listing without a stat per file
                    if e.is_file(follow_symlinks=False):
                        if path.suffix.lower() in SUFFIXES and not lock_file(path):
                            books.append(path)
                        continue
                    if not e.is_dir(follow_symlinks=False):
                        continue  # a pipe, a socket, a device: nothing to read
                    st = e.stat(follow_symlinks=False)
                else:
                    st = os.stat(path)  # through the link
            except OSError as exc:
                if e.is_symlink():
                    if path.suffix.lower() in ("", *SUFFIXES):  # a workbook's name, or a folder's (no suffix)
                        problems.append((str(path), LOOP if exc.errno == errno.ELOOP else DANGLING))
                elif path.suffix.lower() in SUFFIXES:
                    problems.append((str(path), f"无法读取 / cannot read: {exc.strerror or exc}"))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in above:
                    problems.append((str(path), BACK))
                elif key not in seen:  # a folder reached again through another link: its files are read once
                    seen.add(key)
                    stack.append((path, (*above, key)))
            elif stat.S_ISREG(st.st_mode) and path.suffix.lower() in SUFFIXES and not lock_file(path):
                books.append(path)
    problems.sort()
    return sorted(books), problems


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
            books, unseen = scan(path)
            if not books:
                problems.append((str(item), "文件夹中没有 .xlsx 工作簿 / no .xlsx workbook in this folder"))
            problems += unseen
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
