"""Suspected duplicates without a roster (疑似重复报送): one form, one submitter, one statistics period, twice.

Said in every output, never subtracted: a name match is a guess, and with --roster the later copies are set aside
(tests/test_supervisor.py). Real workbooks built with tests/builders.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import openpyxl
import pytest

import yjzl
from examples.build_examples import clean
from tests.builders import SheetSpec, write_workbook
from tests.test_supervisor import uscc

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
A, B = uscc("370202", "49557001"), uscc("370282", "49557002")
H1_2019 = "2019-01-01:2019-06-30"  # the forms say 2019年上半年 (a bare 2019 would be the whole year, issue 25 §1)


def t3(path: Path, cat, mtime: float, **values: object) -> str:
    """A 表3 with the clean example's values and `values` over them; its file time set; its key returned."""
    v = {**clean("T3"), "day_surgery_cases": 100, "day_surgery_cases_2": 100, "period": "2019年上半年", **values}
    write_workbook(path, cat, [SheetSpec("表3", "T3", v)])
    os.utime(path, (mtime, mtime))
    return f"{path}!表3"


@pytest.fixture
def hospitals(tmp_path: Path, cat) -> dict[str, str]:
    """甲医院 twice (a first upload and a corrected one, filled in nine days later but with an older file time, its
    code typed with a space and in lower case), 乙医院 once. 三四级手术: 甲 300/1000, 甲-修改 350/1000, 乙 200/1000."""
    d = tmp_path / "各市"
    d.mkdir()
    return {
        "甲": t3(d / "表3-甲医院.xlsx", cat, 1_700_000_000, hospital_name="甲医院", org_code=A, fill_date="2019-07-01",
                grade34_surgeries=300, total_surgeries=1000),
        "甲-修改": t3(d / "表3-甲医院-修改.xlsx", cat, 1_600_000_000, hospital_name="甲医院", fill_date="2019-07-10",
                    org_code=A[:9].lower() + " " + A[9:], grade34_surgeries=350, total_surgeries=1000),
        "乙": t3(d / "表3-乙医院.xlsx", cat, 1_700_000_000, hospital_name="乙医院", org_code=B,
                grade34_surgeries=200, total_surgeries=1000),
    }


def share(result) -> float | None:
    return next(g.indicator.value for g in result.groups if g.indicator.id == "grade34_surgery_share")


def test_a_form_sent_twice_is_said_and_both_copies_still_count(hospitals: dict[str, str], tmp_path: Path, cat) -> None:
    result = yjzl.compute([tmp_path / "各市"], cat, group_by="all")
    # Both copies of 甲 are in the total: (300 + 350 + 200) / (1000 + 1000 + 1000) = 850/3000 = 28.33 %
    assert share(result) == 28.33 and not result.left_out
    (d,) = result.duplicates
    # the corrected copy first: the later 填报日期 (never the file time), as a roster would choose (progress.choose)
    assert (d.form, d.name, d.org_code, d.region, d.statistics_period, d.submissions, d.matched_by) == (
        "表3", "甲医院", A[:9].lower() + " " + A[9:], None, H1_2019, [hospitals["甲-修改"], hospitals["甲"]], "org_code")


