"""Benchmark: the memory and time of finding suspected duplicates without a roster (yjzl.batch.duplicates).

    python benchmarks/bench_duplicates.py [N ...]      # default 10000 100000

For N submissions (distinct organisation codes, 1 % sent twice) it runs, in the same process:
- yjzl: `suspected`, two bitmaps of 64 bits a submission, then only the submissions whose bit came twice are keyed;
- the baseline: what one would write first, a dict from every submission's key to its submissions;
and prints the peak memory each allocates (tracemalloc) and its time, with the ratios yjzl / baseline.
Target: well under the ~2 kB a compact record holds per submission (issue 18), so compute's peak stays flat.
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.baselines import timed
from yjzl.batch.duplicates import key_of, suspected
from yjzl.batch.progress import Identity


def submissions(n: int) -> list[Identity]:
    """n 表3 submissions as compute's identities; every hundredth is the previous one sent again."""
    out = []
    for k in range(n):
        unit = k - 1 if k % 100 == 99 else k
        out.append(Identity(f"/data/各市/{k // 1000:03d}/{k:06d}-表3-医院.xlsx!表3", f"/data/{k}.xlsx", "表3", False,
                            f"第{unit}医院", f"12370202{unit:09d}X", None, "2019",
                            statistics_period="2019-01-01:2019-06-30"))
    return out


def baseline(records: list[Identity]) -> int:
    groups: dict[tuple, list[int]] = {}
    for n, r in enumerate(records):
        k = key_of(r)
        if k is not None:
            groups.setdefault(k, []).append(n)
    return sum(1 for g in groups.values() if len(g) > 1)


def peak(fn) -> float:
    tracemalloc.start()
    fn()
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return top / 1e6


def measure(records: list[Identity]) -> list[tuple[str, float, float]]:
    """(name, peak MB, seconds) of yjzl and the baseline over the same records."""
    def ours() -> object:
        return suspected(records, lambda i: i)

    def base() -> object:
        return baseline(records)

    return [(name, peak(fn), timed(fn, 3)) for name, fn in (("yjzl", ours), ("baseline", base))]


def main() -> None:
    sizes = [int(x) for x in sys.argv[1:]] or [10_000, 100_000]
    print(f"{'N':>8} {'':10} {'peak MB':>8} {'B/sub':>6} {'time s':>7}")
    for n in sizes:
        records = submissions(n)
        found = len(suspected(records, lambda i: i))
        assert found == baseline(records) == n // 100, (found, n // 100)  # both find every planted copy, nothing more
        rows = measure(records)
        for name, mb, s in rows:
            print(f"{n:>8} {name:10} {mb:8.1f} {mb * 1e6 / n:6.0f} {s:7.2f}")
        (_, m1, t1), (_, m2, t2) = rows
        print(f"{n:>8} {'ratio':10} {m1 / m2:7.2f}x {'':6} {t1 / t2:6.2f}x")


if __name__ == "__main__":
    main()
