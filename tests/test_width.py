"""Tables fit the terminal (COLUMNS), and what a person reads in Chinese names things, not ids."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from yjzl.output.table import render, width, wrap

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("widths")
    for name in ("表1-clean.xlsx", "表3-flawed.xlsx", "表4（乡镇卫生院）-flawed.xlsx"):
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def _outputs(inputs: Path) -> dict[str, list[str]]:
    return {
        "validate": ["validate", inputs, "--indicators"],
        "compute": ["compute", inputs, "--jobs", "1"],
        "compute --wide": ["compute", inputs, "--jobs", "1", "--wide"],
        "compute --group-by": ["compute", inputs, "--jobs", "1", "--group-by", "form"],
        "compute --scoring": ["compute", inputs, "--jobs", "1", "--scoring", EXAMPLES / "scoring-sample.yaml"],
        **{f"catalogue list --kind {k}": ["catalogue", "list", "--kind", k]
           for k in ("indicator", "field", "check", "target", "framework", "form")},
        "catalogue show": ["catalogue", "show", "县域内就诊率"],
    }


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_line_is_wider_than_the_terminal(run, inputs: Path, monkeypatch: pytest.MonkeyPatch, columns: int, lang: str) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    for name, args in _outputs(inputs).items():
        res = run(*args, "--lang", lang)
        assert res.code in (0, 1) and res.out, (name, res.err)
        widest = max(res.out.splitlines(), key=width)
        assert width(widest) <= columns, (name, widest)


def test_without_a_terminal_nothing_is_wrapped(run, inputs: Path) -> None:
    doc = json.loads(run("validate", inputs / "表3-flawed.xlsx", "--format", "json").out)
    longest = max((f["message"] for f in doc["files"][0]["findings"]), key=width)
    assert width(longest) > 60
    out = run("validate", inputs / "表3-flawed.xlsx").out  # stdout is captured: no terminal, no COLUMNS
    assert longest in out


IDS = re.compile(r"(?<![A-Za-z0-9_.])(?:T[1-4]M?|S0\d\d|national|beijing_2017|shaanxi_2017|yangjiang|ok|missing input|"
                 r"denominator zero|yes|no|[a-z]+(?:_[a-z0-9]+)+)(?![A-Za-z0-9_])")


def test_chinese_tables_name_things_not_ids(run, inputs: Path, cat) -> None:
    for name, args in _outputs(inputs).items():
        out = run(*args).out
        if name == "catalogue show":  # the entry's id is shown once, labelled, for overlay authors
            out = "\n".join(line for line in out.splitlines() if not line.startswith("编号（覆盖层中引用）"))
        found = {m.group() for m in IDS.finditer(out)} - {"scoring_sample"}
        assert not found, (name, found)
        assert not (set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", out)) & set(cat.indicators)), name
    compute = run("compute", inputs / "表1-clean.xlsx", "--jobs", "1").out
    assert "目标（国家标准）" in compute and "≥ 95%" in compute and "缺少数据：" in compute and "否" in compute
    assert "国卫医资源便函〔2019〕373号 第四部分" in run("catalogue", "list", "--kind", "target").out


def test_json_keeps_ids_beside_the_names(run, inputs: Path) -> None:
    doc = json.loads(run("compute", inputs / "表1-clean.xlsx", "--jobs", "1", "--format", "json").out)
    ind = doc["files"][0]["indicators"][0]
    assert ind["id"] == "primary_facility_standard_rate" and ind["name"] == "基层医疗卫生机构建设达标率"
    assert ind["status"] == "ok" and ind["targets"][0]["set"] == "national"
    assert doc["target_sets"]["national"] == "国家标准"
    rows = json.loads(run("catalogue", "list", "--format", "json").out)
    assert rows[0]["id"] == "primary_facility_standard_rate"


def test_english_names_units_and_target_sets(run, inputs: Path) -> None:
    out = run("compute", inputs / "表1-clean.xlsx", "--jobs", "1", "--lang", "en").out
    assert "Share of primary care facilities" in out and "≥ 95% (2017)" in out and "yes" in out
    assert "per 10 000 residents" in out and "国家标准" not in out
    # one target set compared (the default: national): named once, in the header; two: each target names its set
    assert "(National" in out and "standard)" in out and "National standard ≥" not in out
    out = run("compute", inputs / "表1-clean.xlsx", "--jobs", "1", "--lang", "en", "--target-set", "yangjiang").out
    assert "National standard ≥ 95%" in out
    show = run("catalogue", "show", "县域内就诊率", "--lang", "en").out
    assert "Form 1, Form 2" in show and "National standard ≥ 90%" in show


def test_wrap_keeps_words_numbers_and_cells_whole() -> None:
    assert wrap("hello world this is", 12) == ["hello world", "this is"]
    lines = wrap("应等于「上转病人例数」（11616），相差 7", 16)
    assert " ".join(lines) == "应等于「上转病人 例数」 （11616），相差 7" and max(map(width, lines)) <= 16
    assert any("（11616），" in x for x in lines)  # a number whole, with its brackets; no line opens with ，
    # a break before ）」 or after （「 moves back, out of the number before it too
    lines = wrap("「门诊总诊疗人次数（例次）」（180100），相差 15100", 24)
    assert lines[:2] == ["「门诊总诊疗人次数（例", "次）」（180100），相差"], lines
    assert wrap("abc 126101004352011350 def", 20) == ["abc", "126101004352011350", "def"]  # an 18-character code whole
    assert wrap("审核表1–表4。", 10) == ["审核表1–", "表4。"]  # 表 and its number together
    assert wrap("表3!C86, 表3!C87, 表3!C88, 表3!C89", 26) == ["表3!C86, 表3!C87, 表3!C88,", "表3!C89"]
    # an opening bracket goes with its word (it does not end a line)
    assert wrap("the tiered-diagnosis system (third-party assessment)", 30) == [
        "the tiered-diagnosis system", "(third-party assessment)"]
    # a table too wide for any narrowing is cut into tables that each repeat the first column
    text = render([["甲市", *range(10_000, 10_020)]], headers=["名称", *(f"指标{i}" for i in range(20))], limit=60)
    assert max(map(width, text.splitlines())) <= 60 and text.count("甲市") > 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_fits_80_columns(run, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    from tests.test_messages import _commands

    monkeypatch.setenv("COLUMNS", "80")
    for cmd in _commands():
        path = {"check": ["catalogue", "check"], "list": ["catalogue", "list"], "show": ["catalogue", "show"]}.get(cmd.name, [cmd.name])
        out = run(*([] if cmd.name == "cli" else path), "--help", "--lang", lang).out
        assert out and max(map(width, out.splitlines())) <= 80, (cmd.name, max(out.splitlines(), key=width))


def test_every_name_a_person_reads_has_its_english(cat) -> None:
    """--lang en names forms, target sets and units in English: the catalogue has them all."""
    units = {f.unit for form in cat.forms.values() for f in form.fields if f.unit} | {i.defn.unit for i in cat.indicators.values()}
    assert units <= set(cat.source.units), units - set(cat.source.units)
    assert all(f.code_en and f.title_en for f in cat.forms.values())
    assert all(s.short and s.short_en and s.name_en for s in cat.source.target_sets)
    assert all(i.defn.name_en for i in cat.indicators.values())


def test_sources_by_document(cat) -> None:
    from yjzl.output.words import source, target

    assert source(cat, "S004 第二部分 一、考核指标框架 表1") == "国卫医资源便函〔2019〕373号 第二部分 一、考核指标框架 表1"
    assert source(cat, "S000 京卫医〔2017〕122号") == "京卫医〔2017〕122号"  # the number is not said twice
    assert source(cat, "S003 一、工作目标").startswith("阳江市医疗联合体建设工作方案")  # no number: its title
    assert (target(">=", 95, "%"), target("<=", 9, "日"), target("==", 100, "%")) == ("≥ 95%", "≤ 9 日", "= 100%")


def test_the_template_footer_names_the_catalogue(cat, tmp_path: Path) -> None:
    import openpyxl

    from yjzl.template.build import write_template

    out = write_template(cat, ["表1"], tmp_path / "t.xlsx")
    footer = openpyxl.load_workbook(out)["表1"].oddFooter.left.text
    assert footer == f"{cat.source.catalogue.name} {cat.source.catalogue.version} 版" and "national" not in footer
