"""The supervisor's view: audit status in compute, --only-passing, the roster (未报送 / 名单外 / 重复报送)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import yjzl
from examples.build_examples import clean
from tests.builders import SheetSpec, write_workbook
from yjzl.errors import UsageProblem

ROOT_EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def org_code(body: str) -> str:
    """A 组织机构代码 with its GB 11714 check digit (weights 3 7 9 10 5 8 4 2, 11 − sum mod 11)."""
    val = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    c = 11 - sum(v * w for v, w in zip(val, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    return body + {10: "X", 11: "0"}.get(c, str(c))


def uscc(division: str, body: str) -> str:
    """A 统一社会信用代码 of a public institution (12…) in `division`, with both check characters."""
    from stdnum.cn import uscc as std

    head = "12" + division + org_code(body)
    return head + std.calc_check_digit(head)


A, B, C, D = uscc("370202", "49557001"), uscc("370282", "49557002"), uscc("370102", "49557003"), uscc("370203", "49557004")
ROSTER = ("名称,机构代码,地区,表,上级\n"
          "青岛市,370200,,表2,山东省\n"  # a city's own 表2 (its platform user name): never arrives → 未报送
          f"甲医院,{A},,表3,青岛市\n"
          f"乙医院,{B},,表3,青岛市\n"
          f"丙医院,{C},济南市,表3,\n")

# Each submission's 三四级手术占比 (grade34_surgeries / total_surgeries), and who it is.
#   甲 300/1000 (passes), 乙 twice (2019: 200/1000 counts, 2018: 999/1000 set aside as the older),
#   丙 100/2000 with one logic error (远程医疗 下级医院数 > 覆盖的医院数), found by name (its code is mistyped),
#   丁 400/1000, on no roster (名单外).
UNITS = {
    "甲": dict(hospital_name="甲医院", org_code=A, grade34_surgeries=300, total_surgeries=1000, period="2019年上半年"),
    "乙-新": dict(hospital_name="乙医院", org_code=B, grade34_surgeries=200, total_surgeries=1000, period="2019年上半年"),
    "乙-旧": dict(hospital_name="乙医院", org_code=B, grade34_surgeries=999, total_surgeries=1000, period="2018年上半年"),
    "丙": dict(hospital_name="丙 医院", org_code=D[:-1] + "Y", grade34_surgeries=100, total_surgeries=2000, period="2019年上半年",
              telemedicine_lower_hospitals=70000, telemedicine_hospitals=63900),
    "丁": dict(hospital_name="丁医院", org_code=D, grade34_surgeries=400, total_surgeries=1000, period="2019年上半年"),
}


def folder(tmp_path: Path, cat) -> tuple[Path, Path]:
    sub = tmp_path / "报送"
    sub.mkdir()
    for stem, values in UNITS.items():
        v = {**clean("T3"), "day_surgery_cases": 100, "day_surgery_cases_2": 100, **values}
        write_workbook(sub / f"{stem}.xlsx", cat, [SheetSpec("表3", "T3", v)])
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return sub, roster


def share(result, group: str = "全部") -> tuple[float | None, int, list[str]]:
    g = next(g for g in result.groups if g.group == group and g.indicator.id == "grade34_surgery_share")
    return g.indicator.value, g.failing_included, [Path(x.submission.split("!")[0]).stem for x in g.left_out]


def test_compute_carries_each_submissions_audit_as_validate_finds_it(tmp_path: Path, cat) -> None:
    sub, _ = folder(tmp_path, cat)
    result = yjzl.compute([sub], cat)
    audits = {Path(f.file).stem: f.forms[0].audit for f in result.files}
    assert audits["丙"].errors == 1 and not audits["丙"].passed and "表3!" in audits["丙"].first_error
    for stem, a in audits.items():  # the same counts as `validate` of the file alone
        v = yjzl.validate(sub / f"{stem}.xlsx", cat).files[0]
        assert (a.errors, a.warnings_open) == (v.errors, v.open_warnings), stem
        assert a.passed == (v.errors == 0)
    assert result.summary()["passed"] == 4 and result.summary()["failed"] == 1


def test_only_passing_changes_the_group_ratio_as_worked_by_hand(tmp_path: Path, cat) -> None:
    sub, roster = folder(tmp_path, cat)
    # Without a roster every submission counts: (300+200+999+100+400)/(1000+1000+1000+2000+1000) = 1999/6000 = 33.32 %
    assert share(yjzl.compute([sub], cat, group_by="all")) == (33.32, 1, [])
    # With the roster, the older 乙 is set aside: (300+200+100+400)/(1000+1000+2000+1000) = 1000/5000 = 20 %,
    # one failing submission (丙) still inside.
    assert share(yjzl.compute([sub], cat, group_by="all", roster=roster)) == (20.0, 1, ["乙-旧"])
    # --only-passing leaves 丙 out too: (300+200+400)/(1000+1000+1000) = 900/3000 = 30 %.
    result = yjzl.compute([sub], cat, group_by="all", roster=roster, only_passing=True)
    assert share(result) == (30.0, 0, ["丙", "乙-旧"])
    reasons = {Path(x.submission.split("!")[0]).stem: x.reason for x in result.left_out}
    assert reasons["丙"].startswith("未通过逻辑审核：1 个错误") and reasons["乙-旧"].startswith("重复报送：乙医院")


def test_roster_lists_missing_strangers_and_duplicates_with_counts_per_region(tmp_path: Path, cat) -> None:
    sub, roster = folder(tmp_path, cat)
    r = yjzl.compute([sub], cat, roster=roster).roster
    assert [u.name for u in r.missing] == ["青岛市"]
    assert [(Path(s.submission.split("!")[0]).stem, s.region) for s in r.strangers] == [("丁", "山东省青岛市")]  # from its code
    (dup,) = r.duplicates
    assert [Path(k.split("!")[0]).stem for k in dup.submissions] == ["乙-新", "乙-旧"]
    assert dup.why == "统计年度较晚（2019年上半年）"
    progress = {u.unit.name: (len(u.submissions), u.passed) for u in r.units}
    assert progress == {"青岛市": (0, None), "甲医院": (1, True), "乙医院": (2, True), "丙医院": (1, False)}
    # 370200 names 青岛市, so 370202 and 370282 fall in 山东省青岛市; 丙医院's region is given.
    regions = {c.region: (c.expected, c.reported, c.missing, c.duplicates, c.strangers) for c in r.regions}
    assert regions == {"山东省青岛市": (3, 2, 1, 1, 1), "济南市": (1, 1, 0, 0, 0)}


def test_compute_json_and_table_show_the_roster(run, tmp_path: Path, cat) -> None:
    sub, roster = folder(tmp_path, cat)
    res = run("compute", sub, "--roster", roster, "--format", "json")
    doc = json.loads(res.out)
    assert res.code == 0
    assert [u["name"] for u in doc["roster"]["missing"]] == ["青岛市"]
    assert len(doc["roster"]["strangers"]) == 1 and len(doc["roster"]["duplicates"]) == 1
    assert {f["forms"][0]["audit"]["passed"] for f in doc["files"]} == {True, False}
    assert set(doc["files"][0]["forms"][0]["audit"]) == {"errors", "warnings_open", "warnings_explained", "passed", "first_error"}
    table = run("compute", sub, "--roster", roster, "--group-by", "all").out
    assert "名单" in table and "未报送 1，重复报送 1，名单外 1" in table and "5 份填报（审核通过 4，有错误 1）" in table
    assert "未报送（1）" in table and "重复报送（1）" in table and "名单外（1）" in table
    assert "分组与评分含 1 份有错误的填报（--only-passing 可排除）" in table
    table = run("compute", sub, "--roster", roster, "--group-by", "all", "--only-passing").out
    assert "未计入分组与评分的填报（2）" in table and "未通过逻辑审核" in table and "含 1 份有错误" not in table


def test_audit_columns_in_csv_table_and_xlsx(run, tmp_path: Path, cat) -> None:
    import openpyxl

    sub, _ = folder(tmp_path, cat)
    rows = list(csv.DictReader(io.StringIO(run("compute", sub, "--format", "csv", "--wide").out)))
    assert {Path(r["file"]).stem: (r["audit"], r["errors"]) for r in rows}["丙"] == ("failed", "1")
    table = run("compute", sub / "丙.xlsx").out
    assert "审核结果" in table and "有错误" in table and "待说明警告数" in table
    out = tmp_path / "指标.xlsx"
    assert run("compute", sub, "-o", out).code == 0
    ws = openpyxl.load_workbook(out)["指标"]
    head = [c.value for c in ws[1]]
    assert head[7:10] == ["审核结果", "错误数", "待说明警告数"]
    assert {r[7] for r in ws.iter_rows(min_row=2, values_only=True)} == {"通过", "有错误"}


def test_duplicates_with_the_same_period_and_time_are_both_shown(tmp_path: Path, cat) -> None:
    import os

    sub, roster = folder(tmp_path, cat)
    old = sub / "乙-旧.xlsx"
    write_workbook(old, cat, [SheetSpec("表3", "T3", {**clean("T3"), **UNITS["乙-新"], "day_surgery_cases": 100,
                                                       "day_surgery_cases_2": 100})])
    t = os.stat(sub / "乙-新.xlsx").st_mtime
    os.utime(old, (t, t))
    (dup,) = yjzl.compute([sub], cat, roster=roster).roster.duplicates
    assert [Path(k.split("!")[0]).stem for k in dup.submissions] == ["乙-新", "乙-旧"]  # file order
    assert "请核对" in dup.why
    os.utime(old, (t + 60, t + 60))  # a later file time decides nothing (copying or unzipping changes it)
    (dup,) = yjzl.compute([sub], cat, roster=roster).roster.duplicates
    assert [Path(k.split("!")[0]).stem for k in dup.submissions] == ["乙-新", "乙-旧"] and "请核对" in dup.why
    for stem, day in (("乙-新", "2019-07-05"), ("乙-旧", "2019年7月9日")):  # the later 填报日期 counts
        write_workbook(sub / f"{stem}.xlsx", cat, [SheetSpec("表3", "T3", {
            **clean("T3"), **UNITS["乙-新"], "day_surgery_cases": 100, "day_surgery_cases_2": 100, "fill_date": day})])
    os.utime(old, (t - 60, t - 60))
    (dup,) = yjzl.compute([sub], cat, roster=roster).roster.duplicates
    assert [Path(k.split("!")[0]).stem for k in dup.submissions] == ["乙-旧", "乙-新"]
    assert dup.why == "填报日期较晚（2019-07-09）"


def test_roster_from_xlsx_with_a_title_and_division_codes(tmp_path: Path, cat) -> None:
    import openpyxl

    from yjzl.batch.roster import load, region_of

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2019 年分级诊疗评估 报送名单"])
    ws.append(["序号", "单位名称", "行政区划代码", "所在地区", "上级单位"])
    ws.append([1, "山东省", 370000, None])  # typed as a number
    ws.append([2, "即墨区", "370282", None])
    ws.append([3, "青岛市", "370200", None])
    ws.append([4, "某县", "130123", "自填地区"])
    ws.append([5, "某县医院", "MB1234567", None, "某县"])  # no division in its code: its 上级's region
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    units = load(path, cat)
    assert [(u.name, u.org_code, u.region, u.line) for u in units] == [
        ("山东省", "370000", "山东省", 3), ("即墨区", "370282", "山东省青岛市", 4), ("青岛市", "370200", "山东省青岛市", 5),
        ("某县", "130123", "自填地区", 6), ("某县医院", "MB1234567", "自填地区", 7)]
    assert region_of("370282", {}) == "山东省青岛市"  # no row names the prefecture: the division table does
    assert region_of("379982", {}) == "山东省3799"  # nor does the table: its code keeps the units together
    assert region_of("99000", {}) is None and region_of("990000", {}) is None  # not a division


@pytest.mark.parametrize(("text", "message"), [
    ("单位,备注\n甲,x\n", "找不到表头"),
    ("名称,机构代码\n甲医院,1\n乙医院,1\n", "第 3 行与第 2 行是同一单位"),
    ("名称,表\n甲医院,表9\n", "名单.csv: 名单!B2: 没有这个表单"),
    ("名称,机构代码,地区\n,,青岛市\n", "名单!A2: 这一行没有名称也没有机构代码"),
])
def test_bad_rosters_are_usage_errors_naming_the_cell(tmp_path: Path, cat, text: str, message: str) -> None:
    from yjzl.batch.roster import load

    path = tmp_path / "名单.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageProblem, match=message):
        load(path, cat)


def test_report_opens_with_the_progress_table_and_lists_what_it_leaves_out(run, tmp_path: Path, cat) -> None:
    from tests.test_report_html import Tree, one_table, rows

    sub, roster = folder(tmp_path, cat)
    out = tmp_path / "报告.html"
    assert run("report", sub, "--roster", roster, "-o", out).code == 0
    html = out.read_text(encoding="utf-8")
    root = Tree(html).root
    # the page opens with what it comes to (yjzl/htmlreport/glance.py), then the progress table
    assert [s.attrs["id"] for s in root.all("section")[:2]] == ["glance", "progress"]
    table = one_table(root, "progress")
    got = {r[0]: (r[4], r[5], r[6], r[7]) for r in rows(table)}
    assert got == {"青岛市": ("✗ 未报送", "—", "", ""), "甲医院": ("✓ 已报送", "✓ 通过", "0", got["甲医院"][3]),
                   "乙医院": ("✓ 已报送收到 2 份", "✓ 通过", "0", got["乙医院"][3]),
                   "丙医院": ("✓ 已报送", "✗ 有错误", "1", got["丙医院"][3])}
    links = [a.attrs["href"] for a in table.all("a")]
    assert len(links) == 4  # 甲, 乙 twice, 丙
    ids = {s.attrs["id"] for s in root.all("section", "submission")}
    assert set(h[1:] for h in links) <= ids  # each link goes to a unit's section
    assert [r[0] for r in rows(one_table(root, "strangers"))] == ["丁医院"]
    assert rows(one_table(root, "duplicates"))[0][3] == "统计年度较晚（2019年上半年）"
    assert rows(one_table(root, "regions")) == [["山东省青岛市", "3", "2", "1", "1", "1"], ["济南市", "1", "1", "0", "0", "0"]]
    assert "乙医院（乙-旧）</a>：重复报送：乙医院 以 乙医院（乙-新） 为准</li>" in html
    assert "含 1 份有错误（未通过逻辑审核）的填报" in html
    assert run("report", sub, "--roster", roster, "--only-passing", "-o", out, "--force").code == 0  # replacing: --force
    html = out.read_text(encoding="utf-8")
    assert "丙 医院</a>：未通过逻辑审核：1 个错误（表3!B" in html and "含 1 份有错误" not in html


def test_report_reads_the_audit_counts_of_a_compute_document(run, tmp_path: Path, cat) -> None:
    from tests.test_report_html import Tree, one_table, rows

    sub, _ = folder(tmp_path, cat)
    doc, out = tmp_path / "指标.json", tmp_path / "r.html"
    assert run("compute", sub, "-o", doc).code == 0
    assert run("report", doc, "-o", out, "--only-passing").code == 0
    root = Tree(out.read_text(encoding="utf-8")).root
    counts = dict(r for r in rows(one_table(root, "counts")))  # type: ignore[misc]
    assert (counts["通过逻辑审核（无错误）"], counts["有错误（须修改）"]) == ("4", "1")
    assert "丙 医院</a>：未通过逻辑审核：1 个错误（表3!B" in out.read_text(encoding="utf-8")


def test_report_targets_met_column_and_options_that_do_not_break(run, tmp_path: Path, cat) -> None:
    from tests.test_report_html import Tree, one_table, rows

    sub, _ = folder(tmp_path, cat)
    out = tmp_path / "r.html"
    assert run("report", sub / "甲.xlsx", ROOT_EXAMPLES / "表1-clean.xlsx", "-o", out).code == 0
    html = out.read_text(encoding="utf-8")
    met = {r[1]: r[7] for r in rows(one_table(Tree(html).root, "submissions"))}
    # 表3 has a national target since issue 25 §2 (远程医疗覆盖医联体内基层医疗卫生机构, 2020): counted like 表1's
    assert met["表3"].count("/") == 1 and met["表1"].count("/") == 1
    # a report speaks to its reader: the trend it could not compute is one line, in words, with no option in it
    assert "--previous" not in html and "与前 2 期比较" in html


def test_forms_without_a_name_match_by_region_or_as_the_only_unit_of_their_form(tmp_path: Path, cat) -> None:
    sub = tmp_path / "省"
    sub.mkdir()
    write_workbook(sub / "省.xlsx", cat, [SheetSpec("表1", "T1", clean("T1"))])  # names nobody
    write_workbook(sub / "a.xlsx", cat, [SheetSpec("表2", "T2", {**clean("T2"), "region": "青岛 市"})])
    write_workbook(sub / "b.xlsx", cat, [SheetSpec("表2", "T2", clean("T2"))])  # names nobody, two 表2 expected
    roster = tmp_path / "名单.csv"
    roster.write_text("名称,机构代码,表\n山东省,370000,表1\n青岛市,370200,表2\n济南市,370100,表2\n", encoding="utf-8")
    r = yjzl.compute([sub], cat, roster=roster).roster
    got = {p.unit.name: [Path(k.split("!")[0]).stem for k in p.submissions] for p in r.units}
    assert got == {"山东省": ["省"], "青岛市": ["a"], "济南市": []}
    assert [Path(s.submission.split("!")[0]).stem for s in r.strangers] == ["b"]


def test_the_readme_walk_through_on_the_shipped_examples(run, tmp_path: Path) -> None:
    roster = ROOT_EXAMPLES / "名单-示例.tsv"
    assert run("compute", ROOT_EXAMPLES, "--format", "json").code == 0  # the roster is not taken for a submission
    doc = json.loads(run("compute", ROOT_EXAMPLES, "--roster", roster, "--format", "json").out)
    r = doc["roster"]
    assert [u["name"] for u in r["missing"]] == ["示例市第三医院"]
    assert {u["unit"]["name"] for u in r["units"]} == {"陕西省", "西安市", "示例医院", "示例市第三医院"}
    assert {u["unit"]["name"] for u in r["duplicates"]} >= {"陕西省", "西安市"}  # clean and flawed of 表1, 表2
    assert {s["form"] for s in r["strangers"]} == {"表4"}  # 表4's hospital is not on this roster
    assert {u["name"]: u["region"] for u in r["missing"]} == {"示例市第三医院": "陕西省西安市"}  # 610100 names 西安市
    out = tmp_path / "报告.html"
    assert run("report", ROOT_EXAMPLES, "--roster", roster, "--only-passing", "-o", out).code == 0
    assert '<section id="progress">' in out.read_text(encoding="utf-8")


def test_only_passing_leaves_failing_submissions_out_of_the_scores(tmp_path: Path, cat) -> None:
    sub, roster = folder(tmp_path, cat)
    scheme = tmp_path / "评分.yaml"
    scheme.write_text("scoring: {id: t, name: 三四级手术}\nitems:\n"
                      "  - {indicator: grade34_surgery_share, weight: 10, linear: {zero: 0, full: 40}}\n", encoding="utf-8")
    # linear 0 → 40 %: 甲 30 % → 7.5, 乙-新 20 % → 5, 乙-旧 99.9 % → 10, 丙 5 % → 1.25, 丁 40 % → 10
    scored = {Path(s.file).stem: s.total for s in yjzl.compute([sub], cat, scoring=scheme).scores}
    assert scored == {"甲": 7.5, "乙-新": 5.0, "乙-旧": 10.0, "丙": 1.25, "丁": 10.0}
    scored = {Path(s.file).stem: s.total for s in yjzl.compute([sub], cat, scoring=scheme, roster=roster, only_passing=True).scores}
    assert scored == {"甲": 7.5, "乙-新": 5.0, "丁": 10.0}  # 丙 fails, 乙-旧 is set aside


def test_printed_tables_fit_the_width_of_an_a4_page(run, tmp_path: Path) -> None:
    """Lay the page out with its print rules in a window as wide as A4's text (210 − 2 × 12 mm = 186 mm = 703 px)
    in Chromium and measure every table: none may reach past the right edge (they were clipped there in print)."""
    import shutil
    import subprocess

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium not installed: apt-get install chromium")
    # Long file names without a break (as exported by other systems) and English headers: the widest case.
    src = tmp_path / "in"
    src.mkdir()
    for n, f in enumerate(sorted(ROOT_EXAMPLES.glob("*.xlsx"))):
        shutil.copy(f, src / f"provincial_health_commission_submission_number_{n}_final_revised_version.xlsx")
    out = tmp_path / "r.html"
    assert run("report", src, "-o", out, "--lang", "en").code == 0
    html = out.read_text(encoding="utf-8").replace("@media print", "@media all")
    probe = ("<script>const edge = window.innerWidth + 0.5;"
             "const over = [...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right > edge);"
             "document.body.setAttribute('data-tables', document.querySelectorAll('table').length);"
             "document.body.setAttribute('data-over', over.map(t => t.className).join(' '));</script>")
    page = tmp_path / "print.html"
    page.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                          f"--user-data-dir={tmp_path / 'profile'}", "--window-size=703,1000", "--dump-dom",  # 186 mm at 96 dpi
                          page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    import re

    tables = re.search(r'data-tables="(\d+)"', dom.stdout)
    assert tables and int(tables.group(1)) > 20  # the probe ran over the whole page
    assert re.search(r'data-over="([^"]*)"', dom.stdout).group(1) == ""


def test_a_bad_roster_is_refused_before_any_file_is_read(run, tmp_path: Path, cat) -> None:
    sub, _ = folder(tmp_path, cat)
    bad = tmp_path / "名单.csv"
    bad.write_text("单位,备注\n甲,x\n", encoding="utf-8")
    for command in (["compute", sub], ["report", sub, "-o", tmp_path / "r.html"]):
        r = run(*command, "--roster", bad)
        assert r.code == 2 and "找不到表头" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "r.html").exists()
    broken = tmp_path / "名单.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    r = run("compute", sub, "--roster", broken)
    assert r.code == 2 and r.err.count("\n") <= 2 and "名单.xlsx" in r.err


def test_streamed_jsonl_and_the_split_report_carry_the_roster(run, tmp_path: Path, cat) -> None:
    sub, roster = folder(tmp_path, cat)
    lines = [json.loads(x) for x in run("compute", sub, "--roster", roster, "--only-passing", "--format", "jsonl").out.splitlines()]
    kinds = [x["record"] for x in lines]
    assert kinds[-2:] == ["roster", "summary"] and kinds.count("left_out") == 2
    assert [u["name"] for u in lines[-2]["missing"]] == ["青岛市"] and lines[-1]["failed"] == 1
    out = tmp_path / "报告"
    assert run("report", sub, "--roster", roster, "--split", "always", "-o", out).code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<section id="progress">' in index
    import re

    links = re.findall(r'<a href="(part-\d{3}\.html)#(s\d+)">([^<]+)</a>', index)
    assert {label for _, _, label in links} >= {"甲医院", "丙 医院"}
    for part, key, _ in links:  # each link lands on a section of that part
        assert f'id="{key}"' in (out / part).read_text(encoding="utf-8")


def test_a_roster_saved_as_xls_reads_like_the_xlsx(tmp_path: Path, cat) -> None:
    """The roster goes through the common reader, so an Excel 97–2003 roster (.xls) reads the same."""
    import shutil
    import subprocess

    import openpyxl

    from yjzl.batch.roster import load

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc")
    wb = openpyxl.Workbook()
    for row in ROSTER.splitlines():
        wb.active.append(row.split(","))
    xlsx = tmp_path / "名单.xlsx"
    wb.save(xlsx)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo-i14-roster').as_uri()}", "--headless",
                    "--convert-to", "xls", "--outdir", str(tmp_path / "xls"), str(xlsx)], capture_output=True, timeout=300)
    xls = tmp_path / "xls" / "名单.xls"
    assert xls.is_file(), "LibreOffice wrote no .xls"
    assert load(xls, cat) == load(xlsx, cat)
    assert [u.name for u in load(xls, cat)] == ["青岛市", "甲医院", "乙医院", "丙医院"]
