"""What Excel, WPS, LibreOffice and other writers put in real files (issue #12), read by both decoders alike:
empty-string formula results, cells without addresses, line ends and _xHHHH_ escapes, ISO dates, parts found
through the relationships, sheets whose part is missing, time formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rawxlsx import MAIN, PKG, REL, STYLES, sheet_xml, write_parts, write_xlsx
from yjzl.workbook import sheetxml, values
from yjzl.workbook.cells import Cell, Sheet
from yjzl.workbook.xlsx import format_flags, read_workbook


def decoded(rows: str, strings: list[str] | None = None, styles=None) -> dict[tuple[int, int], Cell]:
    """The cells of a sheet of `rows`, from the fast decoder; the ElementTree decoder must give the same."""
    styles = styles or [(False, False)] * 4
    data = sheet_xml(rows).encode()
    fast, tree = Sheet("s", False), Sheet("s", False)
    sheetxml.decode(data, fast, strings or [], styles)
    sheetxml._tree(data, tree, strings or [], styles)
    assert fast.cells == tree.cells and fast.max_row == tree.max_row
    return fast.cells


def test_a_formula_whose_result_is_empty_text_was_calculated() -> None:
    """Excel writes <v/> for IF(B19="","",…): a cached "" — not a formula that was never calculated (YJ007)."""
    cells = decoded('<row r="1"><c r="A1"><f>IF(B19="","",1)</f><v/></c><c r="B1" t="str"><f>""</f><v></v></c>'
                    '<c r="C1" t="s"><v/></c><c r="D1"><f>B1</f></c></row>')
    assert cells == {(1, 1): Cell("", formula=True), (1, 2): Cell("", formula=True),
                     (1, 4): Cell(None, formula=True, cached=False)}  # C1, an empty shared string index: no cell
    assert values.parse(cells[(1, 1)], "count") == values.BLANK
    assert values.parse(cells[(1, 4)], "count").problem == "YJ007"


def test_an_empty_shared_string_index_does_not_refuse_the_workbook(tmp_path: Path) -> None:
    xml = sheet_xml('<x:row r="1"><x:c r="A1" t="s"><x:v/></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row>', prefix="x")  # tree
    book = read_workbook(write_xlsx(tmp_path / "a.xlsx", {"S": xml}))
    assert book.sheets[0].cells == {(1, 2): Cell(2.0)}


def test_cells_and_rows_without_an_address_are_placed_by_order() -> None:
    """As the .NET OpenXML SDK writes them: a row may mix addressed and unaddressed cells."""
    cells = decoded('<row><c><v>1</v></c><c r="C1"><v>3</v></c><c><v>4</v></c></row>'
                    '<row><c t="inlineStr"><is><t>x</t></is></c></row><row r="5"><c><v>5</v></c></row><row><c/><c><v>7</v></c></row>')
    assert {k: c.value for k, c in cells.items()} == {(1, 1): 1.0, (1, 3): 3.0, (1, 4): 4.0, (2, 1): "x", (5, 1): 5.0,
                                                      (6, 2): 7.0}


def test_line_ends_and_escapes() -> None:
    """An XML parser reads CR LF (and a lone CR) as LF; _x000D_ is a CR, _x005F_ a "_" (so _x005F_x000D_ is the text
    _x000D_); U+FFFE and U+FFFF stay escaped, as openpyxl and calamine leave them."""
    shared = (f'<sst xmlns="{MAIN}"><si><t>a\r\nb\rc</t></si><si><t>d_x000D_\ne</t></si>'
              '<si><t>_x005F_x000D_</t></si><si><t>_xFFFE_</t></si></sst>').encode()
    for strings in (sheetxml.shared_strings(shared), sheetxml._strings_tree(shared)):
        assert strings == ["a\nb\nc", "d\r\ne", "_x000D_", "_xFFFE_"]
    cells = decoded('<row r="1"><c r="A1" t="inlineStr"><is><t>x\r\ny_x0009_</t></is></c>'
                    '<c r="B1" t="str"><f>A1</f><v>p\r\nq</v></c></row>')
    assert cells[(1, 1)].value == "x\ny\t" and cells[(1, 2)].value == "p\nq"


def test_iso_dates_are_dates() -> None:
    """t="d" (Strict, some generators): 2024-03-01 is serial 45352 (2024-01-01 is 45292, + 31 + 29 days), noon .5."""
    cells = decoded('<row r="1"><c r="A1" t="d"><v>2024-03-01T12:00:00Z</v></c><c r="B1" t="d"><v>06:00:00</v></c>'
                    '<c r="C1" t="d" s="1"><v>1900-01-01</v></c><c r="D1" t="d"><v>not a date</v></c></row>',
                    styles=[(False, False), (True, False)])
    assert cells[(1, 1)] == Cell(45352.5, date=True)
    assert cells[(1, 2)] == Cell(0.25, date=True)
    assert cells[(1, 3)] == Cell(1.0, percent=True, date=True)  # a date whatever its style says
    assert cells[(1, 4)] == Cell("not a date")


def _package(sheets: str, rels: str, workbook: str = "xl/workbook.xml", extra: dict[str, str] | None = None) -> dict:
    return {"_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                           f'Target="/{workbook}"/></Relationships>',
            workbook: f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{sheets}</sheets></workbook>',
            workbook.rsplit("/", 1)[0] + "/_rels/" + workbook.rsplit("/", 1)[1] + ".rels":
                f'<Relationships xmlns="{PKG}">{rels}</Relationships>', **(extra or {})}


def test_parts_are_found_through_the_relationships_whatever_their_case(tmp_path: Path) -> None:
    """The workbook part at wtf/book.xml (SheetJS's wtf_path), xl/SharedStrings.xml named sharedStrings.xml."""
    parts = _package('<sheet name="S" sheetId="1" r:id="rId1"/>',
                     f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="sheets/one.xml"/>'
                     f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                     f'<Relationship Id="rId3" Type="{REL}/styles" Target="Styles.xml"/>', "wtf/book.xml",
                     {"wtf/sheets/one.xml": sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>0.5</v></c></row>'),
                      "wtf/SharedStrings.xml": f'<sst xmlns="{MAIN}"><si><t>门诊人次数</t></si></sst>',
                      "wtf/styles.xml": STYLES})
    book = read_workbook(write_parts(tmp_path / "a.xlsx", parts))
    assert book.sheets[0].cells == {(1, 1): Cell("门诊人次数"), (1, 2): Cell(0.5, percent=True)}


def test_a_sheet_with_an_empty_or_dangling_id_is_skipped_and_named(tmp_path: Path) -> None:
    parts = _package('<sheet name="A" sheetId="1" r:id=""/><sheet name="B" sheetId="2" r:id="rId9"/>'
                     '<sheet name="C" sheetId="3" r:id="rId1"/>',
                     f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>',
                     extra={"xl/worksheets/sheet1.xml": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')})
    book = read_workbook(write_parts(tmp_path / "a.xlsx", parts))
    assert [s.name for s in book.sheets] == ["C"]
    assert [(name, why.split(" / ")[1]) for name, why in book.skipped] == [
        ("A", "the sheet's cells are missing from the file (no relationship id): not read"),
        ("B", "the sheet's cells are missing from the file (rId9): not read")]


@pytest.mark.parametrize(("code", "flags"), [
    ("h:mm", (False, True)), ("[h]:mm:ss", (False, True)), ("mm:ss.0", (False, True)), ("[$-409]h:mm AM/PM;@", (False, True)),
    ("yyyy-mm-dd", (False, True)), ('yyyy"年"m"月"d"日"', (False, True)), ("0.0%", (True, False)), ('0.0"%"', (False, False)),
    ('0.0" m"', (False, False)), ("[Red]0.00", (False, False)), ("General", (False, False)), ("0.00;[Red]-0.00", (False, False)),
    ("#,##0;\\-#,##0 d", (False, False)),  # only the first section counts
])
def test_number_formats(code: str, flags: tuple[bool, bool]) -> None:
    """Time-only formats are dates too (openpyxl's rule: any d m h y s code outside quotes and [..])."""
    assert format_flags(code) == flags


def test_a_time_in_a_number_field_is_named_as_a_time() -> None:
    """CT平均出报告时间 (hours) typed as 2:30 is 2.5/24 = 0.104167 of a day under h:mm: YJ012 shows 02:30."""
    parsed = values.parse(Cell(2.5 / 24, date=True), "decimal")
    assert (parsed.value, parsed.problem, parsed.detail) == (None, "YJ012", "02:30 = 0.104167")


def test_xlsb_is_refused_with_one_line(tmp_path: Path) -> None:
    from yjzl.errors import UnusableInput

    rels = (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.bin"/></Relationships>')
    for parts in ({"_rels/.rels": rels, "xl/workbook.bin": b"\x83\x01\x00"}, {"xl/workbook.bin": b"\x83\x01\x00"}):
        with pytest.raises(UnusableInput) as exc:
            read_workbook(write_parts(tmp_path / "a.xlsb", parts))
        assert exc.value.reason == ("这是 Excel 二进制工作簿（.xlsb），请在 Excel/WPS 中另存为 .xlsx / "
                                    "an Excel binary workbook (.xlsb): save it as .xlsx in Excel/WPS")
