"""Issue 25 §3: no false alarm at the edges of real hospitals, no miss, one finding per condition.

Each case starts from the clean example of its form (no finding) and changes what the case is about, so the
findings asserted are all the findings. S004 第二部分 说明 (line 1250): “各项考核指标如未开展，填“0”；某项指标如未统计，填“--””.
"""

from __future__ import annotations

import copy

import pytest

import yjzl
from examples.build_examples import clean
from tests.builders import SheetSpec, write_workbook
from tests.test_catalogue_check import RAW, problems, write
from yjzl.workbook.reader import _quote


def _audit(tmp_path, cat, form_id: str, changes: dict, notes: dict | None = None, period: str | None = None,
           name: str = "f.xlsx"):
    """The clean example of `form_id` with `changes`: (findings, {field: cell})."""
    code = cat.forms[form_id].code
    where = write_workbook(tmp_path / name, cat, [SheetSpec(code, form_id, {**clean(form_id), **changes}, notes=notes or {})])
    found = yjzl.validate(tmp_path / name, catalogue=cat, period=period).files[0].findings
    return found, {fid: f"{_quote(code)}!{c}" for (_, fid), c in where.items()}


def _got(found) -> list[tuple]:
    return sorted((f.check, f.severity, tuple(f.cells)) for f in found)


def test_the_clean_examples_are_clean(tmp_path, cat) -> None:
    for form_id in ("T2", "T3", "T3M", "T4"):
        assert _audit(tmp_path, cat, form_id, {}, name=f"{form_id}.xlsx")[0] == []


NO_INPATIENTS = {"open_beds": 0, "discharges": 0, "admissions": 0, "alos": 0, "inpatient_cost_per_case": 0,
                 "inpatient_cost_avg": 0, "inpatient_revenue": 0, "bed_occupancy": 0, "caesarean_cases": 0,
                 "ami_cases": 0, "pci_cases": 0, "total_surgeries": 0}


def test_a_member_without_inpatient_service_filling_0_gets_no_warning(tmp_path, cat) -> None:
    # 表3（成员单位）: a community health centre in the group has no beds; 平均住院日 and 住院次均费用 are 0 (未开展，填0)
    found, _ = _audit(tmp_path, cat, "T3M", NO_INPATIENTS)
    assert _got(found) == []  # t34.alos_range (0.5–60) and t34.inpatient_cost_range (300–100 000) no longer fire
    # the same member with inpatients and an average of 0 is still caught, at the average's cell
    found, cells = _audit(tmp_path, cat, "T3M", {"alos": 0})
    assert _got(found) == [("t34.alos_range", "warning", (cells["alos"],))]  # 6 700 discharges, 0 days on average


def test_a_long_stay_member_is_told_it_may_explain(tmp_path, cat) -> None:
    # a psychiatric member: 90 days on average (> 60)
    found, cells = _audit(tmp_path, cat, "T3M", {"alos": 90})
    (f,) = [f for f in found if f.check == "t34.alos_range"]
    assert f.cells == [cells["alos"]] and f.severity == "warning"
    assert f.message == "「平均住院日」为 90，超出合理范围 0.5–60，请核实；精神、康复、护理等长期住院的成员单位可在说明栏写明原因"
    found, _ = _audit(tmp_path, cat, "T3M", {"alos": 90}, notes={"alos": "精神专科医院，长期住院"}, name="n.xlsx")
    (f,) = [f for f in found if f.check == "t34.alos_range"]
    assert f.explained and f.explanation == "精神专科医院，长期住院"


def test_referrals_may_exceed_discharges_as_the_note_says(tmp_path, cat) -> None:
    # referral_share_of_discharges' note: referrals count outpatients too; 410 of 60 discharges = 683.33 %
    changes = {"discharges": 60, "admissions": 60, "referrals_total": 410, "referrals_up": 300, "referrals_down": 60,
               "referrals_received": 50, "alos": 8.8, "inpatient_revenue": 374040.0, "inpatient_cost_per_case": 6234.0,
               "inpatient_cost_avg": 6234.0, "caesarean_cases": 0, "ami_cases": 0, "pci_cases": 0}
    code = cat.forms["T3M"].code
    write_workbook(tmp_path / "m.xlsx", cat, [SheetSpec(code, "T3M", {**clean("T3M"), **changes})])
    rep = yjzl.validate(tmp_path / "m.xlsx", catalogue=cat)
    share = next(r for r in rep.files[0].indicators if r.id == "referral_share_of_discharges")
    assert share.value == 683.33
    assert [f for f in rep.files[0].findings if "referral_share_of_discharges" in f.check] == []
    assert cat.indicators["referral_share_of_discharges"].defn.plausible.max is None


