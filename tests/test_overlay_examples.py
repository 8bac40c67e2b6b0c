"""The shipped overlays (examples/overlays/): sound, complete against their documents, and usable.

Each document's quantitative local targets are enumerated below with a quote of the seed line;
the test proves the quote is in the seed and the target is in the national catalogue + the
document's overlay (a target on an indicator, or a check where the document sets a bound that is
permitted, not aimed at). The aims stated only in words are listed as qualitative targets.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import yjzl
from tests.builders import template_rows
from tests.conftest import ROOT, SEEDS
from yjzl.text import label_key

OVERLAYS = ROOT / "examples" / "overlays"
DOCS = {  # overlay → (seed file, target set)
    "北京": ("000_6b132fa95f3cf297.txt", "beijing_2017"),
    "陕西": ("001_6ff89d21d4a1d7ed.txt", "shaanxi_2017"),
    "阳江": ("003_99d5e13ebbe08122.txt", "yangjiang"),
}

# (overlay, quote of the seed, what measures it): ("target", indicator, op, value, due year or None)
# or ("check", check id). Targets the national forms already measure are in indicators.yaml.
QUANTITATIVE = [
    ("北京", "将辖区内全部三级医院", ("target", "tertiary_hospital_consortium_share", "==", 100, None)),
    # 北京 files 表1: the same aim on 表1's count of covered tertiary institutions (issue 25 §2)
    ("北京", "将辖区内全部三级医院", ("target", "tertiary_consortium_coverage", ">=", 100, 2018)),
    ("北京", "服务能力得到不断提升，达到辖区居民全覆盖的要求", ("target", "consortium_resident_coverage", "==", 100, 2019)),
    ("北京", "2017年完成8个专科医联体建设", ("target", "specialty_alliance_count", ">=", 8, 2017)),
    ("北京", "2018年各医联体内部实现转诊患者诊疗信息共享", ("target", "records_shared_share", "==", 100, 2018)),
    ("北京", "2017年底前，各区启动1-3个紧密型医联体试点", ("target", "close_consortium_pilot_count", ">=", 1, 2017)),
    ("北京", "2017年底前，各区启动1-3个紧密型医联体试点", ("check", "bj.close_consortium_pilots_range")),
    ("北京", "各区应按每千常住人口0.5张康复护理床位的要求", ("target", "rehab_nursing_beds_per_1000", ">=", 0.5, 2020)),
    ("北京", "应至少安排三分之一的时间出诊或陪同出诊", ("target", "study_clinic_time_share", ">=", 33.33, 2018)),
    ("北京", "签约重点人群实现全覆盖", ("target", "key_group_coverage", "==", 100, None)),
    ("北京", "社区向大医院转诊预约率100%", ("target", "community_referral_booking_rate", "==", 100, 2020)),
    ("北京", "门诊患者分时段预约就诊率达50%以上", ("target", "timed_appointment_rate", ">=", 50, 2020)),
    ("北京", "原则上48小时内安排相应专家号源", ("target", "critical_referral_48h_share", "==", 100, 2017)),
    ("北京", "2020年达到24小时内转诊", ("target", "critical_referral_24h_share", "==", 100, 2020)),
    ("北京", "社区卫生服务中心（乡镇卫生院）可根据需要设置10-30张", ("check", "bj.gp_rehab_nursing_beds_range")),
    ("陕西", "每个设区市至少建成一个有明显成效的紧密型医联体", ("target", "close_consortium_count", ">=", 1, 2017)),
    ("陕西", "所有二级公立医院和政府办基层医疗机构全部参与医联体", ("target", "secondary_public_consortium_share", "==", 100, 2020)),
    ("陕西", "2017年底前要把所有农村贫困人口纳入签约服务范围", ("target", "registered_poor_signup_share", "==", 100, 2017)),
    ("陕西", "不需办理多机构执业备案手续即可在医联体内其他医疗机构执业", ("target", "multisite_no_change_share", "==", 100, 2017)),
    ("陕西", "建立健全省级儿科、骨科、眼科、肿瘤、结核、精神心理等特色专科联盟", ("target", "specialty_alliance_count", ">=", 6, 2017)),
    ("陕西", "各医联体牵头医院和承担城乡对口帮扶的三级公立医院，都要向偏远贫困地区医疗机构",
     ("target", "remote_services_to_poor_areas_share", "==", 100, 2017)),
    ("陕西", "提供不超过2个月用药量的长处方服务", ("target", "long_prescription_over_limit_share", "==", 0, None)),
    ("陕西", "提供不超过2个月用药量的长处方服务", ("check", "sn.max_prescription_weeks_range")),
    ("陕西", "2017年10月底前，所有三级公立医院必须建立或完善医联体", ("target", "tertiary_hospital_consortium_share", "==", 100, None)),
    ("陕西", "全省所有公立医院都要组建或加入医联体", ("target", "secondary_public_consortium_share", "==", 100, 2020)),
    ("阳江", "阳江市中医医院牵头建成一个具有中医服务特色的医联体", ("target", "tcm_consortium_count", ">=", 1, 2017)),
    ("阳江", "阳春市、阳东区均要建成至少一个紧密型或多种形式共存的医共体", ("target", "county_medical_community_count", ">=", 1, 2017)),
    ("阳江", "2017年底前,阳西县、阳春市、阳东区要启动县域医共体试点工作", ("target", "county_pilot_started_share", "==", 100, 2017)),
    ("阳江", "基层医疗卫生机构诊疗量占总诊疗量比例达到65%以上", ("target", "primary_visit_share", ">=", 65, None)),
    ("阳江", "居民两周患病首选基层医疗机构的比例达到70%以上", ("target", "two_week_primary_first_share", ">=", 70, None)),
    ("阳江", "县域内就诊率提高到90%左右", ("target", "in_county_visit_rate", ">=", 90, None)),
    ("阳江", "增加建设好一到两个医联体(医院集团)", ("target", "new_medical_group_count", ">=", 1, 2020)),
    ("阳江", "全市所有二级公立医院和政府办基层医疗卫生机构全部参与医联体",
     ("target", "secondary_public_consortium_share", "==", 100, 2020)),
    ("阳江", "家庭医生签约服务覆盖率达到30%以上", ("target", "family_doctor_coverage", ">=", 30, None)),
    ("阳江", "重点人群签约服务覆盖率达到60%以上", ("target", "key_group_coverage", ">=", 60, None)),
    ("阳江", "基本覆盖全部二级三级医疗机构和80%以上的乡镇卫生院、社区卫生服务中心",
     ("target", "referral_system_coverage_thc", ">=", 80, None)),
    ("阳江", "全市所有三级公立医院都要启动医联体建设工作", ("target", "tertiary_hospital_consortium_share", "==", 100, None)),
]
# The 政府办基层医疗机构 half of "所有二级公立医院和政府办基层医疗机构全部参与医联体" (陕西, 阳江: 乡镇卫生院; the
# 社区卫生服务中心 part is a qualitative target, since 表2 counts centres of every owner) and 北京's
# 规范化诊疗及管理率 "2020年底前达国家标准" attach to national indicators: they are in indicators.yaml.
NATIONAL_PARTS = [
    ("陕西", "所有二级公立医院和政府办基层医疗机构全部参与医联体", ["thc_consortium_share"]),
    ("阳江", "全市所有二级公立医院和政府办基层医疗卫生机构全部参与医联体", ["thc_consortium_share"]),
    ("北京", "规范化诊疗及管理率，2020 年底前达国家标准", ["standard_management_rate"]),
]
# Aims stated in words only: each is a qualitative target of the overlay.
QUALITATIVE = [
    ("北京", "2018年完成对辖区内三级医院在医联体内的服务功能基本定位"), ("北京", "2019年底完成综合医联体的调整和布局"),
    ("北京", "2017年建立以内科四类慢病、肿瘤、骨科、儿科及眼科等专科重点疾病的远程临床会诊中心和以影像（X-平片、CT、MRI、"
           "超声）、血液检测、心电图监测与诊断、病理四类医技为主的远程医技会诊中心"),
    ("北京", "2019年后重点疾病专科医联体基本构建完成"),
    ("北京", "2019年实现远程会诊服务的常态化"),
    ("北京", "2020年实现全市社区卫生服务机构互联互通"), ("北京", "到2020年建立基层医务人员家庭医生服务考核与激励机制"),
    ("陕西", "2017年底前，全面完成多种形式的医联体建设任务"), ("陕西", "2017年8月底前，各地都要制订出台适合本地医联体建设的具体工作方案"),
    ("陕西", "逐步形成“1+1+1”签约组合"), ("陕西", "所有二级公立医院和政府办基层医疗机构全部参与医联体"),
    ("阳江", "全市所有二级公立医院和政府办基层医疗卫生机构全部参与医联体"),
    ("阳江", "到2020年,力争将签约服务扩大到全人群"), ("阳江", "县医院集团与8家镇卫生院纵向联合,组建紧密型医共体"),
    ("阳江", "市区其他二级以上公立医院待条件成熟后再参加医院集团或独立组建医联体"), ("阳江", "2017年10月底前,各县(市、区)要出台推进医联体建设的工作方案"),
]


def seed_text(name: str) -> str:
    path = SEEDS / DOCS[name][0]
    if not path.exists():
        pytest.skip(f"seed not found at {path} (shared/ beside the checkout, or YJZL_SEEDS)")
    return "".join(path.read_text(encoding="utf-8").split())


def fold(text: str) -> str:
    """Whitespace out, full-width punctuation folded: the seeds mix （） and (), ， and ,."""
    return label_key("".join(text.split()))


@pytest.fixture(scope="module")
def merged():
    from yjzl.catalogue.loader import load

    return {name: load(None, [OVERLAYS / f"{name}.yaml"]) for name in DOCS}


@pytest.mark.parametrize("args", [["北京"], ["陕西"], ["阳江"], ["陕西", "陕西-西安"]])
def test_each_shipped_overlay_is_sound(run, args: list[str]) -> None:
    res = run("catalogue", "check", *[a for n in args for a in ("--overlay", OVERLAYS / f"{n}.yaml")])
    assert res.code == 0 and "目录完好" in res.out, res.out


def test_the_city_overlay_brings_its_province(run) -> None:
    # issue 25 §5: 陕西-西安.yaml says `extends: shaanxi`; loading it loads 陕西.yaml, found beside it
    res = run("catalogue", "check", "--overlay", OVERLAYS / "陕西-西安.yaml")
    assert res.code == 0 and "目录完好" in res.out, res.out


@pytest.mark.parametrize(("name", "quote", "what"), QUANTITATIVE)
def test_every_quantitative_local_target_is_in_catalogue_and_overlay(merged, name, quote, what) -> None:
    assert fold(quote) in fold(seed_text(name)), quote
    cat, target_set = merged[name], DOCS[name][1]
    if what[0] == "check":
        assert what[1] in {c.id for c in cat.checks}
        return
    _, indicator, op, value, by = what
    found = [t for t in cat.indicators[indicator].targets if t.set == target_set]
    assert [(t.op, t.value) for t in found] == [(op, value)], found
    if by is not None:
        assert found[0].by == by
    assert found[0].source.split()[0] == {"北京": "S000", "陕西": "S001", "阳江": "S003"}[name]


@pytest.mark.parametrize(("name", "quote", "indicators"), NATIONAL_PARTS)
def test_the_national_parts_of_local_targets_are_in_the_catalogue(merged, name, quote, indicators) -> None:
    assert fold(quote) in fold(seed_text(name)), quote
    cat, target_set = merged[name], DOCS[name][1]
    for indicator in indicators:
        assert [t for t in cat.indicators[indicator].targets if t.set == target_set], indicator


@pytest.mark.parametrize(("name", "quote"), QUALITATIVE)
def test_aims_in_words_are_listed_as_qualitative(merged, name, quote) -> None:
    assert fold(quote) in fold(seed_text(name)), quote
    listed = [q for q in merged[name].source.qualitative_targets if q.set == DOCS[name][1]]
    seed = fold(seed_text(name))

    def quotes(label: str) -> bool:  # the label quotes the seed, "……" marking words left out, and meets the quote
        parts = [fold(p) for p in label.split("……")]
        return all(p in seed for p in parts) and any(p in fold(quote) or fold(quote) in p for p in parts)

    assert any(quotes(q.label) for q in listed), quote


@pytest.mark.parametrize(("name", "sheet", "labels"), [
    ("北京", "表3", ["接收社区卫生服务机构上转的病人例数", "门诊患者分时段预约就诊人次数"]),
    ("北京", "北京市医联体补充表", ["常住人口数", "康复护理床位数"]),
    ("北京", "表4（乡镇卫生院）", ["全科诊疗、康复、护理病床数"]),
    ("陕西", "表2", ["建成的紧密型医联体数", "参与医联体建设的二级公立医院数量"]),
    ("陕西", "表3（成员单位）", ["长处方张数", "用药量超过2个月的长处方张数"]),
    ("阳江", "阳江市县域医共体建设情况表", ["建成的医共体数", "紧密型医共体数"]),
    ("阳江", "表2", ["2017年底以来新增建设的医联体（医院集团）数"]),
])
def test_each_overlays_fields_are_in_its_template(run, tmp_path: Path, name: str, sheet: str, labels: list[str]) -> None:
    out = tmp_path / "t.xlsx"
    assert run("template", "all", "--overlay", OVERLAYS / f"{name}.yaml", "-o", out).code == 0
    ws = openpyxl.load_workbook(out)[sheet]
    rows = template_rows(ws)
    local = sheet.startswith(("表1", "表2", "表3", "表4"))  # a national form: the new rows are marked
    for label in labels:
        (r,) = rows[label_key(label)]
        printed = ws.cell(r, 2).value  # the label, （选填） if optional, then the local mark
        assert printed.startswith(label) and printed.endswith(f"（{name}增补）") == local, printed


def test_the_beijing_example_computes_its_local_targets(run) -> None:
    book = OVERLAYS / "北京-医联体.xlsx"
    overlay = OVERLAYS / "北京.yaml"
    from yjzl.catalogue.loader import load

    cat = load(None, [overlay])
    assert [f for f in yjzl.validate(book, cat).files[0].findings if f.severity == "error"] == []
    results = {r.id: r for r in yjzl.compute([book], cat, target_sets=["beijing_2017"]).files[0].indicators}

    def got(indicator: str) -> tuple[float | None, list[bool | None]]:
        return results[indicator].value, [t.met for t in results[indicator].targets]

    assert got("rehab_nursing_beds_per_1000") == (0.53, [True])  # 650 ÷ (1 234 000 ÷ 1000) = 0.5267 → 0.53 ≥ 0.5
    assert got("close_consortium_pilot_count") == (2, [True])  # 2 ÷ 1 = 2 ≥ 1
    assert got("consortium_resident_coverage") == (100.0, [True])  # 1 234 000 ÷ 1 234 000 × 100
    # 38 ÷ 40 × 100 = 95 ≠ 100, due by 2020 (S000 二、（六）): on the default period 2019 H1 未到期 (issue 25 §1)
    assert got("community_referral_booking_rate") == (95.0, [None])
    assert [t.due_date for t in results["community_referral_booking_rate"].targets] == ["2020-12-31"]
    assert got("critical_referral_48h_share") == (100.0, [True])  # 20 ÷ 20 × 100
    assert results["critical_referral_48h_share"].targets[0].tolerance == 5  # 原则上: read like 基本, tolerance shown
    assert got("critical_referral_24h_share") == (75.0, [None])  # 15 ÷ 20 × 100 = 75 ≠ 100, due by 2020: 未到期
    # ⌈study_days ÷ 3⌉ ÷ study_days ≥ one third, so the ≥ 33.33 target is met whatever study_days is
    assert got("study_clinic_time_share")[1] == [True]
    # without the overlay, YJ013 names the file to pass
    res = run("validate", book)
    assert "请加 --overlay 北京.yaml" in res.out and "北京市医联体补充表: 覆盖层的表单，请加 --overlay 北京.yaml" in res.out
    assert "(add --overlay 北京.yaml)" in run("validate", book, "--lang", "en").out


def test_the_shipped_example_is_what_its_builder_makes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_example", OVERLAYS / "build_example.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    fresh = openpyxl.load_workbook(module.build(tmp_path / "b.xlsx"))
    shipped = openpyxl.load_workbook(OVERLAYS / "北京-医联体.xlsx")
    assert fresh.sheetnames == shipped.sheetnames
    for ws in fresh.worksheets:
        values = [[c.value for c in row] for row in ws.iter_rows()]
        assert values == [[c.value for c in row] for row in shipped[ws.title].iter_rows()], ws.title


def test_a_province_scores_its_own_indicators(run, tmp_path: Path) -> None:
    import json

    scheme = tmp_path / "bj.yaml"
    scheme.write_text(
        "scoring: {id: bj, name: 北京示例评分, source: 示例, missing: zero}\n"
        "items:\n"
        "  - indicator: rehab_nursing_beds_per_1000\n    weight: 10\n"
        "    bands: [{op: '>=', value: 0.5, share: 1}, {op: '>=', value: 0.3, share: 0.5}]\n"
        "  - indicator: community_referral_booking_rate\n    weight: 10\n"
        "    bands: [{op: '>=', value: 100, share: 1}, {op: '>=', value: 90, share: 0.5}]\n", encoding="utf-8")
    book = OVERLAYS / "北京-医联体.xlsx"
    res = run("compute", book, "--overlay", OVERLAYS / "北京.yaml", "--scoring", scheme, "--format", "json")
    scores = {s["form"]: (s["total"], s["maximum"]) for s in json.loads(res.out)["scores"]}
    # 0.53 ≥ 0.5 → 10 × 1; 95 ≥ 90 (not 100) → 10 × 0.5
    assert scores == {"北京市医联体补充表": (10.0, 10.0), "表3": (5.0, 10.0)}
    # without the overlay the scheme names an indicator the catalogue lacks: a usage error
    assert run("compute", book, "--scoring", scheme).code == 2


def test_the_report_shows_the_local_indicators_against_their_targets(run, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    book = OVERLAYS / "北京-医联体.xlsx"
    res = run("report", book, "--overlay", OVERLAYS / "北京.yaml", "--target-set", "beijing_2017", "-o", out)
    assert res.code == 0, res.err
    html = out.read_text(encoding="utf-8")
    assert "每千常住人口康复护理床位数" in html and "社区向大医院转诊预约率" in html
    assert "每千常住人口康复护理床位数（北京市医联体补充表）：1 个有数据的填报单位中 1 个达标，目标 ≥ 0.5 张/千人" in html


def test_the_library_loads_overlays_by_name() -> None:
    cat = yjzl.load_catalogue(overlays=[str(OVERLAYS / "陕西.yaml"), OVERLAYS / "陕西-西安.yaml"])
    assert cat.label == "national 2019.1 + shaanxi, shaanxi_xian"
    assert [t.value for t in cat.indicators["close_consortium_count"].targets] == [1, 2]


def test_libreoffice_computes_the_local_indicators_as_yjzl_does(tmp_path: Path) -> None:
    """The template's live sheet (formulas from the catalogue, overlay included) recalculated by LibreOffice."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc")
    book = OVERLAYS / "北京-医联体.xlsx"
    profile = (tmp_path / "profile").as_uri()  # a private profile: no lock shared with a running office
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path), str(book)], capture_output=True, timeout=180)
    live = openpyxl.load_workbook(tmp_path / book.name, data_only=True).worksheets[-1]
    values = {row[1]: row[4] for row in live.iter_rows(values_only=True) if row and len(row) > 4}
    assert values["每千常住人口康复护理床位数"] == 0.53  # 650 ÷ 1 234 (thousand residents), to 2 decimals
    assert values["社区向大医院转诊预约率"] == 95  # 38 ÷ 40 × 100
    assert values["启动的紧密型医联体试点数"] == 2
