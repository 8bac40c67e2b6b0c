"""Put a compute run together: read every file (in parallel), then trends, groups and scores."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from yjzl.batch import groups, inputs, scoring, trends
from yjzl.batch.worker import FileOutcome, Submission, init_worker, read_file, read_in_worker
from yjzl.catalogue.compiled import Compiled
from yjzl.report import ComputeReport, FileReport

Progress = Callable[[int, int], None]  # (done, total)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def read_all(paths: Sequence[Path], cat: Compiled, form: str | None, lang: str, sets: set[str] | None,
             jobs: int, progress: Progress | None = None) -> Iterator[FileOutcome]:
    """Each file's outcome, in the order given; several processes when jobs > 1 and there is enough to share."""
    total = len(paths)
    jobs = max(1, min(jobs, total))
    if jobs == 1 or total < 8:  # starting processes costs more than a handful of files
        for n, p in enumerate(paths, 1):
            yield read_file(p, cat, form, lang, sets)
            if progress:
                progress(n, total)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    chunk = max(1, min(64, total // (jobs * 8)))
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=init_worker, initargs=(cat, form, lang, sets)) as pool:
        for n, outcome in enumerate(pool.map(read_in_worker, paths, chunksize=chunk), 1):
            yield outcome
            if progress:
                progress(n, total)


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
) -> ComputeReport:
    cat = catalogue
    sets = set(target_sets) if target_sets is not None else None
    scheme = scoring.load(Path(scoring_file), cat) if scoring_file else None
    if group_by:
        groups.key_function(cat, group_by)  # an unknown key is a usage error before any file is read
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files, missing = inputs.expand(items, exclude)
    report = ComputeReport(*meta, lang)
    outcomes = list(read_all(files, cat, form, lang, sets, jobs, progress))
    subs = [s for o in outcomes for s in o.submissions]
    history: list[list[Submission]] = []
    for period in previous:
        old_items = [period] if isinstance(period, (str, Path)) else list(period)
        old_files, old_missing = inputs.expand(old_items, exclude)
        report.previous += [str(p) for p in old_files]
        report.files += [FileReport(name, error=f"（上期 / previous）{why}") for name, why in old_missing]
        old = []
        for outcome in read_all(old_files, cat, form, lang, sets, jobs):
            old += outcome.submissions
            if outcome.error:
                report.files.append(FileReport(outcome.file, error=f"（上期 / previous）{outcome.error}"))
        history.append(old)
    trends.apply(cat, subs, history, lang, sets)  # replaces trend results: file reports come after
    report.files[:0] = [r for o in outcomes for r in _file_reports(o)] + [FileReport(name, error=why) for name, why in missing]
    if group_by:
        report.groups = groups.group(cat, subs, group_by, lang, sets)
    if scheme:
        report.scores = scoring.score(scheme, subs, cat, lang)
    return report