@pytest.mark.parametrize(("form_id", "changes", "check"), [
    # 表4 13. 连续工作3个月以上的人才人数 over 11. 派出人次数 (and long_term_dispatch_share over 100 %)
    ("T4", {"dispatch_long_term_staff": 400}, "t4.dispatch_long_term_le_visits"),
    # 表2 20. 下转 over 住院病人数 (and referral_down_share_of_inpatients over 100 %)
    ("T2", {"referral_down_total": 300000, "referral_down_primary": 250000, "referral_down_continuing": 50000},
     "t12.referral_down_le_inpatients"),
    # 表2 12. 启动医联体的三级公立医院 over 三级公立医院总数 (and tertiary_hospital_consortium_share over 100 %)
    ("T2", {"tertiary_hospitals_starting_consortia": 9}, "t2.tertiary_starting_consortia_le_total"),
])
def test_one_condition_one_finding(tmp_path, cat, form_id, changes, check) -> None:
    found, _ = _audit(tmp_path, cat, form_id, changes)
    assert [f.check for f in found] == [check]
    assert [f.severity for f in found] == ["warning"]


def test_dispatch_days_are_bounded_by_the_period(tmp_path, cat) -> None:
    # 表4 11./12.: 2 500 days over 10 person-times in 2019 H1 (181 days): at most 10 × 181 = 1 810
    found, cells = _audit(tmp_path, cat, "T4", {"dispatch_visits": 10, "dispatch_days": 2500, "dispatch_long_term_staff": 5})
    assert _got(found) == [("t34.dispatch_days_le_visits_period", "warning", (cells["dispatch_days"], cells["dispatch_visits"]))]
    assert found[0].message == ("「医联体内三级医疗机构向基层医疗卫生机构派出专业技术/管理人才的总天数」（2500）不应大于"
                                "「医联体内三级医疗机构向基层医疗卫生机构派出专业技术/管理人才的人次数 × 统计周期天数"
                                "（2019年上半年：181）」（1810）")
    # the whole year 2019: 10 × 365 = 3 650 ≥ 2 500
    found, _ = _audit(tmp_path, cat, "T4", {"dispatch_visits": 10, "dispatch_days": 2500, "dispatch_long_term_staff": 5},
                      period="2019", name="y.xlsx")
    assert [f for f in found if f.check == "t34.dispatch_days_le_visits_period"] == []
    # 表3 13./14. alike
    found, cells = _audit(tmp_path, cat, "T3", {"dispatch_visits": 10, "dispatch_days": 2500}, name="t3.xlsx")
    assert ("t34.dispatch_days_le_visits_period", "warning", (cells["dispatch_days"], cells["dispatch_visits"])) \
        in _got(found)


@pytest.mark.parametrize(("form_id", "changes", "field", "check", "severity", "message"), [
    # 表3 19./表4 27. 日间手术占择期手术的比例 250 %: a share of elective operations
    ("T3", {"day_surgery_elective_share": 250}, "day_surgery_elective_share", "t34.day_surgery_elective_share_range",
     "error", "「日间手术占择期手术的比例」为 250，超出合理范围 0–100，请核实"),
    ("T4", {"day_surgery_elective_share": 250}, "day_surgery_elective_share", "t34.day_surgery_elective_share_range",
     "error", "「日间手术占择期手术的比例」为 250，超出合理范围 0–100，请核实"),
    # CT平均出报告时间 300 小时
    ("T3", {"ct_report_hours": 300}, "ct_report_hours", "t34.ct_report_hours_range", "warning",
     "「CT平均出报告时间」为 300，超出合理范围 0–72，请核实"),
    ("T3M", {"ct_report_hours": 300}, "ct_report_hours", "t34.ct_report_hours_range", "warning",
     "「CT平均出报告时间」为 300，超出合理范围 0–72，请核实"),
    # 表2: 处方用量最长 52 周 (S004 国办发〔2017〕32号: 不超过 2 个月用药量的长处方)
    ("T2", {"max_prescription_weeks": 52}, "max_prescription_weeks", "t2.max_prescription_weeks_range", "warning",
     "「试点病种患者在医疗机构开具处方用量最长（周，平均数）」为 52，超出合理范围 0–9，请核实"),
    # a city's 表2 claiming 7 cities that put 分级诊疗 into the government's appraisal
    ("T2", {"supervision_cities": 7}, "supervision_cities", "t2.supervision_cities_le_one", "error",
     "「将分级诊疗纳入对政府绩效考核的地市数（个）」填了 7：市级表由一个地市填报，只能是 0 或 1（本市是否纳入）"),
])
def test_each_miss_is_flagged_at_its_cell(tmp_path, cat, form_id, changes, field, check, severity, message) -> None:
    found, cells = _audit(tmp_path, cat, form_id, changes)
    assert _got(found) == [(check, severity, (cells[field],))]
    assert found[0].message == message


