"""Check digits of organisation codes: the 18-character 统一社会信用代码 and the 9-character 组织机构代码.

The 18-character code (GB 32100-2015) is checked with python-stdnum's `stdnum.cn.uscc`, a maintained
implementation; imported lazily, only when a form holds a code. python-stdnum (2.2) has no module for
the older 9-character code (GB 11714-1997), so its check digit is computed here from the standard:
weights 3 7 9 10 5 8 4 2 over the eight body characters (0–9, A–Z as 10–35), check = 11 − Σ mod 11,
written X for 10 and 0 for 11.
"""

from __future__ import annotations

import re

_ORG = re.compile(r"[0-9A-Z]{8}[0-9X]")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check_digit(body: str) -> str:
    """The GB 11714 check character of an eight-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def wrong_check_digit(text: str) -> tuple[str, str] | None:
    """(expected check character, standard) when `text` has a code's shape but a wrong check digit; else None.

    A value that is not shaped like either code (a local number, a name) is left alone: only the
    check digit is judged, as the forms print no format for 医院组织机构代码.
    """
    code = re.sub(r"[\s\-－—]", "", text).upper()
    if len(code) == 18:
        from stdnum.cn import uscc  # lazily: only forms with a code pay for the import

        if not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", code) or not code[:8].isdigit():
            return None
        expected = uscc.calc_check_digit(code[:17])
        return None if code[17] == expected else (expected, "GB 32100")
    if len(code) == 9 and _ORG.fullmatch(code):
        expected = org_check_digit(code[:8])
        return None if code[8] == expected else (expected, "GB 11714")
    return None
