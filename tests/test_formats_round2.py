"""Real files, second round (issue #26), and what hospital systems save as .xls (issue #22 §5): each case is a file
built here, and every one of its cells is checked."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from tests.corpus import cfb
from tests.rawods import write_ods
from tests.rawxls import biff2, biff8
from tests.rawxlsx import STYLES, sheet_xml, write_xlsx
from yjzl.bilingual import in_language
from yjzl.errors import UnusableInput
from yjzl.workbook.cells import Cell, split_ref
from yjzl.workbook.xlsx import read_workbook


def cells(path: Path, sheet: int = 0) -> dict[str, Cell]:
    return read_workbook(path).sheets[sheet].by_address()


# --- lowercase cell addresses -------------------------------------------------------------------------------------

LOWER = ('<row r="1"><c r="a1"><v>1</v></c><c r="e1"><v>5</v></c><c r="F1" t="inlineStr"><is><t>f</t></is></c></row>'
         '<row r="2"><c r="$b$2"><v>2</v></c><c r="ab2" t="b"><v>1</v></c><c r="Ac2"><v>3</v></c></row>')
LOWER_CELLS = {"A1": Cell(1.0), "E1": Cell(5.0), "F1": Cell("f"), "B2": Cell(2.0), "AB2": Cell(True), "AC2": Cell(3.0)}


@pytest.mark.parametrize("prefix", ["", "x"])  # canonical XML (the fast decoder), and prefixed (the tree decoder)
def test_lowercase_cell_addresses_are_placed_where_they_say(tmp_path: Path, prefix: str) -> None:
    rows = LOWER.replace("<row", f"<{prefix}:row").replace("</row", f"</{prefix}:row").replace("<c ", f"<{prefix}:c ") \
        .replace("</c>", f"</{prefix}:c>").replace("<v>", f"<{prefix}:v>").replace("</v>", f"</{prefix}:v>") \
        .replace("<is>", f"<{prefix}:is>").replace("</is>", f"</{prefix}:is>").replace("<t>", f"<{prefix}:t>") \
        .replace("</t>", f"</{prefix}:t>") if prefix else LOWER
    path = write_xlsx(tmp_path / "a.xlsx", {"S": sheet_xml(rows, prefix)})
    assert cells(path) == LOWER_CELLS


def test_one_address_pattern_for_every_reader() -> None:
    assert [split_ref(r) for r in ("e1", "E1", "$ab$12", "xfd1048576", "A0", "ABCD1", "A12345678")] == [
        (1, 5), (1, 5), (12, 28), (1048576, 16384), (0, 1), None, None]


# --- .ods: values under a merge -----------------------------------------------------------------------------------

def test_ods_covered_cells_keep_their_values_as_xlsx_does(tmp_path: Path) -> None:
    row = ('<table:table-cell table:number-columns-spanned="3" office:value-type="float" office:value="1"/>'
           '<table:covered-table-cell office:value-type="float" office:value="2" table:formula="of:=1+1"/>'
           '<table:covered-table-cell/>'
           '<table:table-cell office:value-type="string"><text:p>d</text:p></table:table-cell>')
    path = write_ods(tmp_path / "m.ods", {"S": [[row]]})
    assert cells(path) == {"A1": Cell(1.0), "B1": Cell(2.0, formula=True), "D1": Cell("d")}


# --- .xls: stream names, built-in formats, Excel 2.x, damage ------------------------------------------------------

FORM = {(1, 1): "门诊人次数", (1, 2): 26000.0, (2, 1): "日期", (2, 2): (45323.0, 14)}
FORM_CELLS = {"A1": Cell("门诊人次数"), "B1": Cell(26000.0), "A2": Cell("日期"), "B2": Cell(45323.0, date=True)}


@pytest.mark.parametrize("stream", ["Workbook", "WORKBOOK", "workbook", "Book", "BOOK"])
def test_xls_stream_names_in_any_case(tmp_path: Path, stream: str) -> None:
    path = tmp_path / "a.xls"
    path.write_bytes(cfb({stream: biff8({"表4": FORM})}))
    assert cells(path) == FORM_CELLS
    renamed = tmp_path / "a.xlsx"  # told by content
    renamed.write_bytes(path.read_bytes())
    assert cells(renamed) == FORM_CELLS


# ECMA-376 18.8.30 built-in formats: East-Asian dates (27–36, 50–58), Thai percentages (67, 68) and dates (71–81),
# numbers (37–44, 48, 59–62, 69, 70); xlrd has no format string for most of them.
BUILTIN = {27: "date", 31: "date", 32: "date", 36: "date", 50: "date", 55: "date", 58: "date", 67: "percent",
           68: "percent", 71: "date", 81: "date", 37: "number", 48: "number", 59: "number", 62: "number", 69: "number",
           9: "percent", 14: "date"}


def _expected(kind: str, value: float) -> Cell:
    return Cell(value, percent=kind == "percent", date=kind == "date")


def test_xls_east_asian_builtin_formats_are_dates(tmp_path: Path) -> None:
    """Refused as "damaged" before (an AttributeError on xlrd's missing format string, hidden by a blanket except)."""
    sheet = {(r, 1): (45323.0 + r, fid) for r, fid in enumerate(BUILTIN, 1)}
    path = tmp_path / "east.xls"
    path.write_bytes(cfb({"Workbook": biff8({"S": sheet})}))
    assert cells(path) == {f"A{r}": _expected(kind, 45323.0 + r) for r, kind in enumerate(BUILTIN.values(), 1)}


def test_xlsx_builtin_formats_have_the_same_meaning(tmp_path: Path) -> None:
    xfs = "".join(f'<xf numFmtId="{fid}"/>' for fid in BUILTIN)
    styles = STYLES.replace('<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="10"/>',
                            f'<cellXfs count="{len(BUILTIN)}">{xfs}')
    rows = "".join(f'<row r="{r}"><c r="A{r}" s="{r - 1}"><v>{45323 + r}</v></c></row>' for r in range(1, len(BUILTIN) + 1))
    path = write_xlsx(tmp_path / "east.xlsx", {"S": sheet_xml(rows)}, styles=styles)
    assert cells(path) == {f"A{r}": _expected(kind, 45323.0 + r) for r, kind in enumerate(BUILTIN.values(), 1)}


def test_a_bug_in_the_xls_reader_is_not_called_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only xlrd's own calls are guarded: an error in yjzl's code escapes as the bug it is (exit 3 at the CLI)."""
    from yjzl.workbook import xls

    path = tmp_path / "a.xls"
    path.write_bytes(cfb({"Workbook": biff8({"表4": FORM})}))
    monkeypatch.setattr(xls, "_cell", lambda *a: None.value)  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        read_workbook(path)


def test_excel_2_worksheets_are_read_by_xlrd(tmp_path: Path) -> None:
    """BIFF2 (Excel 2.x): no compound file, one sheet; refused as "not an .xlsx workbook" before."""
    path = tmp_path / "old.xls"
    path.write_bytes(biff2({(1, 1): "Visits", (1, 2): 26000.0, (3, 3): 1.5}))
    book = read_workbook(path)
    assert [s.name for s in book.sheets] == ["Sheet 1"]
    assert book.sheets[0].by_address() == {"A1": Cell("Visits"), "B1": Cell(26000.0), "C3": Cell(1.5)}


def _stream_into_directory(data: bytes) -> bytes:
    """The first stream's last sector chained on into the directory's sector (a sector used twice): xlrd calls it
    "Workbook corruption"; the stream's records end before the borrowed sector, so the cells are whole."""
    data = bytearray(data)
    fat = list(struct.unpack_from("<128I", data, 512))
    last = next(i for i in range(2, 128) if fat[i] == 0xFFFFFFFE)
    fat[last] = 1
    struct.pack_into("<128I", data, 512, *fat)
    size_at = 1024 + 128 + 120  # the directory's second entry (the stream), its size field
    struct.pack_into("<I", data, size_at, struct.unpack_from("<I", data, size_at)[0] + 512)
    return bytes(data)


def test_a_sector_used_twice_is_read_with_its_number_formats(tmp_path: Path) -> None:
    path = tmp_path / "shared-sector.xls"
    path.write_bytes(_stream_into_directory(cfb({"Workbook": biff8({"表4": FORM})})))
    assert cells(path) == FORM_CELLS


def test_damaged_xls_is_named_by_what_is_damaged(tmp_path: Path) -> None:
    data = bytearray(cfb({"Workbook": biff8({"表4": FORM})}))
    struct.pack_into("<I", data, 0x30, 999)  # the directory's first sector: past the end of the file
    path = tmp_path / "broken.xls"
    path.write_bytes(bytes(data))
    with pytest.raises(UnusableInput) as info:
        read_workbook(path)
    assert info.value.reason.startswith("工作簿已损坏，无法读取（.xls）/ the .xls workbook is damaged: 复合文档的扇区链损坏")
    stream = biff8({"表4": FORM})
    path.write_bytes(cfb({"Workbook": stream[: len(stream) - 30]}))  # the last records cut off
    with pytest.raises(UnusableInput) as info:
        read_workbook(path)
    assert "the .xls workbook is damaged: 表4: " in info.value.reason


# --- zip entries, .ods without mimetype ---------------------------------------------------------------------------

def _rezip(src: Path, dst: Path, rename=lambda n: n, drop: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(src) as z:
        parts = [(rename(n), z.read(n)) for n in z.namelist() if n not in drop]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts:
            z.writestr(zipfile.ZipInfo(n), data)
    return dst


def test_zip_entries_named_with_backslashes(tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "a.xlsx", {"表4": sheet_xml(LOWER)})
    path = _rezip(src, tmp_path / "b.xlsx", rename=lambda n: n.replace("/", "\\"))
    with zipfile.ZipFile(path) as z:
        assert "xl\\workbook.xml" in z.namelist()
    assert cells(path) == LOWER_CELLS


@pytest.mark.parametrize("manifest", [True, False])
def test_ods_without_a_mimetype_entry(tmp_path: Path, manifest: bool) -> None:
    """Google Docs exports have no mimetype entry: the content says what the file is."""
    src = write_ods(tmp_path / "a.ods", {"表4": [["门诊人次数", 26000], ["x", True]]})
    extra = {"META-INF/manifest.xml": b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
             b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
             b"</manifest:manifest>"} if manifest else {}
    path = _rezip(src, tmp_path / "b.xlsx", drop=("mimetype",))
    if extra:
        with zipfile.ZipFile(path, "a") as z:
            z.writestr("META-INF/manifest.xml", extra["META-INF/manifest.xml"])
    assert cells(path) == {"A1": Cell("门诊人次数"), "B1": Cell(26000.0), "A2": Cell("x"), "B2": Cell(True)}


# --- what hospital systems save as .xls (issue #22 §5) ------------------------------------------------------------

SAVE = ("请在 Excel/WPS 中打开，另存为 .xlsx（文件 → 另存为 → Excel 工作簿） / ", "open it in Excel/WPS and save it as .xlsx "
        "(File → Save As → Excel Workbook)")
DISGUISED = {
    "html.xls": ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"></head><body><table>'
                 "<tr><td>门诊人次数</td><td>26000</td></tr></table></body></html>",
                 "这是网页（HTML）格式的表格，只是扩展名为 Excel 的（医院信息系统常这样导出），{0}a web page (HTML) table named as an "
                 "Excel file (as hospital systems often export): {1}"),
    "table.xlsx": ("\ufeff<table border=1><tr><td>门诊人次数</td></tr></table>",
                   "这是网页（HTML）格式的表格，只是扩展名为 Excel 的（医院信息系统常这样导出），{0}a web page (HTML) table named as "
                   "an Excel file (as hospital systems often export): {1}"),
    "mhtml.xls": ('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n------=_NextPart\r\n',
                  "这是单个文件网页（MHTML）格式，只是扩展名为 Excel 的，{0}a single-file web page (MHTML) named as an Excel file: {1}"),
    "spreadsheetml.xls": ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns='
                          '"urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="表4"/></Workbook>',
                          "这是 XML 电子表格 2003（SpreadsheetML）格式，只是扩展名为 Excel 的，{0}an XML Spreadsheet 2003 "
                          "(SpreadsheetML) named as an Excel file: {1}"),
    "data.xlsx": ('<?xml version="1.0"?><data><row/></data>', "这是 XML 文件，不是工作簿，{0}an XML file, not a workbook: {1}"),
}