def test_json_table_and_english(run, hospitals: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "各市"
    res = run("compute", folder, "--group-by", "all", "--format", "json")
    assert res.code == 0 and res.err == ""
    assert json.loads(res.out)["duplicates"] == [{
        "form": "表3", "name": "甲医院", "org_code": A[:9].lower() + " " + A[9:], "region": None,
        "statistics_period": H1_2019, "submissions": [hospitals["甲-修改"], hospitals["甲"]], "matched_by": "org_code",
        "why": "填报日期较晚（2019-07-10）"}]
    res = run("compute", folder, "--group-by", "all")
    assert res.code == 0 and res.err == ""
    lines = res.out.splitlines()
    at = lines.index("疑似重复报送 1 组（同一机构代码、同一表、同一统计周期）：")
    assert lines[at + 1] == (f"  表3 甲医院（2019年上半年）：{hospitals['甲-修改']}、{hospitals['甲']}"
                             "；名单下以第一份为准：填报日期较晚（2019-07-10）")
    assert lines[at + 2] == "合计与分组中每一份都计入；用 --roster 名单可只计一份"
    assert lines[at + 3].startswith("共 3 个文件、3 份填报")
    en = run("compute", folder, "--lang", "en").out.splitlines()
    at = en.index("suspected duplicates, 1 group(s) (the same organisation code, form and statistics period):")
    assert en[at + 1] == (f"  表3 甲医院 (2019 H1): {hospitals['甲-修改']}, {hospitals['甲']}"
                          "; with a roster the first counts: the later date filled in (2019-07-10)")
    assert en[at + 2] == "every copy counts in the totals and groups; --roster ROSTER counts one only"


def test_jsonl_xlsx_and_csv(run, hospitals: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "各市"
    records = [json.loads(x) for x in run("compute", folder, "--format", "jsonl").out.splitlines()]
    kinds = [r["record"] for r in records]
    assert kinds.count("duplicate") == 1 and kinds[-2:] == ["duplicate", "summary"]
    doc = json.loads(run("compute", folder, "--format", "json").out)
    assert {k: v for k, v in records[-2].items() if k != "record"} == doc["duplicates"][0]
    out = tmp_path / "汇总.xlsx"
    assert run("compute", folder, "-o", out).code == 0
    ws = openpyxl.load_workbook(out)["疑似重复报送"]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["表", "名称", "机构代码", "地区", "统计周期", "依据", "各份填报（名单下以第一份为准）", "原因"],
        ["表3", "甲医院", A[:9].lower() + " " + A[9:], None, H1_2019, "同一机构代码", f"{hospitals['甲-修改']}; {hospitals['甲']}",
         "填报日期较晚（2019-07-10）"]]
    # csv is the main table only (as with the roster): every submission's rows, both copies of 甲 among them
    rows = list(csv.DictReader(io.StringIO(run("compute", folder, "--format", "csv").out)))
    assert len({r["file"] for r in rows}) == 3


def test_with_a_roster_the_rosters_own_table_and_no_suspicion(hospitals: dict[str, str], tmp_path: Path, cat) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_text(f"名称,机构代码\n甲医院,{A}\n乙医院,{B}\n", encoding="utf-8")
    result = yjzl.compute([tmp_path / "各市"], cat, group_by="all", roster=roster)
    assert result.duplicates == []
    (dup,) = result.roster.duplicates
    assert dup.submissions == [hospitals["甲-修改"], hospitals["甲"]] and dup.why == "填报日期较晚（2019-07-10）"
    assert share(result) == 27.5  # the first upload set aside: (350 + 200) / 2000 = 27.5 %


def test_same_name_without_codes_is_a_match_by_name(tmp_path: Path, cat) -> None:
    # no code in either; the names differ only by a full-width space and full-width letters (NFKC, no spaces)
    first = t3(tmp_path / "a.xlsx", cat, 1_700_000_000, hospital_name="ＸＹ 甲医院", org_code=None)
    second = t3(tmp_path / "b.xlsx", cat, 1_700_000_000, hospital_name="XY甲医院", org_code=None)
    (d,) = yjzl.compute([tmp_path], cat).duplicates
    assert (d.matched_by, d.org_code, d.submissions) == ("name", None, [first, second])  # same time: file order
    # one copy with a code, one without: not matched (the code is the surer name; a guess is not made across)
    t3(tmp_path / "b.xlsx", cat, 1_700_000_000, hospital_name="XY甲医院", org_code=A)
    assert yjzl.compute([tmp_path], cat).duplicates == []


def test_same_code_another_period_is_not_a_duplicate(tmp_path: Path, cat) -> None:
    t3(tmp_path / "2018.xlsx", cat, 1_700_000_000, hospital_name="甲医院", org_code=A, period="2018")
    t3(tmp_path / "2019.xlsx", cat, 1_700_000_000, hospital_name="甲医院", org_code=A, period="2019")
    assert yjzl.compute([tmp_path], cat).duplicates == []
    # --period puts both in one period: their values are then added as one period's, so they are said
    (d,) = yjzl.compute([tmp_path], cat, period="2019H1").duplicates
    assert d.statistics_period == H1_2019 and len(d.submissions) == 2


def test_a_provinces_form_1_twice_by_its_region_but_a_citys_form_2_not_by_its_province(run, tmp_path: Path, cat) -> None:
    for n in (1, 2):
        write_workbook(tmp_path / f"表1-{n}.xlsx", cat, [SheetSpec("表1", "T1", {**clean("T1"), "region": "陕西省"})])
        os.utime(tmp_path / f"表1-{n}.xlsx", (1_700_000_000, 1_700_000_000))  # same time: file order
    # Two cities' 表2: the form prints “省（区、市），新疆生产建设兵团” (seed 004 line 617, as 表1 at line 346), so
    # both name their province; without a 填报单位 they are two cities, not one sent twice.
    for n in (1, 2):
        write_workbook(tmp_path / f"表2-{n}.xlsx", cat, [SheetSpec("表2", "T2", {**clean("T2"), "region": "陕西省"})])
    (d,) = yjzl.compute([tmp_path], cat).duplicates
    assert (d.form, d.name, d.region, d.matched_by) == ("表1", None, "陕西省", "name")
    assert [Path(k).name for k in d.submissions] == ["表1-1.xlsx!表1", "表1-2.xlsx!表1"]
    out = run("compute", tmp_path).out
    assert "疑似重复报送 1 组（同一地区（省级填报，无名称）、同一表、同一统计周期）：" in out
    # the same city's 表2 twice, named by its 填报单位: said
    for n in (1, 2):
        write_workbook(tmp_path / f"表2-{n}.xlsx", cat, [SheetSpec("表2", "T2", {**clean("T2"), "region": "陕西省",
                                                                             "submitter": "西安市卫生健康委员会"})])
    assert [(d.form, d.name) for d in yjzl.compute([tmp_path], cat).duplicates] == [("表1", None), ("表2", "西安市卫生健康委员会")]
    lines = run("compute", tmp_path).out.splitlines()  # two kinds of match: the heading says both, each line its own
    at = lines.index("疑似重复报送 2 组（同一机构代码或名称、同一表、同一统计周期）：")
    assert lines[at + 1].startswith("  表1 陕西省（2019年上半年，同一地区（省级填报，无名称））：")
    assert lines[at + 2].startswith("  表2 西安市卫生健康委员会（2019年上半年，同一名称（无机构代码））：")


def test_the_examples_clean_and_flawed_are_one_unit_each(cat) -> None:
    """examples/*-clean.xlsx and *-flawed.xlsx are the same 示例 units: said. 表1, 表2 print no region there: not."""
    dups = yjzl.compute([EXAMPLES], cat).duplicates
    assert [(d.form, d.name, len(d.submissions)) for d in dups] == [
        ("表3", "示例医院", 4),  # clean, flawed, the consortium's lead and the Beijing overlay's example
        ("表3（成员单位）", "示例市第二医院", 2),  # the consortium example's two members have codes of their own
        ("表4", "示例县人民医院", 2), ("表4（乡镇卫生院）", "示例镇中心卫生院", 2)]
    assert {d.matched_by for d in dups} == {"org_code"}


def test_a_hash_shared_by_chance_is_never_a_match(monkeypatch) -> None:
    from yjzl.batch import duplicates
    from yjzl.batch.progress import Identity

    monkeypatch.setattr(duplicates, "hash", lambda key: 0, raising=False)  # every key in one bucket
    ids = [Identity(f"{n}.xlsx!表3", f"/nonexistent/{n}.xlsx", "表3", False, name, code, None, "2019")
           for n, (name, code) in enumerate([("甲", "A1"), ("乙", "B2"), ("甲", " a-1 "), ("丙", None), ("丙", None)])]
    found = duplicates.suspected(ids, lambda i: i)
    assert [(d.name, d.matched_by, d.submissions) for d in found] == [
        ("甲", "org_code", ["0.xlsx!表3", "2.xlsx!表3"]), ("丙", "name", ["3.xlsx!表3", "4.xlsx!表3"])]


def test_the_report_shows_them_without_a_roster(run, hospitals: dict[str, str], tmp_path: Path) -> None:
    page = tmp_path / "报告.html"
    assert run("report", tmp_path / "各市", "-o", page).code == 0
    html = page.read_text(encoding="utf-8")
    section = html[html.index('<section id="duplicates">'):]
    section = section[:section.index("</section>")]
    assert "疑似重复报送（1）" in section and "同一机构代码" in section and "2019年上半年" in section
    assert section.count("<a href=") == 2 and '<a href="#duplicates">' in html  # both copies linked; in the contents
    roster = tmp_path / "名单.csv"
    roster.write_text(f"名称,机构代码\n甲医院,{A}\n乙医院,{B}\n", encoding="utf-8")
    assert run("report", tmp_path / "各市", "-o", page, "--roster", roster, "--force").code == 0
    html = page.read_text(encoding="utf-8")
    assert "疑似重复报送" not in html and '<h3 id="duplicates">重复报送（1）</h3>' in html


def test_a_split_report_lists_them_on_its_index_linked_into_the_parts(run, hospitals: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "报告"
    assert run("report", tmp_path / "各市", "-o", out, "--split", "always").code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    section = index[index.index('<section id="duplicates">'):]
    section = section[:section.index("</section>")]
    links = [x.split('"')[0] for x in section.split('<a href="')[1:]]
    assert len(links) == 2 and all(x.startswith("part-") and "#s" in x for x in links)
    for x in links:  # each link lands on a section of its part
        page, anchor = x.split("#")
        assert f'id="{anchor}"' in (out / page).read_text(encoding="utf-8")
    assert all("疑似重复报送" not in p.read_text(encoding="utf-8") for p in out.glob("part-*.html"))  # said once
