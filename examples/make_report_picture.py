"""Make docs/report-first-screen.png and docs/report-first-screen-en.png: the report's first screen at 1 366×900.

    python examples/make_report_picture.py

Needs chromium. The report is made from the shipped examples with the example roster
(examples/名单-示例.tsv), as a supervisor would, and headless Chromium takes the screenshot
of what a laptop shows before any scrolling.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from yjzl.cli.main import cli  # noqa: E402

DOCS = HERE.parent / "docs"
SIZE = "1366,900"


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not installed")
    tmp = Path(tempfile.mkdtemp(prefix="report-picture-"))
    os.chdir(HERE.parent)  # the page names the roster as given: examples/名单-示例.tsv, not this machine's path
    for lang, name in (("zh", "report-first-screen.png"), ("en", "report-first-screen-en.png")):
        page = tmp / f"report-{lang}.html"
        try:
            cli(["report", "examples", "--roster", "examples/名单-示例.tsv", "-o", str(page), "--lang", lang],
                standalone_mode=False)
        except SystemExit as exc:  # exit 1: written, with unusable inputs listed
            if exc.code not in (0, 1, None):
                raise
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                        "--disable-dev-shm-usage", f"--user-data-dir={tmp / 'profile'}", f"--window-size={SIZE}",
                        f"--screenshot={DOCS / name}", page.resolve().as_uri()], check=True, capture_output=True, timeout=120)
        print(DOCS / name)


if __name__ == "__main__":
    main()
