"""Issue 11 §5: targets have the year they are due, approximations a stated tolerance, one reading per pair."""

from __future__ import annotations

import yjzl
from tests.issue11 import audit
from yjzl.catalogue import expr


def _target(cat, ind: str, tset: str):
    return next(t for t in cat.indicators[ind].targets if t.set == tset)


def _result(report, ind: str):
    return next(r for r in report.files[0].indicators if r.id == ind)


def test_every_target_has_its_year(cat) -> None:
    # S004 第四部分 国办发〔2015〕70号 附件: 分级诊疗试点工作考核评价标准 "到2017年"
    assert all(t.by for i in cat.indicators.values() for t in i.targets)
    assert _target(cat, "primary_visit_share", "national").by == 2017
    # S000 附表: "2020年签约重点人群实现全覆盖"
    assert _target(cat, "key_group_coverage", "beijing_2017").by == 2020


def _township(tmp_path, cat, period: str | None, with_gp: int, name: str):
    # 至少拥有1名全科医生的政府办乡镇卫生院占比 = with_gp / 乡镇卫生院总数 × 100; target (national) == 100 by 2017
    vals = {"townships_with_gp": with_gp, "township_health_centers": 100}
    if period:
        vals["period"] = period
    path = tmp_path / name
    audit(tmp_path, cat, "T1", vals, name=name)
    return _result(yjzl.validate(path, catalogue=cat), "township_with_gp_share")


def test_a_period_before_the_year_due_is_not_yet_due(cat, tmp_path) -> None:
    # 陕西 S001 一、（二）: "到2020年……所有二级公立医院和政府办基层医疗机构全部参与医联体" → thc share == 100 by 2020 (the 社区卫生服务中心 part: qualitative, issue 25 §2)
    vals = {"thc_in_consortia": 80, "township_health_centers": 100, "period": "2019年"}
    audit(tmp_path, cat, "T2", vals, name="t2.xlsx")
    r = _result(yjzl.validate(tmp_path / "t2.xlsx", catalogue=cat), "thc_consortium_share")  # 80 %
    shaanxi = next(t for t in r.targets if t.set == "shaanxi_2017")
    assert (shaanxi.by, shaanxi.due, shaanxi.met) == (2020, False, None)  # 未到期, not 未达标
    audit(tmp_path, cat, "T2", {**vals, "period": "2020"}, name="t2b.xlsx")
    r = _result(yjzl.validate(tmp_path / "t2b.xlsx", catalogue=cat), "thc_consortium_share")
    shaanxi = next(t for t in r.targets if t.set == "shaanxi_2017")
    assert (shaanxi.due, shaanxi.met) == (True, False)
    # a target already due stays 未达标 (national, 2017) and one met early is met
    r = _township(tmp_path, cat, "2016", 100, "t1a.xlsx")
    assert [(t.due, t.met) for t in r.targets if t.set == "national"] == [(False, True)]
    r = _township(tmp_path, cat, "2019", 90, "t1b.xlsx")
    assert [(t.due, t.met) for t in r.targets if t.set == "national"] == [(True, False)]


def test_not_yet_due_in_compute_rows(run, cat, tmp_path) -> None:
    vals = {"thc_in_consortia": 80, "township_health_centers": 100, "period": "2019年"}
    audit(tmp_path, cat, "T2", vals, name="t2.xlsx")
    sets = ("--target-set", "shaanxi_2017", "--target-set", "yangjiang")
    res = run("compute", tmp_path / "t2.xlsx", "--format", "csv", *sets)
    row = next(line for line in res.out.splitlines() if "thc_consortium_share" in line)
    # national, shaanxi_2017, yangjiang: a pair of columns each; a cell opening with = is kept text by the CSV writer's '
    assert row.count(",'= 100 (2020),not yet due (2020-12-31)") == 3
    res = run("compute", tmp_path / "t2.xlsx", *sets)  # the table shows Chinese
    lines = res.out.splitlines()
    k = next(i for i, line in enumerate(lines) if "乡镇卫生院参与医联体建设的占比" in line)
    assert lines[k].rstrip().endswith("未到期（2020-12-31）") and lines[k + 1].rstrip().endswith("未到期（2020-12-31）")


