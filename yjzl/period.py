"""The statistics period (统计周期) of a submission, and the quantities it gives the expressions.

The evaluation reports a half-year (S004 第一部分（三）: 2019-01-01 to 2019-06-30) and may
also be yearly (S002: 可按照半年和年度进行). The catalogue declares the default period
(`catalogue.period`); a form's 统计年度 field overrides it, and `--period` overrides both.
Whichever it comes from, a period is a period: the same words read the same everywhere (a bare
year, 2019 or 2019年, is the calendar year, on a form as in `--period`), and a target is due
when the period ends on or after its due date (`Period.is_due`).

A catalogue expression may read the period through the names of QUANTITIES
(`period_days`, `period_working_days`), like any field: `outpatient_emergency_visits /
period_working_days`. Working days come from China's official calendar with its 调休
days (the `chinesecalendar` package, imported only when a working-day count is needed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from yjzl.errors import UsageProblem


class PeriodError(UsageProblem):
    """A period that cannot be read, or whose working days the official calendar does not know (exit 2)."""


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    origin: str = "catalogue"  # "option" (--period) | "form" (统计年度) | "catalogue" (the default)

    @property
    def text(self) -> str:
        """The canonical form, as `--period` accepts it: 2019-01-01:2019-06-30."""
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def working_days(self) -> int:
        return working_days(self.start, self.end)

    @property
    def span(self) -> str | None:
        """"H1", "H2" or "Y" for a calendar half-year or year; None for any other span."""
        y = self.start.year
        if self.start == date(y, 1, 1) and self.end == date(y, 6, 30):
            return "H1"
        if self.start == date(y, 7, 1) and self.end == date(y, 12, 31):
            return "H2"
        if self.start == date(y, 1, 1) and self.end == date(y, 12, 31):
            return "Y"
        return None

    def label(self, lang: str = "zh") -> str:
        """2019年上半年 / 2019 H1; an arbitrary span as its dates."""
        y, span = self.start.year, self.span
        if lang == "zh":
            names = {"H1": f"{y}年上半年", "H2": f"{y}年下半年", "Y": f"{y}年全年"}
            return names.get(span or "", f"{self.start.isoformat()}至{self.end.isoformat()}")
        names = {"H1": f"{y} H1", "H2": f"{y} H2", "Y": f"{y} (full year)"}
        return names.get(span or "", f"{self.start.isoformat()} to {self.end.isoformat()}")

    def is_due(self, by: int) -> bool:
        """A target due by the end of year `by` is due from the period that contains its 12-31 (or ends later):
        2019 H1 is before a 2019 target, the year 2019 is not."""
        return self.end >= due_date(by)

    def in_year(self, year: int, origin: str | None = None) -> Period:
        """The same span in another year (an earlier period to pair with: 2019 H1 → 2018 H1)."""
        return Period(_replace_year(self.start, year), _replace_year(self.end, year + self.end.year - self.start.year),
                      origin or self.origin)


def due_date(by: int) -> date:
    """The date a target with due year `by` is due: the documents say 到2017年 / 2017年底, the year's end."""
    return date(by, 12, 31)


def bare_year(text: str) -> bool:
    """2019, 2019年: a year with no span, which `parse` reads as the whole calendar year."""
    return re.fullmatch(r"\s*(19|20)\d\d\s*年?\s*", str(text)) is not None


def _replace_year(d: date, year: int) -> date:
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February into a common year
        return d.replace(year=year, day=28)


def _years(start: date, end: date) -> str:
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


@lru_cache(maxsize=64)
def working_days(start: date, end: date) -> int:
    """Working days from the official calendar (weekends off, holidays off, 调休 Saturdays/Sundays on)."""
    import chinese_calendar  # only here: a run without a working-day expression never loads it

    try:
        return len(chinese_calendar.get_workdays(start, end))
    except NotImplementedError as exc:  # the package knows the years its releases have published
        raise PeriodError(
            f"官方节假日日历（chinesecalendar）不含 {_years(start, end)} 年的数据，无法计算工作日天数；"
            f"请升级 chinesecalendar 或用 --period 指定其已知的年份 / the official holiday calendar "
            f"(chinesecalendar) has no data for {_years(start, end)}: cannot count working days; upgrade it ({exc})"
        ) from exc


# The period's quantities an expression may read by name, with their labels for messages.
QUANTITIES: dict[str, tuple[Callable[[Period], int], str, str]] = {
    "period_days": (lambda p: p.days, "统计周期天数", "days in the period"),
    "period_working_days": (lambda p: p.working_days, "统计周期工作日天数", "working days in the period"),
}


