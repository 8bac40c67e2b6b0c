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
