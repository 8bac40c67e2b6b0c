"""What the reader gives: workbooks of sheets of cells, with what validation needs to know."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

MAX_CELL_CHARS = 32767  # Excel's own limit for a cell


@dataclass(slots=True)
class Cell:
    value: str | float | bool | None  # None: empty
    error: str | None = None  # "#DIV/0!" …
    formula: bool = False
    cached: bool = True  # False: a formula whose result was never computed
    percent: bool = False  # number formatted as a percentage
    date: bool = False  # number formatted as a date


@dataclass(slots=True)
class Sheet:
    name: str
    hidden: bool
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    max_row: int = 0

    def cell(self, ref: str) -> Cell | None:
        """The cell at an address such as "C5" (None: empty)."""
        rc = split_ref(ref)
        return self.cells.get(rc) if rc else None

    def by_address(self) -> dict[str, Cell]:
        """Every non-empty cell by its address, row by row."""
        return {cell_ref(r, c): self.cells[(r, c)] for r, c in sorted(self.cells)}


@dataclass(slots=True)
class Workbook:
    path: str
    sheets: list[Sheet]
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why) for sheets named but not read


@lru_cache(maxsize=1024)
def col_letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def split_ref(ref: str) -> tuple[int, int] | None:
    """(row, column) of an address such as "C5" or "$AB$12"; None when it is none."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col
