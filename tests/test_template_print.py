"""The template on paper (issue #23): filled with flawed data, recalculated and printed by LibreOffice.

Every flagged row's 审核 text is in the PDF whole, no word is drawn over another, every page is the
whole width of its sheet (the first and the last header on it), blank required rows are marked, and
the header line counts what `yjzl validate` finds, for a file with each kind of finding the sheet can
show: logic and plausibility checks, an explained warning, a wrong entry, a blank required number and
text, a per-cent typed as a fraction, an organisation code with a wrong check digit.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import yjzl
from examples.build_examples import flawed
from tests.test_template_live import RECALC, fill, live_marks, summary_counts, validate_marks
from yjzl.template.build import AUDIT_COL, SUMMARY_ROW, build_template

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                reason="needs LibreOffice (soffice) and pdftotext (poppler-utils) to print the template")


@pytest.fixture(scope="module")
def printed(tmp_path_factory, cat) -> tuple[Path, Path, Path]:
    """(the filled template, LibreOffice's recalculated copy, its PDF)."""
    tmp = tmp_path_factory.mktemp("print")
    template, filled = tmp / "t.xlsx", tmp / "表3-填报.xlsx"
    build_template(cat, ["表3"]).save(template)
    values, notes, omit = flawed("T3")
    values["org_code"] = "12610100435201135X"  # the check digit should be H (GB 32100): YJ015
    values["hospital_level"] = None  # a required text left blank: YJ001, with a hint for text
    values["service_population"] = None  # a required number left blank: YJ001, with a hint for numbers
    notes = {**notes, "open_bed_days": "本年新开病区，开放床日按实际天数计"}  # settles the recomputation: ✓ on its row
    member, mnotes, momit = flawed("T3M")
    percent = next((f.id for f in cat.forms["T3M"].fields if f.kind == "percent"), None)
    if percent:
        member[percent] = 0.85  # 85 % typed as a fraction: YJ011
    fill(cat, template, filled, {"T3": (values, notes, omit), "T3M": (member, mnotes, momit)})
    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC, encoding="utf-8")
    for fmt in ("xlsx", "pdf"):
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                        "--outdir", str(tmp / "lo"), str(filled)], check=True, capture_output=True, timeout=300)
    return filled, tmp / "lo" / filled.name, (tmp / "lo" / filled.name).with_suffix(".pdf")


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def test_every_flagged_row_prints_whole_and_nothing_overprints(printed, cat) -> None:
    _, back, pdf = printed
    pages = _words(pdf)
    wb = openpyxl.load_workbook(back, data_only=True)
    texts = {(ws.title, r): str(ws[f"{AUDIT_COL}{r}"].value) for ws in wb.worksheets if ws.title != "指标计算"
             for r in range(SUMMARY_ROW + 2, ws.max_row + 1) if ws[f"{AUDIT_COL}{r}"].value}
    assert len([t for t in texts.values() if t[:1] in "✗⚠"]) >= 6 and any("✓" in t for t in texts.values())
    everything = "".join(_squeeze(w[4]) for page in pages for w in page)
    for (sheet, r), text in texts.items():
        assert _squeeze(text) in everything, f"{sheet}!{AUDIT_COL}{r}: {text!r} is not whole in the PDF"
    for n, page in enumerate(pages, 1):
        for i, a in enumerate(page):
            for b in page[i + 1:]:
                # two words whose boxes overlap by more than a sliver: one is drawn over the other
                dx = min(a[2], b[2]) - max(a[0], b[0])
                dy = min(a[3], b[3]) - max(a[1], b[1])
                assert not (dx > 1.5 and dy > 1.5), f"page {n}: {a[4]!r} and {b[4]!r} overprint"


def test_every_page_is_its_sheets_whole_width(printed) -> None:
    _, _, pdf = printed
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                              capture_output=True, text=True).stdout
        lines = [x.split() for x in text.splitlines() if x.strip()]
        header = next((x for x in lines if x[0] in ("序号", "表") and "说明" in x), None)
        assert header, f"page {n}: no whole header row (first and last column) on it"  # repeated, not cut
        size = subprocess.run(["pdfinfo", "-f", str(n), "-l", str(n), str(pdf)], capture_output=True, text=True).stdout
        w, h = map(float, re.search(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", size).groups())
        assert (round(w), round(h)) == (595, 842), f"page {n} is not A4 portrait"
    full = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "yjzl " not in full.replace("yjzl 补充", "")  # nothing tells its reader to run a command


def test_blank_required_rows_are_marked_with_a_hint_for_their_kind(printed, cat) -> None:
    _, back, _pdf = printed
    ws = openpyxl.load_workbook(back, data_only=True)["表3"]
    rows = {str(ws.cell(r, 2).value): str(ws[f"{AUDIT_COL}{r}"].value or "") for r in range(4, ws.max_row + 1)}
    level = next(v for k, v in rows.items() if k.startswith(cat.fields["T3"]["hospital_level"].label))
    population = next(v for k, v in rows.items() if k.startswith(cat.fields["T3"]["service_population"].label))
    assert level == "● 尚未填写（必填项）"  # no "未开展填 0" for a text
    assert population == "● 尚未填写：未开展填 0，未统计填 --"
    code = next(v for k, v in rows.items() if k.startswith(cat.fields["T3"]["org_code"].label))
    assert code == "⚠ 代码校验位不对：最后一位应为 H，请核对"
    assert "✓ 已说明 ✓" not in "".join(rows.values())
    assert [k for k, v in rows.items() if "已说明" in v] == [cat.fields["T3"]["open_bed_days"].label]  # its own 说明 only


def test_the_header_agrees_with_validate(printed, cat) -> None:
    filled, back, _ = printed
    report = yjzl.validate(filled, cat).files[0]
    codes = {f.code for f in report.findings}
    assert {"YJ001", "YJ003", "YJ015", "YJ101", "YJ201"} <= codes and any(f.explained for f in report.findings)
    wb = openpyxl.load_workbook(back, data_only=True)
    for found in report.forms:
        ws = wb[found.sheet]
        text = ws.cell(SUMMARY_ROW, 2).value
        assert tuple(int(n) for n in re.findall(r"\d+", text)[:3]) == summary_counts(report, found.sheet), text
        assert text.endswith("请修改后上报")
        assert live_marks(ws) == validate_marks(report, found.sheet, ws)
