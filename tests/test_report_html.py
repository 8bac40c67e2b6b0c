"""`yjzl report`: the HTML page's structure, counts and geometry, its inputs and refusals, and Chromium's rendering.

Expectations come from the library's own results (`yjzl.validate`), read
independently of the report code, or were worked out by hand from
`yjzl validate examples/*.xlsx --format json`.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

import yjzl
from yjzl.htmlreport import svg

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.xlsx"))
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "col", "source"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node] = []
        self.text: list[str] = []

    def all(self, tag: str, cls: str | None = None) -> list[Node]:
        out = []
        for c in self.children:
            if c.tag == tag and (cls is None or cls in c.attrs.get("class", "").split()):
                out.append(c)
            out += c.all(tag, cls)
        return out

    def content(self) -> str:
        return "".join(self.text) + "".join(c.content() for c in self.children)


class Tree(HTMLParser):
    """The page as nested nodes, built with the stdlib only; unbalanced tags would show as a wrong shape."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.cur.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag: str) -> None:
        assert self.cur.tag == tag, f"</{tag}> closes <{self.cur.tag}>"
        self.cur = self.cur.parent  # type: ignore[assignment]

    def handle_data(self, data: str) -> None:
        self.cur.text.append(data)


def rows(table: Node) -> list[list[str]]:
    return [[td.content().strip() for td in tr.all("td")] for tr in table.all("tr") if tr.all("td")]


def one_table(tree: Node, cls: str) -> Node:
    (table,) = tree.all("table", cls)
    return table


def call(*args: object) -> int:
    """Run `yjzl ARGS` in-process (the module-scoped fixtures cannot use capsys)."""
    from yjzl.cli.main import main

    try:
        main([str(a) for a in args])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    d = tmp_path_factory.mktemp("report")
    out = d / "report.html"
    assert call("report", *EXAMPLES, "-o", out) == 0
    report = yjzl.validate(EXAMPLES)
    return {"dir": d, "html": out.read_text(encoding="utf-8"), "path": out, "report": report}


@pytest.fixture(scope="module")
def tree(built: dict) -> Node:
    return Tree(built["html"]).root


def expected_series(report) -> dict[tuple[str, str], list]:
    """(form, indicator) → [(submission index, value, met)] for the national target, from the library's results."""
    out: dict[tuple[str, str], list] = {}
    for f in report.files:
        for i in f.indicators:
            for t in i.targets:
                if t.set == "national":
                    out.setdefault((i.form, i.id), []).append((i.value, t.met))
    return out


def test_one_chart_per_targeted_indicator_with_bars_and_marks_from_the_results(built: dict, tree: Node) -> None:
    want = {k: v for k, v in expected_series(built["report"]).items() if any(val is not None for val, _ in v)}
    figures = tree.all("figure", "chart")
    assert len(want) >= 38  # 19 of 表1 and 19 of 表2 when written; the growth rate has no value anywhere
    assert {(f.attrs["data-form"], f.attrs["data-indicator"]) for f in figures} == set(want)
    for fig in figures:
        points = want[(fig.attrs["data-form"], fig.attrs["data-indicator"])]
        (chart,) = fig.all("svg")
        assert chart.attrs["role"] == "img" and chart.attrs["aria-label"] and chart.all("title")
        bars = chart.all("g", "bar")
        assert len(bars) == len(chart.all("rect", "bar-rect")) == sum(1 for v, _ in points if v is not None)
        assert len(chart.all("text", "met")) == sum(1 for v, m in points if v is not None and m is True)
        assert len(chart.all("text", "miss")) == sum(1 for v, m in points if v is not None and m is False)
        # Sorted: best first for an at-least target.
        values = [float(b.attrs["data-value"]) for b in bars]
        assert values == sorted(values, reverse=True)
        # Not met differs by more than colour: a hatched fill and a ✗ (the marks are painted above the target line).
        marks = chart.all("text", "mark")
        assert len(marks) == len(bars)
        for b, mark in zip(bars, marks):
            (rect,) = b.all("rect", "bar-rect")
            kind = next(k for k in ("met", "miss", "notdue") if k in b.attrs["class"].split())
            assert rect.attrs["fill"].startswith("url(#hatch-") == (kind == "miss")
            assert mark.content() == {"met": "✓", "miss": "✗", "notdue": "…"}[kind]  # not yet due: neither ✓ nor ✗
        assert len(chart.all("g", "notdue")) == sum(1 for v, m in points if v is not None and m is None)
        (target,) = chart.all("g", "target")
        assert "目标" in target.content()


