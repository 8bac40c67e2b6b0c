"""The library API behind the commands (import as `yjzl.validate`, `yjzl.compute`)."""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from yjzl import __version__
from yjzl.catalogue.compiled import Compiled
from yjzl.errors import UnusableInput
from yjzl.output import words
from yjzl.report import ComputeReport, FileReport, Report

if TYPE_CHECKING:
    from yjzl.workbook.cells import Workbook
    from yjzl.workbook.model import WorkbookData


def _catalogue(cat: Compiled | None) -> Compiled:
    if cat is not None:
        return cat
    from yjzl.catalogue.loader import load

    return load()


def _read_each(files: Sequence[Path], cat: Compiled, form: str | None, problems: list[tuple[str, str]]) -> list:
    """Every file read as a workbook; each one that cannot be used goes into `problems` with its reason."""
    from yjzl.workbook.reader import read

    books = []
    for p in files:
        try:
            books.append(read(p, cat, form))
        except UnusableInput as exc:
            problems.append((str(p), exc.reason))
    return books


def read_period(text: str | None):  # -> yjzl.period.Period | None
    """--period read up front, working days included, so that an unknown year fails before any file (exit 2)."""
    if text is None:
        return None
    from yjzl.period import parse

    p = parse(text)
    p.working_days  # noqa: B018 - raises PeriodError for a year the official calendar does not know
    return p


def named_nothing(items: Sequence[str | Path]) -> list[str]:
    """The paths that name no file or folder (and globs that match nothing)."""
    return [str(p) for p in items if not Path(p).exists() and not (glob.has_magic(str(p)) and glob.glob(str(p), recursive=True))]


def _must_exist(items: Sequence[str | Path], missing: str) -> None:
    """A library call naming a path that does not exist is a mistake in the call: FileNotFoundError, before any work.
    The commands pass missing="report": they list such a path with the unusable files and go on (exit 1 or 2)."""
    if missing == "report":
        return
    gone = named_nothing(items)
    if gone:
        import errno

        raise FileNotFoundError(errno.ENOENT, "no such file or folder (missing='report' lists it as unusable instead)",
                                "; ".join(gone))


def iter_validate(
    paths: str | Path | Sequence[str | Path],
    catalogue: Compiled | None = None,
    form: str | None = None,
    lang: str = "zh",
    target_sets: Iterable[str] | None = None,
    period: str | None = None,
    previous: Sequence[str | Path | Sequence[str | Path]] = (),
    missing: str = "raise",
) -> Iterator[FileReport]:
    """Each workbook's report as soon as it is final, in input order, in bounded memory.

    paths: files, folders (searched like `compute`'s) and globs. Cross-form checks
    see the whole run as in `validate` (yjzl.rules.stream says what is held back).
    period: the statistics period overriding each form's (see `validate`).
    previous: earlier rounds (see `validate`), read before the first report.
    """
    from yjzl.batch.inputs import expand
    from yjzl.rules.stream import audit_stream
    from yjzl.workbook.reader import read

    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    _must_exist([*items, *(p for e in previous for p in ([e] if isinstance(e, (str, Path)) else e))], missing)
    cat = _catalogue(catalogue)
    chosen = read_period(period)  # before any file: an unreadable --period is a usage error (exit 2)

    def books() -> Iterator[WorkbookData | FileReport]:
        for item in items:
            many = Path(item).is_dir() or (not Path(item).exists() and glob.has_magic(str(item)))
            found, problems = expand([item]) if many else ([Path(item)], [])
            for name, why in problems:
                yield FileReport(name, error=why)
            for p in found:
                try:
                    yield read(p, cat, form)
                except UnusableInput as exc:
                    yield FileReport(str(p), error=exc.reason)

    sets = set(target_sets) if target_sets is not None else None
    history, unusable = _history(previous, cat, form, lang)
    yield from (FileReport(name, error=f"（上期 / previous）{why}") for name, why in unusable)
    yield from audit_stream(cat, books(), lang, sets, chosen, history)


