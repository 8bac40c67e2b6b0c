"""A group's indicator is the sum of its numerators over the sum of its denominators.

Never the mean of the rates: a county of 10 000 people and one of 1 000 000
do not weigh the same. Submissions whose numerator or denominator is missing
are left out, by name and with the reason; a zero denominator still counts
(it adds its numerator and 0). `exclude` may leave out more (a submission that
fails the logic checks under --only-passing, a duplicate the roster set
aside), each with its reason; a group counts the failing submissions it still
includes, so a total never hides them. Changes (kind `change`) are differences of
averages and cannot be summed: they are not grouped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from yjzl.batch.worker import Submission
from yjzl.catalogue.compiled import Compiled
from yjzl.period import parse
from yjzl.report import GroupResult, LeftOut
from yjzl.rules.indicators import result

BUILTIN = {
    "region": lambda s: s.found.region,
    "folder": lambda s: Path(s.file).parent.name or ".",
    "form": lambda s: s.found.code,
    "name": lambda s: s.found.name,
    "code": lambda s: s.found.org_code,
    # the statistics period used (2019年上半年 however the form wrote it), not the raw 统计年度 text
    "period": lambda s: parse(s.found.statistics_period).label() if s.found.statistics_period else s.found.period,
    "file": lambda s: Path(s.file).name,
    # the administrative hierarchy (yjzl.batch.divisions): by the code's division, else the region text's
    "province": lambda s: _division(s, "province"),
    "city": lambda s: _division(s, "city"),
    "county": lambda s: _division(s, "county"),
}
REGION_LEVELS = ("province", "city", "county")


def _division(s: Submission, level: str) -> str | None:
    from yjzl.batch.divisions import name, place

    return name(place(s.found.org_code, s.found.region).code, level)


def key_function(cat: Compiled, by: str, lang: str = "zh") -> Callable[[Submission], str | None]:
    """What --group-by names: a built-in key, `all`, or the id of a text field of the forms. `region` groups by the
    text as written; `province`, `city` and `county` place each submission in the hierarchy (by its code's
    division, else its region text's) and roll up: a unit counts once, at every level, in the division holding it."""
    if by == "all":
        everyone = "全部" if lang == "zh" else "all"
        return lambda s: everyone
    if by in BUILTIN:
        return BUILTIN[by]
    if any(by in fields for fields in cat.fields.values()):
        return lambda s: s.texts.get(by)
    from yjzl.errors import UsageProblem

    raise UsageProblem(f"--group-by 不认识 {by}：可用 {', '.join(BUILTIN)}、all 或表中字段的编号 / "
                       f"unknown --group-by {by}: use {', '.join(BUILTIN)}, all or a field id")


Exclude = Callable[[Submission], str | None]  # why a submission stays out of the totals, or None


def failing(s: Submission) -> bool:
    return s.found.audit is not None and not s.found.audit.passed


class _Sum:
    __slots__ = ("bad", "den", "left", "num", "periods", "took")

    def __init__(self) -> None:
        self.num = self.den = 0.0
        self.periods: set[str] = set()  # the statistics periods summed: one → the group's targets are judged on it
        self.bad = 0  # contributing submissions that fail the logic checks
        self.took: list[str] = []
        self.left: list[LeftOut] = []


class Accumulator:
    """Running sums per group, form and indicator: submissions are added one at a time and not kept.

    `exclude` says why a submission stays out (failing under --only-passing, a duplicate the roster set
    aside): it is then listed among the group's left-out with that reason.
    """

    def __init__(self, cat: Compiled, by: str, lang: str, sets: set[str] | None, exclude: Exclude | None = None) -> None:
        self.cat, self.by, self.lang, self.sets = cat, by, lang, sets
        self.key = key_function(cat, by, lang)
        self.blank = "（未填）" if lang == "zh" else "(blank)"
        self.buckets: dict[tuple[str, str], dict[str, _Sum]] = {}
        self.exclude = exclude

    def add(self, s: Submission) -> None:
        form = s.found.form
        # Groups never mix forms: 表3 and 表3（成员单位） measure different things under one id.
        bucket = self.buckets.get((self.key(s) or self.blank, form))
        if bucket is None:
            bucket = self.buckets[(self.key(s) or self.blank, form)] = {
                ind.id: _Sum() for ind in self.cat.indicators_for(form) if ind.defn.kind != "change"}
        results = {r.id: r for r in s.indicators}
        name = s.key
        why = self.exclude(s) if self.exclude else None
        bad = failing(s)
        for ind_id, acc in bucket.items():
            if why:
                acc.left.append(LeftOut(name, why))
                continue
            r = results.get(ind_id)
            if r is None or r.numerator is None or r.denominator is None:
                acc.left.append(LeftOut(name, (r.reason if r and r.reason else r.status) if r else "not computed"))
                continue
            acc.num += r.numerator
            acc.den += r.denominator
            acc.periods.add(s.found.statistics_period or "")
            acc.bad += bad
            acc.took.append(name)

    def results(self) -> list[GroupResult]:
        out = []
        for (value, form), bucket in sorted(self.buckets.items()):
            for ind_id, acc in bucket.items():
                ind = self.cat.indicators[ind_id]
                if acc.took:
                    one = next(iter(acc.periods)) if len(acc.periods) == 1 else ""  # mixed periods: due unknown
                    res = result(ind, form, self.lang, self.sets, acc.num, acc.den, period=parse(one) if one else None)
                else:
                    from yjzl.catalogue.expr import MISSING

                    why = "组内没有可用的填报" if self.lang == "zh" else "no submission in the group has the inputs"
                    res = result(ind, form, self.lang, self.sets, MISSING, MISSING, why)
                out.append(GroupResult(value, self.by, self.cat.forms[form].code, res, acc.took, acc.left, acc.bad))
        return out


def group(cat: Compiled, subs: Sequence[Submission], by: str, lang: str, sets: set[str] | None,
          exclude: Exclude | None = None) -> list[GroupResult]:
    acc = Accumulator(cat, by, lang, sets, exclude)
    for s in subs:
        acc.add(s)
    return acc.results()
