"""Hand-worked indicator values, zero denominators, missing inputs; the value parser."""

from __future__ import annotations

from pathlib import Path

import pytest

import yjzl
from tests.builders import SheetSpec, write_workbook
from yjzl.catalogue.expr import MISSING
from yjzl.text import label_key
from yjzl.workbook.cells import Cell
from yjzl.workbook.values import parse


def indicators(tmp_path: Path, cat, form_id: str, values: dict) -> dict:
    write_workbook(tmp_path / "i.xlsx", cat, [SheetSpec(cat.forms[form_id].code, form_id, values)])
    return {i.id: i for i in yjzl.validate(tmp_path / "i.xlsx", cat).files[0].indicators}


def test_rates_worked_by_hand(tmp_path: Path, cat) -> None:
    got = indicators(tmp_path, cat, "T1", {
        "primary_facilities": 1150, "standard_primary_facilities": 1100,  # 1100/1150 = 95.652…% → 95.65
        "urban_hukou_population": 3_400_000, "gps": 850,  # 850/3 400 000 × 10 000 = 2.5
        "county_referrals_out": 1200, "county_inpatient_total": 10000,  # 1 − 0.12 = 88 %
        "hypertension_managed": 300, "hypertension_enrolled": 1000, "diabetes_managed": 150, "diabetes_enrolled": 500,
        "township_health_centers": 0, "township_gps": 10,  # zero denominator: undefined, not 0
        "tcm_chc": "--", "community_health_centers": 80,  # not counted: missing input
    })
    assert (got["primary_facility_standard_rate"].value, got["primary_facility_standard_rate"].status) == (95.65, "ok")
    assert [t.met for t in got["primary_facility_standard_rate"].targets if t.set == "national"] == [True]  # ≥95
    assert got["gp_per_10k_urban"].value == 2.5 and got["gp_per_10k_urban"].unit == "人/万人"
    assert got["in_county_visit_rate"].value == 88.0
    assert [t.met for t in got["in_county_visit_rate"].targets if t.set == "national"] == [False]  # ≥90
    # (300 + 150) / (1000 + 500) = 30 %, the mean of the two rates (30 %, 30 %) would agree; the parts differ:
    assert got["standard_management_rate"].value == 30.0
    assert got["standard_management_rate_hypertension"].value == 30.0
    assert (got["gp_per_township"].value, got["gp_per_township"].status) == (None, "denominator zero")
    assert (got["tcm_share_chc"].value, got["tcm_share_chc"].status) == (None, "missing input")
    assert got["referral_down_growth"].status == "missing input"  # needs the previous period


def test_consortium_rates_worked_by_hand(tmp_path: Path, cat) -> None:
    got = indicators(tmp_path, cat, "T4", {
        "open_bed_days": 182_500, "occupied_bed_days": 164_250,  # 90 %
        "total_surgeries": 4000, "grade34_surgeries": 1300, "day_surgery_cases": 250,  # 32.5 %, 6.25 %
        "discharges": 20000, "referrals_total": 1500,  # 7.5 %
    })
    assert got["bed_occupancy_by_bed_days"].value == 90.0
    assert got["grade34_surgery_share"].value == 32.5
    assert got["day_surgery_share_of_surgeries"].value == 6.25
    assert got["referral_share_of_discharges"].value == 7.5
    assert (got["referral_share_of_discharges"].numerator, got["referral_share_of_discharges"].denominator) == (1500, 20000)


@pytest.mark.parametrize(("raw", "kind", "value", "problem"), [
    ("--", "count", MISSING, None), ("—", "count", MISSING, None), ("－－", "count", MISSING, None), ("-", "amount", MISSING, None),
    ("０", "count", 0.0, None), ("１２０", "count", 120.0, None), ("1,234,567", "count", 1234567.0, None),
    (" 85% ", "percent", 85.0, None), ("85%", "count", None, "YJ003"), ("12.5", "count", None, "YJ004"),
    ("-3", "count", None, "YJ005"), ("约100", "count", None, "YJ003"), ("是", "yesno", 1.0, None),
    ("否", "yesno", 0.0, None), ("也许", "yesno", None, "YJ009"), (7.0, "decimal", 7.0, None),
    ("12345678-9", "code", "12345678-9", None), (12345678.0, "code", "12345678", None),
])
def test_value_parser(raw, kind: str, value, problem) -> None:
    parsed = parse(Cell(raw), kind)
    assert (parsed.value, parsed.problem) == (value, problem)


def test_cells_the_parser_refuses_with_their_own_codes() -> None:
    assert parse(Cell(None, error="#DIV/0!"), "count").problem == "YJ008"
    assert parse(Cell(None, formula=True, cached=False), "count").problem == "YJ007"
    assert parse(Cell(43466.0, date=True), "count").problem == "YJ012"
    assert parse(Cell(0.85, percent=True), "percent").value == pytest.approx(85.0)
    assert parse(Cell(0.85), "percent").note == "fraction"
    assert parse(Cell("   "), "count").value is None


@pytest.mark.parametrize(("typed", "label"), [
    (" 1. 户籍总人数 ", "户籍总人数"), ("（12）户籍总人数：", "户籍总人数"), ("其中：城市户籍居民总数", "城市户籍居民总数"),
    ("户籍\u3000总人数", "户籍总人数"), ("户籍\u00a0总\u200b人数:", "户籍总人数"), ("12、CT 平均出报告时间", "CT平均出报告时间"),
    ("门诊收入（选填）", "门诊收入"),
])
def test_label_matching_forgives_typing(typed: str, label: str) -> None:
    assert label_key(typed) == label_key(label)
