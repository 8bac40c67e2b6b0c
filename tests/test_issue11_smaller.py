"""Issue 11 §7: organisation-code check digits, twins named by their places, clean labels, twins' units."""

from __future__ import annotations

import pytest

from tests.issue11 import audit, by_check
from yjzl.rules.orgcode import org_check_digit, wrong_check_digit


@pytest.mark.parametrize(("code", "expected"), [
    ("91350100M000100Y43", None),  # a valid 统一社会信用代码 (GB 32100; python-stdnum's example)
    ("91350100M000100Y44", ("3", "GB 32100")),  # last character changed
    ("D2143569-X", None),  # GB 11714's own example 组织机构代码
    ("D2143569-1", ("X", "GB 11714")),
    ("12345678-9", ("8", "GB 11714")),  # 3·1+7·2+9·3+10·4+5·5+8·6+4·7+2·8 = 201; 201 mod 11 = 3; 11 − 3 = 8
    ("某某医院", None), ("1234", None),  # not shaped like either code: not judged
])
def test_check_digits(code: str, expected) -> None:
    assert wrong_check_digit(code) == expected


def test_gb11714_special_values() -> None:
    # 11 − (Σ mod 11): 10 is written X, 11 is written 0
    assert org_check_digit("00000000") == "0"  # Σ = 0 → 11 → 0
    assert org_check_digit("D2143569") == "X"


def test_a_wrong_check_digit_is_a_warning_at_its_cell(cat, tmp_path) -> None:
    # S004 表3 基本信息 "医院组织机构代码"
    found, cells = audit(tmp_path, cat, "T3", {"hospital_name": "某市第一人民医院", "org_code": "12440700456789012X"})
    hit = [f for f in found if f.code == "YJ015"]
    expected = wrong_check_digit("12440700456789012X")[0]
    assert len(hit) == 1 and hit[0].severity == "warning" and hit[0].cells == [cells["org_code"]]
    assert hit[0].message == f"「医院组织机构代码」“12440700456789012X”的校验位不对：按 GB 32100 最后一位应为 {expected}，请核对代码"
    found, _ = audit(tmp_path, cat, "T4M", {"org_code": "91350100M000100Y43"}, name="ok.xlsx")
    assert [f for f in found if f.code == "YJ015"] == []
    assert by_check(found, "org-code-check-digit") == []


def test_a_field_printed_twice_is_named_by_its_places(cat, tmp_path) -> None:
    # S004 表3 基本信息 "日间手术例次数" and 四、（五） "17.日间手术例次数": the twin check named the same label twice.
    found, cells = audit(tmp_path, cat, "T3", {"day_surgery_cases": 1200, "day_surgery_cases_2": 1100})
    hit = by_check(found, "t3.day_surgery_cases_repeat")
    assert len(hit) == 1 and set(hit[0].cells) == {cells["day_surgery_cases"], cells["day_surgery_cases_2"]}
    assert hit[0].message == "「日间手术例次数（第17项）」（1100）应等于「日间手术例次数（基本信息）」（1200），相差 100"
    # S004 表2 基本信息 prints "三级医院平均住院日" twice in the same section: say which occurrence
    found, _ = audit(tmp_path, cat, "T2", {"alos_tertiary": 9.2, "alos_tertiary_2": 9.5}, name="t2.xlsx")
    msg = by_check(found, "t2.alos_tertiary_twin")[0].message
    assert "三级医院平均住院日（基本信息第1处）" in msg and "三级医院平均住院日（基本信息第2处）" in msg


def test_labels_in_messages_drop_the_forms_blanks(cat, tmp_path) -> None:
    # S004 表1 20.: "签约服务费是____元/人/年", "其中：医保基金，分担____元/人/年" …; "否设立签约服务费？"
    vals = {"signup_fee": 120, "signup_fee_insurance": 70, "signup_fee_finance": 40, "signup_fee_personal": 20}
    found, _ = audit(tmp_path, cat, "T1", {**vals, "signup_fee_set": "可能"})
    msg = by_check(found, "t12.signup_fee_parts")[0].message  # 120 ≠ 70 + 40 + 20 = 130
    assert msg == ("「签约服务费（元/人/年）」（120）应等于「医保基金，分担（元/人/年） + 财政投入，分担（元/人/年） + "
                   "个人付费，分担（元/人/年）」（130），相差 10")
    assert "____" not in "".join(f.message for f in found)
    yesno = next(f for f in found if f.code == "YJ009")
    assert yesno.message.startswith("「是否设立签约服务费」应填")  # no trailing ？ inside the quotes


def test_twins_share_their_unit(cat) -> None:
    # 实际开放总床日数 on 表3 and 表4; 门诊总诊疗人次数（例次） and its repeats (门诊诊疗量, 门诊人次数)
    units = {(f, d): cat.fields[f][d].unit for f in cat.fields for d in ("open_bed_days", "occupied_bed_days",
                                                                          "outpatient_visits", "outpatient_volume")
             if d in cat.fields[f]}
    assert {u for (f, d), u in units.items() if "bed_days" in d} == {"床日"}
    assert {u for (f, d), u in units.items() if "outpatient" in d} == {"例次"}


def test_catalogue_check_refuses_twins_in_different_units(run, tmp_path) -> None:
    import copy

    from tests.test_catalogue_check import RAW, field, problems, write

    data = copy.deepcopy(RAW)
    field(data, "T3", "open_bed_days")["unit"] = "日"
    rc, found = problems(run, write(tmp_path, data))
    assert rc == 1 and any(p["code"] == "YC006" and "open_bed_days" in p["where"] for p in found), found