def _history(previous: Sequence[str | Path | Sequence[str | Path]], cat: Compiled, form: str | None, lang: str):
    """The earlier rounds as a yjzl.rules.history.History (None without any), and the inputs unusable in them."""
    if not previous:
        return None, []
    from yjzl.batch.inputs import expand
    from yjzl.rules.history import History

    history = History()
    problems: list[tuple[str, str]] = []
    for items in previous:
        files, missing = expand([items] if isinstance(items, (str, Path)) else list(items))
        problems += missing
        history.add_round(cat, _read_each(files, cat, form, problems), lang)
    return history, problems


def validate(
    paths: str | Path | Sequence[str | Path],
    catalogue: Compiled | None = None,
    form: str | None = None,
    lang: str = "zh",
    target_sets: Iterable[str] | None = None,
    period: str | None = None,
    previous: Sequence[str | Path | Sequence[str | Path]] = (),
    missing: str = "raise",
) -> Report:
    """Audit one or more workbooks together (cross-form checks see all of them).

    A file that cannot be read becomes a FileReport with `error` set; the others
    are still audited. period: the statistics period (2019H1, 2019, 2019-01-01:2019-06-30)
    overriding each form's 统计年度 and the catalogue's default; raises PeriodError when unreadable.
    previous: the units' earlier rounds, one entry per round (a path, folder or glob, or a list of them):
    a value far outside a unit's own earlier values is a plausibility warning at its cell (YJ203,
    yjzl.rules.history); like periods only (half-year with half-year); nothing without a round.
    missing: "raise" (FileNotFoundError for a path that names nothing, before any work) or "report" (listed as
    an unusable file, like the commands do).
    """
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    _must_exist(items, missing)
    cat = _catalogue(catalogue)
    report = Report("yjzl", __version__, cat.label, lang)
    report.target_sets = words.target_sets(cat, lang)
    report.files = list(iter_validate(items, cat, form, lang, target_sets, period, previous, missing="report"))
    return report


def compute(
    paths: str | Path | Sequence[str | Path],
    catalogue: Compiled | None = None,
    *,
    previous: Sequence[str | Path | Sequence[str | Path]] = (),
    group_by: str | None = None,
    scoring: str | Path | None = None,
    form: str | None = None,
    lang: str = "zh",
    target_sets: Iterable[str] | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    exclude: Sequence[str | Path] = (),
    period: str | None = None,
    only_passing: bool = False,
    roster: str | Path | None = None,
    sink: object | None = None,
    deadline: str | None = None,
    missing: str = "raise",
) -> ComputeReport:
    """Every indicator of every submission in files, folders (recursive) or globs.

    previous: one entry per earlier period (the first is one period back), each
    a path, folder or glob or a list of them. group_by: region, folder, form,
    name, code, period, file, all, or a field id. scoring: a scoring YAML file.
    A file that cannot be read becomes a FileReport with `error` set. exclude:
    files never read (e.g. an output written inside an input folder). period: the
    statistics period of the current inputs (2019H1, 2019 …), overriding each form's
    统计年度; the i-th `previous` is then the same span i years back.
    only_passing: leave submissions with logic errors out of groups and scores
    (listed in `left_out` with the reason). roster: a roster file (名单: 名称,
    机构代码, 地区, 表, 上级): who has reported, who has not, strangers, duplicates;
    without one, `duplicates` lists suspected duplicates (one form, period and
    submitter more than once), which still count in groups and scores.
    sink: a streaming writer (yjzl.batch.sinks) that gets each file's results in
    input order instead of the returned report (which then holds only the groups).
    The inputs are batches in the order given (第1批/ then 第2批/): when a unit's form arrives twice, the
    later batch's copy counts, then the later 填报日期 (yjzl.batch.progress.choose). deadline: the date
    after which a roster unit's form is 逾期, for units whose roster row has no 截止日期.
    missing: "raise" (FileNotFoundError for a path, current or previous, that names nothing, before any work)
    or "report" (listed as an unusable file, like the command does).
    """
    from yjzl.batch.run import compute as run

    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    earlier = [p for e in previous for p in ([e] if isinstance(e, (str, Path)) else e)]
    _must_exist([*items, *earlier], missing)

    cat = _catalogue(catalogue)
    units = None
    if roster is not None:
        from yjzl.batch.roster import load

        units = (str(roster), load(roster, cat))  # a bad roster is a usage error before any file is read
    return run(items, cat, previous=previous, group_by=group_by, scoring_file=scoring, form=form, lang=lang,
               target_sets=target_sets, jobs=jobs, progress=progress, meta=("yjzl", __version__, cat.label),
               exclude=[*exclude, *([roster] if roster else [])], only_passing=only_passing, roster=units,
               period=read_period(period), deadline=_deadline(deadline),
               sink=sink)  # type: ignore[arg-type]


