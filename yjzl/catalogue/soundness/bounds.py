"""YC013: ranges that agree with their notes, one finding per condition, no range on a service not carried out.

Three mistakes the catalogue made (issue 25 §3), each proved absent where a proof can see it:

- **A rate that is not a share, bounded at 100 %.** A `%` ratio of two quantities with `subset: false` says its
  numerator is not a part of its denominator, so 100 % is no bound of it: either it may exceed 100 (its note says
  why; give the max that allows, or none), or exceeding 100 is the fact "numerator > denominator", which a `le`
  check on the two fields states once, at both cells (`plausibility` when correct data can break it). A share
  (`subset: true`) has its logic ≤ check (YC011), so a `plausible:` max of 100 on it reports that fact twice.
- **A range that reads a service not carried out.** S004 第二部分 说明: “如未开展，填0”. A hospital (a form of level
  consortium or member) without inpatient or outpatient service fills 0 in its averages (平均住院日, 次均费用),
  and a `range` with `min > 0` on such a form needs a `when:` guard (its denominator positive, `discharges > 0`).
"""

from __future__ import annotations

from collections.abc import Iterator

from yjzl.catalogue import expr
from yjzl.catalogue.schema import Catalogue
from yjzl.catalogue.soundness.problem import Problem

HOSPITAL_LEVELS = ("consortium", "member")


def bounds(cat: Catalogue) -> Iterator[Problem]:
    yield from _hundred(cat)
    yield from _service_ranges(cat)


def _hundred(cat: Catalogue) -> Iterator[Problem]:
    for i in cat.indicators:
        p = i.plausible
        if i.kind != "ratio" or i.unit != "%" or p is None or p.max is None or abs(p.max - 100) > 1e-9:
            continue
        try:
            if not expr.fields(expr.parse(i.denominator or "1")):
                continue  # a yes/no or a count over a constant: 100 % is its real ceiling
        except expr.ExprError:
            continue  # reported by `expressions`
        where = f"indicators[{i.id}].plausible"
        if i.subset:
            yield Problem("YC013", where, "份额已由逻辑审核 分子 ≤ 分母 保证不超过100%，合理范围上限100重复报告同一事实 / "
                                          "a share's logic check numerator ≤ denominator already bounds it: a max of 100 reports it twice")
        else:
            yield Problem("YC013", where, "不是份额（subset: false）却以100%为上限：可超过100%时按note给出上限或不设上限；"
                                          "不应超过时写一条 分子 ≤ 分母 的 le 审核（在两个单元格处只报一次） / a rate that is not a share "
                                          "is bounded at 100: if it may exceed 100 (its note), raise or drop the max; if not, a `le` "
                                          "check on its fields says so once, at both cells")


def _service_ranges(cat: Catalogue) -> Iterator[Problem]:
    levels = {f.id: f.level for f in cat.forms}
    for c in cat.checks:
        if c.rule != "range" or c.min is None or c.min <= 0 or c.when:
            continue
        hospital = [f for f in c.forms if levels.get(f) in HOSPITAL_LEVELS]
        if hospital:
            yield Problem("YC013", f"checks[{c.id}]",
                          f"{'、'.join(hospital)}：未开展的服务填0（S004 说明），下限 {c.min:g} 的范围须有 when 条件（如 discharges > 0） / "
                          f"a service not carried out is filled 0: a range with min {c.min:g} on a hospital form needs a "
                          "`when:` guard (its denominator positive, e.g. discharges > 0)")


__all__ = ["bounds"]
