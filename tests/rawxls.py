"""Write small Excel .xls record streams by hand ([MS-XLS]), to test the .xls reader on what LibreOffice never writes:
built-in East-Asian number formats, BIFF2 files of Excel 2.x, streams named WORKBOOK, huge sheets.

`biff8(sheets)` is a BIFF8 Workbook stream (wrap it with tests.corpus.cfb for an OLE file; xlrd also reads it bare);
`biff2(cells)` a whole Excel 2.x worksheet file. Cells are (row, col) → a float, a str, or (float, format id).
"""

from __future__ import annotations

import struct


def rec(code: int, body: bytes) -> bytes:
    return struct.pack("<HH", code, len(body)) + body


def _short_unicode(text: str) -> bytes:  # ShortXLUnicodeString, UTF-16
    return struct.pack("<BB", len(text), 1) + text.encode("utf-16-le")


def _unicode(text: str) -> bytes:  # XLUnicodeString, UTF-16
    return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")


def _font() -> bytes:
    return rec(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _short_unicode("Arial"))


def _xf(fmt: int, style: bool) -> bytes:
    flags = 0xFFF5 if style else 0x0001  # a style XF (parent 0xFFF), or a cell XF whose parent is style XF 0
    return rec(0x00E0, struct.pack("<HHHBBBBIiH", 0, fmt, flags, 0x20, 0, 0, 0, 0, 0, 0x20C0))


BOF_GLOBALS = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)
BOF_SHEET = struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6)
EOF = rec(0x000A, b"")


def biff8(sheets: dict[str, dict[tuple[int, int], object]], formats: dict[int, str] | None = None,
          extra: dict[str, bytes] | None = None) -> bytes:
    """A Workbook stream. A cell (float, id) is formatted with number format `id` (a built-in one, or one of
    `formats`: id → format string, ids ≥ 164). extra: sheet name → raw records added to that sheet (big ones)."""
    formats = formats or {}
    ids = sorted({v[1] for cells in sheets.values() for v in cells.values() if isinstance(v, tuple)})
    xf_of = {fid: 16 + i for i, fid in enumerate(ids)}  # 16 style XFs first, as Excel writes, then one cell XF a format
    head = rec(0x0809, BOF_GLOBALS) + rec(0x0042, struct.pack("<H", 1200))
    head += b"".join(_font() for _ in range(5))
    head += b"".join(rec(0x041E, struct.pack("<H", fid) + _unicode(code)) for fid, code in formats.items())
    head += b"".join(_xf(0, True) for _ in range(16)) + b"".join(_xf(fid, False) for fid in ids)
    bodies = []
    for name, cells in sheets.items():
        body = rec(0x0809, BOF_SHEET)
        for (r, c), value in sorted(cells.items()):
            fid = None
            if isinstance(value, tuple):
                value, fid = value
            xf = xf_of[fid] if fid is not None else 15
            if isinstance(value, str):
                body += rec(0x0204, struct.pack("<HHH", r - 1, c - 1, xf) + _unicode(value))
            else:
                body += rec(0x0203, struct.pack("<HHHd", r - 1, c - 1, xf, float(value)))
        body += (extra or {}).get(name, b"") + EOF
        bodies.append((name, body))
    sheet_list = [rec(0x0085, struct.pack("<IBB", 0, 0, 0) + _short_unicode(name)) for name, _ in bodies]
    position = len(head) + sum(map(len, sheet_list)) + len(EOF)
    out = head
    for name, body in bodies:
        out += rec(0x0085, struct.pack("<IBB", position, 0, 0) + _short_unicode(name))
        position += len(body)
    return out + EOF + b"".join(body for _, body in bodies)


def mulrk_rows(rows: int, cols: int) -> bytes:
    """`rows` rows of `cols` cells (the RK number 1), as MULRK records: ~6 bytes a cell."""
    rk = struct.pack("<HI", 15, 0x3FF00000)  # XF 15, RK of 1.0 (the high 30 bits of the double)
    out = []
    for r in range(rows):
        out.append(rec(0x00BD, struct.pack("<HH", r, 0) + rk * cols + struct.pack("<H", cols - 1)))
    return b"".join(out)


def biff2(cells: dict[tuple[int, int], object]) -> bytes:
    """An Excel 2.x worksheet file (BIFF2: no container, one sheet): NUMBER and LABEL records."""
    out = rec(0x0009, struct.pack("<HH", 0x0002, 0x0010))
    for (r, c), value in sorted(cells.items()):
        cell_attrs = b"\0\0\0"
        if isinstance(value, str):
            text = value.encode("cp1252")
            out += rec(0x0004, struct.pack("<HH", r - 1, c - 1) + cell_attrs + struct.pack("<B", len(text)) + text)
        else:
            out += rec(0x0003, struct.pack("<HH", r - 1, c - 1) + cell_attrs + struct.pack("<d", float(value)))
    return out + EOF
