"""Turn audited files into what the page shows: submissions, one series per targeted indicator, counts.

A submission is one form found in a file (a consortium workbook holds the lead
and its members). A FileReport lists its indicators and findings per file, so
they are dealt back to the forms here: indicators in form order (each form's
list is one run of distinct ids), findings by the sheet their cells name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from yjzl.htmlreport.load import LoadedFile
from yjzl.htmlreport.trends import uncomputed_trends
from yjzl.report import (
    Duplicate,
    FileReport,
    Finding,
    FormFound,
    IndicatorResult,
    RosterResult,
    RosterUnit,
    TargetResult,
)
from yjzl.tidy import sheet_of, split_findings, split_indicators  # noqa: F401 - sheet_of: the page's, too


@dataclasses.dataclass(slots=True)
class Submission:
    key: str  # HTML anchor
    label: str
    file: str
    form: FormFound
    audited: bool
    indicators: list[IndicatorResult] = dataclasses.field(default_factory=list)
    findings: list[Finding] = dataclasses.field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def open_warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning" and not f.explained]

    @property
    def explained(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning" and f.explained]

    @property
    def passes(self) -> bool | None:
        """No error-level finding; from the counts of a `compute` document; None when the input carried no audit."""
        if self.audited:
            return not self.errors
        return self.form.audit.passed if self.form.audit is not None else None

    def failing_reason(self, lang: str) -> str | None:
        from yjzl.batch.progress import failing_reason

        if self.passes is not False:
            return None
        a = self.form.audit
        first = self.errors[0] if self.errors else None
        text = f"{first.cells[0]} {first.message}" if first and first.cells else (first.message if first else None)
        return failing_reason(len(self.errors) or (a.errors if a else 0), text or (a.first_error if a else None), lang)


@dataclasses.dataclass(slots=True)
class Point:
    submission: Submission
    result: IndicatorResult
    target: TargetResult


@dataclasses.dataclass(slots=True)
class Series:
    """One indicator of one form against one target set, across every submission that has it."""

    key: str
    id: str
    name: str
    form: str  # form id
    form_code: str
    unit: str
    target: TargetResult  # the line drawn: the first submission's target of the chosen set
    points: list[Point] = dataclasses.field(default_factory=list)

    @property
    def with_values(self) -> list[Point]:
        """Best first: descending for an at-least target, ascending for an at-most one."""
        pts = [p for p in self.points if p.result.value is not None]
        return sorted(pts, key=lambda p: p.result.value or 0.0, reverse=not self.target.op.startswith("<"))

    @property
    def without_values(self) -> list[Point]:
        return [p for p in self.points if p.result.value is None]

    @property
    def met(self) -> int:
        return sum(1 for p in self.points if p.target.met is True)

    @property
    def missed(self) -> int:
        return sum(1 for p in self.points if p.target.met is False)

    @property
    def no_value(self) -> int:
        return sum(1 for p in self.points if p.target.met is None)


@dataclasses.dataclass(slots=True)
class View:
    lang: str
    target_set: str
    target_set_name: str
    submissions: list[Submission]
    series: list[Series]
    unusable: list[tuple[str, str]]  # (file, reason)
    catalogues: list[str]
    files: int  # input files, usable or not
    only_passing: bool = False  # failing submissions are out of the charts and target counts
    left_out: list[tuple[Submission, str]] = dataclasses.field(default_factory=list)  # out of the totals, and why
    roster: RosterResult | None = None
    duplicates: list[Duplicate] = dataclasses.field(default_factory=list)  # without a roster: suspected, still counted
    # Growth and change indicators no submission could compute because the run had no earlier period: said in one
    # line ((form, id) → (name, form code, periods back)), not as a missing value in every submission's table.
    trends: dict[tuple[str, str], tuple[str, str, int]] = dataclasses.field(default_factory=dict)
    # the target set's aims stated in words: (wording, year due, the indicator it is about), named without a verdict
    qualitative: list[tuple[str, int | None, str | None]] = dataclasses.field(default_factory=list)

    def uncomputed(self, r: IndicatorResult) -> bool:
        """A result that is one of the run's uncomputed trends (left out of per-submission lists)."""
        return (r.form, r.id) in self.trends

    @property
    def failing_included(self) -> int:
        out = {id(s) for s, _ in self.left_out}
        return sum(1 for s in self.submissions if s.passes is False and id(s) not in out)

    @property
    def charted(self) -> list[Series]:
        return [s for s in self.series if s.with_values]

    @property
    def reported(self) -> int | None:
        """Roster units with something received (None without a roster)."""
        return None if self.roster is None else sum(1 for p in self.roster.units if p.submissions)

    @property
    def counts(self) -> dict[str, int]:
        subs = self.submissions
        return {
            "submissions": len(subs),
            "files": self.files,
            "unusable": len(self.unusable),
            "pass": sum(1 for s in subs if s.passes is True),
            "fail": sum(1 for s in subs if s.passes is False),
            "not_audited": sum(1 for s in subs if s.passes is None),
            "errors": sum(len(s.errors) for s in subs),
            "open_warnings": sum(len(s.open_warnings) for s in subs),
            "explained_warnings": sum(len(s.explained) for s in subs),
            # how the values were judged (yjzl/rules/verdicts.py): target, direction of the change, place among peers
            **{f"judged_{k}": sum(1 for s in subs for r in s.indicators if r.verdict and r.verdict.kind == k)
               for k in ("target", "direction", "peers")},
        }


