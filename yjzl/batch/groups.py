"""A group's indicator is the sum of its numerators over the sum of its denominators.

Never the mean of the rates: a county of 10 000 people and one of 1 000 000
do not weigh the same. Submissions whose numerator or denominator is missing
are left out, by name and with the reason; a zero denominator still counts
(it adds its numerator and 0). Changes (kind `change`) are differences of
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
}


def key_function(cat: Compiled, by: str, lang: str = "zh") -> Callable[[Submission], str | None]:
    """What --group-by names: a built-in key, `all`, or the id of a text field of the forms."""
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


def group(cat: Compiled, subs: Sequence[Submission], by: str, lang: str, sets: set[str] | None) -> list[GroupResult]:
    key = key_function(cat, by, lang)
    blank = "（未填）" if lang == "zh" else "(blank)"
    buckets: dict[tuple[str, str], list[Submission]] = {}
    for s in subs:
        # Groups never mix forms: 表3 and 表3（成员单位） measure different things under one id.
        buckets.setdefault((key(s) or blank, s.found.form), []).append(s)
    out = []
    for (value, form), members in sorted(buckets.items()):
        for ind in cat.indicators_for(form):
            if ind.defn.kind == "change":
                continue
            num = den = 0.0
            contributing, left = [], []
            for s in members:
                r = next((x for x in s.indicators if x.id == ind.id), None)
                if r is None or r.numerator is None or r.denominator is None:
                    left.append(LeftOut(s.key, (r.reason if r and r.reason else r.status) if r else "not computed"))
                    continue
                num += r.numerator
                den += r.denominator
                contributing.append(s.key)
            if contributing:
                res = result(ind, form, lang, sets, num, den)
            else:
                from yjzl.catalogue.expr import MISSING

                why = "组内没有可用的填报" if lang == "zh" else "no submission in the group has the inputs"
                res = result(ind, form, lang, sets, MISSING, MISSING, why)
            out.append(GroupResult(value, by, cat.forms[form].code, res, contributing, left))
    return out
