"""Issue 27 §3: one command sends the failing units back (annotated copies + 退回清单); resubmissions in a later
batch folder count whatever the files' modification times; 已重报 and 逾期 in the roster's 进度明细."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

import yjzl
from examples.build_examples import clean
from tests.builders import SheetSpec, write_workbook
from tests.test_supervisor import uscc

# 10 hospitals; the ones in FAILING carry one logic error (远程医疗 上级医院数 70 000 > 覆盖的医院数 63 900), and
# with it one warning (上级 + 下级 > 覆盖).
NAMES = ["安康医院", "宝鸡医院", "长安医院", "定边医院", "富平医院", "汉中医院", "华阴医院", "眉县医院", "蒲城医院", "铜川医院"]
FAILING = {"长安医院", "宝鸡医院", "眉县医院", "汉中医院", "铜川医院"}
BAD = dict(telemedicine_upper_hospitals=70000, telemedicine_hospitals=63900)


def code(n: int) -> str:
    return uscc("610402", f"4955{n:04d}")


def t3(path: Path, cat, n: int, bad: bool, **extra: object) -> dict:
    v = {**clean("T3"), "day_surgery_cases": 100, "day_surgery_cases_2": 100, "period": "2019年上半年",
         "hospital_name": NAMES[n], "org_code": code(n), **(BAD if bad else {}), **extra}
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_workbook(path, cat, [SheetSpec("表3", "T3", v)])


@pytest.fixture
def round_folder(tmp_path: Path, cat) -> Path:
    folder = tmp_path / "报送"
    for n, name in enumerate(NAMES):
        t3(folder / f"{name}.xlsx", cat, n, name in FAILING)
    return folder


def test_clean_units_have_no_findings(tmp_path: Path, cat) -> None:
    t3(tmp_path / "a.xlsx", cat, 0, False)
    (rep,) = yjzl.validate([tmp_path / "a.xlsx"], cat).files
    assert rep.findings == []  # otherwise "exactly the failing units" below would prove nothing


def test_one_command_writes_a_copy_per_failing_unit_and_the_list(run, round_folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "退回"
    res = run("validate", round_folder, "--annotate", target)
    assert res.code == 1  # errors found
    assert "已写出退回清单" in res.err and "5 个单位，5 份标注副本" in res.err
    copies = sorted(p.relative_to(target).as_posix() for p in target.rglob("*-审核.xlsx"))
    assert copies == sorted(f"报送/{name}-审核.xlsx" for name in FAILING)
    ws = openpyxl.load_workbook(target / "退回清单.xlsx")["退回清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("单位", "表", "文件", "错误", "待说明警告", "首先要改", "标注副本", "备注")
    from yjzl.batch.roster import normalise_name

    assert [r[0] for r in rows[1:]] == sorted(FAILING, key=normalise_name)  # exactly those five, sorted by unit
    for r in rows[1:]:
        assert r[1] == "表3" and r[3] == 1 and r[4] == 1 and r[6] == f"报送/{r[0]}-审核.xlsx"
        assert "上级医院" in r[5] and r[5].startswith("表3!")  # the cell, then the message
    marked = openpyxl.load_workbook(target / "报送" / "长安医院-审核.xlsx")
    assert marked.sheetnames[0] == "审核结果"
    assert all(not (round_folder / f"{n}-审核.xlsx").exists() for n in NAMES)  # never beside the inputs


def test_the_target_folder_follows_the_output_rules(run, round_folder: Path, tmp_path: Path) -> None:
    res = run("validate", round_folder, "--annotate", round_folder / "退回")
    assert res.code == 2 and "输入文件夹" in res.err and not (round_folder / "退回").exists()
    full = tmp_path / "已有"
    full.mkdir()
    (full / "别的.txt").write_text("x", encoding="utf-8")
    res = run("validate", round_folder, "--annotate", full)
    assert res.code == 2 and "--force" in res.err and sorted(p.name for p in full.iterdir()) == ["别的.txt"]
    assert run("validate", round_folder, "--annotate", full, "--force").code == 1
    assert (full / "退回清单.xlsx").exists() and (full / "别的.txt").read_text(encoding="utf-8") == "x"
    res = run("validate", round_folder, "--annotate", tmp_path / "x.xlsx")
    assert res.code == 2 and "目录" in res.err


def batches(tmp_path: Path, cat) -> tuple[Path, Path]:
    """第1批: 长安医院 fails, 安康医院 passes; 第2批: 长安医院's corrected copy (it passes), written FIRST and
    given a file time a day older than the first batch's copy."""
    one, two = tmp_path / "第1批", tmp_path / "第2批"
    t3(two / "长安医院-修改.xlsx", cat, 2, False, grade34_surgeries=10500)
    t3(one / "长安医院.xlsx", cat, 2, True, grade34_surgeries=6300)
    t3(one / "安康医院.xlsx", cat, 0, False, grade34_surgeries=4200)
    t = os.stat(one / "长安医院.xlsx").st_mtime
    os.utime(two / "长安医院-修改.xlsx", (t - 86400, t - 86400))
    return one, two


