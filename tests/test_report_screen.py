"""The report's first screen, as headless Chromium lays it out in a 1 366×900 window.

A copy of the page gets a small script that measures, after layout, where the
first screen's parts are (getBoundingClientRect) and writes the measurements
into the page; `chromium --dump-dom` then hands them back. The page itself has
no script: only the measured copy does.

Expected counts come from the library (yjzl.compute with the roster, yjzl.validate),
not from the report code; the first missed target was worked out by hand.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
ROSTER = EXAMPLES / "名单-示例.tsv"
WIDTH, HEIGHT = 1366, 900

MEASURE = """
<script>
addEventListener("load", () => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const lines = e => { const g = document.createRange(); g.selectNodeContents(e);
    return new Set([...g.getClientRects()].map(r => Math.round(r.top))).size; };
  const out = {
    scrollWidth: document.documentElement.scrollWidth,
    progress: [...document.querySelectorAll("section#progress")].map(box),
    tiles: [...document.querySelectorAll("#glance .tile")].map(t => ({kind: t.dataset.count,
      n: t.querySelector(".n").textContent, box: box(t)})),
    missing: [...document.querySelectorAll("#glance-missing")].map(p => ({text: p.textContent, box: box(p)})),
    missed: [...document.querySelectorAll("table.missed tbody tr")].map(tr => ({
      cells: [...tr.cells].map(c => c.textContent), box: box(tr)})),
    progressLines: [...document.querySelectorAll("table.progress tbody td:nth-child(4), table.progress tbody td:nth-child(5)")]
      .map(lines),
    index: [...document.querySelectorAll("nav details.index li")].map(li => {
      const mark = document.createElement("span"); mark.textContent = (li.parentNode.children.length) + ". ";
      mark.style.position = "absolute"; li.appendChild(mark); const w = mark.getBoundingClientRect().width; mark.remove();
      return {box: box(li), marker: w}; }),
  };
  const pre = document.createElement("pre"); pre.id = "measured"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def measure(page: Path, tmp: Path, open_index: bool = False) -> dict:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium not installed: apt-get install chromium")
    html = page.read_text(encoding="utf-8")
    if open_index:
        html = html.replace('<details class="index">', '<details class="index" open>')
    copy = tmp / f"measured-{page.name}"
    copy.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
             "--disable-dev-shm-usage", f"--user-data-dir={tmp / 'profile'}", f"--window-size={WIDTH},{HEIGHT}"]
    done = subprocess.run([*flags, "--dump-dom", copy.resolve().as_uri()], capture_output=True, timeout=120, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found, "the measuring script did not run"
    import html as H

    return json.loads(H.unescape(found.group(1)))


def on_first_screen(box: list[float]) -> bool:
    left, top, right, bottom = box
    return left >= 0 and right <= WIDTH and top >= 0 and bottom <= HEIGHT


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from click.testing import CliRunner

    from yjzl.cli.main import cli

    d = tmp_path_factory.mktemp("screen")
    out = {"roster": d / "roster.html", "plain": d / "plain.html", "en": d / "en.html"}
    for name, args in (("roster", ["--roster", str(ROSTER)]), ("plain", []), ("en", ["--roster", str(ROSTER), "--lang", "en"])):
        result = CliRunner().invoke(cli, ["report", str(EXAMPLES), "-o", str(out[name]), *args])
        assert result.exit_code == 0, result.output
    return out


def test_the_first_screen_says_who_reported_passed_and_is_missing(pages: dict[str, Path], tmp_path: Path) -> None:
    import yjzl

    got = measure(pages["roster"], tmp_path)
    assert got["scrollWidth"] <= WIDTH  # nothing wider than the window
    (progress,) = got["progress"]
    assert progress[2] - progress[0] > 0.9 * WIDTH  # the page uses the window's width, not a narrow column
    tiles = {t["kind"]: t for t in got["tiles"]}
    assert all(on_first_screen(t["box"]) for t in tiles.values()), tiles
    units = yjzl.compute([EXAMPLES], roster=ROSTER).roster.units
    expected = {"expected": len(units), "reported": sum(1 for u in units if u.submissions),
                "missing": sum(1 for u in units if not u.submissions),
                "pass": sum(1 for u in units if u.passed is True), "fail": sum(1 for u in units if u.passed is False)}
    # examples/名单-示例.tsv: each unit's clean and flawed copies tie (same period, one batch, no 填报日期; a file's
    # time is never read), so the first in file order, the clean one, counts
    assert expected == {"expected": 4, "reported": 3, "missing": 1, "pass": 3, "fail": 0}
    assert {k: int(tiles[k]["n"]) for k in expected} == expected
    assert int(tiles["unusable"]["n"]) == 0
    (who,) = got["missing"]
    assert on_first_screen(who["box"]) and who["text"] == "未报送（1）：示例市第三医院（表3）"
    # the progress table's short cells (表3, ✓ 已报送 收到 2 份) stay on one line at this width
    assert set(got["progressLines"]) == {1}


def test_the_first_screen_lists_the_missed_targets_by_shortfall(pages: dict[str, Path], tmp_path: Path) -> None:
    import yjzl

    got = measure(pages["plain"], tmp_path)
    rows = got["missed"]
    assert rows and all(on_first_screen(r["box"]) for r in rows), [r["box"] for r in rows]
    # 基层医疗卫生机构中医诊疗量占比 (表1) is 9.74 % in both 表1 examples against ≥ 30 %: (30 − 9.74) ÷ 30 = 67.5 %.
    assert rows[0]["cells"][:4] == ["基层医疗卫生机构中医诊疗量占比", "表1", "≥ 30%", "2/2"] and rows[0]["cells"][5] == "67.5%"
    # the order is by mean shortfall over every submission judged, worked out here from the library's results
    report = yjzl.validate([EXAMPLES])
    series: dict[tuple[str, str], list] = {}
    for f in report.files:
        for i in f.indicators:
            for t in i.targets:
                if t.set == "national" and t.met is not None:
                    series.setdefault((i.form, i.name), []).append(abs(i.value - t.value) / t.value if t.met is False else 0.0)
    means = sorted(((sum(v) / len(v), n) for (_, n), v in series.items() if any(v)), key=lambda x: -x[0])
    shown = [float(r["cells"][5].rstrip("%")) for r in rows]
    assert shown == sorted(shown, reverse=True)
    assert shown == [round(m * 100, 1) for m, _ in means[:len(rows)]]
    assert len(rows) == min(10, len(means))


def test_the_english_index_folds_away_and_its_columns_do_not_overlap(pages: dict[str, Path], tmp_path: Path) -> None:
    closed = measure(pages["en"], tmp_path)
    assert all(on_first_screen(t["box"]) for t in closed["tiles"])  # the folded index leaves room for the answers
    assert closed["missed"] and on_first_screen(closed["missed"][0]["box"])
    opened = measure(pages["en"], tmp_path, open_index=True)
    items = opened["index"]
    assert len(items) > 20
    columns: dict[int, list[list[float]]] = {}
    for item in items:
        columns.setdefault(round(item["box"][0]), []).append(item["box"])
    assert len(columns) >= 2
    lefts = sorted(columns)
    for before, after in zip(lefts, lefts[1:]):
        right_edge = max(b[2] for b in columns[before])
        marker = max(i["marker"] for i in items)
        assert right_edge <= after - marker, "a number of the next column sits over this column's text"


def test_shortfall_is_the_mean_share_of_the_target_worked_by_hand() -> None:
    from types import SimpleNamespace

    from yjzl.htmlreport.glance import shortfalls
    from yjzl.htmlreport.model import Point, Series
    from yjzl.report import IndicatorResult, TargetResult

    def series(name: str, op: str, target: float, values: list[float | None], met: list[bool | None]) -> Series:
        t0 = TargetResult("national", op, target, None)
        s = Series(name, name, name, "T1", "表1", "%", t0)
        for k, (v, m) in enumerate(zip(values, met)):
            t = TargetResult("national", op, target, m)
            s.points.append(Point(SimpleNamespace(label=f"u{k}"), IndicatorResult(name, name, "T1", v, "%", "ok", targets=[t]), t))
        return s

    view = SimpleNamespace(series=[
        series("a", ">=", 90, [45, 90, 95, None], [False, True, True, None]),  # (90−45)/90 = 0.5 over 3 judged: 1/6
        series("b", "<=", 10, [15, 20], [False, False]),                        # (0.5 + 1.0) / 2 = 0.75
        series("c", ">", 0, [0, 0, 3], [False, False, True]),                   # target 0: distance 0, mean 0
        series("d", ">=", 50, [60], [True]),                                    # met: not listed
    ])
    got = [(x.series.name, round(x.mean, 4), x.missed, x.judged, x.worst.submission.label) for x in shortfalls(view)]
    assert got == [("b", 0.75, 2, 2, "u1"), ("a", round(1 / 6, 4), 1, 3, "u0"), ("c", 0.0, 2, 3, "u0")]


def test_with_a_roster_the_tiles_count_the_copy_that_counts(pages: dict[str, Path]) -> None:
    """With a roster the tiles speak of units: the errors and open warnings of the copy that counts (as 进度明细),
    not of every copy received (the examples' flawed copies are superseded by their clean twins)."""
    import re

    import yjzl

    units = yjzl.compute([EXAMPLES], roster=ROSTER).roster.units
    page = pages["roster"].read_text(encoding="utf-8")
    tile = re.search(r'<div class="tile[^"]*" data-count="fail">(.*?)</div>', page).group(1)
    assert sum(1 for u in units if u.passed is False) == 0 and "个错误" not in tile  # no failing unit, no errors
    opened = re.search(r'data-count="open_warnings"><span class="n">(\d+)<', page).group(1)
    assert int(opened) == sum(u.warnings_open or 0 for u in units if u.submissions)
