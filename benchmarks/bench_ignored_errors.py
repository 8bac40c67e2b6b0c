"""Benchmark: the cost of writing ignoredErrors into a template, two ways, against openpyxl's plain save.

    python benchmarks/bench_ignored_errors.py [N]

The `all` template (six form sheets, ~700 value cells, ~4 000 formulas) is built once; then, N times
each (median), it is saved to a file by
- (baseline) openpyxl's `wb.save`, without the element;
- (post) what `yjzl template` does: `wb.save` into memory, then the package copied part by part
  with the element put into each form sheet (yjzl/output/ignored_errors.py);
- (hook) openpyxl's writer with its private WorksheetWriter swapped for a subclass that writes the
  element in write_tail, the other way to do it (here only, to compare).
Prints seconds and the ratios to the baseline. The decision it supports is in ignored_errors.py.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.baselines import timed  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    import openpyxl.writer.excel as excel
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.worksheet.errors import IgnoredError, IgnoredErrors

    from yjzl.catalogue.loader import load
    from yjzl.output import ignored_errors
    from yjzl.template.build import build_template

    wb = build_template(load(), ["all"])
    ignored = ignored_errors.numbers_as_text(wb)
    tmp = Path(tempfile.mkdtemp(prefix="bench-ignored-"))

    class Hooked(WorksheetWriter):
        def write_tail(self) -> None:  # openpyxl's order, with ignoredErrors after the breaks
            for step in (self.write_protection, self.write_scenarios, self.write_filter, self.write_merged_cells,
                         self.write_formatting, self.write_validations, self.write_hyperlinks, self.write_print,
                         self.write_margins, self.write_page, self.write_header, self.write_breaks):
                step()
            items = ignored.get(self.ws.title)
            if items:
                self.xf.send(IgnoredErrors([IgnoredError(**{k: (v if k == "sqref" else True) for k, v in i.items()})
                                            for i in items]).to_tree())
            self.write_drawings()
            self.write_legacy()
            self.write_tables()

    def hook() -> None:
        excel.WorksheetWriter = Hooked
        try:
            wb.save(tmp / "hook.xlsx")
        finally:
            excel.WorksheetWriter = WorksheetWriter

    base = timed(lambda: wb.save(tmp / "plain.xlsx"), n)
    post = timed(lambda: ignored_errors.save(wb, ignored)(tmp / "post.xlsx"), n)
    hooked = timed(hook, n)
    print(f"template all, {sum(len(i[0]['sqref'].split()) for i in ignored.values())} ranges on {len(ignored)} sheets, "
          f"median of {n}")
    print(f"  openpyxl save (baseline)   {base:.3f} s")
    print(f"  save + post-processing     {post:.3f} s   ratio {post / base:.2f}")
    print(f"  hooked writer              {hooked:.3f} s   ratio {hooked / base:.2f}")


if __name__ == "__main__":
    main()
