"""Benchmark: yjzl's reader and a whole `yjzl validate` process against baselines, in one run.

    python benchmarks/bench_validate.py [N]

Prints the median of N runs (default 15) and the ratios:
- a whole `yjzl validate <workbook>` process (warm catalogue cache) vs `python -c "import openpyxl"`;
  yjzl's modules are byte-compiled first, as pip does on install for yjzl and did for openpyxl: with
  PYTHONDONTWRITEBYTECODE=1 (set on some machines) an editable checkout would otherwise compile its
  ~100 modules from source in every process (about 40 ms here), which no installed copy does;
- reading the workbook: yjzl's reader vs openpyxl.load_workbook reading every cell,
  vs the floor (unzip and parse the sheet XML with the standard library).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.baselines import floor, naive, timed  # noqa: E402

BOOK = ROOT / "examples" / "表3-医联体.xlsx"


def process(*args: str) -> None:
    subprocess.run([sys.executable, *args], check=False, capture_output=True)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    import compileall

    from yjzl.workbook.xlsx import read_workbook

    compileall.compile_dir(ROOT / "yjzl", quiet=1)  # writes __pycache__ whatever PYTHONDONTWRITEBYTECODE says
    process("-m", "yjzl", "validate", str(BOOK))  # warm the catalogue cache
    whole = timed(lambda: process("-m", "yjzl", "validate", str(BOOK)), n)
    imp = timed(lambda: process("-c", "import openpyxl"), n)
    ours = timed(lambda: read_workbook(BOOK), n)
    base = timed(lambda: naive([BOOK]), n)
    low = timed(lambda: floor([BOOK]), n)
    print(f"workbook: {BOOK.name}, median of {n} runs")
    print(f"yjzl validate (whole process)   {whole * 1000:8.1f} ms")
    print(f"python -c 'import openpyxl'     {imp * 1000:8.1f} ms   ratio {whole / imp:.2f} (target < 1)")
    print(f"read: yjzl reader               {ours * 1000:8.2f} ms")
    print(f"read: openpyxl, every cell      {base * 1000:8.2f} ms   yjzl is {base / ours:.1f}x faster (target ≥ 8)")
    print(f"read: stdlib floor              {low * 1000:8.2f} ms   yjzl is {ours / low:.2f}x the floor (target ≤ 2)")


if __name__ == "__main__":
    main()
