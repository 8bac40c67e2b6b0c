"""--lang en speaks English: every national field and section has an English label, and an English run
shows Chinese only where the Chinese is the user's own (values typed in the workbook, sheet names, file names)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
# CJK ideographs, CJK punctuation (「」、。), full-width forms (，：（）)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
NATIONAL = ("T1", "T2", "T3", "T3M", "T4", "T4M")


def test_every_national_field_and_section_has_an_english_label(cat) -> None:
    missing, chinese = [], []
    for form_id in NATIONAL:
        form = cat.forms[form_id]
        for entry in (*form.fields, *form.sections):
            if not entry.label_en:
                missing.append(f"{form_id}.{entry.id}")
            elif CJK.search(entry.label_en):
                chinese.append(f"{form_id}.{entry.id}: {entry.label_en}")
    assert sum(len(cat.forms[f].fields) for f in NATIONAL) == 502  # all of them, not a sample
    assert missing == [] and chinese == []


def test_one_chinese_label_has_one_english_label(cat) -> None:
    # 平均住院日, 门诊收入 … are printed on several forms: each reads the same in English everywhere
    english: dict[str, set[str]] = {}
    for form_id in NATIONAL:
        for entry in (*cat.forms[form_id].fields, *cat.forms[form_id].sections):
            english.setdefault(entry.label, set()).add(entry.label_en)
    assert {k: v for k, v in english.items() if len(v) > 1} == {}


def test_a_field_printed_twice_reads_as_its_twin(cat) -> None:
    # 表2 prints 公立医院数 (基本信息) and again 公立医院总数 (11.): one field, one English label
    twins = [(f, cat.fields[form_id][f.duplicate_of]) for form_id in NATIONAL
             for f in cat.forms[form_id].fields if f.duplicate_of]
    assert len(twins) == 4
    assert all(f.label_en == twin.label_en for f, twin in twins)


def test_twins_alike_only_in_english_are_named_with_their_place(cat) -> None:
    # 公立医院数 ≠ 公立医院总数 in Chinese, so Chinese needs no place; both are "Number of public hospitals"
    # in English, so the English names where each is printed (its section: neither has an item number)
    from yjzl.catalogue.describe import namer

    zh, en = namer(cat, "T2", "zh", plain=True), namer(cat, "T2", "en", plain=True)
    assert (zh("public_hospitals"), zh("public_hospitals_2")) == ("公立医院数", "公立医院总数")
    assert en("public_hospitals") == "Number of public hospitals (Basic information)"
    assert en("public_hospitals_2") == "Number of public hospitals (11. Coverage of the referral information system)"


def _typed(book: Path) -> tuple[list[str], dict[str, str], set[str]]:
    """The workbook's sheet names, its cells' text by reference (表3!C21 → 约100), and all its text."""
    wb = openpyxl.load_workbook(book, read_only=True)
    cells, texts = {}, set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    cells[f"{ws.title}!{c.coordinate}"] = c.value
                    texts.add(c.value.strip())
    return wb.sheetnames, cells, texts


def _strip_users_own(text: str, book: Path) -> str:
    """Remove from an English validate output exactly what is the user's own: the file name, the sheet
    names and cell references, the quoted values the filler typed in the cells a finding names, and the
    filler's notes (说明) shown under a finding."""
    sheets, cells, texts = _typed(book)
    out = []
    for line in text.splitlines():
        line = line.replace(str(book), "")
        named = re.findall(r"[^\s,:']+![A-Z]+\d+", line)  # the cells this finding names: their typed values
        named += [f"{s}!{c}" for c in re.findall(r"(?<![!\w])[A-Z]{1,2}\d+(?!\w)", line) for s in sheets]  # C21 of 表3
        for ref in named:
            if ref in cells:
                line = line.replace(f"'{cells[ref]}'", "''")
        for sheet in sorted(sheets, key=len, reverse=True):
            line = re.sub(re.escape(sheet) + r"![A-Z]+\d+", "", line).replace(f"'{sheet}'", "''")
        note = re.match(r"\s*(?:note|explained): (.*)$", line)
        if note and note.group(1).strip() in texts:
            continue
        # YJ009 names the two answers the printed form asks for (是/否), which the filler types
        out.append(line.replace("是 or 否", ""))
    return "\n".join(out)