def _deadline(text: str | None) -> str | None:
    """--deadline read up front: an unreadable date is a usage error before any file is read."""
    if text is None:
        return None
    from yjzl.batch.batches import read_date
    from yjzl.errors import UsageProblem

    d = read_date(text)
    if d is None:
        raise UsageProblem(f"--deadline 不是日期 / not a date: {text}")
    return str(d)


def read_workbook(path: str | Path) -> Workbook:
    """The workbook as yjzl reads it, before any form is looked for: .xlsx/.xlsm, .xls, .ods or .csv.

    `book.sheets` lists every sheet (`name`, `hidden`); `sheet.by_address()` gives each non-empty cell by its
    address ("C5") and `sheet.cell("C5")` one cell. A Cell has `value` (float, str, bool, or None for an error or
    a formula never calculated), `error` ("#DIV/0!" …), `formula` (the cell holds a formula), `cached` (False: a
    formula whose result was never calculated: open and save the file in Excel/WPS), `percent` and `date` (the
    number is formatted as a percentage or as a date/time). `book.skipped` names sheets the file lists but whose
    cells are missing, with the reason. Raises yjzl.errors.UnusableInput with a reason for a file it cannot read.
    """
    from yjzl.workbook.xlsx import read_workbook as read

    return read(path)


def inspect(path: str | Path, catalogue: Compiled | None = None, form: str | None = None) -> dict:
    """What `yjzl inspect` shows, as plain data: sheets, forms with how they were recognised and their layout,
    every field with its cell, raw content and parsed value, and the sheets skipped with why."""
    from yjzl.workbook.inspect import inspect_workbook

    return inspect_workbook(path, _catalogue(catalogue), form)


def collect(
    paths: str | Path | Sequence[str | Path],
    output: str | Path,
    catalogue: Compiled | None = None,
    form: str | None = None,
    exclude: Sequence[str | Path] = (),
) -> tuple[int, list[tuple[str, str]]]:
    """Gather the submissions in files, folders or globs into one summary table per form at `output` (.xlsx).

    Returns the number of submissions written and the inputs that could not be read (file, reason);
    those are listed in the output too. Written atomically; an input is never overwritten. UsageProblem,
    and nothing written, when no input holds a submission.
    """
    from yjzl.batch.inputs import expand
    from yjzl.output.atomic import guard
    from yjzl.output.collect import gather, write

    cat = _catalogue(catalogue)
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files, problems = expand(items, exclude)
    guard(Path(output), [*items, *files])  # an input, named or found in a folder or a glob: refused
    collected = gather(cat, _read_each(files, cat, form, problems), problems)
    if not collected.submissions:
        from yjzl.errors import UsageProblem

        why = "；".join(f"{name}: {reason}" for name, reason in problems) or "没有输入 / no input"
        raise UsageProblem(f"没有可汇总的填报，未写出 {output} / nothing to collect, {output} not written（{why}）")
    write(Path(output), cat, collected)
    return collected.submissions, problems
