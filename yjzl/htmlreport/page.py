"""Assemble the self-contained HTML page: overview, one chart per targeted indicator, each submission.

Every table is a real <table> of plain text (numbers without units or
grouping), so a selection pastes into Excel as cells and numbers. All text
from the data passes through html.escape: a submitter's name is user input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from yjzl.htmlreport.glance import glance
from yjzl.htmlreport.model import Series, Submission, View, form_code, target_in
from yjzl.htmlreport.progress import progress, totals_note
from yjzl.htmlreport.strings import colon, num, op, par, sep, t, with_unit
from yjzl.htmlreport.style import CSS
from yjzl.htmlreport.svg import bar_chart
from yjzl.output.words import not_yet_due
from yjzl.report import Finding, IndicatorResult, TargetResult


def _e(x: object) -> str:
    return escape("" if x is None else str(x))


def table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = (), cls: str = "") -> str:
    """Cells arrive as HTML (already escaped); `numeric` columns are right-aligned."""
    nums = set(numeric)
    attr = f' class="{cls}"' if cls else ""
    out = [f"<table{attr}><thead><tr>"]
    out += [f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        tds = (f'<td class="num">{c}</td>' if i in nums else f"<td>{c}</td>" for i, c in enumerate(row))
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _met(lang: str, target: TargetResult | None) -> str:
    if target is not None and target.met is None and target.due is False:
        return f'<span class="due">{_e(not_yet_due(target.due_date, lang))}</span>'
    if target is None or target.met is None:
        return "—"
    return f'<span class="met">✓ {_e(t(lang, "met"))}</span>' if target.met else f'<span class="miss">✗ {_e(t(lang, "missed"))}</span>'


def _target(target: TargetResult | None, unit: str) -> str:
    return "" if target is None else _e(f"{op(target.op)} {with_unit(target.value, unit)}")


_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def _verdict(lang: str, r: IndicatorResult) -> str:
    """A hospital's result without a target: the direction of its change, or its place among peers."""
    from yjzl.rules.verdicts import words as verdict_words

    return _e(verdict_words(r.verdict, lang))


def words(text: str) -> str:
    """Escaped text in which a command-line option (--previous) never breaks across lines."""
    return _OPTION.sub(lambda m: f'<span class="opt">{m.group(0)}</span>', _e(text))


def _why(lang: str, r: IndicatorResult) -> str:
    """Why an indicator has no value (escaped HTML): the engine's own words when it gave them, else its status."""
    return words((r.reason or t(lang, r.status)) if r.value is None else t(lang, r.status))


def _status(lang: str, sub: Submission) -> str:
    if sub.passes is None:
        return f'<span class="muted">{_e(t(lang, "not_audited"))}</span>'
    if sub.passes:
        return f'<span class="pass">✓ {_e(t(lang, "pass"))}</span>'
    return f'<span class="fail">✗ {_e(t(lang, "fail"))}</span>'


def _link(key: str, text: str) -> str:
    return f'<a href="#{key}">{_e(text)}</a>'


def overview(view: View, per_submission: bool = True) -> str:
    lang, c = view.lang, view.counts
    rows = [(t(lang, "n_submissions"), c["submissions"]), (t(lang, "n_files"), c["files"]),
            (t(lang, "n_unusable"), c["unusable"]), (t(lang, "n_pass"), c["pass"]), (t(lang, "n_fail"), c["fail"])]
    if c["not_audited"]:
        rows.append((t(lang, "n_not_audited"), c["not_audited"]))
    rows += [(t(lang, "n_errors"), c["errors"]), (t(lang, "n_open"), c["open_warnings"]),
             (t(lang, "n_explained"), c["explained_warnings"])]
    if c.get("judged_direction") or c.get("judged_peers"):  # hospitals: what judged the values without a target
        rows += [(t(lang, k), c[k]) for k in ("judged_target", "judged_direction", "judged_peers")]
    out = [f'<section id="overview"><h2>{_e(t(lang, "overview"))}</h2>',
           table([t(lang, "item"), t(lang, "count")], ([_e(k), str(v)] for k, v in rows), numeric=[1], cls="counts"),
           totals_note(view)]
    if view.unusable:
        out.append(f'<h3 id="unusable">{_e(t(lang, "unusable"))}</h3>')
        from yjzl.bilingual import in_language

        out.append(table([t(lang, "file"), t(lang, "reason")], ([_e(f), _e(in_language(r, lang))] for f, r in view.unusable),
                         cls="unusable"))
    if view.trends:
        out.append(trends_line(view))
    if view.series:
        out.append(f'<h3 id="targets">{_e(t(lang, "targets_table"))}</h3>')
        rows2 = ([_link(s.key, s.name) if s.with_values else _e(s.name), _e(s.form_code), _target(s.target, s.unit),
                  str(s.met), str(s.missed), str(s.no_value)] for s in view.series)
        out.append(table([t(lang, k) for k in ("indicator", "form", "target", "met", "missed", "no_value")], rows2,
                         numeric=[3, 4, 5], cls="targets"))
    if view.qualitative:
        out.append(f'<h3>{_e(t(lang, "qualitative"))}</h3>')
        out.append(table([t(lang, "target"), t(lang, "due_by"), t(lang, "about")],
                         ([_e(label), str(by or ""), _e(about or "")] for label, by, about in view.qualitative), cls="qualitative"))
    if view.submissions and per_submission:
        out.append(f'<h3>{_e(t(lang, "submissions"))}</h3>')
        out.append(table([t(lang, k) for k in ("submission", "form", "file", "status", "n_errors", "n_open", "n_explained", "targets_met")],
                         (_submission_row(view, s) for s in view.submissions), numeric=[4, 5, 6], cls="submissions"))
    out.append("</section>")
    return "".join(out)


