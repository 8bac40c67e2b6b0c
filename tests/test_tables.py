"""Summary tables and long tables: read as many submissions, each audited and computed on its own."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import yjzl
from examples.build_examples import clean
from tests.table_builders import summary_sheet, write_long, write_summary
from yjzl.rules.orgcode import org_check_digit

ROOT = Path(__file__).resolve().parents[1]
FORMS = ["T1", "T2", "T3", "T3M", "T4", "T4M"]


def _values(report) -> list[list[tuple[str, float | None]]]:
    """Each submission's indicators as (id, value), in order."""
    return [[(i.id, i.value) for i in f.indicators] for f in report.files if not f.error]


def _own(cat, form_id: str, tmp_path: Path) -> set[tuple[str, str]]:
    """What the shipped clean data of a form draws by itself (plausibility warnings it may carry), as
    (code, check): rows of a table are compared with this, so that a test sees only what it planted."""
    write_summary(tmp_path / "own.xlsx", cat, "基线", form_id, _three(cat, form_id)[:1])
    return {(x.code, x.check) for x in yjzl.validate(tmp_path / "own.xlsx", cat).files[0].findings}


def _new(f, own: set[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """A row's findings beyond the clean data's own."""
    return [(x.code, x.cells) for x in f.findings if (x.code, x.check) not in own]


def _quiet(cat) -> list[dict[str, object]]:
    """Three 表4（乡镇卫生院） rows of the shipped clean data, which draws no finding at all (pinned by
    tests/test_validate_examples.py): exact-finding tests plant their flaw in one of them."""
    return _three(cat, "T4M")


def _three(cat, form_id: str) -> list[dict[str, object]]:
    """The shipped clean example, three times over, under three names and codes."""
    roles = {f.role: f.id for f in cat.forms[form_id].fields if f.role}
    rows = []
    for n, who in enumerate(["甲", "乙", "丙"]):
        v = dict(clean(form_id))
        if "name" in roles:
            v[roles["name"]] = f"{who}医院"
        if "code" in roles:
            v[roles["code"]] = f"1234567{n}-{org_check_digit(f'1234567{n}')}"  # valid GB 11714 codes
        if "name" not in roles:
            v[roles["region"]] = f"{who}市"
        rows.append(v)
    return rows


@pytest.mark.parametrize("form_id", FORMS)
def test_a_summary_table_computes_what_the_example_workbook_computes(tmp_path: Path, cat, form_id: str) -> None:
    code = cat.forms[form_id].code
    example = yjzl.compute(ROOT / "examples" / f"{code}-clean.xlsx", cat)
    write_summary(tmp_path / "s.xlsx", cat, f"{code}汇总", form_id, _three(cat, form_id), units=True)
    table = yjzl.compute(tmp_path / "s.xlsx", cat)
    assert [f.forms[0].row for f in table.files] == [3, 4, 5]  # header row 1, unit row 2
    assert _values(table) == _values(example) * 3
    assert all(f.forms[0].layout_name == "summary" for f in table.files)


@pytest.mark.parametrize("form_id", ["T3", "T4M"])
def test_a_long_table_computes_what_the_example_workbook_computes(tmp_path: Path, cat, form_id: str) -> None:
    code = cat.forms[form_id].code
    example = yjzl.compute(ROOT / "examples" / f"{code}-clean.xlsx", cat)
    rows = _three(cat, form_id)
    write_long(tmp_path / "l.xlsx", cat, "数据", [(form_id, r) for r in rows])
    table = yjzl.compute(tmp_path / "l.xlsx", cat)
    assert _values(table) == _values(example) * 3
    assert [(f.forms[0].name, f.forms[0].layout_name) for f in table.files] == [
        ("甲医院", "long"), ("乙医院", "long"), ("丙医院", "long")]
    by_id = yjzl.compute(write_long(tmp_path / "i.xlsx", cat, "数据", [(form_id, rows[0])], by_id=True) and tmp_path / "i.xlsx", cat)
    assert _values(by_id) == _values(example)  # the field named by its catalogue id


def test_clean_rows_have_no_findings_and_a_flaw_is_cited_in_its_own_row_only(tmp_path: Path, cat) -> None:
    rows = _quiet(cat)
    rows[1]["outpatient_visits"] = "约100"
    where = write_summary(tmp_path / "s.xlsx", cat, "汇总", "T4M", rows)
    report = yjzl.validate(tmp_path / "s.xlsx", cat)
    found = [[(x.code, x.cells) for x in f.findings] for f in report.files]
    assert found == [[], [("YJ003", [f"汇总!{where[(1, 'outpatient_visits')]}"])], []]
    assert where[(1, "outpatient_visits")].endswith("3")  # header row 1, rows 2, 3, 4
    assert [f.forms[0].name for f in report.files] == ["甲医院", "乙医院", "丙医院"]
    assert report.summary()["files"] == 1 and report.summary()["submissions"] == 3


def test_the_table_output_groups_findings_by_submitter(tmp_path: Path, cat, run) -> None:
    rows = _quiet(cat)
    rows[2]["outpatient_visits"] = "约100"
    write_summary(tmp_path / "s.xlsx", cat, "汇总", "T4M", rows)
    r = run("validate", str(tmp_path / "s.xlsx"))
    assert r.code == 1
    assert f"表4（乡镇卫生院）「汇总」第 4 行 丙医院，{rows[2]['org_code']}" in r.out
    assert "表4（乡镇卫生院）「汇总」其余 2 行没有问题" in r.out and "第 2 行" not in r.out  # counted, not listed
    assert "共 1 个文件（3 份填报）：1 个错误" in r.out


def test_notes_per_field_and_per_row_explain_warnings(tmp_path: Path, cat) -> None:
    rows = _three(cat, "T3")[:2]
    for r in rows:
        r["bed_occupancy"] = 250  # outside its plausible range: a warning (and a recompute warning)
    extra = {"床位使用率说明": ["本院确有加床", None], "说明": [None, "整行说明"]}
    write_summary(tmp_path / "s.xlsx", cat, "表3汇总", "T3", rows, extra=extra)
    report = yjzl.validate(tmp_path / "s.xlsx", cat)
    for f, note in zip(report.files, ["本院确有加床", "整行说明"]):
        warnings = [x for x in f.findings if x.severity == "warning" and x.check.startswith("t34.bed_occupancy")]
        assert warnings and all(x.explained for x in warnings)
        assert {x.explanation for x in warnings} == {note}
    assert all(x.explained for x in report.files[1].findings if x.severity == "warning")  # the row's 说明: all


def test_a_member_row_meets_only_the_lead_its_consortium_column_names(tmp_path: Path, cat) -> None:
    # 表3 check: 表3（成员单位）份数 + 1 ≤ 参与医联体建设的成员数量. Lead 甲 has 2 members and says 2:
    # 2 + 1 = 3 > 2, a warning; lead 乙 has 1 member and says 2: 1 + 1 = 2 ≤ 2, none.
    # Taking all three members for either lead would give 3 + 1 = 4 > 2 for both.
    leads = _three(cat, "T3")[:2]
    for lead in leads:
        lead["consortium_members"] = 2
    members = _three(cat, "T3M")
    wb = openpyxl.Workbook()
    summary_sheet(wb.active, cat, "T3", leads)
    wb.active.title = "表3"
    summary_sheet(wb.create_sheet("成员单位"), cat, "T3M", members,
                  extra={"所属医联体": ["甲医院", "12345671-X", "甲医院"]})
    wb.save(tmp_path / "t.xlsx")
    report = yjzl.validate(tmp_path / "t.xlsx", cat)
    count = [[x for x in f.findings if "份数" in x.message] for f in report.files[:2]]
    assert [len(c) for c in count] == [1, 0]
    assert "（3）" in count[0][0].message


def test_a_csv_summary_table(tmp_path: Path, cat) -> None:
    rows = _three(cat, "T4M")[:2]
    fields = [f for f in cat.forms["T4M"].fields if not f.supplement]
    lines = [",".join(f.label for f in fields)] + [",".join("" if r.get(f.id) is None else str(r.get(f.id)) for f in fields) for r in rows]
    (tmp_path / "表4（乡镇卫生院）汇总.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = yjzl.compute(tmp_path / "表4（乡镇卫生院）汇总.csv", cat)
    example = yjzl.compute(ROOT / "examples" / "表4（乡镇卫生院）-clean.xlsx", cat)
    assert _values(report) == _values(example) * 2
    assert [f.forms[0].row for f in report.files] == [2, 3]


@pytest.mark.parametrize(("name", "form"), [("工作表1", None), ("表1", "T1"), ("表 1", "T1"), ("表一", "T1"),
                                            ("表1（省级）", "T1"), ("表10", None), ("表3汇总", "T3"), ("Sheet1", None)])
def test_sheet_names_match_as_whole_tokens(cat, name: str, form: str | None) -> None:
    from yjzl.workbook.layout import form_by_sheet_name

    found = form_by_sheet_name(name, cat)
    assert (found.id if found else None) == form


def test_a_clean_form_in_a_sheet_named_gongzuobiao1_is_recognised_by_its_labels(tmp_path: Path, cat) -> None:
    from tests.builders import SheetSpec, write_workbook

    write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec("工作表1", "T3", clean("T3"))])
    report = yjzl.validate(tmp_path / "x.xlsx", cat)
    example = yjzl.validate(ROOT / "examples" / "表3-clean.xlsx", cat)
    assert [(x.form, x.identified_by) for x in report.files[0].forms] == [("T3", "title")]
    assert [(x.code, x.check) for x in report.files[0].findings] == [(x.code, x.check) for x in example.files[0].findings]


def test_a_row_and_a_workbook_of_the_same_submitter_pair_across_periods(tmp_path: Path, cat) -> None:
    from tests.builders import SheetSpec, write_workbook

    # 平均住院日 8.5 now (a table row); 10.0 two periods back (a printed workbook, same 机构代码 as row 甲).
    rows = _three(cat, "T3")[:2]
    for r in rows:
        r["alos"] = 8.5
    write_workbook(tmp_path / "o1.xlsx", cat, [SheetSpec("表3", "T3", dict(rows[0], alos=9.0))])
    write_workbook(tmp_path / "o2.xlsx", cat, [SheetSpec("表3", "T3", dict(rows[0], alos=10.0))])
    write_summary(tmp_path / "s.xlsx", cat, "表3汇总", "T3", rows)
    report = yjzl.compute(tmp_path / "s.xlsx", cat, previous=[tmp_path / "o1.xlsx", tmp_path / "o2.xlsx"])
    change = [next(i for i in f.indicators if i.id == "alos_change") for f in report.files]
    assert change[0].value == -1.5  # 8.5 − 10.0
    assert change[1].value is None and "找不到同一填报单位" in (change[1].reason or "")  # 乙 has no earlier period


def test_group_by_and_report_take_table_rows_as_submissions(tmp_path: Path, cat, run) -> None:
    rows = _three(cat, "T3")
    rows[2]["region"] = "乙市"
    rows[0]["region"] = rows[1]["region"] = "甲市"
    write_summary(tmp_path / "s.xlsx", cat, "表3汇总", "T3", rows)
    report = yjzl.compute(tmp_path / "s.xlsx", cat, group_by="region")
    groups = {(g.group, g.indicator.id): g for g in report.groups}
    assert groups[("甲市", "bed_occupancy_by_bed_days")].contributing == [f"{tmp_path / 's.xlsx'}!表3汇总!2", f"{tmp_path / 's.xlsx'}!表3汇总!3"]
    r = run("report", str(tmp_path / "s.xlsx"), "-o", str(tmp_path / "r.html"))
    assert r.code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert all(name in page for name in ("甲医院", "乙医院", "丙医院"))


def test_annotate_marks_the_flawed_row_of_a_table(tmp_path: Path, cat, run) -> None:
    rows = _quiet(cat)
    rows[1]["outpatient_visits"] = "约100"
    where = write_summary(tmp_path / "s.xlsx", cat, "汇总", "T4M", rows)
    r = run("validate", str(tmp_path / "s.xlsx"), "--annotate", str(tmp_path / "a.xlsx"))
    assert r.code == 1
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["汇总"]
    marked = [c.coordinate for row in ws.iter_rows() for c in row if c.comment]
    assert marked == [where[(1, "outpatient_visits")]]


def test_a_printed_form_in_three_label_value_pairs_across_is_not_a_summary_table(tmp_path: Path, cat) -> None:
    v = clean("T4M")
    fields = [f for f in cat.forms["T4M"].fields if not f.supplement]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表4（乡镇卫生院）"
    for i in range(0, len(fields), 3):  # 指标 | 数值 | 指标 | 数值 | 指标 | 数值
        ws.append([x for f in fields[i:i + 3] for x in (f.label, v.get(f.id))])
    wb.save(tmp_path / "p.xlsx")
    from yjzl.workbook.layouts import summary
    from yjzl.workbook.layouts.common import head
    from yjzl.workbook.xlsx import read_workbook

    sheet = read_workbook(tmp_path / "p.xlsx").sheets[0]
    assert summary.detect(sheet, head(sheet), cat) is None


def test_a_csv_long_table_with_a_form_column_holds_two_forms(tmp_path: Path, cat) -> None:
    lines = ["机构代码,表,指标,数值"]
    for form_id, code in (("T3", "A1"), ("T4M", "B1")):
        v = clean(form_id)
        lines += [f"{code},{cat.forms[form_id].code},{f.label},{v[f.id]}" for f in cat.forms[form_id].fields if f.id in v
                  and f.role != "code"]
    (tmp_path / "数据.csv").write_text("\n".join(lines) + "\n", encoding="gb18030")
    report = yjzl.compute(tmp_path / "数据.csv", cat)
    examples = [yjzl.compute(ROOT / "examples" / f"{c}-clean.xlsx", cat) for c in ("表3", "表4（乡镇卫生院）")]
    assert [(f.forms[0].form, f.forms[0].org_code, f.forms[0].identified_by) for f in report.files] == [
        ("T3", "A1", "form column"), ("T4M", "B1", "form column")]
    assert _values(report) == _values(examples[0]) + _values(examples[1])


def test_a_table_in_a_sheet_named_sheet1_is_recognised_by_its_header(tmp_path: Path, cat, run) -> None:
    rows = _three(cat, "T4M")[:1]
    write_summary(tmp_path / "s.xlsx", cat, "Sheet1", "T4M", rows)
    r = run("validate", str(tmp_path / "s.xlsx"), "--format", "json")
    assert r.code == 0 and '"identified_by": "header"' in r.out and '"layout_name": "summary"' in r.out


def test_scoring_scores_each_row_as_the_example_workbook(tmp_path: Path, cat) -> None:
    scheme = ROOT / "examples" / "scoring-sample.yaml"  # a 表2 scheme: each city row is scored on its own
    example = yjzl.compute(ROOT / "examples" / "表2-clean.xlsx", cat, scoring=scheme)
    write_summary(tmp_path / "s.xlsx", cat, "表2汇总", "T2", _three(cat, "T2"))
    table = yjzl.compute(tmp_path / "s.xlsx", cat, scoring=scheme)
    assert len(example.scores) == 1 and example.scores[0].total > 0
    assert [(s.total, s.maximum) for s in table.scores] == [(s.total, s.maximum) for s in example.scores] * 3


def test_one_workbook_mixes_a_printed_lead_and_a_summary_of_its_members(tmp_path: Path, cat) -> None:
    # The printed 表3 says 2 members; the 成员单位 summary holds 3 rows: 3 + 1 = 4 > 2, one warning on the lead
    # (the run holds one lead of 表3, so every 表3（成员单位） row is its member).
    from tests.builders import SheetSpec, write_workbook

    lead = dict(clean("T3"), consortium_members=2)
    write_workbook(tmp_path / "m.xlsx", cat, [SheetSpec("表3", "T3", lead)])
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    summary_sheet(wb.create_sheet("成员单位"), cat, "T3M", _three(cat, "T3M"))
    wb.save(tmp_path / "m.xlsx")
    report = yjzl.validate(tmp_path / "m.xlsx", cat)
    assert [(f.forms[0].form, f.forms[0].layout_name, f.forms[0].row) for f in report.files] == [
        ("T3", "form", None), ("T3M", "summary", 2), ("T3M", "summary", 3), ("T3M", "summary", 4)]
    count = [x for x in report.files[0].findings if "份数" in x.message]
    assert len(count) == 1 and "（4）" in count[0].message
    own = _own(cat, "T3M", tmp_path)
    assert all(_new(f, own) == [] for f in report.files[1:])


def test_every_layout_is_one_unit_tried_in_the_registry_order(monkeypatch: pytest.MonkeyPatch, cat) -> None:
    """read_sheet knows no layout by name: it asks each registered unit in turn, and the first that
    detects its shape reads the sheet."""
    import types

    from yjzl.workbook import layouts
    from yjzl.workbook.cells import Cell, Sheet
    from yjzl.workbook.model import FormData

    for unit in layouts.LAYOUTS:
        assert isinstance(unit.NAME, str) and callable(unit.detect) and callable(unit.submissions)
    asked: list[str] = []

    def unit(name: str, shape: object) -> types.SimpleNamespace:
        def detect(sheet, top, cat):
            asked.append(name)
            return shape

        def submissions(sheet, found, reading):
            yield FormData(reading.file, sheet.name, "T3", f"{name}:{found}", layout_name=name)
        return types.SimpleNamespace(NAME=name, detect=detect, submissions=submissions)

    monkeypatch.setattr(layouts, "LAYOUTS", (unit("never", None), unit("mine", "shape"), unit("after", "x")))
    sheet = Sheet("任意", False)
    sheet.cells[(1, 1)] = Cell("x")
    got = list(layouts.read_sheet(sheet, cat, "f.xlsx", {}, None, []))
    assert asked == ["never", "mine"] and [(d.layout_name, d.identified_by) for d in got] == [("mine", "mine:shape")]
