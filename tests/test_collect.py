"""`yjzl collect`: the shipped examples into one summary table per form, and back through compute."""

from __future__ import annotations

from pathlib import Path

import openpyxl

import yjzl

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.xlsx"))


def _by_submission(report) -> list[tuple[str, tuple]]:
    """(form, every indicator's (id, value, status)) of each submission, sorted: the order of rows may differ."""
    return sorted(((f.forms[0].form, tuple((i.id, i.value, i.status) for i in f.indicators))
                   for f in _split(report) if not f.error), key=repr)


def _split(report) -> list:
    """One entry per submission: a printed workbook holding several forms is split by form and sheet."""
    from yjzl.report import FileReport

    out = []
    for f in report.files:
        for x in f.forms:
            part = FileReport(f.file, forms=[x])
            part.indicators = [i for i in f.indicators if i.form == x.form and i.sheet in (x.sheet, None)]
            out.append(part)
    return out


def test_collect_then_compute_gives_the_numbers_of_the_workbooks(tmp_path: Path, cat, run) -> None:
    out = tmp_path / "汇总.xlsx"
    r = run("collect", *map(str, EXAMPLES), "-o", str(out))
    assert r.code == 0, r.err
    direct = yjzl.compute(EXAMPLES, cat)
    again = yjzl.compute(out, cat)
    assert len(_by_submission(again)) == len(_by_submission(direct)) == 15
    assert _by_submission(again) == _by_submission(direct)


def test_the_summary_workbook_layout(tmp_path: Path, cat) -> None:
    out = tmp_path / "汇总.xlsx"
    count, problems = yjzl.collect([ROOT / "examples" / "表3-医联体.xlsx", ROOT / "examples" / "表3-flawed.xlsx"], out, cat)
    assert (count, problems) == (4, [])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["表3", "表3（成员单位）"]
    ws = wb["表3"]
    header = [c.value for c in ws[1]]
    labels, seen = [], set()  # an item printed twice: its second column marked, every header unique
    for f in cat.forms["T3"].fields:
        if not f.supplement:
            labels.append(f.label + ("（重复项）" if f.label in seen else ""))
            seen.add(f.label)
    assert "日间手术例次数（重复项）" in labels and len(set(labels)) == len(labels)
    assert header[0] == "序号" and [h for h in header[1:] if not h.endswith("说明")][:len(labels)] == labels
    assert header[-4:] == ["来源文件", "来源工作表", "错误数", "警告数"]
    # a second header row of units (the summary layout reads it as such); frozen below it, filtered on it
    units = [c.value for c in ws[2]]
    fields = {f.label: f for f in cat.forms["T3"].fields}
    assert [u or "" for u in units[1:len(labels) + 1]] == [f.unit or "" for f in cat.forms["T3"].fields if not f.supplement]
    name_col = header.index(next(f.label for f in cat.forms["T3"].fields if f.role == "name")) + 1
    assert fields and ws.freeze_panes == f"{openpyxl.utils.get_column_letter(name_col + 1)}3"
    assert ws.auto_filter.ref == f"A2:{openpyxl.utils.get_column_letter(len(header))}4"
    flawed = {h: c.value for h, c in zip(header, ws[4])}
    assert flawed["住院危重患者抢救人次数"] == "约100"  # kept as typed, not dropped
    assert (flawed["错误数"], flawed["警告数"]) == tuple(
        sum(1 for x in yjzl.validate(ROOT / "examples" / "表3-flawed.xlsx", cat).files[0].findings if x.severity == s)
        for s in ("error", "warning"))
    members = wb["表3（成员单位）"]
    mh = [c.value for c in members[1]]
    lead_code = {h: c.value for h, c in zip(header, ws[3])}["医院组织机构代码"]
    assert [r[mh.index("所属医联体")] for r in members.iter_rows(min_row=3, values_only=True)] == [lead_code, lead_code]


def test_cross_form_findings_survive_the_round_trip(tmp_path: Path, cat) -> None:
    out = tmp_path / "汇总.xlsx"
    yjzl.collect(ROOT / "examples" / "表3-医联体.xlsx", out, cat)
    before = [x.message for x in yjzl.validate(ROOT / "examples" / "表3-医联体.xlsx", cat).files[0].findings if x.form == "T3"]
    after = [x.message for x in yjzl.validate(out, cat).files[0].findings]
    assert before and after == before  # e.g. 表3（成员单位）份数 + 1 ≤ 参与医联体建设的成员数量


def test_unreadable_inputs_are_listed_in_the_summary(tmp_path: Path, cat, run) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    r = run("collect", str(ROOT / "examples" / "表1-clean.xlsx"), str(bad), "-o", str(out))
    assert r.code == 1 and "坏.xlsx" in r.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["表1", "未能读取的文件"]
    assert wb["未能读取的文件"]["A2"].value == str(bad)


def test_collect_never_overwrites_an_input(tmp_path: Path, run) -> None:
    src = tmp_path / "表1.xlsx"
    src.write_bytes((ROOT / "examples" / "表1-clean.xlsx").read_bytes())
    before = src.read_bytes()
    r = run("collect", str(src), "-o", str(src))
    assert r.code == 2 and src.read_bytes() == before


def test_nothing_to_collect_writes_nothing(tmp_path: Path, run) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    r = run("collect", str(bad), "-o", str(tmp_path / "汇总.xlsx"))
    assert r.code == 2 and "没有可汇总的填报" in r.err and "坏.xlsx" in r.err
    assert not (tmp_path / "汇总.xlsx").exists()