@pytest.mark.parametrize("name", sorted(DISGUISED))
def test_web_pages_and_xml_saved_as_xls_are_named(run, tmp_path: Path, name: str) -> None:
    text, reason = DISGUISED[name]
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    r = run("validate", path)
    assert (r.code, r.err) == (2, "退出码 2：没有可用的输入（1 个输入无法使用）\n")
    zh, en = SAVE
    assert r.out.splitlines()[0] == f"{path}: 无法使用: " + in_language(reason.format(zh.rstrip(" /").rstrip() + " / ", en), "zh")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_a_csv_saved_as_xls_is_read_as_csv(run, tmp_path: Path, encoding: str, cat) -> None:
    from tests.corpus import CLEAN, ROW

    form = cat.forms["T4M"]
    lines = ["指标,数值,说明"] + [f"{f.label},{CLEAN[f.id]}," for f in form.fields if f.id in CLEAN]
    path = tmp_path / "表4（乡镇卫生院）.xls"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    sheet = read_workbook(path).sheets[0]
    assert sheet.name == "表4（乡镇卫生院）"
    expected = {}
    for r, line in enumerate(lines, 1):
        for c, value in enumerate(line.split(","), 1):
            if value:
                expected[f"{chr(64 + c)}{r}"] = Cell(value)
    assert sheet.by_address() == expected
    r = run("validate", path, "--format", "json")
    assert r.code == 0 and ROW["outpatient_visits"] > 2


def test_excel_2_cells_are_counted_before_xlrd_builds_the_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xlrd

    from yjzl.workbook import budget

    path = tmp_path / "wide.xls"
    path.write_bytes(biff2({(r, c): 1.0 for r in range(1, 101) for c in range(1, 101)}))  # 10 000 cells
    assert len(read_workbook(path).sheets[0].cells) == 10_000
    monkeypatch.setattr(budget, "MAX_CELLS", 9_999)
    monkeypatch.setattr(xlrd, "open_workbook", lambda *a, **k: pytest.fail("xlrd opened it"))
    with pytest.raises(UnusableInput, match="the workbook holds more than the reading limit of 9999 cells: refused"):
        read_workbook(path)
