"""Text and dates as the XML of a cell holds them, turned into what the cell shows (shared by the .xlsx decoders
and the .ods reader)."""

from __future__ import annotations

import datetime
import re
from html import unescape

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_x(text: str) -> str:
    """Decode ST_Xstring's _xHHHH_ escapes (the one for "_" itself too: _x005F_x000D_ is the text _x000D_).

    The noncharacters U+FFFE and U+FFFF stay as written, as openpyxl and calamine leave them."""
    return _ESCAPE.sub(_unx, text) if "_x" in text else text


def _unx(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return m.group(0) if code >= 0xFFFE else chr(code)


def raw_text(text: str) -> str:
    """Text as it stands in the XML, as a parser gives it: line ends normalised, entities and _xHHHH_ decoded."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = unescape(text)
    return unescape_x(text)


EPOCH = datetime.datetime(1899, 12, 30)  # serial 0 of the 1900 date system (with Excel's phantom 29 Feb 1900)


def serial(when: datetime.datetime) -> float:
    """The Excel date serial of a moment: before 1 March 1900 one lower, as Excel counts a 29 February 1900."""
    days = (when.replace(tzinfo=None) - EPOCH).total_seconds() / 86400
    return days - 1 if 1 <= days < 61 else days


def iso_serial(text: str) -> float | None:
    """The serial of ISO 8601 text (a date, a date and time, or a time of day alone); None when it is none."""
    text = text.strip().removesuffix("Z")
    try:
        if "T" in text or "-" in text:
            return serial(datetime.datetime.fromisoformat(text))
        t = datetime.time.fromisoformat(text)  # a time of day alone: a fraction of a day
        return (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6) / 86400
    except ValueError:
        return None