def trends_line(view: View) -> str:
    """The trends no submission could compute for want of an earlier period, in one line (not per submission)."""
    lang = view.lang
    items = sep(lang).join(f"{_e(name)}{par(lang, _e(code) + ('，' if lang == 'zh' else ', ') + _e(t(lang, 'periods_back', n=lag)))}"
                           for name, code, lag in view.trends.values())
    return f'<p class="note" id="trends">{_e(t(lang, "trends_line"))}{items}</p>'


def _submission_row(view: View, s: Submission) -> list[str]:
    targets = [tr for r in s.indicators if (tr := target_in(r, view.target_set)) is not None and not view.uncomputed(r)]
    # A form whose indicators have no target in the set (表3, 表4 under national) says so, not a blank cell.
    met = _e(f"{sum(1 for x in targets if x.met)}/{len(targets)}") if targets else f'<span class="muted">{_e(t(view.lang, "no_target"))}</span>'
    return [_link(s.key, s.label), _e(form_code(s.form, view.lang)), _e(s.file), _status(view.lang, s),
            str(len(s.errors)), str(len(s.open_warnings)), str(len(s.explained)), met]


def chart(series: Series, lang: str) -> str:
    out = [f'<figure class="chart" id="{series.key}" data-indicator="{_e(series.id)}" data-form="{_e(series.form)}"><figcaption>{_e(series.name)}{par(lang, _e(series.form_code))}</figcaption>',
           bar_chart(series, lang)]
    missing = series.without_values
    if missing:
        items = sep(lang).join(f"{_e(p.submission.label)}{par(lang, _why(lang, p.result))}" for p in missing)
        out.append(f'<p class="novalue"><strong>{_e(t(lang, "no_value_list"))}</strong>{items}</p>')
    rows = ([_e(p.submission.label), num(p.result.value), _e(series.unit), _target(p.target, series.unit), _met(lang, p.target)]
            for p in [*series.with_values, *missing])
    out.append(f'<details><summary>{_e(t(lang, "data_table"))}</summary>'
               + table([t(lang, k) for k in ("submission", "value", "unit", "target", "met")], rows, numeric=[1]) + "</details>")
    out.append("</figure>")
    return "".join(out)


def charts(view: View) -> str:
    lang = view.lang
    out = [f'<section id="charts"><h2>{_e(t(lang, "charts"))}</h2>']
    if not view.charted:
        out.append(f"<p>{_e(t(lang, 'no_charts', set=view.target_set_name))}</p>")
    out += [chart(s, lang) for s in view.charted]
    empty = [s for s in view.series if not s.with_values]
    if empty:
        names = sep(lang).join(f"{_e(s.name)}{par(lang, _e(s.form_code))}" for s in empty)
        out.append(f'<p class="novalue">{_e(t(lang, "only_missing"))}{names}</p>')
    out.append("</section>")
    return "".join(out)


def _cells(cells: list[str]) -> str:
    # A reference never breaks inside ("表1!C131"), only between references.
    return ", ".join(f'<span class="ref">{_e(c)}</span>' for c in cells)


def _findings(lang: str, title: str, items: list[Finding], mark: str, kind: str, explained: bool = False) -> str:
    """One table of findings; `mark` styles the severity word, `kind` names the table (errors, open, explained)."""
    if not items:
        return ""
    head = [t(lang, k) for k in ("severity", "code", "cells", "message")] + ([t(lang, "explanation")] if explained else [])
    rows = ([f'<span class="{mark}">{_e(t(lang, f.severity))}</span>', _e(f.code), _cells(f.cells), _e(f.message)]
            + ([_e(f.explanation)] if explained else []) for f in items)
    return f"<h4>{_e(title)}{par(lang, str(len(items)))}</h4>" + table(head, rows, cls=f"findings {kind}")


