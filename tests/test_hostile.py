"""Hostile and messy input (issue #6): every file of the corpus (tests/corpus.py) through
`yjzl validate` and `yjzl compute`, with the exact outcome of each: the exit code, the one-line
reason naming the file, or the findings at their cells. No run shows a traceback, and no run
changes a byte of its input.
"""

from __future__ import annotations

import hashlib
import json
import resource
import time
import zipfile
from pathlib import Path

import pytest

from tests.corpus import CASES, HUGE_CELL, ROW, SHEET, build
from yjzl.bilingual import in_language
from yjzl.workbook.cells import MAX_CELL_CHARS

S = SHEET + "!"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory, cat) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("corpus"), cat)


@pytest.fixture(scope="module")
def digests(corpus: dict[str, Path]) -> dict[str, str]:
    return {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in corpus.items()}


@pytest.fixture(autouse=True)
def inputs_unchanged(corpus: dict[str, Path], digests: dict[str, str]):
    """After every test of this module, every corpus file still has its bytes."""
    yield
    changed = [n for n, p in corpus.items() if hashlib.sha256(p.read_bytes()).hexdigest() != digests[n]]
    assert not changed, f"inputs changed: {changed}"


def test_every_case_is_built(corpus: dict[str, Path]) -> None:
    assert set(CASES) <= set(corpus)


def _validate(run, path: Path, *extra: str):
    r = run("validate", path, "--format", "json", *extra)
    assert "Traceback" not in r.err
    return r, json.loads(r.out) if r.out.strip() else None


def _findings(doc) -> list[tuple[str, list[str]]]:
    return [(f["code"], f["cells"]) for f in doc["files"][0]["findings"]]


def _compute(run, path: Path):
    r = run("compute", path, "--format", "json", "--jobs", "1")
    assert "Traceback" not in r.err
    return r, json.loads(r.out) if r.out.strip() else None


def _indicators(doc) -> dict[str, tuple[float | None, str]]:
    return {i["id"]: (i["value"], i["status"]) for i in doc["files"][0]["indicators"]}


# examples/data/T4M.yaml: 门诊收入 1 872 000 ÷ 医院收入 6 500 000 = 28.8 %; 1 872 000 ÷ 26 000 门诊人次数 = 72 元.
CLEAN_INDICATORS = {"outpatient_revenue_share": (28.8, "ok"), "outpatient_revenue_per_visit": (72.0, "ok"),
                    "township_outpatient_cost_change": (None, "missing input"),  # a trend: needs --previous (issue 11 §6)
                    # issue 25 §4 (examples/data/T4M.yaml): 新技术 2 + 新项目 1; 上转病人例数 180; two growths need --previous
                    "new_tech_project_count": (3.0, "ok"), "member_referral_up_count": (180.0, "ok"),
                    "outpatient_visits_growth": (None, "missing input"), "hospital_referrals_down_growth": (None, "missing input")}

# --- files that cannot be used: exit 2 from both commands, one line naming the file and why ----------

DAMAGED = "工作簿已损坏或不完整（可能被截断）/ the workbook is damaged or truncated: File is not a zip file"
# A whole .xls is read (issue #12; tests/test_formats.py); this one stops after its first record.
BAD_XLS = ("工作簿已损坏，无法读取（.xls）/ the .xls workbook is damaged: 记录被截断（文件不完整或已损坏）/ a record is cut short "
           "(the file is truncated or damaged): struct.error: unpack requires a buffer of 4 bytes")
