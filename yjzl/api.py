"""The library API behind the commands (import as `yjzl.validate`, `yjzl.compute`)."""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from yjzl import __version__
from yjzl.catalogue.compiled import Compiled
from yjzl.errors import UnusableInput
from yjzl.report import ComputeReport, FileReport, Report

if TYPE_CHECKING:
    from yjzl.workbook.model import WorkbookData


def _catalogue(cat: Compiled | None) -> Compiled:
    if cat is not None:
        return cat
    from yjzl.catalogue.loader import load

    return load()


def iter_validate(
    paths: str | Path | Sequence[str | Path],
    catalogue: Compiled | None = None,
    form: str | None = None,
    lang: str = "zh",
    target_sets: Iterable[str] | None = None,
) -> Iterator[FileReport]:
    """Each workbook's report as soon as it is final, in input order, in bounded memory.

    paths: files, folders (searched like `compute`'s) and globs. Cross-form checks
    see the whole run as in `validate` (yjzl.rules.stream says what is held back).
    """
    from yjzl.batch.inputs import expand
    from yjzl.rules.stream import audit_stream
    from yjzl.workbook.reader import read

    cat = _catalogue(catalogue)
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)

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
    yield from audit_stream(cat, books(), lang, sets)


def validate(
    paths: str | Path | Sequence[str | Path],
    catalogue: Compiled | None = None,
    form: str | None = None,
    lang: str = "zh",
    target_sets: Iterable[str] | None = None,
) -> Report:
    """Audit one or more workbooks together (cross-form checks see all of them).

    A file that cannot be read becomes a FileReport with `error` set; the others
    are still audited.
    """
    cat = _catalogue(catalogue)
    report = Report("yjzl", __version__, cat.label, lang)
    report.files = list(iter_validate(paths, cat, form, lang, target_sets))
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
    sink: object | None = None,
) -> ComputeReport:
    """Every indicator of every submission in files, folders (recursive) or globs.

    previous: one entry per earlier period (the first is one period back), each
    a path, folder or glob or a list of them. group_by: region, folder, form,
    name, code, period, file, all, or a field id. scoring: a scoring YAML file.
    A file that cannot be read becomes a FileReport with `error` set. exclude:
    files never read (e.g. an output written inside an input folder). sink: a
    streaming writer (yjzl.batch.sinks) that gets each file's results in input
    order instead of the returned report (which then holds only the groups).
    """
    from yjzl.batch.run import compute as run

    cat = _catalogue(catalogue)
    return run(paths, cat, previous=previous, group_by=group_by, scoring_file=scoring, form=form, lang=lang,
               target_sets=target_sets, jobs=jobs, progress=progress, meta=("yjzl", __version__, cat.label),
               exclude=exclude, sink=sink)  # type: ignore[arg-type]
