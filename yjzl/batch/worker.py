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
from yjzl.report import FormFound, IndicatorResult, SheetSkipped

TEXT_KINDS = ("text", "code", "yesno")


@dataclass(slots=True)
class Submission:
    file: str
    found: FormFound
    indicators: list[IndicatorResult]
    trends: dict[str, float | None] = field(default_factory=dict)  # indicator id → its `of` value now
    texts: dict[str, str] = field(default_factory=dict)  # field id → text, for --group-by FIELD

    @property
    def key(self) -> str:
        return f"{self.file}!{self.found.sheet}"


@dataclass(slots=True)
class FileOutcome:
    file: str
    submissions: list[Submission] = field(default_factory=list)
    sheets_skipped: list[SheetSkipped] = field(default_factory=list)
    error: str | None = None


def read_file(path: Path, cat: Compiled, form: str | None, lang: str, sets: set[str] | None) -> FileOutcome:
    from yjzl.rules.engine import form_findings, form_found, summarise
    from yjzl.rules.indicators import compute, trend_values
    from yjzl.workbook.reader import read

    try:
        book = read(path, cat, form)
    except UnusableInput as exc:
        return FileOutcome(str(path), error=exc.reason)
    out = FileOutcome(str(path), sheets_skipped=[SheetSkipped(s.sheet, s.reason) for s in book.skipped])
    for data in book.forms:
        fields = cat.fields[data.form_id]
        texts = {fid: t for fid, fv in data.values.items() if fields[fid].kind in TEXT_KINDS and (t := data.text(fid))}
        # The same findings as `validate` of this workbook alone (a lead meets the members in its own file);
        # only their counts travel on, so a national batch keeps a few numbers per submission.
        audit = summarise(form_findings(cat, data, book.forms, book.forms, lang)[0])
        out.submissions.append(Submission(str(path), form_found(cat, data, audit=audit), compute(cat, data, lang, sets),
                                          trend_values(cat, data), texts))
    return out


# Worker-process state: the catalogue arrives once per process, not once per file.
_STATE: dict[str, object] = {}


def init_worker(cat: Compiled, form: str | None, lang: str, sets: set[str] | None) -> None:
    _STATE.update(cat=cat, form=form, lang=lang, sets=sets)


def read_in_worker(path: Path) -> FileOutcome:
    return read_file(path, _STATE["cat"], _STATE["form"], _STATE["lang"], _STATE["sets"])  # type: ignore[arg-type]
