"""One reading budget per workbook, the same whatever the format: inflated bytes, cells, characters.

What a hostile file costs is what the reader keeps of it, so the budget counts what is kept, while it is read
(before a chunk of cells is made, not after): the bytes inflated from a zip or read from a file, the cells
created (a repeated .ods cell counts once per cell it stands for), the characters of text created (a shared
string is kept once, however many cells show it). The first limit passed refuses the file with one line naming
the limit and the way to raise it for a trusted file: the environment variable YJZL_MAX_MB, which scales every
limit together (docs/limits.md).

Measured (benchmarks/bench_limits.py, and a CSV of 1.58 million distinct short texts: 513 MB): a cell costs
~330 bytes of memory, so CELLS_PER_MB × 64 = 1 048 576 cells keep a workbook under ~350 MB, while a filled form has
a few hundred cells and a 100 000-row detail table of three columns 300 000.
"""

from __future__ import annotations

import os

from yjzl.errors import UnusableInput

DEFAULT_MB = 64  # the unit: YJZL_MAX_MB=N scales every limit by N / 64 (never below the default)
LIMIT_ENV = "YJZL_MAX_MB"
CELLS_PER_MB = 16_384  # cells per unit: 1 048 576 by default
CHARS_PER_MB = 1 << 20  # characters of text per unit: 64 Mi by default (~128 MB of CJK text)
ANNOTATE_PER_MB = 1 << 18  # --annotate (openpyxl, ~25× slower than the reader): a quarter MB of XML per unit, 16 MB


def unit_mb(env: dict[str, str] | None = None) -> int:
    """DEFAULT_MB, or more when YJZL_MAX_MB asks for it (never less)."""
    raw = (os.environ if env is None else env).get(LIMIT_ENV, "")
    return max(DEFAULT_MB, int(raw)) if raw.strip().isdigit() else DEFAULT_MB


UNIT = unit_mb()
MAX_BYTES = 2 * UNIT << 20  # inflated (or read) bytes of one workbook
MAX_CELLS = UNIT * CELLS_PER_MB
MAX_CHARS = UNIT * CHARS_PER_MB
MAX_ANNOTATE_BYTES = UNIT * ANNOTATE_PER_MB


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB" if n >= 1 << 20 else f"{n} B"


def raise_hint(unit: int | None = None) -> tuple[str, str]:
    """How to raise the limits for a trusted file, in Chinese and in English."""
    more = 2 * (unit or UNIT)
    return (f"；确认文件可信时可设置环境变量 {LIMIT_ENV}={more} 放宽（当前 {unit or UNIT}，所有读取上限按比例放宽）",
            f"; for a trusted file set {LIMIT_ENV}={more} to raise it (now {unit or UNIT}; every reading limit scales with it)")


class Budget:
    """What one workbook may cost; `add_*` count what is about to be kept and refuse past a limit."""

    __slots__ = ("bytes", "cells", "chars", "max_bytes", "max_cells", "max_chars", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.bytes = self.cells = self.chars = 0
        # Read from the module when the workbook is opened: a test (or a caller) may set them.
        self.max_bytes, self.max_cells, self.max_chars = MAX_BYTES, MAX_CELLS, MAX_CHARS

    def refuse(self, zh: str, en: str) -> UnusableInput:
        hint_zh, hint_en = raise_hint()
        return UnusableInput(self.path, f"{zh}，拒绝读取{hint_zh} / {en}: refused{hint_en}")

    def add_bytes(self, n: int) -> None:
        self.bytes += n
        if self.bytes > self.max_bytes:
            raise self.refuse(f"工作簿解压后超过读取上限 {_mb(self.max_bytes)}", f"the workbook inflates beyond the reading limit of "
                              f"{_mb(self.max_bytes)}")

    def add_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > self.max_cells:
            raise self.refuse(f"工作簿的单元格超过读取上限 {self.max_cells} 个", f"the workbook holds more than the reading limit of "
                              f"{self.max_cells} cells")

    def add_chars(self, n: int) -> None:
        self.chars += n
        if self.chars > self.max_chars:
            raise self.refuse(f"工作簿的文本超过读取上限 {self.max_chars} 字", f"the workbook's text is over the reading limit of "
                              f"{self.max_chars} characters")


def check_annotate(path: str, inflated: int) -> None:
    """--annotate loads the whole workbook into openpyxl (~25× the reader's time and memory per cell: a 1 000 000-row
    sheet took 50 s): refuse a workbook whose parts inflate past MAX_ANNOTATE_BYTES before openpyxl sees it."""
    if inflated > MAX_ANNOTATE_BYTES:
        hint_zh, hint_en = raise_hint()
        raise UnusableInput(path, f"工作簿解压后有 {_mb(inflated)}，超过标注副本（--annotate）的上限 {_mb(MAX_ANNOTATE_BYTES)}，"
                                  f"不写标注副本{hint_zh} / the workbook inflates to {_mb(inflated)}, over the limit of "
                                  f"{_mb(MAX_ANNOTATE_BYTES)} for a marked-up copy (--annotate): not written{hint_en}")
