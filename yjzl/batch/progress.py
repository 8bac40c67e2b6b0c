"""Match what arrived against the roster: 进度明细 (who reported), 未报送, 名单外, 重复报送.

Works on small identity records (who, which form, when, audit counts), not on
results, so a national batch can be matched as it streams past. A submission
is matched by organisation code, then by its normalised name (for 表1 and 表2,
which print none, its 所在地区), and a submission naming nobody by being of the
only form of its kind the roster expects; a roster row that names a form (表)
takes only that form. A member form (表3（成员单位）…)
is judged only when the roster lists a unit of that form; otherwise it arrives
with its lead and is neither expected nor a stranger.

When two or more submissions match one unit, the later 统计年度 counts, then
the later batch (第2批 over 第1批, yjzl.batch.batches), then the later 填报日期;
when all are equal the first in file order counts and the listing says so, so a
person checks which is meant. Never the file's modification time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from yjzl.batch.batches import Batch, comparable, read_date
from yjzl.batch.roster import division_names, normalise_code, normalise_name, region_of
from yjzl.report import Progress, RegionCount, RosterResult, RosterUnit, Stranger


@dataclass(frozen=True, slots=True)
class Identity:
    key: str  # "file!sheet"
    file: str
    form: str  # the form's code, 表3
    member: bool  # a member form (its lead's file carries it)
    name: str | None
    org_code: str | None
    region: str | None
    period: str | None
    passed: bool | None = None
    warnings_open: int | None = None
    label: str | None = None  # how a person knows it, when not by its key (the report's anchors)
    statistics_period: str | None = None  # the period its values are for (--period > 统计年度 > the catalogue's)
    batch: Batch | None = None  # the batch it arrived in (yjzl.batch.batches)
    filled_on: str | None = None  # 填报日期, as filled


def names_of(i: Identity, by_region: bool = True) -> list[tuple[str, str]]:
    """How a submission names its submitter, most certain first: ("org_code", normalised code), then ("name",
    normalised name; for 表1 and 表2, which print none, their region 所在地区, unless `by_region` is false).
    Empty when it names nobody."""
    code, who = normalise_code(i.org_code or ""), normalise_name(i.name or (i.region if by_region else None) or "")
    return [*([("org_code", code)] if code else []), *([("name", who)] if who else [])]


def failing_reason(errors: int, first_error: str | None, lang: str) -> str:
    """Why a submission is left out under --only-passing, in the same words in compute and report."""
    if lang == "zh":
        return f"未通过逻辑审核：{errors} 个错误" + (f"（{first_error}）" if first_error else "")
    return f"fails the logic checks: {errors} error(s)" + (f" ({first_error})" if first_error else "")


def _when(i: Identity) -> tuple[tuple[int, ...], tuple, date | None]:
    """What orders two copies of one unit's form: the statistics period, the batch, the 填报日期 (never a file time)."""
    digits = tuple(int(x) for x in re.findall(r"\d+", i.period or ""))
    return digits, (i.batch.order if i.batch else ()), read_date(i.filled_on)


def choose(found: list[Identity], lang: str) -> tuple[list[Identity], str]:
    """The submissions of one unit, the one that counts first, and why it counts (also the order in which
    suspected duplicates are listed without a roster: yjzl.batch.duplicates).

    The later statistics period counts; then the later batch (yjzl.batch.batches: the later input, or the later
    subfolder, 第2批 over 第1批); then the later 填报日期 where every copy has one; else the first in file order,
    and the reason says to check. A file's modification time is never used: copying or unzipping changes it."""
    zh = lang == "zh"
    whens = [_when(i) for i in found]
    best: int | None = None
    if len({w[0] for w in whens}) > 1:
        best = max(range(len(found)), key=lambda n: whens[n][0])
        why = f"统计年度较晚（{found[best].period}）" if zh else f"the later period ({found[best].period})"
    elif len({w[1] for w in whens}) > 1 and all(i.batch for i in found) and comparable([i.batch for i in found]):  # type: ignore[misc]
        best = max(range(len(found)), key=lambda n: whens[n][1])
        label = found[best].batch.label if found[best].batch else ""
        why = f"后一批报送（{label}）" if zh else f"the later batch ({label})"
    elif all(w[2] is not None for w in whens) and len({w[2] for w in whens}) > 1:
        best = max(range(len(found)), key=lambda n: whens[n][2])  # type: ignore[arg-type, return-value]
        why = f"填报日期较晚（{whens[best][2]}）" if zh else f"the later date filled in ({whens[best][2]})"
    else:
        best = 0
        why = ("统计年度、批次与填报日期都相同或未填，暂按文件顺序取第一份，请核对" if zh
               else "same period, batch and date filled in (or none): the first in file order counts for now; check which is meant")
    return [found[best], *(i for n, i in enumerate(found) if n != best)], why


