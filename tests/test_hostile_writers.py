"""Hostile text through yjzl's text writers (issue 22 §1, §3): CSV that a spreadsheet opens as data,
JSON that stays valid UTF-8, a terminal that shows control characters instead of obeying them.

Every workbook and file name is generated here: one submission per payload, the payload in the
hospital's name, its region, the 说明 of a warning and the file's name (a "/" cannot be in a name:
it becomes "_" there). The CSVs are also opened by LibreOffice (csv → xlsx) and read with openpyxl:
no cell may be a formula.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
FLAWED = ROOT / "examples" / "表3-flawed.xlsx"  # its 床位使用率 (row 26) has a warning: its 说明 is written out
PAYLOADS = ['=HYPERLINK("http://x","a")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def file_name(payload: str) -> str:
    return payload.replace("/", "_") + ".xlsx"


def protected(text: str) -> str:
    """What the OWASP rule makes of a payload in a CSV field (a CR inside text becomes a line feed)."""
    return ("'" + text).replace("\r", "\n")


def hostile_workbook(path: Path, name: str, region: str, note: str) -> None:
    wb = openpyxl.load_workbook(FLAWED)
    ws = wb["表3"]
    row = ws.max_row + 1
    ws.cell(row, 2, "所在地区")
    # 医院名称; the region; the 说明 of 床位使用率, which has a warning: it is written out as the explanation
    for cell, text in ((ws["C4"], name), (ws.cell(row, 3), region), (ws["E26"], note)):
        cell.value = text
        cell.data_type = "s"  # a text cell, as a submitter's typed text is (openpyxl takes "=…" for a formula)
    wb.save(path)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for p in PAYLOADS:
        hostile_workbook(folder / file_name(p), p, p, p)
    return folder


def test_the_rule_itself() -> None:
    from yjzl.output.csvtext import cell

    assert [cell(p) for p in PAYLOADS] == ["'" + p if p[0] != "\r" else "'\n=1+1" for p in PAYLOADS]
    assert [cell(v) for v in (-2.5, 3, 0.0, None, "", "示例医院", "a-b", "x\r=1+1", "x\r\n=1")] == \
        [-2.5, 3, 0.0, None, "", "示例医院", "a-b", "x\n=1+1", "x\n=1"]
    buf = io.StringIO()
    from yjzl.output.csvtext import DictWriter

    w = DictWriter(buf, ["a", "=b"], lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerow({"a": -1.5, "=b": "=1+1", "ignored": "=x"})
    assert buf.getvalue() == "a,'=b\n-1.5,'=1+1\n"


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_csv(text: str, where: str) -> list[list[str]]:
    """No field of the CSV could start a formula; a carriage return is never left bare in a field."""
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1, where
    for row in rows:
        for field in row:
            assert "\r" not in field, (where, field)
            if field.startswith(FORMULA_START):
                assert field.startswith("-") and _number(field), (where, field)  # a negative number stays a number
    return rows


def _column(rows: list[list[str]], name: str) -> set[str]:
    i = rows[0].index(name)
    return {r[i] for r in rows[1:] if len(r) > i}


# (name, arguments, where the CSV goes: None = stdout, else the -o file), the columns holding submitted text
WRITERS = {
    "compute -o x.csv": (["compute", ".", "-o", "{out}/compute.csv"], ["file", "name", "region"]),
    "compute --format csv": (["compute", ".", "--format", "csv"], ["file", "name", "region"]),
    "compute --wide --format csv": (["compute", ".", "--wide", "--format", "csv"], ["file", "name", "region"]),
    "compute --group-by name --format csv": (["compute", ".", "--group-by", "name", "--format", "csv"], ["group"]),
    "validate --format csv": (["validate", ".", "--format", "csv"], ["file", "explanation"]),
    "validate -o x.csv": (["validate", ".", "-o", "{out}/validate.csv"], ["file", "explanation"]),
}


@pytest.fixture(scope="module")
def written(hostile: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, list[str]]]:
    """Each CSV writer run once over the hostile folder, with relative file names (the file column
    starts with the payload). Real processes: the output is what a user's terminal or file gets."""
    out = tmp_path_factory.mktemp("csv-out")
    texts = {}
    for name, (args, columns) in WRITERS.items():
        argv = [a.format(out=out) for a in args]
        proc = subprocess.run([sys.executable, "-m", "yjzl", *argv], cwd=hostile, capture_output=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr, (name, proc.stderr.decode())
        target = next((a for a in argv if a.startswith(str(out))), None)
        data = Path(target).read_bytes() if target else proc.stdout
        texts[name] = (data.decode("utf-8"), columns)
    return texts


@pytest.mark.parametrize("name", WRITERS)
def test_every_csv_writer_writes_each_payload_as_text(written: dict, name: str) -> None:
    text, columns = written[name]
    rows = _check_csv(text, name)
    for column in columns:
        values = _column(rows, column)
        if column == "file":
            assert {protected(file_name(p)) for p in PAYLOADS} <= values, (name, values)
            continue
        for p in PAYLOADS:  # the reader trims a value's text ("\t=1+1" is read as "=1+1"), perhaps not a 说明's
            assert protected(p) in values or protected(p.strip()) in values, (name, column, p, values)


def test_numbers_stay_numbers_in_csv(written: dict) -> None:
    rows = list(csv.reader(io.StringIO(written["compute --format csv"][0])))
    value = rows[0].index("value")
    bed = [r for r in rows[1:] if r[rows[0].index("indicator")] == "bed_occupancy_rate"] or rows[1:]
    numbers = [r[value] for r in rows[1:] if r[value]]
    assert numbers and all(_number(v) for v in numbers)
    assert bed


def test_the_buffered_csv_writers_follow_the_rule(hostile: Path, cat) -> None:
    """The whole-document CSV functions (the library's, and validate's with --annotate) as well."""
    import yjzl
    from yjzl.batch.formats import to_csv as compute_csv
    from yjzl.output.formats import to_csv as validate_csv

    files = sorted(hostile.glob("*.xlsx"))
    for text in (compute_csv(yjzl.compute(files, cat)), compute_csv(yjzl.compute(files, cat), wide=True),
                 validate_csv(yjzl.validate(files, cat))):
        rows = _check_csv(text, "buffered")
        assert {protected(p.strip()) for p in PAYLOADS} <= {f for r in rows for f in r}


def test_libreoffice_opens_every_csv_without_a_formula(written: dict, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc")
    names = {}
    for i, (name, (text, _)) in enumerate(written.items()):
        path = tmp_path / f"w{i}.csv"
        path.write_text(text, encoding="utf-8")
        names[path.stem] = name
    profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"lo-yjzl-test-{os.getpid()}"
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           "--infilter=CSV:44,34,76,1",  # comma, double quote, UTF-8, from line 1; formulas evaluated as by default
                           "--convert-to", "xlsx", "--outdir", str(tmp_path / "x"),
                           *(str(tmp_path / f"{s}.csv") for s in names)], capture_output=True, timeout=300)
    shutil.rmtree(profile, ignore_errors=True)
    for stem, name in names.items():
        book = tmp_path / "x" / f"{stem}.xlsx"
        assert book.exists(), (name, proc.stdout, proc.stderr)
        ws = openpyxl.load_workbook(book).active
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
        assert not formulas, (name, formulas[:5])
        texts = {c.value for c in cells if c.data_type == "s"}
        assert {protected(p.strip()) for p in PAYLOADS} & texts, name  # the payloads are there, as text
        if name == "compute --format csv":  # and numbers are numbers
            value = [c.value for c in ws[1]].index("value")
            numeric = [row[value].value for row in ws.iter_rows(min_row=2) if row[value].value is not None]
            assert numeric and all(isinstance(v, (int, float)) for v in numeric)


