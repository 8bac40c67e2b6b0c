"""Issue 25 §2: every 表3/表4 result carries a verdict — its target, the direction of its change against the
earlier period (seed 002 附件2 30/32/20 with the directions of seed 004: 缩短平均住院日, 控制不合理医疗费用,
下转增长), or its place among the run's peers of the same form and level (rank and quarter)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import yjzl
from tests.builders import SheetSpec, write_workbook

# 住院危重患者抢救人次数 ÷ 出院患者人次数 × 100: A 5 %, B 3 %, C 8 % (three grade-3 hospitals, written three ways), D 1 % (grade 2)
HOSPITALS = {"A": ("三级甲等", 50), "B": ("三级", 30), "C": ("三甲", 80), "D": ("二级甲等", 10)}


def _hospitals(folder: Path, cat) -> Path:
    folder.mkdir()
    for name, (level, rescues) in HOSPITALS.items():
        vals = {"hospital_name": f"医院{name}", "hospital_level": level, "critical_rescues": rescues, "discharges": 1000}
        write_workbook(folder / f"{name}.xlsx", cat, [SheetSpec("表3", "T3", vals)])
    return folder


def _by(report, indicator: str) -> dict[str, object]:
    return {f.forms[0].name: r.verdict for f in report.files for r in f.indicators if r.id == indicator}


def test_peers_rank_and_quarter(tmp_path, cat) -> None:
    rep = yjzl.compute(_hospitals(tmp_path / "in", cat), cat)
    v = _by(rep, "critical_rescue_share")
    # grade 3: 8 > 5 > 3 → C 1st, A 2nd, B 3rd of 3; quarter 1 + ⌊4 (rank − 1) ÷ 3⌋ = 1, 2, 3
    assert [(v[n].kind, v[n].rank, v[n].of, v[n].quartile, v[n].group) for n in ("医院C", "医院A", "医院B")] == [
        ("peers", 1, 3, 1, "表3 三级"), ("peers", 2, 3, 2, "表3 三级"), ("peers", 3, 3, 3, "表3 三级")]
    assert v["医院A"].better is None  # no direction in the documents: ranked by value, highest first
    d = v["医院D"]  # the only grade-2 hospital: nobody to compare with, and it says so
    assert (d.kind, d.rank, d.of, d.quartile, d.group) == ("peers", 1, 1, None, "表3 二级")
    assert rep.summary()["judged_by_peers"] > 0


def test_every_hospital_result_with_a_value_has_a_verdict(tmp_path, cat) -> None:
    rep = yjzl.compute(_hospitals(tmp_path / "in", cat), cat)
    results = [r for f in rep.files for r in f.indicators]
    assert results and all((r.verdict is not None) == (r.value is not None) for r in results)
    assert {r.verdict.kind for r in results if r.verdict} <= {"target", "peers"}


def test_verdicts_in_csv_json_and_table(run, tmp_path, cat) -> None:
    folder = _hospitals(tmp_path / "in", cat)
    res = run("compute", folder, "--format", "csv")
    rows = [r for r in csv.DictReader(io.StringIO(res.out)) if r["indicator"] == "critical_rescue_share"]
    assert [r["verdict"] for r in rows] == ["peers: 2/3 Q2 (表3 三级)", "peers: 3/3 Q3 (表3 三级)", "peers: 1/3 Q1 (表3 三级)",
                                            "peers: 1/1 (表3 二级)"]
    doc = json.loads(run("compute", folder, "--format", "json").out)
    first = next(r for r in doc["files"][0]["indicators"] if r["id"] == "critical_rescue_share")
    assert first["verdict"] == {"kind": "peers", "better": None, "outcome": None, "rank": 2, "of": 3, "quartile": 2,
                                "group": "表3 三级"}
    assert doc["summary"]["judged_by_peers"] > 0 and doc["summary"]["judged_by_direction"] == 0
    out = run("compute", folder).out
    assert "同级（表3 三级）按数值由高到低第2/3位，第2四分位" in out and "同级（表3 二级）仅此1家，无从比较" in out
    assert "个按同级（同表同级别）排位" in out  # the summary says what judged the values
    out = run("compute", folder, "--lang", "en").out
    assert "rank 2 of 3 among peers (Form 3 grade 3) by value, highest first, quarter 2" in out


def _period(folder: Path, cat, year: str, alos: float, down: int, cost: float) -> Path:
    folder.mkdir()
    vals = {"hospital_name": "医院A", "org_code": "12345678-9", "hospital_level": "三级甲等", "period": year, "alos": alos,
            "referrals_down": down, "outpatient_cost_per_visit": cost}
    write_workbook(folder / "a.xlsx", cat, [SheetSpec("表3", "T3", vals)])
    return folder


def test_direction_against_the_earlier_period(run, tmp_path, cat) -> None:
    now = _period(tmp_path / "2019", cat, "2019", 9.0, 110, 300)
    one = _period(tmp_path / "2018", cat, "2018", 9.5, 100, 290)
    two = _period(tmp_path / "2017", cat, "2017", 10.0, 95, 280)
    rep = yjzl.compute(now, cat, previous=[one, two])
    got = {r.id: r for r in rep.files[0].indicators}
    # 平均住院日近三年变化 9.0 − 10.0 = −1 日: 缩短, better (S004 国办发〔2015〕70号 三、（一）缩短平均住院日)
    r = got["alos_change"]
    assert (r.value, r.verdict.kind, r.verdict.better, r.verdict.outcome) == (-1.0, "direction", "lower", "better")
    # 下转病人例数增长率 (110 − 100) ÷ 100 × 100 = 10 %: a rise, better
    r = got["hospital_referrals_down_growth"]
    assert (r.value, r.verdict.outcome) == (10.0, "better")
    # 门诊患者次均费用近三年变化 300 − 280 = +20 元: against 控制不合理医疗费用, worse
    r = got["outpatient_cost_change"]
    assert (r.value, r.verdict.outcome) == (20.0, "worse")
    out = run("compute", now, "--previous", one, "--previous", two).out
    assert "较前期下降，向好（越低越好）" in out and "较前期上升，向差（越低越好）" in out and "较前期上升，向好（越高越好）" in out
    assert "0 个按目标值，3 个按较前期的方向" in out


def test_unchanged_is_neither_better_nor_worse(tmp_path, cat) -> None:
    now = _period(tmp_path / "2019", cat, "2019", 9.0, 100, 300)
    one = _period(tmp_path / "2018", cat, "2018", 9.0, 100, 300)
    rep = yjzl.compute(now, cat, previous=[one])
    r = next(r for r in rep.files[0].indicators if r.id == "hospital_referrals_down_growth")
    assert (r.value, r.verdict.outcome) == (0.0, "same")


def test_a_result_with_a_target_is_judged_by_it(tmp_path, cat) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    vals = {"hospital_name": "医院A", "hospital_level": "三级", "records_shared": "是", "period": "2019"}
    write_workbook(folder / "a.xlsx", cat, [SheetSpec("表3", "T3", vals)])
    r = next(r for r in yjzl.compute(folder, cat).files[0].indicators if r.id == "records_shared_share")
    assert r.verdict.kind == "target" and [(t.set, t.met) for t in r.targets] == [("beijing_2017", True)]
    # with another target set chosen the same value is placed among peers instead
    r = next(r for r in yjzl.compute(folder, cat, target_sets=["national"]).files[0].indicators if r.id == "records_shared_share")
    assert r.verdict.kind == "peers" and (r.verdict.rank, r.verdict.of) == (1, 1)


@pytest.mark.parametrize("level", ["", "未知"])
def test_an_unreadable_level_is_its_own_group(tmp_path, cat, level) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    vals = {"hospital_name": "医院X", "hospital_level": level, "critical_rescues": 5, "discharges": 100}
    write_workbook(folder / "x.xlsx", cat, [SheetSpec("表3", "T3", vals)])
    r = next(r for r in yjzl.compute(folder, cat).files[0].indicators if r.id == "critical_rescue_share")
    assert r.verdict.group == "表3 未注明级别"


def test_the_report_says_how_results_were_judged(run, tmp_path, cat) -> None:
    folder = _hospitals(tmp_path / "in", cat)
    out = tmp_path / "r.html"
    assert run("report", folder, "-o", out).code == 0
    html = out.read_text(encoding="utf-8")
    assert "按同级排位判定的指标值（医院：同表同级别，位次与四分位）" in html
    assert "同级（表3 三级）按数值由高到低第1/3位，第1四分位" in html
    # the chosen set's aims stated in words are named, without a verdict
    assert "定性目标（文件只有文字表述，不作判定）" in html and "2018年底前，远程医疗要覆盖所有城市医疗集团和县域医共体" in html
