"""Issue 11 §4: absurd values are flagged at their cells; every share is backed by a logic ≤ (YC011)."""

from __future__ import annotations

import copy

import pytest

from tests.issue11 import audit, by_check
from tests.test_catalogue_check import RAW, problems, write


def test_nine_million_gps_are_flagged_at_their_cells(cat, tmp_path) -> None:
    # issue 11 §4: 区域内全科医生总数 = 9 000 000 passed with no finding (5 000 GPs per 10 000 residents).
    # S004 二、（一）2.（1）: 每万名城市居民拥有全科医生数 = 区域内全科医生总数 / 区域内城市户籍居民总数 × 10000.
    vals = {"gps": 9_000_000, "urban_hukou_population": 18_000_000, "hukou_population": 40_000_000}
    found, cells = audit(tmp_path, cat, "T1", vals)
    hit = by_check(found, "gp_per_10k_urban.plausible")
    # 9 000 000 / 18 000 000 × 10000 = 5000 > 30
    assert len(hit) == 1 and hit[0].severity == "warning"
    assert "每万名城市居民拥有全科医生数" in hit[0].message and "5000" in hit[0].message and "0–30" in hit[0].message
    assert set(hit[0].cells) == {cells["gps"], cells["urban_hukou_population"]}
    # a realistic province: 36 000 GPs over 18 000 000 urban residents = 20 per 10 000 → no finding
    found, _ = audit(tmp_path, cat, "T1", {**vals, "gps": 36_000}, name="ok.xlsx")
    assert by_check(found, "gp_per_10k_urban.plausible") == []


def test_230_primary_staff_per_thousand_is_flagged_at_its_cell(cat, tmp_path) -> None:
    # issue 11 §4: 每千人口基层医疗卫生机构在岗人员数 = 230; national 2019 about 3 (基层卫生人员416万 / 14亿人).
    for form_id in ("T1", "T2"):
        found, cells = audit(tmp_path, cat, form_id, {"primary_staff_per_1000": 230}, name=f"{form_id}.xlsx")
        hit = by_check(found, "t12.primary_staff_per_1000_range")
        assert [h.cells for h in hit] == [[cells["primary_staff_per_1000"]]]
        found, _ = audit(tmp_path, cat, form_id, {"primary_staff_per_1000": 3.2}, name=f"{form_id}-ok.xlsx")
        assert by_check(found, "t12.primary_staff_per_1000_range") == []


def test_cost_and_stay_bands_follow_the_level_the_form_tells(cat, tmp_path) -> None:
    # S004 表3 基本信息 "三级医院名称" (a tertiary lead), 表4 "县级医院名称"; 表3（成员单位） prints no level.
    # issue 11 §4: the old example held 0.11 元 per visit and passed.
    served = {"discharges": 1000, "outpatient_visits": 10000}  # the ranges apply to a hospital that has the service
    found, cells = audit(tmp_path, cat, "T3", {**served, "outpatient_cost_per_visit": 0.11, "alos": 30, "inpatient_cost_per_case": 13670})
    assert [h.cells for h in by_check(found, "t3.outpatient_cost_range")] == [[cells["outpatient_cost_per_visit"]]]
    assert len(by_check(found, "t3.alos_range")) == 1  # 30 days > 25 for a tertiary hospital (national 9.2)
    assert by_check(found, "t3.inpatient_cost_range") == []  # the national tertiary average itself
    found, _ = audit(tmp_path, cat, "T3M", {**served, "alos": 30, "outpatient_cost_per_visit": 214.5}, name="m.xlsx")
    assert [f for f in found if f.code == "YJ201"] == []  # a member may be a rehabilitation hospital
    found, _ = audit(tmp_path, cat, "T4", {**served, "alos": 8.8, "outpatient_cost_per_visit": 214.5, "inpatient_cost_per_case": 6233.6},
                     name="t4.xlsx")
    assert [f for f in found if f.code == "YJ201"] == []  # the national secondary averages of 2019


def test_day_ranges_admit_a_half_year_and_a_full_year(cat, tmp_path) -> None:
    # 表4 11./12.: 派出人次数 and 总天数; one person-time lasts at most the period (181 days in 2019 H1, 365 in 2019):
    # the bound is the period's (t34.dispatch_days_le_visits_period, issue 25 §3), no longer a constant 366
    for days, period in ((181 * 40, None), (365 * 40, "2019")):
        vals = {"dispatch_visits": 40, "dispatch_days": days, **({"period": period} if period else {})}
        found, _ = audit(tmp_path, cat, "T4", vals, name=f"d{days}.xlsx")
        assert by_check(found, "t34.dispatch_days_le_visits_period") == []
    found, _ = audit(tmp_path, cat, "T4", {"dispatch_visits": 40, "dispatch_days": 400 * 40, "period": "2019"}, name="bad.xlsx")
    assert len(by_check(found, "t34.dispatch_days_le_visits_period")) == 1


def _ind(data: dict, ind_id: str) -> dict:
    return next(i for i in data["indicators"] if i["id"] == ind_id)


BREAKS = {
    # tcm_share_chc = 提供中医药服务的社区卫生服务中心数 / 社区卫生服务中心总数 (S004 二、（一）2.（3）, note ≤)
    "share without its ≤": (lambda d: d.update(checks=[c for c in d["checks"] if c["id"] != "t12.tcm_chc_le_total"]),
                            "indicators[tcm_share_chc]"),
    "share backed only by a warning": (lambda d: next(c for c in d["checks"] if c["id"] == "t12.tcm_chc_le_total").update(
        severity="plausibility"), "indicators[tcm_share_chc]"),
    "rate without a range": (lambda d: _ind(d, "gp_per_10k_urban").pop("plausible"), "indicators[gp_per_10k_urban]"),
    "not a share, without a range": (lambda d: _ind(d, "bed_occupancy_by_bed_days").pop("plausible"),
                                     "indicators[bed_occupancy_by_bed_days]"),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_catalogue_check_proves_every_share_is_backed(run, tmp_path, name: str) -> None:
    data = copy.deepcopy(RAW)
    breaker, where = BREAKS[name]
    breaker(data)
    rc, found = problems(run, write(tmp_path, data))
    assert rc == 1
    assert any(p["code"] == "YC011" and p["where"] == where for p in found), found


def test_a_share_is_proved_through_chains_and_sums(cat) -> None:
    # pairing_coverage = paired_primary / (社区卫生服务中心 + 乡镇卫生院): paired_primary = paired_chc + paired_thc (note =),
    # paired_chc ≤ 社区卫生服务中心 and paired_thc ≤ 乡镇卫生院 (notes ≤): proved without a check of its own.
    from yjzl.catalogue.soundness import prove

    assert not [p for p in prove(cat.source) if p.code == "YC011"]
    assert not [c for c in cat.checks if c.defn.rule == "le" and
                c.defn.terms == ["paired_primary", "community_health_centers + township_health_centers"]]


def test_a_count_over_a_constant_is_not_a_rate(run, tmp_path) -> None:
    # An overlay's count (x / 1) or yes/no share (flag / 1 × 100) is no rate of two quantities: YC011 leaves it alone.
    data = copy.deepcopy(RAW)
    data["indicators"].append({"id": "day_surgery_flag_share", "name": "开展日间手术", "forms": ["T3"],
                               "numerator": "day_surgery_done", "denominator": "1", "factor": 100, "unit": "%",
                               "source": "YJZL test"})
    rc, found = problems(run, write(tmp_path, data))
    assert rc == 0, found