def match(units: Sequence[RosterUnit], arrived: Iterable[Identity], file: str, lang: str = "zh",
          deadline: str | None = None) -> tuple[RosterResult, dict[str, str]]:
    """The roster's progress, and the submissions set aside as duplicates (key → why) for the totals to skip.

    deadline: --deadline, for the units whose roster row gives no 截止日期. A unit is 逾期 (late) when the copy
    that counts was received after its deadline: received on the roster's 收到日期, else on the date its batch
    folder names (yjzl.batch.batches); with no receipt date known, lateness is not guessed."""
    by_code: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for n, u in enumerate(units):
        if u.org_code:
            by_code.setdefault(normalise_code(u.org_code), []).append(n)
        by_name.setdefault(normalise_name(u.name), []).append(n)
    member_forms = {u.form for u in units if u.form}
    by_form: dict[str, list[int]] = {}
    for n, u in enumerate(units):
        if u.form:
            by_form.setdefault(u.form, []).append(n)
    hits: list[list[Identity]] = [[] for _ in units]
    strangers: list[Identity] = []
    for i in arrived:
        if i.member and i.form not in member_forms:
            continue
        found: list[int] = []
        for by, value in names_of(i):
            found = [n for n in (by_code if by == "org_code" else by_name).get(value, []) if units[n].form in (None, i.form)]
            if found:
                break
        if not found and not (i.org_code or i.name or i.region):
            # 表1 and 表2 print no name or code: a submission that names nobody is the roster's only unit of its
            # form, when there is exactly one (a province's own 表1), as trends pair such forms across periods.
            found = by_form.get(i.form, []) if len(by_form.get(i.form, [])) == 1 else []
        if found:
            hits[found[0]].append(i)
        else:
            strangers.append(i)
    result = RosterResult(file)
    set_aside: dict[str, str] = {}
    for u, found in zip(units, hits):
        p = Progress(u)
        if found:
            ordered, why = choose(found, lang) if len(found) > 1 else (found, None)
            p.submissions = [i.key for i in ordered]
            p.passed, p.warnings_open, p.why = ordered[0].passed, ordered[0].warnings_open, why
            p.resubmitted = len(ordered) > 1
            _timeliness(p, ordered[0], deadline)
            for other in ordered[1:]:
                first = ordered[0].label or ordered[0].key
                set_aside[other.key] = (f"重复报送：{u.name} 以 {first} 为准" if lang == "zh"
                                        else f"duplicate for {u.name}: {first} counts")
        result.units.append(p)
    result.missing = [p.unit for p in result.units if not p.submissions]
    result.duplicates = [p for p in result.units if len(p.submissions) > 1]
    names = division_names(units)
    result.strangers = [Stranger(i.key, i.form, i.name, i.org_code, i.region or region_of(i.org_code, names)) for i in strangers]
    result.regions = _regions(result, lang)
    return result, set_aside


def _timeliness(p: Progress, counted: Identity, deadline: str | None) -> None:
    """截止日期, 收到日期 and 逾期 of a unit whose form arrived."""
    due = read_date(p.unit.deadline) or read_date(deadline)
    got = read_date(p.unit.received) or (counted.batch.received if counted.batch else None)
    p.deadline, p.received = (str(due) if due else None), (str(got) if got else None)
    p.late = got > due if due and got else None


def _regions(result: RosterResult, lang: str) -> list[RegionCount]:
    blank = "（未填）" if lang == "zh" else "(blank)"
    counts: dict[str, RegionCount] = {}

    def row(region: str | None) -> RegionCount:
        key = region or blank
        return counts.setdefault(key, RegionCount(key, 0, 0, 0, 0, 0))

    for p in result.units:
        c = row(p.unit.region)
        c.expected += 1
        c.reported += bool(p.submissions)
        c.missing += not p.submissions
        c.duplicates += len(p.submissions) > 1
    for s in result.strangers:
        row(s.region).strangers += 1
    return list(counts.values())
