"""Every workbook yjzl writes: submitted text stays text, nothing crashes a writer, it reads and prints well,
and yjzl never takes it back for a submission (issues #22 §1, §4 and #23).

The submissions are built here with hostile text in the hospital's name, its region, a 说明, the file's
name and the sheet's name; then `compute -o x.xlsx`, `collect` and `validate --annotate` write their
workbooks, which are opened in openpyxl and (when installed) round-tripped through LibreOffice.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from examples.build_examples import flawed
from tests.builders import SheetSpec, write_workbook
from yjzl.output.xlsx_sheet import display_width, pages_wide, visible

ROOT = Path(__file__).resolve().parents[1]
PAYLOADS = ['=HYPERLINK("http://x","a")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1",
            "\x1b[2J", "\x07"]
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _xml_escaped(text: str) -> str:
    """Control characters as a workbook stores them (ST_Xstring's _xHHHH_, ECMA-376 22.9.2.19): Excel writes
    a cell typed with ESC so, and the reader decodes it back to ESC."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", text)


def _roles(cat, form_id: str) -> dict[str, str]:
    return {f.role: f.id for f in cat.forms[form_id].fields if f.role}


def hostile_submissions(folder: Path, cat) -> list[tuple[str, str, str]]:
    """One 表3 per payload, named by it (file and sheet), the payload as name, region and the 说明 of a
    flagged row; written as a person's text (a string cell, as Excel stores what is typed after a ')."""
    out = []
    roles = _roles(cat, "T3")
    for i, p in enumerate(PAYLOADS):
        values, notes, omit = flawed("T3")
        values[roles["name"]] = _xml_escaped(p)
        if "region" in roles:
            values[roles["region"]] = _xml_escaped(p)
        notes = {**notes, "bed_occupancy": _xml_escaped(p)}  # a plausibility warning of the flawed example: the 说明 settles it
        sheet = (_SHEET_BAD.sub("", p).strip("'") or "表")[:31]
        name = f"{p.replace('/', '_')}.xlsx" if i else f"{i}{p.replace('/', '_')}.xlsx"
        path = folder / name
        write_workbook(path, cat, [SheetSpec(sheet, "T3", values, notes, omit)])
        wb = openpyxl.load_workbook(path)  # openpyxl stored "=…" as formulas: make them the text a person typed
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        c.data_type = "s"
        wb.save(path)
        out.append((name, sheet, p))
    return out


