"""Turn what people type into a cell into a value of the field's kind.

The documents' rule: every field is filled; 0 means "not carried out" (未开展),
`--` means "not counted" (未统计, missing). People also type `—`, `－－`, `-`,
full-width digits, thousands separators, `85%`, 是/否, and numbers stored as
text. `parse` returns either a value or a problem code with its message
arguments; it never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from yjzl.catalogue.expr import MISSING
from yjzl.workbook.cells import Cell

# Everything people type for "not counted": --, —, ——, －－, -, –, ─ …
_DASHES = re.compile(r"^[\-\u2010-\u2015\u2212\uff0d\u2500\u2014_]+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,，]\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
YES = {"是", "有", "y", "yes", "true", "√", "✓", "1", "已", "已开展", "已建立"}
NO = {"否", "无", "n", "no", "false", "×", "✗", "0", "未", "未开展", "未建立"}
_INF = float("inf")
_PLAIN = {"count", "amount", "decimal", "permille"}  # numeric kinds with no percentage hint
NUMERIC = {"count", "amount", "decimal", "percent", "permille"}


@dataclass(frozen=True, slots=True)
class Parsed:
    value: object  # float, str, MISSING, or None for blank
    problem: str | None = None  # a finding code (see yjzl/rules/registry.py)
    detail: str = ""  # what was typed, for the message
    note: str | None = None  # a plausibility hint: "fraction" for 0.85 in a % field


BLANK = Parsed(None)


def _text(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value))  # full-width digits and signs → ASCII
    return re.sub(r"[\s\u200b-\u200f\u2060\ufeff]+", "", text)


def parse(cell: Cell | None, kind: str) -> Parsed:
    """The value of one cell for a field of `kind`."""
    if cell is None:
        return BLANK
    raw = cell.value
    # The commonest cell by far, taken first: a plain number ≥ 0 in a numeric field (a whole one for a count).
    if raw.__class__ is float and kind in _PLAIN and 0 <= raw < _INF and not (cell.error or cell.date) and (
            kind != "count" or raw.is_integer()):
        return Parsed(raw + 0.0)  # + 0.0: -0 reads as 0
    if cell.error:
        return Parsed(None, "YJ008", brief(cell.error))
    if not cell.cached:
        return Parsed(None, "YJ007")
    if raw is None or (isinstance(raw, str) and not _text(raw)):
        return BLANK
    if kind in ("text", "code"):
        if isinstance(raw, float):
            return Parsed(str(int(raw)) if raw.is_integer() else str(raw))
        return Parsed(str(raw).strip())
    if kind == "yesno":
        return _yesno(raw)
    if isinstance(raw, bool):
        return Parsed(None, "YJ003", "TRUE" if raw else "FALSE")
    if isinstance(raw, float):
        if cell.date:
            return Parsed(None, "YJ012", _as_date(raw))
        value = raw * 100 if (cell.percent and kind == "percent") else raw
        return _check_number(value, kind, raw, explicit_percent=cell.percent)
    return _from_text(str(raw), kind)


def _yesno(raw: object) -> Parsed:
    if isinstance(raw, bool):
        return Parsed(1.0 if raw else 0.0)
    text = _text(raw).lower().rstrip("。.")
    if _DASHES.match(text):
        return Parsed(MISSING)
    if isinstance(raw, float):
        text = f"{raw:g}"
    if text in YES:
        return Parsed(1.0)
    if text in NO:
        return Parsed(0.0)
    return Parsed(None, "YJ009", brief(str(raw)))


def _from_text(raw: str, kind: str) -> Parsed:
    text = _text(raw)
    if _DASHES.match(text):
        return Parsed(MISSING)
    shown = raw.strip()
    percent = False
    if text.endswith("%"):
        text, percent = text[:-1], True
        if kind != "percent":
            return Parsed(None, "YJ003", brief(shown))
    elif text.endswith("‰") and kind == "permille":
        text = text[:-1]
    if _THOUSANDS.match(text):
        text = text.replace(",", "").replace("，", "")
    if not _NUMBER.match(text):
        return Parsed(None, "YJ003", brief(shown))
    value = float(text)
    return _check_number(value, kind, shown, explicit_percent=percent)


def _check_number(value: float, kind: str, shown: str | float, explicit_percent: bool = False) -> Parsed:
    # `shown` is formatted only for a problem: most cells have none, and formatting every number costs.
    if value != value or value == _INF or value == -_INF:
        return Parsed(None, "YJ003", _shown(shown))
    if value < 0:
        return Parsed(None, "YJ005", _shown(shown))
    value += 0.0  # -0 typed is 0: never show "-0"
    if kind == "count":
        whole = round(value)
        if abs(value - whole) > 1e-9:
            return Parsed(None, "YJ004", _shown(shown))
        return Parsed(float(whole))
    if kind == "percent" and not explicit_percent and 0 < value <= 1:
        return Parsed(value, note="fraction")
    return Parsed(value)


def _as_date(serial: float) -> str:
    """An Excel date serial as the cell shows it (2024-02-01), and the number behind it."""
    import datetime as dt

    if 0 < serial < 1:  # a time of day or a duration under a time format (h:mm, [h]:mm): 2:30 is 0.104167
        minutes = round(serial * 1440)
        return f"{minutes // 60:02d}:{minutes % 60:02d} = {serial:g}"
    if not 1 <= serial < 2958466:  # 1900-01-01 … 9999-12-31
        return f"{serial:g}"
    day = dt.date(1899, 12, 30) + dt.timedelta(days=int(serial))  # Excel's epoch, after its 1900 leap-year bug
    return f"{day.isoformat()} = {serial:g}"


def _shown(shown: str | float) -> str:
    return f"{shown:g}" if isinstance(shown, float) else brief(shown)


BRIEF_CHARS = 60


def brief(text: str) -> str:
    """What was typed, short enough for a message: a pasted page becomes its start and its length."""
    text = " ".join(text.split())  # line breaks and runs of spaces would break a table's row
    return text if len(text) <= BRIEF_CHARS else f"{text[:BRIEF_CHARS - 1]}…（共 {len(text)} 字 / {len(text)} chars）"
