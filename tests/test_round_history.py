"""Issue 27 §2: a value far outside the unit's own earlier rounds is a plausibility warning at its cell (YJ203)."""

from __future__ import annotations

from pathlib import Path

import pytest

import yjzl
from tests.test_round_sendback import NAMES, t3

# 长安医院's 住院患者人次数 (admissions): 2017 H1 27 000, 2018 H1 28 900; now 231 200 = 28 900 × 8. No rule of the
# form relates admissions to another field, so only its history can see the jump.
NOW = 28900 * 8


@pytest.fixture
def rounds(tmp_path: Path, cat) -> dict[str, Path]:
    where = {}
    for year, value in (("2017", 27000), ("2018", 28900), ("2019", NOW)):
        where[year] = tmp_path / year / "长安医院.xlsx"
        cells = t3(where[year], cat, 2, False, period=f"{year}年上半年", admissions=value)
        where["cell"] = Path(cells[("表3", "admissions")])
    for n in (0, 1):  # two other units, unchanged across the rounds
        for year in ("2017", "2018", "2019"):
            t3(tmp_path / year / f"{NAMES[n]}.xlsx", cat, n, False, period=f"{year}年上半年")
    return where


def test_a_jump_against_two_earlier_rounds_is_one_warning_at_its_cell(rounds, tmp_path: Path, cat) -> None:
    report = yjzl.validate([tmp_path / "2019"], cat, previous=[tmp_path / "2018", tmp_path / "2017"])
    findings = [(Path(f.file).name, x) for f in report.files for x in f.findings]
    assert len(findings) == 1
    file, x = findings[0]
    assert (file, x.severity, x.code, x.check, x.cells) == ("长安医院.xlsx", "warning", "YJ203", "history", [f"表3!{rounds['cell']}"])
    # the history is in the message; the bounds are min ÷ 3 and max × 3 (yjzl/data/history.yaml: count, factor 3)
    assert x.message == ("「住院患者人次数」本期为 231200，与本单位前 2 期（2018年上半年 28900；2017年上半年 27000）相差过大"
                         "（合理范围约 9000–86700）：请核对；如确实如此，请在说明栏写明原因")
    assert not x.explained


def test_the_same_data_without_history_says_nothing(rounds, tmp_path: Path, cat) -> None:
    assert [x for f in yjzl.validate([tmp_path / "2019"], cat).files for x in f.findings] == []


def test_one_earlier_round_is_enough(rounds, tmp_path: Path, cat) -> None:
    report = yjzl.validate([rounds["2019"]], cat, previous=[tmp_path / "2018"])
    (x,) = report.files[0].findings
    assert "前 1 期（2018年上半年 28900）" in x.message and "9633.33–86700" in x.message


def test_like_with_like_a_full_year_is_not_compared_with_a_half(tmp_path: Path, cat) -> None:
    t3(tmp_path / "2018" / "a.xlsx", cat, 2, False, period="2018年全年", admissions=28900)
    t3(tmp_path / "2019" / "a.xlsx", cat, 2, False, period="2019年上半年", admissions=NOW)
    assert yjzl.validate([tmp_path / "2019"], cat, previous=[tmp_path / "2018"]).files[0].findings == []
    t3(tmp_path / "2019b" / "a.xlsx", cat, 2, False, period="2019年全年", admissions=NOW)  # full year with full year
    found = yjzl.validate([tmp_path / "2019b"], cat, previous=[tmp_path / "2018"]).files[0].findings
    assert [x.code for x in found if x.code == "YJ203"] == ["YJ203"]  # (a full year's day rates warn of their own)


def test_another_unit_or_an_explanation(tmp_path: Path, cat) -> None:
    t3(tmp_path / "2018" / "a.xlsx", cat, 3, False, period="2018年上半年", admissions=28900)  # another hospital's history
    t3(tmp_path / "2019" / "a.xlsx", cat, 2, False, period="2019年上半年", admissions=NOW)
    assert yjzl.validate([tmp_path / "2019"], cat, previous=[tmp_path / "2018"]).files[0].findings == []
    from tests.builders import SheetSpec, write_workbook
    from tests.test_round_sendback import code

    t3(tmp_path / "2018b" / "a.xlsx", cat, 2, False, period="2018年上半年", admissions=28900)
    from examples.build_examples import clean

    v = {**clean("T3"), "day_surgery_cases": 100, "day_surgery_cases_2": 100, "period": "2019年上半年",
         "hospital_name": NAMES[2], "org_code": code(2), "admissions": NOW}
    write_workbook(tmp_path / "2019b.xlsx", cat, [SheetSpec("表3", "T3", v, notes={"admissions": "新院区投入使用"})])
    (x,) = yjzl.validate([tmp_path / "2019b.xlsx"], cat, previous=[tmp_path / "2018b"]).files[0].findings
    assert x.explained and x.explanation == "新院区投入使用"  # never blocks: explained, it stands


def test_the_thresholds_are_data() -> None:
    from yjzl.rules.history import _bounds, thresholds

    kinds, _ = thresholds()
    assert _bounds(kinds["count"], 0, [1000, 1200]) == (1000 / 3, 3600)  # a count falling to 0
    assert _bounds(kinds["count"], 2000, [1000, 1200]) is None
    assert _bounds(kinds["count"], 7, [2]) is None  # below the floor: no news
    assert _bounds(kinds["percent"], 8, [85]) == (55, 115)  # 床位使用率 85 % → 8 %
    assert _bounds(kinds["percent"], 70, [85]) is None


def test_cli_and_english(run, rounds, tmp_path: Path) -> None:
    res = run("validate", tmp_path / "2019", "--previous", tmp_path / "2018", "--lang", "en", "--format", "json")
    assert res.code == 0  # a warning never blocks
    import json

    (x,) = [x for f in json.loads(res.out)["files"] for x in f["findings"]]
    assert x["code"] == "YJ203" and x["message"].startswith("'Admissions' is 231200, far from this unit's 1 earlier round(s) (2018 H1 28900")
    assert run("validate", tmp_path / "2019", "--previous", tmp_path / "2018", "--strict").code == 1
