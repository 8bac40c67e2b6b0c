"""Growth and change: pair each submission with the same submitter's earlier periods.

Earlier periods come from `--previous` (given once per period: the first is
one period back, the second two back …) or, without it, from the batch
itself when its forms carry 统计年度 (period). A submitter is recognised by,
in order: organisation code, name, region, file name; and when a form appears
once in both periods, the two are the same submitter (a province's own 表1).

Like with like: `lag` periods back is the same span `lag` years back (2019 H1 pairs
with 2018 H1, never with 2018 or 2018 H2). A pair whose stated periods are not
alike is not computed, and the reason says so; a computed trend names the period
it compared with (`compared_with`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from yjzl.batch.worker import Submission
from yjzl.catalogue.compiled import Compiled
from yjzl.period import Period, parse
from yjzl.rules.indicators import TRENDS, with_trend

Lookup = Callable[[Submission, int], "Submission | str | None"]


def _keys(s: Submission) -> list[tuple[str, str, str]]:
    f = s.found
    keys = [(kind, f.form, value) for kind, value in (("code", f.org_code), ("name", f.name), ("region", f.region)) if value]
    return [*keys, ("file", f.form, Path(s.file).name)]


class Submitters:
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


def _period(s: Submission) -> Period | None:
    """The submission's statistics period, when its form or --period stated it (not the assumed default)."""
    f = s.found
    if f.statistics_period and f.period_origin in ("form", "option"):
        return parse(f.statistics_period)
    return None


def _span(p: Period) -> tuple[int, int, int, int, int]:
    """The span without its year (a half-year pairs only with the same half-year of other years)."""
    return (p.start.month, p.start.day, p.end.month, p.end.day, p.end.year - p.start.year)


def lookup(current: Sequence[Submission], previous: Sequence[Sequence[Submission]]) -> Lookup | None:
    """How to find a submission's period `lag` back, or None when no earlier period is known."""
    forms = Counter(s.found.form for s in current)
    if previous:
        periods = [Submitters(p, forms) for p in previous]
        return lambda s, lag: periods[lag - 1].find(s) if lag <= len(periods) else "periods"
    stated = [(s, p) for s in current if (p := _period(s)) is not None]
    keys = {(_span(p), p.start.year) for _, p in stated}
    if len({y for _, y in keys}) < 2:
        return None
    by_key = {k: Submitters([s for s, p in stated if (_span(p), p.start.year) == k],
                         Counter(s.found.form for s, p in stated if (_span(p), p.start.year + 1) == k))
              for k in keys}

    def find(s: Submission, lag: int) -> Submission | str | None:
        p = _period(s)
        if p is None:
            return "periods"
        if (_span(p), p.start.year - lag) in by_key:
            return by_key[(_span(p), p.start.year - lag)].find(s)
        # Only another span that year (2018 for 2019 H1): found, so that apply() says why it is not paired.
        others = [k for k in by_key if k[1] == p.start.year - lag]
        hits = [h for k in others if (h := by_key[k].find(s)) is not None]
        return hits[0] if hits else "periods"
    return find


def _used(s: Submission) -> Period | None:
    """The period used for a submission (stated, or the catalogue's default)."""
    return parse(s.found.statistics_period) if s.found.statistics_period else None


def _unlike(now: Period | None, then: Period | None, lag: int, zh: bool) -> str | None:
    """Why two periods cannot be paired (not the same span `lag` years apart), or None when they can."""
    if now is None or then is None:
        return None
    want = now.in_year(now.start.year - lag)
    if (then.start, then.end) == (want.start, want.end):
        return None
    lang = "zh" if zh else "en"
    if zh:
        return f"统计周期不同类，不配对：本期 {now.label(lang)}，前 {lag} 期的填报是 {then.label(lang)}，应为 {want.label(lang)}"
    return f"periods not alike, not paired: now {now.label(lang)}, {lag} back is {then.label(lang)}, expected {want.label(lang)}"


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
            new = with_trend(ind, s.found.form, lang, sets, None, None, lambda why=why: why, _used(s))
        elif (why := _unlike(_used(s), _period(then_sub), lag, zh)) is not None:  # type: ignore[arg-type]
            new = with_trend(ind, s.found.form, lang, sets, None, None, lambda why=why: why, _used(s))
        else:
            now, then = s.trends.get(res.id), then_sub.trends.get(res.id)  # type: ignore[union-attr]
            what = cat.fields[s.found.form].get(ind.defn.of or "")
            label = (what.label if what else ind.defn.of) or ""

            def missing(now: float | None = now, label: str = label, lag: int = lag) -> str:
                if zh:
                    return f"本期缺少「{label}」" if now is None else f"前 {lag} 期缺少「{label}」或为 --"
                return f"'{label}' missing now" if now is None else f"'{label}' missing {lag} period(s) back"
            new = with_trend(ind, s.found.form, lang, sets, now, then, missing, _used(s))
            then_p, now_p = _period(then_sub), _used(s)  # type: ignore[arg-type]
            # an earlier form without 统计年度 is taken to be the same span `lag` years back
            new.compared_with = then_p.text if then_p else (now_p.in_year(now_p.start.year - lag).text if now_p else None)
        new.sheet, new.period = res.sheet, res.period
        s.indicators[n] = new
