"""Which batch (第几批) a file arrived in, and when it was received: facts the user controls and can see.

A supervisor takes a round in batches: 第1批/ first, then the corrections in 第2批/. Which copy of a unit's
form counts must follow those folders, never the file's modification time (copying or unzipping an e-mail
attachment changes it). So a file's batch is, in order:

1. the position of the input that named it (`yjzl compute 第1批/ 第2批/`: the second input is the later batch);
2. inside one input folder, the names of its subfolders that carry a number, compared in natural order
   (第2批 before 第10批; 2024-03-05 before 2024-03-12). A subfolder without a number (咸阳市/, overlays/) says
   nothing about when it came: two copies inside one input are ordered only when both lie in numbered folders
   (`comparable`).

A date in the batch's folder names (2024-03-05, 2024年3月5日, 20240305) is the date the batch was received;
the roster's 收到日期 column, where filled, says it per unit instead (yjzl.batch.progress). Nothing here reads
a file's time.
"""

from __future__ import annotations

import fnmatch
import glob
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_NUMBER = re.compile(r"\d+")
_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?|(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")


@dataclass(frozen=True, slots=True)
class Batch:
    order: tuple  # compared: later batches are greater
    label: str  # how a person names it: the input as given, then its subfolder (第2批/ or 报送/第2批)
    received: date | None = None  # a date in the batch folder's names


def _key(text: str) -> tuple:
    """第10批 after 第2批: numbers compare as numbers."""
    parts: list[tuple[int, int, str]] = []
    pos = 0
    for m in _NUMBER.finditer(text):
        if m.start() > pos:
            parts.append((1, 0, text[pos:m.start()]))
        parts.append((0, int(m.group()), ""))
        pos = m.end()
    if pos < len(text):
        parts.append((1, 0, text[pos:]))
    return tuple(parts)


def read_date(text: str | None) -> date | None:
    """A date as people write it: 2024-03-05, 2024/3/5, 2024年3月5日, 20240305; or an Excel date serial
    (a 填报日期 cell formatted as a date reads as its number). None when there is none."""
    if not text:
        return None
    t = str(text).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", t):  # an Excel serial: 45356 is 2024-03-05
        from datetime import timedelta

        n = int(float(t))
        return date(1899, 12, 30) + timedelta(days=n) if 20000 <= n <= 80000 else None
    m = _DATE.search(t)
    if not m:
        return None
    y, mo, d = (int(x) for x in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    try:
        return date(y, mo, d)
    except ValueError:
        return None


class Batches:
    """The batch of each file, from the inputs as given on the command line (in that order)."""

    def __init__(self, items: list[str | Path]) -> None:
        self.items = [(n, Path(item)) for n, item in enumerate(items)]

    def of(self, file: str | Path) -> Batch:
        path = Path(file)
        for n, item in self.items:
            if item.is_dir():
                try:
                    rel = path.relative_to(item)
                except ValueError:
                    continue
                sub = rel.parent
                label = str(item / sub) if str(sub) != "." else str(item)
                names = [item.name, *sub.parts]
                return Batch((n, _numbered(sub.parts)), label, _received(names))
            if path == item:
                return Batch((n, ()), str(item), _received([path.parent.name]))
            if glob.has_magic(str(item)) and fnmatch.fnmatch(str(path), str(item)):
                parent = path.parent
                return Batch((n, _numbered(parent.parts)), str(parent), _received(list(parent.parts)))
        return Batch((len(self.items), ()), str(path.parent), _received([path.parent.name]))  # a glob's file


def _numbered(parts: tuple[str, ...]) -> tuple:
    """The folder names that carry a number (第2批, 2024-03-05), as natural keys: what orders batches in one input."""
    return tuple(_key(p) for p in parts if _NUMBER.search(p))


def comparable(batches: list[Batch]) -> bool:
    """Whether these copies' batches say which came later: from different inputs, or all in numbered folders."""
    for i, a in enumerate(batches):
        for b in batches[i + 1:]:
            if a.order[0] == b.order[0] and not (a.order[1] and b.order[1]):
                return False
    return True


def _received(names: list[str]) -> date | None:
    """The date in the innermost folder name that has one."""
    for name in reversed(names):
        if (d := read_date(name)) is not None:
            return d
    return None
