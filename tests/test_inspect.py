"""`yjzl.read_workbook` and `yjzl inspect` (issue #12): what yjzl sees, cell by cell."""

from __future__ import annotations

import json
from pathlib import Path

import yjzl
from tests.rawxlsx import sheet_xml, write_xlsx
from yjzl.workbook.cells import Cell

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FLAWED = EXAMPLES / "表3-flawed.xlsx"


def test_read_workbook_gives_sheets_and_cells_by_address(tmp_path: Path) -> None:
    # Style 1 of tests.rawxlsx.STYLES is "0.0%", style 2 a date (numFmtId 14).
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>比例</t></is></c><c r="B1" s="1"><v>0.85</v></c></row>'
            '<row r="2"><c r="A2" s="2"><v>45352</v></c><c r="B2"><f>1/0</f></c><c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    path = write_xlsx(tmp_path / "a.xlsx", {"表3": sheet_xml(rows), "旧": sheet_xml("")}, hidden={"旧"})
    book = yjzl.read_workbook(path)
    assert [(s.name, s.hidden) for s in book.sheets] == [("表3", False), ("旧", True)]
    assert book.sheets[0].by_address() == {
        "A1": Cell("比例"), "B1": Cell(0.85, percent=True), "A2": Cell(45352.0, date=True),
        "B2": Cell(None, formula=True, cached=False), "C2": Cell(None, error="#DIV/0!", formula=True)}
    assert book.sheets[0].cell("$B$1") == Cell(0.85, percent=True) and book.sheets[0].cell("Z9") is None


def test_inspect_json_names_the_form_layout_and_every_field(run) -> None:
    r = run("inspect", FLAWED, "--format", "json")
    assert r.code == 0
    doc = json.loads(r.out)
    assert doc["sheets"] == [{"name": "表3", "hidden": False, "cells": 341, "rows": 97}]
    (form,) = doc["forms"]
    assert (form["sheet"], form["form"], form["identified_by"], form["layout"]) == ("表3", "表3", "sheet name", "B=指标 C=数值 E=说明")
    fields = {f["label"]: f for f in form["fields"]}
    assert {k: fields["住院危重患者抢救人次数"][k] for k in ("cell", "raw", "value", "codes")} == {
        "cell": "表3!C21", "raw": "约100", "value": None, "codes": ["YJ003"]}
    assert {k: fields["是否是典型经验的医联体"][k] for k in ("cell", "raw", "value")} == {"cell": "表3!C11", "raw": "是", "value": 1.0}
    assert fields["所在地区"]["cell"] is None  # a supplement field with no row
    assert doc["skipped"] == []


def test_inspect_text_chinese_and_english(run) -> None:
    zh = run("inspect", FLAWED).out.splitlines()
    assert zh[:4] == ["文件: " + str(FLAWED), "  工作表 「表3」: 341 个单元格", "",
                      "工作表 「表3」 → 表3 城市医联体效果评价考核表（识别依据: 工作表名称；版式: B=指标 C=数值 E=说明）"]
    assert any(line.split() == ["住院危重患者抢救人次数", "C21", "约100", "YJ003"] for line in zh)
    en = run("inspect", FLAWED, "--lang", "en").out.splitlines()
    assert en[3] == 'sheet "表3" → Form 3 Evaluation form of an urban medical consortium (recognised by: sheet name; layout: B=label C=value E=note)'


def test_inspect_shows_skipped_sheets_and_exits_2_without_a_form(run, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "b.xlsx", {"采购": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'), "旧": sheet_xml("")},
                      hidden={"旧"})
    r = run("inspect", path, "--lang", "en")
    assert r.code == 2
    assert r.out.splitlines()[-5:] == [
        "no form recognised", "", "sheets skipped:",
        '  "采购": no form recognised (name it with --form)', '  "旧": hidden sheet, not read']  # one language
    r = run("inspect", tmp_path / "missing.xlsx")
    assert r.code == 2 and "missing.xlsx" in r.err
