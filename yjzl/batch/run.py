"""Put a compute run together: read every file (in parallel) into a spool, pair the periods, then replay
the spool in input order through trends, groups and scores into a sink (buffered or streaming)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from yjzl.batch import groups, inputs, scoring, trends
from yjzl.batch.batches import Batches
from yjzl.batch.progress import Identity, failing_reason
from yjzl.batch.spool import Spool, compact
from yjzl.batch.worker import FileOutcome, PeriodChoice, Submission, init_worker, read_file, read_in_worker
from yjzl.catalogue.compiled import Compiled
from yjzl.output import words
from yjzl.period import Period
from yjzl.report import ComputeReport, FileReport, LeftOut, Placed, RosterUnit, ScoreResult, Tally
from yjzl.rules.verdicts import Peers, judge

Progress = Callable[[int, int], None]  # (done, total)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def read_all(paths: Sequence[Path], cat: Compiled, form: str | None, lang: str, sets: set[str] | None,
             jobs: int, progress: Progress | None = None, period: PeriodChoice = (None, None)) -> Iterator[FileOutcome]:
    """Each file's outcome, in the order given; several processes when jobs > 1 and there is enough to share."""
    total = len(paths)
    jobs = max(1, min(jobs, total))
    if jobs == 1 or total < 8:  # starting processes costs more than a handful of files
        for n, p in enumerate(paths, 1):
            yield read_file(p, cat, form, lang, sets, period)
            if progress:
                progress(n, total)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    chunk = max(1, min(64, total // (jobs * 8)))
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=init_worker, initargs=(cat, form, lang, sets, period))
    try:
        for n, outcome in enumerate(pool.map(read_in_worker, paths, chunksize=chunk), 1):
            yield outcome
            if progress:
                progress(n, total)
    except BaseException:  # Ctrl-C, SIGTERM (yjzl.cli.main), an error, or the consumer stopped: stop the workers now
        _stop(pool)
        raise
    pool.shutdown()


def _stop(pool: object) -> None:
    """Stop a process pool at once. `shutdown(wait=True)`, what `with` does, would first read every
    file already handed out; cancelling is not enough either, since a worker finishes its chunk. So
    the workers are terminated (ProcessPoolExecutor has no public way: its `_processes`)."""
    pool.shutdown(wait=False, cancel_futures=True)  # type: ignore[attr-defined]
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for p in processes:
        p.terminate()
    for p in processes:
        p.join(5)


def _file_reports(o: FileOutcome) -> list[FileReport]:
    """The file's report; each row of a table is a report of its own (same file), as in `validate`."""
    rep = FileReport(o.file, sheets_skipped=o.sheets_skipped, error=o.error)
    rows = []
    for s in o.submissions:
        target = rep if s.found.row is None else FileReport(o.file)
        if target is not rep:
            rows.append(target)
        target.forms.append(s.found)
        target.indicators += s.indicators
    if rows and not rep.forms:
        rows[0].sheets_skipped = rep.sheets_skipped
        return rows
    return [rep, *rows]


def identity(s: Submission, cat: Compiled, batches: Batches | None = None) -> Identity:
    """What the roster needs of a submission: who, which form, when (period, batch, 填报日期), its audit counts."""
    f, a = s.found, s.found.audit
    return Identity(s.key, s.file, f.code, cat.forms[f.form].member_of is not None, f.name, f.org_code, f.region, f.period,
                    a.passed if a else None, a.warnings_open if a else None, statistics_period=f.statistics_period,
                    batch=batches.of(s.file) if batches else None, filled_on=f.filled_on)


def placed(s: Submission, lang: str) -> Placed:
    """Where a submission sits (yjzl.batch.divisions), and a warning when its region text names another division."""
    from yjzl.batch.divisions import name, place

    p = place(s.found.org_code, s.found.region)
    full = name(p.code, "county") or name(p.code, "city") or name(p.code, "province")
    conflict = None
    if p.conflict:
        other = name(p.conflict, "county") or name(p.conflict, "city") or name(p.conflict, "province")
        conflict = (f"地区“{s.found.region}”（{other}）与机构代码中的行政区划 {p.code}（{full}）不一致，按代码归入"
                    if lang == "zh" else f"the region '{s.found.region}' ({other}) disagrees with the division {p.code} "
                    f"({full}) in the organisation code: placed by the code")
    return Placed(s.key, p.code, full, p.source, conflict)


def exclusion(only_passing: bool, set_aside: dict[str, str], lang: str) -> groups.Exclude:
    """Why a submission stays out of groups and scores: a duplicate set aside, or failing under --only-passing."""
    def why(s: Submission) -> str | None:
        if s.key in set_aside:
            return set_aside[s.key]
        a = s.found.audit
        if only_passing and a is not None and not a.passed:
            return failing_reason(a.errors, a.first_error, lang)
        return None
    return why


class Sink(Protocol):
    """Where a run's results go as they are finished, in input order (yjzl.batch.sinks)."""

    def begin(self, report: ComputeReport, forms: list[str]) -> None: ...  # forms: ids in order of first appearance
    def file(self, rep: FileReport, scores: list[ScoreResult]) -> None: ...
    def finish(self, report: ComputeReport, tally: Tally) -> None: ...  # report.groups are set by then


class Collect:
    """The buffered sink: everything into the ComputeReport (the library's result, JSON, xlsx)."""

    def __init__(self) -> None:
        self.report: ComputeReport | None = None

    def begin(self, report: ComputeReport, forms: list[str]) -> None:
        self.report = report

    def file(self, rep: FileReport, scores: list[ScoreResult]) -> None:
        assert self.report is not None
        self.report.files.append(rep)
        self.report.scores += scores

    def finish(self, report: ComputeReport, tally: Tally) -> None:
        pass


def _earlier(cat: Compiled, period: Period | None, back: int) -> PeriodChoice:
    """The i-th --previous is the same span i years back: forced with --period, else assumed without 统计年度."""
    if period is not None:
        return period.in_year(period.start.year - back), None
    default = cat.default_period()
    return None, (default.in_year(default.start.year - back) if default else None)


def _history(earlier: str | Path | Iterable[str | Path], cat: Compiled, form: str | None, lang: str,
             sets: set[str] | None, jobs: int, exclude: Sequence[str | Path], report: ComputeReport,
             errors: list[FileReport], period: PeriodChoice = (None, None)) -> list[Submission]:
    """An earlier period: only what pairing needs of each submission is kept."""
    items = [earlier] if isinstance(earlier, (str, Path)) else list(earlier)
    files, missing = inputs.expand(items, exclude)
    report.previous += [str(p) for p in files]
    errors += [FileReport(name, error=f"（上期 / previous）{why}") for name, why in missing]
    old = []
    for outcome in read_all(files, cat, form, lang, sets, jobs, period=period):
        old += [compact(s) for s in outcome.submissions]
        if outcome.error:
            errors.append(FileReport(outcome.file, error=f"（上期 / previous）{outcome.error}"))
    return old


def compute(
    paths: str | Path | Iterable[str | Path],
    catalogue: Compiled,
    *,
    previous: Sequence[str | Path | Iterable[str | Path]] = (),
    group_by: str | None = None,
    scoring_file: str | Path | None = None,
    form: str | None = None,
    lang: str = "zh",
    target_sets: Iterable[str] | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    meta: tuple[str, str, str] = ("yjzl", "", ""),
    exclude: Sequence[str | Path] = (),
    sink: Sink | None = None,
    only_passing: bool = False,
    roster: tuple[str, Sequence[RosterUnit]] | None = None,
    period: Period | None = None,
    deadline: str | None = None,
) -> ComputeReport:
    """Read, pair periods, match the roster, group and score; results go to `sink` in input order (default: into the report).

    `period` (--period) overrides every current form's; the i-th --previous is the same span i years back.

    With a streaming sink the returned report holds no files or scores (they went to
    the sink), only the groups, the roster's progress, what was left out and the inputs;
    memory stays flat as the batch grows. roster: (its file name, its units, from
    yjzl.batch.roster.load); only_passing: failing submissions stay out of groups and scores.
    The inputs are batches in the order given (yjzl.batch.batches): a later one's copy of a unit's form counts.
    deadline: --deadline for the roster's units without a 截止日期 of their own (逾期 in 进度明细).
    """
    cat = catalogue
    sets = set(target_sets) if target_sets is not None else None
    scheme = scoring.load(Path(scoring_file), cat) if scoring_file else None
    set_aside: dict[str, str] = {}  # duplicates the roster sets aside: known once everything is read
    excluded = exclusion(only_passing, set_aside, lang)
    acc = groups.Accumulator(cat, group_by, lang, sets, excluded) if group_by else None  # an unknown key fails before reading
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    batches = Batches(items)
    found, missing = inputs.expand(items, exclude)
    files = [str(p) for p in found]  # a path as text is a quarter of a Path object: 100 000 of them are held
    del found
    report = ComputeReport(*meta, lang)
    report.target_sets = {k: v for k, v in words.target_sets(cat, lang).items() if sets is None or k in sets}  # those compared
    report.only_passing = only_passing
    late: list[FileReport] = []  # unusable inputs of earlier periods: listed after this period's files
    history = [_history(p, cat, form, lang, sets, jobs, exclude, report, late, _earlier(cat, period, back))
               for back, p in enumerate(previous, 1)]
    spool = Spool()
    peers = Peers(cat)  # a hospital's place among its peers needs the whole run: its values are kept (8 bytes each)
    try:
        for outcome in read_all(files, cat, form, lang, sets, jobs, progress, (period, None)):
            for s in outcome.submissions:
                peers.add(s.found, s.indicators)
            spool.add(outcome)
        find = trends.lookup(spool.records, history)
        if roster is not None:  # on the compact records: who, which form, when, the audit counts
            from yjzl.batch.progress import match

            report.roster, found = match(roster[1], (identity(s, cat, batches) for s in spool.records), roster[0], lang,
                                         deadline)
            set_aside.update(found)
        else:  # said, not set aside: without a roster a match by name is a guess (yjzl.batch.duplicates)
            from yjzl.batch.duplicates import regional_forms, suspected

            report.duplicates = suspected(spool.records, lambda s: identity(s, cat, batches), lang, regional_forms(cat))
        out = sink or Collect()
        out.begin(report, list(dict.fromkeys(s.found.form for s in spool.records)))
        spool.records = []  # the lookup keeps what it needs
        tally = Tally()
        for outcome in spool.replay():
            for s in outcome.submissions:
                if find is not None:
                    trends.patch(cat, s, find, lang, sets)
                judge(cat, s.found, s.indicators, peers, lang)
                if acc is not None:
                    acc.add(s)
                if group_by in groups.REGION_LEVELS:
                    report.placements.append(placed(s, lang))
            left = [(s, reason) for s in outcome.submissions if (reason := excluded(s))]
            report.left_out += [LeftOut(s.key, reason) for s, reason in left]
            counted = [s for s in outcome.submissions if not any(s is x for x, _ in left)]
            scores = scoring.score(scheme, counted, cat, lang) if scheme else []
            for rep in _file_reports(outcome):  # a table's rows: one report each; the file's scores go with the first
                tally.add(rep)
                out.file(rep, scores)
                scores = []
    finally:
        spool.close()
    for rep in [*(FileReport(name, error=why) for name, why in missing), *late]:
        tally.add(rep)
        out.file(rep, [])
    if acc is not None:
        report.groups = acc.results()
    if group_by in groups.REGION_LEVELS:
        from yjzl.batch.divisions import edition

        report.divisions = edition()
    out.finish(report, tally)
    return report
