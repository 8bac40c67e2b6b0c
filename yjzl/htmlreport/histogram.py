"""How thousands of submissions spread against a target: a histogram as inline SVG.

The index page of a split report (yjzl.htmlreport.split) cannot draw a bar per
submitter (10 000 bars are megabytes and unreadable); it draws how many
submitters fall in each interval of the value, with the target as the same
dashed line as the bar charts. A bin is solid green when every value in it meets
the target, hatched red when none does, and split in two (the counts of each)
when the target falls inside it, so greyscale print reads the same.
"""

from __future__ import annotations

from html import escape

from yjzl.htmlreport.model import Series
from yjzl.htmlreport.strings import num, op, t, with_unit
from yjzl.htmlreport.svg import MET, MISS, _r, domain

BINS = 20
LEFT, PLOT_W, PLOT_H, TOP, AXIS_H = 50.0, 800.0, 160.0, 28.0, 24.0
WIDTH = LEFT + PLOT_W + 20


def histogram(series: Series, lang: str) -> str:
    pts = series.with_values
    tgt = series.target
    values = [p.result.value for p in pts if p.result.value is not None]
    lo, hi, _ = domain(values, tgt.value)
    width = (hi - lo) / BINS
    met = [0] * BINS
    miss = [0] * BINS
    for p in pts:
        k = min(BINS - 1, int(((p.result.value or 0.0) - lo) / width)) if width else 0
        (met if p.target.met else miss)[k] += 1
    top = max(m + n for m, n in zip(met, miss)) or 1
    hatch = f"hist-{series.key}"
    aria = t(lang, "chart_aria", name=series.name, form=series.form_code, n=len(pts), met=sum(met),
             op=op(tgt.op), value=with_unit(tgt.value, series.unit))
    out = [f'<svg class="bars hist" role="img" aria-label="{escape(aria)}" viewBox="0 0 {_r(WIDTH)} {_r(TOP + PLOT_H + AXIS_H)}" '
           f'width="{_r(WIDTH)}" height="{_r(TOP + PLOT_H + AXIS_H)}"><title>{escape(aria)}</title>',
           f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
           f'<rect width="6" height="6" fill="#fbe3e1"/><rect width="2.5" height="6" fill="{MISS}"/></pattern></defs>']
    base = TOP + PLOT_H
    step = PLOT_W / BINS
    for k in range(BINS):
        x = LEFT + k * step
        y = base
        for count, fill, stroke, cls in ((met[k], MET, MET, "met"), (miss[k], f"url(#{hatch})", MISS, "miss")):
            if count:
                h = PLOT_H * count / top
                y -= h
                out.append(f'<rect class="bin {cls}" data-count="{count}" x="{_r(x + 1)}" y="{_r(y)}" width="{_r(step - 2)}" '
                           f'height="{_r(h)}" fill="{fill}" stroke="{stroke}"><title>{num(lo + k * width)}–{num(lo + (k + 1) * width)}'
                           f"：{count}</title></rect>")
        if met[k] + miss[k]:
            out.append(f'<text x="{_r(x + step / 2)}" y="{_r(y - 3)}" text-anchor="middle" font-size="10">{met[k] + miss[k]}</text>')
    for k in range(0, BINS + 1, 4):
        x = LEFT + k * step
        out.append(f'<text class="tick" x="{_r(x)}" y="{_r(base + 16)}" text-anchor="middle" font-size="11" fill="#5f6368">'
                   f"{num(round(lo + k * width, 9))}</text>")
    out.append(f'<line x1="{_r(LEFT)}" y1="{_r(base)}" x2="{_r(LEFT + PLOT_W)}" y2="{_r(base)}" stroke="#9aa0a6"/>')
    tx = LEFT + (tgt.value - lo) / (hi - lo) * PLOT_W
    anchor = "end" if tx > LEFT + PLOT_W * 0.8 else ("start" if tx < LEFT + PLOT_W * 0.2 else "middle")
    out.append(f'<g class="target" data-target="{num(tgt.value)}"><line x1="{_r(tx)}" y1="{_r(TOP - 6)}" x2="{_r(tx)}" '
               f'y2="{_r(base)}" stroke="#202124" stroke-width="2" stroke-dasharray="6 4"/><text x="{_r(tx)}" y="{_r(TOP - 10)}" '
               f'text-anchor="{anchor}" font-size="12" font-weight="bold">'
               f'{escape(t(lang, "target_label", op=op(tgt.op), value=with_unit(tgt.value, series.unit)))}</text></g>')
    out.append("</svg>")
    return "".join(out)
