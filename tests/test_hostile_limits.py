"""Hostile files of issue #22 §2 and §3, generated here (tests/hostile.py): each is answered with exit 0, 1 or 2 and,
when refused, one line naming the part or the limit and how to raise it; never a traceback or exit 3.

The costly ones run as a process of their own (`yjzl validate`), which reports its own wall time and peak resident
memory (resource.getrusage): each must stay under 10 s and 500 MB. Before the reading budget
(yjzl/workbook/budget.py) these took 1.75–8.8 GB (DTDs), 4.3 GB (.ods spaces), 2.2 GB (hidden rows), 1 GB (repeated
cells), 1.2 GB (twelve sheets on one part), 1.9 GB (a 16 MB CSV), 2.5 GB (a big .xls) and 50 s (--annotate).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import hostile
from tests.conftest import ROOT
from tests.corpus import t4m_rows, worksheet
from yjzl.bilingual import in_language
from yjzl.workbook.cells import MAX_CELL_CHARS

SECONDS, MEGABYTES = 10, 500
RAISE = ("；确认文件可信时可设置环境变量 YJZL_MAX_MB=128 放宽（当前 64，所有读取上限按比例放宽）",
         "; for a trusted file set YJZL_MAX_MB=128 to raise it (now 64; every reading limit scales with it)")
CELLS = (f"工作簿的单元格超过读取上限 1048576 个，拒绝读取{RAISE[0]} / the workbook holds more than the reading limit of "
         f"1048576 cells: refused{RAISE[1]}")
NO_FORM = "未找到可识别的表单 / no form recognised"

_LAUNCH = """
import resource, sys, time
from yjzl.cli.main import main
start = time.perf_counter()
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 0
sys.stdout.flush()
print(f"@@ {code} {time.perf_counter() - start:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


# The kernel's peak for a process counts the memory of whoever forked it, up to its exec: forked from pytest (hundreds
# of MB after a full run), every child would seem as large. A small launcher posix_spawns the measured process.
_SPAWN = ("import os, sys; pid = os.posix_spawn(sys.executable, [sys.executable, *sys.argv[1:]], os.environ); "
          "sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))")


def measured(*args: object) -> tuple[int, str, str]:
    """`yjzl ARGS` in a process of its own: (exit code, stdout, stderr), once its time and peak memory are checked."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _SPAWN, "-c", _LAUNCH, *map(str, args)], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=120)
    err, _, tail = proc.stderr.rpartition("@@ ")
    code, seconds, kib = tail.split()
    assert "Traceback" not in err, err[-3000:]
    assert float(seconds) < SECONDS, (args, seconds)
    assert int(kib) / 1024 < MEGABYTES, (args, int(kib) / 1024)
    return int(code), proc.stdout, err


def dtd_line(part: str, kind: str = ".xlsx") -> str:
    return (f"{part} 含有 DTD（实体定义），{kind} 文件不应有，拒绝读取 / "
            f"the part declares a DTD (entity definitions), which no {kind} has: refused")


REFUSED = {  # builder → the reason in the refusal line
    "dtd_after_comment": dtd_line("xl/worksheets/sheet1.xml"),
    "dtd_after_whitespace": dtd_line("xl/worksheets/sheet1.xml"),
    "dtd_deep": dtd_line("xl/sharedStrings.xml"),
    "dtd_utf16_workbook": dtd_line("xl/workbook.xml"),
    "dtd_ods": dtd_line("content.xml", ".ods"),
    "ods_repeated_cells": CELLS,
    "big_csv": CELLS,
    "big_xls": CELLS,
}
SUFFIX = {"dtd_ods": ".ods", "ods_repeated_cells": ".ods", "big_csv": ".csv", "big_xls": ".xls"}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_files_are_refused_in_one_line_quickly_and_small(tmp_path: Path, name: str) -> None:
    path = getattr(hostile, name)(tmp_path / f"{name}{SUFFIX.get(name, '.xlsx')}")
    code, out, err = measured("validate", path)
    assert (code, err) == (2, "退出码 2：没有可用的输入（1 个输入无法使用）\n")
    assert out.splitlines()[0] == f"{path}: 无法使用: {in_language(REFUSED[name], 'zh')}"


def test_ods_text_spaces_stop_at_the_cell_limit(tmp_path: Path) -> None:
    """10¹³ spaces asked for (a MemoryError, exit 3, before) and 1 000 cells of 4.3 million: each cell's text is cut
    at Excel's 32 767 characters as it is built."""
    from yjzl.workbook.xlsx import read_workbook

    path = hostile.ods_spaces(tmp_path / "spaces.ods")
    code, out, _ = measured("validate", path)
    assert code == 2 and out.splitlines()[0].startswith(f"{path}: 无法使用: {in_language(NO_FORM, 'zh')}")
    cells = read_workbook(path).sheets[0].cells
    assert cells[(1, 1)].value == "a" + " " * (MAX_CELL_CHARS - 1)
    assert len(cells) == 1001 and {len(c.value) for c in cells.values()} == {MAX_CELL_CHARS}


def test_ods_hidden_padding_rows_cost_nothing(tmp_path: Path) -> None:
    """30 million hidden empty rows: no row is remembered (only rows holding a cell matter)."""
    from yjzl.workbook.xlsx import read_workbook

    path = hostile.ods_hidden_rows(tmp_path / "hidden.ods")
    code, out, _ = measured("validate", path)
    assert code == 2 and out.splitlines()[0].startswith(f"{path}: 无法使用: {in_language(NO_FORM, 'zh')}")
    sheet = read_workbook(path).sheets[0]
    assert (sheet.by_address(), sheet.hidden_rows, sheet.max_row) == ({"A1": sheet.cells[(1, 1)]}, set(), 1)
    assert sheet.cells[(1, 1)].value == 1.0


def test_a_part_named_by_twelve_sheets_is_read_once(tmp_path: Path, cat) -> None:
    path = hostile.twelve_sheets_one_part(tmp_path / "twelve.xlsx", worksheet(t4m_rows(cat=cat)))
    code, out, _ = measured("validate", path, "--format", "json")
    assert code == 0
    skipped = {s["sheet"]: s["reason"] for s in json.loads(out)["files"][0]["sheets_skipped"]}
    twice = ("与工作表“明细1”指向同一份数据（xl/worksheets/sheet2.xml），未重复读取 / "
             "the sheet's cells are those of sheet “明细1” (xl/worksheets/sheet2.xml): not read twice")
    assert skipped == {"明细1": "未识别出表单 / no form recognised (用 --form 指定 / name it with --form)",
                       **{f"明细{i}": twice for i in range(2, 13)}}


def test_annotate_refuses_a_million_rows_before_reading(tmp_path: Path, cat) -> None:
    path = hostile.million_rows(tmp_path / "million.xlsx", worksheet(t4m_rows(cat=cat)))
    out = tmp_path / "marked.xlsx"
    code, stdout, err = measured("validate", path, "--annotate", out)
    assert code == 2 and not out.exists() and stdout == ""
    size = sum(i.file_size for i in __import__("zipfile").ZipFile(path).infolist()) >> 20
    assert err == f"yjzl: {path}: 工作簿解压后有 {size} MB，超过标注副本（--annotate）的上限 16 MB，不写标注副本{RAISE[0]}\n"


ENCODINGS = ("KTF-8", "bogus", "x-user-defined")
PARTS = ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "content.xml", "meta.xml")


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("part", PARTS)
def test_an_unknown_encoding_is_refused_naming_the_part(run, tmp_path: Path, part: str, encoding: str) -> None:
    """13 of 3 600 fuzzed files ended in a LookupError traceback (exit 3)."""
    kind = ".ods" if part in ("content.xml", "meta.xml") else ".xlsx"
    path = hostile.encoded(part, encoding)(tmp_path / f"a{kind}")
    for command in ("validate", "compute"):
        r = run(command, path)
        assert r.code == 2 and "Traceback" not in r.err
        reason = (f"{part} 声明的编码“{encoding}”无法读取（应为 UTF-8 或 UTF-16），请在 Excel/WPS 中另存为 {kind} / the part "
                  f"declares an encoding that cannot be read, “{encoding}” (it should be UTF-8 or UTF-16): save it again as "
                  f"{kind} in Excel/WPS")
        said = in_language(reason, "zh")  # the run's language
        assert (r.out.splitlines()[0] if command == "validate" else r.err) == (
            f"{path}: 无法使用: {said}" if command == "validate" else f"yjzl: 没有可用的输入: {path}: {said}\n")


def test_the_prolog_check_reads_what_the_parser_reads() -> None:
    """The DTD is found in any encoding expat reads, after comments, whitespace and processing instructions; a
    well-formed prolog costs its own length, not the part's; what is not XML is left to the decoders."""
    from yjzl.workbook.archive import DTD, prolog

    doc = '<?xml version="1.0" encoding="{}"?><!-- c --><?pi x?>\n<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    for enc, codec in (("UTF-8", "utf-8"), ("UTF-16", "utf-16"), ("UTF-16LE", "utf-16-le"), ("ISO-8859-1", "latin-1"),
                       ("windows-1252", "cp1252")):
        assert prolog(doc.format(enc).encode(codec)) == DTD, enc
    assert prolog(b'<?xml version="1.0"?><r>' + b"<x/>" * 1_000_000 + b"</r>") is None
    assert prolog(b'<?xml version="1.0" encoding="GB18030"?><r/>') == "GB18030"  # multi-byte: expat cannot
    assert prolog(b"application/vnd.oasis.opendocument.spreadsheet") is None
