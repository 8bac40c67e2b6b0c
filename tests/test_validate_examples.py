"""Clean workbooks have no errors; flawed ones give exactly the planted findings, in both layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

import yjzl
from examples.build_examples import clean, flawed
from tests.builders import SheetSpec, write_workbook

FORMS = ["T1", "T2", "T3", "T3M", "T4", "T4M"]
# (code, check, fields whose cells are named) for each flawed form, worked out from FLAWS by hand.
EXPECTED = {
    "T1": {
        ("YJ001", "blank-required", ("counties",)),
        ("YJ004", "not-whole", ("gps",)),
        ("YJ101", "t12.urban_hukou_le_total", ("urban_hukou_population", "hukou_population")),
        ("YJ102", "t12.signup_fee_parts", ("signup_fee", "signup_fee_insurance", "signup_fee_finance", "signup_fee_personal")),
        ("YJ201", "t12.alos_tertiary_range", ("alos_tertiary",)),
    },
    "T2": {
        ("YJ009", "not-yes-no", ("telemedicine_pricing_policy",)),
        ("YJ101", "t12.counties_300k_le_counties", ("counties_300k", "counties")),
        ("YJ102", "t2.alos_tertiary_twin", ("alos_tertiary", "alos_tertiary_2")),
        ("YJ102", "t2.counties_300k_twin", ("counties_300k", "counties_300k_2")),
    },
    "T3": {
        ("YJ003", "not-a-number", ("critical_rescues",)),
        ("YJ101", "t34.day_surgery_le_surgeries", ("day_surgery_cases", "total_surgeries")),
        ("YJ102", "t3.referrals_parts", ("referrals_total", "referrals_up", "referrals_down", "referrals_received")),
        ("YJ201", "t34.bed_occupancy_range", ("bed_occupancy",)),
        ("YJ202", "t34.bed_occupancy_recompute", ("bed_occupancy", "open_bed_days", "occupied_bed_days")),
    },
    "T3M": {
        ("YJ011", "percent-as-fraction", ("bed_occupancy",)),
        ("YJ101", "t34.outpatient_le_total", ("outpatient_visits", "outpatient_emergency_visits")),
        ("YJ102", "t3m.outpatient_volume_twin", ("outpatient_volume", "outpatient_visits")),
    },
    "T4": {
        ("YJ005", "negative", ("dispatch_visits",)),
        ("YJ101", "t34.grade34_le_surgeries", ("grade34_surgeries", "total_surgeries")),
    },
    "T4M": {
        ("YJ002", "required-absent", ()),
        ("YJ101", "t4m.outpatient_revenue_le_hospital_revenue", ("outpatient_revenue", "hospital_revenue")),
    },
}


def _findings(report, where: dict, sheet: str) -> set:
    by_cell = {v: k[1] for k, v in where.items()}
    out = set()
    for f in report.files[0].findings:
        fields = tuple(sorted(by_cell[c.split("!")[1]] for c in f.cells))
        out.add((f.code, f.check, fields))
    return out


@pytest.mark.parametrize("layout", ["plain", "numbered"])
@pytest.mark.parametrize("form_id", FORMS)
def test_clean_workbooks_have_no_findings(tmp_path: Path, cat, form_id: str, layout: str) -> None:
    code = cat.forms[form_id].code
    write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec(code, form_id, clean(form_id))], layout)
    report = yjzl.validate(tmp_path / "x.xlsx", cat)
    assert [f.message for f in report.files[0].findings] == []
    assert [x.form for x in report.files[0].forms] == [form_id]


@pytest.mark.parametrize("layout", ["plain", "numbered"])
@pytest.mark.parametrize("form_id", FORMS)
def test_flawed_workbooks_give_exactly_the_planted_findings(tmp_path: Path, cat, form_id: str, layout: str) -> None:
    vals, notes, omit = flawed(form_id)
    code = cat.forms[form_id].code
    where = write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec(code, form_id, vals, notes, omit)], layout)
    report = yjzl.validate(tmp_path / "x.xlsx", cat)
    expected = {(c, k, tuple(sorted(fs))) for c, k, fs in EXPECTED[form_id]}
    assert _findings(report, {k: v for k, v in where.items()}, code) == expected


def test_cells_are_named_exactly(tmp_path: Path, cat) -> None:
    vals, notes, omit = flawed("T1")
    write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec("表1", "T1", vals, notes, omit)], "plain")
    f = next(x for x in yjzl.validate(tmp_path / "x.xlsx", cat).files[0].findings if x.check == "t12.urban_hukou_le_total")
    # Row 1 title, row 2 header, row 3 the heading 基本信息, row 4 户籍总人数, row 5 城市户籍居民总数.
    assert f.cells == ["表1!B5", "表1!B4"]
    assert f.message == f"「城市户籍居民总数」（{vals['urban_hukou_population']}）不应大于「户籍总人数」（{vals['hukou_population']}）"


def test_an_explained_warning_does_not_count_as_open(tmp_path: Path, cat) -> None:
    vals, notes, omit = flawed("T1")
    write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec("表1", "T1", vals, notes, omit)])
    report = yjzl.validate(tmp_path / "x.xlsx", cat)
    alos = next(f for f in report.files[0].findings if f.check == "t12.alos_tertiary_range")
    assert (alos.severity, alos.explained, alos.explanation) == ("warning", True, "本省有精神专科医院，平均住院日确实较长")
    assert report.summary()["open_warnings"] == 0 and report.summary()["explained_warnings"] == 1


def test_missing_value_skips_the_check_instead_of_failing(tmp_path: Path, cat) -> None:
    vals, notes, omit = flawed("T1")  # 区域内贫困人口数 is "--"
    write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec("表1", "T1", vals, notes, omit)])
    report = yjzl.validate(tmp_path / "x.xlsx", cat)
    skipped = {s.check: s for s in report.files[0].skipped}
    assert skipped["t12.registered_poor_chain"].reason == "missing input"
    assert "poor_population" in skipped["t12.registered_poor_chain"].fields


def test_cross_form_checks_see_members_in_the_same_workbook(tmp_path: Path, cat) -> None:
    members = [SheetSpec(f"成员单位{i}", "T3M", clean("T3M")) for i in (1, 2, 3)]
    lead = {**clean("T3"), "consortium_members": 3}
    write_workbook(tmp_path / "c.xlsx", cat, [SheetSpec("表3", "T3", lead), *members])
    report = yjzl.validate(tmp_path / "c.xlsx", cat)
    f = next(x for x in report.files[0].findings if x.check == "x.t3_member_count")
    assert f.message == "「表3（成员单位）份数 + 1」（4）不应大于「参与医联体建设的成员数量」（3）"
    assert [x.form for x in report.files[0].forms] == ["T3", "T3M", "T3M", "T3M"]
    lead["consortium_members"] = 4  # 3 members + the lead itself: fine
    write_workbook(tmp_path / "c.xlsx", cat, [SheetSpec("表3", "T3", lead), *members])
    assert not [x for x in yjzl.validate(tmp_path / "c.xlsx", cat).files[0].findings if x.check == "x.t3_member_count"]


def test_cross_form_checks_between_cities_and_their_province(tmp_path: Path, cat) -> None:
    province = {**clean("T1"), "hukou_population": 1_000_000, "counties": 20}
    city = {**clean("T2"), "hukou_population": 600_000, "counties": 8}
    write_workbook(tmp_path / "p.xlsx", cat, [SheetSpec("表1", "T1", province)])
    write_workbook(tmp_path / "a.xlsx", cat, [SheetSpec("表2", "T2", city)])
    write_workbook(tmp_path / "b.xlsx", cat, [SheetSpec("表2", "T2", city)])
    report = yjzl.validate([tmp_path / "p.xlsx", tmp_path / "a.xlsx", tmp_path / "b.xlsx"], cat)
    f = next(x for x in report.files[0].findings if x.check == "x.t1_cities_population")
    # 600 000 + 600 000 = 1 200 000 > 1 000 000; the counties 8 + 8 = 16 ≤ 20 pass.
    assert f.severity == "warning"
    assert f.message == "「各份表2的户籍总人数之和」（1200000）不应大于「户籍总人数」（1000000）"
    assert f.cells == ["[a.xlsx]表2!B4", "[b.xlsx]表2!B4", "表1!B4"]
    assert not [x for x in report.files[0].findings if x.check == "x.t1_cities_counties"]