UNUSABLE = {
    # Text is read as CSV whatever its name (issue #22 §5: HIS exports); this one's sheet, named after the file, is no form.
    "text-renamed.xlsx": "未找到可识别的表单 / no form recognised（text-renamed: 未识别出表单 / no form recognised "
                         "(用 --form 指定 / name it with --form)）",
    "binary-renamed.xlsx": "不是 .xlsx 工作簿（可能是改了扩展名的文本或其他文件）/ not an .xlsx workbook",
    "empty.xlsx": "文件为空 / the file is empty",
    "truncated.xlsx": DAMAGED,
    "truncated-tail.xlsx": DAMAGED,
    "old-binary.xls": BAD_XLS,
    "old-binary-renamed.xlsx": BAD_XLS,
    "wps.et": "这是 WPS 表格专有格式（.et），请在 WPS 中另存为 .xlsx / "
              "a WPS Spreadsheets file (.et): save it as .xlsx in WPS (File → Save As → Excel Workbook)",
    "encrypted.xlsx": "工作簿设置了打开密码（已加密），请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空）后另存为 .xlsx / "
                      "the workbook is password-protected (encrypted): remove the password in Excel/WPS and save it again as .xlsx",
    "old-word.xlsx": "这是 Office 复合文档（如旧版 .doc/.xls 或加密文件），不是 .xlsx 工作簿，请另存为 .xlsx / "
                     "an Office compound file (an old .doc/.xls or an encrypted file), not an .xlsx workbook: save it as .xlsx",
    "junk.csv": "无法识别 CSV 文件的编码（不是 UTF-8、UTF-16 或 GBK）/ the CSV is in no known encoding (UTF-8, UTF-16, GBK): "
                "请在 Excel/WPS 中另存为 .xlsx（或 UTF-8 CSV）/ save it as .xlsx (or UTF-8 CSV) in Excel/WPS",
    "no-form.xlsx": "未找到可识别的表单 / no form recognised（采购清单: 未识别出表单 / no form recognised (用 --form 指定 / name it with --form)）",
    "all-hidden.xlsx": f"未找到可识别的表单 / no form recognised（{SHEET}: 隐藏的工作表，未读取 / hidden sheet, not read）",
    "bomb.xlsx": "xl/worksheets/sheet1.xml 解压后有 3072 MB，超过上限 64 MB，拒绝读取 / "
                 "a part inflates to 3072 MB, over the limit of 64 MB: refused",
    "bomb-ratio.xlsx": "xl/worksheets/sheet1.xml 解压后有 48 MB，压缩比 1011:1 异常（疑似压缩炸弹），拒绝读取 / "
                       "a part inflates to 48 MB at a ratio of 1011:1 (a zip bomb?): refused",
    "bomb-lying.xlsx": "工作簿已损坏，无法读取 xl/worksheets/sheet1.xml / the workbook is damaged: xl/worksheets/sheet1.xml: "
                       "BadZipFile: Bad CRC-32 for file 'xl/worksheets/sheet1.xml'",
    "xml-bomb.xlsx": "xl/worksheets/sheet1.xml 含有 DTD（实体定义），.xlsx 文件不应有，拒绝读取 / "
                     "the part declares a DTD (entity definitions), which no .xlsx has: refused",
    "unclosed-cells.xlsx": "工作簿已损坏，无法读取 xl/worksheets/sheet1.xml / the workbook is damaged: xl/worksheets/sheet1.xml: "
                           "ParseError: mismatched tag: line 1, column 2737878",
    "damaged.ods": "工作簿已损坏，无法读取 content.xml / the .ods workbook is damaged: content.xml: ParseError: unbound prefix: line 1, column 0",
    "letter.docx": "这是 Word 文档（.docx），不是工作簿 / a Word document (.docx), not a workbook",
    # The sheet is named and skipped (issue #12: one dangling sheet no longer refuses the others); it was the only one.
    "missing-part.xlsx": f"未找到可识别的表单 / no form recognised（{SHEET}: 工作表的数据不在文件中（xl/worksheets/sheet1.xml），未读取 / "
                         "the sheet's cells are missing from the file (xl/worksheets/sheet1.xml): not read）",
}


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_unusable_files_are_refused_with_their_reason(run, corpus: dict[str, Path], name: str) -> None:
    path = corpus[name]
    reason = UNUSABLE[name]
    said = in_language(reason, "zh")  # printed in the run's language; JSON keeps both
    r = run("validate", path)
    assert (r.code, r.err) == (2, "退出码 2：没有可用的输入（1 个输入无法使用）\n")
    assert r.out.splitlines()[0] == f"{path}: 无法使用: {said}"
    r, doc = _validate(run, path)
    assert r.code == 2 and doc["files"][0]["error"] == reason and doc["files"][0]["findings"] == []
    r = run("compute", path, "--jobs", "1")
    assert (r.code, r.out) == (2, "")
    assert r.err == f"yjzl: 没有可用的输入: {path}: {said}\n"