def test_target_line_sits_at_the_target_value(tree: Node) -> None:
    def line_x(form: str, ind: str) -> float:
        (fig,) = [f for f in tree.all("figure", "chart") if (f.attrs["data-form"], f.attrs["data-indicator"]) == (form, ind)]
        (g,) = fig.all("g", "target")
        (line,) = [x for x in g.all("line") if "stroke-dasharray" in x.attrs]
        assert line.attrs["x1"] == line.attrs["x2"]
        return float(line.attrs["x1"])

    # 县域内就诊率 ≥ 90 %, values 90 and below 100: axis 0–100, plot from x=230, 560 wide → 230 + 0.9 × 560.
    assert line_x("T1", "in_county_visit_rate") == 734.0
    assert "目标 ≥ 90%" in next(f for f in tree.all("figure", "chart") if f.attrs["data-indicator"] == "in_county_visit_rate").content()
    # 每万名城市居民拥有全科医生数 ≥ 2, one value 5.91 (examples/data/T1.yaml: 10 400 GPs ÷ 1 760万 urban
    # residents × 10 000): a fifth of the span is 1.18 → steps of 2, axis 0–6 → 230 + 2/6 × 560 = 416.67.
    assert line_x("T1", "gp_per_10k_urban") == 416.67
    # A target in the middle of the axis keeps its label over its line (no leader).
    for ind in ("gp_per_10k_urban", "in_county_visit_rate"):
        (fig,) = [f for f in tree.all("figure", "chart") if (f.attrs["data-form"], f.attrs["data-indicator"]) == ("T1", ind)]
        assert not fig.all("line", "leader")


def test_a_target_line_near_the_axis_labels_along_a_leader(built: dict) -> None:
    # The realistic examples put no target near the axis; one absurd value does: 13 141.03 GPs per 10 000
    # (the old example data). A fifth of the span is 2628 → steps of 5000, axis 0–15 000 → the target 2
    # sits at 230 + 2/15 000 × 560 = 230.07; its label moves right (230.07 + 24 + 6) along a leader.
    import copy

    from yjzl.htmlreport import svg
    from yjzl.htmlreport.load import LoadedFile
    from yjzl.htmlreport.model import build

    report = copy.deepcopy(built["report"])
    for f in report.files:
        for i in f.indicators:
            if i.id == "gp_per_10k_urban" and i.value is not None:
                i.value = 13141.03
    view = build([LoadedFile(f, True) for f in report.files])
    (series,) = [s for s in view.series if (s.form, s.id) == ("T1", "gp_per_10k_urban")]
    chart = Tree(svg.bar_chart(series, "zh")).root
    (label,) = chart.all("g", "target")[0].all("text")
    (leader,) = chart.all("line", "leader")
    assert (float(label.attrs["x"]), label.attrs["text-anchor"]) == (260.07, "start") and "紧贴 0 轴" in label.content()
    assert (float(leader.attrs["x1"]), float(leader.attrs["x2"])) == (230.07, 257.07)


def test_axis_and_scale() -> None:
    assert svg.domain([54.85, 20.1], 90) == (0.0, 100.0, 20.0)
    assert svg.domain([109.23, 3], 95) == (0.0, 125.0, 25.0)  # not 200: bars keep most of the width
    assert svg.domain([448.15], 0) == (0.0, 500.0, 100.0)
    assert svg.domain([0.8], 1) == (0.0, 1.0, 0.2)
    assert svg.domain([-3.2, 12], 10) == (-5.0, 15.0, 5.0)
    assert svg.domain([0.0], 0) == (0.0, 0.2, 0.2)
    assert svg.x_of(50, 0, 100) == svg.LABEL_W + svg.PLOT_W / 2


