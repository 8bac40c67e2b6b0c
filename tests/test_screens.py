"""The screens people read (issue 24): the terminal at 80 and 120 columns and in a pipe, findings in sheet order,
and one language a run — every command over the shipped examples."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from yjzl.output.table import width
from yjzl.report import Finding, cell_position, in_sheet_order

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped examples as a user has them: the workbooks, the overlays' workbook, the roster, the scoring."""
    folder = tmp_path_factory.mktemp("shipped") / "examples"
    folder.mkdir()
    for p in EXAMPLES.glob("*.xlsx"):
        shutil.copy(p, folder / p.name)
    (folder / "overlays").mkdir()
    shutil.copy(EXAMPLES / "overlays" / "北京-医联体.xlsx", folder / "overlays" / "北京-医联体.xlsx")
    shutil.copy(EXAMPLES / "名单-示例.tsv", folder.parent / "名单-示例.tsv")
    return folder


def _commands(folder: Path, out: Path) -> dict[str, list[object]]:
    roster = folder.parent / "名单-示例.tsv"
    return {
        "validate": ["validate", folder],
        "validate --indicators": ["validate", folder / "表3-flawed.xlsx", "--indicators"],
        "validate (unusable)": ["validate", folder.parent / "不存在.xlsx", folder.parent / "没有这个目录"],
        "compute": ["compute", folder, "--jobs", "1"],
        "compute --group-by": ["compute", folder, "--jobs", "1", "--group-by", "form"],
        "compute --roster": ["compute", folder, "--jobs", "1", "--roster", roster],
        "compute --wide": ["compute", folder, "--jobs", "1", "--wide"],
        "compute --scoring": ["compute", folder, "--jobs", "1", "--scoring", EXAMPLES / "scoring-sample.yaml"],
        "compute -o": ["compute", folder, "--jobs", "1", "-o", out / "c.xlsx", "--force"],
        "compute --format csv": ["compute", folder, "--jobs", "1", "--format", "csv", "--group-by", "regoin"],
        "collect": ["collect", folder, "-o", out / "汇总.xlsx"],
        "report": ["report", folder, "-o", out / "r.html", "--force"],
        "template": ["template", "表3", "-o", out / "t.xlsx", "--force"],
        "inspect": ["inspect", folder / "表3-flawed.xlsx"],
        "catalogue check": ["catalogue", "check"],
        "catalogue list": ["catalogue", "list"],
        "catalogue show": ["catalogue", "show", "县域内就诊率"],
        "help": ["validate", "--help"],
    }


def _run_all(run, folder: Path, out: Path, lang: str) -> dict[str, str]:
    texts = {}
    for name, args in _commands(folder, out).items():
        (out / "汇总.xlsx").unlink(missing_ok=True)
        res = run(*args, "--lang", lang)
        assert res.code in (0, 1, 2) and (res.out or res.err), (name, res.code)
        texts[name] = res.out + res.err
    return texts


def _codes(folder: Path) -> set[str]:
    """Every 18-character organisation code (统一社会信用代码) in the shipped workbooks and roster."""
    found = set()
    for p in [*folder.rglob("*.xlsx"), folder.parent / "名单-示例.tsv"]:
        text = p.read_text(encoding="utf-8") if p.suffix == ".tsv" else " ".join(
            str(c) for ws in openpyxl.load_workbook(p, read_only=True) for row in ws.iter_rows(values_only=True) for c in row)
        found |= set(re.findall(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])", text))
    return {c for c in found if c[0].isdigit()}


