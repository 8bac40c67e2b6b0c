"""The page's stylesheet, inlined so the file works offline (no CDN, no web fonts)."""

from __future__ import annotations

# System CJK fonts only: whatever of these the reader's machine has (Linux,
# macOS, Windows), then the generic family, which still covers CJK on most systems.
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
              '"WenQuanYi Micro Hei", "Noto Sans SC", sans-serif')

CSS = """
:root { --met: #1b7f3b; --miss: #b3261e; --warn: #8a5a00; --ink: #1f2328; --muted: #5f6368; --rule: #d0d7de; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
/* The window's width, not a narrow column: short cells (表1, a unit's name) never wrap on a laptop screen.
   Running text keeps a readable measure of its own (p). */
body { font-family: FONTS; color: var(--ink); font-size: 14px; line-height: 1.5; margin: 0; padding: 12px 28px 48px; }
p { max-width: 110ch; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 15px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
p.meta, .muted { color: var(--muted); font-size: 12px; }
td .muted { font-size: inherit; }
nav p { margin: 2px 0; }
/* Columns as wide as a name: as many as fit. Each item carries its own indent, so a marker ("21.") sits
   inside its own column instead of in the gap, over the previous column's text. */
nav ol { column-width: 30em; column-gap: 2.5em; font-size: 13px; margin: 4px 0; padding: 0; }
nav ol li { margin-left: 2.6em; break-inside: avoid; }
section#glance { margin: 6px 0 10px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.tile { border: 1px solid var(--rule); border-radius: 4px; padding: 4px 14px 6px; min-width: 8.5em; }
.tile .n { display: block; font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }
.tile .label { display: block; font-size: 13px; white-space: nowrap; }
.tile .note { display: block; font-size: 12px; color: var(--muted); white-space: nowrap; }
.tile.good .n { color: var(--met); }
.tile.bad .n { color: var(--miss); }
p.who { margin: 4px 0; }
h2#missed { margin-top: 14px; }
table.missed td:nth-child(2), table.missed td:nth-child(3) { white-space: nowrap; }
p.note { font-size: 13px; }
/* Short cells stay on one line (表1, a status, a count); only the long text columns may wrap. */
table.progress td:not(:last-child), table.submissions td:nth-child(n+2):not(:nth-child(3)), table.targets td:nth-child(n+2),
table.roster td:not(:last-child) { white-space: nowrap; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
span.ref, span.opt { white-space: nowrap; }
table.findings td:nth-child(-n+2), table.findings th { white-space: nowrap; }
span.met, span.pass { color: var(--met); font-weight: 600; white-space: nowrap; }
span.miss, span.fail { color: var(--miss); font-weight: 600; white-space: nowrap; }
span.warn { color: var(--warn); font-weight: 600; }
figure.chart { margin: 14px 0 26px; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
svg.bars { width: 100%; height: auto; max-width: 900px; display: block; font-family: inherit; }
svg.bars text { font-family: FONTS; fill: var(--ink); }
svg.bars text.mark.met { fill: var(--met); }
svg.bars text.mark.miss { fill: var(--miss); }
p.novalue { font-size: 13px; margin: 2px 0; }
details { margin: 4px 0; font-size: 13px; }
summary { cursor: pointer; color: var(--muted); }
section.submission { border-top: 1px solid var(--rule); margin-top: 18px; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 6px; font-size: 12px; margin-left: 6px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, details { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, figure.chart, svg.bars { break-inside: avoid; page-break-inside: avoid; }
  table { font-size: 9pt; }
  a { color: inherit; text-decoration: none; }
  /* A4 leaves 186 mm: the wide tables take the page's width and share it by column (table-layout: fixed),
     so no column pushes the table past the right edge; long text wraps inside its cell. */
  table.indicators, table.findings, table.submissions, table.targets, table.progress, table.roster, table.missed {
    width: 100%; table-layout: fixed; font-size: 8pt; }
  table th { white-space: normal; }
  th, td { padding: 2px 4px; overflow-wrap: anywhere; }
  table.indicators th:nth-child(1) { width: 30%; } table.indicators th:nth-child(2) { width: 9%; }
  table.indicators th:nth-child(3) { width: 8%; } table.indicators th:nth-child(4) { width: 10%; }
  table.indicators th:nth-child(5) { width: 10%; } table.indicators th:nth-child(6) { width: 15%; }
  table.indicators th:nth-child(7) { width: 9%; } table.indicators th:nth-child(8) { width: 9%; }
  table.findings th:nth-child(1) { width: 6%; } table.findings th:nth-child(2) { width: 8%; }
  table.findings th:nth-child(3) { width: 20%; }
  table.findings.explained th:nth-child(4) { width: 36%; }
  table.submissions th:nth-child(1) { width: 20%; } table.submissions th:nth-child(3) { width: 22%; }
  table.targets th:nth-child(1) { width: 46%; }
  table.progress th:nth-child(1) { width: 22%; }
  .tile { padding: 2px 8px; } .tile .n { font-size: 16pt; }
  td.num { white-space: normal; }
  td { white-space: normal !important; }  /* on paper the width is fixed: every cell may wrap */
}
""".replace("FONTS", FONT_STACK)