def quantity_label(name: str, period: Period | None, lang: str = "zh") -> str:
    """`统计周期工作日天数（2019年上半年：122）` — the label names the period and its value when known."""
    _, zh, en = QUANTITIES[name]
    base = zh if lang == "zh" else en
    if period is None:
        return base
    try:
        value = QUANTITIES[name][0](period)
    except PeriodError:
        return f"{base}（{period.label(lang)}）" if lang == "zh" else f"{base} ({period.label(lang)})"
    return f"{base}（{period.label(lang)}：{value}）" if lang == "zh" else f"{base} ({period.label(lang)}: {value})"


def reads_period(names: Collection[str]) -> bool:
    return any(n in QUANTITIES for n in names)


def getter(numbers: Mapping[str, Any] | Iterable[tuple[str, Any]], period: Period | None) -> Callable[[str], Any]:
    """A form's numbers by field id (FormData.numbers) read as fields, the period's quantities with them:
    MISSING for a field without a number, and for a quantity when there is no period.

    A field is read by the dict's own lookup, in C: a batch reads ~100 fields per submission.
    A quantity is worked out only when an expression reads it (an unknown year's working days raise).
    """
    values = _Fields(numbers)
    values.period = period
    return values.__getitem__


class _Fields(dict):
    __slots__ = ("period",)

    def __missing__(self, fid: str) -> Any:
        from yjzl.catalogue.expr import MISSING

        q = QUANTITIES.get(fid)
        return float(q[0](self.period)) if q is not None and self.period is not None else MISSING


_SEP = r"\s*(?::|：|至|到|~|～|—|–|－|-|--)\s*"
_DATE = r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?"
_FULL = ("全年", "年度", "度", "1-12月", "1—12月", "1至12月", "1月-12月", "1月至12月")
_H1 = ("上半年", "h1", "1-6月", "1—6月", "1至6月", "1月-6月", "1月至6月")
# What marks a stated period as ending on 06-30 (a first half-year), as a spreadsheet formula can search for it:
# the template's live 达标 column (yjzl/template/live.py) reads a target's due state with the same rule as `is_due`.
ENDS_MIDYEAR = (*_H1, "-06-30", "6月30日", "/6/30")
_H2 = ("下半年", "h2", "7-12月", "7—12月", "7至12月", "7月-12月", "7月至12月")


@lru_cache(maxsize=512)  # a batch reads the same few texts thousands of times (trends, table rows)
def parse(text: str, origin: str = "option") -> Period:
    """Read a period: 2019H1, 2019H2, 2019, 2019-01-01:2019-06-30, 2019年上半年, 2019年1月1日至2019年6月30日 ….

    A bare year (2019, 2019年) is the calendar year wherever it is written: `--period 2019` and a
    form's 统计年度 “2019” are one reading (统计年度 names a year; the catalogue's note says why, and
    the output says how a bare year was read). Raises PeriodError for anything else.
    """
    raw = str(text).strip()
    folded = re.sub(r"\s+", "", raw).lower().replace("－", "-").replace("~", "-").replace("～", "-")
    m = re.fullmatch(_DATE + _SEP + _DATE, raw)
    if m:
        y1, m1, d1, y2, m2, d2 = (int(g) for g in m.groups())
        try:
            start, end = date(y1, m1, d1), date(y2, m2, d2)
        except ValueError as exc:
            raise PeriodError(f"统计周期中的日期无效 / an invalid date in the period {raw!r}: {exc}") from exc
        if end < start:
            raise PeriodError(f"统计周期的结束早于开始 / the period {raw!r} ends before it starts")
        return Period(start, end, origin)
    ym = re.match(r"(19\d\d|20\d\d)\s*年?[-_]?", folded)
    if not ym:
        raise PeriodError(
            f"无法识别统计周期 {raw!r}；可写 2019H1、2019H2、2019 或 2019-01-01:2019-06-30 / "
            f"cannot read the period {raw!r}: write 2019H1, 2019H2, 2019 or 2019-01-01:2019-06-30")
    year, rest = int(ym.group(1)), folded[ym.end():]
    if rest in _H1:
        return Period(date(year, 1, 1), date(year, 6, 30), origin)
    if rest in _H2:
        return Period(date(year, 7, 1), date(year, 12, 31), origin)
    if rest in _FULL or rest == "":
        return Period(date(year, 1, 1), date(year, 12, 31), origin)
    raise PeriodError(
        f"无法识别统计周期 {raw!r}；可写 2019H1、2019H2、2019 或 2019-01-01:2019-06-30 / "
        f"cannot read the period {raw!r}: write 2019H1, 2019H2, 2019 or 2019-01-01:2019-06-30")
