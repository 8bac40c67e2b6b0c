"""Summary and long tables with problems: each a finding in its own row with its cells, never a guess or a traceback."""

from __future__ import annotations

from pathlib import Path

import openpyxl

import yjzl
from examples.build_examples import clean
from tests.table_builders import summary_sheet, write_long, write_summary
from tests.test_tables import _new, _own, _three


def test_bad_header_is_refused_with_its_cells(tmp_path: Path, cat, run) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["医院名称", "机构代码", "床位数", "门诊量", "住院量", "实际开放总床日数"])
    ws.append(["甲医院", "1", 1, 2, 3, 4])
    wb.save(tmp_path / "bad.xlsx")
    r = run("validate", str(tmp_path / "bad.xlsx"))
    assert r.code == 2
    assert "第 1 行像汇总表的表头，但只有" in r.out + r.err and "F1" in r.out + r.err


def test_two_columns_for_one_field_that_disagree(tmp_path: Path, cat) -> None:
    rows = _three(cat, "T3")[:2]
    extra = {"实际开放总床日数": [rows[0]["open_bed_days"], 99]}  # row 1 agrees, row 2 does not
    where = write_summary(tmp_path / "s.xlsx", cat, "表3汇总", "T3", rows, extra=extra)
    report = yjzl.validate(tmp_path / "s.xlsx", cat)
    own = _own(cat, "T3", tmp_path)
    assert _new(report.files[0], own) == []
    last = openpyxl.load_workbook(tmp_path / "s.xlsx").active.max_column
    from openpyxl.utils import get_column_letter

    twin = f"表3汇总!{get_column_letter(last)}3"
    assert [(x.code, x.cells) for x in report.files[1].findings if x.code == "YJ020"] == [
        ("YJ020", [f"表3汇总!{where[(1, 'open_bed_days')]}", twin])]
    # Neither value is guessed: the checks on 实际开放总床日数 are skipped for row 2.
    assert not any("open_bed_days" in " ".join(s.fields) for s in report.files[0].skipped)
    assert any("open_bed_days" in s.fields for s in report.files[1].skipped)


def test_a_shifted_row_is_one_finding_for_the_run(tmp_path: Path, cat) -> None:
    rows = _three(cat, "T3")[:2]
    # 是否是典型经验的医联体 | 实际开放总床日数 | 实际占用总床日数 | 门诊总诊疗人次数 are adjacent columns; the row's
    # text moved right by one: three counts hold 示例/是/否, and the fourth a whole number again.
    rows[1]["open_bed_days"] = "示例"
    rows[1]["occupied_bed_days"] = "是"
    rows[1]["outpatient_visits"] = "否"
    rows[1]["outpatient_emergency_visits"] = 5000
    where = write_summary(tmp_path / "s.xlsx", cat, "表3汇总", "T3", rows)
    report = yjzl.validate(tmp_path / "s.xlsx", cat)
    shifted = [x for x in report.files[1].findings if x.code == "YJ021"]
    assert [x.cells for x in shifted] == [[f"表3汇总!{where[(1, f)]}" for f in ("open_bed_days", "occupied_bed_days", "outpatient_visits")]]
    assert not any(x.code == "YJ003" for x in report.files[1].findings)  # not three separate "not a number"
    assert _new(report.files[0], _own(cat, "T3", tmp_path)) == []


def test_blank_identity_and_duplicate_submitter(tmp_path: Path, cat) -> None:
    rows = _three(cat, "T3")
    rows[1]["hospital_name"] = None
    rows[2]["org_code"] = rows[0]["org_code"]
    where = write_summary(tmp_path / "s.xlsx", cat, "表3汇总", "T3", rows)
    report = yjzl.validate(tmp_path / "s.xlsx", cat)
    own = _own(cat, "T3", tmp_path)
    got = [_new(f, own) for f in report.files]
    code0, code2 = where[(0, "org_code")], where[(2, "org_code")]
    assert got == [[], [("YJ022", [f"表3汇总!{where[(1, 'hospital_name')]}"])], [("YJ023", [f"表3汇总!{code0}", f"表3汇总!{code2}"])]]


def test_a_long_table_reports_repeats_unknown_labels_and_rows_with_no_submitter(tmp_path: Path, cat) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表3"
    ws.append(["机构代码", "指标", "数值"])
    v = clean("T3")
    for f in cat.forms["T3"].fields:
        if f.id in v:
            ws.append(["A1", f.label, v[f.id]])
    ws.append(["A1", "实际开放总床日数", 1])  # row 88: a second value for one field
    ws.append(["A1", "不存在的指标", 1])  # row 89
    ws.append([None, "实际开放总床日数", 1])  # row 90: whose?
    wb.save(tmp_path / "l.xlsx")
    report = yjzl.validate(tmp_path / "l.xlsx", cat)
    own = _own(cat, "T3", tmp_path)
    first = [(x.code, x.cells) for x in report.files[0].findings]
    assert ("YJ010", ["表3!C10", "表3!C88"]) in first and ("YJ006", ["表3!B89"]) in first
    assert _new(report.files[1], own) == [("YJ022", ["表3!A90"])]


def test_scrambled_tables_give_findings_never_a_traceback(tmp_path: Path, cat) -> None:
    """Random junk in random cells of a summary and a long table (seeded): every outcome is a report."""
    import random

    rng = random.Random(13)
    junk = [None, "", "--", "约100", -5, 0.5, 1e12, "是", "#DIV/0!", "表3", "医院名称", "合计", "  ", "0.85", "1,234"]
    for n in range(6):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "表3汇总"
        summary_sheet(ws, cat, "T3", _three(cat, "T3"), units=bool(n % 2))
        for _ in range(25):
            ws.cell(rng.randint(1, ws.max_row), rng.randint(1, ws.max_column)).value = rng.choice(junk)
        wb.save(tmp_path / f"s{n}.xlsx")
        report = yjzl.validate(tmp_path / f"s{n}.xlsx", cat)
        assert all(f.error or f.forms for f in report.files)
    write_long(tmp_path / "l.xlsx", cat, "数据", [("T3", r) for r in _three(cat, "T3")])
    wb = openpyxl.load_workbook(tmp_path / "l.xlsx")
    ws = wb.active
    for _ in range(60):
        ws.cell(rng.randint(1, ws.max_row), rng.randint(1, ws.max_column)).value = rng.choice(junk)
    wb.save(tmp_path / "l.xlsx")
    report = yjzl.validate(tmp_path / "l.xlsx", cat)
    assert all(f.error or f.forms for f in report.files)
