"""`yjzl template`: generated workbooks, filled as a person would, give exactly the planted findings.

Each template is filled with openpyxl by finding every field's row by its label
in column B (a label printed twice is taken in order), with the clean data sets
of examples/data and the flaws of examples/build_examples.py. The expected
findings are the hand-worked ones of test_validate_examples.py: a template must
change nothing about what is found, only where (column C).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import yaml

import yjzl
from examples.build_examples import clean, flawed
from tests.builders import fill_template_sheet
from tests.test_validate_examples import EXPECTED
from yjzl.template import messages
from yjzl.template.build import RULES, build_template, write_template
from yjzl.text import label_key

FORMS = ["T1", "T2", "T3", "T3M", "T4", "T4M"]
Data = dict[str, tuple[dict, dict, set]]  # form id → (values, notes, fields whose row is removed)


def fill(src: Path, out: Path, cat, data: Data) -> dict[str, tuple[str, str]]:
    """Type `data` into a template; return {"表1!C7": (form id, field id)} for every field placed."""
    wb = openpyxl.load_workbook(src)
    where: dict[str, tuple[str, str]] = {}
    for ws in wb.worksheets[:-1]:  # the last sheet is 指标计算
        form = cat.find_form(ws.title)
        values, notes, omit = data.get(form.id, (clean(form.id), {}, set()))
        assert not set(values) - set(cat.fields[form.id]), "a typo in a data set must not pass silently"
        for fid, r in fill_template_sheet(ws, form, values, notes, omit).items():
            where[f"{ws.title}!C{r}"] = (form.id, fid)
    wb.save(out)
    return where


def findings(report, where: dict[str, tuple[str, str]]) -> set:
    out = set()
    for f in report.files[0].findings:
        refs = [c.split("!")[0].strip("'") + "!" + c.split("!")[1] for c in f.cells]
        out.add((f.code, f.check, tuple(sorted(where[r][1] for r in refs))))
    return out


def expected(form_id: str) -> set:
    return {(c, k, tuple(sorted(fs))) for c, k, fs in EXPECTED[form_id]}


def template(tmp_path: Path, cat, names: list[str], lang: str = "zh") -> Path:
    path = tmp_path / "template.xlsx"
    write_template(cat, names, path, lang, force=True)
    return path


def test_a_form_brings_its_member_forms(cat) -> None:
    assert build_template(cat, ["表3"]).sheetnames == ["表3", "表3（成员单位）", "指标计算"]
    assert build_template(cat, ["T4"]).sheetnames == ["表4", "表4（乡镇卫生院）", "指标计算"]
    assert build_template(cat, ["表3（成员单位）"]).sheetnames == ["表3（成员单位）", "指标计算"]
    assert build_template(cat, ["all"]).sheetnames == [*(cat.forms[f].code for f in FORMS), "指标计算"]
    assert build_template(cat, ["表2", "表1"]).sheetnames == ["表1", "表2", "指标计算"]  # catalogue order


@pytest.mark.parametrize("form_id", FORMS)
def test_clean_data_in_a_template_gives_no_findings(tmp_path: Path, cat, form_id: str) -> None:
    src = template(tmp_path, cat, [cat.forms[form_id].code])
    fill(src, tmp_path / "filled.xlsx", cat, {})
    report = yjzl.validate(tmp_path / "filled.xlsx", cat)
    assert [f.message for f in report.files[0].findings] == []
    read = report.files[0].forms
    assert [x.form for x in read] == [form_id, *(m.id for m in cat.members_of(form_id))]
    assert {x.identified_by for x in read} == {"template"}


@pytest.mark.parametrize("form_id", FORMS)
def test_flaws_typed_into_a_template_give_exactly_the_planted_findings(tmp_path: Path, cat, form_id: str) -> None:
    src = template(tmp_path, cat, [cat.forms[form_id].code])
    where = fill(src, tmp_path / "filled.xlsx", cat, {form_id: flawed(form_id)})
    report = yjzl.validate(tmp_path / "filled.xlsx", cat)
    assert findings(report, where) == expected(form_id)
    assert all(c.split("!")[1].startswith("C") for f in report.files[0].findings for c in f.cells)


def test_every_form_in_one_workbook(tmp_path: Path, cat) -> None:
    src = template(tmp_path, cat, ["all"])
    # One workbook holds the province and one of its cities, so the cross-form checks meet: the clean
    # province (105 counties, 4000万 residents) holds its city (10 counties, 400万): x.t1_cities_* pass.
    province = clean("T1")
    fill(src, tmp_path / "clean.xlsx", cat, {"T1": (province, {}, set())})
    assert [f.message for f in yjzl.validate(tmp_path / "clean.xlsx", cat).files[0].findings] == []
    where = fill(src, tmp_path / "flawed.xlsx", cat, {f: flawed(f) for f in FORMS})
    report = yjzl.validate(tmp_path / "flawed.xlsx", cat)
    assert findings(report, where) == set().union(*(expected(f) for f in FORMS))
    alos = next(f for f in report.files[0].findings if f.check == "t12.alos_tertiary_range")
    assert alos.explained and alos.explanation == flawed("T1")[1]["alos_tertiary"]  # read from 说明


def test_a_sheet_copied_into_another_workbook_still_reads(tmp_path: Path, cat) -> None:
    filled = tmp_path / "filled.xlsx"
    fill(template(tmp_path, cat, ["表3"]), filled, cat, {})
    src = openpyxl.load_workbook(filled)["表3"]
    wb = openpyxl.Workbook()  # no yjzl.forms property, a sheet name that says nothing
    ws = wb.active
    ws.title = "Sheet1"
    for row in src.iter_rows(values_only=True):
        ws.append(row)
    wb.save(tmp_path / "copy.xlsx")
    report = yjzl.validate(tmp_path / "copy.xlsx", cat)
    assert [(x.form, x.identified_by) for x in report.files[0].forms] == [("T3", "title")]
    assert report.files[0].findings == []


def test_sheet_layout_protection_and_print_setup(cat) -> None:
    wb = build_template(cat, ["表3"])
    ws = wb["表3"]
    form = cat.forms["T3"]
    assert ws["A1"].value == f"{form.code} {form.title}"
    assert [c.value for c in ws[3]][:6] == ["序号", "指标", "数值", "审核", "单位", "说明"]
    assert ws["B2"].value.startswith('="逻辑审核 "')  # the live summary (test_template_live.py)
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value)
    col_b = [ws.cell(r, 2).value for r in range(4, last + 1)]
    headings = {s.label for s in form.sections}
    fields = [v for v in col_b if v not in headings]
    assert [label_key(v) for v in fields] == [label_key(f.label) for f in form.fields]  # document order
    assert [ws.cell(r, 1).value for r in range(4, last + 1) if ws.cell(r, 2).value not in headings] == \
        list(range(1, len(form.fields) + 1))
    assert col_b[0] == form.sections[0].label  # the first field's heading comes before it
    optional = next(f for f in form.fields if f.optional)
    tcm = next(f for f in form.fields if f.condition)
    assert optional.label + "（选填）" in fields and tcm.label + "（中医医院填写）" in fields
    for r in range(4, last + 1):
        is_field = ws.cell(r, 2).value not in headings
        assert ws.cell(r, 3).protection.locked is not is_field and ws.cell(r, 6).protection.locked is not is_field
        assert all(ws.cell(r, c).protection.locked for c in (2, 4, 5, 8, 9))  # labels, 审核, helpers
        assert ws.cell(r, 3).number_format == "@" or not is_field  # `--` typed is text, not a formula
    p = ws.protection
    assert p.sheet and not p.password  # no password: a user can lift it
    assert ws.freeze_panes == "A4"
    assert (int(ws.page_setup.paperSize), ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$3"
    assert ws.column_dimensions["B"].width >= 40 and ws.column_dimensions["F"].width >= 30
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert json.loads(props["yjzl.forms"]) == {"表3": "T3", "表3（成员单位）": "T3M", "指标计算": "yjzl:indicators"}
    assert props["yjzl.catalogue"] == f"national {cat.version}"


@pytest.mark.parametrize("form_id", FORMS)
def test_every_value_cell_is_validated_by_its_kind(cat, form_id: str) -> None:
    form = cat.forms[form_id]
    ws = build_template(cat, [form.code])[form.code]
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        assert len(dv.promptTitle or "") <= 32 and len(dv.prompt or "") <= 255 and len(dv.error or "") <= 225
        first = min(dv.sqref.ranges, key=lambda r: r.min_row)
        if dv.type == "custom":  # written for the first cell; Excel shifts it for the others
            assert f"ISNUMBER(C{first.min_row})" in dv.formula1
        for rng in dv.sqref.ranges:
            for (r, c) in rng.cells:
                assert (r, c) not in by_cell, "two validations on one cell make Excel repair the file"
                by_cell[(r, c)] = dv
    rows = {}
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, 1).value is not None:
            rows[ws.cell(r, 1).value] = r
    for n, f in enumerate(form.fields, start=1):
        dv = by_cell[(rows[n], 3)]
        kind, formula = RULES[f.kind]
        assert dv.type == kind and dv.showInputMessage
        if f.kind == "count":
            assert dv.formula1 == formula.format(c=f"C{min(x.min_row for x in dv.sqref.ranges)}")
            assert "INT(" in dv.formula1 and '="--"' in dv.formula1
        elif kind == "custom":
            assert "INT(" not in dv.formula1 and '="--"' in dv.formula1
        elif f.kind == "yesno":
            assert dv.formula1 == '"是,否"'
        else:
            assert dv.formula1 is None  # names and codes: free text, the validation carries the message
        if kind:
            assert dv.showErrorMessage and dv.errorStyle == "stop"
        if f.definition:
            assert messages.clip(f.definition, 120)[:20] in dv.prompt
        if f.unit:
            assert f"单位：{f.unit}" in dv.prompt
        assert (rows[n], 6) in by_cell  # the 说明 cell explains what it is for


def test_input_messages_carry_formulas_constraints_and_marks(cat) -> None:
    wb = build_template(cat, ["all"])

    def row(sheet: str, label: str, nth: int = 0) -> int:
        ws = wb[sheet]
        return [r for r in range(3, ws.max_row + 1) if ws.cell(r, 2).value and label_key(ws.cell(r, 2).value) == label_key(label)][nth]

    def prompt(sheet: str, label: str, nth: int = 0) -> str:
        r = row(sheet, label, nth)
        return next(dv for dv in wb[sheet].data_validations.dataValidation if f"C{r}" in dv.sqref).prompt

    text = prompt("表1", "户籍总人数")
    assert "指标 家庭医生签约服务覆盖率 = 家庭医生签约服务人数 ÷ 户籍总人数 × 100%" in text
    assert "逻辑审核：城市户籍居民总数 ≤ 户籍总人数" in text
    assert "合理性审核：各份表2的户籍总人数之和 ≤ 户籍总人数" in text  # a cross-form check
    assert "合理性审核：3 ≤ 三级医院平均住院日 ≤ 25" in prompt("表1", "三级医院平均住院日")  # per-level band (issue 11 §4)
    twin = next(f for f in cat.forms["T2"].fields if f.duplicate_of == "alos_tertiary")
    assert f"应与 C{row('表2', twin.label)} 相同" in prompt("表2", twin.label, 1)
    optional = next(f for f in cat.forms["T3"].fields if f.optional and not getattr(f, "supplement", False))
    assert prompt("表3", optional.label).startswith("选填")
    for f in (f for f in cat.forms["T3"].fields if getattr(f, "supplement", False)):  # yjzl's own rows, if any
        assert prompt("表3", f.label).startswith("文件表式中没有此项")
    tcm = next(f for f in cat.forms["T3"].fields if f.condition)
    assert prompt("表3", tcm.label).startswith("仅中医医院填写")


def test_long_texts_are_clipped_where_excel_wants_them() -> None:
    text = "\n".join(f"第{i}行" + "字" * 40 for i in range(10))
    out = messages.clip(text, 255)
    assert len(out) <= 255 and out.endswith("…") and text.startswith(out[:-1])
    assert messages.clip("短", 255) == "短"
    assert len(messages.clip("字" * 300, 32)) == 32


def test_english_input_messages(cat) -> None:
    ws = build_template(cat, ["表1"], lang="en")["表1"]
    prompts = "\n".join(dv.prompt for dv in ws.data_validations.dataValidation)
    assert "Indicator General practitioners per 10 000 urban residents =" in prompts
    assert "A whole number ≥ 0" in prompts and "单位：" not in prompts
    assert ws["B3"].value == "指标"  # labels and headers stay Chinese: the reader matches them


OVERLAY = {
    "overlay": {"id": "demo_province", "name": "示例省补充指标"},
    "indicators": [{"id": "rescue_share", "name": "危重患者抢救人次占住院人次的比例", "forms": ["T3"],
                    "numerator": "critical_rescues", "denominator": "admissions", "factor": 100, "unit": "%",
                    # rescue person-times are no subset of admissions: a % that is not a share needs its range (YC011)
                    "subset": False, "note": "抢救人次可多于住院人次", "plausible": {"min": 0, "max": 50, "note": "YJZL test"},
                    "source": "YJZL test"}],
    "checks": [{"id": "demo.rescues_range", "rule": "range", "forms": ["T3"], "expr": "critical_rescues",
                "min": 0, "max": 100000, "severity": "plausibility", "source": "YJZL test"}],
    "disable": ["t3.alos_range"],  # 表3's own band since issue 11 §4 (t34.alos_range is 表3（成员单位）'s)
}


def test_an_overlay_shows_in_the_template(run, tmp_path: Path) -> None:
    # Overlays add indicators and checks, not fields (yjzl.catalogue.schema.Overlay), so a province's
    # own indicators appear in the input messages of the fields they read, not as rows of their own.
    path = tmp_path / "province.yaml"
    path.write_text(yaml.safe_dump(OVERLAY, allow_unicode=True), encoding="utf-8")
    res = run("template", "表3", "--overlay", path, "-o", tmp_path / "t.xlsx")
    assert res.code == 0, res.err
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert {p.name: p.value for p in wb.custom_doc_props.props}["yjzl.catalogue"].endswith(" + demo_province")
    prompts = "\n".join(dv.prompt for dv in wb["表3"].data_validations.dataValidation)
    assert "指标 危重患者抢救人次占住院人次的比例 = 住院危重患者抢救人次数 ÷ 住院患者人次数 × 100%" in prompts
    assert "合理性审核：0 ≤ 住院危重患者抢救人次数 ≤ 100000" in prompts
    assert "平均住院日 ≤" not in prompts  # t3.alos_range is switched off in this province
    national = "\n".join(dv.prompt for dv in build_template(yjzl.load_catalogue(), ["表3"])["表3"].data_validations.dataValidation)
    assert "危重患者抢救人次占住院人次的比例" not in national and "平均住院日 ≤" in national


def test_cli_writes_the_file(run, tmp_path: Path) -> None:
    out = tmp_path / "表4-模板.xlsx"
    res = run("template", "表4", "-o", out)
    assert res.code == 0 and out.exists()
    assert res.err.strip() == f"已写出模板：{out}（表4、表4（乡镇卫生院））"
    assert openpyxl.load_workbook(out).sheetnames == ["表4", "表4（乡镇卫生院）", "指标计算"]
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left behind


def test_members_gives_that_many_member_sheets_each_recognised(run, tmp_path: Path, cat) -> None:
    out = tmp_path / "表3-模板.xlsx"
    assert run("template", "表3", "--members", "3", "-o", out).code == 0
    names = ["表3", "表3（成员单位）", "表3（成员单位）(2)", "表3（成员单位）(3)"]
    assert openpyxl.load_workbook(out).sheetnames == [*names, "指标计算"]
    report = yjzl.validate(out, cat).files[0]
    assert [(f.sheet, f.form, f.identified_by) for f in report.forms] == [(n, "T3" if n == "表3" else "T3M", "template") for n in names]
    # The live indicator sheet is yjzl's own: skipped without a word, no unknown labels from it.
    assert report.sheets_skipped == []
    assert not [f for f in report.findings if f.code == "YJ006"]
    assert run("template", "表3", "--members", "0", "-o", out, "--force").code == 2


def test_cli_usage_errors(run, tmp_path: Path) -> None:
    res = run("template", "表9", "-o", tmp_path / "x.xlsx")
    assert res.code == 2 and len(res.err.strip().splitlines()) == 1 and "Traceback" not in res.err
    assert "表9" in res.err and "表1、表2、表3、表4、all" in res.err
    assert run("template", "表1").code == 2  # -o is required
    overlay = tmp_path / "province.yaml"
    overlay.write_text(yaml.safe_dump(OVERLAY, allow_unicode=True), encoding="utf-8")
    before = overlay.read_bytes()
    res = run("template", "表1", "--overlay", overlay, "-o", overlay)
    assert res.code == 2 and "覆盖输入" in res.err and overlay.read_bytes() == before
    res = run("template", "表1", "-o", tmp_path / "x.xls")
    assert res.code == 2 and ".xlsx" in res.err
    existing = tmp_path / "filled.xlsx"
    existing.write_bytes(b"someone's work")
    res = run("template", "表1", "-o", existing)
    assert res.code == 2 and "--force" in res.err and existing.read_bytes() == b"someone's work"
    assert run("template", "表1", "-o", existing, "--force").code == 0


def test_the_command_does_not_import_openpyxl_until_it_runs() -> None:
    code = "import sys, yjzl.cli.main, yjzl.cli.template_cmd, yjzl.template.build; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_libreoffice_opens_and_writes_back_the_templates(tmp_path: Path, cat) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc")
    books: list[Path] = []
    for form_id in FORMS:
        src = tmp_path / f"{form_id}.xlsx"
        write_template(cat, [cat.forms[form_id].code], src)
        books.append(src)  # the empty template itself
        for state, data in (("clean", {}), ("flawed", {form_id: flawed(form_id)})):
            books.append(tmp_path / f"{form_id}-{state}.xlsx")
            fill(src, books[-1], cat, data)
    out = tmp_path / "lo"
    profile = (tmp_path / "profile").as_uri()  # a private profile: no lock shared with a running office
    start = time.monotonic()
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                           "--outdir", str(out), *map(str, books)], capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - start
    print(f"LibreOffice converted {len(books)} workbooks in {elapsed:.1f} s")
    for path in books:
        back = out / path.name
        assert back.exists(), f"LibreOffice wrote no {back.name}: {proc.stdout} {proc.stderr}"
        mine, theirs = yjzl.validate(path, cat).files[0], yjzl.validate(back, cat).files[0]
        assert [(x.form, x.identified_by) for x in theirs.forms] == [(x.form, "template") for x in mine.forms]
        assert [(f.code, f.check, f.cells) for f in theirs.findings] == [(f.code, f.check, f.cells) for f in mine.findings]
        original, written = openpyxl.load_workbook(path), openpyxl.load_workbook(back)
        for ws in original.worksheets[:-1]:  # LibreOffice understood the validations and the protection
            lo = written[ws.title]
            assert len(lo.data_validations.dataValidation) == len(ws.data_validations.dataValidation)
            assert lo.protection.sheet and int(lo.page_setup.paperSize) == 9


def test_a_template_of_another_catalogue_is_flagged(tmp_path: Path, cat) -> None:
    """The template carries its catalogue; audited against another (here: with an overlay), YJ013 says so."""
    path = template(tmp_path, cat, ["表4"])
    overlay = tmp_path / "gd.yaml"
    overlay.write_text("overlay: {id: gd, name: 广东}\n", encoding="utf-8")
    from yjzl.catalogue.loader import load

    other = load(None, [overlay])
    found = [f for f in yjzl.validate(path, other).files[0].findings if f.code == "YJ013"]
    assert [(f.severity, f.form) for f in found] == [("warning", "T4"), ("warning", "T4M")]
    assert "national 2019.1" in found[0].message and "national 2019.1 + gd" in found[0].message
    assert not [f for f in yjzl.validate(path, cat).files[0].findings if f.code == "YJ013"]