def test_one_unusable_file_among_good_ones_fails_the_run_but_not_the_others(run, corpus: dict[str, Path]) -> None:
    r, doc = _validate(run, corpus["clean.xlsx"], corpus["encrypted.xlsx"])
    assert r.code == 1  # validate: some unusable, the rest audited
    assert [bool(f["error"]) for f in doc["files"]] == [False, True]
    r = run("compute", corpus["clean.xlsx"], corpus["truncated.xlsx"], "--format", "json", "--jobs", "1")
    assert r.code == 1 and "Traceback" not in r.err
    assert [f["error"] for f in json.loads(r.out)["files"]] == [None, UNUSABLE["truncated.xlsx"]]


def test_zip_bombs_are_refused_quickly_without_inflating(run, corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The 3 GiB part and the 1000:1 part are refused from the directory; the part whose header
    says 1 KB is inflated only to its declared size, then its CRC fails."""
    inflated = [0]
    real = zipfile._get_decompressor

    class Counting:
        def __init__(self, d) -> None:
            self.d = d

        def decompress(self, data: bytes, max_length: int = 0) -> bytes:
            out = self.d.decompress(data, max_length)
            inflated[0] += len(out)
            return out

        def __getattr__(self, name: str):
            return getattr(self.d, name)

    monkeypatch.setattr(zipfile, "_get_decompressor", lambda kind: Counting(real(kind)))
    for name in ("bomb.xlsx", "bomb-ratio.xlsx", "bomb-lying.xlsx"):
        inflated[0] = 0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        start = time.perf_counter()
        for command in ("validate", "compute"):
            r = run(command, corpus[name])
            assert r.code == 2 and in_language(UNUSABLE[name], "zh") in r.out + r.err
        assert time.perf_counter() - start < 5
        assert inflated[0] < 1 << 20, (name, inflated[0])
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 100 * 1024  # < 100 MB more at the peak


RAISE_ZH = "；确认文件可信时可设置环境变量 YJZL_MAX_MB=128 放宽（当前 64，所有读取上限按比例放宽）"
RAISE_EN = "; for a trusted file set YJZL_MAX_MB=128 to raise it (now 64; every reading limit scales with it)"


@pytest.mark.parametrize(("limit", "value", "reason"), [
    ("MAX_PART_BYTES", 1000, "xl/worksheets/sheet1.xml 解压后有 {size} B，超过上限 1000 B，拒绝读取；确需读取（如 10 万行的汇总表）"
                             "时设置环境变量 YJZL_MAX_MB={need}（每 MB 约需 10 MB 内存） / "
                             "a part inflates to {size} B, over the limit of 1000 B: refused; to read it anyway (a 100 000-row "
                             "summary table) set YJZL_MAX_MB={need} (about 10 MB of memory per MB)"),
    ("RATIO_FLOOR", 1000, "xl/worksheets/sheet1.xml 解压后有 {size} B，压缩比 {ratio}:1 异常（疑似压缩炸弹），拒绝读取 / "
                          "a part inflates to {size} B at a ratio of {ratio}:1 (a zip bomb?): refused"),
    ("budget.MAX_BYTES", 1000, "工作簿解压后超过读取上限 1000 B，拒绝读取" + RAISE_ZH + " / the workbook inflates beyond the reading limit "
                               "of 1000 B: refused" + RAISE_EN),
    ("budget.MAX_CELLS", 1000, "工作簿的单元格超过读取上限 1000 个，拒绝读取" + RAISE_ZH + " / the workbook holds more than the reading "
                               "limit of 1000 cells: refused" + RAISE_EN),
    ("budget.MAX_CHARS", 1000, "工作簿的文本超过读取上限 1000 字，拒绝读取" + RAISE_ZH + " / the workbook's text is over the reading "
                               "limit of 1000 characters: refused" + RAISE_EN),
])
def test_each_limit_refuses_with_its_message(run, corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                             limit: str, value: int, reason: str) -> None:
    from yjzl.workbook import archive, budget

    path = corpus["big-rows.xlsx"]  # its sheet1 compresses well over MAX_RATIO
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    module, _, limit = limit.rpartition(".")
    monkeypatch.setattr(budget if module else archive, limit, value)
    if limit == "RATIO_FLOOR":  # the ratio allowed at this size becomes 2 (MAX_RATIO × MAX_PART_BYTES / size)
        monkeypatch.setattr(archive, "MAX_RATIO", 2 * info.file_size / archive.MAX_PART_BYTES)
    r = run("validate", path)
    assert r.code == 2
    ratio = f"{info.file_size / info.compress_size:.0f}"
    need = -(-info.file_size // (1 << 20))  # whole MB, rounded up: a sheet under the bomb size gets the way to read it
    assert r.out.splitlines()[0] == f"{path}: 无法使用: " + in_language(reason.format(size=info.file_size, ratio=ratio, need=need), "zh")


def test_the_ratio_allowed_falls_with_the_size() -> None:
    """A 56 MB part of one long repeated string at 211:1 (LibreOffice's re-save of SheetJS large_strings) is read;
    the 48 MB bomb at 1011:1 is not; nothing under RATIO_FLOOR is refused for its ratio."""
    from yjzl.workbook.archive import MAX_PART_BYTES, RATIO_FLOOR, ratio_limit

    assert ratio_limit(56 << 20) == 300 * 64 / 56 > 211  # 342.9
    assert ratio_limit(48 << 20) == 400 < 1011
    assert ratio_limit(MAX_PART_BYTES) == 300
    assert ratio_limit(RATIO_FLOOR) == float("inf")


# --- files that are read: the exact findings at their cells -------------------------------------------

def test_clean_file_is_clean(run, corpus: dict[str, Path]) -> None:
    r, doc = _validate(run, corpus["clean.xlsx"])
    assert (r.code, _findings(doc)) == (0, [])
    r, doc = _compute(run, corpus["clean.xlsx"])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)


@pytest.mark.parametrize("name", ["strict.xlsx", "calc.ods"])
def test_strict_open_xml_and_ods_are_read_like_the_xlsx(run, corpus: dict[str, Path], name: str) -> None:
    """The cells of clean.xlsx in ISO 29500 Strict namespaces, and as an .ods (issue #12: other readers read both)."""
    r, doc = _validate(run, corpus[name])
    assert (r.code, _findings(doc)) == (0, [])
    r, doc = _compute(run, corpus[name])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)


def test_csv_is_read_in_the_label_value_layout(run, corpus: dict[str, Path]) -> None:
    """UTF-8 with BOM and GBK, quoted thousands; the sheet is named after the file, B11 is record 11."""
    utf8, gbk = corpus["表4（乡镇卫生院）-utf8.csv"], corpus["表4（乡镇卫生院）-gbk.csv"]
    r, doc = _validate(run, utf8)
    assert (r.code, _findings(doc)) == (0, [])
    assert doc["files"][0]["forms"][0]["sheet"] == "表4（乡镇卫生院）-utf8"
    r, doc = _validate(run, gbk)
    assert (r.code, _findings(doc)) == (1, [("YJ003", ["'表4（乡镇卫生院）-gbk'!B11"])])
    assert doc["files"][0]["findings"][0]["message"] == "「住院人次数」应为数字，填的是“约780”"
    for path in (utf8, gbk):
        r, doc = _compute(run, path)
        assert r.code == 0 and _indicators(doc)["outpatient_revenue_share"] == (28.8, "ok")
    r = run("validate", utf8, "--annotate", utf8.with_suffix(".xlsx"))
    assert r.code == 2 and "--annotate 只能用于 .xlsx 工作簿" in r.err and not utf8.with_suffix(".xlsx").exists()


def test_csv_renamed_xlsx_and_xlsx_renamed_csv(run, corpus: dict[str, Path], tmp_path: Path) -> None:
    disguised = tmp_path / "表4（乡镇卫生院）.csv"
    disguised.write_bytes(corpus["clean.xlsx"].read_bytes())  # an .xlsx named .csv is read as the workbook it is
    r, doc = _validate(run, disguised)
    assert (r.code, _findings(doc)) == (0, [])


def test_duplicate_labels_name_both_rows(run, corpus: dict[str, Path]) -> None:
    r, doc = _validate(run, corpus["duplicate-labels.xlsx"])
    assert (r.code, _findings(doc)) == (1, [("YJ010", [f"{S}A{ROW['outpatient_visits']}", f"{S}A18"])])
    r, doc = _compute(run, corpus["duplicate-labels.xlsx"])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)  # the first row's value is the one used


def test_merged_cells(run, corpus: dict[str, Path]) -> None:
    """Labels merged across A:B are read from A (their top-left cell), values from C as the header says;
    a value merged down over the next field's row belongs to the first: the second is blank."""
    r, doc = _validate(run, corpus["merged.xlsx"])
    assert (r.code, _findings(doc)) == (1, [("YJ001", [f"{S}C{ROW['admissions']}"])])
    assert doc["files"][0]["forms"][0]["layout"] == "A=指标 C=数值 D=说明"
    r, doc = _compute(run, corpus["merged.xlsx"])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)