@pytest.mark.parametrize("name", ["表1", "表2", "表3", "表3（成员单位）", "表4", "表4（乡镇卫生院）"])
def test_english_validate_output_has_no_chinese_of_its_own(run, name: str) -> None:
    book = ROOT / "examples" / f"{name}-flawed.xlsx"
    res = run("--lang", "en", "validate", book)
    assert res.code == 1 and "must" in res.out  # the run found things and said them
    left = _strip_users_own(res.out, book)
    assert CJK.findall(left) == [], left


def test_the_stripping_keeps_what_is_not_the_users(tmp_path: Path) -> None:
    # the filter above removes only the user's own text: a Chinese label leaking into a message stays
    book = ROOT / "examples" / "表3-flawed.xlsx"
    out = f"{book}: Form 3 '表3' period 2019 H1\nerror  YJ003  表3!C21  '住院危重患者抢救人次数' must be a number, not '约100'\n"
    assert CJK.findall(_strip_users_own(out, book)) == list("住院危重患者抢救人次数")


@pytest.mark.parametrize("form", NATIONAL)
def test_english_check_list_rules_are_english(run, form: str) -> None:
    res = run("--lang", "en", "catalogue", "list", "--kind", "check", "--form", form)
    assert res.code == 0
    rules = [line for line in res.out.splitlines()[2:] if line.strip()]
    assert len(rules) >= 2  # 表4（乡镇卫生院） has two
    assert [r for r in rules if CJK.search(r)] == []


def test_english_field_show_names_its_section_unit_parent_and_indicators_in_english(run) -> None:
    res = run("--lang", "en", "catalogue", "show", "T3.referrals_up")
    rows = dict(re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in res.out.splitlines()[:7])
    assert rows["field"] == "Patients referred up / 上转病人例数"  # English first, the printed label beside it
    assert rows["section"] == "(6) Two-way referral / （六）双向转诊"
    assert rows["kind"] == "count (whole number ≥ 0), cases"
    assert rows["part of"] == "Referred patients (and share of discharges)"
    assert rows["used by"].startswith("Upward referrals as a share of all referrals: Patients referred up ÷ ")


def test_english_cross_form_terms_name_the_form_in_english(cat) -> None:
    # t1 ≥ Σ 表2 (sum over the city forms) and count(T3M) read with the forms' English codes
    from yjzl.catalogue.describe import namer

    en = namer(cat, "T1", "en")
    assert en("sum:T2.hukou_population") == "sum of Hukou population over the Form 2 submissions"
    assert namer(cat, "T3", "en")("count:T3M") == "number of Form 3 (member unit) submissions"
    assert namer(cat, "T3", "zh")("count:T3M") == "表3（成员单位）份数"


def test_english_inspect_names_the_form_and_every_field_in_english(run) -> None:
    res = run("--lang", "en", "inspect", ROOT / "examples" / "表4-flawed.xlsx")
    lines = res.out.splitlines()
    head = next(line for line in lines if "→" in line)
    assert head.startswith('sheet "表4" → Form 4 ')  # the sheet is the user's; the form is named in English
    table = lines[lines.index(head) + 3:]
    names = [re.split(r"\s{2,}", line)[0] for line in table if line.strip() and not line.startswith(" ")]
    assert len(names) >= 70  # 表4's 77 fields, less any cut off after the table
    assert [n for n in names if CJK.search(n)] == []


def test_english_messages_of_the_flawed_examples_read_in_full(run) -> None:
    # the messages as a reader of English gets them (JSON keeps the full text, no wrapping)
    import json

    def messages(name: str) -> list[str]:
        doc = json.loads(run("--lang", "en", "validate", ROOT / "examples" / name, "--format", "json").out)
        return [x["message"] for x in doc["files"][0]["findings"]]

    assert "'Rescues of critically ill inpatients' must be a number, not '约100'" in messages("表3-flawed.xlsx")
    # 表2 prints 三级医院平均住院日 twice in 基本信息: the English says which occurrence, as the Chinese does
    assert ("'Average length of stay, grade-3 hospitals (Basic information, occurrence 1)' (9.6) must equal "
            "'Average length of stay, grade-3 hospitals (Basic information, occurrence 2)' (12.6); they differ by 3"
            ) in messages("表2-flawed.xlsx")


