"""A sorted horizontal bar chart as inline SVG: one bar per submission, the target as a dashed line.

Met and not met differ in three ways, so the chart reads in greyscale print
and for colour-blind readers: solid versus hatched fill, a ✓ or ✗ beside the
bar, and the colour. Geometry is fixed (a viewBox the page scales), which
also lets the tests compute where the target line must be.
"""

from __future__ import annotations

import math
from html import escape

from yjzl.htmlreport.model import Series
from yjzl.htmlreport.strings import colon, num, op, par, t, with_unit

LABEL_W = 230.0  # submission names, right-aligned against the plot
PLOT_W = 560.0  # the value axis
RIGHT_W = 130.0  # room for the marker and the value ("13141.03 人/万人") after the longest bar
WIDTH = LABEL_W + PLOT_W + RIGHT_W
TOP = 30.0  # the target's label sits above the bars
BAR_H = 18.0
GAP = 6.0
AXIS_H = 24.0
LEGEND_H = 24.0
FONT = 12.0
NEAR_AXIS = 24.0  # a target line closer than this to the zero axis gets its label moved out along a leader
MET, MISS, NOT_DUE = "#1b7f3b", "#b3261e", "#80868b"  # a target not yet due by the period's end: neither ✓ nor ✗


def nice_step(span: float) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^k) of about a fifth of the span."""
    raw = span / 5 if span > 0 else 0.2
    base = 10 ** math.floor(math.log10(raw))
    return next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= raw * (1 - 1e-9))


def domain(values: list[float], target: float) -> tuple[float, float, float]:
    """(lo, hi, step): whole steps from 0 (or below, for negative values) to at or above every value and the target.

    Whole steps rather than the next power-like number, so 109 % ends the axis at
    125, not 200, and bars use most of the width.
    """
    lo_raw, hi_raw = min(0.0, *values, target), max(0.0, *values, target)
    step = nice_step(hi_raw - lo_raw)
    lo = math.floor(lo_raw / step + 1e-9) * step
    hi = max(math.ceil(hi_raw / step - 1e-9), math.floor(lo_raw / step + 1e-9) + 1) * step
    return lo, hi, step


def x_of(v: float, lo: float, hi: float) -> float:
    return LABEL_W + (v - lo) / (hi - lo) * PLOT_W


def _fit(label: str, width: float = LABEL_W - 12) -> str:
    """Shorten a label to fit, counting CJK and full-width characters as 1 em and others as 0.6 em."""
    used, out = 0.0, []
    for ch in label:
        used += FONT if ord(ch) > 0x2E7F else FONT * 0.6
        if used > width - FONT:
            return "".join(out) + "…"
        out.append(ch)
    return label


def _r(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def bar_chart(series: Series, lang: str) -> str:
    pts = series.with_values
    values = [p.result.value for p in pts if p.result.value is not None]
    tgt = series.target
    lo, hi, step = domain(values, tgt.value)
    plot_h = len(pts) * (BAR_H + GAP)
    height = TOP + plot_h + AXIS_H + LEGEND_H
    hatch = f"hatch-{series.key}"
    target_text = t(lang, "target_label", op=op(tgt.op), value=with_unit(tgt.value, series.unit))
    aria = t(lang, "chart_aria", name=series.name, form=series.form_code, n=len(pts), met=sum(1 for p in pts if p.target.met),
             op=op(tgt.op), value=with_unit(tgt.value, series.unit))
    out = [
        f'<svg class="bars" role="img" aria-label="{escape(aria)}" '
        f'viewBox="0 0 {_r(WIDTH)} {_r(height)}" width="{_r(WIDTH)}" height="{_r(height)}" data-lo="{num(lo)}" data-hi="{num(hi)}">',
        f"<title>{escape(aria)}</title>",
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#fbe3e1"/><rect width="2.5" height="6" fill="{MISS}"/></pattern></defs>',
    ]
    # Grid and axis: a line and a number at every step.
    base = TOP + plot_h
    for k in range(round((hi - lo) / step) + 1):
        v = lo + k * step
        x = _r(x_of(v, lo, hi))
        out.append(f'<line class="grid" x1="{x}" y1="{_r(TOP)}" x2="{x}" y2="{_r(base)}" stroke="#e3e6ea"/>')
        out.append(f'<text class="tick" x="{x}" y="{_r(base + 16)}" text-anchor="middle" font-size="11" fill="#5f6368">{num(round(v, 9))}</text>')
    out.append(f'<line x1="{_r(LABEL_W)}" y1="{_r(base)}" x2="{_r(LABEL_W + PLOT_W)}" y2="{_r(base)}" stroke="#9aa0a6"/>')
    zero = x_of(max(lo, 0.0), lo, hi)
    # Three layers, painted in order: bars, then the target line across them, then
    # the ✓/✗ and values with a white halo, so the line never hides a number.
    marks = []
    for i, p in enumerate(pts):
        v = p.result.value or 0.0
        met = p.target.met is True
        due = p.target.met is not None  # met None with a value: the target is not yet due (未到期)
        cls = "met" if met else ("miss" if due else "notdue")
        colour = MET if met else (MISS if due else NOT_DUE)
        y = TOP + i * (BAR_H + GAP) + GAP / 2
        x0, x1 = sorted((zero, x_of(v, lo, hi)))
        shown = with_unit(v, series.unit)
        fill = MET if met else (f"url(#{hatch})" if due else "#e8eaed")
        out.append(
            f'<g class="bar {cls}" data-value="{num(v)}">'
            f"<title>{escape(p.submission.label)}{colon(lang)}{escape(shown)}{par(lang, escape(t(lang, {'met': 'met', 'miss': 'missed'}.get(cls, 'not_yet_due'))))}</title>"
            f'<text class="label" x="{_r(LABEL_W - 8)}" y="{_r(y + BAR_H - 5)}" text-anchor="end" font-size="{_r(FONT)}">'
            f"{escape(_fit(p.submission.label))}</text>"
            f'<rect class="bar-rect" x="{_r(x0)}" y="{_r(y)}" width="{_r(x1 - x0)}" height="{_r(BAR_H)}" fill="{fill}" '
            f'stroke="{colour}"/></g>'
        )
        end = x1 if v >= 0 else zero
        halo = 'stroke="#fff" stroke-width="3" paint-order="stroke"'
        marks.append(
            f'<text class="mark {cls}" x="{_r(end + 4)}" y="{_r(y + BAR_H - 5)}" font-size="13" font-weight="bold" '
            f'fill="{colour}" {halo}>{"✓" if met else ("✗" if due else "…")}</text>'
            f'<text class="value" x="{_r(end + 18)}" y="{_r(y + BAR_H - 5)}" font-size="{_r(FONT)}" {halo}>{escape(shown)}</text>'
        )
    tx = x_of(tgt.value, lo, hi)
    anchor = "end" if tx > LABEL_W + PLOT_W * 0.8 else ("start" if tx < LABEL_W + PLOT_W * 0.2 else "middle")
    label_x, leader, top = tx, "", TOP - 6
    if abs(tx - zero) < NEAR_AXIS:
        # Values dwarf the target (13 141 against 2): its line lies on the axis, and a label there would read as
        # the axis's title. The label moves right along a leader from the line's top, so it points at the line.
        label_x, anchor, top = tx + NEAR_AXIS + 6, "start", TOP - 14
        leader = (f'<line class="leader" x1="{_r(tx)}" y1="{_r(TOP - 14)}" x2="{_r(label_x - 3)}" y2="{_r(TOP - 14)}" '
                  f'stroke="#202124" stroke-width="1"/>')
        target_text = t(lang, "target_near_axis", text=target_text)
    out.append(
        f'<g class="target" data-target="{num(tgt.value)}"><line x1="{_r(tx)}" y1="{_r(top)}" x2="{_r(tx)}" y2="{_r(base)}" '
        f'stroke="#202124" stroke-width="2" stroke-dasharray="6 4"/>{leader}'
        f'<text x="{_r(label_x)}" y="{_r(TOP - 10)}" text-anchor="{anchor}" font-size="{_r(FONT)}" font-weight="bold">'
        f"{escape(target_text)}</text></g>"
    )
    out.append('<g class="values">' + "".join(marks) + "</g>")
    out.append(_legend(base + AXIS_H + 4, hatch, lang, any(p.target.met is None for p in pts)))
    out.append("</svg>")
    return "".join(out)


def _legend(y: float, hatch: str, lang: str, not_due: bool = False) -> str:
    x = LABEL_W
    ty = _r(y + 11)
    later = (f'<rect x="{_r(x + 360)}" y="{_r(y)}" width="14" height="14" fill="#e8eaed" stroke="{NOT_DUE}"/>'
             f'<text x="{_r(x + 380)}" y="{ty}">… {escape(t(lang, "not_yet_due"))}</text>') if not_due else ""
    return (
        f'<g class="legend" font-size="11">'
        f'<rect x="{_r(x)}" y="{_r(y)}" width="14" height="14" fill="{MET}"/>'
        f'<text x="{_r(x + 20)}" y="{ty}">{escape(t(lang, "legend_met"))}</text>'
        f'<rect x="{_r(x + 110)}" y="{_r(y)}" width="14" height="14" fill="url(#{hatch})" stroke="{MISS}"/>'
        f'<text x="{_r(x + 130)}" y="{ty}">{escape(t(lang, "legend_miss"))}</text>'
        f'<line x1="{_r(x + 230)}" y1="{_r(y + 7)}" x2="{_r(x + 256)}" y2="{_r(y + 7)}" stroke="#202124" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{_r(x + 262)}" y="{ty}">{escape(t(lang, "legend_target"))}</text>{later}</g>'
    )
