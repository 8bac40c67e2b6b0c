"""`compute -o x.sqlite`: the same values as `compute -o x.json`, runs added one after another, refusals.

The JSON document is walked here on its own (plain dicts, no yjzl code) and every
value looked up in the database with SQL: indicators, targets, submissions, groups,
scores and the roster's progress.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
ROSTER = EXAMPLES / "名单-示例.tsv"
SCORING = EXAMPLES / "scoring-sample.yaml"


def _key(file: str, form: dict) -> str:
    return f"{file}!{form['sheet']}" + (f"!{form['row']}" if form.get("row") is not None else "")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, sqlite3.Connection, Path]:
    from click.testing import CliRunner

    from yjzl.cli.main import cli

    d = tmp_path_factory.mktemp("sqlite")
    common = [str(EXAMPLES), "--roster", str(ROSTER), "--scoring", str(SCORING), "-j", "1"]
    for out in ("x.json", "x.sqlite"):
        result = CliRunner().invoke(cli, ["compute", *common, "-o", str(d / out)])
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["compute", str(EXAMPLES), "--group-by", "region", "-j", "1", "-o", str(d / "g.json")])
    assert result.exit_code == 0
    result = CliRunner().invoke(cli, ["compute", str(EXAMPLES), "--group-by", "region", "-j", "1", "-o", str(d / "x.sqlite")])
    assert result.exit_code == 0, result.output  # the second run is added to the same database
    doc = json.loads((d / "x.json").read_text(encoding="utf-8"))
    doc["groups"] = json.loads((d / "g.json").read_text(encoding="utf-8"))["groups"]
    return doc, sqlite3.connect(d / "x.sqlite"), d


def test_every_indicator_and_target_value_equals_the_json(both) -> None:
    doc, db, _ = both
    subs = {key: n for key, n in db.execute("SELECT key, submission FROM submissions WHERE run = 1")}
    n_ind = n_tgt = 0
    for f in doc["files"]:
        inds = iter(f["indicators"])
        for form in f["forms"]:
            sub = subs[_key(f["file"], form)]
            got = {r[0]: r[1:] for r in db.execute(
                "SELECT indicator, value, numerator, denominator, status, reason, unit, period, compared_with "
                "FROM indicators WHERE run = 1 AND submission = ?", (sub,))}
            # a file's indicators come form after form (yjzl.tidy.split_indicators): take this form's run of them
            mine = [next(inds) for _ in range(len(got))]
            for i in mine:
                assert got[i["id"]] == (i["value"], i["numerator"], i["denominator"], i["status"], i["reason"], i["unit"],
                                        i["period"], i["compared_with"])
                n_ind += 1
                want = [(t["set"], t["op"], t["value"], t["met"], t["by"], t["due"], t["tolerance"]) for t in i["targets"]]
                rows = db.execute("SELECT target_set, op, target, met, due_by, due, tolerance FROM targets "
                                  "WHERE run = 1 AND submission = ? AND indicator = ?", (sub, i["id"])).fetchall()
                assert [(s, o, v, None if m is None else bool(m), b, None if du is None else bool(du), tol)
                        for s, o, v, m, b, du, tol in rows] == want
                n_tgt += len(want)
    assert n_ind == db.execute("SELECT count(*) FROM indicators WHERE run = 1").fetchone()[0] == doc["summary"]["indicators"]
    assert n_tgt == db.execute("SELECT count(*) FROM targets WHERE run = 1").fetchone()[0] > 0


def test_submissions_files_scores_and_progress_equal_the_json(both) -> None:
    doc, db, _ = both
    want = {_key(f["file"], x): (x["form"], x["code"], x["name"], x["org_code"], x["region"], x["statistics_period"],
                                 x["audit"]["passed"], x["audit"]["errors"], x["audit"]["warnings_open"], x["audit"]["first_error"])
            for f in doc["files"] for x in f["forms"]}
    got = {r[0]: (*r[1:7], bool(r[7]), *r[8:]) for r in db.execute(
        "SELECT key, form, form_code, name, org_code, region, statistics_period, passed, errors, warnings_open, first_error "
        "FROM submissions WHERE run = 1")}
    assert got == want and len(got) == doc["summary"]["submissions"] == 16
    assert db.execute("SELECT files, submissions, unusable, passed, failed FROM runs WHERE run = 1").fetchone() == tuple(
        doc["summary"][k] for k in ("files", "submissions", "unusable", "passed", "failed"))
    scores = sorted((s["file"], s["sheet"], s["scheme"], s["total"], s["maximum"]) for s in doc["scores"])
    assert scores and sorted(db.execute("SELECT file, sheet, scheme, total, maximum FROM scores WHERE run = 1")) == scores
    items = Counter((i["indicator"], i["weight"], i["value"], i["points"], i["band"]) for s in doc["scores"] for i in s["items"])
    assert Counter(db.execute("SELECT indicator, weight, value, points, band FROM score_items WHERE run = 1")) == items
    progress = [(u["unit"]["name"], u["unit"]["org_code"], len(u["submissions"]), u["passed"]) for u in doc["roster"]["units"]]
    got_p = [(n, c, k, None if p is None else bool(p)) for n, c, k, p in
             db.execute("SELECT name, org_code, received, passed FROM progress WHERE run = 1 ORDER BY line")]
    assert got_p == progress
    assert sorted(db.execute("SELECT key, reason FROM left_out WHERE run = 1")) == sorted(
        (x["submission"], x["reason"]) for x in doc["left_out"])


def test_groups_equal_the_json_and_the_second_run_is_added(both) -> None:
    doc, db, _ = both
    assert [r[0] for r in db.execute("SELECT group_by FROM runs ORDER BY run")] == [None, "region"]
    want = Counter((g["by"], g["group"], g["form"], g["indicator"]["id"], g["indicator"]["value"], g["indicator"]["numerator"],
                    g["indicator"]["denominator"], len(g["contributing"])) for g in doc["groups"])
    got = Counter(db.execute("SELECT grouped_by, group_value, form, indicator, value, numerator, denominator, contributing "
                            "FROM groups WHERE run = 2"))
    assert got == want and sum(want.values()) > 50
    # the second run carries its own submissions, numbered from 1 again, and the first run's rows are untouched
    counts = dict(db.execute("SELECT run, count(*) FROM submissions GROUP BY run").fetchall())
    assert counts == {1: 16, 2: 16}
    assert db.execute("SELECT count(*) FROM groups WHERE run = 1").fetchone()[0] == 0


def test_force_replaces_and_other_files_are_left_alone(run, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    assert run("compute", EXAMPLES / "表1-clean.xlsx", "-o", db).code == 0
    assert run("compute", EXAMPLES / "表1-clean.xlsx", "-o", db).code == 0
    assert sqlite3.connect(db).execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    assert run("compute", EXAMPLES / "表1-clean.xlsx", "-o", db, "--force").code == 0
    assert sqlite3.connect(db).execute("SELECT run FROM runs").fetchall() == [(1,)]
    # a run with no usable input adds nothing (one transaction) and says why
    before = db.read_bytes()
    r = run("compute", tmp_path / "nothing-here.xlsx", "-o", db)
    assert r.code == 2 and "没有可用的输入" in r.err and db.read_bytes() == before
    # a file yjzl did not write is never written into
    other = tmp_path / "theirs.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    r = run("compute", EXAMPLES / "表1-clean.xlsx", "-o", other)
    assert r.code == 2 and "不是 yjzl 写出的结果数据库" in r.err and other.read_bytes() == before
    text = tmp_path / "notes.sqlite"
    text.write_text("hello", encoding="utf-8")
    r = run("compute", EXAMPLES / "表1-clean.xlsx", "-o", text)
    assert r.code == 2 and "不是 SQLite 数据库" in r.err and text.read_text(encoding="utf-8") == "hello"
    assert run("compute", EXAMPLES / "表1-clean.xlsx", "--format", "sqlite").code == 2  # a database needs -o


def test_the_documented_schema_is_the_one_written() -> None:
    from yjzl.batch.sqlite_sink import schema

    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for statement in schema():
        assert statement + ";" in doc, statement
