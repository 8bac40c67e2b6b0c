"""Excel 97–2003 .xls and OpenDocument .ods (issue #12): the same cells, flags and findings as the .xlsx.

LibreOffice converts the shipped examples and a probe workbook (percentages, dates, times, an error, a formula
whose result is "", a hidden sheet); skipped with the reason when soffice is absent.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
import struct
import subprocess
from pathlib import Path

import openpyxl
import pytest

import yjzl
from yjzl.errors import UnusableInput
from yjzl.workbook.cells import Cell
from yjzl.workbook.reader import read
from yjzl.workbook.xlsx import read_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.xlsx"))
FORMATS = ("xls", "ods")


def _convert(books: list[Path], fmt: str, out: Path, profile: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc")
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                    "--outdir", str(out), *map(str, books)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The examples and the probe workbook as .xls and .ods (one LibreOffice run per format)."""
    folder = tmp_path_factory.mktemp("formats")
    _probe(folder / "probe.xlsx")
    for fmt in FORMATS:
        _convert([*EXAMPLES, folder / "probe.xlsx"], fmt, folder, folder / "profile")
    return {p.name: p for p in folder.iterdir() if p.is_file()}


def _form_values(path: Path, cat) -> list[tuple]:
    data = read(path, cat)
    return [(f.sheet, f.form_id, sorted((k, repr(v.value), v.cell, v.explanation) for k, v in f.values.items()),
             sorted((i.code, tuple(i.cells), i.detail) for i in f.issues)) for f in data.forms]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_read_and_validate_the_same_as_xlsx(converted: dict[str, Path], cat, example: Path, fmt: str) -> None:
    other = converted.get(f"{example.stem}.{fmt}")
    assert other is not None, f"LibreOffice wrote no {example.stem}.{fmt}"
    assert _form_values(other, cat) == _form_values(example, cat)
    mine, theirs = yjzl.validate(example, cat).files[0], yjzl.validate(other, cat).files[0]
    assert [(f.code, f.check, f.cells, f.message) for f in theirs.findings] == [
        (f.code, f.check, f.cells, f.message) for f in mine.findings]


