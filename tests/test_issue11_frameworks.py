"""Issue 11 §6: framework items (seed 002) linked to the indicators that measure them; new indicators for the rest."""

from __future__ import annotations

import yjzl
from tests.issue11 import audit


def _items(cat) -> dict[str, list[str]]:
    return {i.id: i.indicators for fw in cat.source.frameworks for i in fw.items}


def test_items_an_indicator_already_measures_are_linked(cat) -> None:
    items = _items(cat)
    # S002 附件2: "医院住院患者人均费用及三年变化趋势", "牵头医院住院患者急、危重症患者比例",
    # "基层医疗机构上转病人例数及其占比", "由二、三级医院向下级……下转病人例数及其占比"
    assert "inpatient_case_cost_change" in items["F2.33"]
    assert "critical_rescue_share" in items["F2.26"] and "T3" in cat.indicators["critical_rescue_share"].defn.forms
    # issue 25 §4: 基层上转 are the members' own (表3（成员单位）、表4（乡镇卫生院）); 表3's 上转 are the lead's own transfers
    assert "member_referral_up_count" in items["F2.19"] and "referral_up_share_of_referrals" not in items["F2.19"]
    assert "referral_down_share_of_referrals" in items["F2.20"]
    # S002 附件1: "基层医疗机构门诊患者次均费用及三年变化趋势"
    assert {"outpatient_revenue_per_visit", "township_outpatient_cost_change"} <= set(items["F1.38"])


def test_new_indicators_for_items_that_had_none(cat) -> None:
    items = _items(cat)
    assert "primary_visit_share_growth" in items["F1.28"]  # 基层医疗卫生机构诊疗量占比及增长率
    assert "primary_referral_up_share" in items["F1.29"]  # 基层医疗机构上转病人例数及其占比
    assert "referral_down_share_of_inpatients" in items["F1.30"]
    assert "secondary_dispatch_per_hospital" in items["F1.27"]  # 二级以上医疗机构……派出……人次数
    assert "long_term_dispatch_share" in items["F2.17"]


def test_new_indicators_compute_by_hand(cat, tmp_path) -> None:
    vals = {"referral_up_primary": 300, "referral_up_continuing": 100, "referral_up_total": 400,
            "referral_down_total": 600, "public_hospital_inpatients": 20000,
            "secondary_dispatched_professionals": 900, "secondary_dispatched_managers": 100, "covered_secondary": 20}
    audit(tmp_path, cat, "T2", vals)
    got = {r.id: r.value for r in yjzl.validate(tmp_path / "f.xlsx", catalogue=cat).files[0].indicators}
    assert got["primary_referral_up_share"] == 75.0  # 300 / 400 × 100
    assert got["referral_down_share_of_inpatients"] == 3.0  # 600 / 20000 × 100
    assert got["secondary_dispatch_per_hospital"] == 50.0  # (900 + 100) / 20 secondary institutions in consortia (issue 25 §3)
    audit(tmp_path, cat, "T4", {"dispatch_long_term_staff": 12, "dispatch_visits": 240}, name="t4.xlsx")
    got = {r.id: r.value for r in yjzl.validate(tmp_path / "t4.xlsx", catalogue=cat).files[0].indicators}
    assert got["long_term_dispatch_share"] == 5.0  # 12 / 240 × 100


def test_the_share_growth_pairs_periods(run, cat, tmp_path) -> None:
    # 2019: 52 / 100 → 52 %; 2018: 50 / 100 → 50 %; the share's change 52 − 50 = 2 percentage points (issue 25 §3)
    now, then = tmp_path / "now", tmp_path / "then"
    now.mkdir()
    then.mkdir()
    audit(now, cat, "T1", {"primary_visits": 52, "total_visits": 100, "period": "2019"})
    audit(then, cat, "T1", {"primary_visits": 50, "total_visits": 100, "period": "2018"})
    res = run("compute", now, "--previous", then, "--format", "csv")
    row = next(line for line in res.out.splitlines() if ",primary_visit_share_growth," in line)
    assert ",2,百分点,52,50,ok," in row
