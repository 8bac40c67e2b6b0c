"""Issue 25 §1: a target is due when the statistics period ends on or after its due date, whichever period.

The period: S004 第一部分（三） “此次报送数据统计周期为 2019 年 1 月 1 日至 2019 年 6 月 30 日” (the catalogue's
default, a half-year); S002 （二） “可按照半年和年度进行”. The due dates are years' ends: S004 第四部分
国办发〔2015〕70号 附件 “到2017年”; S000 一、（一） “2019年底完成综合医联体的调整和布局” (北京
consortium_resident_coverage, by 2019); S000 二、（三） “2020年签约重点人群实现全覆盖” (key_group_coverage, by 2020).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import yjzl
from examples.build_examples import clean
from tests.builders import SheetSpec, write_workbook
from yjzl.period import parse

OVERLAY = Path(__file__).resolve().parents[1] / "examples" / "overlays" / "北京.yaml"


def _targets(report, ind: str) -> dict[str, tuple]:
    r = next(r for f in report.files for r in f.indicators if r.id == ind)
    return {t.set: (r.value, t.by, t.due, t.met, t.due_date) for t in r.targets}


def _t2(tmp_path: Path, cat, period: str | None = None) -> Path:
    # 家庭医生签约服务的重点人群 711 of 1 000 → 71.1 %; 基层诊疗人次 520 100 of 1 000 000 → 52.01 %
    vals = {"key_group_signups": 711, "key_group_population": 1000, "primary_visits": 520100, "total_visits": 1000000}
    if period:
        vals["period"] = period
    path = tmp_path / f"t2-{period or 'none'}.xlsx"
    write_workbook(path, cat, [SheetSpec("表2", "T2", vals)])
    return path


# (the form's 统计年度, --period) → the period used
PERIODS = [(None, None), (None, "2019H1"), (None, "2019"), ("2019年上半年", None), ("2019", None), ("2019年全年", "2019H1")]


@pytest.mark.parametrize(("stated", "option"), PERIODS)
def test_a_2017_target_is_due_on_every_2019_period(tmp_path, cat, stated, option) -> None:
    # 附件 一 “基层医疗卫生机构诊疗量占总诊疗量比例≥65%”, 到2017年: due on 2019 H1 and on 2019 alike; 52.01 misses it
    rep = yjzl.validate(_t2(tmp_path, cat, stated), catalogue=cat, period=option)
    assert _targets(rep, "primary_visit_share")["national"] == (52.01, 2017, True, False, "2017-12-31")


@pytest.mark.parametrize(("stated", "option"), PERIODS)
def test_a_2020_target_is_not_yet_due_in_2019(tmp_path, cat, stated, option) -> None:
    # The default period (no 统计年度, no --period: the national forms print none) judges like a stated one:
    # 71.1 % misses == 100 but the period ends before 2020-12-31 → 未到期, not 未达标
    rep = yjzl.validate(_t2(tmp_path, cat, stated), catalogue=cat, period=option)
    assert _targets(rep, "key_group_coverage")["beijing_2017"] == (71.1, 2020, False, None, "2020-12-31")
    # 阳江 S003: 重点人群签约 ≥60%, 2017 → met, and due
    assert _targets(rep, "key_group_coverage")["yangjiang"][2:4] == (True, True)


def test_the_2020_target_falls_due_with_2020(tmp_path, cat) -> None:
    for stated, option in (("2020", None), (None, "2020"), ("2020年下半年", None)):
        rep = yjzl.validate(_t2(tmp_path, cat, stated), catalogue=cat, period=option)
        assert _targets(rep, "key_group_coverage")["beijing_2017"] == (71.1, 2020, True, False, "2020-12-31")
    # 2020 H1 ends on 2020-06-30, before the due date
    rep = yjzl.validate(_t2(tmp_path, cat, None), catalogue=cat, period="2020H1")
    assert _targets(rep, "key_group_coverage")["beijing_2017"][2:4] == (False, None)


@pytest.fixture(scope="module")
def bj():
    from yjzl.catalogue.loader import load

    return load(None, [OVERLAY])


def _bj(tmp_path: Path, cat, period: str | None, covered: int) -> Path:
    vals = {"district": "东城区", "resident_population": 1000, "consortium_covered_residents": covered}
    if period:
        vals["period"] = period
    path = tmp_path / f"bj-{period or 'none'}-{covered}.xlsx"
    write_workbook(path, cat, [SheetSpec("北京市医联体补充表", "BJ", vals)])
    return path


@pytest.mark.parametrize(("stated", "option", "due"), [
    (None, None, False),  # the default 2019 H1 ends 2019-06-30, before 2019-12-31: 未到期
    (None, "2019H1", False),
    ("2019年上半年", None, False),
    (None, "2019", True),  # the year 2019 contains 2019-12-31: due
    ("2019", None, True),  # 统计年度 2019 is the year, as --period 2019
    ("2019年下半年", None, True),
    (None, "2019-01-01:2019-12-30", False),  # one day short of the due date
])
def test_a_year_end_target_is_due_from_the_period_containing_12_31(tmp_path, bj, stated, option, due) -> None:
    # S000 一、（一）: 辖区居民全覆盖 with the layout “2019年底完成”: == 100 by 2019; 950 of 1 000 = 95 % misses it
    rep = yjzl.validate(_bj(tmp_path, bj, stated, 950), catalogue=bj, period=option)
    met = False if due else None
    assert _targets(rep, "consortium_resident_coverage")["beijing_2017"] == (95.0, 2019, due, met, "2019-12-31")
    # met early is met, due or not
    rep = yjzl.validate(_bj(tmp_path, bj, stated, 1000), catalogue=bj, period=option)
    assert _targets(rep, "consortium_resident_coverage")["beijing_2017"] == (100.0, 2019, due, True, "2019-12-31")


def test_the_verdict_shows_the_due_date(tmp_path, bj, run) -> None:
    path = _bj(tmp_path, bj, None, 950)
    args = ("--overlay", str(OVERLAY), "--target-set", "beijing_2017")
    out = run("compute", path, *args).out
    line = next(x for x in out.splitlines() if "医联体服务辖区居民覆盖率" in x)
    assert "未到期（2019-12-31）" in line
    csv = run("compute", path, *args, "--format", "csv").out
    assert "'= 100 (2019),not yet due (2019-12-31)" in csv and "met_beijing_2017" in csv.splitlines()[0]  # its own pair of columns
    assert line.rstrip().endswith("未到期（2019-12-31）")
    en = run("compute", path, *args, "--lang", "en").out
    assert "not yet due (2019-12-31)" in en
    # the whole year: due and missed
    csv = run("compute", path, *args, "--format", "csv", "--period", "2019").out
    assert "'= 100 (2019),no" in csv


def test_a_group_of_one_period_is_judged_on_it(tmp_path, cat, run) -> None:
    # --group-by sums numerators and denominators; the group's period is its submissions' one period
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, signed in (("甲", 200), ("乙", 400)):
        write_workbook(folder / f"{name}.xlsx", cat, [SheetSpec("表2", "T2", {
            "region": "丙省", "submitter": f"{name}市", "key_group_signups": signed, "key_group_population": 500})])
    rep = yjzl.compute(folder, cat, group_by="region")
    g = next(g for g in rep.groups if g.indicator.id == "key_group_coverage")
    t = next(t for t in g.indicator.targets if t.set == "beijing_2017")
    assert (g.indicator.value, t.due, t.met, t.due_date) == (60.0, False, None, "2020-12-31")  # 600 of 1 000
    rep = yjzl.compute(folder, cat, group_by="region", period="2020")
    g = next(g for g in rep.groups if g.indicator.id == "key_group_coverage")
    t = next(t for t in g.indicator.targets if t.set == "beijing_2017")
    assert (t.due, t.met) == (True, False)


def test_parse_is_one_reading() -> None:
    assert parse("2019").is_due(2019) and not parse("2019H1").is_due(2019) and parse("2019H2").is_due(2019)
    assert parse("2020H1").is_due(2019) and not parse("2018").is_due(2019)


def test_the_template_reads_due_states_as_compute_does(cat, tmp_path) -> None:
    """The template's live 达标 column, recalculated by LibreOffice, says 未到期 exactly where compute does."""
    import shutil
    import subprocess

    import openpyxl

    from tests.test_template_live import RECALC, fill
    from yjzl.template.build import build_with_audit

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the template's formulas cannot be recalculated")
    template = tmp_path / "t2-template.xlsx"
    wb, audit = build_with_audit(cat, ["表2"])
    wb.save(template)
    row = 3 + audit.indicator_rows.index(("表2", "key_group_coverage"))
    # key_group_coverage 71.11 %: 北京 == 100 by 2020 (missed), 阳江 ≥ 60 by 2017 (met)
    cases = {"blank": (None, "未到期；达标"), "h1": ("2020年上半年", "未到期；达标"), "year": ("2020", "未达标；达标"),
             "h2": ("2020年下半年", "未达标；达标"), "before": ("2019年全年", "未到期；达标")}
    paths = []
    for name, (period, _) in cases.items():
        values = {**clean("T2"), **({"period": period} if period else {})}
        path = tmp_path / f"{name}.xlsx"
        fill(cat, template, path, {"T2": (values, {}, set())})
        paths.append(path)
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC, encoding="utf-8")
    out = tmp_path / "lo"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), *map(str, paths)], capture_output=True, text=True, timeout=600)
    for (name, (_, want)), path in zip(cases.items(), paths):
        ws = openpyxl.load_workbook(out / path.name, data_only=True)["指标计算"]
        assert ws.cell(row, 2).value == cat.indicators["key_group_coverage"].defn.name
        assert ws.cell(row, 8).value == want, name
        r = next(r for r in yjzl.validate(path, catalogue=cat).files[0].indicators if r.id == "key_group_coverage")
        got = "；".join("达标" if t.met else ("未到期" if t.due is False else "未达标") for t in r.targets)
        assert got == want, name
