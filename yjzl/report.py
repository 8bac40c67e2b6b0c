"""The report model: what `validate` and `compute` return, and what JSON carries.

Plain dataclasses, so that the hot path does not import pydantic; pydantic can
still validate and describe them (`yjzl.schema.report_schema()` builds the JSON
Schema in docs/ from these very classes).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
# An indicator's status; "denominator zero" means undefined (never shown as 0).
Status = Literal["ok", "missing input", "denominator zero"]


@dataclass(slots=True)
class Finding:
    severity: Severity
    code: str  # YJ001 … (yjzl/rules/registry.py)
    check: str  # the catalogue check id, or the name of an input kind
    message: str
    cells: list[str]  # "表1!C5"
    form: str  # form id
    explained: bool = False  # a warning with a 说明 in an involved row
    explanation: str | None = None


@dataclass(slots=True)
class Skipped:
    check: str
    form: str
    reason: Literal["missing input", "undefined"]
    fields: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TargetResult:
    set: str
    op: str
    value: float
    met: bool | None  # None: the indicator has no value


@dataclass(slots=True)
class IndicatorResult:
    id: str
    name: str
    form: str
    value: float | None  # in the indicator's unit: 52.17 means 52.17 %
    unit: str
    status: Status
    numerator: float | None = None
    denominator: float | None = None
    targets: list[TargetResult] = field(default_factory=list)
    reason: str | None = None  # why there is no value, in words (missing fields, no previous period)
    sheet: str | None = None  # the sheet of the submission (a workbook may hold several of one form)


@dataclass(slots=True)
class FormFound:
    form: str  # form id, e.g. "T3M"
    code: str  # 表3（成员单位）
    sheet: str
    identified_by: str
    layout: str
    name: str | None = None  # the submitter, from the basic information
    org_code: str | None = None
    region: str | None = None
    period: str | None = None  # 统计年度, when filled


@dataclass(slots=True)
class SheetSkipped:
    sheet: str
    reason: str


@dataclass(slots=True)
class FileReport:
    file: str
    forms: list[FormFound] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    indicators: list[IndicatorResult] = field(default_factory=list)
    sheets_skipped: list[SheetSkipped] = field(default_factory=list)
    error: str | None = None  # the file could not be used at all

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def open_warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning" and not f.explained)


@dataclass(slots=True)
class Report:
    tool: str
    version: str
    catalogue: str  # catalogue id and version, with overlays
    lang: str
    files: list[FileReport] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        tally = AuditTally()
        for f in self.files:
            tally.add(f)
        return tally.as_dict()

    def to_dict(self) -> dict:
        doc = asdict(self)
        doc["summary"] = self.summary()
        return doc


@dataclass(slots=True)
class AuditTally:
    """The counts of a validate run's summary, kept as each file goes by (a streamed run keeps no files)."""

    files: int = 0
    unusable: int = 0
    errors: int = 0
    warnings: int = 0
    open_warnings: int = 0
    explained_warnings: int = 0

    def add(self, f: FileReport) -> None:
        self.files += 1
        self.unusable += f.error is not None
        self.errors += f.errors
        self.warnings += sum(1 for x in f.findings if x.severity == "warning")
        self.open_warnings += f.open_warnings
        self.explained_warnings += sum(1 for x in f.findings if x.explained)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(slots=True)
class LeftOut:
    submission: str  # "file!sheet"
    reason: str


@dataclass(slots=True)
class GroupResult:
    """One indicator over a group of submissions: the sum of numerators over the sum of denominators."""

    group: str  # the group's key value, e.g. the region "广州市"
    by: str  # what was grouped by: region, folder, form, name, code, file, or a field id
    form: str  # the form's code, e.g. 表3: a group never mixes forms
    indicator: IndicatorResult
    contributing: list[str] = field(default_factory=list)  # "file!sheet"
    left_out: list[LeftOut] = field(default_factory=list)


@dataclass(slots=True)
class ScoreItem:
    indicator: str
    name: str
    weight: float
    value: float | None
    points: float  # weight × the band's share; 0 when the indicator has no value
    band: str | None = None  # the band that applied, e.g. "≥ 90"


@dataclass(slots=True)
class ScoreResult:
    file: str
    sheet: str
    form: str
    name: str | None
    scheme: str
    total: float
    maximum: float
    items: list[ScoreItem] = field(default_factory=list)


@dataclass(slots=True)
class ComputeReport:
    """What `compute` returns: every submission's indicators, the groups and scores asked for."""

    tool: str
    version: str
    catalogue: str
    lang: str
    files: list[FileReport] = field(default_factory=list)
    groups: list[GroupResult] = field(default_factory=list)
    scores: list[ScoreResult] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)  # the previous-period inputs

    def summary(self) -> dict[str, int]:
        tally = Tally()
        for f in self.files:
            tally.add(f)
        return tally.as_dict()

    def to_dict(self) -> dict:
        doc = asdict(self)
        doc["summary"] = self.summary()
        return doc


@dataclass(slots=True)
class Tally:
    """The counts of a compute run's summary, kept as each file goes by (a streamed run keeps no files)."""

    files: int = 0
    unusable: int = 0
    submissions: int = 0
    indicators: int = 0
    ok: int = 0
    missing_input: int = 0
    denominator_zero: int = 0

    def add(self, f: FileReport) -> None:
        self.files += 1
        self.unusable += f.error is not None
        self.submissions += len(f.forms)
        self.indicators += len(f.indicators)
        for i in f.indicators:
            if i.status == "ok":
                self.ok += 1
            elif i.status == "missing input":
                self.missing_input += 1
            elif i.status == "denominator zero":
                self.denominator_zero += 1

    def as_dict(self) -> dict[str, int]:
        return asdict(self)
