"""What a value cell holds, as formulas: the number yjzl reads, and what is wrong with the entry.

`normalise` is the hidden value column of live.py: the cell as `yjzl.workbook.values.parse`
reads it (a number ≥ 0, a whole one for a count; 是/否 and their synonyms as 1/0), or "" for a
blank, `--` or anything it would not read as a number. `entry_status` is the hidden column
of input statuses, the twin of the reader's input findings: a required cell left blank
(YJ001), an entry that is neither a number nor `--` (YJ003/4/5/9), a percentage that looks
like a fraction (YJ011, a warning a 说明 settles), an organisation code whose check digit is wrong
(YJ015, a warning too). The sets of words and dashes come from
values.py, so the two readings cannot drift apart silently.
"""

from __future__ import annotations

from yjzl.workbook import values

OK, INVALID, FRACTION, FRACTION_EXPLAINED, BLANK_REQUIRED, CODE_WRONG, CODE_EXPLAINED = 0, 1, 2, 3, 4, 5, 6
# values._DASHES after NFKC (－ → -, ＿ → _): the characters of "not counted", removed one by one.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u2500_\uff3f "


def _words(words: set[str], c: str) -> str:
    return "OR(" + ",".join(f'TRIM({c})="{w}"' for w in sorted(words)) + ")"


def odd_text(c: str) -> str:
    """True for text VALUE() reads as a number but yjzl does not: 85% (0.85 to VALUE), dates and
    times (2019-1-1, 1/2, 12:30 are day numbers to VALUE). A plain number has none of % - / :
    (a negative one is refused anyway; 1e-3 is the one plain number this leaves out)."""
    inner = c
    for ch in "%-/:":
        inner = f'SUBSTITUTE({inner},"{ch}","")'
    return f"LEN({inner})<LEN({c})"


def _fits(kind: str, x: str) -> str:
    return f"AND({x}>=0,{x}=INT({x}))" if kind == "count" else f"{x}>=0"


def normalise(kind: str, c: str) -> str:
    """The value cell `c` as yjzl reads it, or ""."""
    if kind == "yesno":  # "=" compares text without case in all three programs, as the reader's lower()
        return f'IF({_words(values.YES, c)},1,IF({_words(values.NO, c)},0,""))'
    v = f"VALUE(TRIM({c}))"
    return (f'IF(ISNUMBER({c}),IF({_fits(kind, c)},{c},""),IF(ISERROR({v}),"",'
            f'IF({odd_text(c)},"",IF({_fits(kind, v)},{v},""))))')


def accepts(kind: str, c: str) -> str:
    """The data validation of a numeric cell: TRUE exactly where ISNUMBER(normalise(c)) or c is `--`
    (shorter than that, for Excel's 255 characters; the agreement test evaluates both)."""
    v = f"VALUE(TRIM({c}))"
    whole = f"MOD({v},1)=0," if kind == "count" else ""  # = INT() for a number ≥ 0, shorter
    plain = odd_text(c).replace("<", "=")  # no % - / : in the text
    return f'IF(ISNUMBER({c}),{_fits(kind, c)},IF(ISERROR({v}),TRIM({c})="--",AND({v}>=0,{whole}{plain})))'


def is_dash(c: str) -> str:
    """True when the cell holds only dashes (`--`, `—`, `－－` …): "not counted", not a wrong entry."""
    inner = f"TRIM({c})"
    for ch in DASHES:
        inner = f'SUBSTITUTE({inner},"{ch}","")'
    return f"LEN({inner})=0"


# The organisation codes' check digits (yjzl.rules.orgcode, YJ015): the 18-character 统一社会信用代码 of
# GB 32100 (its alphabet and weights, as python-stdnum's stdnum.cn.uscc) and the 9-character 组织机构代码
# of GB 11714. A code of neither shape is not judged, as by validate.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def compact_code(c: str) -> str:
    """The code in `c` without spaces and hyphens, in capitals (orgcode.wrong_check_digit's clean-up)."""
    inner = f"TRIM({c})"
    for ch in (" ", "-", "－", "—", "\u3000"):
        inner = f'SUBSTITUTE({inner},"{ch}","")'
    return f"UPPER({inner})"


def _digit_sum(k: str, weights: tuple[int, ...], alphabets: list[str]) -> str:
    """Σ value(char i) × weight i; an error when a character is not in its alphabet (FIND fails)."""
    return "+".join(f'(FIND(MID({k},{i + 1},1),"{a}")-1)*{w}' for i, (w, a) in enumerate(zip(weights, alphabets)))


def expected_check(k: str) -> str:
    """The check character the compacted code `k` should end with, or "" when it has neither code's shape."""
    digits = "0123456789"
    uscc = _digit_sum(k, USCC_WEIGHTS, [digits] * 8 + [USCC_ALPHABET] * 9)
    org = _digit_sum(k, ORG_WEIGHTS, [ORG_ALPHABET] * 8)
    last18 = f'NOT(ISERROR(FIND(RIGHT({k},1),"{USCC_ALPHABET}")))'
    last9 = f'NOT(ISERROR(FIND(RIGHT({k},1),"0123456789X")))'
    c9 = f"11-MOD({org},11)"
    return (f'IF(LEN({k})=18,IF(ISERROR({uscc}),"",IF({last18},MID("{USCC_ALPHABET}",MOD(31-MOD({uscc},31),31)+1,1),"")),'
            f'IF(LEN({k})=9,IF(ISERROR({org}),"",IF({last9},IF({c9}=10,"X",IF({c9}=11,"0",""&({c9}))),"")),""))')


def entry_status(kind: str, c: str, norm: str, note: str, required: bool, check: str | None = None) -> str:
    """OK, INVALID, FRACTION (or FRACTION_EXPLAINED with a 说明), BLANK_REQUIRED, or for a code CODE_WRONG
    (CODE_EXPLAINED) when `check` (the cell of its expected check character) disagrees with its last one."""
    blank = str(BLANK_REQUIRED if required else OK)
    if kind == "code" and check:
        explained = f"IF(LEN(TRIM({note}))>0,{CODE_EXPLAINED},{CODE_WRONG})"
        return (f'IF(LEN(TRIM({c}))=0,{blank},IF(LEN({check})=0,{OK},'
                f'IF(RIGHT({norm},1)={check},{OK},{explained})))')
    if kind in ("text", "code"):
        return f"IF(LEN(TRIM({c}))=0,{blank},{OK})" if required else str(OK)  # optional text: nothing to check
    good = str(OK)
    if kind == "percent":  # 0 < x ≤ 1 in a per-cent field: 0.85 typed for 85 %?
        good = f"IF(AND({norm}>0,{norm}<=1),IF(LEN(TRIM({note}))>0,{FRACTION_EXPLAINED},{FRACTION}),{OK})"
    return f"IF(LEN(TRIM({c}))=0,{blank},IF(ISNUMBER({norm}),{good},IF({is_dash(c)},{OK},{INVALID})))"
