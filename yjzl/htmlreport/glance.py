"""The page's first screen: how many reported, how many pass, who is missing, which indicators miss their targets.

A supervisor opening the report at 1 366×900 should have the answer without
scrolling; the detail (progress table, charts, each submission) follows below.
The screen is a list of blocks (BLOCKS), each a function of the View returning
HTML or "": a later block (e.g. hospital verdicts) is one more function there.

Indicators missing their targets are sorted by shortfall, not by form: for each
(form, indicator) series, the mean over the submissions judged against a due
target of how far each falls short, as a share of the target (one that meets
it counts 0). An indicator most submitters miss by far comes first; ties go to
the one more submitters miss. A target of 0 has no share: the plain distance is used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from html import escape

from yjzl.htmlreport.model import Point, Series, View
from yjzl.htmlreport.progress import errors_of
from yjzl.htmlreport.strings import num, op, par, sep, t, with_unit

SHOWN = 10  # missed indicators listed on the first screen; the rest are in the targets table below
NAMES = 12  # missing units named on the first screen; the rest are in the progress table


def _e(x: object) -> str:
    return escape("" if x is None else str(x))


@dataclasses.dataclass(slots=True)
class Shortfall:
    series: Series
    missed: int  # submissions missing a due target
    judged: int  # submissions with a value judged against it (met or missed)
    mean: float  # mean shortfall as a share of the target (0.25: a quarter short), met ones counted 0
    worst: Point  # the submission furthest from the target


def gap(p: Point) -> float:
    """How far a missed value is from its target, as a share of the target (the plain distance for a target of 0)."""
    v, target = p.result.value or 0.0, p.target.value
    return abs(v - target) / abs(target) if target else abs(v - target)


def shortfalls(view: View) -> list[Shortfall]:
    """The series with at least one submission missing its target, the largest shortfall first."""
    out = []
    for s in view.series:
        missed = [p for p in s.points if p.target.met is False and p.result.value is not None]
        judged = sum(1 for p in s.points if p.target.met is not None)
        if missed:
            out.append(Shortfall(s, len(missed), judged, sum(map(gap, missed)) / judged, max(missed, key=gap)))
    out.sort(key=lambda x: (-x.mean, -x.missed, x.series.form_code, x.series.name))
    return out


def _tile(label: str, value: int | str, kind: str, note: str = "", cls: str = "") -> str:
    extra = f'<span class="note">{_e(note)}</span>' if note else ""
    return (f'<div class="tile {cls}" data-count="{kind}"><span class="n">{_e(value)}</span>'
            f'<span class="label">{_e(label)}</span>{extra}</div>')


def counts(view: View) -> str:
    """The numbers: reported (against the roster when there is one), passing, failing with their errors, unusable."""
    lang, c = view.lang, view.counts
    tiles = []
    if view.roster is not None:
        r = view.roster
        tiles += [_tile(t(lang, "expected"), len(r.units), "expected"),
                  _tile(t(lang, "col_reported"), view.reported or 0, "reported", cls="good"),
                  _tile(t(lang, "col_not_reported"), len(r.missing), "missing", cls="bad" if r.missing else "")]
        passed = sum(1 for p in r.units if p.passed is True)
        failed = sum(1 for p in r.units if p.passed is False)
        # the units' counts are of the copy that counts, as in 进度明细: a superseded copy's errors are not the unit's
        by_key = {s.key: s for s in view.submissions}
        counting = [by_key.get(p.submissions[0]) for p in r.units if p.submissions]
        c = {**c, "errors": sum(int(errors_of(s) or 0) for s in counting),
             "open_warnings": sum(p.warnings_open or 0 for p in r.units if p.submissions)}
    else:
        tiles.append(_tile(t(lang, "n_submissions"), c["submissions"], "submissions",
                           t(lang, "in_files", n=c["files"]) if c["files"] != c["submissions"] else ""))
        passed, failed = c["pass"], c["fail"]
    tiles += [_tile(t(lang, "tile_pass"), passed, "pass", cls="good"),
              _tile(t(lang, "tile_fail"), failed, "fail", t(lang, "n_errors_note", n=c["errors"]) if c["errors"] else "",
                    cls="bad" if failed else "")]
    if c["not_audited"]:
        tiles.append(_tile(t(lang, "not_audited"), c["not_audited"], "not_audited"))
    tiles += [_tile(t(lang, "n_open"), c["open_warnings"], "open_warnings"),
              _tile(t(lang, "n_unusable"), c["unusable"], "unusable", cls="bad" if c["unusable"] else "")]
    scope = t(lang, "glance_units") if view.roster is not None else t(lang, "glance_submissions")
    return f'<div class="tiles" title="{_e(scope)}">{"".join(tiles)}</div>'


def missing(view: View) -> str:
    """Who has not reported (a roster says who is expected), and the files that could not be used."""
    lang = view.lang
    out = []
    if view.roster is None:
        if len(view.submissions) > 1:  # one hospital's own report: nobody else is expected
            out.append(f'<p class="who muted">{_e(t(lang, "no_roster"))}</p>')
    elif view.roster.missing:
        gone = view.roster.missing
        names = sep(lang).join(_e(u.name) + (par(lang, _e(u.form)) if u.form else "") for u in gone[:NAMES])
        more = f' <a href="#progress">{_e(t(lang, "and_more", n=len(gone) - NAMES))}</a>' if len(gone) > NAMES else ""
        out.append(f'<p class="who" id="glance-missing"><strong class="fail">{_e(t(lang, "not_reported_list", n=len(gone)))}</strong>'
                   f"{names}{more}</p>")
    else:
        out.append(f'<p class="who"><span class="pass">✓ {_e(t(lang, "all_reported"))}</span></p>')
    if view.unusable:
        files = sep(lang).join(_e(f) for f, _ in view.unusable[:NAMES])
        more = f' <a href="#unusable">{_e(t(lang, "and_more", n=len(view.unusable) - NAMES))}</a>' if len(view.unusable) > NAMES else ""
        out.append(f'<p class="who"><strong class="fail">{_e(t(lang, "unusable_list", n=len(view.unusable)))}</strong>{files}{more}</p>')
    return "".join(out)


def missed_targets(view: View) -> str:
    """The indicators missing their targets, by shortfall, each with how many miss and who is furthest off."""
    lang = view.lang
    found = shortfalls(view)
    title = f'<h2 id="missed">{_e(t(lang, "missed_title"))}{par(lang, str(len(found)))}</h2>'
    if not view.series:  # 表3, 表4 have no national target: nothing was compared, which is not "all met"
        return title + f'<p class="muted">{_e(t(lang, "nothing_compared", set=view.target_set_name))}</p>'
    if not found:
        return title + f'<p class="pass">✓ {_e(t(lang, "none_missed"))}</p>'
    rows = []
    for x in found[:SHOWN]:
        s, w = x.series, x.worst
        name = f'<a href="#{s.key}">{_e(s.name)}</a>' if s.with_values else _e(s.name)
        rows.append([name, _e(s.form_code), _e(f"{op(s.target.op)} {with_unit(s.target.value, s.unit)}"),
                     f"{x.missed}/{x.judged}", f"{_e(w.submission.label)}{par(lang, _e(with_unit(w.result.value or 0.0, s.unit)))}",
                     f"{num(round(x.mean * 100, 1))}%"])
    from yjzl.htmlreport.page import table

    head = [t(lang, k) for k in ("indicator", "form", "target", "missed_of", "furthest", "mean_shortfall")]
    more = (f'<p class="meta"><a href="#targets">{_e(t(lang, "all_missed", n=len(found)))}</a></p>'
            if len(found) > SHOWN else "")
    return title + table(head, rows, numeric=[3, 5], cls="missed") + f'<p class="meta">{_e(t(lang, "shortfall_note"))}</p>' + more


BLOCKS: list[Callable[[View], str]] = [counts, missing, missed_targets]


def glance(view: View) -> str:
    """The first screen: every block in BLOCKS, in order."""
    return '<section id="glance">' + "".join(b(view) for b in BLOCKS) + "</section>"
