"""Benchmark: a summary table (汇总表) of many rows, validated and computed; time per row and peak memory.

    python benchmarks/bench_tables.py [ROWS ...]      # default: 10000 100000

Generates a 表3 summary table (序号, 86 fields, one row per hospital from the shipped clean
data, each row its own name and code) of each size with a direct SpreadsheetML writer
(openpyxl cell by cell takes minutes at 100 000 rows); then, each in a fresh process so that
peak RSS is its own: `yjzl.validate` (read, audit every row, compute its indicators) and
`yjzl.compute` (read, compute). Prints seconds (wall, and the process's CPU time, which other
programs on the machine disturb less), µs of CPU per row, peak RSS, and the ratio of the largest
size to the smallest: linear time means the time ratio equals the row ratio. CPU time includes
loading the catalogue (~0.1 s).

The sheet part of 100 000 rows × 87 columns inflates to ~250 MB, over the reader's 64 MB
part / 128 MB workbook limits (yjzl/workbook/archive.py), which refuse it in a normal run;
the benchmark raises those limits in its own process to measure the table layer (--limits
keeps them, to show the refusal).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="表3汇总" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>')


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def generate(path: Path, rows: int) -> int:
    """A 表3 summary table of `rows` hospitals; returns the number of field columns."""
    from examples.build_examples import clean
    from yjzl.catalogue.loader import load
    from yjzl.rules.orgcode import org_check_digit
    from yjzl.workbook.cells import col_letter

    cat = load()
    fields = [f for f in cat.forms["T3"].fields if not f.supplement]
    base = clean("T3")
    letters = [col_letter(i + 1) for i in range(len(fields) + 1)]
    header = "".join(_cell(f"{letters[i]}1", h) for i, h in enumerate(["序号", *(f.label for f in fields)]))
    # One row's XML with {r} for its row number and {name}/{code} for who it is; the rest is the clean data.
    parts = ['<row r="{r}">', _cell("A{r}", 0).replace("<v>0</v>", "<v>{n}</v>")]
    for i, f in enumerate(fields, 1):
        if f.role == "name":
            parts.append(f'<c r="{letters[i]}{{r}}" t="inlineStr"><is><t>{{name}}</t></is></c>')
        elif f.role == "code":
            parts.append(f'<c r="{letters[i]}{{r}}" t="inlineStr"><is><t>{{code}}</t></is></c>')
        else:
            parts.append(_cell(f"{letters[i]}{{r}}", base.get(f.id)).replace("{{", "{").replace("}}", "}"))
    template = "".join(parts) + "</row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
                     b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            fh.write(f'<row r="1">{header}</row>'.encode())
            chunk = []
            for n in range(1, rows + 1):
                body = f"{n:08d}"
                chunk.append(template.format(r=n + 1, n=n, name=f"医院{n}", code=f"{body}-{org_check_digit(body)}"))
                if len(chunk) == 2000:
                    fh.write("".join(chunk).encode())
                    chunk = []
            fh.write("".join(chunk).encode())
            fh.write(b"</sheetData></worksheet>")
    return len(fields)


_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
if {raise_limits}:
    from yjzl.workbook import archive
    archive.MAX_PART_BYTES = archive.MAX_TOTAL_BYTES = 1 << 40
import yjzl
cat = yjzl.load_catalogue()
t = time.perf_counter()
if {what!r} == "validate":
    r = yjzl.validate({path!r}, cat)
    n, findings = len(r.files), sum(len(f.findings) for f in r.files)
    err = r.files[0].error
else:
    r = yjzl.compute({path!r}, cat)
    n, findings = len(r.files), sum(len(f.indicators) for f in r.files)
    err = r.files[0].error
s = time.perf_counter() - t
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"seconds": s, "cpu": use.ru_utime + use.ru_stime, "rows": n, "items": findings, "error": err,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def measure(path: Path, what: str, raise_limits: bool) -> dict:
    code = _CHILD.format(root=str(ROOT), path=str(path), what=what, raise_limits=raise_limits)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    keep_limits = "--limits" in argv
    sizes = [int(a) for a in argv if a.isdigit()] or [10_000, 100_000]
    results: dict[tuple[int, str], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            path = Path(tmp) / f"表3汇总-{rows}.xlsx"
            t = time.perf_counter()
            ncols = generate(path, rows)
            with zipfile.ZipFile(path) as z:
                inflated = z.getinfo("xl/worksheets/sheet1.xml").file_size
            print(f"{rows} rows × {ncols} fields: {path.stat().st_size / 1e6:.1f} MB .xlsx "
                  f"({inflated / 1e6:.0f} MB sheet XML), written in {time.perf_counter() - t:.1f} s")
            for what in ("validate", "compute"):
                m = measure(path, what, not keep_limits)
                results[(rows, what)] = m
                if m["error"]:
                    print(f"  {what}: refused: {m['error']}")
                    continue
                print(f"  {what:8} {m['seconds']:7.1f} s (CPU {m['cpu']:6.1f} s)  {1e6 * m['cpu'] / rows:6.0f} µs/row  "
                      f"peak RSS {m['rss_mb']:6.0f} MB  ({m['rows']} submissions, {m['items']} findings/indicators)")
    lo, hi = min(sizes), max(sizes)
    if lo != hi:
        for what in ("validate", "compute"):
            a, b = results[(lo, what)], results[(hi, what)]
            if a["error"] or b["error"]:
                continue
            print(f"{what}: {hi}/{lo} rows = {hi / lo:.0f}×; CPU time {b['cpu'] / a['cpu']:.1f}× "
                  f"(wall {b['seconds'] / a['seconds']:.1f}×); "
                  f"peak RSS {b['rss_mb'] / a['rss_mb']:.1f}×")


if __name__ == "__main__":
    main(sys.argv[1:])
