"""Every output (`validate -o`, `validate --annotate`, `compute -o` csv/json/xlsx, `template -o`,
`report -o`) is written atomically: a temporary file beside it, then a rename. A run never writes
over one of its own inputs, by its name or any other (a symlink, a hard link); a failure while
writing leaves the previous output as it was and no temporary file; and no command changes a byte
of its inputs."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "表4（乡镇卫生院）-flawed.xlsx"
REFUSED = "输出会覆盖输入文件，已拒绝"  # in Chinese only: the run's language


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / "表4.xlsx")
    (tmp_path / "表4.csv").write_text("指标,数值\n门诊人次数,2242\n住院人次数,2798\n医院收入,405.13\n", encoding="utf-8")
    shutil.copy(ROOT / "indicators.yaml", tmp_path / "catalogue.yaml")
    return tmp_path


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


# name → (arguments with {in} and {out}, the output's suffix)
WRITERS = {
    "validate -o": (["validate", "{in}", "--format", "json", "-o", "{out}", "--force"], ".json"),
    "validate --annotate": (["validate", "{in}", "--annotate", "{out}", "--force"], ".xlsx"),
    "compute -o csv": (["compute", "{in}", "--jobs", "1", "-o", "{out}", "--force"], ".csv"),
    "compute -o json": (["compute", "{in}", "--jobs", "1", "-o", "{out}", "--force"], ".json"),
    "compute -o xlsx": (["compute", "{in}", "--jobs", "1", "-o", "{out}", "--force"], ".xlsx"),
    "template -o": (["template", "表4", "--catalogue", "{catalogue}", "-o", "{out}", "--force"], ".xlsx"),
    "report -o": (["report", "{in}", "-o", "{out}", "--force"], ".html"),
}


def _args(name: str, folder: Path, out: Path, source: str = "表4.xlsx") -> list[str]:
    args, _ = WRITERS[name]
    return [a.format(**{"in": folder / source, "out": out, "catalogue": folder / "catalogue.yaml"}) for a in args]


@pytest.mark.parametrize("name", WRITERS)
def test_each_writer_writes_and_leaves_its_inputs_alone(run, folder: Path, name: str) -> None:
    out = folder / f"out{WRITERS[name][1]}"
    before = _digests(folder)
    r = run(*_args(name, folder, out))
    assert r.code in (0, 1) and "Traceback" not in r.err, r.err
    assert out.stat().st_size > 0
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()  # the usual permissions, not mkstemp's 0600
    assert _digests(folder) == {**before, out.name: _digests(folder)[out.name]}  # only the output is new
    assert not list(folder.glob(".*.tmp"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("name", WRITERS)
def test_an_output_that_is_an_input_is_refused(run, folder: Path, name: str) -> None:
    target = folder / ("catalogue.yaml" if name.startswith("template") else "表4.xlsx")
    before = _digests(folder)
    r = run(*_args(name, folder, target))
    assert (r.code, r.err) == (2, f"yjzl: {target}: {REFUSED}\n")
    assert _digests(folder) == before


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
@pytest.mark.parametrize("name", ["validate -o", "validate --annotate", "compute -o xlsx", "report -o"])
def test_an_input_under_another_name_is_refused_too(run, folder: Path, name: str, link: str) -> None:
    other = folder / "另一个名字.xlsx"
    (os.symlink if link == "symlink" else os.link)(folder / "表4.xlsx", other)
    before = _digests(folder)
    r = run(*_args(name, folder, other))
    assert (r.code, r.err) == (2, f"yjzl: {other}: {REFUSED}\n")
    assert _digests(folder) == before


def test_a_csv_input_is_protected_like_a_workbook(run, folder: Path) -> None:
    before = _digests(folder)
    r = run("compute", folder / "表4.csv", "--jobs", "1", "-o", folder / "表4.csv")
    assert (r.code, r.err) == (2, f"yjzl: {folder / '表4.csv'}: {REFUSED}\n")
    assert _digests(folder) == before


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # openpyxl's abandoned row writers
@pytest.mark.parametrize("name", WRITERS)
def test_a_full_disk_leaves_the_old_output_and_no_temporary_file(run, folder: Path, name: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills while the output is written: for workbooks inside openpyxl's save, half a file
    written; for text, when the bytes are flushed. The previous output stays as it was."""
    import openpyxl.workbook.workbook as wbmod

    out = folder / f"out{WRITERS[name][1]}"
    out.write_bytes(b"the previous output")

    def half_then_full(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        _disk_full()

    monkeypatch.setattr(wbmod.Workbook, "save", half_then_full)
    monkeypatch.setattr(os, "fsync", _disk_full)
    before = _digests(folder)
    r = run(*_args(name, folder, out))
    assert r.code == 2 and "Traceback" not in r.err
    assert r.err.endswith(f"yjzl: {out}: 无法写入: {os.strerror(errno.ENOSPC)}\n")
    assert _digests(folder) == before  # the old output and the inputs as they were, nothing new
    assert out.read_bytes() == b"the previous output"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # openpyxl's abandoned row writers
@pytest.mark.parametrize("name", ["validate --annotate", "compute -o xlsx", "template -o"])
def test_a_bug_while_writing_leaves_nothing_behind(run, folder: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl.workbook.workbook as wbmod

    out = folder / "out.xlsx"

    def broken(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise RuntimeError("a bug in the writer")

    monkeypatch.setattr(wbmod.Workbook, "save", broken)
    before = _digests(folder)
    r = run(*_args(name, folder, out))
    assert r.code == 3 and "RuntimeError: a bug in the writer" in r.err  # an internal error: shown, to be reported
    assert _digests(folder) == before and not out.exists()


def test_a_folder_that_does_not_exist_or_cannot_be_written(run, folder: Path) -> None:
    missing = folder / "没有这个目录" / "out.json"
    r = run("validate", folder / "表4.xlsx", "--format", "json", "-o", missing)
    assert (r.code, r.err) == (2, f"yjzl: {missing}: 目录不存在\n")
    if os.geteuid() != 0:  # root writes anywhere
        locked = folder / "只读"
        locked.mkdir(mode=0o500)
        r = run("validate", folder / "表4.xlsx", "-o", locked / "out.txt")
        assert r.code == 2 and r.err.startswith(f"yjzl: {locked / 'out.txt'}: 无法写入: ")


# One rule for every writer (yjzl.output.atomic.prepare), checked before any work is done.

def _without_force(name: str, folder: Path, out: Path) -> list[str]:
    return [a for a in _args(name, folder, out) if a != "--force"]


@pytest.mark.parametrize("name", WRITERS)
def test_an_existing_output_needs_force(run, folder: Path, name: str) -> None:
    out = folder / f"out{WRITERS[name][1]}"
    out.write_bytes(b"someone's work")
    r = run(*_without_force(name, folder, out))
    assert (r.code, r.err) == (2, f"yjzl: {out}: 文件已存在，如需覆盖请加 --force\n")
    assert out.read_bytes() == b"someone's work"
    r = run(*_args(name, folder, out))
    assert r.code in (0, 1) and out.read_bytes() != b"someone's work"


@pytest.mark.parametrize("name", WRITERS)
def test_each_writer_says_what_it_wrote(run, folder: Path, name: str) -> None:
    out = folder / f"out{WRITERS[name][1]}"
    r = run(*_args(name, folder, out))
    said = [x for x in r.err.splitlines() if not x.startswith("退出码 ")]  # then why the exit code is not 0, if it is not
    assert said[-1].startswith("已写出") and f"：{out}" in r.err
    r = run(*_args(name, folder, out), "--lang", "en")
    assert f"written: {out}" in [x for x in r.err.splitlines() if not x.startswith("exit ")][-1]


@pytest.mark.parametrize("name", WRITERS)
def test_a_missing_folder_is_refused_before_the_work(run, folder: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import yjzl.catalogue.loader as loader

    def no_work(*a, **k):  # the catalogue is loaded first by every command: it must not be reached
        raise AssertionError("the work started")

    monkeypatch.setattr(loader, "load", no_work)
    out = folder / "没有这个目录" / f"out{WRITERS[name][1]}"
    r = run(*_args(name, folder, out))
    assert (r.code, r.err) == (2, f"yjzl: {out}: 目录不存在\n")


# A format a writer cannot make: the extension is refused, naming what it can write.
WRONG = {
    "validate -o": ("out.pdf", ".json"),
    "validate --annotate": ("out.ods", ".xlsx"),
    "compute -o csv": ("out.pdf", ".xlsx、.json、.csv、.txt"),
    "template -o": ("out.xls", ".xlsx"),
    "report -o": ("out.pdf", ".html、.htm"),
}


@pytest.mark.parametrize("name", WRONG)
def test_an_extension_the_writer_cannot_write_is_refused(run, folder: Path, name: str) -> None:
    filename, allowed = WRONG[name]
    out = folder / filename
    r = run(*_args(name, folder, out))
    assert r.code == 2 and r.err.startswith(f"yjzl: {out}: 无法写出 {out.suffix} 文件，应以 {allowed}") and not out.exists()


def test_a_format_and_an_extension_that_disagree(run, folder: Path) -> None:
    out = folder / "out.csv"
    r = run("compute", folder / "表4.xlsx", "--format", "json", "-o", out)
    assert r.code == 2 and "应以 .json 结尾，或改用 --format csv" in r.err and not out.exists()
    r = run("validate", folder / "表4.xlsx", "-o", out)  # no --format: the extension names it
    assert r.code in (0, 1) and out.read_text(encoding="utf-8").startswith("file,severity,code")


# report -o and validate --annotate may name a folder (a split report; the copies and 退回清单 of several files)
@pytest.mark.parametrize("name", [n for n in WRITERS if n not in ("report -o", "validate --annotate")])
def test_a_folder_given_for_a_file(run, folder: Path, name: str) -> None:
    out = folder / "一个目录"
    out.mkdir()
    r = run(*_args(name, folder, out))
    assert (r.code, r.err) == (2, f"yjzl: {out}: 这是一个目录\n")
