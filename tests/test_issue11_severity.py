"""Issue 11 §3: a check the documents do not print, which legitimate data can break, is not a logic error."""

from __future__ import annotations

from tests.issue11 import audit, by_check


def _severity(cat, check_id: str) -> str:
    return next(c.severity for c in cat.checks if c.id == check_id)


def test_info_sys_parts_are_at_most_the_total(cat, tmp_path) -> None:
    # S004 表2 11.: "建立分级诊疗信息管理系统的医疗机构数（三级、二级、乡镇卫生院、社区卫生服务中心）" — no 公立;
    # its parts "建立分级诊疗信息管理系统的三级公立医院数" … are public only → parts ≤ total, not =.
    base = {"info_sys_tertiary": 10, "info_sys_secondary": 20, "info_sys_thc": 30, "info_sys_chc": 15}
    found, _ = audit(tmp_path, cat, "T2", {**base, "info_sys_institutions": 90})  # 10+20+30+15 = 75 ≤ 90 (15 private)
    assert by_check(found, "t2.info_sys_institutions_parts") == []
    found, cells = audit(tmp_path, cat, "T2", {**base, "info_sys_institutions": 70}, name="g.xlsx")  # 75 > 70
    hit = by_check(found, "t2.info_sys_institutions_parts")
    assert len(hit) == 1 and hit[0].severity == "error" and cells["info_sys_institutions"] in hit[0].cells


def test_consortium_counts_that_one_hospital_can_exceed_are_plausibility(cat, tmp_path) -> None:
    # S004 表2 12.: "区域内三级公立医院启动医联体的数量（个）" — one hospital may start several consortia.
    found, cells = audit(tmp_path, cat, "T2", {"tertiary_hospitals_starting_consortia": 14, "tertiary_public_hospitals": 9})
    hit = by_check(found, "t2.tertiary_starting_consortia_le_total")
    assert [f.severity for f in hit] == ["warning"] and cells["tertiary_hospitals_starting_consortia"] in hit[0].cells
    # S004 表1 12.: 表1 prints "城市医联体总数（个）" where the formula (二、（一）4.（1）) names 医疗集团总数.
    assert _severity(cat, "t1.consortia_parts") == "plausibility"
    assert _severity(cat, "t2.consortia_parts") == "logic"  # 表2 prints 医疗集团总数: the printed formula holds


def test_other_unprinted_derivations_are_plausibility(cat) -> None:
    for check_id in ("t12.referral_down_le_inpatients", "t12.registered_poor_signed_le_key_group_signups",
                     "t4.dispatch_long_term_le_visits", "t3.telemedicine_primary_le_covered"):
        assert _severity(cat, check_id) == "plausibility", check_id


def test_disease_upward_referrals_count_both_directions_of_upward(cat, tmp_path) -> None:
    # S004 表3 20.–24. "脑血管疾病上转、下转人数（例）（选填）"; note 10: "“上转病人例数”指从本院转到上级医院".
    # Decision: a disease's 上转 on the lead's form = sent up + received from lower hospitals.
    diseases = {f"{d}_referrals_up": 10 for d in ("cerebrovascular", "hypertension", "diabetes", "copd", "cancer")}
    vals = {**diseases, "referrals_up": 5, "referrals_received": 60}  # 50 ≤ 5 + 60: a tertiary lead mostly receives
    found, _ = audit(tmp_path, cat, "T3", vals)
    assert by_check(found, "t3.disease_referrals_up_le_referrals_up") == []
    found, _ = audit(tmp_path, cat, "T3", {**vals, "referrals_received": 40}, name="g.xlsx")  # 50 > 5 + 40
    assert [f.severity for f in by_check(found, "t3.disease_referrals_up_le_referrals_up")] == ["warning"]