def _probe(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表3"
    rows = [("门诊人次数", 1250, None), ("比例", 0.85, "0.0%"), ("日期", datetime.date(2024, 3, 1), "yyyy-mm-dd"),
            ("时间", 0.5, "h:mm"), ("公式", "=B1*2", None), ("错误", "=1/0", None), ("空串", '=IF(1=1,"","x")', None),
            ("文本", "85%", None), ("多行", "a\nb", None)]
    for r, (label, value, fmt) in enumerate(rows, 1):
        ws.cell(r, 1, label)
        ws.cell(r, 2, value)
        if fmt:
            ws.cell(r, 2).number_format = fmt
    ws.row_dimensions[9].hidden = True
    wb.create_sheet("隐藏").sheet_state = "hidden"
    wb["隐藏"]["A1"] = 1
    wb.save(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_values_and_flags(converted: dict[str, Path], fmt: str) -> None:
    """2024-03-01 is serial 45352 (2024-01-01 is 45292, + 31 + 29); 12:00 is 0.5; B1*2 = 2500."""
    book = read_workbook(converted[f"probe.{fmt}"])
    assert [(s.name, s.hidden) for s in book.sheets] == [("表3", False), ("隐藏", True)]
    assert book.sheets[0].hidden_rows == {9}
    cells = {r: book.sheets[0].cells.get((r, 2)) for r in range(1, 10)}
    formula = fmt == "ods"  # xlrd does not say which cells hold formulas (a .xls always stores their results)
    assert cells == {
        1: Cell(1250.0), 2: Cell(0.85, percent=True), 3: Cell(45352.0, date=True), 4: Cell(0.5, date=True),
        5: Cell(2500.0, formula=formula), 6: Cell(None, error="#DIV/0!", formula=formula),
        7: Cell("", formula=True) if formula else None, 8: Cell("85%"), 9: Cell("a\nb")}


def test_damaged_xls_and_et(tmp_path: Path) -> None:
    from tests.corpus import cfb

    (tmp_path / "a.xls").write_bytes(cfb({"Workbook": b"\x09\x08" + b"\0" * 30}))
    with pytest.raises(UnusableInput, match=r"the \.xls workbook is damaged"):
        read_workbook(tmp_path / "a.xls")
    # A FILEPASS record after the BOF: the workbook has an open password.
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0106)
    (tmp_path / "c.xls").write_bytes(cfb({"Workbook": bof + struct.pack("<HHH", 0x002F, 2, 1) + b"\0" * 4096}))
    with pytest.raises(UnusableInput, match="the workbook is password-protected"):
        read_workbook(tmp_path / "c.xls")
    (tmp_path / "b.et").write_bytes(b"anything")
    with pytest.raises(UnusableInput, match=r"请在 WPS 中另存为 \.xlsx"):
        read_workbook(tmp_path / "b.et")


def test_folders_are_searched_for_xls_ods_and_et(tmp_path: Path) -> None:
    """An .et in a folder is listed (to be told to save it as .xlsx), not skipped silently."""
    from yjzl.batch.inputs import workbooks_in

    for name in ("a.xlsx", "b.XLS", "c.ods", "d.et", "e.csv", "f.txt", "~$a.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in workbooks_in(tmp_path)] == ["a.xlsx", "b.XLS", "c.ods", "d.et", "e.csv"]


def test_ods_cells_by_hand(tmp_path: Path) -> None:
    """The .ods reader on raw content.xml: repeats, covered cells, spaces and breaks, types, errors, hidden rows."""
    from tests.rawods import write_ods

    rep = '<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="7"/>'
    cov = '<table:covered-table-cell/>'
    text = '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2"/>b<text:line-break/>c</text:p><text:p>d</text:p></table:table-cell>'
    pct = '<table:table-cell office:value-type="percentage" office:value="0.85"/>'
    err = ('<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" '
           'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>')
    when = '<table:table-cell office:value-type="date" office:date-value="2024-03-01T12:00:00"/>'
    dur = '<table:table-cell office:value-type="time" office:time-value="PT36H30M00S"/>'
    yes = '<table:table-cell office:value-type="boolean" office:boolean-value="true"/>'
    empty = '<table:table-cell table:formula="of:=&quot;&quot;"><text:p/></table:table-cell>'  # LibreOffice's "" result
    never = '<table:table-cell table:formula="of:=1+1"/>'  # no result at all
    path = write_ods(tmp_path / "a.ods", {"S": [[rep, cov, text], [pct, err, when, dur, yes], [empty, never]], "H": [[1]]},
                     hidden={"H"})
    book = read_workbook(path)
    assert [(s.name, s.hidden) for s in book.sheets] == [("S", False), ("H", True)]
    # 2024-03-01 is 45352 (2024-01-01 is 45292, + 31 + 29), noon .5; PT36H30M is 1.5 days + 30/1440.
    assert book.sheets[0].by_address() == {
        "A1": Cell(7.0), "B1": Cell(7.0), "D1": Cell("a  b\nc\nd"),
        "A2": Cell(0.85, percent=True), "B2": Cell(None, error="#DIV/0!", formula=True), "C2": Cell(45352.5, date=True),
        "D2": Cell(1.5 + 30 / 1440, date=True), "E2": Cell(True),
        "A3": Cell("", formula=True), "B3": Cell(None, formula=True, cached=False)}
    assert book.sheets[0].max_row == 3


def test_ods_repeats_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row of content repeated a million times is refused, not expanded into memory; empty padding is free."""
    from tests.rawods import write_ods
    from yjzl.workbook import budget

    huge = '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/>'
    path = write_ods(tmp_path / "b.ods", {"S": [[1]]})
    assert read_workbook(path).sheets[0].by_address() == {"A1": Cell(1.0)}  # 1 048 000 padding rows cost nothing
    content = ('<table:table table:name="T"><table:table-row table:number-rows-repeated="10000">'
               f'{huge}</table:table-row></table:table>')
    path = write_ods(tmp_path / "c.ods", {}, tail=content)
    monkeypatch.setattr(budget, "MAX_CELLS", 1_000_000)
    with pytest.raises(UnusableInput, match="more than the reading limit of 1000000 cells: refused"):
        read_workbook(path)


def test_xlrd_warnings_stay_out_of_the_output(converted: dict[str, Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A damaged .xls makes xlrd print warnings (truncated OLE sectors, put_cell …): none reaches stdout."""
    data = bytearray(converted["表3-flawed.xls"].read_bytes())
    data[76] = 0xFF  # the header's first MSAT entry ([MS-CFB] 2.2, offset 0x4C) now points past the file
    (tmp_path / "d.xls").write_bytes(bytes(data))
    with contextlib.suppress(UnusableInput):
        read_workbook(tmp_path / "d.xls")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
