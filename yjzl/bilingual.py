"""Texts written in both languages, "中文 / English", cut to the one a person reads.

yjzl's library messages (why a file is unusable, why a sheet was skipped) and its option help are
written Chinese first, English after, so that a log or a JSON report carries both. A person's
output — the command line, the tables, the HTML report — shows them in the run's language only:
in English the English halves (`english`), in Chinese the Chinese halves (`chinese`). Details
after a half (a path, a cell, the system's own error text) are kept in both.
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


# The words yjzl's own English halves go on with after a colon ("…: refused", "…: add --force …"): wording the
# Chinese half has said already, not a detail (a system's "zip file version 20.0" is one, kept).
_PROSE = re.compile(r"^(refused|add|remove|use|see|not read|not written|name it|save)\b")
_SEPARATOR = re.compile(r" / |(?<=[）」』”】》])/ ")  # "中文 / English", "中文（…）/ English"
_STOP = "（）；\n"  # an English half never holds these: they close it


def _english_end(text: str, start: int) -> int:
    """Where the English half starting at `start` ends: before a full-width bracket, a Chinese separator,
    a line's end, an ASCII bracket it did not open, or an ASCII bracket holding Chinese (`(用 --form 指定 / …)`)."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in _STOP:
            return i
        if ch == "(":
            close = text.find(")", i)
            if close < 0 or has_cjk(text[i:close]):
                return i
            depth += 1
        elif ch == ")":
            if not depth:
                return i
            depth -= 1
    return len(text)


def chinese(message: str) -> str:
    """A library message written "path: 中文 / English: detail" with its English halves left out: its path,
    its Chinese and its details stay. After the English half's first words, a ": detail" is kept when it
    is a detail (a path, a cell, the system's error text) not already in the Chinese half; English
    wording ("refused", "add --force …") and what the Chinese half already says are left out."""
    out, pos = [], 0
    for m in _SEPARATOR.finditer(message):
        cut, begin = m.start(), m.end()
        if cut < pos:
            continue  # inside an English half already left out
        head = message[:cut]
        start = max(head.rfind(x) for x in (": ", "：", "；", "（", "(", "\n"))
        after = message[begin:begin + 1]
        if not (after.isascii() and (after.isalpha() or after in ".[")) or not has_cjk(head[start + 1:]):
            continue  # "a / b" in a path or a formula: not a Chinese half and its English
        end = _english_end(message, begin)
        out.append(message[pos:cut] + (" " if message[end - 1] == " " else ""))  # "表单 (用 …)" keeps its space
        parts = message[begin:end].split(": ")[1:]
        for i, part in enumerate(parts):
            token = part.strip()
            if has_cjk(token) and _SEPARATOR.search(": ".join(parts[i:])):  # a reason inside a reason (没有可用的输入: a.xlsx: 文件不存在 / …): said in Chinese whole
                out.append(": " + chinese(": ".join(parts[i:]).strip()))
                break
            if token and token not in head and not _PROSE.match(token) and not any(
                    len(w) >= 4 and (w[0] == "-" or "." in w) and w in head for w in token.split()):  # --force, 北京.yaml
                out.append(f": {token}")
        pos = end
    return "".join(out) + message[pos:]


def in_language(message: str, language: str) -> str:
    """A library message as a person reads it in `language` (see the module's note)."""
    return english(message) if language == "en" else chinese(message)
