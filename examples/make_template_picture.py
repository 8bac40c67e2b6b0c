"""Make docs/template-live.png: a 表3 template with the flawed example typed in, as LibreOffice shows it.

    python examples/make_template_picture.py

Needs soffice and pdftoppm (poppler-utils). The flaws of build_examples.py are typed into a
fresh template, one plausibility warning gets a 说明; LibreOffice recalculates and prints the
first page to PDF, and pdftoppm renders its top part as a PNG.
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
from yjzl.template.build import build_template  # noqa: E402

OUT = HERE.parent / "docs" / "template-live.png"


def main() -> None:
    cat = load()
    tmp = Path(tempfile.mkdtemp(prefix="template-picture-"))
    template, filled = tmp / "t.xlsx", tmp / "表3-模板.xlsx"
    wb = build_template(cat, ["表3"])
    for name in wb.sheetnames[1:]:  # print the lead sheet only
        wb[name].sheet_state = "hidden"
    wb.save(template)
    values, _, omit = flawed("T3")
    # A 说明 on 实际开放总床日数 settles the recomputation of 床位使用率 (✓ 已说明), not its range (⚠).
    data = {"T3": (values, {"open_bed_days": "本年新开病区，开放床日按实际天数计"}, omit), "T3M": flawed("T3M")}
    fill(cat, template, filled, data)
    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC, encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp), str(filled)], check=True, capture_output=True, timeout=300)
    pdf = filled.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-x", "50", "-y", "100", "-W", "830", "-H", "470",
                    "-singlefile", str(pdf), str(OUT.with_suffix(""))], check=True)
    shutil.rmtree(tmp, ignore_errors=True)
    print(OUT)


if __name__ == "__main__":
    main()
