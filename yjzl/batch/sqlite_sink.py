"""`compute -o results.sqlite`: the run's tidy tables (yjzl.tidy) in a SQLite database, one run after another.

Python's own sqlite3, no new dependency. Every table of yjzl.tidy gets a leading
`run` column; the `runs` table says what each run was (when, which inputs, which
catalogue, its counts). A new file is written beside the output and renamed into
place. An existing yjzl results database gets the new run added in one
transaction (a failed or interrupted run adds nothing); --force replaces the file
instead. Any other existing file is refused: yjzl never writes into a database it
did not make. The schema is in docs/api.md; `SCHEMA_VERSION` is its version.

The sink streams: each file's rows are inserted as the run replays it, so memory
does not grow with the number of files.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yjzl.report import ComputeReport, FileReport, ScoreResult, Tally
from yjzl.text import json_safe, utf8_safe
from yjzl.tidy import COLUMNS, Numbering, run_rows

APPLICATION_ID = 0x594A5A4C  # "YJZL": marks the file as a yjzl results database (PRAGMA application_id)
SCHEMA_VERSION = 1  # PRAGMA user_version; a database of another version is refused, not altered
SUFFIXES = (".sqlite", ".sqlite3", ".db")

RUNS = (("run", "INTEGER PRIMARY KEY"), ("started", "TEXT"), ("finished", "TEXT"), ("tool", "TEXT"), ("version", "TEXT"),
        ("catalogue", "TEXT"), ("lang", "TEXT"), ("inputs", "TEXT"), ("previous", "TEXT"), ("group_by", "TEXT"),
        ("target_sets", "TEXT"), ("period", "TEXT"), ("roster", "TEXT"), ("only_passing", "INTEGER"),
        ("files", "INTEGER"), ("submissions", "INTEGER"), ("unusable", "INTEGER"), ("passed", "INTEGER"),
        ("failed", "INTEGER"))
# Indexes an analyst's joins use: rows of one run and submission.
INDEXED = ("submissions", "indicators", "targets", "findings", "scores", "score_items")


def schema() -> list[str]:
    """The CREATE statements of the database (docs/api.md prints them)."""
    out = ["CREATE TABLE IF NOT EXISTS runs (" + ", ".join(f"{c} {t}" for c, t in RUNS) + ")"]
    for table, columns in COLUMNS.items():
        cols = ", ".join(f"{c} {t}" for c, t in columns)
        out.append(f"CREATE TABLE IF NOT EXISTS {table} (run INTEGER NOT NULL REFERENCES runs(run), {cols})")
        if table in INDEXED:
            out.append(f"CREATE INDEX IF NOT EXISTS {table}_by_submission ON {table} (run, submission)")
    return out


def ours(path: Path) -> str | None:
    """Why an existing file is not a yjzl results database this version can add to (None: it is)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return "不是 SQLite 数据库 / not a SQLite database"
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app, version = conn.execute("PRAGMA application_id").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        return f"无法读取 / cannot read: {exc}"
    if app != APPLICATION_ID:
        return "不是 yjzl 写出的结果数据库 / not a results database yjzl wrote"
    if version != SCHEMA_VERSION:
        return f"结构版本 {version}，本版本为 {SCHEMA_VERSION} / schema version {version}, this yjzl writes {SCHEMA_VERSION}"
    return None


def appends(output: Path | None, fmt: str | None, force: bool) -> bool:
    """Before the work: True when `output` is an existing yjzl database the run will add to (no --force needed);
    UsageProblem when it is an existing file of another kind and --force was not given."""
    if output is None or force or not output.is_file() or not (fmt == "sqlite" or output.suffix.lower() in SUFFIXES):
        return False
    why = ours(output)
    if why is None:
        return True
    from yjzl.errors import UsageProblem

    raise UsageProblem(f"{output}: {why}；未改动，加 --force 替换 / left alone: add --force to replace it")


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class SqliteSink:
    """A compute sink (yjzl.batch.run.Sink) inserting each file's rows into an open connection, as one run."""

    def __init__(self, conn: sqlite3.Connection, meta: dict[str, Any]) -> None:
        self.conn, self.meta = conn, meta
        self.numbering = Numbering()
        self.tally = Tally()
        self.unusable: list[FileReport] = []
        self.run = 0

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        cols = [c for c, _ in COLUMNS[table]]
        sql = f"INSERT INTO {table} (run, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})"
        self.conn.executemany(sql, ([self.run, *(utf8_safe(r.get(c)) for c in cols)] for r in rows))  # a name not UTF-8

    def begin(self, report: ComputeReport, forms: list[str]) -> None:
        m = self.meta
        cur = self.conn.execute(
            "INSERT INTO runs (started, tool, version, catalogue, lang, inputs, previous, group_by, target_sets, period, "
            "roster, only_passing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), report.tool, report.version, report.catalogue, report.lang, json_safe(json.dumps(m.get("inputs", []), ensure_ascii=False)),
             json_safe(json.dumps(m.get("previous", []), ensure_ascii=False)), m.get("group_by"),
             json.dumps(m["target_sets"], ensure_ascii=False) if m.get("target_sets") else None, m.get("period"),
             utf8_safe(m.get("roster")), bool(report.only_passing)))
        self.run = int(cur.lastrowid or 0)

    def file(self, rep: FileReport, scores: list[ScoreResult]) -> None:
        if rep.error:
            self.unusable.append(rep)
        for table, rows in self.numbering.file_rows(rep, scores).items():
            self._insert(table, rows)

    def finish(self, report: ComputeReport, tally: Tally) -> None:
        self.tally = tally
        for table, rows in run_rows(report).items():
            self._insert(table, rows)
        c = tally.as_dict()
        self.conn.execute("UPDATE runs SET finished = ?, files = ?, submissions = ?, unusable = ?, passed = ?, failed = ? "
                          "WHERE run = ?", (_now(), c["files"], c["submissions"], c["unusable"], c["passed"], c["failed"], self.run))


def write(output: Path, replace: bool, fill: Callable[[SqliteSink], None], meta: dict[str, Any]) -> SqliteSink:
    """Run `fill(sink)` into `output`: a new database (written beside it, then renamed) or, when it is an existing yjzl
    database and not `replace`, one more run added in a single transaction. Returns the sink (its tally, unusable)."""
    box: list[SqliteSink] = []

    def into(path: Path, fresh: bool) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # one transaction: an error or an interruption leaves the file as it was
            try:
                if fresh:
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                for statement in schema():
                    conn.execute(statement)
                sink = SqliteSink(conn, meta)
                fill(sink)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            box.append(sink)
        finally:
            conn.close()

    if output.is_file() and not replace and ours(output) is None:
        into(output, fresh=False)
    else:
        from yjzl.output.atomic import write_bytes

        write_bytes(output, lambda tmp: into(Path(tmp), fresh=True))  # an empty file is an empty SQLite database
    return box[0]
