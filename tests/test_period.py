"""The statistics period: the catalogue's default, a form's 统计年度, --period, and what depends on it.

Seed 004 第一部分（三）: “此次报送数据统计周期为 2019 年 1 月 1 日至 2019 年 6 月 30 日” (a half-year);
seed 002: 医联体综合绩效考核 “可按照半年和年度进行”; seed 004 指标说明 5: “平均每日门诊人次”是总诊疗人次数
除以工作日天数，而不是除以 365.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import yjzl
from examples.build_examples import clean
from tests.builders import SheetSpec, write_workbook
from tests.conftest import SEEDS
from yjzl.period import PeriodError, parse

# Counted over the period (doubled for a full year); every other field is a stock, an average or a rate
# and stays. 病床周转次数 is discharges per bed over the period, so it doubles too.
FLOWS = {
    "T1": ["primary_tcm_visits", "primary_total_visits", "telemedicine_visits", "primary_visits", "total_visits",
           "county_referrals_out", "county_inpatient_total", "public_hospital_inpatients", "referral_down_total",
           "referral_down_primary", "referral_down_continuing", "referral_up_total", "referral_up_primary",
           "referral_up_continuing"],
    "T3": ["open_bed_days", "occupied_bed_days", "outpatient_visits", "outpatient_emergency_visits", "day_surgery_cases",
           "day_surgery_cases_2", "discharges", "admissions", "total_surgeries", "critical_rescues", "bed_turnover",
           "diabetes_outpatient_visits", "hypertension_outpatient_visits", "caesarean_cases", "ami_cases", "pci_cases",
           "outpatient_revenue", "inpatient_revenue", "telemedicine_visits", "dispatch_visits", "dispatch_days",
           "grade34_surgeries", "referrals_total", "referrals_up", "referrals_down", "referrals_received",
           "cerebrovascular_referrals", "cerebrovascular_referrals_up", "cerebrovascular_referrals_down",
           "hypertension_referrals", "hypertension_referrals_up", "hypertension_referrals_down", "diabetes_referrals",
           "diabetes_referrals_up", "diabetes_referrals_down", "copd_referrals", "copd_referrals_up",
           "copd_referrals_down", "cancer_referrals", "cancer_referrals_up", "cancer_referrals_down",
           "study_times", "study_days"],
    "T3M": ["outpatient_visits", "outpatient_emergency_visits", "discharges", "admissions", "total_surgeries",
            "diabetes_outpatient_visits", "hypertension_outpatient_visits", "caesarean_cases", "ami_cases", "pci_cases",
            "outpatient_revenue", "inpatient_revenue", "outpatient_volume", "referrals_total", "referrals_up",
            "referrals_down", "referrals_received"],
    "T4": ["open_bed_days", "occupied_bed_days", "outpatient_visits", "outpatient_emergency_visits", "discharges",
           "total_surgeries", "critical_rescues", "bed_turnover", "diabetes_outpatient_visits",
           "hypertension_outpatient_visits", "caesarean_cases", "ami_cases", "pci_cases", "telemedicine_coverage",
           "telemedicine_visits", "telemedicine_upper_visits", "telemedicine_lower_visits", "dispatch_visits",
           "dispatch_days", "grade34_surgeries", "tumour_surgeries", "cardio_cerebrovascular_surgeries",
           "infectious_disease_surgeries", "endoscopic_surgeries", "interventional_surgeries", "day_surgery_cases",
           "referrals_total", "referrals_up", "referrals_down", "referrals_received", "resident_expert_times",
           "ward_round_teaching_times", "academic_lecture_times", "surgery_teaching_times"],
    "T4M": ["outpatient_revenue", "hospital_revenue", "outpatient_visits", "admissions", "referrals_up",
            "referrals_down", "referrals_received"],
}
FLOWS["T2"] = [*FLOWS["T1"], "primary_referred_up", "secondary_dispatched_professionals", "secondary_dispatched_managers"]


def full_year(form_id: str) -> dict[str, object]:
    """The clean half-year data as a full year: flows doubled, stocks kept."""
    vals = clean(form_id)
    for fid in FLOWS[form_id]:
        v = vals[fid]
        vals[fid] = v * 2 if isinstance(v, int) else round(float(v) * 2, 2)  # type: ignore[operator]
    return vals


def every_form(tmp_path: Path, data, extra: dict[str, object] | None = None) -> list[Path]:
    """One run with every form: a province, one of its cities, a medical group with two members, a county community."""
    from yjzl.catalogue.loader import load

    cat = load()
    extra = extra or {}
    t3m = [SheetSpec(f"成员单位{i}", "T3M", {**data("T3M"), "hospital_name": f"成员医院{i}", **extra}) for i in (1, 2)]
    books = {
        "表1.xlsx": [SheetSpec("表1", "T1", {**data("T1"), **extra})],
        "表2.xlsx": [SheetSpec("表2", "T2", {**data("T2"), **extra})],
        "表3.xlsx": [SheetSpec("表3", "T3", {**data("T3"), **extra}), *t3m],
        "表4.xlsx": [SheetSpec("表4", "T4", {**data("T4"), **extra}), SheetSpec("乡镇卫生院", "T4M", {**data("T4M"), **extra})],
    }
    paths = []
    for name, sheets in books.items():
        write_workbook(tmp_path / name, cat, sheets)
        paths.append(tmp_path / name)
    return paths


def messages(report) -> list[str]:
    return [f"{x.form} {x.code} {x.message}" for f in report.files for x in f.findings]


def test_the_catalogue_declares_the_seed_half_year(cat) -> None:
    p = cat.default_period()
    assert (p.start, p.end, p.days, p.working_days) == (date(2019, 1, 1), date(2019, 6, 30), 181, 122)
    assert cat.source.catalogue.period.source.startswith("S004 第一部分（三）")
    seed = SEEDS / "004_4dca3a86e03f15ed.txt"
    if seed.exists():  # the seed sits beside the main checkout, not beside a worktree
        text = re.sub(r"\s+", "", seed.read_text(encoding="utf-8"))
        assert "此次报送数据统计周期为2019年1月1日至2019年6月30日" in text
        assert "“平均每日门诊人次”是总诊疗人次数除以工作日天数，而不是除以365" in text


def test_working_days_come_from_the_official_calendar() -> None:
    # 指标说明 5: 总诊疗人次数 ÷ 工作日天数, 不是除以 365. 2019 H1: 181 days − 52 weekend days
    # (26 weeks, Sat+Sun) − 7 holidays on weekdays (元旦 1-01; 春节 2-04..2-08; 清明 4-05; 劳动节 5-01..5-03,
    # 端午 6-07 → 1+5+1+3+1 = 11) + 4 调休 Saturdays/Sundays worked (2-02, 2-03, 4-28, 5-05) = 181 − 52 − 11 + 4 = 122.
    assert parse("2019H1").working_days == 122
    assert parse("2019").working_days == 250  # the figure the catalogue used as a constant before
    assert parse("2019H2").working_days == 128  # 250 − 122
    assert parse("2019-01-01:2019-06-30").days == 181 and parse("2019").days == 365 and parse("2020").days == 366


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2019H1", "2019-01-01", "2019-06-30"), ("2019h2", "2019-07-01", "2019-12-31"), ("2019", "2019-01-01", "2019-12-31"),
    ("2019年上半年", "2019-01-01", "2019-06-30"), ("2019年1-6月", "2019-01-01", "2019-06-30"),
    ("2019年度", "2019-01-01", "2019-12-31"), ("2019年1月1日至2019年6月30日", "2019-01-01", "2019-06-30"),
    ("2019-01-01:2019-06-30", "2019-01-01", "2019-06-30"), ("2019/1/1-2019/3/31", "2019-01-01", "2019-03-31"),
])
def test_period_texts(text: str, start: str, end: str) -> None:
    p = parse(text)
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


def test_a_bare_year_reads_the_same_everywhere(tmp_path: Path, run) -> None:
    # 统计年度 names a year; `--period 2019` is the year: one reading, the calendar year (catalogue.period's note).
    # S004 第一部分（三） fixes this evaluation's half-year, which a form says as 2019年上半年 (or the default).
    assert parse("2018年").text == parse("2018").text == "2018-01-01:2018-12-31"
    assert parse("2018", origin="form").text == "2018-01-01:2018-12-31"
    # A full-year 表3 stating 2019 gets no false warning (病床周转次数, 平均每日门诊人次 over 365 days / 250 working days)
    paths = every_form(tmp_path, full_year, {"period": "2019"})
    report = yjzl.validate(paths)
    assert messages(report) == []
    assert {x.statistics_period for f in report.files for x in f.forms} == {"2019-01-01:2019-12-31"}
    assert messages(yjzl.validate(paths, period="2019")) == []
    # ... and the output says how the bare year was read
    out = run("validate", str(paths[2])).out
    assert "统计周期 2019年全年（表中统计年度“2019”只写年份，按全年）" in out
    out = run("validate", str(paths[2]), "--lang", "en").out
    assert "period 2019 (full year) (the form's 统计年度 '2019' gives only the year: read as the whole year)" in out


@pytest.mark.parametrize("text", ["去年", "2019Q3", "2019-02-30:2019-03-01", "2019-06-30:2019-01-01"])
def test_unreadable_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse(text)


def test_realistic_half_year_data_in_every_form_gives_no_finding(tmp_path: Path) -> None:
    report = yjzl.validate(every_form(tmp_path, clean))
    assert messages(report) == []
    assert {x.statistics_period for f in report.files for x in f.forms} == {"2019-01-01:2019-06-30"}
    assert {x.period_origin for f in report.files for x in f.forms} == {"catalogue"}
    # The same with the form saying so in its 统计年度.
    assert messages(yjzl.validate(every_form(tmp_path, clean, {"period": "2019年上半年"}))) == []


def test_the_same_data_as_a_full_year_gives_no_finding(tmp_path: Path, run) -> None:
    paths = every_form(tmp_path, full_year)
    report = yjzl.validate(paths, period="2019")
    assert messages(report) == []
    assert {x.statistics_period for f in report.files for x in f.forms} == {"2019-01-01:2019-12-31"}
    assert all(i.period == "2019-01-01:2019-12-31" for f in report.files for i in f.indicators)
    assert run("validate", *map(str, paths), "--period", "2019").code == 0
    # A form that says 2019年全年 needs no --period.
    assert messages(yjzl.validate(every_form(tmp_path, full_year, {"period": "2019年全年"}))) == []


def test_a_half_year_form_audited_as_a_full_year_warns(tmp_path: Path) -> None:
    paths = every_form(tmp_path, clean)
    report = yjzl.validate(paths, period="2019")
    got = {(x.form, x.check): x for f in report.files for x in f.findings}
    # 表3: 平均每日门诊人次 8 196.7 (= 1 000 000 ÷ 122); over 2019's 250 working days 1 000 000 ÷ 250 = 4 000,
    # more than 20 % apart. 病床周转次数 19.1 (= 28 650 ÷ (271 500 ÷ 181)); over 365 days
    # 28 650 ÷ (271 500 ÷ 365) = 28 650 ÷ 743.84 = 38.52, more than 15 % apart.
    daily = got[("T3", "t34.daily_outpatient_recompute")]
    assert daily.message == ("「平均每日门诊人次」填报为 8196.7，按「总诊疗人次数:门急诊人次数 ÷ 统计周期工作日天数"
                             "（2019年全年：250）」计算约为 4000，相差超过 20%，请核实")
    assert daily.period == "2019-01-01:2019-12-31" and daily.severity == "warning"
    turnover = got[("T3", "t34.bed_turnover_recompute")]
    assert turnover.message == ("「病床周转次数」填报为 19.1，按「出院患者人次数 ÷ (实际开放总床日数 ÷ 统计周期天数"
                                "（2019年全年：365）)」计算约为 38.52，相差超过 15%，请核实")
    # 表3（成员单位）: 180 000 ÷ 250 = 720 against 1 475.4; 表4: 420 000 ÷ 250 = 1 680 against 3 442.6.
    assert "计算约为 720，" in got[("T3M", "t34.daily_outpatient_recompute")].message
    assert "计算约为 1680，" in got[("T4", "t34.daily_outpatient_recompute")].message
    assert sorted(c for _, c in got) == sorted(["t34.daily_outpatient_recompute"] * 3 + ["t34.bed_turnover_recompute"])
    # Findings that do not read the period name none.
    assert all(x.period is None for f in yjzl.validate(paths[:1], period="2019").files for x in f.findings)


def test_a_full_year_form_audited_as_the_default_half_year_warns(tmp_path: Path) -> None:
    report = yjzl.validate(every_form(tmp_path, full_year))
    got = {(x.form, x.check): x.message for f in report.files for x in f.findings}
    # 表4: 实际开放总床日数 287 800 > 800 beds × 181 days = 144 800.
    assert got[("T4", "t4.open_bed_days_le_beds_year")] == (
        "「实际开放总床日数」（287800）不应大于「实际开放床位数 × 统计周期天数（2019年上半年：181）」（144800）")
    # 表3: 2 000 000 ÷ 122 = 16 393.44 against the reported 8 196.7.
    assert "计算约为 16393.44，" in got[("T3", "t34.daily_outpatient_recompute")]


def test_precedence_option_over_form_over_catalogue(tmp_path: Path) -> None:
    # The form says 2019年全年, the data are a half-year: --period 2019H1 wins, no finding.
    paths = every_form(tmp_path, clean, {"period": "2019年全年"})
    assert messages(yjzl.validate(paths)) != []
    report = yjzl.validate(paths, period="2019H1")
    assert messages(report) == []
    assert {x.period_origin for f in report.files for x in f.forms} == {"option"}


def test_an_unreadable_form_period_is_said_and_the_default_used(tmp_path: Path, cat) -> None:
    where = write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec("表3", "T3", {**clean("T3"), "period": "去年"})])
    report = yjzl.validate(tmp_path / "x.xlsx", cat)
    (f,) = report.files[0].findings
    assert (f.code, f.severity, f.cells) == ("YJ014", "warning", [f"表3!{where[('表3', 'period')]}"])
    assert f.message == "「统计年度」填的是“去年”，无法识别为统计周期（可写 2019、2019年上半年、2019-01-01:2019-06-30）；按2019年上半年审核"
    assert report.files[0].forms[0].statistics_period == "2019-01-01:2019-06-30"


def test_a_year_the_calendar_does_not_know_is_a_clear_error(tmp_path: Path, cat, run) -> None:
    write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec("表3", "T3", clean("T3"))])
    r = run("validate", str(tmp_path / "x.xlsx"), "--period", "2099H1")
    assert r.code == 2 and "chinesecalendar" in r.err and "2099" in r.err and "Traceback" not in r.err
    r = run("validate", str(tmp_path / "x.xlsx"), "--period", "上个月")
    assert r.code == 2 and "无法识别统计周期" in r.err
    write_workbook(tmp_path / "y.xlsx", cat, [SheetSpec("表3", "T3", {**clean("T3"), "period": "2099年"})])
    r = run("validate", str(tmp_path / "y.xlsx"))
    assert r.code == 2 and "2099" in r.err and "Traceback" not in r.err


def test_table_output_names_the_period(tmp_path: Path, cat, run) -> None:
    write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec("表3", "T3", clean("T3"))])
    assert "统计周期 2019年上半年（目录默认）" in run("validate", str(tmp_path / "x.xlsx")).out
    out = run("validate", str(tmp_path / "x.xlsx"), "--period", "2019", "--lang", "en").out
    assert "period 2019 (full year) (--period)" in out and "working days in the period (2019 (full year): 250)" in out


def _t2(path: Path, cat, period: str | None, down: int) -> None:
    vals = {"region": "丙市", "referral_down_total": down, **({"period": period} if period else {})}
    write_workbook(path, cat, [SheetSpec("表2", "T2", vals)])


def test_growth_pairs_a_half_year_with_the_same_half_year(tmp_path: Path, cat) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    _t2(batch / "2019上.xlsx", cat, "2019年上半年", 1000)
    _t2(batch / "2018上.xlsx", cat, "2018年上半年", 800)
    _t2(batch / "2018全.xlsx", cat, "2018年全年", 1700)
    got = {Path(f.file).stem: {i.id: i for i in f.indicators} for f in yjzl.compute(batch, cat).files}
    growth = got["2019上"]["referral_down_growth"]
    # (1000 − 800) ÷ 800 = 25 %: 2019 H1 against 2018 H1, never against the whole of 2018 (1700).
    assert (growth.value, growth.period, growth.compared_with) == (25.0, "2019-01-01:2019-06-30", "2018-01-01:2018-06-30")


def test_unlike_periods_are_not_paired_and_say_so(tmp_path: Path, cat) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    _t2(batch / "2019上.xlsx", cat, "2019年上半年", 1000)
    _t2(batch / "2018全.xlsx", cat, "2018年全年", 1700)
    got = {Path(f.file).stem: {i.id: i for i in f.indicators} for f in yjzl.compute(batch, cat).files}
    growth = got["2019上"]["referral_down_growth"]
    assert growth.status == "missing input" and growth.value is None
    assert growth.reason == "统计周期不同类，不配对：本期 2019年上半年，前 1 期的填报是 2018年全年，应为 2018年上半年"
    # The same through --previous: the earlier form states the whole year.
    (tmp_path / "now").mkdir()
    (tmp_path / "then").mkdir()
    _t2(tmp_path / "now" / "丙.xlsx", cat, None, 1000)  # no 统计年度: the catalogue's 2019 H1
    _t2(tmp_path / "then" / "丙.xlsx", cat, "2018年度", 1700)
    r = yjzl.compute(tmp_path / "now", cat, previous=[tmp_path / "then"])
    growth = next(i for i in r.files[0].indicators if i.id == "referral_down_growth")
    assert growth.reason == "统计周期不同类，不配对：本期 2019年上半年，前 1 期的填报是 2018年全年，应为 2018年上半年"
    # An earlier form without 统计年度 is taken as the same span a year back, and the result says which.
    _t2(tmp_path / "then" / "丙.xlsx", cat, None, 800)
    r = yjzl.compute(tmp_path / "now", cat, previous=[tmp_path / "then"])
    growth = next(i for i in r.files[0].indicators if i.id == "referral_down_growth")
    assert (growth.value, growth.compared_with) == (25.0, "2018-01-01:2018-06-30")
    # --period moves both: the current is the whole of 2019, the previous the whole of 2018.
    r = yjzl.compute(tmp_path / "now", cat, previous=[tmp_path / "then"], period="2019")
    growth = next(i for i in r.files[0].indicators if i.id == "referral_down_growth")
    assert (growth.value, growth.period, growth.compared_with) == (25.0, "2019-01-01:2019-12-31", "2018-01-01:2018-12-31")


def test_catalogue_check_guards_the_period(tmp_path: Path, run) -> None:
    import copy

    from tests.test_catalogue_check import RAW, field, problems, write

    data = copy.deepcopy(RAW)
    field(data, "T3", "ct_report_hours")["id"] = "period_days"  # a field would shadow the period's days
    data["catalogue"]["period"]["end"] = date(2018, 12, 31)  # before 2019-01-01
    code, found = problems(run, write(tmp_path, data))
    assert code == 1
    assert ("YC001", "forms[T3].fields[period_days]") in {(p["code"], p["where"]) for p in found}
    assert ("YC007", "catalogue.period") in {(p["code"], p["where"]) for p in found}


def test_compute_and_report_take_the_period(tmp_path: Path, cat, run) -> None:
    import json

    write_workbook(tmp_path / "x.xlsx", cat, [SheetSpec("表3", "T3", clean("T3"))])
    r = run("compute", str(tmp_path / "x.xlsx"), "--period", "2019", "--format", "json")
    doc = json.loads(r.out)
    assert r.code == 0 and doc["files"][0]["forms"][0]["statistics_period"] == "2019-01-01:2019-12-31"
    assert {i["period"] for i in doc["files"][0]["indicators"]} == {"2019-01-01:2019-12-31"}
    r = run("compute", str(tmp_path / "x.xlsx"), "--period", "2019H3")
    assert r.code == 2 and "无法识别统计周期" in r.err
    out = tmp_path / "r.html"
    r = run("report", str(tmp_path / "x.xlsx"), "-o", str(out), "--period", "2019")
    html = out.read_text(encoding="utf-8")
    # Over the year the half-year 表3 warns twice (平均每日门诊人次, 病床周转次数) and the page names the period.
    # the page says who chose the period in its reader's words, not as the option typed
    assert r.code == 0 and "2019年全年（生成报告时指定）" in html and "统计周期工作日天数（2019年全年：250）" in html


def test_the_calendar_is_imported_only_to_count_working_days(tmp_path: Path, cat) -> None:
    import subprocess
    import sys

    write_workbook(tmp_path / "t1.xlsx", cat, [SheetSpec("表1", "T1", clean("T1"))])
    write_workbook(tmp_path / "t3.xlsx", cat, [SheetSpec("表3", "T3", clean("T3"))])
    code = ("import sys, yjzl; yjzl.validate(sys.argv[1]); print('chinese_calendar' in sys.modules)")
    # 表1 has no check that reads working days; 表3's 平均每日门诊人次 does.
    got = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f)], capture_output=True, text=True, check=True).stdout.strip()
           for f in ("t1.xlsx", "t3.xlsx")]
    assert got == ["False", "True"]


def test_group_by_period_uses_the_period_not_its_spelling(tmp_path: Path, cat) -> None:
    for name, period, down in (("甲", "2019年上半年", 100), ("乙", "2019-01-01:2019-06-30", 300), ("丙", "2019年全年", 500)):
        write_workbook(tmp_path / f"{name}.xlsx", cat, [SheetSpec("表2", "T2", {"region": name, "period": period,
                                                                                "referral_down_total": down,
                                                                                "public_hospital_inpatients": 10_000})])
    r = yjzl.compute(tmp_path, cat, group_by="period")
    groups = {g.group for g in r.groups}
    assert groups == {"2019年上半年", "2019年全年"}


def test_the_template_audits_live_over_the_catalogue_period(cat) -> None:
    from yjzl.template.build import build_with_audit

    wb, audit = build_with_audit(cat, ["表3"])
    assert audit.untranslated_checks == {}  # 平均每日门诊人次 and 病床周转次数 have formulas too
    formulas = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    # 2019 H1, the catalogue's period: 门急诊人次数 ÷ 122 working days, 实际开放总床日数 ÷ 181 days.
    assert any("/122)" in f for f in formulas) and any("/181)" in f for f in formulas)


def test_compute_lists_a_file_whose_year_the_calendar_lacks_and_goes_on(tmp_path: Path, cat) -> None:
    write_workbook(tmp_path / "a.xlsx", cat, [SheetSpec("表3", "T3", {**clean("T3"), "period": "2099年"})])
    write_workbook(tmp_path / "b.xlsx", cat, [SheetSpec("表3", "T3", clean("T3"))])
    r = yjzl.compute(tmp_path, cat)
    errors = {Path(f.file).name: f.error for f in r.files}
    assert errors["b.xlsx"] is None and "chinesecalendar" in errors["a.xlsx"] and "2099" in errors["a.xlsx"]