def test_no_fee_with_a_fee(tmp_path, cat) -> None:
    # 表2 22.: 是否设立签约服务费？否, 签约服务费是 120 元/人/年 (its parts 50 + 50 + 20 as in the clean example)
    found, cells = _audit(tmp_path, cat, "T2", {"signup_fee_set": "否"})
    assert _got(found) == [("t12.signup_fee_zero_when_not_set", "error", (cells["signup_fee"], cells["signup_fee_set"]))]
    assert found[0].message == "「是否设立签约服务费」填“否”，但「签约服务费（元/人/年）」填了 120：未设立时应填 0，设立了则改为“是”"
    found, _ = _audit(tmp_path, cat, "T2", {"signup_fee_set": "否", "signup_fee": 0, "signup_fee_insurance": 0,
                                           "signup_fee_finance": 0, "signup_fee_personal": 0}, name="z.xlsx")
    assert found == []


@pytest.mark.parametrize(("form_id", "changes", "check"), [
    # 表3 二、（三）8. 远程医疗服务覆盖的医院数 (downward) and 9. 与上级医院建立远程医疗服务的医院数
    ("T3", {"telemedicine_upper_hospitals": 40}, "t3.telemedicine_upper_le_covered"),
    # 表2 基本信息 公立医院数 and 11. 公立医院总数: labels differ
    ("T2", {"public_hospitals_2": 41}, "t2.public_hospitals_twin"),
])
def test_breakable_by_correct_data_is_plausibility(tmp_path, cat, form_id, changes, check) -> None:
    found, _ = _audit(tmp_path, cat, form_id, changes)
    assert [(f.check, f.severity) for f in found if f.check == check] == [(check, "warning")]


def test_the_two_questionable_indicators_are_decided(cat) -> None:
    # S002 附件1 F1.28 基层医疗卫生机构诊疗量占比及增长率: the share's change in percentage points, not summed in groups
    d = cat.indicators["primary_visit_share_growth"].defn
    assert (d.kind, d.unit, d.factor, d.lag, d.of) == ("change", "百分点", 1, 1, "primary_visits / total_visits * 100")
    # S002 附件1 F1.27 医联体内二级以上医疗机构……派出……人次数: over the consortia's secondary institutions (表2 12.)
    d = cat.indicators["secondary_dispatch_per_hospital"].defn
    assert (d.numerator, d.denominator) == ("secondary_dispatched_professionals + secondary_dispatched_managers",
                                             "covered_secondary")


def test_a_change_in_points_is_not_summed_in_groups(tmp_path, cat) -> None:
    now, then = tmp_path / "now", tmp_path / "then"
    now.mkdir()
    then.mkdir()
    for folder, shares in ((now, (52, 60)), (then, (50, 50))):
        for name, primary in zip(("甲", "乙"), shares):
            write_workbook(folder / f"{name}.xlsx", cat, [SheetSpec("表2", "T2", {
                "region": "丙省", "submitter": f"{name}市", "primary_visits": primary, "total_visits": 100})])
    rep = yjzl.compute(now, cat, previous=[then], group_by="region")
    got = {f.forms[0].name: next(r.value for r in f.indicators if r.id == "primary_visit_share_growth") for f in rep.files}
    assert got == {"甲市": 2.0, "乙市": 10.0}  # 52 − 50 and 60 − 50 points
    assert [g for g in rep.groups if g.indicator.id == "primary_visit_share_growth"] == []


BREAKS = {
    # a share with a max of 100: its logic ≤ already says it
    "share bounded twice": (lambda d: _ind(d, "tcm_share_chc").update(plausible={"min": 0, "max": 100, "note": "x"}),
                            "indicators[tcm_share_chc].plausible"),
    # a non-share bounded at 100 (the old long_term_dispatch_share)
    "non-share at 100": (lambda d: _ind(d, "long_term_dispatch_share").update(plausible={"min": 0, "max": 100, "note": "x"}),
                         "indicators[long_term_dispatch_share].plausible"),
    # a member's average ranged without its guard
    "range on a service not carried out": (lambda d: _check(d, "t34.alos_range").pop("when"), "checks[t34.alos_range]"),
}


def _ind(data: dict, ind_id: str) -> dict:
    return next(i for i in data["indicators"] if i["id"] == ind_id)


def _check(data: dict, check_id: str) -> dict:
    return next(c for c in data["checks"] if c["id"] == check_id)


@pytest.mark.parametrize("name", list(BREAKS))
def test_catalogue_check_flags_suspicious_ranges(run, tmp_path, name: str) -> None:
    data = copy.deepcopy(RAW)
    breaker, where = BREAKS[name]
    breaker(data)
    rc, found = problems(run, write(tmp_path, data))
    assert rc == 1
    assert [(p["code"], p["where"]) for p in found] == [("YC013", where)]
