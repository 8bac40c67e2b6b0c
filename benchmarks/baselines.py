"""The baselines every benchmark compares yjzl with, and the timer (one definition each)."""

from __future__ import annotations

import statistics
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.etree import ElementTree as ET


def naive(paths: Iterable[Path]) -> None:
    """(a) What a script would do: openpyxl.load_workbook each file and read every cell."""
    import openpyxl

    for p in paths:
        wb = openpyxl.load_workbook(p)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                list(row)


def floor(paths: Iterable[Path]) -> None:
    """(b) The floor: unzip each file and parse its sheet XML with the standard library, doing nothing with it."""
    for p in paths:
        with zipfile.ZipFile(p) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                    with z.open(name) as fh:
                        for _, el in ET.iterparse(fh):
                            el.clear()


def timed(fn: Callable[[], object], repeats: int) -> float:
    """Seconds per call: the median of `repeats` runs (the best of them when there are fewer than three)."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) if repeats < 3 else statistics.median(times)