@pytest.mark.parametrize("columns", [80, 120])
def test_every_line_fits_the_terminal_and_no_code_is_split(run, shipped: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    codes = _codes(shipped)
    assert len(codes) >= 3  # the examples' hospitals and the roster's: something to keep whole
    for lang in ("zh", "en"):
        for name, text in _run_all(run, shipped, tmp_path, lang).items():
            if name == "compute --format csv":
                continue  # data for a program: never wrapped
            widest = max(text.splitlines(), key=width)
            assert width(widest) <= columns, (lang, name, widest)
            joined = re.sub(r"\s*\n\s*", "", text)  # a code cut across two lines is whole again here
            for code in codes:
                assert joined.count(code) == text.count(code), (lang, name, code)


def test_in_a_pipe_nothing_is_wrapped(run, shipped: Path) -> None:
    """stdout captured (no terminal, no COLUMNS): each finding is one line, its message whole."""
    doc = json.loads(run("validate", shipped / "表3-flawed.xlsx", "--format", "json").out)
    table = run("validate", shipped / "表3-flawed.xlsx").out
    for f in doc["files"][0]["findings"]:
        assert any(f["code"] in line and f["message"] in line for line in table.splitlines()), f["message"]


def _position(f: dict, sheets: list[str]) -> tuple:
    where = next((p for p in map(cell_position, f["cells"]) if p), None)
    return (0,) if where is None else (1, sheets.index(where[0]) if where[0] in sheets else len(sheets), where[1], where[2])


def test_findings_come_in_sheet_order_everywhere(run, shipped: Path) -> None:
    doc = json.loads(run("validate", shipped, "--format", "json").out)
    checked = 0
    for f in doc["files"]:
        sheets = [x["sheet"] for x in f["forms"]]
        keys = [_position(x, sheets) for x in f["findings"]]
        assert keys == sorted(keys), f["file"]
        checked += len(keys) > 2
    assert checked >= 5
    # 表1-flawed: C5, C7, C17, C42, C131 — as a person goes down the sheet (the checks run C7, C42, C131, C5, C17)
    one = next(f for f in doc["files"] if f["file"].endswith("表1-flawed.xlsx"))
    assert [x["cells"][0] for x in one["findings"]] == ["表1!C5", "表1!C7", "表1!C17", "表1!C42", "表1!C131"]
    # the table and CSV list them in the same order
    table = run("validate", shipped / "表1-flawed.xlsx").out
    assert re.findall(r"YJ\d{3}", table) == [x["code"] for x in one["findings"]]
    rows = list(csv.DictReader(io.StringIO(run("validate", shipped / "表1-flawed.xlsx", "--format", "csv").out)))
    assert [r["cells"].split()[0] for r in rows] == [x["cells"][0] for x in one["findings"]]


def test_sheet_order_goes_by_the_workbook_then_down_then_across() -> None:
    def f(*cells: str) -> Finding:
        return Finding("error", "YJ001", "x", "m", list(cells), "T1")

    found = [f("乙!B2"), f("甲!AA3"), f("甲!C3"), f("甲!B10"), f(), f("'It''s'!A1"), f("[b.xlsx]甲!A1", "甲!A2")]
    ordered = in_sheet_order(found, ["甲", "乙"])
    assert [x.cells[:1] for x in ordered] == [[], ["[b.xlsx]甲!A1"], ["甲!C3"], ["甲!AA3"], ["甲!B10"], ["乙!B2"], ["'It''s'!A1"]]
    assert cell_position("'It''s'!$AB$12") == ("It's", 12, 28) and cell_position("表3") is None


# Words a Chinese line may hold: names of programs, an option's values (--format table, --group-by region), the
# scheme's name in the shipped scoring file, and catalogue ids naming a catalogue in YJ013's message (its label:
# a defect of that message, rules/*, not of the language).
LATIN_OK = {"Excel", "LibreOffice", "GitHub", "Actions", "yjzl", "table", "json", "jsonl", "csv", "github", "xlsx",
            "region", "regoin", "province", "sample", "national", "beijing"}


def _filler(folder: Path) -> list[str]:
    """What the filler typed: every text of the shipped workbooks and roster, the sheet names, the paths."""
    texts = {str(folder), str(folder.parent)}
    for p in folder.rglob("*.xlsx"):
        wb = openpyxl.load_workbook(p, read_only=True)
        texts |= set(wb.sheetnames) | {p.name}
        texts |= {str(c).strip() for ws in wb for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    for line in (folder.parent / "名单-示例.tsv").read_text(encoding="utf-8").splitlines():
        texts |= set(line.split("\t"))
    return sorted((t for t in texts if t and CJK.search(t)), key=len, reverse=True)


def _mixed(text: str, lang: str, filler: list[str]) -> list[str]:
    bad = []
    for line in text.splitlines():
        # a list of an option's values, paths, file names, options, commands, codes, cells, ids (编号 for overlay
        # authors) first: a path may hold
        # a word the filler typed too
        plain = re.sub(r"(?:[a-z]+(?:、|\||, ?)){2,}[a-z]+|\S*[/\\]\S*|\S*\.[a-z]{3,5}\b|--[\w-]+|yjzl [a-z]+|YJ\d{3}|[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?|"
                       r"\[[^\]]*\]|\w+_\w+", " ", line)
        for t in filler:
            plain = plain.replace(t, " ")
        if lang == "zh":
            words = {w for w in re.findall(r"[A-Za-z]{3,}", plain) if not w.isupper()} - LATIN_OK  # an acronym (ICD) is no English
            if CJK.search(plain) and words:
                bad.append(line)
        elif CJK.search(plain):
            bad.append(line)
    return bad


def test_every_command_speaks_one_language(run, shipped: Path, tmp_path: Path) -> None:
    """No line mixes Chinese and English, except the filler's own text (sheet names, typed values, notes, names,
    paths), and in English the documents' own Chinese a catalogue entry quotes."""
    filler = _filler(shipped)
    mixed = []
    for lang in ("zh", "en"):
        for name, text in _run_all(run, shipped, tmp_path, lang).items():
            if lang == "en" and name in ("catalogue show", "catalogue list", "catalogue check"):
                continue  # the catalogue's definitions and source titles are the documents' Chinese (tests/test_english.py)
            mixed += [(lang, name, line) for line in _mixed(text, lang, filler)]
    assert mixed == [], "\n".join(map(str, mixed))
