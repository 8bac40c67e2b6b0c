"""The catalogue's file format: the contract of `indicators.yaml` and of overlays.

The entries are plain frozen dataclasses so that the hot path (a warm
`yjzl validate`) can unpickle a compiled catalogue without importing pydantic,
which alone costs about 0.1 s here. On the slow path (`catalogue check`, a cache
miss) pydantic validates the YAML into these same classes through a TypeAdapter
(`loader.py`), which rejects unknown keys and wrong types with the path to the
entry. Constraints that need the whole catalogue (references, units, cycles)
live in `soundness.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Id = str
Severity = Literal["logic", "plausibility"]
FieldKind = Literal[
    "count",  # whole number ≥ 0 (人, 个, 人次, 例 …)
    "amount",  # money, decimal ≥ 0 (元)
    "decimal",  # any other measured number (days, hours, index, 1/10万 …)
    "percent",  # a number in % (85 means 85 %)
    "permille",  # a number in ‰
    "yesno",  # 是 / 否
    "text",  # free text (names, types)
    "code",  # identifiers (组织机构代码)
]
RuleKind = Literal["le", "eq", "range", "recompute"]
Op = Literal[">=", ">", "<=", "<", "=="]
Level = Literal["province", "city", "consortium", "member"]

_STRICT = {"extra": "forbid"}
entry = dataclass(frozen=True, slots=True)


def _list() -> list:  # a fresh empty list per instance
    return field(default_factory=list)


def _dict() -> dict:
    return field(default_factory=dict)


@entry
class Text:
    """A message in Chinese with an optional English twin."""

    __pydantic_config__ = _STRICT
    zh: str
    en: str | None = None


@entry
class Source:
    __pydantic_config__ = _STRICT
    id: Id
    title: str
    file: str | None = None


@entry
class PeriodDecl:
    """The evaluation's default statistics period (统计周期); a form's 统计年度 or `--period` overrides it."""

    __pydantic_config__ = _STRICT
    start: date
    end: date
    source: str
    note: str | None = None


@entry
class Meta:
    __pydantic_config__ = _STRICT
    id: Id
    version: str
    name: str
    name_en: str | None = None
    period: PeriodDecl | None = None  # None: a bare calendar year, as a form's 统计年度 says


@entry
class Section:
    __pydantic_config__ = _STRICT
    id: Id
    label: str
    label_en: str | None = None
    parent: Id | None = None
    note: str | None = None  # why a printed line is a heading rather than a field


@entry
class FieldDef:
    __pydantic_config__ = _STRICT
    id: Id
    label: str
    kind: FieldKind
    section: Id
    source: str
    label_en: str | None = None
    # Text exactly as printed, where it differs from `label` by more than the
    # standard decorations (item number, 其中：, （选填）, （中医医院填写）, ：).
    printed: str | None = None
    aliases: list[str] = _list()
    number: str | None = None
    unit: str | None = None
    part_of: Id | None = None  # the parent of a 其中 item
    optional: bool = False  # （选填）
    condition: Literal["tcm_hospital"] | None = None  # （中医医院填写）
    duplicate_of: Id | None = None  # a second printing of the same field
    role: Literal["name", "code", "region", "period", "filled_on"] | None = None  # basic information; filled_on: 填报日期
    supplement: bool = False  # not printed in the documents: added by yjzl (region, period), always optional
    definition: str | None = None
    note: str | None = None
    # Set by the loader, never written in YAML: the overlay that added the field (its short name,
    # shown in templates) and the reason an overlay hid a national field from its templates.
    origin: str | None = None
    hidden: str | None = None


@entry
class FieldAddition(FieldDef):
    """An overlay's new field: a FieldDef plus where it goes (`form`, after the field `after`, or at
    the end of its `section`). Defaults only because a dataclass cannot put required keys after
    optional ones; an empty `form` is reported by `catalogue check`."""

    __pydantic_config__ = _STRICT
    form: Id = ""
    after: Id | None = None


@entry
class SectionAddition(Section):
    """An overlay's new section heading in an existing form (appended to its sections)."""

    __pydantic_config__ = _STRICT
    form: Id = ""


@entry
class FieldHiding:
    """An overlay hides a national field from its templates (it cannot remove or rename one)."""

    __pydantic_config__ = _STRICT
    form: Id
    field: Id
    reason: str


@entry
class PeerGroup:
    """One level of hospital: a submission whose level text starts with one of `match` is in it."""

    __pydantic_config__ = _STRICT
    label: str
    match: list[str]
    label_en: str | None = None


@entry
class Peers:
    """Who a hospital is compared with where no target or direction judges a result: the same form, the same level."""

    __pydantic_config__ = _STRICT
    by: Id  # the text field that gives the level (医院级别)
    groups: list[PeerGroup]
    source: str
    note: str | None = None


@entry
class FormDef:
    __pydantic_config__ = _STRICT
    id: Id
    code: str
    title: str
    filled_by: str
    level: Level
    source: str
    sections: list[Section]
    fields: list[FieldDef]
    title_en: str | None = None
    code_en: str | None = None  # the code in English output (Form 3 (member unit))
    filled_by_en: str | None = None  # who fills it, in English output
    member_of: Id | None = None
    sheet_names: list[str] = _list()
    origin: str | None = None  # set by the loader: the overlay that added the form
    peers: Peers | None = None  # a hospital's form: each result is placed among its peers (yjzl/batch/verdicts.py)


@entry
class Plausible:
    """The range a correct value of an indicator lies in (a warning outside it), and its anchor in real figures."""

    __pydantic_config__ = _STRICT
    note: str  # the anchor, e.g. the national 2019 value and why the bounds
    min: float | None = None
    max: float | None = None


