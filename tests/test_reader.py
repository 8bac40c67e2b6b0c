"""The .xlsx reader: what other writers produce, and the fast decoder agreeing with ElementTree."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.rawxlsx import MAIN, sheet_xml, write_xlsx
from yjzl.workbook import sheetxml
from yjzl.workbook.cells import Cell, Sheet
from yjzl.workbook.xlsx import read_workbook

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.xlsx"))

SHARED = f"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{MAIN}" count="4" uniqueCount="4">
<si><t>门诊人次数</t></si>
<si><r><rPr><b/></rPr><t>其中：</t></r><r><t xml:space="preserve">预约 &amp; 转诊</t></r></si>
<si><t>县域</t><rPh sb="0" eb="2"><t>けんいき</t></rPh></si>
<si/>
</sst>"""

ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1250</v></c></row>'
    '<row r="2" hidden="1"><c r="A2" t="s" s="0"><v>1</v></c><c r="B2" s="1"><v>0.85</v></c></row>'
    '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="2"><v>45000</v></c><c r="C3" s="3" t="n"><v>0.5</v></c></row>'
    '<row r="4"><c r="A4" t="inlineStr"><is><t>a &lt; b</t></is></c><c r="B4"><f>B1/0</f></c>'
    '<c r="C4" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D4" t="b"><v>1</v></c><c r="E4" t="str"><f>"x"</f><v>是</v></c></row>'
    '<row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5" s="1"/><c r="AB5"><v>-1.5E3</v></c><c r="C5" t="s"><v>99</v></c></row>'
)


def cells(sheet: Sheet) -> dict[str, tuple]:
    from yjzl.workbook.cells import cell_ref

    return {cell_ref(r, c): (x.value, x.error, x.formula, x.cached, x.percent, x.date) for (r, c), x in sheet.cells.items()}


EXPECTED = {
    "A1": ("门诊人次数", None, False, True, False, False),
    "B1": (1250.0, None, False, True, False, False),
    "A2": ("其中：预约 & 转诊", None, False, True, False, False),
    "B2": (0.85, None, False, True, True, False),
    "A3": ("县域", None, False, True, False, False),
    "B3": (45000.0, None, False, True, False, True),
    "C3": (0.5, None, False, True, True, False),
    "A4": ("a < b", None, False, True, False, False),
    "B4": (None, None, True, False, False, False),
    "C4": (None, "#DIV/0!", True, True, False, False),
    "D4": (True, None, False, True, False, False),
    "E4": ("是", None, True, True, False, False),
    "AB5": (-1500.0, None, False, True, False, False),
}


def test_shared_strings_rich_text_styles_and_types(tmp_path: Path) -> None:
    book = read_workbook(write_xlsx(tmp_path / "a.xlsx", {"表3": sheet_xml(ROWS)}, SHARED))
    sheet = book.sheets[0]
    assert cells(sheet) == EXPECTED  # the empty shared string, the styled blank and index 99 are no cells
    assert sheet.hidden_rows == {2} and sheet.max_row == 5