def test_hidden_sheet_skipped_hidden_row_read(run, corpus: dict[str, Path]) -> None:
    r, doc = _validate(run, corpus["hidden.xlsx"])
    assert (r.code, _findings(doc)) == (1, [("YJ005", [f"{S}B{ROW['admissions']}"])])  # the hidden row is data
    assert doc["files"][0]["sheets_skipped"] == [{"sheet": "表4（旧）", "reason": "隐藏的工作表，未读取 / hidden sheet, not read"}]
    r = run("validate", corpus["hidden.xlsx"])
    assert "  跳过 表4（旧）: 隐藏的工作表，未读取" in r.out.splitlines()
    r, doc = _compute(run, corpus["hidden.xlsx"])
    assert r.code == 0 and doc["files"][0]["sheets_skipped"][0]["sheet"] == "表4（旧）"


def test_excel_error_values(run, corpus: dict[str, Path]) -> None:
    r, doc = _validate(run, corpus["errors.xlsx"])
    assert (r.code, _findings(doc)) == (1, [("YJ008", [f"{S}B{ROW['outpatient_visits']}"]), ("YJ008", [f"{S}B{ROW['referrals_up']}"])])
    assert [f["message"] for f in doc["files"][0]["findings"]] == ["「门诊人次数」的单元格是错误值 #DIV/0!", "「上转病人例数」的单元格是错误值 #N/A"]
    r, doc = _compute(run, corpus["errors.xlsx"])
    assert (r.code, _indicators(doc)["outpatient_revenue_per_visit"]) == (0, (None, "missing input"))


