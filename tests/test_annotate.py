"""The annotated copy reads and prints without hovering: a first sheet 审核结果 lists every finding
with a link to its cell, and the cell comments print (checked by LibreOffice's PDF)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
FLAWED = ROOT / "examples" / "表3-flawed.xlsx"


@pytest.fixture
def annotated(run, tmp_path: Path) -> tuple[Path, dict]:
    out = tmp_path / "表3-审核.xlsx"
    res = run("validate", FLAWED, "--annotate", out, "--format", "json")
    assert res.code == 1 and res.err.splitlines() == [f"已写出标注副本：{out}", "退出码 1：3 个错误（必须修改）"]
    return out, json.loads(res.out)["files"][0]


def test_the_first_sheet_lists_every_finding_with_a_link(annotated: tuple[Path, dict]) -> None:
    out, report = annotated
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "审核结果" and wb.active.title == "审核结果"
    ws = wb["审核结果"]
    assert [c.value for c in ws[4]] == ["级别", "代码", "单元格", "问题", "说明"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    listed = [(r[1], r[3]) for r in rows if r[1]]
    want = sorted(((f["code"], f["message"]) for f in report["findings"]), key=lambda x: x[0] > "YJ2")
    assert sorted(listed) == sorted(want) and len(listed) == len(report["findings"]) >= 5
    assert rows[0][:2] == ["错误", "YJ101"]  # errors first, each level in sheet order (C17 before C21)
    # every cell of every finding is on the sheet, each a link to that cell
    links = {c.value: c.hyperlink.location for row in ws.iter_rows(min_row=5, min_col=3, max_col=3) for c in row if c.hyperlink}
    cells = {ref for f in report["findings"] for ref in f["cells"]}
    assert set(links) == cells and links["表3!C21"] == "'表3'!C21"
    errors = sum(f["severity"] == "error" for f in report["findings"])
    open_warnings = sum(f["severity"] == "warning" and not f["explained"] for f in report["findings"])
    assert f"{errors} 个错误（必须修改），{open_warnings} 个待说明的警告" in ws["A2"].value
    assert wb["表3"].page_setup.cellComments == "asDisplayed" and wb["表3"]["C21"].comment is not None


def test_english_copy(run, tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    run("validate", FLAWED, "--annotate", out, "--lang", "en")
    ws = openpyxl.load_workbook(out)["Audit findings"]
    assert [c.value for c in ws[4]] == ["level", "code", "cell", "problem", "explanation"]


def test_libreoffice_prints_the_findings_and_the_comments(annotated: tuple[Path, dict], tmp_path: Path) -> None:
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        pytest.skip("LibreOffice (soffice) or poppler-utils (pdftotext) not installed")
    out, _ = annotated
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(out)], capture_output=True, timeout=180, check=False)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / f"{out.stem}.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    first = text.split("\f")[0]
    assert "审核结果" in first and "YJ003" in first and "表3!C21" in first  # the summary is the first page
    # the notes pages after the sheet: every marked cell with its comment
    assert "C21:" in text and "[YJ003] 「住院危重患者抢救人次数」应为数字" in text
    assert "C26:" in text and "[YJ201]" in text
