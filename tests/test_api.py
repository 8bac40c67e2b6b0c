"""The library as an analyst meets it: what `dir`/`help` list, cheap import, short reprs, missing paths,
tidy rows and pandas, and the examples of docs/api.md (each python block run, each SQL query run)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
DOC = ROOT / "docs" / "api.md"
API = ["validate", "iter_validate", "compute", "collect", "read_workbook", "inspect", "load_catalogue", "Report",
       "ComputeReport", "FileReport", "Finding", "IndicatorResult", "TargetResult", "GroupResult", "ScoreResult"]


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})


def test_dir_and_help_list_the_api_and_import_stays_cheap() -> None:
    import yjzl

    assert set(API) <= set(yjzl.__all__) and set(yjzl.__all__) <= set(dir(yjzl))
    assert "Any" not in dir(yjzl) and "annotations" not in dir(yjzl)
    done = _python("import sys, yjzl; print(sorted(m for m in sys.modules if m.startswith('yjzl')))")
    assert done.returncode == 0 and done.stdout.strip() == "['yjzl']", done.stdout  # nothing but the package itself
    shown = _python("import yjzl; help(yjzl)").stdout
    for name in API:
        assert re.search(rf"^\s+(class )?{name}\b", shown, re.M), name
    assert "docs/api.md" in shown


def test_reprs_are_one_line_and_summary_is_not_a_dump() -> None:
    import yjzl

    result = yjzl.compute([EXAMPLES / "表1-flawed.xlsx", EXAMPLES / "表1-clean.xlsx"], group_by="all")
    assert repr(result) == f"ComputeReport(2 files, 2 submissions, 0 unusable, {len(result.groups)} groups, lang='zh')"
    assert len(repr(result.summary)) < 150  # the bound method shows the short repr, not every indicator
    assert repr(result.files[0]).startswith("FileReport('") and "4 errors" in repr(result.files[0])
    assert len(repr(result.groups[0])) < 200 and "\n" not in repr(result)
    report = yjzl.validate(EXAMPLES / "表3-flawed.xlsx")
    assert repr(report) == "Report(1 files, 1 submissions, 0 unusable, lang='zh')"


def test_a_path_that_names_nothing_raises_and_an_unusable_file_is_listed(tmp_path: Path) -> None:
    import yjzl

    for call in (lambda p: yjzl.compute([p]), lambda p: yjzl.validate([p]), lambda p: list(yjzl.iter_validate([p])),
                 lambda p: yjzl.compute([EXAMPLES / "表1-clean.xlsx"], previous=[p])):
        with pytest.raises(FileNotFoundError) as caught:
            call(str(tmp_path / "nonexistent"))
        assert caught.value.filename == str(tmp_path / "nonexistent")
    with pytest.raises(FileNotFoundError):
        yjzl.compute([str(tmp_path / "*.xlsx")])  # a glob that matches nothing
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    result = yjzl.compute([junk, EXAMPLES / "表1-clean.xlsx"])
    assert [f for f, _ in result.unusable] == [str(junk)] and result.summary()["submissions"] == 1
    listed = yjzl.compute([str(tmp_path / "nonexistent")], missing="report")  # as the commands do
    assert listed.unusable == [(str(tmp_path / "nonexistent"), listed.files[0].error)] and listed.files[0].error


def test_rows_are_tidy_and_match_the_result_objects() -> None:
    import yjzl

    result = yjzl.compute([EXAMPLES / "表3-医联体.xlsx"])
    subs = result.rows("submissions")
    # the consortium workbook: its lead and two members, in the order of its forms
    assert [(s["submission"], s["form"]) for s in subs] == [(1, "T3"), (2, "T3M"), (3, "T3M")]
    f = result.files[0]
    ind = result.rows()
    assert len(ind) == len(f.indicators) and [r["indicator"] for r in ind] == [i.id for i in f.indicators]
    assert [r["value"] for r in ind] == [i.value for i in f.indicators]
    lead = [r for r in ind if r["submission"] == 1]
    assert {r["form"] for r in lead} == {"T3"} and len(lead) == sum(1 for i in f.indicators if i.form == "T3")
    targets = result.rows("targets")
    assert len(targets) == sum(len(i.targets) for i in f.indicators)
    with pytest.raises(ValueError, match="no table 'indicator'"):
        result.rows("indicator")
    found = yjzl.validate(EXAMPLES / "表1-flawed.xlsx").rows("findings")
    assert len(found) == 5 and found[0]["cells"] == "表1!C5, 表1!C4" and found[0]["check_id"] == "t12.urban_hukou_le_total"  # sheet order


def test_to_pandas_imports_pandas_only_when_called(monkeypatch: pytest.MonkeyPatch) -> None:
    import yjzl

    result = yjzl.compute([EXAMPLES / "表1-clean.xlsx"])
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    with pytest.raises(ImportError, match="pip install pandas"):
        result.to_pandas()
    seen = {}

    class DataFrame:
        @staticmethod
        def from_records(records: list, columns: list) -> str:  # the stand-in records what it was given
            seen.update(records=records, columns=columns)
            return "frame"

    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=DataFrame))
    assert result.to_pandas("submissions") == "frame"
    assert seen["records"] == result.rows("submissions") and seen["columns"][:3] == ["submission", "key", "file"]


def test_the_python_examples_of_the_api_page_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    for code in blocks:
        done = _python(code)
        assert done.returncode == 0, f"{code}\n{done.stderr[-2000:]}"
    out = _python(blocks[1]).stdout
    assert "Report(2 files, 2 submissions, 0 unusable, lang='zh')" in out


def test_the_sql_examples_of_the_api_page_run(run, tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite"
    assert run("compute", EXAMPLES, "--roster", EXAMPLES / "名单-示例.tsv", "-o", db, "-j", "1").code == 0
    assert run("compute", EXAMPLES, "--group-by", "region", "-o", db, "-j", "1").code == 0
    con = sqlite3.connect(db)
    sql = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)[0]
    queries = [q.strip() for q in sql.split(";") if q.strip()]
    results = [con.execute(q).fetchall() for q in queries]
    assert len(queries) == 4 and all(results), [len(r) for r in results]
    assert results[3] == [("示例市第三医院", "陕西省西安市")]  # its region from its division code (yjzl.batch.roster)
