"""Growth and change: pair each submission with the same submitter's earlier periods.

Earlier periods come from `--previous` (given once per period: the first is
one period back, the second two back …) or, without it, from the batch
itself when its forms carry 统计年度 (period). A submitter is recognised by,
in order: organisation code, name, region, file name; and when a form appears
once in both periods, the two are the same submitter (a province's own 表1).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from yjzl.batch.worker import Submission
from yjzl.catalogue.compiled import Compiled
from yjzl.rules.indicators import TRENDS, with_trend

Lookup = Callable[[Submission, int], "Submission | str | None"]


def _keys(s: Submission) -> list[tuple[str, str, str]]:
    f = s.found
    keys = [(kind, f.form, value) for kind, value in (("code", f.org_code), ("name", f.name), ("region", f.region)) if value]
    return [*keys, ("file", f.form, Path(s.file).name)]


class Period:
    """The submissions of one earlier period, indexed by who submitted them."""

    def __init__(self, subs: Sequence[Submission], current_forms: Counter[str]) -> None:
        self.index: dict[tuple[str, str, str], list[Submission]] = {}
        for s in subs:
            for k in _keys(s):
                self.index.setdefault(k, []).append(s)
        self.forms = Counter(s.found.form for s in subs)
        self.only = {s.found.form: s for s in subs}
        self.current_forms = current_forms

    def find(self, s: Submission) -> Submission | None:
        for k in _keys(s):
            hits = self.index.get(k, [])
            if len(hits) == 1:
                return hits[0]
        form = s.found.form
        if self.forms[form] == 1 and self.current_forms[form] == 1:
            return self.only[form]
        return None


def _year(s: Submission) -> int | None:
    m = re.search(r"(19|20)\d\d", s.found.period or "")
    return int(m.group(0)) if m else None


def lookup(current: Sequence[Submission], previous: Sequence[Sequence[Submission]]) -> Lookup | None:
    """How to find a submission's period `lag` back, or None when no earlier period is known."""
    forms = Counter(s.found.form for s in current)
    if previous:
        periods = [Period(p, forms) for p in previous]
        return lambda s, lag: periods[lag - 1].find(s) if lag <= len(periods) else "periods"
    years = {y for s in current if (y := _year(s)) is not None}
    if len(years) < 2:
        return None
    by_year = {y: Period([s for s in current if _year(s) == y], Counter(s.found.form for s in current if _year(s) == y + 1))
               for y in years}

    def find(s: Submission, lag: int) -> Submission | str | None:
        y = _year(s)
        if y is None or y - lag not in by_year:
            return "periods"
        return by_year[y - lag].find(s)
    return find


def apply(cat: Compiled, current: Sequence[Submission], previous: Sequence[Sequence[Submission]],
          lang: str, sets: set[str] | None) -> None:
    """Fill every growth and change indicator that an earlier period makes computable."""
    find = lookup(current, previous)
    if find is None:
        return
    for s in current:
        patch(cat, s, find, lang, sets)


def patch(cat: Compiled, s: Submission, find: Lookup, lang: str, sets: set[str] | None) -> None:
    """Replace the submission's growth and change results by those its earlier period gives."""
    zh = lang == "zh"
    for n, res in enumerate(s.indicators):
        ind = cat.indicators[res.id]
        if ind.defn.kind not in TRENDS:
            continue
        lag = ind.defn.lag
        then_sub = find(s, lag)
        if then_sub == "periods":
            continue  # the reason already says which periods are needed
        if then_sub is None:
            why = f"前 {lag} 期中找不到同一填报单位（按机构代码、名称、地区或文件名）" if zh else \
                f"no submission by the same submitter {lag} period(s) back (matched by code, name, region or file name)"
            new = with_trend(ind, s.found.form, lang, sets, None, None, lambda why=why: why)
        else:
            now, then = s.trends.get(res.id), then_sub.trends.get(res.id)  # type: ignore[union-attr]
            what = cat.fields[s.found.form].get(ind.defn.of or "")
            label = (what.label if what else ind.defn.of) or ""

            def missing(now: float | None = now, label: str = label, lag: int = lag) -> str:
                if zh:
                    return f"本期缺少「{label}」" if now is None else f"前 {lag} 期缺少「{label}」或为 --"
                return f"'{label}' missing now" if now is None else f"'{label}' missing {lag} period(s) back"
            new = with_trend(ind, s.found.form, lang, sets, now, then, missing)
        new.sheet = res.sheet
        s.indicators[n] = new
