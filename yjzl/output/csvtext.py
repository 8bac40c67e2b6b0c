"""CSV that a spreadsheet opens as data: text that could start a formula is written as text.

Excel, WPS and LibreOffice evaluate a CSV field that starts with `=`, `+`, `-` or `@` (and, in
some versions, one that starts with a tab or a carriage return before those) as a formula:
`=HYPERLINK(...)` becomes a live link, `=cmd|' /C calc'!A0` asks to run a program. A hospital
name, a region, a 说明 or a file name is the submitter's text, so every text field of every CSV
yjzl writes follows the OWASP rule ("CSV injection"): a field that starts with one of
`= + - @`, a tab or a carriage return gets a leading apostrophe, which the spreadsheet shows and
never evaluates; a carriage return inside text becomes a line feed (`cell`). Numbers are written
as numbers (a negative value stays -2.5, not '-2.5).

There is deliberately no switch to turn this off: a program that reads yjzl's results should read
the JSON or JSON Lines output, which carries every text unchanged (docs/output-safety.md).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A CSV field: text that a spreadsheet would read as a formula gets a leading `'`, and a carriage
    return inside text becomes a line feed; numbers and the rest as they are.

    Why the carriage return: Python's csv module (with "\n" between rows, as here) does not quote a
    field that holds a bare CR, and a spreadsheet ends the row there, so the text after it would
    start a row of its own, unprotected (`x\r=1+1`). A line feed makes the field quoted and stays a
    line break inside the cell."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class Writer:
    """csv.writer whose text fields follow `cell`."""

    def __init__(self, out: TextIO, **kwargs: Any) -> None:
        self._w = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._w.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter:
    """csv.DictWriter's use here (columns by name, missing ones empty, extra keys ignored) with
    text fields that follow `cell`; the header too, since a --wide column may be named by a field."""

    def __init__(self, out: TextIO, fieldnames: Sequence[str], **kwargs: Any) -> None:
        kwargs.pop("extrasaction", None)
        self.fieldnames = list(fieldnames)
        self._w = Writer(out, **kwargs)

    def writeheader(self) -> Any:
        return self._w.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, object]) -> Any:
        return self._w.writerow([row.get(c, "") for c in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            self.writerow(row)
