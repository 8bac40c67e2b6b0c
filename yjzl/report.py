"""The report model: what `validate` and `compute` return, and what JSON carries.

Plain dataclasses, so that the hot path does not import pydantic; pydantic can
still validate and describe them (`yjzl.schema.report_schema()` builds the JSON
Schema in docs/ from these very classes).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
Status = Literal["ok", "missing input", "undefined"]


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
        return {
            "files": len(self.files),
            "unusable": sum(1 for f in self.files if f.error),
            "errors": sum(f.errors for f in self.files),
            "warnings": sum(1 for f in self.files for x in f.findings if x.severity == "warning"),
            "open_warnings": sum(f.open_warnings for f in self.files),
            "explained_warnings": sum(1 for f in self.files for x in f.findings if x.explained),
        }

    def to_dict(self) -> dict:
        doc = asdict(self)
        doc["summary"] = self.summary()
        return doc