def test_overview_counts_are_exact(built: dict, tree: Node) -> None:
    counts = dict(r for r in rows(one_table(tree, "counts")))  # type: ignore[misc]
    # 13 files; 表3-医联体 holds a lead and two members → 15 submissions. The six *-flawed
    # forms have errors (4+4+3+1+2+2 = 16); the other nine pass. Open warnings: 表3-flawed 2,
    # the 医联体 lead 2, 表3（成员单位）-flawed 2; explained: 表1-flawed's 平均住院日.
    # issue 25: how the values were judged; a value with a target in the report's set (national) by it, a hospital's
    # other values (表3, 表4 and their members) among its peers, a local target not being this reader's; no earlier
    # period here, so no direction
    values = [(i.form, any(t.set == "national" for t in i.targets))
              for f in built["report"].files for i in f.indicators if i.value is not None]
    hospital = {"T3", "T3M", "T4", "T4M"}
    judged = {"按目标值判定的指标值": str(sum(1 for _, targeted in values if targeted)),
              "按较前期变化方向判定的指标值（医院）": "0",
              "按同级排位判定的指标值（医院：同表同级别，位次与四分位）": str(sum(1 for form, targeted in values
                                                                if form in hospital and not targeted))}
    assert counts == {"填报单位（表单）": "15", "输入文件": "13", "无法使用的文件": "0", "通过逻辑审核（无错误）": "9",
                      "有错误（须修改）": "6", "错误": "16", "待说明的警告": "6", "已说明的警告": "1", **judged}
    subs = {r[0]: r for r in rows(one_table(tree, "submissions"))}
    assert len(subs) == 15
    assert subs["成员医院1"][3:7] == ["✓ 通过", "0", "0", "0"]
    assert subs["示例医院（表3-医联体）"][3:7] == ["✓ 通过", "0", "2", "0"]
    assert subs["表1-flawed · 表1"][3:7] == ["✗ 有错误", "4", "0", "1"]
    flawed = built["report"].files[EXAMPLES.index(ROOT / "examples" / "表1-flawed.xlsx")]
    # a growth indicator the run had no earlier period for is not counted per submission (said once, see below)
    national = [t for i in flawed.indicators for t in i.targets if t.set == "national" and i.compared_with is None
                and i.value is None and "--previous" in (i.reason or "")]
    assert len(national) == 1  # 分级诊疗转诊患者年增长率 is the 表1 trend with a national target
    national = [t for i in flawed.indicators for t in i.targets if t.set == "national" and t not in national]
    assert subs["表1-flawed · 表1"][7] == f"{sum(1 for t in national if t.met)}/{len(national)}"
    targets = {(r[0], r[1]): r[2:] for r in rows(one_table(tree, "targets"))}
    # 县域内就诊率 = 1 − 228 000 ÷ 2 280 000 = 90 % in both 表1 examples (examples/data/T1.yaml): met.
    assert targets[("县域内就诊率", "表1")] == ["≥ 90%", "2", "0", "0"]
    assert targets[("每万名城市居民拥有全科医生数", "表1")] == ["≥ 2 人/万人", "1", "0", "1"]
    # growth needs an earlier period this run lacks: one line, not a row of "no value" in every submission
    assert ("分级诊疗转诊患者年增长率", "表2") not in targets
    line = next(p for p in tree.all("p") if p.attrs.get("id") == "trends").content()
    assert line.startswith("以下增长率、变化类指标要与前期的填报比较") and "分级诊疗转诊患者年增长率（表2，与前 1 期比较）" in line
    assert "--" not in line
    assert "分级诊疗转诊患者年增长率" not in "".join(t.content() for t in tree.all("table", "indicators"))


def test_each_submission_lists_its_own_indicators_and_findings(built: dict, tree: Node) -> None:
    sections = {s.all("span", "name")[0].content(): s for s in tree.all("section", "submission")}
    lead, member = sections["示例医院（表3-医联体）"], sections["成员医院2"]
    # One workbook, three forms: its indicator list is dealt back to the lead and each member.
    book = built["report"].files[EXAMPLES.index(ROOT / "examples" / "表3-医联体.xlsx")]
    # growth and change indicators need an earlier period this run lacks: said once on the page, not per submission
    computable = [i for i in book.indicators if not (i.value is None and "--previous" in (i.reason or ""))]
    n_lead = sum(1 for i in computable if i.form == "T3")
    n_member = sum(1 for i in computable if i.form == "T3M") // 2
    assert n_lead and n_member
    assert len(rows(one_table(lead, "indicators"))) == n_lead and len(rows(one_table(member, "indicators"))) == n_member
    assert len(rows(one_table(lead, "open"))) == 2 and not member.all("table", "open")
    flawed = sections["表1-flawed · 表1"]
    errs = rows(one_table(flawed, "errors"))
    assert [r[1] for r in errs] == ["YJ101", "YJ001", "YJ004", "YJ102"] and "表1!C5" in errs[0][2]  # in sheet order
    (explained,) = rows(one_table(flawed, "explained"))
    assert explained[1:3] == ["YJ201", "表1!C17"] and "精神专科医院" in explained[4]


def test_self_contained_and_printable(built: dict) -> None:
    html = built["html"]
    assert "http://" not in html and "https://" not in html and "<script" not in html.lower()
    assert not re.search(r"\bsrc\s*=", html) and "@import" not in html and "@font-face" not in html
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))
    assert "@page { size: A4; margin: 12mm; }" in html and "break-inside: avoid" in html
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"' in html


