"""Plain-text tables that line up Chinese text and fit the terminal.

A wide character takes two columns. The layout follows tabulate's "simple" format: a header, a
rule of dashes, then rows; numbers right-aligned; a cell may hold several lines. A table wider than
the terminal (`COLUMNS`, else the real width of a terminal; no limit when the output is not a
terminal) narrows its widest text columns and wraps their text, words kept whole where there are
spaces; a table with too many columns for any narrowing (`compute --wide`) is cut into several,
each repeating the first column. The full text is in JSON and CSV, which are never wrapped.

Why not tabulate (measured again for issue 24, docs/terminal.md): tabulate 0.10 with wcwidth imports in
~240 ms on this machine and renders 50 wrapped findings in ~48 ms (this module: ~10 ms); its `maxcolwidths`
caps each column on its own, so the table still overflows 80 columns (89 measured), and its wrapping splits
numbers (（4|0000000）) and puts 」 at the start of a line. Fitting a total width, keeping codes, numbers,
brackets and quotes whole, and cutting a too-wide table would all stay this module's work.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import unicodedata
from collections.abc import Sequence

from yjzl.text import visible

GAP = 2  # spaces between columns
NARROWEST = 6  # a text column is not narrowed below this (three Chinese characters)


def width(text: str) -> int:
    """Display width on a terminal: East Asian wide and full-width characters count 2."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


@functools.lru_cache(maxsize=4096)
def _wide(ch: str) -> int:
    return width(ch)


