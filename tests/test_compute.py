"""`compute`: values worked by hand for every indicator family, groups as ratios of sums,
trends across periods, scoring, and the command's outputs and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import yjzl
from tests.builders import SheetSpec, write_workbook
from yjzl.errors import UsageProblem

# Three cities' 表2. Worked by hand:
#   A: 90/100 = 90 %; 30/100 000 × 10 000 = 3.0; 1 − 50/1000 = 95 %; 4/0: denominator zero
#   B: 150/300 = 50 %; 10/400 000 × 10 000 = 0.25; 1 − 300/1000 = 70 %; 6/3 = 2.0
#   C: --/200: missing; 5/100 000 × 10 000 = 0.5
CITIES = {
    "a": {"region": "甲市", "primary_facilities": 100, "standard_primary_facilities": 90, "gps": 30,
          "urban_hukou_population": 100_000, "county_referrals_out": 50, "county_inpatient_total": 1000,
          "township_gps": 4, "township_health_centers": 0},
    "b": {"region": "甲市", "primary_facilities": 300, "standard_primary_facilities": 150, "gps": 10,
          "urban_hukou_population": 400_000, "county_referrals_out": 300, "county_inpatient_total": 1000,
          "township_gps": 6, "township_health_centers": 3},
    "c": {"region": "乙市", "primary_facilities": 200, "standard_primary_facilities": "--", "gps": 5,
          "urban_hukou_population": 100_000},
}


def cities(folder: Path, cat, data: dict[str, dict] = CITIES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, values in data.items():
        write_workbook(folder / f"{name}.xlsx", cat, [SheetSpec("表2", "T2", values)])
    return folder


def by_file(result) -> dict[str, dict]:
    return {Path(f.file).stem: {i.id: i for i in f.indicators} for f in result.files if not f.error}


def test_every_ratio_family_by_hand(tmp_path: Path, cat) -> None:
    got = by_file(yjzl.compute(cities(tmp_path / "2024", cat), cat))
    a, b, c = got["a"], got["b"], got["c"]
    assert (a["primary_facility_standard_rate"].value, b["primary_facility_standard_rate"].value) == (90.0, 50.0)
    assert (a["gp_per_10k_urban"].value, b["gp_per_10k_urban"].value, c["gp_per_10k_urban"].value) == (3.0, 0.25, 0.5)
    assert (a["in_county_visit_rate"].value, b["in_county_visit_rate"].value) == (95.0, 70.0)  # 1 − x
    assert (a["gp_per_township"].status, a["gp_per_township"].value) == ("denominator zero", None)
    assert (a["gp_per_township"].numerator, a["gp_per_township"].denominator) == (4.0, 0.0)
    assert b["gp_per_township"].value == 2.0
    missing = c["primary_facility_standard_rate"]
    label = cat.fields["T2"]["standard_primary_facilities"].label
    assert (missing.status, missing.value, missing.reason) == ("missing input", None, f"缺少：{label}")
    assert [(t.set, t.met) for t in a["in_county_visit_rate"].targets] == [("national", True), ("yangjiang", True)]
    assert [t.met for t in b["in_county_visit_rate"].targets] == [False, False]


def test_a_group_is_the_sum_of_numerators_over_the_sum_of_denominators(tmp_path: Path, cat) -> None:
    result = yjzl.compute(cities(tmp_path / "2024", cat), cat, group_by="region")
    groups = {(g.group, g.indicator.id): g for g in result.groups}
    g = groups[("甲市", "primary_facility_standard_rate")]
    # (90 + 150) / (100 + 300) = 60 %, not the mean of 90 % and 50 % (70 %).
    assert (g.indicator.value, g.indicator.numerator, g.indicator.denominator) == (60.0, 240.0, 400.0)
    assert [Path(k.split("!")[0]).name for k in g.contributing] == ["a.xlsx", "b.xlsx"] and g.left_out == []
    assert groups[("甲市", "gp_per_10k_urban")].indicator.value == 0.8  # 40 / 500 000 × 10 000
    assert groups[("甲市", "in_county_visit_rate")].indicator.value == 82.5  # 1 − 350 / 2000
    # A's zero denominator still counts: (4 + 6) / (0 + 3).
    assert groups[("甲市", "gp_per_township")].indicator.value == 3.33
    assert len(groups[("甲市", "gp_per_township")].contributing) == 2
    lone = groups[("乙市", "primary_facility_standard_rate")]
    assert (lone.indicator.status, lone.contributing) == ("missing input", [])
    assert [(Path(x.submission.split("!")[0]).name, x.reason) for x in lone.left_out] == \
        [("c.xlsx", f"缺少：{cat.fields['T2']['standard_primary_facilities'].label}")]
    assert g.form == "表2" and g.by == "region"


def test_growth_against_the_previous_period(tmp_path: Path, cat) -> None:
    # 表2 has no name or code: its submitters are matched by region (the file names differ on purpose).
    then = cities(tmp_path / "2023", cat, {
        "x": {"region": "甲市", "referral_down_total": 1000}, "y": {"region": "乙市", "referral_down_total": 600}})
    now = cities(tmp_path / "2024", cat, {
        "a": {"region": "甲市", "referral_down_total": 1100}, "b": {"region": "乙市", "referral_down_total": 500},
        "new": {"region": "丁市", "referral_down_total": 70}})
    result = yjzl.compute(now, cat, previous=[then], group_by="all")
    got = by_file(result)
    assert (got["a"]["referral_down_growth"].value, got["a"]["referral_down_growth"].status) == (10.0, "ok")  # 100/1000
    assert [t.met for t in got["a"]["referral_down_growth"].targets] == [True]  # ≥ 10 %
    assert got["b"]["referral_down_growth"].value == -16.67  # −100/600
    assert got["new"]["referral_down_growth"].status == "missing input"
    assert "找不到同一填报单位" in got["new"]["referral_down_growth"].reason
    growth = next(g for g in result.groups if g.indicator.id == "referral_down_growth")
    assert (growth.indicator.numerator, growth.indicator.denominator, growth.indicator.value) == (0.0, 1600.0, 0.0)
    assert len(growth.left_out) == 1 and sorted(result.previous) == sorted(str(p) for p in then.glob("*.xlsx"))


def test_three_year_change_and_period_field(tmp_path: Path, cat) -> None:
    for year, alos, down in (("2024", 9.5, 1000), ("2023", 9.8, 800), ("2022", 10.3, 700)):
        (tmp_path / year).mkdir()
        write_workbook(tmp_path / year / "省.xlsx", cat, [SheetSpec("表1", "T1", {"alos_tertiary": alos, "referral_down_total": down})])
    got = by_file(yjzl.compute(tmp_path / "2024", cat, previous=[tmp_path / "2023", tmp_path / "2022"]))["省"]
    change = got["alos_tertiary_change"]
    assert (change.value, change.unit, change.numerator, change.denominator) == (-0.8, "日", 9.5, 10.3)  # 9.5 − 10.3
    assert got["referral_down_growth"].value == 25.0  # (1000 − 800) / 800
    only_one = by_file(yjzl.compute(tmp_path / "2024", cat, previous=[tmp_path / "2023"]))["省"]
    assert only_one["alos_tertiary_change"].status == "missing input"
    assert only_one["alos_tertiary_change"].reason == "需要前 2 期的数据（--previous 给出 2 次）"
    # Without --previous, 统计年度 pairs the periods within one batch.
    batch = tmp_path / "batch"
    batch.mkdir()
    for year, down in (("2023年", 800), ("2024", 1000)):
        write_workbook(batch / f"丙市{year[:4]}.xlsx", cat, [SheetSpec("表2", "T2", {"region": "丙市", "period": year, "referral_down_total": down})])
    got = by_file(yjzl.compute(batch, cat))
    assert got["丙市2024"]["referral_down_growth"].value == 25.0
    assert got["丙市2023"]["referral_down_growth"].status == "missing input"


SCHEME = """\
scoring: {id: test, name: 测试评分}
items:
  - {indicator: primary_facility_standard_rate, weight: 10, bands: [{op: ">=", value: 95, share: 1}, {op: ">=", value: 80, share: 0.5}]}
  - {indicator: gp_per_10k_urban, weight: 20, linear: {zero: 0, full: 4}}
  - {indicator: in_county_visit_rate, weight: 30, target: national}
  - {indicator: gp_per_township, weight: 40, bands: [{op: ">=", value: 1, share: 1}]}