def _strings(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    formulas = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert not formulas, f"{path.name}: formula cells {formulas[:5]}"
    return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _has(strings: list[str], text: str) -> bool:
    """`text` among the cells, as the reader gives it (a value's surrounding white space trimmed)."""
    want = visible(text).replace("\r", "\n").strip()
    return any(want in s.replace("\r", "\n") for s in strings)


@pytest.fixture(scope="module")
def written(tmp_path_factory, cat) -> tuple[Path, list[tuple[str, str, str]], dict[str, Path]]:
    """The hostile submissions and what compute, collect and validate --annotate wrote from them."""
    import os

    from yjzl.cli.main import main

    tmp = tmp_path_factory.mktemp("hostile")
    subs = hostile_submissions(tmp, cat)
    names = [n for n, _, _ in subs]
    here = os.getcwd()
    os.chdir(tmp)  # relative names: the file's name is the cell's whole text, "=1+1.xlsx"
    try:
        for args in (["compute", "-o", "x.xlsx", "--", *names], ["collect", "-o", "c.xlsx", "--", *names],
                     *(["validate", "--annotate", f"a{i}.xlsx", "--", n] for i, n in enumerate(names))):
            try:
                main(args)
            except SystemExit as exc:
                assert exc.code in (0, 1, None), f"{args[0]} exited {exc.code}"
    finally:
        os.chdir(here)
    outputs = {"compute": tmp / "x.xlsx", "collect": tmp / "c.xlsx", **{f"annotate{i}": tmp / f"a{i}.xlsx" for i in range(len(names))}}
    for what, path in outputs.items():
        assert path.exists(), what
    return tmp, subs, outputs


def test_submitted_text_is_text_in_every_xlsx_writer(written) -> None:
    """#22 §1: no formula cell; every payload (control characters as visible escapes) is there as text."""
    _, subs, outputs = written
    compute, collect = _strings(outputs["compute"]), _strings(outputs["collect"])
    for name, sheet, p in subs:
        for strings in (compute, collect):
            assert _has(strings, p), repr(p)  # the hospital's name (and region)
            assert _has(strings, name), repr(name)  # the file's name
            assert _has(strings, sheet), repr(sheet)  # the sheet's name
        assert _has(collect, p)  # and the 说明, in its column
    wb = openpyxl.load_workbook(outputs["collect"])
    header = [c.value for c in wb["表3"][1]]
    assert "床位使用率说明" in header
    notes = [r[header.index("床位使用率说明")] for r in wb["表3"].iter_rows(min_row=3, values_only=True)]
    assert notes == [visible(p).strip() for _, _, p in subs]
    for i, (name, _sheet, p) in enumerate(subs):
        strings = _strings(outputs[f"annotate{i}"])
        wb = openpyxl.load_workbook(outputs[f"annotate{i}"])
        ws = wb.worksheets[0]
        assert ws.title == "审核结果" and visible(name).replace("\r", "\n") in ws["A1"].value.replace("\r", "\n")
        explanations = [r[4] for r in ws.iter_rows(min_row=5, values_only=True) if r[4]]
        assert explanations and all(e == visible(p).strip() for e in explanations)
        assert _has(strings, p)


def test_control_characters_are_escaped_visibly() -> None:
    assert visible("甲\x1b[2J医院\x07") == "甲\\x1b[2J医院\\x07"
    assert visible("a\tb\nc") == "a\tb\nc"  # what a cell may hold stays
    assert visible("bad\udcff") == "bad\\xff"  # a file name that is not UTF-8 (surrogateescape)


def test_libreoffice_opens_them_as_text(written, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed: the outputs are checked in openpyxl only")
    _, _subs, outputs = written
    out = tmp_path / "lo"
    paths = [outputs["compute"], outputs["collect"], outputs["annotate0"], outputs["annotate2"]]
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
                    "xlsx", "--outdir", str(out), *map(str, paths)], capture_output=True, timeout=300, check=True)
    held = {outputs["compute"]: PAYLOADS, outputs["collect"]: PAYLOADS, outputs["annotate0"]: PAYLOADS[:1],
            outputs["annotate2"]: PAYLOADS[2:3]}
    for path in paths:
        strings = _strings(out / path.name)  # LibreOffice saved no formula: it read none
        for p in held[path]:
            if p.startswith(("=", "+", "-", "@")):
                assert _has(strings, p), f"{path.name}: {p!r}"


# ---- look and print ------------------------------------------------------------------------------------


def _table_sheets(path: Path) -> list:
    wb = openpyxl.load_workbook(path)
    return [ws for ws in wb.worksheets]


def _check_table(ws) -> None:
    """Frozen header, filter, fitted to one A4 page wide with the header repeated, columns wide enough."""
    from openpyxl.utils import get_column_letter

    where = f"{ws.parent.path if hasattr(ws.parent, 'path') else ''}{ws.title}"
    assert ws.freeze_panes and ws.freeze_panes[-1].isdigit(), where
    assert ws.auto_filter.ref, where
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToHeight == 0, where
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows, where
    head = int(re.sub(r"\D", "", ws.freeze_panes))
    total = sum(ws.column_dimensions[get_column_letter(c)].width or 8 for c in range(1, ws.max_column + 1))
    # one page wide; a table too wide to read so (a collected 表1 of 120 columns) as few pages as keep it readable,
    # the columns naming the row repeated on each
    assert ws.page_setup.fitToWidth == pages_wide(total), where
    assert ws.page_setup.fitToWidth == 1 or ws.print_title_cols, where
    for col in range(1, ws.max_column + 1):
        letter = get_column_letter(col)
        width = ws.column_dimensions[letter].width
        for r in range(head, ws.max_row + 1):
            c = ws.cell(r, col)
            if isinstance(c.value, str) and not (c.alignment and c.alignment.wrap_text):
                assert width >= display_width(c.value), f"{where}!{c.coordinate} {c.value!r} wider than {width}"


