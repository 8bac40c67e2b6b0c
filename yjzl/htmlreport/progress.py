"""The page's supervisor parts: the progress table (进度明细) against a roster, and what the totals leave out.

The progress table opens the page when a roster is given: each expected unit,
reported or not, passed or not, its open warnings, and a link to its section.
Then the units on no roster (名单外), the duplicates (重复报送: which one counts
and why) and the counts per region. Without a roster, the suspected duplicates
(疑似重复报送: one form from one submitter for one period, more than once) take its place.
"""

from __future__ import annotations

from yjzl.htmlreport.model import Submission, View, form_code
from yjzl.htmlreport.strings import colon, par, t


def _e(x: object) -> str:
    from html import escape

    return escape("" if x is None else str(x))


def _table(head: list[str], rows: list[list[str]], numeric: tuple[int, ...] = (), cls: str = "") -> str:
    from yjzl.htmlreport.page import table

    return table(head, rows, numeric, cls)


def progress(view: View, href: dict[str, str] | None = None) -> str:
    """`href`: where a submission's section is, when not on this page (a split report's index: in its part)."""
    r, lang = view.roster, view.lang
    by_key = {s.key: s for s in view.submissions}
    go = (lambda k: href.get(k, "")) if href is not None else (lambda k: f"#{k}")
    if r is None:
        return suspected(view, by_key, go)
    reported = sum(1 for p in r.units if p.submissions)
    out = [f'<section id="progress"><h2>{_e(t(lang, "progress"))}</h2>',
           f'<p class="meta">{_e(t(lang, "progress_line", file=r.file, expected=len(r.units), reported=reported, missing=len(r.missing), duplicates=len(r.duplicates), strangers=len(r.strangers)))}</p>']
    rows = []
    for p in r.units:
        u = p.unit
        if not p.submissions:
            state = f'<span class="fail">✗ {_e(t(lang, "not_reported"))}</span>'
            audit, errors, warnings, links = "—", "", "", ""
        else:
            state = f'<span class="pass">✓ {_e(t(lang, "reported"))}</span>'
            if len(p.submissions) > 1:
                state += f' <span class="warn">{_e(t(lang, "twice", n=len(p.submissions)))}</span>'
            audit = ("—" if p.passed is None else f'<span class="pass">✓ {_e(t(lang, "pass"))}</span>' if p.passed
                     else f'<span class="fail">✗ {_e(t(lang, "fail"))}</span>')
            warnings = "" if p.warnings_open is None else str(p.warnings_open)
            errors = errors_of(by_key.get(p.submissions[0]))  # of the submission that counts, as audit and warnings
            links = and_(lang).join(f'<a href="{_e(go(k))}">{_e(by_key[k].label)}</a>' for k in p.submissions if k in by_key)
        rows.append([_e(u.name), _e(u.org_code), _e(u.region), _e(u.form), state, audit, errors, warnings, links])
    head = [t(lang, k) for k in ("roster_unit", "org_code", "region", "form", "report_state", "status", "n_errors", "n_open", "section")]
    out.append(_table(head, rows, numeric=(6, 7), cls="progress"))
    if r.duplicates:
        out.append(f'<h3 id="duplicates">{_e(t(lang, "duplicates"))}{par(lang, str(len(r.duplicates)))}</h3>')
        out.append(_table([t(lang, k) for k in ("roster_unit", "counts", "set_aside", "reason")], [
            [_e(p.unit.name), _link(by_key, p.submissions[0], go), and_(lang).join(_link(by_key, k, go) for k in p.submissions[1:]), _e(p.why)]
            for p in r.duplicates], cls="roster duplicates"))
    if r.strangers:
        out.append(f'<h3 id="strangers">{_e(t(lang, "strangers"))}{par(lang, str(len(r.strangers)))}</h3>')
        out.append(_table([t(lang, k) for k in ("submission", "form", "org_code", "region")], [
            [_link(by_key, s.submission, go), _e(s.form), _e(s.org_code), _e(s.region)] for s in r.strangers], cls="roster strangers"))
    out.append(f'<h3 id="regions">{_e(t(lang, "by_region"))}</h3>')
    out.append(_table([t(lang, k) for k in ("region", "expected", "col_reported", "col_not_reported", "duplicates", "strangers")], [
        [_e(c.region), str(c.expected), str(c.reported), str(c.missing), str(c.duplicates), str(c.strangers)]
        for c in r.regions], numeric=(1, 2, 3, 4, 5), cls="roster regions"))
    out.append("</section>")
    return "".join(out)


def errors_of(s: Submission | None) -> str:
    """A submission's error count: its findings when audited here, else the counts a compute document carried."""
    if s is None:
        return ""
    if s.audited:
        return str(len(s.errors))
    return "" if s.form.audit is None else str(s.form.audit.errors)


def suspected(view: View, by_key: dict, go) -> str:
    """Without a roster: the submissions that look like one submitter's form sent twice (every copy still counts)."""
    from yjzl.batch.rows import matched_by
    from yjzl.period import parse

    lang, dups = view.lang, view.duplicates
    if not dups:
        return ""
    named = {s.form.code: form_code(s.form, lang) for s in view.submissions}  # 表3 → Form 3 with --lang en
    rows = [[_e(named.get(d.form, d.form)), _e(d.name or d.region), _e(parse(d.statistics_period).label(lang) if d.statistics_period else ""),
             _e(matched_by(d, lang)), and_(lang).join(_link(by_key, k, go) for k in d.submissions)] for d in dups]
    return (f'<section id="duplicates"><h2>{_e(t(lang, "suspected"))}{par(lang, str(len(dups)))}</h2>'
            f'<p class="meta">{_e(t(lang, "suspected_note"))}</p>'
            + _table([t(lang, k) for k in ("form", "roster_unit", "stat_period", "matched_by", "copies")], rows,
                     cls="roster duplicates") + "</section>")


def and_(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _link(by_key: dict, key: str, go) -> str:
    s = by_key.get(key)
    return f'<a href="{_e(go(key))}">{_e(s.label)}</a>' if s else _e(key)


def totals_note(view: View) -> str:
    """Under the target counts: what they leave out, each with its reason; or how many failing ones they include."""
    lang = view.lang
    out = []
    if view.left_out:
        items = "".join(f'<li><a href="#{s.key}">{_e(s.label)}</a>{colon(lang)}{_e(why)}</li>' for s, why in view.left_out)
        out.append(f'<p id="left-out"><strong>{_e(t(lang, "left_out", n=len(view.left_out)))}</strong></p><ul class="left-out">{items}</ul>')
    if not view.only_passing and view.failing_included:
        out.append(f'<p class="note">{_e(t(lang, "failing_included", n=view.failing_included))}</p>')
    return "".join(out)
