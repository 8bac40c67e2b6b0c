"""A hand-worked sample of formulas, notes and targets, pinned to the text of the documents."""

from __future__ import annotations

from yjzl.catalogue import expr
from yjzl.catalogue.describe import check_text, formula


def ind(cat, i):
    return cat.indicators[i]


def test_in_county_visit_rate_is_one_minus_the_outflow(cat) -> None:
    # S004 二、（一）5.（3）: 县域内就诊率 = 1 - 转出人次数 / 同期住院总人次数 ×100%
    d = ind(cat, "in_county_visit_rate").defn
    assert (d.complement, d.factor, d.unit) == (True, 100, "%")
    assert formula(cat, ind(cat, "in_county_visit_rate"), "T1").startswith("(1 − 县域（统筹区域）内住院患者转出人次数 ÷ ")


def test_gp_per_10k_urban_is_per_ten_thousand(cat) -> None:
    # S004 二、（一）2.（1）: 区域内全科医生总数 / 区域内城市户籍居民总数 ×10000
    i = ind(cat, "gp_per_10k_urban")
    assert (i.defn.factor, i.defn.unit) == (10000, "人/万人")
    assert formula(cat, i, "T1") == "区域内全科医生总数 ÷ 城市户籍居民总数 × 10000"


def test_combined_and_separate_management_rates(cat) -> None:
    # S004 二、（一）5.（4）: (高血压+糖尿病 规范管理) / (高血压+糖尿病 纳入管理)
    combined = ind(cat, "standard_management_rate")
    assert expr.fields(combined.numerator) == {"hypertension_managed", "diabetes_managed"}
    assert expr.fields(combined.denominator) == {"hypertension_enrolled", "diabetes_enrolled"}
    assert {"standard_management_rate_hypertension", "standard_management_rate_diabetes"} <= set(cat.indicators)


def test_the_four_tcm_rates_and_their_targets(cat) -> None:
    # 国办发〔2015〕70号 附件 十: 100%、100%、85%、70%，中医诊疗量 ≥30%
    targets = {i: [(t.op, t.value) for t in ind(cat, i).targets if t.set == "national"]
               for i in ("tcm_share_chc", "tcm_share_thc", "tcm_share_chs", "tcm_share_village", "primary_tcm_visit_share")}
    assert targets == {
        "tcm_share_chc": [(">=", 100)], "tcm_share_thc": [(">=", 100)], "tcm_share_chs": [(">=", 85)],
        "tcm_share_village": [(">=", 70)], "primary_tcm_visit_share": [(">=", 30)],
    }


def test_national_targets_of_the_annex(cat) -> None:
    national = {i.id: (t.op, t.value) for i in cat.indicators.values() for t in i.targets if t.set == "national"}
    assert national["primary_facility_standard_rate"] == (">=", 95)  # 一、≥95%
    assert national["primary_visit_share"] == (">=", 65)  # 一、≥65%
    assert national["in_county_visit_rate"] == (">=", 90)  # 二、90%左右 (decision: ≥)
    assert national["gp_per_10k_urban"] == (">=", 2)  # 三、2名以上
    assert national["family_doctor_coverage"] == (">=", 30)  # 三、≥30%
    assert national["two_week_primary_first_share"] == (">=", 70)  # 四、≥70%
    assert national["telemedicine_county_coverage"] == (">=", 50)  # 五、50%以上
    assert national["referral_system_coverage_thc"] == (">=", 80)  # 六、80%以上
    assert national["referral_down_growth"] == (">=", 10)  # 七、10%以上
    assert national["pairing_coverage"] == ("==", 100)  # 八、全部
    assert national["standard_management_rate"] == (">=", 40)  # 九、40%以上
    assert ind(cat, "referral_down_growth").defn.kind == "growth"


def test_notes_are_checks(cat) -> None:
    checks = {c.id: c for c in cat.checks}
    # 注：获得家庭医生签约服务的建档立卡贫困人口数 ≤ 建档立卡的贫困人口数 ≤ 区域内贫困人口数
    chain = checks["t12.registered_poor_chain"]
    assert (chain.defn.rule, len(chain.terms), chain.severity) == ("le", 3, "logic")
    # 注：家庭签约服务费 = 医保基金 + 财政投入 + 个人付费
    assert check_text(cat, checks["t12.signup_fee_parts"], "T1") == (
        "签约服务费是____元/人/年 = 医保基金，分担____元/人/年 + 财政投入，分担____元/人/年 + 个人付费，分担____元/人/年")
    # 注：建立分级诊疗信息系统的二、三级医院 = 三级 + 二级
    assert checks["t12.info_sys_hospitals_parts"].defn.rule == "eq"
    # 注：同期基层医疗卫生机构总诊疗人次数 = 基层医疗卫生机构诊疗人次数
    assert checks["t12.primary_total_visits_eq_primary_visits"].defn.rule == "eq"


def test_twice_printed_fields_are_kept_and_tied(cat) -> None:
    t2 = cat.fields["T2"]
    assert t2["alos_tertiary_2"].duplicate_of == "alos_tertiary"
    assert t2["counties_300k_2"].duplicate_of == "counties_300k"
    assert t2["public_hospitals_2"].duplicate_of == "public_hospitals"
    twins = {c.id for c in cat.checks if c.defn.rule == "eq" and "T2" in c.defn.forms}
    assert {"t2.alos_tertiary_twin", "t2.counties_300k_twin"} <= twins


def test_optional_and_conditional_fields(cat) -> None:
    t3 = cat.fields["T3"]
    assert t3["tcm_key_specialties"].condition == "tcm_hospital"
    assert t3["cerebrovascular_referrals"].optional is True


def test_frameworks_of_2018_26(cat) -> None:
    fws = {f.id: f for f in cat.source.frameworks}
    assert len(fws["F1"].items) == 39 and len(fws["F2"].items) == 37
    assert sum(i.qualitative for i in fws["F1"].items) == 19
    assert sum(i.qualitative for i in fws["F2"].items) == 15
    linked = {i.id: i.indicators for i in fws["F1"].items if i.indicators}
    assert "tertiary_hospital_consortium_share" in linked["F1.03"]


def test_every_entry_names_its_source(cat) -> None:
    declared = {s.id for s in cat.source.sources}
    entries = [*(f for form in cat.source.forms for f in form.fields), *cat.source.indicators, *cat.source.checks, *cat.source.targets]
    assert all(e.source.split(" ", 1)[0] in declared for e in entries)