def test_every_xlsx_yjzl_writes_reads_and_prints_well(tmp_path: Path, run, cat) -> None:
    ex = ROOT / "examples"
    inputs = [str(p) for p in sorted(ex.glob("表*.xlsx"))]
    assert run("compute", *inputs, "--roster", str(ex / "名单-示例.tsv"), "-o", tmp_path / "r.xlsx").code in (0, 1)
    assert run("compute", *inputs, "-o", tmp_path / "x.xlsx").code in (0, 1)
    assert run("compute", *inputs, "--wide", "-o", tmp_path / "w.xlsx").code in (0, 1)
    assert run("collect", *inputs, "-o", tmp_path / "c.xlsx").code in (0, 1)
    assert run("validate", str(ex / "表3-flawed.xlsx"), "--annotate", tmp_path / "a.xlsx").code == 1
    assert run("template", "all", "-o", tmp_path / "t.xlsx").code == 0
    # The sheet a supervisor opens first leads: 进度明细 with a roster, else the indicators.
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "进度明细"
    assert openpyxl.load_workbook(tmp_path / "x.xlsx").sheetnames[0] == "指标"
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames[0] == "审核结果"
    for name in ("r.xlsx", "x.xlsx", "w.xlsx", "c.xlsx"):
        for ws in _table_sheets(tmp_path / name):
            _check_table(ws)
            names = [c.value for c in ws[1]]
            assert len(names) == len(set(names)), f"{name} {ws.title}: headers not unique"
    _check_table(openpyxl.load_workbook(tmp_path / "a.xlsx")["审核结果"])
    for ws in openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets:
        assert ws.freeze_panes and ws.auto_filter.ref and ws.print_title_rows, ws.title
        assert (int(ws.page_setup.paperSize), ws.page_setup.orientation, ws.page_setup.fitToWidth) == (9, "portrait", 1)
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    # a wide table's indicator columns: a two-row header, name and unit, every name whole and unique
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx")["指标"]
    names = [c.value for c in ws[1]]
    assert len(names) == len(set(names)) and "%" in [c.value for c in ws[2]]
    # yjzl says nothing about its own sheets when it reads these back
    r = run("validate", tmp_path / "c.xlsx")
    assert r.code in (0, 1) and "跳过" not in r.out + r.err and "未能读取" not in r.out
    r = run("validate", tmp_path / "a.xlsx")
    assert r.code == 1 and "审核结果" not in r.out + r.err and "跳过" not in r.out + r.err
    r = run("validate", tmp_path / "t.xlsx")
    assert "指标计算" not in r.out + r.err and "跳过" not in r.out + r.err
    r = run("validate", tmp_path / "x.xlsx")  # nothing in it is a submission: said once, as the reason
    assert r.code == 2 and "yjzl 写出的结果表，不是填报" in r.out + r.err and "像汇总表" not in r.out + r.err


def test_a_summary_table_reads_back_as_itself(tmp_path: Path, cat) -> None:
    import yjzl

    ex = ROOT / "examples"
    inputs = sorted(ex.glob("表*.xlsx"))
    out = tmp_path / "c.xlsx"
    yjzl.collect(inputs, out, cat)
    again = yjzl.compute([out], cat)
    direct = yjzl.compute(inputs, cat)
    values = lambda rep: sorted((r.form, r.id, repr(r.value)) for f in rep.files for r in f.indicators)  # noqa: E731
    assert values(again) == values(direct)
    again_again = tmp_path / "c2.xlsx"
    yjzl.collect([out], again_again, cat)
    first = openpyxl.load_workbook(out)
    second = openpyxl.load_workbook(again_again)
    for ws in first.worksheets:  # the same headers (name and unit rows), the same values
        other = second[ws.title]
        assert [[c.value for c in r] for r in ws.iter_rows(max_row=2)] == [[c.value for c in r] for r in other.iter_rows(max_row=2)]


