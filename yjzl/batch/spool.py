"""Hold a batch's read files until the periods are paired, in bounded memory.

Growth and change pair every submission with the same submitter's earlier period,
and which one that is may only be known when the whole batch has been read (a
submitter of 2023 found after one of 2024; "the only 表1 of each year"). So the
read outcomes go to a spool, and only a compact record of each submission (who,
which form, its period, the few values trends need) stays in memory. Small
batches stay in memory; past `IN_MEMORY` files the outcomes are pickled and
compressed into an anonymous temporary file, and read back one at a time, in
input order. That keeps `compute` flat in memory from 1 000 to 100 000 files.
"""

from __future__ import annotations

import pickle
import struct
import tempfile
import zlib
from collections.abc import Iterator
from sys import intern
from typing import IO

from yjzl.batch.worker import FileOutcome, Submission
from yjzl.report import Audit, FormFound

IN_MEMORY = 1000  # up to this many files stay in memory (~25 kB each): pickling costs ~0.18 ms a file, a tenth of its compute
_LEN = struct.Struct("<I")


_NONE: dict = {}
_NO_RESULTS: list = []


def compact(s: Submission) -> Submission:
    """What pairing needs of a submission: who, where, and its trend values (no indicators, no texts).

    About 0.6 kB each (1.5 kB with the full FormFound): 100 000 of them are what a run holds.
    The empty containers are shared; nothing changes a compact record.
    """
    f, a = s.found, s.found.audit
    counts = a and Audit(a.errors, a.warnings_open, a.warnings_explained, a.passed)  # not the first error's text
    lean = FormFound(intern(f.form), intern(f.code), intern(f.sheet), "", "", f.name, f.org_code, f.region, f.period,
                     f.statistics_period and intern(f.statistics_period), f.period_origin,  # trends pair like with like
                     counts, row=f.row, code_en=f.code_en and intern(f.code_en),  # the audit's few counts (the roster's progress reads them); a table's row
                     filled_on=f.filled_on)  # which of a unit's two copies counts (yjzl.batch.progress.choose)
    return Submission(s.file, lean, _NO_RESULTS, s.trends or _NONE, _NONE)


class Spool:
    def __init__(self, in_memory: int | None = None) -> None:
        self.records: list[Submission] = []  # the compact records, in input order
        self._held: list[FileOutcome] = []
        self._file: IO[bytes] | None = None
        self._in_memory = IN_MEMORY if in_memory is None else in_memory
        self.count = 0

    def add(self, outcome: FileOutcome) -> None:
        self.records += [compact(s) for s in outcome.submissions]
        self.count += 1
        if self._file is None and len(self._held) < self._in_memory:
            self._held.append(outcome)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="yjzl-spool-")  # noqa: SIM115 (closed by replay/close; gone on exit)
            for held in self._held:
                self._write(held)
            self._held = []
        self._write(outcome)

    def _write(self, outcome: FileOutcome) -> None:
        data = zlib.compress(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL), 1)
        assert self._file is not None
        self._file.write(_LEN.pack(len(data)))
        self._file.write(data)

    def replay(self) -> Iterator[FileOutcome]:
        """Every outcome once, in the order added; the spool is emptied as it goes."""
        if self._file is None:
            held, self._held = self._held, []
            yield from held
            return
        f, self._file = self._file, None
        try:
            f.seek(0)
            while head := f.read(_LEN.size):
                yield pickle.loads(zlib.decompress(f.read(_LEN.unpack(head)[0])))
        finally:
            f.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._held = []