def test_json_input_gives_the_same_page(built: dict, tmp_path: Path) -> None:
    doc = tmp_path / "v.json"
    assert call("validate", *EXAMPLES, "--format", "json", "-o", doc) == 1  # the flawed examples have errors
    out = tmp_path / "r.html"
    assert call("report", doc, "-o", out) == 0
    assert out.read_text(encoding="utf-8") == built["html"]


@pytest.mark.parametrize("shape", ["compute", "no findings"])
def test_a_compute_document_is_charted_but_not_called_audited(tmp_path: Path, shape: str) -> None:
    doc = yjzl.validate(EXAMPLES[:4]).to_dict()
    for f in doc["files"]:
        for form in f["forms"]:  # documents from before compute carried each submission's audit counts
            del form["audit"]
        if shape == "compute":  # `yjzl compute` writes empty findings and adds its own top-level keys
            f["findings"] = []
        else:
            for key in ("findings", "skipped", "sheets_skipped"):
                del f[key]
    if shape == "compute":
        doc.update(groups=[{"group": "x"}], scores=[], previous=[], summary={"indicators": 1})
    src, out = tmp_path / "compute.json", tmp_path / "r.html"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert call("report", src, "-o", out, "--lang", "en") == 0
    root = Tree(out.read_text(encoding="utf-8")).root
    counts = dict(r for r in rows(one_table(root, "counts")))  # type: ignore[misc]
    assert counts["Submissions (forms)"] == "4" and counts["Not audited (the input held no audit)"] == "4"
    assert counts["Pass the logic checks (no errors)"] == "0" and root.all("figure", "chart")
    assert "Overview" in next(x for x in root.all("section") if x.attrs.get("id") == "overview").all("h2")[0].content()


def test_cells_name_their_sheet_and_old_documents_still_load() -> None:
    from yjzl.htmlreport.load import from_dict
    from yjzl.htmlreport.model import sheet_of

    assert [sheet_of(c) for c in ("表1!C5", "'成员 单位''s'!B3", "[b.xlsx]表2!A1", "C5")] == ["表1", "成员 单位's", None, None]
    doc = yjzl.validate(EXAMPLES[:1]).to_dict()
    doc["files"][0]["indicators"][0].update(value=None, status="undefined")  # the status's name before 'denominator zero'
    report, audited = from_dict(doc)
    assert report.files[0].indicators[0].status == "denominator zero" and audited == [True]


def test_library_use() -> None:
    from yjzl.htmlreport import build_html

    root = Tree(build_html(yjzl.validate(EXAMPLES[:2]), lang="en")).root
    assert len(root.all("section", "submission")) == 2 and root.all("figure", "chart")
    assert "Overview" in next(x for x in root.all("section") if x.attrs.get("id") == "overview").all("h2")[0].content()


def test_names_are_escaped(tmp_path: Path) -> None:
    doc = yjzl.validate(EXAMPLES[:1]).to_dict()
    doc["files"][0]["forms"][0]["name"] = '<script>alert("x")</script>&'
    src, out = tmp_path / "evil.json", tmp_path / "r.html"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert call("report", src, "-o", out) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html
    assert any(n.content().startswith('<script>alert("x")') for n in Tree(html).root.all("text", "label"))


def test_bad_json_is_one_line_exit_2(run, tmp_path: Path) -> None:
    bad, shaped, out = tmp_path / "bad.json", tmp_path / "shaped.json", tmp_path / "r.html"
    bad.write_text('{"files": [', encoding="utf-8")
    res = run("report", bad, "-o", out)
    assert res.code == 2 and "bad.json" in res.err and "不是有效的 JSON: Expecting value" in res.err and "Traceback" not in res.err
    doc = yjzl.validate(EXAMPLES[:1]).to_dict()
    doc["files"][0]["indicators"][0]["value"] = "abc"
    shaped.write_text(json.dumps(doc), encoding="utf-8")
    res = run("report", shaped, "-o", out)
    assert res.code == 2 and "files[0].indicators[0].value" in res.err and len(res.err.strip().splitlines()) == 1
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    res = run("report", tmp_path / "list.json", "-o", out)
    assert res.code == 2 and "不是 yjzl 的报告" in res.err
    assert not out.exists()


