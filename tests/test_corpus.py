"""The reader against 1 260 real workbooks (/work/shared/xlsx-corpus, see its README) and two other readers.

For every file: where openpyxl (data_only=True) and python-calamine agree on a cell, yjzl reads the same value,
with date/percent flags matching openpyxl's number format (tests/corpus_oracle.py); no file either oracle reads is
refused (the encrypted ones excepted: both oracles refuse them too); no file takes more than PER_FILE_SECONDS;
and the fast decoder and the ElementTree decoder give the same cells, sheet for sheet.

Oracle quirks (from the corpus README), not held against yjzl: negative numbers under a date format (both oracles
turn them into odd dates) and dates past 9999 (openpyxl makes them #VALUE!), counted and named in the outcome;
openpyxl hides values under merged ranges (there the oracles disagree, so those cells are never compared); calamine
leaves out error cells, so errors are compared with openpyxl alone.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.corpus_oracle import Outcome, compare, oracles
from yjzl.errors import UnusableInput
from yjzl.workbook import sheetxml
from yjzl.workbook.xlsx import read_workbook

# shared/ sits beside the checkout (/work/main → /work/shared), or two levels up from a worktree (/work/wt/x).
CORPUS = next((p / "shared" / "xlsx-corpus" for p in ROOT.parents[:2] if (p / "shared" / "xlsx-corpus").is_dir()),
              ROOT.parent / "shared" / "xlsx-corpus")
FOLDERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
PER_FILE_SECONDS = 20  # the slowest file (56 MB of sheet XML) takes ~2 s with both decoders on one core
# Refused by yjzl and by both oracles: the three workbooks excelize encrypted on purpose.
ENCRYPTED = {"test__encryptAES.xlsx", "test__encryptSHA1.xlsx", "test__encryptSHA512.xlsx"}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the real-workbook corpus is not here: {CORPUS}")
pytest.importorskip("python_calamine", reason="python-calamine (the second oracle) is in the test extra: pip install -e '.[test]'")


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def _cells(book) -> dict[str, dict]:
    return {s.name: {rc: (c.value, c.error, c.formula, c.cached, c.percent, c.date) for rc, c in s.cells.items()}
            for s in book.sheets}


def _files(folder: str) -> list[Path]:
    return sorted(p for p in (CORPUS / folder).rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm"))


@pytest.mark.parametrize("folder", FOLDERS)
def test_reader_agrees_with_openpyxl_and_calamine(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = Outcome()
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for path in _files(folder):
            agreed, oracle_failure = oracles(path)
            start = time.perf_counter()
            signal.alarm(PER_FILE_SECONDS)
            try:
                book = read_workbook(path)
                with monkeypatch.context() as m:  # the same file through the ElementTree decoder alone
                    m.setattr(sheetxml, "_fast_chunks", lambda *a: False)
                    m.setattr(sheetxml, "_strings_fast", lambda data: None)
                    tree = read_workbook(path)
            except UnusableInput as exc:
                if path.name not in ENCRYPTED:
                    outcome.problems.append(f"{path.name}: refused ({exc}); oracles: {oracle_failure or 'read it'}")
                continue
            except Hang:
                outcome.problems.append(f"{path.name}: over {PER_FILE_SECONDS} s")
                continue
            finally:
                signal.alarm(0)
            if path.name in ENCRYPTED:
                outcome.problems.append(f"{path.name}: an encrypted workbook was read")
            if _cells(book) != _cells(tree):
                outcome.problems.append(f"{path.name}: the fast and ElementTree decoders disagree")
            compare(path, book, agreed, outcome)
            assert time.perf_counter() - start < PER_FILE_SECONDS
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert outcome.problems == []
    assert outcome.agreed == outcome.compared > 0
    print(f"\n{folder}: {len(_files(folder))} files, {outcome.compared} cells compared, {outcome.agreed} agreed; "
          f"not compared: {outcome.quirks}")