def form_code(form: FormFound, lang: str) -> str:
    """The form as this language names it: 表3 / Form 3 (a report read from JSON without code_en: 表3)."""
    return (form.code_en or form.code) if lang == "en" else form.code


def _label(form: FormFound, file: str, lang: str) -> str:
    return form.name or form.region or f"{Path(file).stem} · {form_code(form, lang)}"


def _disambiguate(subs: list[Submission]) -> None:
    """Labels must tell bars apart: a repeated name gets its file's name, its folder (各市/广州/表1.xlsx), its sheet, its path."""
    for extra in (lambda s: Path(s.file).stem, lambda s: Path(s.file).parent.name, lambda s: s.form.sheet, lambda s: s.file):
        counts: dict[str, int] = {}
        for s in subs:
            counts[s.label] = counts.get(s.label, 0) + 1
        for s in subs:
            if counts[s.label] > 1 and extra(s) and extra(s) not in s.label:
                s.label = f"{s.label}（{extra(s)}）"


def submissions_of(files: Sequence[LoadedFile], lang: str = "zh") -> list[Submission]:
    subs: list[Submission] = []
    for lf in files:
        rep: FileReport = lf.report
        if rep.error:
            continue
        inds = split_indicators(rep.forms, rep.indicators)
        finds = split_findings(rep.forms, rep.findings)
        for form, i, f in zip(rep.forms, inds, finds):
            subs.append(Submission(f"s{len(subs) + 1}", _label(form, rep.file, lang), rep.file, form, lf.audited, i, f))
    _disambiguate(subs)
    return subs


def target_in(result: IndicatorResult, target_set: str) -> TargetResult | None:
    return next((t for t in result.targets if t.set == target_set), None)


def series_of(subs: Sequence[Submission], target_set: str, lang: str = "zh") -> list[Series]:
    """One series per (form, indicator) with a target in the set, in the order first met."""
    by_key: dict[tuple[str, str], Series] = {}
    for s in subs:
        for r in s.indicators:
            t = target_in(r, target_set)
            if t is None:
                continue
            key = (r.form, r.id)  # a lead's and a member's indicator count different populations
            if key not in by_key:
                by_key[key] = Series(f"i{len(by_key) + 1}", r.id, r.name, r.form, form_code(s.form, lang), r.unit, t)
            by_key[key].points.append(Point(s, r, t))
    return list(by_key.values())


def unusable_of(files: Sequence[LoadedFile]) -> list[tuple[str, str]]:
    out = []
    for lf in files:
        rep = lf.report
        if rep.error:
            out.append((rep.file, rep.error))
        elif not rep.forms:
            reasons = "；".join(f"{s.sheet}: {s.reason}" for s in rep.sheets_skipped)
            out.append((rep.file, reasons or "未找到表单 / no form found"))
    return out


def _open(s: Submission) -> int | None:
    if s.audited:
        return len(s.open_warnings)
    return s.form.audit.warnings_open if s.form.audit is not None else None


def build(files: Sequence[LoadedFile], target_set: str = "national", lang: str = "zh",
          set_names: dict[str, str] | None = None, catalogues: Sequence[str] = (), *, only_passing: bool = False,
          roster: tuple[str, Sequence[RosterUnit]] | None = None, member_forms: frozenset[str] = frozenset(),
          regional: frozenset[str] | None = frozenset()) -> View:
    """roster: (its file, its units); member_forms: the codes of member forms (they arrive with their lead);
    regional: the forms whose region is their submitter (yjzl.batch.duplicates.regional_forms), None: no
    suspected duplicates looked for (a split report's part: its index lists them)."""
    from yjzl.batch.progress import Identity

    subs = submissions_of(files, lang)
    result, set_aside, duplicates = None, {}, []

    def identity(s: Submission) -> Identity:
        return Identity(s.key, s.file, s.form.code, s.form.code in member_forms, s.form.name, s.form.org_code,
                        s.form.region, s.form.period, s.passes, _open(s), s.label, s.form.statistics_period,
                        filled_on=getattr(s.form, "filled_on", None))

    if roster is not None:
        from yjzl.batch.progress import match

        result, set_aside = match(roster[1], map(identity, subs), roster[0], lang)
    elif regional is not None:  # said, not set aside, as in compute (yjzl.batch.duplicates)
        from yjzl.batch.duplicates import suspected

        duplicates = suspected(subs, identity, lang, regional)
    trends = uncomputed_trends((r, form_code(s.form, lang)) for s in subs for r in s.indicators)
    left = [(s, why) for s in subs if (why := set_aside.get(s.key) or (s.failing_reason(lang) if only_passing else None))]
    out = {id(s) for s, _ in left}
    counted = [s for s in subs if id(s) not in out]
    series = [x for x in series_of(counted, target_set, lang) if (x.form, x.id) not in trends]
    return View(lang, target_set, (set_names or {}).get(target_set, target_set), subs, series,
                unusable_of(files), list(catalogues), len(files), only_passing, left, result, duplicates, trends)


def target_sets_in(files: Sequence[LoadedFile]) -> set[str]:
    return {t.set for lf in files for r in lf.report.indicators for t in r.targets}