def test_some_unusable_inputs_still_give_a_report_with_exit_1(run, tmp_path: Path) -> None:
    broken, out = tmp_path / "broken.xlsx", tmp_path / "r.html"
    broken.write_bytes(b"not a workbook")
    res = run("report", ROOT / "examples" / "表4-clean.xlsx", broken, "-o", out)
    assert res.code == 1 and out.exists() and "1 个文件无法使用" in res.err
    (row,) = rows(one_table(Tree(out.read_text(encoding="utf-8")).root, "unusable"))
    assert row[0].endswith("broken.xlsx") and "不是 .xlsx" in row[1]
    out.unlink()
    res = run("report", broken, "-o", out)
    assert res.code == 2 and "broken.xlsx" in res.err and not out.exists()


def test_folders_are_searched_and_lock_files_skipped(run, tmp_path: Path) -> None:
    for city in ("阳江", "广州"):
        folder = tmp_path / "各市" / city
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "表2-clean.xlsx", folder / "表2.xlsx")
    (folder / "~$表2.xlsx").write_bytes(b"lock")
    out = tmp_path / "r.html"
    res = run("report", tmp_path / "各市", "-o", out)
    assert res.code == 0, res.err
    root = Tree(out.read_text(encoding="utf-8")).root
    counts = dict(r for r in rows(one_table(root, "counts")))  # type: ignore[misc]
    assert counts["输入文件"] == "2" and counts["填报单位（表单）"] == "2"
    # Same file name in every city's folder: the folder tells the bars apart.
    assert [r[0] for r in rows(one_table(root, "submissions"))] == ["表2 · 表2（广州）", "表2 · 表2（阳江）"]
    (tmp_path / "空").mkdir()
    assert run("report", tmp_path / "空", "-o", out).code == 2


def test_usage_refusals(run, tmp_path: Path) -> None:
    doc = tmp_path / "v.json"
    doc.write_text(json.dumps(yjzl.validate(EXAMPLES[:1]).to_dict()), encoding="utf-8")
    before = doc.read_bytes()
    res = run("report", doc, "-o", doc)
    assert res.code == 2 and "覆盖" in res.err and doc.read_bytes() == before
    res = run("report", doc, "-o", tmp_path / "r.html", "--target-set", "nowhere")
    assert res.code == 2 and "没有这个目标值集合" in res.err and "阳江市（yangjiang）" in res.err
    assert run("report", doc).code == 2  # -o is required


def test_another_target_set(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert call("report", *EXAMPLES[:2], "-o", out, "--target-set", "yangjiang") == 0
    figures = Tree(out.read_text(encoding="utf-8")).root.all("figure", "chart")
    want = {i.id for f in yjzl.validate(EXAMPLES[:2]).files for i in f.indicators
            if any(t.set == "yangjiang" for t in i.targets) and i.value is not None}
    assert {f.attrs["data-indicator"] for f in figures} == want and "key_group_coverage" in want


def test_the_command_module_imports_nothing_heavy() -> None:
    code = ("import sys, yjzl.cli.report_cmd; "
            "print(sorted(m for m in ('openpyxl', 'pydantic', 'yaml', 'tabulate', 'yjzl.htmlreport') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def png_info(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct scanlines (a blank page has one) from the PNG's own chunks."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 4
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4, 0: 1, 4: 2}.get(colour, 4) * depth // 8
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + width * bpp
    lines = {raw[i:i + stride] for i in range(0, len(raw), stride)}
    return width, height, len(lines)


def test_chromium_renders_the_report(built: dict, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium not installed: apt-get install chromium")
    png = tmp_path / "report.png"
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
             "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB; Chromium then crashes on a long page
             f"--user-data-dir={tmp_path / 'profile'}"]
    url = built["path"].resolve().as_uri()
    started = time.monotonic()
    shot = subprocess.run([*flags, "--window-size=1280,4000", f"--screenshot={png}", url],
                          capture_output=True, timeout=120, text=True)
    assert shot.returncode == 0 and png.is_file(), shot.stderr[-2000:]
    width, height, distinct = png_info(png.read_bytes())
    assert (width, height) == (1280, 4000)
    assert distinct > 300, "the screenshot looks blank"
    dumped = subprocess.run([*flags, "--dump-dom", url], capture_output=True, timeout=120, text=True)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    assert time.monotonic() - started < 240
    rendered = Tree(dom).root
    charts = len(Tree(built["html"]).root.all("svg"))
    assert charts >= 38 and len(rendered.all("svg")) == charts and len(rendered.all("g", "bar")) > charts
    assert rendered.all("table", "counts") and rendered.all("table", "targets") and len(rendered.all("table", "indicators")) == 15