def test_approximations_are_read_with_a_stated_tolerance(cat, tmp_path) -> None:
    # S004 国办发〔2015〕70号 附件 二: "县域内就诊率提高到90%左右" → ≥ 90 with tolerance 0.5 (≥ 89.5 met)
    t = _target(cat, "in_county_visit_rate", "national")
    assert (t.op, t.value, t.tolerance) == (">=", 90, 0.5)
    # 附件 六: "基本覆盖全部二、三级医院" → == 100 with tolerance 5 (≥ 95 met)
    t = _target(cat, "referral_system_coverage_hospitals", "national")
    assert (t.op, t.value, t.tolerance) == ("==", 100, 5)
    # 1 − 104 / 1000 = 89.6 % → met within 0.5; 1 − 110 / 1000 = 89.0 % → not met
    for out, met in ((104, True), (110, False)):
        audit(tmp_path, cat, "T1", {"county_referrals_out": out, "county_inpatient_total": 1000}, name=f"c{out}.xlsx")
        r = _result(yjzl.validate(tmp_path / f"c{out}.xlsx", catalogue=cat), "in_county_visit_rate")
        assert [x.met for x in r.targets if x.set == "national"] == [met]


def test_catalogue_show_states_the_reading(run) -> None:
    res = run("catalogue", "show", "县域内就诊率")
    assert "容差 ±0.5：≥ 89.5% 即达标" in res.out and "2017 年到期" in res.out


def test_township_share_counts_one_population(cat) -> None:
    # S004 二、（一）2.（2）: "至少拥有 1 名全科医生的政府办乡镇卫生院数占政府办乡镇卫生院总数的比例";
    # 注："至少拥有 1 名全科医生的政府办乡镇卫生院总数≤乡镇卫生院总数" — the only count the form prints.
    ind = cat.indicators["township_with_gp_share"]
    assert expr.fields(ind.denominator) == {"township_health_centers"}
    assert "政府办乡镇卫生院总数" in ind.defn.note and "同一总体" in _target(cat, "township_with_gp_share", "national").note


def test_the_poor_population_has_one_reading(cat) -> None:
    # 表1 19.: "家庭医生签约的贫困人口数占区域内贫困人口的____%"; S004 二、（一）5.（11） 公式分母 "同期贫困人口总数"
    ind = cat.indicators["poor_family_doctor_coverage"]
    check = next(c for c in cat.checks if c.id == "t12.poor_signed_share_recompute")
    assert ind.numerator == expr.parse("registered_poor_signed") and ind.denominator == expr.parse("poor_population")
    assert check.formula == expr.parse("registered_poor_signed / poor_population * 100")


def test_local_targets_on_existing_indicators(cat) -> None:
    # S001 一、（二）/ S003 一、: 政府办基层医疗（卫生）机构全部参与医联体, 到2020年
    for tset in ("shaanxi_2017", "yangjiang"):
        t = _target(cat, "thc_consortium_share", tset)
        assert (t.op, t.value, t.by) == ("==", 100, 2020)
        # 社区卫生服务中心: 表2 counts centres of every owner, so == 100 is out of reach for a compliant region
        # (issue 25 §2): named as a qualitative target beside the indicator, never judged
        assert not [x for x in cat.indicators["chc_consortium_share"].targets if x.set == tset]
        assert [q for q in cat.source.qualitative_targets if q.set == tset and q.indicator == "chc_consortium_share"]
    # S000: "重点疾病……规范化诊疗及管理率，2020年底前达国家标准" (the national standard: 附件 九, 40%以上)
    t = _target(cat, "standard_management_rate", "beijing_2017")
    assert (t.op, t.value, t.by) == (">=", 40, 2020)


def test_not_yet_due_in_the_report(run, cat, tmp_path) -> None:
    audit(tmp_path, cat, "T2", {"thc_in_consortia": 80, "township_health_centers": 100, "period": "2019"}, name="t2.xlsx")
    res = run("report", tmp_path / "t2.xlsx", "-o", tmp_path / "r.html", "--target-set", "shaanxi_2017")
    assert res.code in (0, 1), res.err
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<span class="due">未到期（2020-12-31）</span>' in html
