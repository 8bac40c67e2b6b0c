"""Label normalisation, shared by the catalogue index and the workbook reader.

People type labels by hand: stray and inner spaces, NBSP and full-width spaces,
zero-width characters, full-/half-width punctuation, leading item numbers
(`1.`, `1、`, `（1）`, `12.`), `其中：`, a trailing colon. `label_key` folds all
of that away so that both sides compare equal. Decorations that change the
meaning of a row (选填, 中医医院填写) are folded too: they mark the row, they do
not name a different field.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

# Characters that vanish: every kind of space, zero-width marks, the BOM.
_INVISIBLE = re.compile(r"[\s\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff]+")
_LEADING_NUMBER = re.compile(
    r"^(?:\(?\d{1,3}\)|\d{1,3}[.、．,，)]|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))+"
)
# （重复项）: a summary table's header for the second printing of an item the documents print twice
# (yjzl collect keeps its headers unique); the column is read in order, as the bare label is.
_DECORATIONS = ("(选填)", "(中医医院填写)", "(重复项)")
# The mark a template prints after a field an overlay added: "（北京增补）" (yjzl/template/messages.marks).
_LOCAL_MARK = re.compile(r"\([^()]{1,16}增补\)$")
_LEADING_WORDS = ("其中:", "其中,", "其中")


def clean_label(text: str) -> str:
    """The catalogue's label clean-up: drop PDF whitespace, keep `ICD-10 I21`."""
    text = unicodedata.normalize("NFC", text.strip())
    out = []
    for i, ch in enumerate(text):
        if ch.isspace():
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() and out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(ch)
    return "".join(out)


# Circled and dingbat numbers (①, ❶, ➀, ㉑ …) are numbering too; NFKC would make ① a bare 1 and
# glue it to the label, so they become (1) first, which the numbering pattern removes.
_CIRCLED = {
    **{0x2460 + i: f"({i + 1})" for i in range(20)},  # ① … ⑳
    **{base + i: f"({i + 1})" for base in (0x2776, 0x2780, 0x278A) for i in range(10)},  # ❶ ➀ ➊ …
    **{0x3251 + i: f"({i + 21})" for i in range(15)},  # ㉑ … ㉟
    **{0x32B1 + i: f"({i + 36})" for i in range(15)},  # ㊱ … ㊿
}


def _fold(key: str) -> str:
    key = unicodedata.normalize("NFKC", key.translate(_CIRCLED))  # full-width → half-width
    key = _INVISIBLE.sub("", key).lower()
    key = key.replace("：", ":").replace("（", "(").replace("）", ")")
    for _ in range(2):  # "1.其中：" and "其中：1." both occur
        key = _LEADING_NUMBER.sub("", key)
        for word in _LEADING_WORDS:
            if key.startswith(word) and len(key) > len(word):
                key = key[len(word):]
    for deco in _DECORATIONS:
        key = key.replace(deco, "")
    if "增补" in key:  # cheaper than the regex on every label of a large sheet
        key = _LOCAL_MARK.sub("", key)
    return key.rstrip(":;,.。；，")


@lru_cache(maxsize=1 << 16)  # a batch repeats the same few hundred labels in every file
def label_key(text: str) -> str:
    """A label folded for matching: width, case, spaces, numbering, decorations.

    Invisible characters go first (a zero-width space between a letter and its accent must not
    keep NFKC from composing them), and the folding repeats until nothing changes, so that a key
    is its own key: removing "(选填)" may bare a leading "其中", and lower() may make a letter
    that NFKC composes differently.
    """
    key = _INVISIBLE.sub("", str(text))
    for _ in range(8):
        folded = _fold(key)
        if folded == key:
            break
        key = folded
    return key


# --- Text shown to a person or written for a program: nothing in it may act -------------------------
#
# A cell or a file name is the submitter's text. On a terminal, a control character in it acts
# (ESC ] 0; retitles the window, ESC [ 2 J clears it, CR overwrites the line) and a bidi override
# reorders what is shown; so they are shown as Python-style escapes, `\x1b`, `\u202e`. A file
# name that is not valid UTF-8 reaches Python as lone surrogates (PEP 383: byte 0x80 → U+DC80);
# they are shown as the byte they stand for, `\x80`, and can never be encoded into an output.

_UNSEEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSEEN_NL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_char(ch: str) -> str:
    """One character as the escape a person can see: `\\x1b`, `\\u202e`; an undecodable file-name byte as `\\x80`."""
    n = ord(ch)
    if 0xDC80 <= n <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(text: object, newlines: bool = True) -> str:
    """`text` safe to print on a terminal: control characters (but the newline, unless `newlines`
    is False), bidi overrides and undecodable bytes of a file name shown as escapes (`\\x1b`)."""
    text = str(text)
    pattern = _UNSEEN if newlines else _UNSEEN_NL
    return pattern.sub(lambda m: escape_char(m.group()), text) if pattern.search(text) else text


def utf8_safe(value: object) -> object:
    """Text that can be encoded as UTF-8 (for a writer that encodes it itself, sqlite3): a lone surrogate,
    an undecodable byte of a file name, becomes its visible escape `\\x80`; anything else as it is."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return _SURROGATE.sub(lambda m: escape_char(m.group()), value)
    return value


def json_safe(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) that is valid UTF-8: a lone surrogate
    (an undecodable byte of a file name) becomes the visible escape `\\x80` inside its string."""
    return _SURROGATE.sub(lambda m: "\\" + escape_char(m.group()), text) if _SURROGATE.search(text) else text


def _visible_errors(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler "yjzl-visible": what cannot be encoded (a lone surrogate) is written as its escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(escape_char(ch) for ch in exc.object[exc.start:exc.end]), exc.end


VISIBLE_ERRORS = "yjzl-visible"
codecs.register_error(VISIBLE_ERRORS, _visible_errors)
