"""Benchmark: the largest workbook and batch `yjzl validate` and `yjzl compute` accept, in time and memory.

    python benchmarks/bench_limits.py [N] [SIZES]      (N = 0: the single workbooks only)

Each measurement is a whole `yjzl` process (warm catalogue cache); its wall time, and its peak
resident memory from the kernel's account of the finished child (os.wait4: the largest single
process, so with --jobs the peak of one worker or of the parent, whichever is larger). Runs:
- one workbook: 表4（乡镇卫生院） plus a 100 000-row sheet beside it (skipped: no form);
- one workbook: the form with 100 000 rows pasted below it (100 000 YJ006 warnings);
- one workbook: the form plus a sheet whose XML inflates to S MB for S in SIZES (default
  16,32,60 — the last just under MAX_PART_BYTES, 64 MB), and one with two such 60 MB sheets
  (just under MAX_TOTAL_BYTES, 128 MB);
- a batch of N workbooks (default 1000, every form, openpyxl-written): `validate` (all files in
  one run, audited together), `compute --jobs 1` and `compute` on every core.
docs/limits.md quotes the figures of one run of this script.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus import MAIN, SHEET, t4m_rows, worksheet, write_book  # noqa: E402

DEPTS = ["内科", "外科", "儿科", "妇产科", "中医科", "全科"]


# The run is started by a small launcher process, which reports the peak memory of its child. The
# kernel's peak for a child counts the memory of whoever forked it, up to its exec: forked straight from
# this benchmark (which holds the catalogue and the generated files), every run would seem as large.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.executable, [sys.executable, "-m", "yjzl", *sys.argv[1:]], os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])  # the report is written, unread
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), time.perf_counter() - start, usage.ru_maxrss)
"""


def measure(args: list[str], env: dict[str, str] | None = None) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS in MB) of `yjzl ARGS` as a process of its own (`env`: variables added)."""
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    code, wall, rss = proc.stdout.split()[-3:]
    return int(code), float(wall), int(rss) / 1024  # KiB on Linux


def detail_sheet(rows: int) -> bytes:
    """门诊明细: date (date-formatted), department, visits — what an export pasted beside the form holds."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><sheetData>'.encode()]
    chunk = []
    for r in range(1, rows + 1):
        chunk.append(f'<row r="{r}"><c r="A{r}" s="2"><v>{45292 + r % 366}</v></c><c r="B{r}" t="inlineStr"><is><t>'
                     f'{DEPTS[r % 6]}</t></is></c><c r="C{r}"><v>{r % 997}</v></c></row>')
        if len(chunk) == 10_000:
            out.append("".join(chunk).encode())
            chunk = []
    out.append(("".join(chunk) + "</sheetData></worksheet>").encode())
    return b"".join(out)


def sized_book(path: Path, cat, megabytes: int, sheets: int = 1) -> int:
    """The form and `sheets` detail sheets whose XML inflates to about `megabytes` MB each; the size of one."""
    row_bytes = len(detail_sheet(100_000)) / 100_000
    data = detail_sheet(int(megabytes * (1 << 20) / row_bytes))
    parts = {f"门诊明细{i + 1}": data for i in range(sheets)}
    write_book(path, {SHEET: worksheet(t4m_rows(cat=cat)), **parts})  # type: ignore[dict-item]
    return len(data)


def inflated(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sizes = [int(s) for s in sys.argv[2].split(",")] if len(sys.argv) > 2 else [16, 32, 60]
    from benchmarks.bench_compute import generate_bare
    from tests.corpus import build
    from yjzl.catalogue.loader import load

    cat = load()
    rows: list[tuple[str, int, float, float, int, float, float]] = []

    def record(name: str, files: list[Path], args: list[str], env: dict[str, str] | None = None) -> None:
        code, wall, rss = measure(args, env)
        disk = sum(p.stat().st_size for p in files) / (1 << 20)
        infl = sum(inflated(p) for p in files if p.suffix == ".xlsx") / (1 << 20)
        rows.append((name, len(files), disk, infl, code, wall, rss))
        print(f"  {name}: exit {code}, {wall:.2f} s, {rss:.0f} MB", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = build(folder / "corpus", cat)
        big = corpus["big-rows.xlsx"]
        record("validate: form + 100 000-row sheet", [big], ["validate", str(big)])
        record("compute: form + 100 000-row sheet", [big], ["compute", str(big), "--jobs", "1"])
        below = folder / "below.xlsx"
        form_rows = t4m_rows(cat=cat) + [[f"门诊明细第{i}行 内科", i % 97, None] for i in range(100_000)]
        write_book(below, {SHEET: worksheet(form_rows)})
        record("validate: 100 000 unknown rows below the form", [below], ["validate", str(below)])
        for mb in sizes:
            p = folder / f"sheet-{mb}MB.xlsx"
            sized_book(p, cat, mb)
            record(f"validate: a sheet of {mb} MB inflated", [p], ["validate", str(p)])
            if mb > 40:  # ~1.45 million cells: past the default cell budget (1 048 576), read with YJZL_MAX_MB=128
                record(f"validate: a sheet of {mb} MB, YJZL_MAX_MB=128", [p], ["validate", str(p)], {"YJZL_MAX_MB": "128"})
            p.unlink()
        p = folder / "two-sheets.xlsx"
        sized_book(p, cat, 60, sheets=2)
        wide = {"YJZL_MAX_MB": "192"}  # 2.9 million cells, 123 MB inflated
        record("validate: two sheets of 60 MB, YJZL_MAX_MB=192", [p], ["validate", str(p)], wide)
        record("compute: two sheets of 60 MB, YJZL_MAX_MB=192", [p], ["compute", str(p), "--jobs", "1"], wide)
        p.unlink()
        if not n:
            return _table(rows)
        batch = folder / "batch"
        batch.mkdir()
        files = generate_bare(batch, n)
        out = folder / "out.csv"
        record(f"validate: {n} workbooks in one run", files, ["validate", *map(str, files), "--format", "json", "-o", str(out)])
        record(f"compute --jobs 1: {n} workbooks", files, ["compute", str(batch), "--jobs", "1", "-o", str(out)])
        record(f"compute (--jobs {os.cpu_count()}): {n} workbooks", files, ["compute", str(batch), "-o", str(out)])
    _table(rows)


def _table(rows: list[tuple[str, int, float, float, int, float, float]]) -> None:
    print()
    print("| run | files | on disk MB | inflated MB | exit | wall s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, count, disk, infl, code, wall, rss in rows:
        print(f"| {name} | {count} | {disk:.1f} | {infl:.1f} | {code} | {wall:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