"""


def test_scoring_by_hand(tmp_path: Path, cat) -> None:
    (tmp_path / "s.yaml").write_text(SCHEME, encoding="utf-8")
    result = yjzl.compute(cities(tmp_path / "2024", cat), cat, scoring=tmp_path / "s.yaml")
    scores = {Path(s.file).stem: s for s in result.scores}
    # A: 90 → band ≥ 80 → 5; 3.0 → 3/4 × 20 = 15; 95 % meets ≥ 90 → 30; 4/0 has no value → 0 of 40.
    assert (scores["a"].total, scores["a"].maximum) == (50.0, 100.0)
    assert [i.points for i in scores["a"].items] == [5.0, 15.0, 30.0, 0.0]
    # B: 50 → 0; 0.25 → 1.25; 70 % misses → 0; 2.0 ≥ 1 → 40.   C: 0.5 → 2.5, the rest have no value.
    assert scores["b"].total == 41.25 and scores["c"].total == 2.5 and scores["c"].maximum == 100.0
    (tmp_path / "bad.yaml").write_text(SCHEME.replace("gp_per_10k_urban", "no_such"), encoding="utf-8")
    with pytest.raises(UsageProblem, match=r"items\[1\] no_such"):
        yjzl.compute(tmp_path / "2024", cat, scoring=tmp_path / "bad.yaml")


def test_the_shipped_scoring_sample_loads(cat) -> None:
    from yjzl.batch.scoring import load

    root = Path(__file__).parents[1]
    scheme = load(root / "examples" / "scoring-sample.yaml", cat)
    assert scheme.items and all(i.indicator in cat.indicators for i in scheme.items)


def test_cli_outputs_and_exit_codes(run, tmp_path: Path, cat) -> None:
    folder = cities(tmp_path / "in", cat)
    (folder / "~$a.xlsx").write_bytes(b"lock")  # Excel's lock file: skipped, not an error
    res = run("compute", folder, "--format", "csv", "--jobs", "1", "--target-set", "yangjiang")
    assert res.code == 0, res.err
    rows = list(csv.DictReader(io.StringIO(res.out)))
    row = next(r for r in rows if r["file"].endswith("b.xlsx") and r["indicator"] == "in_county_visit_rate")
    # tidy: a target set's target and whether it is met in columns of their own, one value a cell
    assert (row["form"], row["region"], row["value"], row["unit"], row["numerator"], row["denominator"], row["status"],
            row["target_national"], row["met_national"], row["target_yangjiang"], row["met_yangjiang"]) == (
        "表2", "甲市", "70", "%", "300", "1000", "ok", "≥ 90 ±0.5 (2017)", "no", "≥ 90 ±0.5 (2017)", "no")
    assert "target_beijing_2017" not in row  # by default the national set, plus the sets named or the overlays'
    assert "target_yangjiang" not in next(csv.DictReader(io.StringIO(run("compute", folder, "--format", "csv").out)))
    wide = list(csv.DictReader(io.StringIO(run("compute", folder, "--format", "csv", "--wide").out)))
    assert len(wide) == 3 and wide[0]["primary_facility_standard_rate"] == "90"
    (folder / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    res = run("compute", folder, tmp_path / "absent.xlsx", "-o", tmp_path / "out.xlsx")
    assert res.code == 1 and not res.err.count("Traceback")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["指标", "无法使用"]
    unusable = [r[0] for r in book["无法使用"].iter_rows(min_row=2, values_only=True)]
    assert [Path(u).name for u in unusable] == ["broken.xlsx", "absent.xlsx"]
    doc = json.loads(run("compute", folder, "--format", "json", "--group-by", "region").out)
    assert doc["summary"]["unusable"] == 1 and doc["summary"]["submissions"] == 3 and doc["groups"]
    res = run("compute", tmp_path / "nothing")
    assert res.code == 2 and "没有可用的输入" in res.err and "nothing: 文件不存在" in res.err
    assert run("compute", folder, "--group-by", "no_such_key").code == 2


def test_parallel_reading_gives_the_same_result(tmp_path: Path, cat) -> None:
    data = {f"c{n:02d}": {**CITIES["a"], "primary_facilities": 100 + n} for n in range(10)}
    folder = cities(tmp_path / "many", cat, data)
    one = yjzl.compute(folder, cat, jobs=1).to_dict()
    two = yjzl.compute(folder, cat, jobs=2).to_dict()
    assert one == two and one["summary"]["submissions"] == 10


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))), min_size=1, max_size=8))
def test_groups_are_ratios_of_sums_for_any_submissions(cat, parts: list[tuple[int, int] | None]) -> None:
    """Whatever the parts, the group's rate is Σ numerators ÷ Σ denominators over the submissions that have both."""
    from yjzl.batch.groups import group
    from yjzl.batch.worker import Submission
    from yjzl.report import FormFound, IndicatorResult

    subs = []
    for n, p in enumerate(parts):
        r = IndicatorResult("primary_visit_share", "x", "T2", None, "%", "missing input" if p is None else "ok",
                            numerator=None if p is None else float(p[0]), denominator=None if p is None else float(p[1]),
                            reason="缺少：x" if p is None else None, sheet="表2")
        subs.append(Submission(f"f{n}.xlsx", FormFound("T2", "表2", "表2", "sheet name", "", region="甲市"), [r]))
    g = next(x for x in group(cat, subs, "region", "zh", None) if x.indicator.id == "primary_visit_share")
    have = [p for p in parts if p is not None]
    assert len(g.contributing) == len(have) and len(g.left_out) == len(parts) - len(have)
    num, den = sum(p[0] for p in have), sum(p[1] for p in have)
    if not have:
        assert g.indicator.status == "missing input"
    elif den == 0:
        assert (g.indicator.status, g.indicator.value) == ("denominator zero", None)
    else:
        assert g.indicator.value == round(num / den * 100, 2)


