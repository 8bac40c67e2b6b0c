"""Streaming (issue 18): what compute and validate write file by file is complete, in input order,
and the same as the buffered run's; cross-form pairing is the same whatever the order of the files."""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
from pathlib import Path

import pytest

import yjzl
from yjzl.batch import formats, spool
from yjzl.output import formats as vformats
from yjzl.rules.engine import audit
from yjzl.rules.stream import audit_stream
from yjzl.workbook.reader import read

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Every shipped example, twice over in two subfolders: 26 workbooks (clean, flawed, a consortium)."""
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        for p in sorted(EXAMPLES.glob("*.xlsx")):
            shutil.copy(p, tmp_path / "in" / sub / p.name)
    return tmp_path / "in"


@pytest.fixture(params=[1000, 3], ids=["in memory", "spooled to disk"])
def spooling(request, monkeypatch):
    monkeypatch.setattr(spool, "IN_MEMORY", request.param)
    return request.param


NATIONAL = ["national"]  # the command line's default (no --overlay, no --target-set); the API's is every set


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_compute_csv_and_jsonl_stream_the_buffered_rows_in_input_order(run, batch: Path, tmp_path: Path, cat, spooling) -> None:
    buffered = yjzl.compute([batch], cat, previous=[EXAMPLES], group_by="folder", target_sets=NATIONAL)
    plain = yjzl.compute([batch], cat, target_sets=NATIONAL)
    r = run("compute", batch, "--jobs", "1", "--format", "csv")
    assert r.code == 0 and r.out == formats.to_csv(plain)
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert len(rows) == plain.summary()["indicators"] and rows[0]["file"].endswith("a/表1-clean.xlsx")
    r = run("compute", batch, "--jobs", "1", "--format", "jsonl", "--previous", EXAMPLES, "--group-by", "folder")
    lines = _records(r.out)
    assert [x["record"] for x in lines[:2]] == ["run", "file"] and lines[-1]["record"] == "summary"
    doc = json.loads(formats.to_json(buffered))
    assert [{k: v for k, v in x.items() if k != "record"} for x in lines if x["record"] == "file"] == doc["files"]
    assert [{k: v for k, v in x.items() if k != "record"} for x in lines if x["record"] == "group"] == doc["groups"]
    assert {k: v for k, v in lines[-1].items() if k != "record"} == doc["summary"]
    # the examples are the previous period: a trend paired with the same file name has a value (change 0)
    trends = [i for f in doc["files"] if not f["error"] for i in f["indicators"]
              if cat.indicators[i["id"]].defn.kind in ("growth", "change")]
    assert trends and {i["value"] for i in trends if i["status"] == "ok"} == {0.0}


def test_compute_wide_scores_and_table_stream_like_the_buffered_run(run, batch: Path, cat, spooling) -> None:
    plain = yjzl.compute([batch], cat, target_sets=NATIONAL)
    assert run("compute", batch, "--jobs", "1", "--format", "csv", "--wide").out == formats.to_csv(plain, wide=True)
    assert run("compute", batch, "--jobs", "1").out == formats.to_table(plain)
    scored = yjzl.compute([batch], cat, scoring=EXAMPLES / "scoring-sample.yaml", target_sets=NATIONAL)
    r = run("compute", batch, "--jobs", "1", "--format", "csv", "--scoring", EXAMPLES / "scoring-sample.yaml")
    assert r.out == formats.to_csv(scored) and len(r.out.splitlines()) == len(scored.scores) + 1 > 2


def test_two_jobs_give_the_rows_of_one_job_in_the_same_order(run, batch: Path) -> None:
    one = run("compute", batch, "--jobs", "1", "--format", "csv")
    two = run("compute", batch, "--jobs", "2", "--format", "csv")
    assert one.code == two.code == 0 and one.out == two.out


def test_validate_streams_file_by_file_what_the_buffered_report_says(run, batch: Path, cat) -> None:
    report = yjzl.validate([batch], cat, target_sets=NATIONAL)
    assert len(report.files) == 26
    r = run("validate", batch, "--format", "csv")
    assert r.code == 1 and r.out == vformats.to_csv(report)
    assert run("validate", batch).out == vformats.to_table(report)
    lines = _records(run("validate", batch, "--format", "jsonl").out)
    doc = json.loads(vformats.to_json(report))
    assert [{k: v for k, v in x.items() if k != "record"} for x in lines if x["record"] == "file"] == doc["files"]
    assert {k: v for k, v in lines[-1].items() if k != "record"} == doc["summary"]


def _findings(reports) -> list[tuple[str, list[tuple[str, str, tuple[str, ...]]]]]:
    return [(Path(r.file).name, sorted((f.code, f.check, tuple(f.cells)) for f in r.findings)) for r in reports]


@pytest.mark.parametrize("names", [
    ["表3-clean.xlsx", "表3（成员单位）-clean.xlsx", "表3（成员单位）-flawed.xlsx"],  # one lead, members in other files
    ["表4（乡镇卫生院）-flawed.xlsx", "表4-clean.xlsx", "表1-clean.xlsx", "表2-flawed.xlsx", "表2-clean.xlsx"],
    ["表3-clean.xlsx", "表3-flawed.xlsx", "表3（成员单位）-flawed.xlsx"],  # two leads: neither meets the members
    ["表3-医联体.xlsx", "表3-clean.xlsx", "表3（成员单位）-clean.xlsx"],  # a lead with its members in its own book
])
def test_cross_form_pairing_is_the_same_streamed_in_any_order(cat, names: list[str]) -> None:
    books = {n: read(EXAMPLES / n, cat) for n in names}
    for order in itertools.permutations(names):
        whole = audit(cat, [books[n] for n in order])
        streamed = list(audit_stream(cat, [books[n] for n in order]))
        assert _findings(streamed) == _findings(whole), order


def test_a_lone_lead_meets_members_read_before_and_after_it_and_two_leads_meet_none(tmp_path: Path, cat) -> None:
    """x.t3_member_count: count(T3M) + 1 ≤ 参与医联体建设的成员数量. The lead says 2 members (itself
    and one more); three member files are handed in: 3 + 1 = 4 > 2 fails only when the lead meets them."""
    from examples.build_examples import clean
    from tests.builders import SheetSpec, write_workbook

    lead = tmp_path / "lead.xlsx"
    write_workbook(lead, cat, [SheetSpec("表3", "T3", {**clean("T3"), "consortium_members": 2})])
    members = []
    for i in range(3):
        members.append(tmp_path / f"m{i}.xlsx")
        write_workbook(members[-1], cat, [SheetSpec("表3（成员单位）", "T3M", clean("T3M"))])

    def checks(paths: list[Path]) -> list[str]:
        reps = list(audit_stream(cat, [read(p, cat) for p in paths]))
        return [f.check for f in reps[paths.index(lead)].findings]

    assert "x.t3_member_count" in checks([members[0], lead, members[1], members[2]])
    assert "x.t3_member_count" in checks([lead, *members])
    other = tmp_path / "other-lead.xlsx"
    shutil.copy(lead, other)
    assert "x.t3_member_count" not in checks([lead, *members, other])  # two leads: whose members are they?


def test_the_spool_goes_to_disk_past_its_threshold_and_replays_in_order(monkeypatch) -> None:
    from yjzl.batch.worker import FileOutcome

    monkeypatch.setattr(spool, "IN_MEMORY", 2)
    s = spool.Spool()
    for i in range(5):
        s.add(FileOutcome(f"{i}.xlsx", error="x" * i))
    assert s._file is not None and s._held == [] and s.count == 5
    assert [(o.file, o.error) for o in s.replay()] == [(f"{i}.xlsx", "x" * i) for i in range(5)]
    assert list(s.replay()) == []  # emptied as it goes: nothing is replayed twice