def test_the_second_batch_counts_whatever_the_file_times(tmp_path: Path, cat) -> None:
    one, two = batches(tmp_path, cat)
    roster = tmp_path / "名单.csv"
    roster.write_text(f"名称,机构代码,截止日期,收到日期\n长安医院,{code(2)},2019-07-15,2019-07-20\n"
                      f"安康医院,{code(0)},2019-07-15,\n", encoding="utf-8")
    result = yjzl.compute([one, two], cat, roster=roster, group_by="all")
    chang, an = result.roster.units
    assert [Path(k.split("!")[0]).name for k in chang.submissions] == ["长安医院-修改.xlsx", "长安医院.xlsx"]
    assert chang.resubmitted and chang.why == f"后一批报送（{two}）" and chang.passed is True
    assert (chang.deadline, chang.received, chang.late) == ("2019-07-15", "2019-07-20", True)  # 逾期 by 收到日期
    assert not an.resubmitted and (an.deadline, an.received, an.late) == ("2019-07-15", None, None)  # no receipt date
    share = next(g.indicator for g in result.groups if g.indicator.id == "grade34_surgery_share")
    assert share.value == 35.0  # (10 500 + 4 200) / (21 000 + 21 000): the first batch's copy (6 300) set aside
    # given the other way round, the other copy counts: the order of the inputs is the order of the batches
    flipped = yjzl.compute([two, one], cat, roster=roster).roster.units[0]
    assert Path(flipped.submissions[0].split("!")[0]).name == "长安医院.xlsx"


def test_a_batch_folders_date_is_its_receipt_date(tmp_path: Path, cat) -> None:
    root = tmp_path / "报送"
    t3(root / "第1批 2019-07-10" / "长安医院.xlsx", cat, 2, True)
    t3(root / "第2批 2019-07-18" / "长安医院.xlsx", cat, 2, False)
    roster = tmp_path / "名单.csv"
    roster.write_text(f"名称,机构代码\n长安医院,{code(2)}\n", encoding="utf-8")
    (unit,) = yjzl.compute([root], cat, roster=roster, deadline="2019年7月15日").roster.units
    assert "第2批 2019-07-18" in unit.submissions[0] and unit.resubmitted
    assert (unit.deadline, unit.received, unit.late) == ("2019-07-15", "2019-07-18", True)
    (unit,) = yjzl.compute([root], cat, roster=roster, deadline="2019-07-31").roster.units
    assert unit.late is False


def test_progress_shows_resubmitted_and_late(run, tmp_path: Path, cat) -> None:
    one, two = batches(tmp_path, cat)
    roster = tmp_path / "名单.csv"
    roster.write_text(f"名称,机构代码,截止日期,收到日期\n长安医院,{code(2)},2019-07-15,2019-07-20\n", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    assert run("compute", one, two, "--roster", roster, "-o", out).code == 0
    ws = openpyxl.load_workbook(out)["进度明细"]
    head, first = (list(r) for r in ws.iter_rows(min_row=1, max_row=2, values_only=True))
    row = dict(zip(head, first))
    assert (row["已重报"], row["截止日期"], row["收到日期"], row["逾期"]) == ("是", "2019-07-15", "2019-07-20", "是")
    assert row["原因"] == f"后一批报送（{two}）"
    res = run("compute", one, two, "--roster", roster, "--deadline", "soon")
    assert res.code == 2 and "--deadline" in res.err


def test_validate_sends_back_on_the_copy_that_counts(run, tmp_path: Path, cat) -> None:
    one, two = batches(tmp_path, cat)
    target = tmp_path / "退回"
    run("validate", one, two, "--annotate", target)
    assert not list(target.rglob("*-审核.xlsx"))  # 长安医院's counting copy (第2批) passes: nothing to send back
    book = openpyxl.load_workbook(target / "退回清单.xlsx")
    assert list(book["退回清单"].iter_rows(values_only=True)) == [
        ("单位", "表", "文件", "错误", "待说明警告", "首先要改", "标注副本", "备注")]
    (again,) = list(book["重报"].iter_rows(min_row=2, values_only=True))
    assert again == ("长安医院", "表3", "第2批/长安医院-修改.xlsx", "第1批/长安医院.xlsx", f"后一批报送（{two}）")
    # the first batch alone: it is sent back
    run("validate", one, "--annotate", tmp_path / "退回1")
    assert [p.name for p in (tmp_path / "退回1").rglob("*-审核.xlsx")] == ["长安医院-审核.xlsx"]


def test_validate_says_which_copy_counts(run, tmp_path: Path, cat) -> None:
    one, two = batches(tmp_path, cat)
    for args in ((), ("--format", "json")):
        res = run("validate", one, two, *args)
        assert (f"重报：长安医院（表3）以 第2批/长安医院-修改.xlsx 为准（后一批报送（{two}））；"
                "另收到 第1批/长安医院.xlsx") in res.err.splitlines()
    assert "重报" not in run("validate", one).err


def test_a_subfolder_without_a_number_is_no_later_batch(tmp_path: Path, cat) -> None:
    from yjzl.batch.batches import Batches, comparable

    root = tmp_path / "报送"
    t3(root / "长安医院.xlsx", cat, 2, True)
    t3(root / "咸阳市" / "长安医院.xlsx", cat, 2, False)
    roster = tmp_path / "名单.csv"
    roster.write_text(f"名称,机构代码\n长安医院,{code(2)}\n", encoding="utf-8")
    (unit,) = yjzl.compute([root], cat, roster=roster).roster.units
    # a tie, said as one: the first in file order (咸阳市/ sorts before 长安医院.xlsx) counts for now, "check"
    assert unit.submissions[0] == f"{root / '咸阳市' / '长安医院.xlsx'}!表3" and "请核对" in unit.why
    b = Batches([root, tmp_path / "x"])
    assert not comparable([b.of(root / "a.xlsx"), b.of(root / "第2批" / "a.xlsx")])
    assert comparable([b.of(root / "第1批" / "a.xlsx"), b.of(root / "第2批" / "a.xlsx")])
    assert comparable([b.of(root / "a.xlsx"), b.of(tmp_path / "x" / "a.xlsx")])  # two inputs: given in order
