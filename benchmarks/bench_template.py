"""Benchmark: LibreOffice opening and recalculating a live 表1 template, against the same file without formulas.

    python benchmarks/bench_template.py [N]

A 表1 template (118 fields, 64 checks, 35 indicators) filled with the clean example data
is converted xlsx → xlsx by `soffice --headless` with a private profile that recalculates
every formula on load (each run is a whole soffice process: start, load, recalculate,
save). The baseline is the same workbook with every formula cell and the conditional
formatting removed, in the same run. Prints the medians of N runs (default 3) and the
ratio; the issue's target is "a few seconds".
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.baselines import timed  # noqa: E402
from tests.test_template_live import RECALC, fill  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("soffice not found: apt-get install libreoffice-calc")
    import openpyxl
    from openpyxl.formatting.formatting import ConditionalFormattingList

    from examples.build_examples import clean
    from yjzl.catalogue.loader import load
    from yjzl.template.build import build_template

    cat = load()
    tmp = Path(tempfile.mkdtemp(prefix="bench-template-"))
    template = tmp / "template.xlsx"
    build_template(cat, ["表1"]).save(template)
    live = tmp / "live.xlsx"
    fill(cat, template, live, {"T1": (clean("T1"), {}, set())})
    wb = openpyxl.load_workbook(live)
    formulas = 0
    for ws in wb.worksheets:
        ws.conditional_formatting = ConditionalFormattingList()
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.value, formulas = None, formulas + 1
    plain = tmp / "plain.xlsx"
    wb.save(plain)
    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC, encoding="utf-8")

    def convert(path: Path) -> None:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                        "--outdir", str(tmp / "out"), str(path)], check=True, capture_output=True, timeout=300)

    convert(plain)  # the first start of a new profile writes the profile: not measured
    t_live, t_plain = timed(lambda: convert(live), n), timed(lambda: convert(plain), n)
    print(f"表1 template, {formulas} formulas, median of {n} soffice runs (start + load + recalculate + save)")
    print(f"live template           {t_live:6.2f} s")
    print(f"same without formulas   {t_plain:6.2f} s   ratio {t_live / t_plain:.2f} (target: a few seconds in all)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
