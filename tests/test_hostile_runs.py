"""Hostile surroundings of a run (issue 22 §3, §4, §5): a planted or unwritable catalogue cache, an output
that would replace an input, SIGTERM in the middle of `compute --jobs 2`, an input folder with what cannot
be read in it, and `compute --format json` with nothing usable. Everything is generated here."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


# --- The catalogue cache ------------------------------------------------------------------------

class Planted:
    """Unpickling this makes a folder: proof that a cache file's code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (str(self.marker),))


def _plant(cache: Path, marker: Path, header: bool = True, mode: int = 0o600) -> None:
    from yjzl.catalogue.loader import MAGIC

    body = pickle.dumps(Planted(marker))
    cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    cache.write_bytes(MAGIC + hashlib.sha256(body).digest() + body if header else body)
    os.chmod(cache, mode)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("YJZL_CACHE_DIR", str(folder))
    monkeypatch.delenv("YJZL_NO_CACHE", raising=False)
    return folder


def _cache_path() -> Path:
    from yjzl.catalogue.loader import _cache_file, default_path

    path = _cache_file([default_path()])
    assert path is not None
    return path


def test_the_cache_is_private_and_used(cache_dir: Path) -> None:
    from yjzl.catalogue.loader import cached, load

    first = load()
    cache = _cache_path()
    assert cache.exists() and cache.parent == cache_dir
    assert os.stat(cache_dir).st_mode & 0o777 == 0o700 and os.stat(cache).st_mode & 0o077 == 0
    again = cached(cache)
    assert again is not None and again.label == first.label and sorted(again.indicators) == sorted(first.indicators)


def test_a_cache_file_with_its_header_in_a_private_folder_is_unpickled(cache_dir: Path, tmp_path: Path) -> None:
    """The control: what the checks below stop does run when they pass (so they are what stops it)."""
    from yjzl.catalogue.loader import cached

    _plant(_cache_path(), tmp_path / "ran")
    assert cached(_cache_path()) is None  # not a Compiled: rebuilt
    assert (tmp_path / "ran").is_dir()


@pytest.mark.parametrize("how", ["no header", "damaged", "group-writable file", "world-writable folder", "a symlink",
                                 "someone else's file"])
def test_a_planted_cache_never_runs(cache_dir: Path, tmp_path: Path, how: str) -> None:
    from yjzl.catalogue.loader import load

    cache, marker = _cache_path(), tmp_path / "ran"
    if how == "no header":
        _plant(cache, marker, header=False)
    elif how == "damaged":
        _plant(cache, marker)
        data = bytearray(cache.read_bytes())
        data[-3] ^= 0xFF
        cache.write_bytes(bytes(data))
    elif how == "group-writable file":
        _plant(cache, marker, mode=0o620)
    elif how == "world-writable folder":
        _plant(cache, marker)
        os.chmod(cache_dir, 0o777)
    elif how == "a symlink":
        elsewhere = tmp_path / "elsewhere" / "x.pickle"
        _plant(elsewhere, marker)
        cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        cache.symlink_to(elsewhere)
    else:
        if os.geteuid() != 0:
            pytest.skip("giving a file to another user needs root")
        _plant(cache, marker)
        os.chown(cache, 12345, -1)
    cat = load()  # the slow path: the catalogue as always
    assert cat.indicators and not marker.exists()


def test_an_unusable_cache_folder_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    from yjzl.catalogue import loader

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("YJZL_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    assert loader.load().indicators
    monkeypatch.setenv("YJZL_CACHE_DIR", str(tmp_path / "denied"))
    real = os.lstat

    def denied(path, *a, **k):  # type: ignore[no-untyped-def]
        if str(path).startswith(str(tmp_path / "denied")):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *a, **k)

    monkeypatch.setattr(os, "lstat", denied)  # what a folder without the x bit gives (root is never denied)
    assert loader.load().indicators
    r = run("validate", EXAMPLES / "表1-clean.xlsx")
    assert r.code == 0 and "Traceback" not in r.err


# --- An input is never replaced, with or without --force --------------------------------------------

