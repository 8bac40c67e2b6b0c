"""Make the pictures of docs/: what people hold, as LibreOffice prints it.

    python examples/make_pictures.py

- docs/template-live.png: a 表3 template with the flawed example typed in (one plausibility warning
  explained), recalculated: the live audit;
- docs/annotated-copy.png: `yjzl validate examples/表3-flawed.xlsx --annotate`, its first sheet 审核结果;
- docs/compute-xlsx.png: `yjzl compute examples/ --roster examples/名单-示例.tsv -o 指标.xlsx`, its first
  sheet 进度明细.

Needs soffice and pdftoppm (poppler-utils). Each workbook is printed to PDF by LibreOffice (its own
print setup: A4, one page wide) and the top of its first page rendered as a PNG.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from examples.build_examples import flawed  # noqa: E402
from tests.test_template_live import RECALC, fill  # noqa: E402
from yjzl.catalogue.loader import load  # noqa: E402
from yjzl.cli.main import main as yjzl  # noqa: E402
from yjzl.template.build import build_template  # noqa: E402

DOCS = HERE.parent / "docs"


def _yjzl(*args: object) -> None:
    try:
        yjzl([str(a) for a in args])
    except SystemExit as exc:
        if exc.code not in (0, 1, None):
            raise


def _pdf(book: Path, profile: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(book.parent), str(book)], check=True, capture_output=True, timeout=300)
    return book.with_suffix(".pdf")


def _png(pdf: Path, out: Path, height: int, dpi: int = 110) -> None:
    """The top of the first page, its whole width (a landscape page at a lower resolution)."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True, check=True).stdout
    width_pt = float(info.split("Page    1 size:")[1].split()[0])
    width = int(width_pt / 72 * dpi)
    margin = int(width * 0.03)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-x", str(margin), "-y", str(int(dpi * 0.5)),
                    "-W", str(width - 2 * margin), "-H", str(height), "-singlefile", str(pdf), str(out.with_suffix(""))],
                   check=True)
    print(out)


def main() -> None:
    cat = load()
    tmp = Path(tempfile.mkdtemp(prefix="yjzl-pictures-"))
    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC, encoding="utf-8")  # recalculate on load
    # The template, filled with the flawed example; a 说明 on 实际开放总床日数 settles the recomputation of
    # 床位使用率 (✓ 已说明 on that row), not its range (⚠).
    template, filled = tmp / "t.xlsx", tmp / "表3-模板.xlsx"
    wb = build_template(cat, ["表3"])
    for name in wb.sheetnames[1:]:  # print the lead sheet only
        wb[name].sheet_state = "hidden"
    wb.save(template)
    values, _, omit = flawed("T3")
    values["service_population"] = None  # a required row left blank: marked once the filler has started
    data = {"T3": (values, {"open_bed_days": "本年新开病区，开放床日按实际天数计"}, omit), "T3M": flawed("T3M")}
    fill(cat, template, filled, data)
    _png(_pdf(filled, profile), DOCS / "template-live.png", 560)
    # The annotated copy of the flawed example, and compute's workbook with the example roster.
    _yjzl("validate", HERE / "表3-flawed.xlsx", "--annotate", tmp / "表3-审核.xlsx")
    _png(_pdf(tmp / "表3-审核.xlsx", profile), DOCS / "annotated-copy.png", 300, dpi=80)
    _yjzl("compute", *sorted(HERE.glob("表*.xlsx")), "--roster", HERE / "名单-示例.tsv", "-o", tmp / "指标.xlsx")
    _png(_pdf(tmp / "指标.xlsx", profile), DOCS / "compute-xlsx.png", 200, dpi=80)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
