"""The command line as a user meets it: exit codes, one-line refusals, outputs, inputs untouched."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from examples.build_examples import clean, flawed
from tests.builders import SheetSpec, write_workbook


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_exit_codes_and_formats(run, tmp_path: Path, cat) -> None:
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    write_workbook(good, cat, [SheetSpec("表4", "T4", clean("T4"))])
    vals, notes, omit = flawed("T4")
    write_workbook(bad, cat, [SheetSpec("表4", "T4", vals, notes, omit)])
    assert run("validate", good).code == 0
    res = run("validate", bad)
    assert res.code == 1 and "YJ101  B" in res.out  # the cells without their sheet: the heading names it
    doc = json.loads(run("validate", bad, "--format", "json").out)
    f = doc["files"][0]
    assert {"file", "forms", "findings", "indicators", "skipped"} <= set(f)
    assert {"severity", "check", "message", "cells", "explained"} <= set(f["findings"][0])
    assert {"id", "name", "value", "unit", "status"} <= set(f["indicators"][0])
    assert run("validate", bad, "--format", "csv").out.startswith("file,severity,code,check,cells,message")
    assert "::error file=" in run("validate", bad, "--format", "github").out
    assert "must not exceed" in run("validate", bad, "--lang", "en").out


def test_strict_fails_on_open_warnings(run, tmp_path: Path, cat) -> None:
    p = tmp_path / "w.xlsx"
    write_workbook(p, cat, [SheetSpec("表4", "T4", {**clean("T4"), "alos": 500})])
    assert run("validate", p).code == 0
    assert run("validate", p, "--strict").code == 1


def test_annotate_writes_a_marked_copy_and_leaves_the_input(run, tmp_path: Path, cat) -> None:
    vals, notes, omit = flawed("T3")
    src = tmp_path / "t3.xlsx"
    write_workbook(src, cat, [SheetSpec("表3", "T3", vals, notes, omit)])
    before = digest(src)
    out = tmp_path / "t3-审核.xlsx"
    res = run("validate", src, "--annotate", out, "-o", tmp_path / "r.json", "--format", "json")
    assert res.code == 1 and digest(src) == before
    ws = openpyxl.load_workbook(out)["表3"]
    bad = next(f for f in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"][0]["findings"] if f["code"] == "YJ101")
    cell = ws[bad["cells"][0].split("!")[1]]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and "YJ101" in cell.comment.text
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic writer left nothing behind


def test_output_never_overwrites_an_input(run, tmp_path: Path, cat) -> None:
    p = tmp_path / "t.xlsx"
    write_workbook(p, cat, [SheetSpec("表4", "T4", clean("T4"))])
    before = digest(p)
    res = run("validate", p, "-o", p)
    assert res.code == 2 and "覆盖" in res.err and digest(p) == before


def test_unusable_inputs_get_one_line_and_exit_2(run, tmp_path: Path) -> None:
    cases = {
        "text.xlsx": b"\xe6\x8c\x87\xe6\xa0\x87,\xe6\x95\xb0\xe5\x80\xbc\n",
        "empty.xlsx": b"",
        "old.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    good = tmp_path / "good.xlsx"
    openpyxl.Workbook().save(good)
    (tmp_path / "cut.xlsx").write_bytes(good.read_bytes()[:300])
    with zipfile.ZipFile(tmp_path / "nobook.xlsx", "w") as z:
        z.writestr("hello.txt", "hi")
    # Text is read as CSV whatever its name (issue #22 §5); "指标,数值" alone holds no form.
    expect = {"text.xlsx": "未找到可识别的表单", "empty.xlsx": "为空", "old.xlsx": ".xls", "cut.xlsx": "损坏", "nobook.xlsx": "没有工作簿"}
    for name, words in expect.items():
        res = run("validate", tmp_path / name)
        assert res.code == 2, (name, res.out, res.err)
        assert words in res.out and "Traceback" not in res.out + res.err, (name, res.out)


def test_a_hand_typed_workbook(run, tmp_path: Path) -> None:
    """Typed as people type: stray spaces, full-width digits, --, blanks, 是/否, a wrong label."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["（县域医疗联合体帮扶的乡镇卫生院填报）"])
    ws.append(["序号", "指标名称", "填报值", "单位", "说明"])
    rows = [("医院名称", "某某镇卫生院"), ("医院组织机构代码", "45678901-2"), ("医院填报类型", "乡镇卫生院"),
            ("医院级别", "一级"), (" 门诊收入 ", "１２０００００"), ("根据自身能力上限，可确保收治的病种数量", "--"),
            ("除上述病种外，可在县级医院帮助下尽力收治的病种数量：", 15), ("医院收入", "3,500,000"),
            ("门诊人次数", 42000), ("住院人次数", None), ("其中：上转病人例数", 120), ("下转病人例数", 30),
            ("接收下级医院上转的例数", 0), ("上级医院帮助开展的新技术数", "2"), ("上级医院帮助开展的新项目数", "两个")]
    for i, (label, value) in enumerate(rows, 1):
        ws.append([i, label, value, "", None])
    p = tmp_path / "镇卫生院.xlsx"
    wb.save(p)
    res = run("validate", p)
    assert res.code == 1
    assert "表4（乡镇卫生院）" in res.out
    assert "「住院人次数」未填写" in res.out and " C12 " in res.out
    assert "「上级医院帮助开展的新项目数」应为数字，填的是“两个”" in res.out
    assert res.out.count("错误") >= 2 and "共 1 个文件：2 个错误" in res.out


def test_help_is_instant_and_imports_nothing_heavy() -> None:
    code = "import sys; from yjzl.cli.main import cli; print(sorted(m for m in ('openpyxl', 'pydantic', 'yaml', 'tabulate') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_catalogue_show_and_list(run) -> None:
    res = run("catalogue", "show", "县域内就诊率")
    assert res.code == 0 and "1 − 县域（统筹区域）内住院患者转出人次数" in res.out and "国家标准 ≥ 90%" in res.out
    res = run("catalogue", "show", "T1.urban_hukou_population", "--lang", "en")
    assert res.code == 0 and "part of" in res.out and "T1.urban_hukou_population" in res.out
    assert run("catalogue", "show", "不存在的指标").code == 2
    # A member field lists the lead form's check that sums it over the members (表1 ≥ Σ 表2).
    assert "各份表2的县（市、区）总数之和 ≤ 县（市、区）总数" in run("catalogue", "show", "T2.counties").out
    res = run("catalogue", "list", "--form", "表2", "--kind", "field")
    assert res.code == 0 and "三级医院平均住院日" in res.out and "T2." not in res.out
    assert run("catalogue", "list", "--form", "表9").code == 2
