"""Benchmark: what auditing every submission adds to `yjzl compute`, in one run.

    python benchmarks/bench_audit.py [N] [REPEATS]

compute audits each submission (the `validate` engine's checks, counted into a
small audit record) so that a supervisor sees who passes and `--only-passing`
can leave failing ones out. This times `compute` over N filled templates as it
runs, against the same run with the audit step replaced by nothing (the
baseline: compute as it was before audits), and prints the ratio.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.baselines import timed  # noqa: E402
from benchmarks.bench_compute import generate_templates  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    from yjzl.batch.run import compute
    from yjzl.catalogue.loader import load
    from yjzl.rules import engine

    cat = load()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = generate_templates(folder, n)
        real = engine.form_findings
        with_audit = timed(lambda: compute(folder, cat, jobs=1), repeats)
        engine.form_findings = lambda *a, **k: ([], [])  # the baseline: no checks run
        try:
            without = timed(lambda: compute(folder, cat, jobs=1), repeats)
        finally:
            engine.form_findings = real
    ms = lambda t: t * 1000 / len(paths)  # noqa: E731 — per workbook
    print(f"{len(paths)} filled templates, one core, per workbook:")
    print(f"  compute with the audit       {ms(with_audit):7.3f} ms")
    print(f"  compute without it (before)  {ms(without):7.3f} ms   the audit costs {with_audit / without:4.2f}x")


if __name__ == "__main__":
    main()
