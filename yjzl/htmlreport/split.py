"""A report for thousands of submitters: an index page and parts, each a page of its own.

One page with every submitter's detail grows by about 11 kB a submitter (110 MB
at 10 000), too big to open. Above SPLIT_ABOVE submissions the report becomes:
- index.html: the overview counts, the targets table, a histogram per targeted
  indicator over every submitter, and the table of parts with their counts;
- one page per region and form (parts of at most PAGE submitters), each the
  ordinary page for its submitters, with compact detail and a link back.
Files of one consortium stay together: a workbook goes to the part of its first form.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from html import escape

from yjzl.htmlreport import SPLIT_ABOVE
from yjzl.htmlreport.load import LoadedFile
from yjzl.htmlreport.model import View

__all__ = ["PAGE", "SPLIT_ABOVE", "Part", "index_page", "parts_of", "stale"]
PAGE = 200  # submissions per part at most: a part page of 表2 is then about 2–3 MB (its charts)


@dataclasses.dataclass(slots=True)
class Part:
    name: str  # the file name, e.g. "part-003.html"
    title: str  # e.g. "广东省 · 表3（2/3）"
    files: list[LoadedFile]
    counts: dict[str, int] = dataclasses.field(default_factory=dict)  # the part's View.counts, once written


def _submissions(lf: LoadedFile) -> int:
    return len(lf.report.forms)


def parts_of(files: Sequence[LoadedFile], lang: str) -> list[Part]:
    """Usable files grouped by (region, form) in sorted order, each group cut into pages of PAGE submissions."""
    blank = "（未填地区）" if lang == "zh" else "(no region)"
    groups: dict[tuple[str, str], list[LoadedFile]] = {}
    for lf in files:
        if lf.report.error or not lf.report.forms:
            continue  # unusable: listed on the index
        first = lf.report.forms[0]
        groups.setdefault((first.region or blank, first.code), []).append(lf)
    parts: list[Part] = []
    for (region, code), members in sorted(groups.items()):
        pages: list[list[LoadedFile]] = [[]]
        count = 0
        for lf in members:
            if count >= PAGE:
                pages.append([])
                count = 0
            pages[-1].append(lf)
            count += _submissions(lf)
        for k, page in enumerate(pages, 1):
            suffix = (f"（{k}/{len(pages)}）" if lang == "zh" else f" ({k}/{len(pages)})") if len(pages) > 1 else ""
            parts.append(Part(f"part-{len(parts) + 1:03d}.html", f"{region} · {code}{suffix}", page))
    return parts


def index_page(view: View, parts: list[Part], tool: str, version: str, prefix: str = "") -> str:
    """The index: overview over all (without the per-submitter table), targets, spread, parts.

    `prefix`: the parts' folder as seen from the index ("" when they are side by side)."""
    from yjzl.htmlreport import page
    from yjzl.htmlreport.glance import glance
    from yjzl.htmlreport.histogram import histogram
    from yjzl.htmlreport.progress import progress
    from yjzl.htmlreport.strings import par, t

    lang = view.lang
    e = escape
    rows = []
    for p in parts:
        c = p.counts
        rows.append([f'<a href="{e(prefix + p.name)}">{e(p.title)}</a>', str(c.get("submissions", 0)), str(c.get("pass", 0)),
                     str(c.get("fail", 0)), str(c.get("not_audited", 0)), str(c.get("errors", 0)), str(c.get("open_warnings", 0))])
    head = [t(lang, k) for k in ("part", "n_submissions", "n_pass", "n_fail", "n_not_audited", "n_errors", "n_open")]
    charts = [f'<figure class="chart" id="{s.key}"><figcaption>{e(s.name)}{par(lang, e(s.form_code))}</figcaption>'
              f'<p class="muted">{e(t(lang, "spread", n=len(s.with_values)))}</p>{histogram(s, lang)}</figure>'
              for s in view.charted]
    body = [
        f'<p>{e(t(lang, "split_note", n=view.counts["submissions"], parts=len(parts)))}</p>',
        glance(view),
        progress(view, _part_links(view, parts, prefix)),
        page.overview(view, per_submission=False),
        f'<section id="parts"><h2>{e(t(lang, "parts"))}</h2>' + page.table(head, rows, numeric=range(1, 7), cls="parts") + "</section>",
        f'<section id="charts"><h2>{e(t(lang, "charts"))}</h2>{"".join(charts)}</section>',
    ]
    return page.frame(view, tool, version, body)


def _part_links(view: View, parts: list[Part], prefix: str) -> dict[str, str]:
    """Each submission's section in its part (the index holds none): index key → "part-003.html#s7"."""
    from yjzl.htmlreport.model import submissions_of

    where = {}
    for p in parts:
        for s in submissions_of(p.files):  # the part page numbers its sections in this same order
            where[(s.file, s.form.sheet, s.form.form)] = f"{prefix}{p.name}#{s.key}"
    return {s.key: where[k] for s in view.submissions if (k := (s.file, s.form.sheet, s.form.form)) in where}


_SAFE = re.compile(r"^part-\d{3}\.html$")


def stale(names: Sequence[str], written: set[str]) -> list[str]:
    """Part pages of an earlier run in the same folder that this run did not write (ours by their name only)."""
    return [n for n in names if _SAFE.match(n) and n not in written]