def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def d(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(EXAMPLES / "表3-clean.xlsx", folder / "a.xlsx")
    shutil.copy(EXAMPLES / "表4-clean.xlsx", folder / "b.xlsx")
    return folder


REFUSED = "输出会覆盖输入文件，已拒绝"  # in the run's language


@pytest.mark.parametrize("args", [
    ["collect", "{d}", "-o", "{d}/a.xlsx"],
    ["collect", "{d}", "-o", "{d}/a.xlsx", "--force"],
    ["compute", "{d}", "-o", "{d}/a.xlsx", "--force"],
    ["compute", "{d}", "-o", "{d}/a.xlsx", "--force", "--jobs", "2"],
    ["validate", "{d}", "--annotate", "{d}/a.xlsx", "--force"],
    ["validate", "{d}", "-o", "{d}/a.xlsx", "--format", "json", "--force"],
    ["validate", "{d}/b.xlsx", "--annotate", "{d}/b.xlsx", "--force"],
    ["validate", "{d}/b.xlsx", "--annotate", "{d}/link.xlsx", "--force"],  # a symbolic link to b
    ["compute", "{d}", "-o", "{d}/hard.xlsx", "--force"],  # a hard link to a, inside the folder
    ["collect", "{d}/*.xlsx", "-o", "{d}/b.xlsx", "--force"],  # found by a glob
    ["report", "{d}", "-o", "{d}/a.xlsx", "--force"],
])
def test_an_input_is_never_an_output(run, d: Path, args: list[str]) -> None:
    if "{d}/link.xlsx" in args:
        (d / "link.xlsx").symlink_to(d / "b.xlsx")
    if "{d}/hard.xlsx" in args:
        os.link(d / "a.xlsx", d / "hard.xlsx")
    before = _digests(d)
    r = run(*(a.format(d=d) for a in args))
    assert r.code == 2 and "Traceback" not in r.err, r.err
    assert r.err.count("\n") == 1 and (REFUSED in r.err or "html" in r.err), r.err
    assert _digests(d) == before and not list(d.glob(".*.tmp"))


def test_collect_replaces_an_existing_file_only_with_force(run, d: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"last year's work")
    r = run("collect", d, "-o", out)
    assert r.code == 2 and "--force" in r.err and out.read_bytes() == b"last year's work"
    r = run("collect", d, "-o", out, "--force")
    assert r.code == 0 and out.read_bytes()[:2] == b"PK", r.err
    r = run("collect", d, "-o", tmp_path / "x.csv")
    assert r.code == 2 and ".xlsx" in r.err



NOT_OURS = "不是 yjzl 写出的"


@pytest.mark.parametrize("args", [
    ["validate", "{d}/b.xlsx", "--annotate", "{o}/a.xlsx", "--force"],  # the case: a.xlsx is no input here
    ["compute", "{d}/b.xlsx", "-o", "{o}/a.xlsx", "--force"],
    ["collect", "{d}/b.xlsx", "-o", "{o}/a.xlsx", "--force"],
    ["template", "表3", "-o", "{o}/a.xlsx", "--force"],
])
def test_a_workbook_yjzl_did_not_write_is_never_replaced(run, d: Path, tmp_path: Path, args: list[str]) -> None:
    """--force replaces yjzl's own outputs, never somebody's workbook that only shares the output's name."""
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(EXAMPLES / "表1-clean.xlsx", other / "a.xlsx")  # a submission of another run
    before = _digests(other)
    r = run(*(a.format(d=d, o=other) for a in args))
    assert r.code == 2 and NOT_OURS in r.err and "Traceback" not in r.err, r.err
    assert _digests(other) == before and not list(other.glob(".*.tmp"))


def test_force_replaces_yjzl_s_own_outputs(run, d: Path, tmp_path: Path) -> None:
    for args in (["validate", d / "b.xlsx", "--annotate", tmp_path / "c.xlsx"], ["compute", d / "b.xlsx", "-o", tmp_path / "r.xlsx"],
                 ["collect", d / "b.xlsx", "-o", tmp_path / "s.xlsx"], ["template", "表3", "-o", tmp_path / "t.xlsx"]):
        first = run(*args)
        assert first.code in (0, 1), first.err
        again = run(*args, "--force")
        assert again.code == first.code and NOT_OURS not in again.err, again.err


# --- SIGTERM and Ctrl-C in the middle of compute --jobs 2 ------------------------------------------

def _children(pid: int) -> set[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return {int(c) for t in tasks for c in (t / "children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the worker processes")
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_workers_and_leaves_no_temporary_file(tmp_path: Path, sig: int, code: int) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        shutil.copy(EXAMPLES / "表3-flawed.xlsx", folder / f"h{i:03}.xlsx")
    out = tmp_path / "out" / "指标.csv"
    out.parent.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "yjzl", "compute", str(folder), "--jobs", "2", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:  # until both workers are at work
        workers = _children(proc.pid)
        if len(workers) >= 2 and list(out.parent.glob(".*.tmp")):
            break
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 2, "the run ended before it could be stopped"
    time.sleep(0.3)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground group
    else:
        os.kill(proc.pid, sig)  # a scheduler stops the process it started
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err.decode()
    assert b"Traceback" not in err, err.decode()
    assert err.decode().strip().splitlines()[-1] in (("已终止（SIGTERM）",) if sig == signal.SIGTERM else ("已中断",))
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
    assert list(out.parent.iterdir()) == []  # neither the output nor a temporary file


# --- What cannot be looked into inside an input folder ------------------------------------------

def test_dangling_links_loops_and_unreadable_folders_are_listed(run, d: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (d / "gone.xlsx").symlink_to(d / "nowhere.xlsx")
    (d / "loop1").symlink_to(d / "loop2")
    (d / "loop2").symlink_to(d / "loop1")
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(d)
    (d / "notes.txt").symlink_to(d / "nothing.txt")  # no workbook's name: not a submission, not listed
    (d / "locked").mkdir()
    shutil.copy(EXAMPLES / "表1-clean.xlsx", d / "locked" / "c.xlsx")
    (d / "linked").symlink_to(d / "locked")  # a link to a folder is followed, the folder read once
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == d / "locked":  # what chmod 000 gives (root reads it anyway)
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    from yjzl.batch.inputs import BACK, DANGLING, LOOP, UNREADABLE_FOLDER

    want = {f"{d / 'gone.xlsx'}: {DANGLING}", f"{d / 'loop1'}: {LOOP}", f"{d / 'loop2'}: {LOOP}",
            f"{d / 'sub' / 'up'}: {BACK}", f"{d / 'locked'}: {UNREADABLE_FOLDER}: Permission denied"}
    r = run("compute", d, "--format", "json")
    doc = json.loads(r.out)
    errors = {f"{f['file']}: {f['error']}" for f in doc["files"] if f["error"]}
    assert r.code == 1 and errors == want
    assert {Path(f["file"]).name for f in doc["files"] if not f["error"]} == {"a.xlsx", "b.xlsx"}
    r = run("validate", d, "--lang", "en")
    lines = [x for x in r.out.splitlines() if ": unusable: " in x]
    assert r.code == 1 and len(lines) == 5 and all(str(d) in x for x in lines), r.out
    r = run("report", d, "-o", d.parent / "r.html", "--lang", "en")
    page = (d.parent / "r.html").read_text(encoding="utf-8")
    assert r.code == 1 and "5 unusable file(s)" in r.err and all(x.split(": ")[0] in page for x in want), r.err
    monkeypatch.setattr(os, "scandir", real)
    r = run("compute", d, "--format", "json")
    assert {Path(f["file"]).name for f in json.loads(r.out)["files"] if not f["error"]} == {"a.xlsx", "b.xlsx", "c.xlsx"}


# --- compute --format json with no usable input ---------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_with_no_usable_input_says_so(run, tmp_path: Path, fmt: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    r = run("compute", tmp_path / "empty", tmp_path / "bad.xlsx", tmp_path / "missing.xlsx", "--format", fmt)
    assert r.code == 2 and "Traceback" not in r.err and r.err.count("\n") == 1 and "没有可用的输入" in r.err
    records = [json.loads(x) for x in r.out.splitlines()] if fmt == "jsonl" else [json.loads(r.out)]
    files = records[0]["files"] if fmt == "json" else [x for x in records if x["record"] == "file"]
    summary = records[0]["summary"] if fmt == "json" else records[-1]
    assert [(Path(f["file"]).name, bool(f["error"])) for f in files] == [("bad.xlsx", True), ("empty", True),
                                                                          ("missing.xlsx", True)]
    assert (summary["files"], summary["unusable"], summary["submissions"]) == (3, 3, 0)
    out = tmp_path / f"r.{fmt}"
    r = run("compute", tmp_path / "empty", "--format", fmt, "-o", out)
    assert r.code == 2 and out.exists()  # the document is written too


def test_csv_and_table_with_no_usable_input_write_nothing(run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for fmt in ("csv", "table"):
        r = run("compute", tmp_path / "empty", "--format", fmt)
        assert (r.code, r.out) == (2, "") and r.err.count("\n") == 1
