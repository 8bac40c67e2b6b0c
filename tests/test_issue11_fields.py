"""Issue 11 §2: printed lines that are not fields, optional 其中 parts, and the submitter's identity lines."""

from __future__ import annotations

import openpyxl

import yjzl
from tests.issue11 import audit

HEADING = "签约服务费实际筹资中涵盖医保基金、财政投入和签约居民个人付费情况"


def test_the_funding_line_is_a_heading_not_a_field(cat, tmp_path) -> None:
    # S004 表1 20. (and 表2 22.): "签约服务费实际筹资中涵盖医保基金、财政投入和签约居民个人付费情 / 况" has no blank,
    # then "其中：医保基金，分担____元/人/年" … the three amounts it heads.
    for form_id in ("T1", "T2"):
        form = cat.forms[form_id]
        assert all(f.label != HEADING for f in form.fields)
        heading = next(s for s in form.sections if s.label == HEADING)
        assert {f.id for f in form.fields if f.section == heading.id} == {
            "signup_fee_insurance", "signup_fee_finance", "signup_fee_personal"}
    found, _ = audit(tmp_path, cat, "T1", {"signup_fee": 120, "signup_fee_insurance": 70, "signup_fee_finance": 40,
                                          "signup_fee_personal": 10})
    assert not [f for f in found if HEADING in f.message]


def test_a_value_typed_beside_the_heading_is_not_an_unknown_label(cat, tmp_path) -> None:
    path = tmp_path / "t1.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append(["指标", "数值"])
    ws.append([HEADING, "医保基金、财政投入、个人付费"])
    ws.append(["户籍总人数", 1000])
    wb.save(path)
    found = yjzl.validate(path, catalogue=cat).files[0].findings
    assert not [f for f in found if f.code in ("YJ006", "YJ001") and HEADING in f.message]


def test_the_parts_of_an_optional_item_are_optional(cat, tmp_path) -> None:
    # S004 表3 20.: "20.脑血管疾病上转、下转人数（例）（选填）" / "其中：脑血管疾病上转人数（例）" / "脑血管疾病下转人数（例）"
    t3 = cat.fields["T3"]
    for item in ("cerebrovascular", "hypertension", "diabetes", "copd", "cancer"):  # items 20–24
        for part in ("_referrals_up", "_referrals_down"):
            assert t3[item + part].optional, item + part
    assert not t3["referrals_up"].optional  # 25.'s parts: 25. is not （选填）
    found, _ = audit(tmp_path, cat, "T3", {})  # every field blank: the optional items and their parts say nothing
    blank = {f.message for f in found if f.code == "YJ001"}
    assert not [m for m in blank if "脑血管疾病" in m or "肿瘤上转" in m]
    assert any("上转病人例数" in m for m in blank)  # a required part still is


def test_the_header_and_sign_off_lines_are_the_submitter(cat, tmp_path) -> None:
    # S004 表1: "省（区、市），新疆生产建设兵团" heads the form, followed by the province's name.
    vals = {"region": "陕西省", "submitter": "陕西省卫生健康委员会", "contact_person": "张三",
            "contact_phone": "029-12345678", "fill_date": "2019年8月10日", "hukou_population": 1000}
    for form_id in ("T1", "T2"):
        found, _ = audit(tmp_path, cat, form_id, vals, name=f"{form_id}.xlsx",
                         labels={"region": "省（区、市），新疆生产建设兵团"})
        assert [f for f in found if f.code == "YJ006"] == []
        rep = yjzl.validate(tmp_path / f"{form_id}.xlsx", catalogue=cat)
        form = rep.files[0].forms[0]
        assert (form.region, form.name) == ("陕西省", "陕西省卫生健康委员会")
    found, _ = audit(tmp_path, cat, "T3", {"contact_person": "李四", "contact_phone": "0662-1234567"}, name="t3.xlsx")
    assert [f for f in found if f.code == "YJ006"] == []


def test_the_template_prints_the_funding_line_as_a_heading(cat) -> None:
    # S004 表1 20.: the heading row, then its three 其中 amounts; no value cell asked for the heading.
    from tests.builders import template_rows
    from yjzl.template.build import build_template
    from yjzl.text import label_key

    ws = build_template(cat, ["表1"])["表1"]
    rows = template_rows(ws)
    heading = rows[label_key(HEADING)][0]
    amounts = [rows[label_key(cat.fields["T1"][f].label)][0] for f in ("signup_fee_insurance", "signup_fee_finance", "signup_fee_personal")]
    assert amounts == [heading + 1, heading + 2, heading + 3]
    assert ws.cell(heading, 3).protection.locked  # no input cell for the heading …
    assert not any(ws.cell(r, 3).protection.locked for r in amounts)  # … while each amount has one
    assert [ws.cell(r, 3).value for r in amounts] == [None, None, None]
