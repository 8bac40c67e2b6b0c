"""Texts written in both languages, "中文 / English", cut to the one a person reads.

yjzl's library messages (why a file is unusable, why a sheet was skipped) and its option help are
written Chinese first, English after, so that a log or a JSON report carries both. A person's
output — the command line, the tables, the HTML report — shows them in the run's language: in
English only the English (`english`), in Chinese as written (Chinese first; the English half
names the same thing for whoever is helping).
"""

from __future__ import annotations

import functools
import re

_EXTRA = re.compile(r"(\s+\[[^\]]*\])$")  # click's "  [default: …]" after an option's help
_SPLIT = re.compile(r"\s*/\s+|\s+/\s*")  # "中文 / English", also "中文）/ English"
# "中文 / English" inside a library message: the Chinese half, after the start or a separator.
_ZH_HALF = (r"(^|: |; |；|（|\(|，)([^:;/（()\n]*?[\u3400-\u9fff][^:;/（()\n]*?) / (?=[A-Za-z])")


@functools.cache
def _cjk() -> re.Pattern[str]:  # compiled on first use: ~1.5 ms that `yjzl validate` need not pay
    return re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    return bool(_cjk().search(text))


def pick(text: str, language: str) -> str:
    """"中文 / English" → the part in the language; a text not written that way is kept whole."""
    m = _EXTRA.search(text)
    extra = m.group(1) if m else ""
    body = text[: len(text) - len(extra)]
    for cut in _SPLIT.finditer(body):
        zh, en = body[: cut.start()], body[cut.end():]
        if has_cjk(zh) and not has_cjk(en):
            if language == "en":
                return en + extra
            if en.endswith(":") and not zh.endswith(("：", ":")):  # "例 / examples:" heads a list
                zh += "："
            return zh + extra
    return text


def english(message: str) -> str:
    """A library message written "path: 中文 / English: detail" with its Chinese halves left out: its path,
    its English and its details stay. A Chinese half with brackets of its own (不是 .xlsx 工作簿（…）/ not …),
    which the pattern cannot delimit, is cut as one "中文 / English" text."""
    out = re.sub(_ZH_HALF, r"\1", message)
    if has_cjk(out):
        whole = pick(message, "en")
        if not has_cjk(whole):
            return whole
    return out


def in_language(message: str, language: str) -> str:
    """A library message as a person reads it in `language` (see the module's note)."""
    return english(message) if language == "en" else message
