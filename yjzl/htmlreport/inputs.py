"""Turn the command's arguments (workbooks, folders, JSON reports) into audited files.

All workbooks of a run are audited in one `yjzl.api.validate` call, so a lead
form meets its member forms even when they arrive in separate files or folders.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from yjzl.errors import UnusableInput
from yjzl.htmlreport.load import LoadedFile, load_json
from yjzl.report import FileReport

if TYPE_CHECKING:  # the catalogue is loaded by the caller; importing it here would slow `--help`
    from yjzl.catalogue.compiled import Compiled


@dataclasses.dataclass(slots=True)
class Inputs:
    workbooks: list[Path]
    reports: list[Path]  # JSON documents of `validate` or `compute`
    empty_dirs: list[Path] = dataclasses.field(default_factory=list)
    unseen: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # what a folder hid (yjzl.batch.inputs.scan)

    @property
    def all(self) -> list[Path]:
        return [*self.workbooks, *self.reports]


@dataclasses.dataclass(slots=True)
class Gathered:
    files: list[LoadedFile]
    catalogues: list[str]  # the catalogue labels the results were computed with

    @property
    def usable(self) -> list[LoadedFile]:
        return [f for f in self.files if not f.report.error]


EMPTY_DIR = "目录中没有 .xlsx 工作簿 / no .xlsx workbooks in this folder"


def expand(paths: Sequence[Path]) -> Inputs:
    """Folders become their workbooks (as `compute` finds them); `.json` files are reports; the rest workbooks."""
    from yjzl.batch.inputs import identity, scan

    seen: set[object] = set()
    out = Inputs([], [], [])

    def add(p: Path, bucket: list[Path]) -> None:
        key = identity(p)  # a symlink or a hard link to a file already named is the same file
        if key not in seen:  # a file named directly and again inside a folder is read once
            seen.add(key)
            bucket.append(p)

    for p in paths:
        if p.is_dir():
            found, unseen = scan(p)  # an unreadable subfolder, a dangling link: listed as unusable, not passed over
            out.unseen += unseen
            if not found:  # e.g. a city that has not submitted yet: listed as unusable, not fatal
                out.empty_dirs.append(p)
            for q in found:
                add(q, out.workbooks)
        elif p.suffix.lower() == ".json":
            add(p, out.reports)
        else:
            add(p, out.workbooks)
    return out


def gather(inputs: Inputs, catalogue: Compiled | None, form: str | None = None, lang: str = "zh",
           period: str | None = None) -> Gathered:
    """Audit the workbooks together and load the JSON reports; unusable ones stay in, with their reason."""
    files = [LoadedFile(FileReport(str(d), error=EMPTY_DIR), True) for d in inputs.empty_dirs]
    files += [LoadedFile(FileReport(name, error=why), True) for name, why in inputs.unseen]
    labels: list[str] = []
    if inputs.workbooks:
        import yjzl.api as api

        report = api.validate(inputs.workbooks, catalogue, form=form, lang=lang, period=period)
        files += [LoadedFile(f, True) for f in report.files]
        labels.append(report.catalogue)
    for p in inputs.reports:
        try:
            report, loaded = load_json(p)
        except UnusableInput as exc:
            files.append(LoadedFile(FileReport(str(p), error=exc.reason), True))
            continue
        files += loaded
        if report.catalogue and report.catalogue not in labels:
            labels.append(report.catalogue)
    return Gathered(files, labels)
