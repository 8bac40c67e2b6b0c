"""What a number format shows: a percentage, a date or time, or neither (shared by the .xlsx and .xls readers)."""

from __future__ import annotations

import re

# Built-in number formats that display percentages or dates (ECMA-376 Part 1, 18.8.30; a BIFF8 .xls uses the same ids and
# stores no format string for them): 9, 10 percentages; 14–22, 45–47 dates and times; the East-Asian ones, 27–36 and
# 50–58, dates and times (yyyy"年"m"月"d"日", 上午/下午h"时"mm"分" …); the Thai ones, 67–68 percentages, 71–81 dates
# and times. The rest (37–44, 48, 49, 59–62, 69, 70) are numbers or text. xlrd's own table agrees on the dates.
_PERCENT_IDS = {9, 10, 67, 68}
_DATE_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)}


def builtin_flags(fid: int) -> tuple[bool, bool]:
    """(percent, date) for a built-in number format id."""
    return fid in _PERCENT_IDS, fid in _DATE_IDS


# What a format shows, judged on its first section with quoted text, escapes and [colour]/[condition] removed
# (but not the elapsed-time codes [h], [mm], [ss]): a percentage, or any date or time code. This is the rule
# openpyxl applies (openpyxl.styles.numbers.is_date_format), and Excel's own.
_NOT_SHOWN = re.compile(r'"[^"]*"|\\.|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")


def format_flags(code: str) -> tuple[bool, bool]:
    """(percent, date) for a number format code."""
    shown = _NOT_SHOWN.sub("", code.split(";")[0])
    return "%" in shown, _DATE_CODE.search(shown) is not None