# --- JSON: valid UTF-8 and the text unchanged ----------------------------------------------------

def test_json_carries_the_payloads_unchanged(hostile: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "yjzl", "compute", ".", "--format", "json"], cwd=hostile,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout.decode("utf-8"))
    names = {x["name"] for f in doc["files"] for x in f["forms"]}
    assert names == {p.strip() for p in PAYLOADS}


# --- File names that are not UTF-8, control characters on the terminal ----------------------------

def _yjzl(*args: object, cwd: Path, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yjzl", *map(os.fsdecode, args)], cwd=cwd, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}, timeout=timeout, **kw)


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose files have a name that is not UTF-8, one with terminal escapes, and a broken one."""
    folder = tmp_path_factory.mktemp("odd")
    d = os.fsencode(folder / "d")
    os.mkdir(d)
    shutil.copy(FLAWED, d + b"/\xff\xfe-bad.xlsx")  # Latin-1 or GBK bytes from a USB stick, not UTF-8
    wb = openpyxl.load_workbook(FLAWED)
    wb["表3"]["C4"] = "示例_x001B_[2J医院"  # ESC as Excel stores it (ST_Xstring): a cell's text that would clear the screen
    wb.save(os.fsdecode(d + b"/a\x1b]0;pwned\x07b.xlsx"))  # a name that would retitle the terminal
    (folder / "d" / "broken\x1b[31m.xlsx").write_bytes(b"not a workbook")  # its reason names it
    return folder


NOT_UTF8 = "\\xff\\xfe-bad.xlsx"  # how the name is shown: its bytes as escapes


@pytest.mark.parametrize("args", [["validate", "d", "--format", "json"], ["validate", "d", "--format", "jsonl"],
                                  ["validate", "d", "--format", "csv"], ["validate", "d"],
                                  ["compute", "d", "--format", "json"], ["compute", "d", "--format", "jsonl"],
                                  ["compute", "d", "--format", "csv"], ["compute", "d"], ["compute", "d", "--wide"]])
def test_odd_file_names_to_stdout(odd_names: Path, args: list[str]) -> None:
    proc = _yjzl(*args, cwd=odd_names)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")  # valid UTF-8, or this raises
    if "csv" not in args:  # CSV into a pipe is data for a spreadsheet: its text as read (on a terminal: escaped, below)
        assert "\x1b" not in out + err and "\x07" not in out + err
    if "json" in args:
        doc = json.loads(out)
        assert {f["file"] for f in doc["files"]} >= {f"d/{NOT_UTF8}", "d/a\x1b]0;pwned\x07b.xlsx"}  # JSON escapes it
    elif "jsonl" in args:
        files = {json.loads(line).get("file") for line in out.splitlines()}
        assert {f"d/{NOT_UTF8}", "d/a\x1b]0;pwned\x07b.xlsx"} <= files
    else:
        assert f"d/{NOT_UTF8}" in out
        if "csv" not in args:  # CSV keeps its text for the spreadsheet (JSON escapes it); a table shows it
            assert "a\\x1b]0;pwned\\x07b.xlsx" in out and "broken\\x1b[31m.xlsx" in out


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".csv", ".txt"])
@pytest.mark.parametrize("command", ["validate", "compute"])
def test_odd_file_names_into_a_file(odd_names: Path, command: str, suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"out{suffix}"
    proc = _yjzl(command, "d", "-o", out, cwd=odd_names)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    text = out.read_bytes().decode("utf-8")
    if suffix == ".json":
        assert f"d/{NOT_UTF8}" in {f["file"] for f in json.loads(text)["files"]}
    elif suffix == ".jsonl":
        assert f"d/{NOT_UTF8}" in {json.loads(line).get("file") for line in text.splitlines()}
    else:
        assert NOT_UTF8 in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_inspect_and_messages_show_escapes(odd_names: Path) -> None:
    proc = _yjzl("inspect", os.fsencode(odd_names / "d") + b"/a\x1b]0;pwned\x07b.xlsx", cwd=odd_names)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0 and "\x1b" not in out and "示例\\x1b[2J医院" in out and "a\\x1b]0;pwned\\x07b.xlsx" in out
    proc = _yjzl("inspect", odd_names / "d" / "broken\x1b[31m.xlsx", cwd=odd_names)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and err.count("\n") == 1 and "broken\\x1b[31m.xlsx" in err and "\x1b" not in err
    proc = _yjzl("compute", "d", "-o", odd_names / "c.csv", "--force", cwd=odd_names)  # the "written" line
    assert "\x1b" not in proc.stderr.decode("utf-8")


def test_visible_escapes() -> None:
    from yjzl.text import visible

    assert visible("a\x1b]0;x\x07b\x1b[2J\r\t\x7f\x9b\u202e\udcff\n") == "a\\x1b]0;x\\x07b\\x1b[2J\\x0d\\x09\\x7f\\x9b\\u202e\\xff\n"
    assert visible("a\nb", newlines=False) == "a\\x0ab" and visible("示例医院") == "示例医院"
    assert visible(visible("\x1b")) == "\\x1b"  # shown once, not escaped again


def test_a_table_cell_with_escapes_keeps_its_columns() -> None:
    from yjzl.output.table import render, width

    lines = render([["\x1b[2J", 1], ["ab", 22]], headers=["name", "n"], limit=None).splitlines()
    assert lines[2] == "\\x1b[2J   1" and len({width(x) for x in lines[2:]}) == 1


# --- yjzl report on a JSON report with numbers JSON has not ---------------------------------------

@pytest.mark.parametrize("number, shown", [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"),
                                           ("1" + "0" * 5000, "数字过大"), ("1e999", "1e999"),
                                           ("-1e999", "-1e999")])
def test_report_refuses_a_json_number_it_cannot_hold(run, tmp_path: Path, number: str, shown: str) -> None:
    doc = tmp_path / "r.json"
    doc.write_text('{"files": [{"file": "a.xlsx", "indicators": [{"id": "x", "name": "x", "form": "T3", "value": '
                   + number + ', "unit": "%", "status": "ok"}]}]}', encoding="utf-8")
    r = run("report", doc, "-o", tmp_path / "r.html")
    assert r.code == 2 and "Traceback" not in r.err and r.err.count("\n") == 1, r.err
    assert str(doc) in r.err and shown in r.err and not (tmp_path / "r.html").exists()


def test_report_refuses_json_nested_too_deep(run, tmp_path: Path) -> None:
    doc = tmp_path / "deep.json"
    doc.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    r = run("report", doc, "-o", tmp_path / "r.html")
    assert r.code == 2 and "Traceback" not in r.err and r.err.count("\n") == 1, r.err


def test_csv_on_a_terminal_shows_escapes(odd_names: Path) -> None:
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "yjzl", "validate", "d", "--format", "csv"], cwd=odd_names,
                            stdout=slave, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=120) == 1 and b"Traceback" not in proc.stderr.read()
    out = b"".join(chunks).decode("utf-8")
    assert "a\\x1b]0;pwned\\x07b.xlsx" in out and "\x1b" not in out and NOT_UTF8 in out


def test_github_annotations_cannot_be_ended_by_a_file_name(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workflow command's property is escaped: a name with a line break, `,` or `:` stays inside it."""
    name = "x\n::error file=evil,title=pwned::owned.xlsx"
    shutil.copy(FLAWED, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    r = run("validate", name, "--format", "github")
    lines = r.out.splitlines()
    assert r.code == 1 and lines and all(x.startswith(("::error file=x%0A%3A%3Aerror file=evil%2Ctitle=pwned%3A%3Aowned.xlsx,",
                                                       "::warning file=x%0A")) for x in lines), lines


def test_odd_file_names_into_sqlite(odd_names: Path, tmp_path: Path) -> None:
    import sqlite3

    out = tmp_path / "r.sqlite"
    proc = _yjzl("compute", "d", "-o", out, cwd=odd_names)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    with sqlite3.connect(out) as conn:
        files = {r[0] for r in conn.execute("SELECT file FROM files")}
    assert f"d/{NOT_UTF8}" in files and "d/a\x1b]0;pwned\x07b.xlsx" in files