@entry
class Direction:
    __pydantic_config__ = _STRICT
    better: Literal["higher", "lower"]
    source: str
    note: str | None = None


@entry
class IndicatorDef:
    __pydantic_config__ = _STRICT
    id: Id
    name: str
    forms: list[Id]
    unit: str
    source: str
    name_en: str | None = None
    # ratio: numerator ÷ denominator × factor; growth: (of now − of then) ÷ of then × 100;
    # change: of now − of then, in the unit of `of` (a trend: days, 元, percentage points).
    kind: Literal["ratio", "growth", "change"] = "ratio"
    numerator: str | None = None
    denominator: str | None = None
    factor: float = 100
    complement: bool = False  # value = factor × (1 − numerator/denominator)
    of: str | None = None  # growth, change: the expression whose change over time is meant
    lag: int = 1  # growth, change: how many periods back "then" is, each the same span a year earlier (2: three years)
    decimals: int = 2
    # ratio: the plausible range of the value; compiled into a range check (plausibility) on the
    # indicator's own formula, so an absurd input is flagged at its cells.
    plausible: Plausible | None = None
    # %-ratio: the numerator counts a part of what the denominator counts (a share), so a logic
    # check numerator ≤ denominator must back it (YC011). False, with a `note:`, for a % that is not a share.
    subset: bool = True
    # a trend whose documents set a direction, not a number (缩短平均住院日, 下转人次增长): judged against
    # the earlier period, better when it moves that way (yjzl/batch/verdicts.py)
    direction: Direction | None = None
    definition: str | None = None
    note: str | None = None


@entry
class Tolerance:
    __pydantic_config__ = _STRICT
    abs: float | None = None
    rel: float | None = None


@entry
class CheckDef:
    __pydantic_config__ = _STRICT
    id: Id
    rule: RuleKind
    forms: list[Id]
    severity: Severity
    source: str
    # le: terms[0] ≤ terms[1] ≤ …; eq: all terms equal (within tolerance).
    terms: list[str] = _list()
    # range: min ≤ expr ≤ max; recompute: expr ≈ formula (within tolerance).
    expr: str | None = None
    formula: str | None = None
    min: float | None = None
    max: float | None = None
    tolerance: Tolerance | None = None
    across: Id | None = None  # cross-form: the member form aggregated by sum()/count()
    when: str | None = None  # evaluate only when this condition holds
    message: Text | None = None
    note: str | None = None


@entry
class TargetSet:
    __pydantic_config__ = _STRICT
    id: Id
    name: str
    source: str
    name_en: str | None = None
    short: str | None = None  # the name tables use (国家标准); `name` is the document's
    short_en: str | None = None


@entry
class TargetDef:
    __pydantic_config__ = _STRICT
    indicator: Id
    set: Id
    op: Op
    value: float
    source: str
    label: str | None = None  # the wording of the document, e.g. "≥95%"
    by: int | None = None  # the year the target is due (到2017年 → 2017); a period before it is 未到期, not 未达标
    # An approximation ("90%左右", "基本覆盖全部") read as a tolerance: the target counts as met this far
    # on the lenient side (≥ 90 with 1 → ≥ 89; == 100 with 5 → ≥ 95). The note says why the width.
    tolerance: float | None = None
    note: str | None = None


@entry
class QualitativeTarget:
    """A local aim the document states only in words (力争, 逐步, a milestone with no measure)."""

    __pydantic_config__ = _STRICT
    set: Id
    label: str
    source: str
    by: int | None = None
    # the indicator the aim is about, when one comes close: shown with it, never judged by it
    indicator: Id | None = None
    note: str | None = None


@entry
class FrameworkItem:
    __pydantic_config__ = _STRICT
    id: Id
    level1: str
    level2: str
    name: str
    qualitative: bool = False
    indicators: list[Id] = _list()
    note: str | None = None


@entry
class Framework:
    __pydantic_config__ = _STRICT
    id: Id
    name: str
    audience: Literal["administration", "consortium"]
    source: str
    items: list[FrameworkItem]
    name_en: str | None = None


@entry
class Catalogue:
    __pydantic_config__ = _STRICT
    catalogue: Meta
    sources: list[Source] = _list()
    messages: dict[str, Text] = _dict()
    units: dict[str, str] = _dict()  # each unit's English (人/万人 → per 10 000 residents)
    target_sets: list[TargetSet] = _list()
    forms: list[FormDef] = _list()
    indicators: list[IndicatorDef] = _list()
    checks: list[CheckDef] = _list()
    targets: list[TargetDef] = _list()
    frameworks: list[Framework] = _list()
    qualitative_targets: list[QualitativeTarget] = _list()


@entry
class OverlayMeta:
    __pydantic_config__ = _STRICT
    id: Id
    name: str
    extends: Id = "national"
    short: str | None = None  # the region as templates mark its fields: 北京 → "（北京增补）"
    name_en: str | None = None


@entry
class Overlay:
    """A province's additions and changes to the national catalogue."""

    __pydantic_config__ = _STRICT
    overlay: OverlayMeta
    sources: list[Source] = _list()
    target_sets: list[TargetSet] = _list()
    forms: list[FormDef] = _list()  # whole new forms
    sections: list[SectionAddition] = _list()  # new headings in existing forms
    fields: list[FieldAddition] = _list()  # new fields in existing forms
    hide: list[FieldHiding] = _list()  # national fields left out of this overlay's templates
    indicators: list[IndicatorDef] = _list()
    checks: list[CheckDef] = _list()
    targets: list[TargetDef] = _list()  # added, or replacing the same (indicator, set)
    qualitative_targets: list[QualitativeTarget] = _list()
    disable: list[Id] = _list()  # check ids switched off
    severity: dict[Id, Severity] = _dict()  # check id → new severity