# ---- yjzl's own outputs in a folder ----------------------------------------------------------------------


def _resave_as_person(path: Path) -> None:
    """What Excel does to docProps/core.xml when a person saves the file: a new time, their name."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2031-01-01T08:00:00Z<", data)
                data = data.replace(b"<cp:lastModifiedBy>yjzl<", "<cp:lastModifiedBy>王统计<".encode())
            dst.writestr(item, data)
    tmp.replace(path)


def test_yjzl_never_reads_its_own_outputs_back_from_a_folder(tmp_path: Path, run) -> None:
    ex = ROOT / "examples"
    d = tmp_path / "报送"
    d.mkdir()
    for name in ("表3-clean.xlsx", "表3-flawed.xlsx", "表1-clean.xlsx"):
        shutil.copy(ex / name, d / name)
    before = run("compute", d, "--format", "json")
    assert run("compute", d, "-o", d / "指标.xlsx").code in (0, 1)
    assert run("collect", d, "-o", d / "汇总.xlsx").code in (0, 1)
    assert run("validate", d / "表3-flawed.xlsx", "--annotate", d / "表3-审核.xlsx").code == 1
    after = run("compute", d, "--format", "json")
    assert after.out == before.out  # the same three submissions, not their copies
    lines = [x for x in after.err.splitlines() if "yjzl 自己写出的文件" in x]
    assert len(lines) == 1 and all(n in lines[0] for n in ("指标.xlsx", "汇总.xlsx", "表3-审核.xlsx"))
    for cmd in (["validate", d], ["collect", d, "-o", tmp_path / "c.xlsx"]):  # every command that reads folders
        r = run(*cmd)
        assert "yjzl 自己写出的文件" in r.err and "表3-审核.xlsx" in r.err, cmd
    # a collected summary table named by itself is read: its submissions are the folder's
    import json

    named = json.loads(run("compute", d / "汇总.xlsx", "--format", "json").out)
    assert named["summary"]["submissions"] == json.loads(before.out)["summary"]["submissions"] == 3
    # the annotated copy a hospital corrected and saved is theirs again: read as a submission
    _resave_as_person(d / "表3-审核.xlsx")
    again = json.loads(run("compute", d, "--format", "json").out)
    assert again["summary"]["submissions"] == 4


def test_a_sheet_copied_out_of_yjzl_s_workbook_is_passed_over_silently(tmp_path: Path, run) -> None:
    """Document properties do not travel with a sheet: a 审核结果 or an indicator table pasted into a
    submission is still known by its header row, and validate says nothing about it."""
    ex = ROOT / "examples"
    assert run("validate", ex / "表3-flawed.xlsx", "--annotate", tmp_path / "a.xlsx").code == 1
    assert run("compute", ex / "表1-clean.xlsx", "-o", tmp_path / "x.xlsx").code == 0
    book = openpyxl.load_workbook(ex / "表3-flawed.xlsx")
    for source, title in ((tmp_path / "a.xlsx", "审核结果"), (tmp_path / "x.xlsx", "指标")):
        copied = book.create_sheet(f"我的{title}")
        for row in openpyxl.load_workbook(source)[title].iter_rows(values_only=True):
            copied.append(["'" + v if isinstance(v, str) and v.startswith("=") else v for v in row])
    book.save(tmp_path / "mine.xlsx")
    r = run("validate", tmp_path / "mine.xlsx")
    assert r.code == 1 and "我的" not in r.out + r.err and "像汇总表" not in r.out + r.err
    from yjzl.batch import formats, rows
    from yjzl.workbook.own import OWN_HEADERS

    for lang in ("zh", "en"):  # the signature is compute's own header, in each language
        assert tuple(formats._header(c, lang) for c in rows.LONG[:5]) in OWN_HEADERS