@pytest.mark.parametrize("variant", ["prefixed", "attribute order", "newline in tag", "cdata", "single quotes"])
def test_other_writers_read_the_same(tmp_path: Path, variant: str) -> None:
    if variant == "prefixed":
        xml = sheet_xml(ROWS.replace("<", "<x:").replace("<x:/", "</x:"), prefix="x")
    elif variant == "attribute order":
        xml = sheet_xml(ROWS.replace('t="s" s="0"', 's="0" t="s"').replace('s="3" t="n"', 't="n" s="3" spans="1"'))
    elif variant == "newline in tag":
        xml = sheet_xml(ROWS.replace('<c r="B1">', '<c\n r="B1">'))
    elif variant == "cdata":
        xml = sheet_xml(ROWS.replace("<is><t>a &lt; b</t></is>", "<is><t><![CDATA[a < b]]></t></is>"))
    else:
        xml = sheet_xml(ROWS.replace('r="B1"', "r='B1'"))
    book = read_workbook(write_xlsx(tmp_path / "b.xlsx", {"表3": xml}, SHARED))
    assert cells(book.sheets[0]) == EXPECTED


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_fast_decoder_agrees_with_elementtree(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        for part in parts:
            data = z.read(part)
            fast, tree = Sheet("s", False), Sheet("s", False)
            sheetxml.decode(data, fast, [], [(False, False)] * 8)
            sheetxml._tree(data, tree, [], [(False, False)] * 8)
            assert fast.cells and cells(fast) == cells(tree)


def test_fast_decoder_is_used_on_canonical_xml(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the fast path silently fell back, the reader would be right but slow: prove it is taken."""
    def no_tree(*args: object) -> None:
        raise AssertionError("fell back to ElementTree")

    monkeypatch.setattr(sheetxml, "_tree", no_tree)
    sheet = Sheet("s", False)
    sheetxml.decode(sheet_xml(ROWS).encode(), sheet, ["x"] * 4, [(False, False)] * 4)
    assert sheet.cells[(1, 2)] == Cell(1250.0)


def test_hidden_sheet_and_custom_properties(tmp_path: Path) -> None:
    custom = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="yjzl.forms">'
              '<vt:lpwstr>{"表3": "T3"}</vt:lpwstr></property></Properties>')
    path = write_xlsx(tmp_path / "c.xlsx", {"表3": sheet_xml(ROWS), "旧": sheet_xml("")}, SHARED,
                      extra={"docProps/custom.xml": custom}, hidden={"旧"})
    book = read_workbook(path)
    assert [(s.name, s.hidden) for s in book.sheets] == [("表3", False), ("旧", True)]
    assert book.properties == {"yjzl.forms": '{"表3": "T3"}'}


# LibreOffice writes a string of mixed scripts as rich text, one run per font; the fast path joins the runs.
LO_RUNS = ('<si><r><rPr><sz val="11"/><rFont val="Noto Sans CJK SC"/></rPr><t xml:space="preserve">表</t></r>'
           '<r><rPr><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve">1 </t></r>'
           '<r><rPr><rFont val="Noto Sans CJK SC"/></rPr><t xml:space="preserve">分级诊疗</t></r></si>')


@pytest.mark.parametrize("strings, expected, fast", [
    (LO_RUNS + "<si><t>指标</t></si>", ["表1 分级诊疗", "指标"], True),
    ("<si><t>a &amp; b_x000D_</t></si><si/><si><t></t></si>", ["a & b\r", "", ""], True),
    ("\n<si><t>一</t></si>\n<si><r><t>二</t></r><r><t>三</t></r></si>\n", ["一", "二三"], True),
    # text between the runs is no string's (only <t> holds text): the fast path gives it to the parser
    ("<si><r><t>甲</t></r>\n<r><t>乙</t></r></si><si><t>丙</t></si>", ["甲乙", "丙"], False),
    ("<si><t/><r><t>x</t></r></si><si><r><t>y</t></r><r><t/></r></si>", ["x", "y"], None),
])
def test_shared_strings_fast_path_agrees_with_the_parser(strings: str, expected: list[str], fast: bool | None) -> None:
    data = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}">{strings}</sst>'.encode()
    assert sheetxml._strings_tree(data) == expected
    assert sheetxml.shared_strings(data) == expected
    if fast is not None:  # the one-pass reading of the runs is taken on what LibreOffice writes, and only there
        text = data.decode()
        taken = sheetxml._runs(text, text.count("<si>") + text.count("<si/>")) is not None
        assert taken is fast


def test_rows_libreoffice_marks_hidden_false_are_read_as_shown() -> None:
    rows = ('<row r="1" hidden="false"><c r="A1"><v>1</v></c></row><row r="2" hidden="true"><c r="A2"><v>2</v></c></row>'
            '<row r="3" customFormat="false" hidden="1"><c r="A3"><v>3</v></c></row><row r="4" hidden="0"><c r="A4"><v>4</v></c></row>')
    fast, tree = Sheet("s", False), Sheet("s", False)
    sheetxml.decode(sheet_xml(rows).encode(), fast, [], [])
    sheetxml._tree(sheet_xml(rows).encode(), tree, [], [])
    assert fast.hidden_rows == tree.hidden_rows == {2, 3}


def test_parts_worked_out_once_still_belong_to_their_own_file(tmp_path: Path) -> None:
    """Styles, the sheet list and custom properties are cached by CRC: equal parts share, different parts do not,
    and changing what one workbook returns does not change the next one's."""
    def custom(value: str) -> str:
        return ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="k"><vt:lpwstr>{value}</vt:lpwstr>'
                '</property></Properties>')
    a = write_xlsx(tmp_path / "a.xlsx", {"表3": sheet_xml(ROWS)}, SHARED, extra={"docProps/custom.xml": custom("1")})
    b = write_xlsx(tmp_path / "b.xlsx", {"表4": sheet_xml(ROWS), "另": sheet_xml("")}, SHARED,
                   extra={"docProps/custom.xml": custom("2")})
    first = read_workbook(a)
    first.properties["k"] = "changed by a caller"
    assert [s.name for s in read_workbook(b).sheets] == ["表4", "另"] and read_workbook(b).properties == {"k": "2"}
    again = read_workbook(a)
    assert [s.name for s in again.sheets] == ["表3"] and again.properties == {"k": "1"}
    assert cells(again.sheets[0]) == EXPECTED  # the cached styles still flag B2's percentage and B3's date


def test_sheets_not_read_as_forms_are_not_decoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hidden sheet (and a template's indicator sheet) is listed as skipped, with the same note as before,
    without its XML being decoded: `read` passes the reader's own `not_read` rule to read_workbook."""
    from yjzl.catalogue.loader import load
    from yjzl.workbook import reader

    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>门诊人次数</t></is></c><c r="B1"><v>5</v></c></row>'
    path = write_xlsx(tmp_path / "h.xlsx", {"表3": sheet_xml(ROWS), "下拉": sheet_xml(rows)}, SHARED, hidden={"下拉"})
    decoded: list[int] = []
    real = sheetxml.decode
    monkeypatch.setattr(sheetxml, "decode", lambda data, sheet, *a: (decoded.append(len(data)), real(data, sheet, *a)))
    book = read_workbook(path, skip=lambda name, hidden, props: reader.not_read(name, hidden, {}) is not None)
    assert [(s.name, s.hidden, len(s.cells)) for s in book.sheets] == [("表3", False, len(EXPECTED)), ("下拉", True, 0)]
    assert len(decoded) == 1
    whole = reader.read_book(read_workbook(path), load(), None)  # decoded, then skipped: the same notes
    assert [(n.sheet, n.reason) for n in reader.read(path, load()).skipped] == [(n.sheet, n.reason) for n in whole.skipped]
    assert ("下拉", "隐藏的工作表，未读取 / hidden sheet, not read") in [(n.sheet, n.reason) for n in whole.skipped]