def test_progress_is_reported_per_file_and_hidden_off_a_terminal(run, tmp_path: Path, cat) -> None:
    folder = cities(tmp_path / "p", cat)
    calls: list[tuple[int, int]] = []
    yjzl.compute(folder, cat, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    res = run("compute", folder, "--format", "csv")
    assert res.code == 0 and "[" not in res.err  # stderr is not a terminal here: no bar


def test_reruns_csv_in_folders_bad_scoring_files_and_overflow(run, tmp_path: Path, cat) -> None:
    folder = cities(tmp_path / "in", cat, {"a": CITIES["a"]})
    out = folder / "指标.json"
    assert run("compute", folder, "-o", out).code == 0
    assert run("compute", folder, "-o", out).code == 2  # an existing output is replaced only with --force
    # The last output in the folder is no input (a folder is searched for workbooks and CSV, not JSON); a workbook
    # or CSV found there is an input, never replaced (tests/test_hostile_runs.py), unless yjzl marked it as its own.
    assert run("compute", folder, "-o", out, "--force").code == 0
    assert run("compute", folder / "a.xlsx", "-o", folder / "a.xlsx").code == 2  # but an input named is never written
    (folder / "b.csv").write_text("指标,数值\n基层医疗卫生机构总数（个）,10\n达标的基层医疗卫生机构数,5\n", encoding="utf-8")
    files = {Path(f.file).name for f in yjzl.compute(folder, cat, exclude=[out]).files}
    assert files == {"a.xlsx", "b.csv"}
    (tmp_path / "gbk.yaml").write_bytes("scoring: {id: x, name: 评分}\n".encode("gbk"))
    res = run("compute", folder, "--scoring", tmp_path / "gbk.yaml")
    assert res.code == 2 and "UTF-8" in res.err and "Traceback" not in res.err
    huge = cities(tmp_path / "huge", cat, {"h": {"gps": 1e308, "urban_hukou_population": 1}})  # × 10 000 overflows
    doc = json.loads(run("compute", huge, "--format", "json").out, parse_constant=lambda c: pytest.fail(f"JSON has {c}"))
    r = next(i for i in doc["files"][0]["indicators"] if i["id"] == "gp_per_10k_urban")
    assert (r["value"], r["status"]) == (None, "denominator zero") and "超出数值范围" in r["reason"]