def terminal_width() -> int | None:
    """COLUMNS when set, else the terminal's width; None (no limit) when stdout is not a terminal."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        if sys.stdout.isatty():
            return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        pass
    return None


def wrap(text: str, limit: int) -> list[str]:
    """Lines of at most `limit` columns: break after a space when the line has one, else anywhere
    (Chinese has no spaces between words). A continuation line does not start with a space."""
    if width(text) <= limit:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for ch in text:
        w = 1 if ch < "\u1100" else _wide(ch)  # the common case without a call
        if used + w > limit and line.strip():
            cut = _break(line) if not ch.isspace() else len(line)
            if cut == len(line) > 1 and (ch in _NO_LINE_START or (ch.isascii() and ch.isalnum() and not line[-1].isascii())):
                cut -= 1  # no line starts with ，or ）; 表|4: a character and the number after it stay together
            cut = _settle(line, cut, ch)
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip(" ")
            used = width(line)
        if ch.isspace() and lines and not line:
            continue
        line += ch
        used += w
    if line.strip():
        lines.append(line)
    return lines


_NO_LINE_START = set("，。、；：！？）」』”’》〉】,.;:!?)")
_NO_LINE_END = set("（「『“‘《〈【([")
_TOKEN = re.compile(r"[\w.%+\-:!$#*]+", re.ASCII)  # a code, a number, a cell (a path breaks at its slashes)
LONGEST_TOKEN = 24  # a code (18 characters), a number or a cell up to this is never split across lines
_WORD = re.compile(r"[(\[]?[A-Za-z0-9_.,%+\-/:!'$~*#]+$")  # a Latin word (with its opening bracket), a number, a cell, a path


def _settle(line: str, cut: int, after: str) -> int:
    """Move a break back until no line starts with ）」, ends with （“, or splits a number or word: a bracket or
    quote stays with its text. `after`: the character that follows the line."""
    def word(ch: str) -> bool:
        return ch.isascii() and (ch.isalnum() or ch in "._%")

    for _ in range(8):
        was = cut
        while cut > 1 and (line[cut:] or after)[0] in _NO_LINE_START:
            cut -= 1
        start = cut
        while start > 0 and word(line[start - 1]) and word((line[start:] or after)[0]):
            start -= 1
        if 0 < start < cut and cut - start <= LONGEST_TOKEN:
            cut = start
        while cut > 1 and line[cut - 1] in _NO_LINE_END:
            cut -= 1
        if cut == was:
            break
    return max(cut, 1)


def _break(line: str) -> int:
    """Where to end a full line: before the Latin word or number it ends in, if that word is short
    and not the whole line (a number is not cut in two); else at the end."""
    comma = line.rfind(", ")  # a list of cells or names: after its last complete item
    if comma > 0 and width(line[comma + 2:]) <= 24 and " " not in line[comma + 2:]:
        return comma + 2
    m = _WORD.search(line)
    if m and m.start() > 0 and len(m.group()) <= 24:
        return m.start()
    return len(line)


def fit_line(text: str, limit: int | None = -1) -> str:
    """A free line (a heading, a summary) wrapped to the terminal, continuation lines indented."""
    text = visible(text)  # a file name or a cell's text: its control characters shown, not acted on
    limit = terminal_width() if limit == -1 else limit
    if not limit or width(text) <= limit:
        return text
    first = wrap(text, limit)[0]
    rest = wrap(text[len(first):].lstrip(), max(limit - 2, 8))
    return "\n".join([first, *("  " + x for x in rest)])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else f"{value:.6g}"
    return str(value)


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fit(natural: list[int], floors: list[int], room: int) -> list[int] | None:
    """Column widths within `room`: the widest columns are narrowed first to a common cap."""
    if sum(natural) <= room:
        return natural
    if sum(floors) > room:
        return None
    lo, hi = 1, max(natural)
    while lo < hi:  # the largest cap that fits
        cap = (lo + hi + 1) // 2
        if sum(min(n, max(cap, f)) for n, f in zip(natural, floors)) <= room:
            lo = cap
        else:
            hi = cap - 1
    widths = [min(n, max(lo, f)) for n, f in zip(natural, floors)]
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: natural[i] - widths[i], reverse=True):  # hand out what is left
        give = min(spare, natural[i] - widths[i])
        widths[i] += give
        spare -= give
    return widths


def _unbreakable(text: str) -> int:
    """The widest code, number or cell in a text (up to LONGEST_TOKEN): a column is not narrowed below it."""
    return max((len(t) for t in _TOKEN.findall(text) if len(t) <= LONGEST_TOKEN), default=0)


def render(rows: Sequence[Sequence[object]], headers: Sequence[str] | None = None, limit: int | None = -1,
           caps: Sequence[int | None] = ()) -> str:
    """The table as text; without headers, just aligned columns. `limit`: the width to fit
    (-1: the terminal's, `terminal_width`; None: no limit). `caps`: the most a column may take when the
    table must be narrowed, so that another (a finding's message) is given the width."""
    limit = terminal_width() if limit == -1 else limit
    texts = [[visible(_cell(v)).split("\n") for v in row] for row in rows]  # escaped before measured
    ncols = max([len(headers or [])] + [len(r) for r in texts])
    texts = [r + [[""]] * (ncols - len(r)) for r in texts]
    head = [[h] for h in headers] + [[""]] * (ncols - len(headers)) if headers else None
    data = [0] * ncols  # the widest value of each column, without its header (a header can wrap)
    for row in texts:
        for i, lines in enumerate(row):
            data[i] = max(data[i], *(width(x) for x in lines))
    natural = [max(data[i], width(head[i][0]) if head else 0) for i in range(ncols)]
    right = [bool(rows) and all(_numeric(r[i]) or r[i] in (None, "", "–") for r in rows if i < len(r)) and
             any(_numeric(r[i]) for r in rows if i < len(r)) for i in range(ncols)]
    if limit:
        tokens = [0] * ncols
        for row in texts:
            for i, lines in enumerate(row):
                tokens[i] = max(tokens[i], *(_unbreakable(x) for x in lines))
        floors = [max(data[i], min(natural[i], NARROWEST)) if right[i] else max(min(natural[i], NARROWEST), tokens[i])
                  for i in range(ncols)]
        room = limit - GAP * (ncols - 1)
        if sum(natural) > room:  # a number column is as wide as its numbers: its header wraps instead
            natural = [max(data[i], min(natural[i], 8)) if right[i] else natural[i] for i in range(ncols)]
        widths = None
        if caps and sum(natural) > room:  # narrowed: the capped columns first, to their cap; then the others
            capped = [*caps, *[None] * ncols][:ncols]
            natural = [max(f, min(n, c)) if c else n for n, f, c in zip(natural, floors, capped)]
            held = [n if c else f for n, f, c in zip(natural, floors, capped)]
            widths = _fit(natural, held, room) if sum(held) <= room else None
        widths = widths or _fit(natural, floors, room)
        slices = _slices(natural, floors, limit) if widths is None and ncols > 2 else []
        if len(slices) > 1:  # too many columns: several tables, each with the first column
            return "\n\n".join(render([[r[0], *r[a:b]] for r in rows], [headers[0], *headers[a:b]] if headers else None, limit)
                               for a, b in slices)
        widths = widths or natural
    else:
        widths = natural

    def wrapped(row: list[list[str]], header: bool) -> list[list[str]]:  # numbers are never cut; headers may be
        return [[x for line in lines for x in (wrap(line, widths[i]) if header or not right[i] else [line])]
                for i, lines in enumerate(row)]

    def line(cells: list[str]) -> str:
        out = []
        for i, text in enumerate(cells):
            pad = " " * max(0, widths[i] - width(text))
            out.append(pad + text if right[i] else text + pad)
        return (" " * GAP).join(out).rstrip()

    out = []
    for k, row in enumerate(([head] if head else []) + texts):
        cells = wrapped(row, k == 0 and bool(head))
        height = max((len(c) for c in cells), default=1)
        for j in range(height):
            out.append(line([c[j] if j < len(c) else "" for c in cells]))
        if k == 0 and head:
            out.append((" " * GAP).join("-" * w for w in widths))
    return "\n".join(out)


def _slices(natural: list[int], floors: list[int], limit: int) -> list[tuple[int, int]]:
    """Runs of columns 1… that fit beside column 0, each at its narrowed width."""
    first = min(natural[0], max(floors[0], 12))
    out, start, used = [], 1, first
    for i in range(1, len(natural)):
        w = min(natural[i], max(floors[i], 12))
        if i > start and used + GAP + w > limit:
            out.append((start, i))
            start, used = i, first
        used += GAP + w
    out.append((start, len(natural)))
    return out
