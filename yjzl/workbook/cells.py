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


# The one cell-address pattern of every reader (the .xlsx decoders build theirs from these): letters in either case
# (some generators write r="e1"), at most 3 (XFD), and at most 7 digits (1048576).
LETTERS = "[A-Za-z]{1,3}"
DIGITS = "[0-9]{1,7}"
ADDRESS = re.compile(rf"\$?({LETTERS})\$?({DIGITS})")


def column_number(letters: str | bytes) -> int:
    """1 for A (or a), 26 for Z, 27 for AA …"""
    col = 0
    for ch in letters.encode("ascii") if isinstance(letters, str) else letters:
        col = col * 26 + (ch & 0xDF) - 64  # & 0xDF: a lowercase ASCII letter as its capital
    return col


def split_ref(ref: str) -> tuple[int, int] | None:
    """(row, column) of an address such as "C5", "c5" or "$AB$12"; None when it is none."""
    m = ADDRESS.fullmatch(ref.strip())
    return (int(m.group(2)), column_number(m.group(1))) if m else None
