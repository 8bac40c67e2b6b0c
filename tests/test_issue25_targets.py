"""Issue 25 §2 (targets), §3 (one field id per concept on 表3/表4) and §4 (framework coverage).

Each national target is pinned to the lines of seed 004 that state it: the quoted words must be in those
lines, and the target in the national set with the operator, value and year read from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import yjzl
from tests.builders import SheetSpec, write_workbook
from tests.conftest import SEEDS
from yjzl.text import label_key

S004 = "004_4dca3a86e03f15ed.txt"


def _lines(name: str, first: int, last: int) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed not found at {path} (shared/ beside the checkout, or YJZL_SEEDS)")
    text = path.read_text(encoding="utf-8").splitlines()[first - 1:last]
    return label_key("".join("".join(text).split()))


def _target(cat, indicator: str, tset: str):
    (t,) = [t for t in cat.indicators[indicator].targets if t.set == tset]
    return t


# (first line, last line, quote, indicator, op, value, due year) — seed 004, national set
NATIONAL = [
    (2711, 2715, "三级公立医院要全部参与并发挥引领作用", "tertiary_hospital_consortium_share", "==", 100, 2017),
    (3014, 3018, "10月底前所有三级公立医院都要启动医联体建设工作", "tertiary_hospital_consortium_share", "==", 100, 2017),
    (2711, 2715, "三级公立医院要全部参与并发挥引领作用", "tertiary_consortium_coverage", ">=", 100, 2017),  # 表1's reading
    (2723, 2728, "所有二级公立医院和政府办基层医疗卫生机构全部参与医联体", "secondary_consortium_coverage", ">=", 100, 2020),
    (2723, 2728, "所有二级公立医院和政府办基层医疗卫生机构全部参与医联体", "thc_consortium_share", "==", 100, 2020),
    (2842, 2844, "2017年要把所有贫困人口纳入签约服务范围", "registered_poor_signup_share", "==", 100, 2017),
    (2848, 2852, "不超过2个月用药量的长处方服务", "max_prescription_weeks_avg", "<=", 8.86, 2017),
    (2885, 2889, "不需办理执业地点变更和执业机构备案手续", "multisite_no_change_share", "==", 100, 2017),
    (3943, 3947, "2020年底前，远程医疗要覆盖医联体内基层医疗卫生机构", "telemedicine_primary_coverage", ">=", 100, 2020),
    (2220, 2224, "实现城乡每万名居民有2—3名合格的全科医生", "gp_per_10k", ">=", 2, 2020),
]
# (first line, last line, quote) — stated in words, or for a population no form counts: qualitative targets
QUALITATIVE = [
    (3014, 3018, "2017年6月底前各省（区、市）都要明确推进医联体建设的工作方案"),
    (2711, 2717, "综合医改试点省份每个地市以及分级诊疗试点城市至少建成一个有明显成效的医联体"),
    (4229, 4233, "每个试点城市至少建成一个有明显成效的医联体"),
    (3943, 3947, "2018年底前，远程医疗要覆盖所有城市医疗集团和县域医共体"),
    (3943, 3947, "2020年底前，远程医疗要覆盖医联体内基层医疗卫生机构"),  # 县域医共体: 表4 counts no facilities
    (2723, 2728, "政府办基层医疗卫生机构全部参与医联体"),  # 社区卫生服务中心: 表2 counts centres of every owner
]


@pytest.mark.parametrize(("first", "last", "quote", "indicator", "op", "value", "by"), NATIONAL)
def test_national_targets_of_seed_004_outside_the_annex(cat, first, last, quote, indicator, op, value, by) -> None:
    assert label_key(quote) in _lines(S004, first, last), quote
    t = _target(cat, indicator, "national")
    assert (t.op, t.value, t.by) == (op, value, by)
    assert t.source.startswith("S004 第四部分") and t.note


@pytest.mark.parametrize(("first", "last", "quote"), QUALITATIVE)
def test_the_rest_are_qualitative_targets(cat, first, last, quote) -> None:
    seed = _lines(S004, first, last)
    assert label_key(quote) in seed, quote
    listed = [q for q in cat.source.qualitative_targets if q.set == "national"]
    # the label quotes these lines ("……" marks words left out) and says what the quote says
    assert any(all(label_key(p) in seed for p in q.label.split("……")) and any(label_key(quote) in label_key(p) or
               label_key(p) in label_key(quote) for p in q.label.split("……")) for q in listed), quote
    assert all(q.note and q.source.startswith("S004") for q in listed)


def test_qualitative_targets_are_named_without_a_verdict(run, cat) -> None:
    res = run("catalogue", "show", "national")
    assert res.code == 0 and "定性目标（不判定，6）" in res.out and "2018年底前，远程医疗要覆盖所有城市医疗集团和县域医共体" in res.out
    res = run("catalogue", "show", "chc_consortium_share")  # the aim beside the indicator it is about
    assert "定性目标（不判定）" in res.out and "陕西省2017：到2020年……所有二级公立医院和政府办基层医疗机构全部参与医联体" in res.out
    assert not cat.indicators["chc_consortium_share"].targets
    res = run("catalogue", "list", "--kind", "target")
    assert "远程医疗要覆盖所有城市医疗集团和县域医共体" in res.out and "定性" in res.out


def _book(tmp_path: Path, cat, name: str, sheets: list[SheetSpec]) -> Path:
    path = tmp_path / name
    write_workbook(path, cat, sheets)
    return path


def _results(path: Path, cat, sets=None, period: str | None = None) -> dict:
    rep = yjzl.validate(path, catalogue=cat, target_sets=sets, period=period)
    return {r.id: r for r in rep.files[0].indicators}


def test_targets_reachable_by_construction(tmp_path, cat) -> None:
    # A compliant region: all 1 000 registered poor signed; the region's poor population is larger (1 500).
    vals = {"registered_poor_signed": 1000, "registered_poor": 1000, "poor_population": 1500, "period": "2019"}
    got = _results(_book(tmp_path, cat, "t1.xlsx", [SheetSpec("表1", "T1", vals)]), cat)
    r = got["registered_poor_signup_share"]  # 1000 ÷ 1000 × 100 = 100: met (national and 陕西, both 2017)
    assert r.value == 100.0 and [(t.set, t.met) for t in r.targets] == [("national", True), ("shaanxi_2017", True)]
    r = got["poor_family_doctor_coverage"]  # 1000 ÷ 1500 × 100 = 66.67: no == 100 target any more
    assert r.value == 66.67 and r.targets == []
    # 社区卫生服务中心: 80 of 100 centres in consortia (maybe all government-run ones): no verdict; 乡镇卫生院 judged
    vals = {"chc_in_consortia": 80, "community_health_centers": 100, "thc_in_consortia": 40, "township_health_centers": 40,
            "period": "2020"}
    got = _results(_book(tmp_path, cat, "t2.xlsx", [SheetSpec("表2", "T2", vals)]), cat)
    assert got["chc_consortium_share"].value == 80.0 and got["chc_consortium_share"].targets == []
    assert {t.set: t.met for t in got["thc_consortium_share"].targets} == {"national": True, "shaanxi_2017": True, "yangjiang": True}


def test_national_targets_compute_by_hand(tmp_path, cat) -> None:
    vals = {"gps": 2100, "hukou_population": 10_000_000, "multisite_change_required": "否", "max_prescription_weeks": 12,
            "covered_secondary": 45, "secondary_public_hospitals": 50, "period": "2020"}
    got = _results(_book(tmp_path, cat, "t2.xlsx", [SheetSpec("表2", "T2", vals)]), cat, sets=["national"])
    assert got["gp_per_10k"].value == 2.1 and got["gp_per_10k"].targets[0].met  # 2100 ÷ 10 000 000 × 10 000
    assert got["multisite_no_change_share"].value == 100 and got["multisite_no_change_share"].targets[0].met  # 否 → 1 − 0
    assert got["max_prescription_weeks_avg"].value == 12 and got["max_prescription_weeks_avg"].targets[0].met is False  # > 8.86
    assert got["secondary_consortium_coverage"].value == 90.0 and got["secondary_consortium_coverage"].targets[0].met is False
    # before 2020 the same 90 % is 未到期, not 未达标
    got = _results(_book(tmp_path, cat, "t2b.xlsx", [SheetSpec("表2", "T2", {**vals, "period": "2018"})]), cat, sets=["national"])
    t = got["secondary_consortium_coverage"].targets[0]
    assert (t.by, t.due, t.met) == (2020, False, None)


def test_local_targets_the_national_forms_measure(tmp_path, cat) -> None:
    # S000 二、（二）: 2018年各医联体内部实现转诊患者诊疗信息共享 — 表3 5. 是/否
    for answer, value, met in (("是", 100, True), ("否", 0, False)):
        vals = {"records_shared": answer, "period": "2019"}
        got = _results(_book(tmp_path, cat, f"t3{value}.xlsx", [SheetSpec("表3", "T3", vals)]), cat, sets=["beijing_2017"])
        r = got["records_shared_share"]
        assert (r.value, [(t.by, t.met) for t in r.targets]) == (value, [(2018, met)])
    # S001 四、（二）不需办理多机构执业备案; S001 三、（二）3. 六个省级特色专科联盟; 北京 files 表1: 全部三级医院纳入医联体
    got = _results(_book(tmp_path, cat, "t2.xlsx", [SheetSpec("表2", "T2", {"multisite_change_required": "是"})]), cat,
                   sets=["shaanxi_2017"])
    assert [t.met for t in got["multisite_no_change_share"].targets] == [False]  # 是 (change required) → 0 %
    vals = {"specialty_alliances": 6, "covered_tertiary": 30, "tertiary_public_hospitals": 25, "period": "2019"}
    got = _results(_book(tmp_path, cat, "t1.xlsx", [SheetSpec("表1", "T1", vals)]), cat)
    assert {t.set: t.met for t in got["specialty_alliance_count"].targets} == {"shaanxi_2017": True, "beijing_2017": False}  # 6 < 8
    r = got["tertiary_consortium_coverage"]  # 30 ÷ 25 × 100 = 120 ≥ 100
    assert r.value == 120.0 and {t.set: t.met for t in r.targets} == {"national": True, "beijing_2017": True}


def test_in_principle_is_read_with_a_tolerance(cat) -> None:
    # S000 二、（六）: "原则上48小时内安排相应专家号源" — read like 基本: == 100 with tolerance 5, shown with the target
    from yjzl.catalogue.loader import load
    from yjzl.period import parse
    from yjzl.rules.indicators import meets

    bj = load(None, [Path(__file__).resolve().parent.parent / "examples" / "overlays" / "北京.yaml"])
    ind = bj.indicators["critical_referral_48h_share"]
    (t,) = ind.targets
    assert (t.op, t.value, t.tolerance) == ("==", 100, 5) and "原则上" in t.note
    assert [x.met for x in meets(ind, 95.0, {"beijing_2017"}, parse("2019"))] == [True]  # 19 of 20 within 48 h
    assert [x.met for x in meets(ind, 90.0, {"beijing_2017"}, parse("2019"))] == [False]  # 18 of 20


def test_one_field_id_per_concept_on_the_consortium_forms(cat) -> None:
    # §3: 表3 and 表4 print the same items (派出人才的人次数/总天数, 信息共享, 检查检验结果互认, 章程, 医保打包支付)
    # under one label; their member forms print 可确保收治的病种数 and 尽力收治的病种数 (上级医院/县级医院).
    by_label: dict[str, set[str]] = {}
    for form in ("T3", "T4", "T3M", "T4M"):
        for f in cat.forms[form].fields:
            if not f.duplicate_of and not any(g.duplicate_of == f.id for g in cat.forms[form].fields):
                by_label.setdefault(label_key(f.label), set()).add(f.id)
    assert {k: v for k, v in by_label.items() if len(v) > 1} == {}
    for fid in ("dispatch_visits", "dispatch_days", "records_shared", "test_result_recognition", "charter_rights_defined",
                "bundled_insurance_payment"):
        assert fid in cat.fields["T3"] and fid in cat.fields["T4"], fid
    for fid in ("diseases_assured", "diseases_with_help"):
        assert fid in cat.fields["T3M"] and fid in cat.fields["T4M"], fid
    d = cat.indicators["dispatch_days_per_visit"].defn  # one measure, one indicator, one unit
    assert d.forms == ["T3", "T4"] and d.unit == "天/人次" and "talent_dispatch_days_per_visit" not in cat.indicators


def test_framework_coverage(run, cat) -> None:
    items = {i.id: i for fw in cat.source.frameworks for i in fw.items}
    assert len(items) == 76 and sum(1 for i in items.values() if i.indicators) >= 49
    for iid in ("F1.05", "F1.08", "F1.15", "F1.18", "F1.24", "F1.25", "F1.33", "F1.34", "F1.35", "F2.04", "F2.07", "F2.35",
                "F2.08", "F2.11", "F2.13", "F2.14", "F2.15", "F2.21", "F2.22", "F2.23", "F2.24", "F2.25", "F2.29"):
        assert items[iid].indicators, iid
    # the stale links of issue 25 §4
    assert "referral_up_share_of_referrals" not in items["F2.19"].indicators  # 表3's 上转: the lead's own
    assert "referral_share_of_discharges" not in items["F2.19"].indicators  # its note said so already
    assert items["F2.16"].indicators == ["test_result_recognition_share"]  # 表3 6./表4 7., not the region's share
    assert "primary_visit_share_growth" in items["F2.18"].indicators  # the growth F1.28 has
    assert "bed_occupancy_change" not in items["F2.31"].indicators  # the lead hospital is not primary care
    assert "township_outpatient_cost_change" in items["F2.32"].indicators and "no change indicator" not in (items["F2.32"].note or "")
    res = run("catalogue", "list", "--kind", "framework", "--format", "json")
    import json

    assert sum(1 for row in json.loads(res.out) if row["indicators"]) >= 49


def test_framework_indicators_compute_by_hand(tmp_path, cat) -> None:
    t3 = {"imaging_centre": "是", "logistics_centre": "否", "lab_centre": "是", "sterilisation_centre": "是",
          "new_tech_helped": 12, "new_projects_helped": 5, "study_times": 40}
    t4 = {"trainees_3_6_months": 10, "trainees_7_12_months": 4, "trainees_over_12_months": 1, "management_output": "否"}
    t2 = {"private_in_consortia": 7, "nursing_homes_in_consortia": 2, "rehab_hospitals_in_consortia": 3, "infant_mortality": 4.5}
    path = _book(tmp_path, cat, "f.xlsx", [SheetSpec("表3", "T3", t3), SheetSpec("表4", "T4", t4), SheetSpec("表2", "T2", t2)])
    got = {(r.form, r.id): r.value for r in yjzl.validate(path, catalogue=cat).files[0].indicators}
    assert got[("T3", "shared_centre_count")] == 3  # 1 + 0 + 1 + 1
    assert got[("T3", "new_tech_project_count")] == 17 and got[("T3", "study_visit_count")] == 40
    assert got[("T4", "trainee_count")] == 15 and got[("T4", "management_output_share")] == 0
    assert got[("T2", "social_consortium_member_count")] == 12 and got[("T2", "infant_mortality_rate")] == 4.5