def test_date_in_a_count_field(run, corpus: dict[str, Path]) -> None:
    r, doc = _validate(run, corpus["dates.xlsx"])
    assert (r.code, _findings(doc)) == (1, [("YJ012", [f"{S}B{ROW['admissions']}"])])
    assert doc["files"][0]["findings"][0]["message"] == (
        "「住院人次数」应为数字，但单元格是日期格式（2024-02-01 = 45323），请将单元格格式改为“常规”或“数值”")
    r, doc = _compute(run, corpus["dates.xlsx"])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)  # 住院人次数 enters no indicator of 表4（乡镇卫生院）


def test_formulas_with_and_without_cached_values(run, corpus: dict[str, Path]) -> None:
    r, doc = _validate(run, corpus["formulas.xlsx"])
    assert (r.code, _findings(doc)) == (1, [("YJ007", [f"{S}B{ROW['admissions']}"])])
    r, doc = _compute(run, corpus["formulas.xlsx"])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)  # 门诊人次数 = its cached 26000


def test_labels_with_invisible_and_full_width_characters_match(run, corpus: dict[str, Path]) -> None:
    r, doc = _validate(run, corpus["spaces.xlsx"])
    assert (r.code, _findings(doc)) == (0, [])
    r, doc = _compute(run, corpus["spaces.xlsx"])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)


def test_a_100000_row_sheet(run, corpus: dict[str, Path]) -> None:
    # How long it takes is measured by benchmarks/bench_limits.py, not here (a loaded machine is no test).
    r, doc = _validate(run, corpus["big-rows.xlsx"])
    assert (r.code, _findings(doc)) == (0, [])
    assert doc["files"][0]["sheets_skipped"] == [
        {"sheet": "门诊明细", "reason": "未识别出表单 / no form recognised (用 --form 指定 / name it with --form)"}]
    r, doc = _compute(run, corpus["big-rows.xlsx"])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)