def submission(view: View, s: Submission, compact: bool = False) -> str:
    lang = view.lang
    out = [f'<section class="submission" id="{s.key}"><h3><span class="name">{_e(s.label)}</span> {_status(lang, s)}</h3>']
    meta = [(t(lang, "file"), s.file), (t(lang, "form"), form_code(s.form, lang)), (t(lang, "sheet"), s.form.sheet)]
    meta += [(t(lang, k), v) for k, v in (("org_code", s.form.org_code), ("region", s.form.region), ("period", s.form.period)) if v]
    if s.form.statistics_period:  # the period the audit used (--period > 统计年度 > the catalogue's default)
        from yjzl.output.formats import period_text

        shown = period_text(s.form, lang)
        if s.form.period_origin == "option":  # the reader did not type the option: say who chose the period
            shown = shown.replace("--period", t(lang, "origin_option"))
        meta.append((t(lang, "statistics_period"), shown))
    if compact:
        out.append(f'<p class="meta">{_e(sep(lang).join(f"{k}{colon(lang)}{v}" for k, v in meta))}</p>')
    else:
        out.append(table([t(lang, "item"), t(lang, "value")], ([_e(k), _e(v)] for k, v in meta), cls="meta"))
    found = (_findings(lang, t(lang, "errors"), s.errors, "fail", "errors")
             + _findings(lang, t(lang, "open_warnings"), s.open_warnings, "warn", "open")
             + _findings(lang, t(lang, "explained_warnings"), s.explained, "muted", "explained", explained=True))
    if compact and found:  # collapsed: the counts are in the summary line
        counts = sep(lang).join(f"{t(lang, k)} {n}" for k, n in (("errors", len(s.errors)), ("open_warnings", len(s.open_warnings)),
                                                                    ("explained_warnings", len(s.explained))) if n)
        found = f"<details><summary>{_e(counts)}</summary>{found}</details>"
    out.append(found)
    if s.audited and not s.findings:
        out.append(f'<p class="muted">{_e(t(lang, "no_findings"))}</p>')
    indicators = [r for r in s.indicators if not view.uncomputed(r)]  # the run's uncomputed trends: one line above
    if indicators and compact:  # value with its unit, or why there is none; the sums are in the JSON and csv
        rows = ([_e(r.name), _e(with_unit(r.value, r.unit)) if r.value is not None else f'<span class="muted">{_why(lang, r)}</span>',
                 _target(target_in(r, view.target_set), r.unit), _met(lang, target_in(r, view.target_set)), _verdict(lang, r)]
                for r in indicators)
        head = [t(lang, k) for k in ("indicator", "value", "target", "met", "verdict")]
        out.append(table(head, rows, numeric=[1], cls="indicators compact"))
    elif indicators:
        rows = ([_e(r.name), num(r.value), _e(r.unit), num(r.numerator), num(r.denominator), _why(lang, r),
                 _target(target_in(r, view.target_set), r.unit), _met(lang, target_in(r, view.target_set)), _verdict(lang, r)]
                for r in indicators)
        head = [t(lang, k) for k in ("indicator", "value", "unit", "numerator", "denominator", "state", "target", "met", "verdict")]
        out.append(f"<h4>{_e(t(lang, 'indicator'))}{par(lang, str(len(indicators)))}</h4>" + table(head, rows, numeric=[1, 3, 4], cls="indicators"))
    else:
        out.append(f'<p class="muted">{_e(t(lang, "no_indicators"))}</p>')
    out.append("</section>")
    return "".join(out)


def _nav(view: View) -> str:
    """One line of contents; the index of indicator charts folds away (it would fill the first screen)."""
    lang = view.lang
    charted = view.charted
    items = "".join(f"<li>{_link(s.key, s.name)}{par(lang, _e(s.form_code))}</li>" for s in charted)
    first = (f'{_link("progress", t(lang, "progress"))} · ' if view.roster else
             f'{_link("duplicates", t(lang, "suspected"))} · ' if view.duplicates else "")
    index = (f'<details class="index"><summary>{_e(t(lang, "indicator_index", n=len(charted)))}</summary><ol>{items}</ol></details>'
             if items else "")
    return (f'<nav><p><strong>{_e(t(lang, "contents"))}</strong>{colon(lang)}{first}{_link("overview", t(lang, "overview"))} · '
            f'{_link("charts", t(lang, "charts"))} · {_link("submissions", t(lang, "submissions"))}</p>' + index + "</nav>")


def frame(view: View, tool: str, version: str, body: Sequence[str], title: str | None = None) -> str:
    """The page around a body: head, stylesheet, title and the line saying what made it."""
    lang = view.lang
    set_label = view.target_set if view.target_set_name == view.target_set else view.target_set_name + par(lang, view.target_set)
    meta = t(lang, "generated", tool=tool, version=version, catalogue="；".join(view.catalogues) or "—", set=set_label)
    heading = t(lang, "title") + (f" · {title}" if title else "")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)}</title><style>{CSS}</style></head><body>",
        f'<header><h1>{_e(heading)}</h1><p class="meta">{_e(meta)}</p></header>',
        *body,
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def render(view: View, tool: str = "yjzl", version: str = "", compact: bool = False,
           part: tuple[str, str] | None = None) -> str:
    """The whole page; `part`: (title, index file) when the page is one part of a split report."""
    lang = view.lang
    back = [f'<p><a href="{_e(part[1])}">← {_e(t(lang, "back"))}</a></p>'] if part else []
    body = [
        *back,
        _nav(view),
        glance(view),
        progress(view),
        overview(view),
        charts(view),
        f'<section id="submissions"><h2>{_e(t(lang, "submissions"))}</h2>',
        *(submission(view, s, compact) for s in view.submissions),
        "</section>",
    ]
    return frame(view, tool, version, body, part[0] if part else None)