def test_an_unused_form_option_is_said_with_the_form_in_english(run) -> None:
    res = run("--lang", "en", "validate", ROOT / "examples" / "表4-clean.xlsx", "--form", "T3")
    assert "note: --form T3 not applied: every sheet was recognised (Form 4 '表4')" in res.err + res.out


def test_a_check_between_twins_names_each_by_its_place(cat) -> None:
    # S004 表3 prints 日间手术例次数 in 基本信息 and again as item 17 of （五）资源下沉: the rule that they agree
    # must not read "日间手术例次数 = 日间手术例次数"
    from yjzl.catalogue import expr
    from yjzl.catalogue.describe import check_text

    repeat = next(c for c in cat.checks_for("T3") if c.id == "t3.day_surgery_cases_repeat")
    assert check_text(cat, repeat, "T3") == "日间手术例次数（第17项） = 日间手术例次数（基本信息）"
    assert check_text(cat, repeat, "T3", "en") == "Day surgery cases (item 17) = Day surgery cases (Basic information)"
    # 表2 公立医院数 / 公立医院总数: twins only in English
    twins = next(c for c in cat.checks_for("T2") if {"public_hospitals", "public_hospitals_2"} <= {
        f for n in c.nodes for f in expr.fields(n)} and c.defn.rule == "eq")
    assert check_text(cat, twins, "T2") == "公立医院数 = 公立医院总数"
    assert check_text(cat, twins, "T2", "en") == (
        "Number of public hospitals (Basic information) = Number of public hospitals (11. Coverage of the referral information system)")


def test_english_indicator_show_says_range_and_target_in_english_punctuation(run) -> None:
    out = run("--lang", "en", "catalogue", "show", "gp_per_10k_urban").out
    # plausible: {min: 0, max: 30} in 人/万人 (units: 人/万人 → per 10 000 residents); the anchor note is quoted Chinese
    assert "plausible range    0–30 per 10 000 residents (a warning outside) — 锚点" in out
    # the target's printed wording (S004 第四部分) is quoted in ASCII brackets in English
    assert "National standard ≥ 2 per 10 000 residents, due 2017 (每万名城市居民拥有2名以上全科医生) — " in out


def test_english_compute_says_a_targets_year_in_ascii_brackets(run) -> None:
    # 基层医疗卫生机构建设达标率 ≥ 95% due 2017 (S004 第四部分): "(2017)" in English, "（2017）" in Chinese
    en = run("--lang", "en", "compute", ROOT / "examples" / "表1-clean.xlsx", "--target-set", "yangjiang").out
    zh = run("compute", ROOT / "examples" / "表1-clean.xlsx", "--target-set", "yangjiang").out
    assert "National standard ≥ 95% (2017)" in en and "（2017）" not in en
    assert "国家标准 ≥ 95%（2017）" in zh


def test_compute_names_the_form_in_english_and_keeps_it_out_of_the_columns(run) -> None:
    flawed = Path(__file__).parents[1] / "examples" / "表3-flawed.xlsx"
    res = run("--lang", "en", "compute", flawed)
    assert res.out.splitlines()[0].startswith(f"{flawed}: Form 3 '表3' 示例医院 (audit: failed"), res.out
    assert run("compute", flawed).out.splitlines()[0].startswith(f"{flawed}: 表3「表3」 示例医院（审核结果")
    header = run("compute", flawed, "--wide", "--format", "csv").out.splitlines()[0].split(",")
    assert header[:3] == ["file", "sheet", "form"] and not any(c.startswith("_") for c in header)


def test_the_report_names_forms_in_english(run, tmp_path: Path) -> None:
    """The HTML report with --lang en: forms as Form 1 … in the submissions, the charts and the duplicates;
    sheet names stay as the filler wrote them."""
    page = tmp_path / "r.html"
    assert run("report", ROOT / "examples", "-o", page, "--lang", "en").code == 0
    html = page.read_text(encoding="utf-8")
    assert "<td>Form</td><td>Form 3</td>" in html and "<td>Sheet</td><td>表3</td>" in html
    assert "表1-clean · Form 1" in html and "表1-clean · 表1" not in html
    assert re.search(r'<section id="duplicates">.*?<td>Form 3</td>', html, re.S)
    zh = tmp_path / "zh.html"
    assert run("report", ROOT / "examples", "-o", zh).code == 0
    assert "表1-clean · 表1" in zh.read_text(encoding="utf-8")