def test_100000_rows_pasted_below_the_form(run, corpus: dict[str, Path], monkeypatch) -> None:
    """Every row with a label that is no field and a value is a warning (YJ006) at its label; the
    first 500 distinct ones say which label is closest. The form itself is read as if alone.

    The costly part, looking for the closest label (difflib), is bounded by count rather than by
    the clock (the time is measured by benchmarks/bench_limits.py): at most MAX_HINTS per sheet."""
    import difflib

    from yjzl.workbook import reader

    calls = [0]
    real = difflib.get_close_matches

    def counted(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    r, doc = _validate(run, corpus["pasted-below.xlsx"])
    findings = _findings(doc)
    assert r.code == 0 and len(findings) == 100_000 and {code for code, _ in findings} == {"YJ006"}
    assert (findings[0], findings[-1]) == (("YJ006", [f"{S}A18"]), ("YJ006", [f"{S}A100017"]))
    messages = [f["message"] for f in doc["files"][0]["findings"]]
    assert messages[-1] == "无法识别的指标名称“门诊明细第99999行 内科”"
    r, doc = _compute(run, corpus["pasted-below.xlsx"])
    assert (r.code, _indicators(doc)) == (0, CLEAN_INDICATORS)
    assert 0 < calls[0] <= 2 * reader.MAX_HINTS  # validate and compute each read the sheet once


def test_a_million_character_cell(run, corpus: dict[str, Path]) -> None:
    from yjzl.workbook.xlsx import read_workbook

    sheet = read_workbook(corpus["huge-cell.xlsx"]).sheets[0]
    for field, col in (("diseases_assured", 2), ("report_type", 2), ("outpatient_visits", 3)):
        assert len(sheet.cells[(ROW[field], col)].value) == MAX_CELL_CHARS < HUGE_CELL  # Excel's limit for a cell
    r, doc = _validate(run, corpus["huge-cell.xlsx"])
    assert (r.code, _findings(doc)) == (1, [("YJ003", [f"{S}B{ROW['diseases_assured']}"])])
    assert doc["files"][0]["findings"][0]["message"] == (
        "「根据自身能力上限，可确保收治的病种数量」应为数字，填的是“约" + "一" * 58 + "…（共 32767 字 / 32767 chars）”")
    r = run("compute", corpus["huge-cell.xlsx"], "--jobs", "1")
    assert r.code == 0 and "Traceback" not in r.err


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")  # the corpus's minimal styles.xml
def test_annotate_marks_a_merged_cell_on_its_range(run, corpus: dict[str, Path], tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "merged-审核.xlsx"
    r = run("validate", corpus["merged.xlsx"], "--annotate", out)
    assert r.code == 1 and "Traceback" not in r.err
    ws = openpyxl.load_workbook(out)[SHEET]
    top = ws[f"C{ROW['outpatient_visits']}"]  # C12 lies in the merged C11:C12
    assert top.fill.fgColor.rgb.endswith("FFC7CE") and f"（C{ROW['admissions']}）" in top.comment.text


def test_an_internal_error_shows_its_traceback_and_asks_for_a_report(run, corpus: dict[str, Path],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from yjzl.workbook import reader

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(reader, "read_book", broken)
    r = run("validate", corpus["clean.xlsx"])
    assert r.code == 3
    assert "Traceback (most recent call last)" in r.err and "ZeroDivisionError: a bug" in r.err
    assert r.err.rstrip().endswith("内部错误，请将以上信息报告给开发者 / internal error: please report the lines above")


def test_a_larger_part_limit_is_asked_for_by_name_and_never_lowers_it(tmp_path: Path) -> None:
    """A 100 000-row summary table is ~300 MB of sheet XML: refused by default with the variable that
    reads it anyway; a bomb's refusal (3 GB) suggests nothing; the variable never lowers the limit."""
    from yjzl.workbook import archive

    assert archive.part_limit_mb({}) == 64 and archive.part_limit_mb({"YJZL_MAX_MB": "512"}) == 512
    assert archive.part_limit_mb({"YJZL_MAX_MB": "8"}) == 64 and archive.part_limit_mb({"YJZL_MAX_MB": "x"}) == 64
    code = ("import os, sys; os.environ['YJZL_MAX_MB'] = '300'; from yjzl.workbook import archive; "
            "from yjzl.workbook import budget; print(archive.MAX_PART_BYTES >> 20, budget.MAX_BYTES >> 20, budget.MAX_CELLS, "
            "budget.MAX_CHARS >> 20)")
    import subprocess
    import sys

    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() == ["300", "600", "4915200", "300"]

