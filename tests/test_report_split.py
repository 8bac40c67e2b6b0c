"""`yjzl report` at scale (issue 18): above the threshold, an index page and parts per region and form.

The threshold and the part size are lowered so the shipped examples (13 workbooks,
15 submissions) make a split report; every number is checked against the
library's own results (`yjzl.validate`), read independently of the report code.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

import yjzl
from tests.test_report_html import Tree
from yjzl.htmlreport import split

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"  # replaced by a folder of the national workbooks alone (see _national)


@pytest.fixture(autouse=True, scope="module")
def _national(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The 13 national example workbooks, without examples/overlays/ (a province's workbook, read with its overlay)."""
    global EXAMPLES
    EXAMPLES = tmp_path_factory.mktemp("examples")
    for path in (ROOT / "examples").glob("*.xlsx"):
        shutil.copy(path, EXAMPLES / path.name)


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr("yjzl.htmlreport.SPLIT_ABOVE", 4)
    monkeypatch.setattr(split, "SPLIT_ABOVE", 4)
    monkeypatch.setattr(split, "PAGE", 2)


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html)


def test_a_folder_gets_an_index_and_every_submission_in_exactly_one_part(run, tmp_path: Path, small_parts, cat) -> None:
    out = tmp_path / "报告"
    r = run("report", EXAMPLES, "-o", out)
    assert r.code == 0, r.err
    report = yjzl.validate([EXAMPLES], cat)
    forms = [(f.file, x.sheet) for f in report.files for x in f.forms]
    index = (out / "index.html").read_text(encoding="utf-8")
    links = _hrefs(index)
    assert links and all((out / h).is_file() for h in links)
    assert sorted(p.name for p in out.glob("part-*.html")) == sorted(links)
    # no per-submitter table on the index; the parts table adds up to every submission
    tree = Tree(index).root
    assert not tree.all("table", "submissions")
    rows = tree.all("table", "parts")[0].all("tr")[1:]
    assert sum(int(r.all("td")[1].content()) for r in rows) == len(forms) == 15
    # each part lists its own submissions; together exactly the run's, none twice
    seen: Counter[str] = Counter()
    for h in links:
        page = Tree((out / h).read_text(encoding="utf-8")).root
        assert page.all("a")[0].attrs["href"] == "index.html"  # back to the index
        for sec in page.all("section", "submission"):
            seen[sec.all("span", "name")[0].content()] += 1
    assert sum(seen.values()) == 15
    # parts are by region and form (of a workbook's first form), a new page once PAGE (2) submissions are in:
    # 表3-clean and 表3-flawed, then 表3-医联体 (a lead and its two members) on a page of its own
    titles = [r.all("a")[0].content() for r in rows]
    assert [t.split(" · ")[1] for t in titles] == ["表1", "表2", "表3（1/2）", "表3（2/2）", "表3（成员单位）", "表4", "表4（乡镇卫生院）"]
    assert [r.all("td")[1].content() for r in rows] == ["2", "2", "2", "3", "2", "2", "2"]


def test_the_index_draws_how_values_spread_against_the_target(run, tmp_path: Path, small_parts, cat) -> None:
    run("report", EXAMPLES, "-o", tmp_path / "r")
    tree = Tree((tmp_path / "r" / "index.html").read_text(encoding="utf-8")).root
    report = yjzl.validate([EXAMPLES], cat)
    # 县域内就诊率 on 表1: how many 表1 submissions have a value, and how many meet the national target
    values = [(i.value, next(t.met for t in i.targets if t.set == "national")) for f in report.files for i in f.indicators
              if i.id == "in_county_visit_rate" and i.form == "T1" and i.value is not None]
    fig = next(f for f in tree.all("figure", "chart") if "县域内就诊率" in f.all("figcaption")[0].content()
               and "表1" in f.all("figcaption")[0].content())
    bins = fig.all("rect", "bin")
    assert sum(int(b.attrs["data-count"]) for b in bins) == len(values) == 2
    assert sum(int(b.attrs["data-count"]) for b in bins if "met" in b.attrs["class"].split()) == sum(m for _, m in values)
    assert fig.all("g", "target")[0].attrs["data-target"] == "90"


def test_an_html_output_keeps_its_name_with_the_parts_beside_it(run, tmp_path: Path, small_parts) -> None:
    r = run("report", EXAMPLES, "-o", tmp_path / "报告.html")
    assert r.code == 0 and (tmp_path / "报告.html").is_file()
    links = _hrefs((tmp_path / "报告.html").read_text(encoding="utf-8"))
    assert links and all(h.startswith("报告_分册/part-") and (tmp_path / h).is_file() for h in links)
    part = (tmp_path / links[0]).read_text(encoding="utf-8")
    assert 'href="../报告.html"' in part


def test_a_smaller_rerun_removes_its_own_stale_parts_only(run, tmp_path: Path, small_parts) -> None:
    out = tmp_path / "r"
    run("report", EXAMPLES, "-o", out)
    before = sorted(p.name for p in out.glob("part-*.html"))
    (out / "notes.html").write_text("mine", encoding="utf-8")
    few = tmp_path / "few"
    few.mkdir()
    for name in ("表1-clean.xlsx", "表2-clean.xlsx", "表3-clean.xlsx", "表4-clean.xlsx", "表1-flawed.xlsx"):
        shutil.copy(EXAMPLES / name, few / name)
    assert run("report", few, "-o", out).code == 2  # the index exists: replaced only with --force (one rule for outputs)
    assert run("report", few, "-o", out, "--force").code == 0
    after = sorted(p.name for p in out.glob("part-*.html"))
    assert len(after) < len(before) and after == sorted(_hrefs((out / "index.html").read_text(encoding="utf-8")))
    assert (out / "notes.html").read_text(encoding="utf-8") == "mine"


def test_never_split_writes_one_page_and_a_missing_parent_is_refused_before_the_work(run, tmp_path: Path, small_parts) -> None:
    assert run("report", EXAMPLES, "-o", tmp_path / "one.html", "--split", "never").code == 0
    assert "section" in (tmp_path / "one.html").read_text(encoding="utf-8") and not (tmp_path / "one_分册").exists()
    r = run("report", EXAMPLES, "-o", tmp_path / "no" / "such" / "r")
    assert r.code == 2 and "目录不存在" in r.err


def test_help_names_the_threshold_the_code_uses(run) -> None:
    from yjzl.htmlreport import SPLIT_ABOVE

    assert f"{SPLIT_ABOVE}" in run("report", "--help").out
