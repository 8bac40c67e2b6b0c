"""Read one workbook into its submissions, in a worker process or in this one.

A submission is one form in one sheet. What crosses the process boundary is
plain data: the FormFound, the indicators, the `of` values that trends need
and the text fields that --group-by may name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from yjzl.catalogue.compiled import Compiled
from yjzl.errors import UnusableInput
from yjzl.period import Period
from yjzl.report import FormFound, IndicatorResult, SheetSkipped

TEXT_KINDS = ("text", "code", "yesno")
PeriodChoice = tuple["Period | None", "Period | None"]  # (--period, fallback when a form has no 统计年度)


@dataclass(slots=True)
class Submission:
    file: str
    found: FormFound
    indicators: list[IndicatorResult]
    trends: dict[str, float | None] = field(default_factory=dict)  # indicator id → its `of` value now
    texts: dict[str, str] = field(default_factory=dict)  # field id → text, for --group-by FIELD

    @property
    def key(self) -> str:
        row = f"!{self.found.row}" if self.found.row is not None else ""  # one of a table's rows
        return f"{self.file}!{self.found.sheet}{row}"


@dataclass(slots=True)
class FileOutcome:
    file: str
    submissions: list[Submission] = field(default_factory=list)
    sheets_skipped: list[SheetSkipped] = field(default_factory=list)
    error: str | None = None


def read_file(path: Path, cat: Compiled, form: str | None, lang: str, sets: set[str] | None,
              period: PeriodChoice = (None, None)) -> FileOutcome:
    """`period`: (--period, the fallback for a form without 统计年度), see yjzl.rules.engine.statistics_period."""
    from yjzl.period import PeriodError
    from yjzl.rules.engine import Run, form_findings, form_found, statistics_period, summarise
    from yjzl.rules.indicators import compute, trend_values
    from yjzl.workbook.reader import read

    try:
        book = read(path, cat, form)  # a table's cells leave the sheet as its rows become submissions
    except UnusableInput as exc:
        return FileOutcome(str(path), error=exc.reason)
    out = FileOutcome(str(path), sheets_skipped=[SheetSkipped(s.sheet, s.reason) for s in book.skipped])
    run = Run(book.forms)  # indexed once: a table of 100 000 rows audits in linear time
    for data in book.forms:
        fields = cat.fields[data.form_id]
        texts = {fid: t for fid, fv in data.values.items() if fields[fid].kind in TEXT_KINDS and (t := data.text(fid))}
        used, unreadable = statistics_period(cat, data, period[0], lang, period[1])
        # The same findings as `validate` of this workbook alone (a lead meets the members in its own file);
        # only their counts travel on, so a national batch keeps a few numbers per submission.
        try:
            audit = summarise(unreadable + form_findings(cat, data, book.forms, run, lang, used)[0])
        except PeriodError as exc:  # a year the official calendar does not know: this file, not the batch
            return FileOutcome(str(path), error=str(exc))
        out.submissions.append(Submission(str(path), form_found(cat, data, used, audit=audit),
                                          compute(cat, data, lang, sets, used), trend_values(cat, data, used), texts))
    return out


# Worker-process state: the catalogue arrives once per process, not once per file.
_STATE: dict[str, object] = {}


def init_worker(cat: Compiled, form: str | None, lang: str, sets: set[str] | None, period: PeriodChoice = (None, None)) -> None:
    import signal

    # The parent handles Ctrl-C (the whole process group receives it) and SIGTERM, and stops the workers;
    # a worker that raised KeyboardInterrupt itself would only print a traceback per process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _STATE.update(cat=cat, form=form, lang=lang, sets=sets, period=period)


def read_in_worker(path: Path) -> FileOutcome:
    return read_file(path, _STATE["cat"], _STATE["form"], _STATE["lang"], _STATE["sets"], _STATE["period"])  # type: ignore[arg-type]
