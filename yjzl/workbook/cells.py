"""What the reader gives: workbooks of sheets of cells, with what validation needs to know."""

from __future__ import annotations

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
