"""Streaming writers for `compute`: each file's rows are written as the run replays it, in input order.

csv, table and jsonl stream (nothing of a finished file is kept); the JSON document
and xlsx are whole documents and are built from the buffered report instead
(`run.Collect`). The columns and rows are those of `rows.py`, so a streamed csv is
byte-for-byte the buffered one (a test holds them equal).

jsonl: one JSON object per line, each with a "record" key: "run" first (tool,
version, catalogue, lang), then "file" per input file (the objects of the JSON
report's "files"), "score" after the file it scores, "group" at the end, and
"left_out" for each submission kept out of groups and scores, "duplicate" for
each group of suspected duplicates (without --roster), "roster" with --roster,
and "summary" last (the JSON report's "summary").
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TextIO

from yjzl.batch import rows as R
from yjzl.catalogue.compiled import Compiled
from yjzl.output import csvtext
from yjzl.output.stream import jsonl_record
from yjzl.report import ComputeReport, FileReport, ScoreResult, Tally
from yjzl.text import visible

TABLE_CHUNK = 1000  # table rows rendered together: small runs look as before, long ones stream in blocks


class _Held:
    """A text stream that holds what is written until the first usable file: a run with no usable
    input writes nothing at all (it ends with exit 2 and one line on stderr)."""

    def __init__(self, out: TextIO) -> None:
        self.target, self.held, self.open = out, [], False

    def write(self, text: str) -> None:
        if self.open:
            self.target.write(text)
        else:
            self.held.append(text)

    def release(self) -> None:
        if not self.open:
            self.open = True
            self.target.write("".join(self.held))
            self.held = []


class _Stream:
    """What every streaming sink shares: where it writes, what the main table is, the final tally."""

    def __init__(self, out: TextIO, cat: Compiled, *, wide: bool = False, grouped: bool = False, scored: bool = False) -> None:
        self.out = _Held(out)
        self.cat, self.wide, self.grouped, self.scored = cat, wide, grouped, scored
        self.tally = Tally()
        self.report: ComputeReport | None = None
        self.columns: list[str] = []
        self.unusable: list[FileReport] = []  # the files that could not be used (listed by the table, named in errors)

    def begin(self, report: ComputeReport, forms: list[str]) -> None:
        self.report = report
        if self.grouped:
            self.columns = R.with_sets(R.GROUP, report.target_sets)
        elif self.scored:
            self.columns = R.SCORE
        elif self.wide:
            ids = dict.fromkeys(i.id for form in forms for i in self.cat.indicators_for(form))
            self.columns = [*R.SUBMITTER, *ids]
        else:
            self.columns = R.with_sets(R.LONG, report.target_sets)

    def file(self, rep: FileReport, scores: list[ScoreResult]) -> None:
        if rep.error:
            self.unusable.append(rep)
        else:
            self.out.release()
        self.write(rep, scores)

    def write(self, rep: FileReport, scores: list[ScoreResult]) -> None:
        raise NotImplementedError

    def rows(self, rep: FileReport, scores: list[ScoreResult]) -> list[dict[str, object]]:
        """The main-table rows of one file (none when the main table is the groups')."""
        if self.grouped or rep.error:
            return []
        if self.scored:
            return R.score_rows(scores)
        return R.wide_rows_of(rep) if self.wide else R.long_rows_of(rep)

    def finish(self, report: ComputeReport, tally: Tally) -> None:
        self.tally = tally


class CsvSink(_Stream):
    def begin(self, report: ComputeReport, forms: list[str]) -> None:
        super().begin(report, forms)
        self.writer = csvtext.DictWriter(self.out, self.columns, lineterminator="\n", extrasaction="ignore")
        self.writer.writeheader()

    def write(self, rep: FileReport, scores: list[ScoreResult]) -> None:
        self.writer.writerows(self.rows(rep, scores))

    def finish(self, report: ComputeReport, tally: Tally) -> None:
        super().finish(report, tally)
        if self.grouped:
            self.writer.writerows(R.group_rows(report))


class JsonlSink(_Stream):
    def _line(self, record: str, obj: dict) -> None:
        jsonl_record(self.out, record, obj)  # type: ignore[arg-type]

    def begin(self, report: ComputeReport, forms: list[str]) -> None:
        super().begin(report, forms)
        self._line("run", {k: getattr(report, k) for k in ("tool", "version", "catalogue", "lang", "previous")})

    def write(self, rep: FileReport, scores: list[ScoreResult]) -> None:
        self._line("file", asdict(rep))
        for s in scores:
            self._line("score", asdict(s))

    def finish(self, report: ComputeReport, tally: Tally) -> None:
        super().finish(report, tally)
        for g in report.groups:
            self._line("group", asdict(g))
        for x in report.left_out:  # out of groups and scores: a duplicate set aside, or failing with --only-passing
            self._line("left_out", asdict(x))
        for d in report.duplicates:  # suspected without a roster, still counted (yjzl.batch.duplicates)
            self._line("duplicate", asdict(d))
        if report.roster is not None:
            self._line("roster", asdict(report.roster))
        if report.divisions is not None:  # --group-by province|city|county: the table's edition, each placement
            self._line("divisions", {"edition": report.divisions})
            for p in report.placements:
                self._line("placement", asdict(p))
        self._line("summary", tally.as_dict())


class TableSink(_Stream):
    def begin(self, report: ComputeReport, forms: list[str]) -> None:
        super().begin(report, forms)
        self.pending: list[dict[str, object]] = []
        en = report.lang == "en"  # --wide's indicator columns are headed by the indicator's name
        self.names = {i.id: (i.defn.name_en or i.defn.name) if en else i.defn.name for i in self.cat.indicators.values()}

    def _flush(self) -> None:
        from yjzl.batch.formats import table_block

        if self.pending:
            assert self.report is not None
            forms_en = {f.code: f.code_en or f.code for f in self.cat.forms.values()}
            self.out.write(visible(table_block(self.report, self.columns, self.pending, self.wide, self.names, forms_en) + "\n"))
            self.pending = []

    def write(self, rep: FileReport, scores: list[ScoreResult]) -> None:
        self.pending += self.rows(rep, scores)
        if len(self.pending) >= TABLE_CHUNK:
            self._flush()

    def finish(self, report: ComputeReport, tally: Tally) -> None:
        from yjzl.batch.formats import table_tail

        super().finish(report, tally)
        if self.grouped:
            self.pending = R.group_rows(report)
        self._flush()
        self.out.write(visible(table_tail(report, [{"file": f.file, "reason": f.error} for f in self.unusable], tally.as_dict())))


SINKS = {"csv": CsvSink, "jsonl": JsonlSink, "table": TableSink}
