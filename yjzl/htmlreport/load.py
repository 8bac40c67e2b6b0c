"""Read a `yjzl validate` / `yjzl compute` JSON document back into the dataclasses of yjzl.report.

The document is an input a user hands us, so every mismatch becomes one line
naming the file and the JSON path of the bad value (UnusableInput), never a
traceback. Unknown keys are ignored: `compute` adds `groups` and `scores`,
and later versions may add more.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union

from yjzl.errors import UnusableInput
from yjzl.report import FileReport, Report

# A file entry without findings, or any file of a `compute` document (recognised
# by its own top-level keys), was not audited: the page must then say "not
# audited" rather than "passes the logic checks".
AUDIT_KEY = "findings"
COMPUTE_KEYS = ("groups", "scores", "previous")
# Values older documents wrote that the model has since renamed.
LEGACY = {"undefined": "denominator zero"}


@dataclasses.dataclass(slots=True)
class LoadedFile:
    report: FileReport
    audited: bool  # the document carried findings for this file


class _Bad(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}" if where else problem)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(type(value), "a number")


def _convert(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, where)
    if origin is list:
        if not isinstance(value, list):
            raise _Bad(where, f"应为列表 / expected a list, got {_kind(value)}")
        (item,) = typing.get_args(tp)
        return [_convert(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin in (Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, where)
    if origin is Literal:
        if value not in typing.get_args(tp) and LEGACY.get(value) in typing.get_args(tp):
            value = LEGACY[value]
        if value not in typing.get_args(tp):
            allowed = ", ".join(repr(a) for a in typing.get_args(tp))
            raise _Bad(where, f"应为 {allowed} 之一 / expected one of {allowed}, got {value!r}")
        return value
    if tp is float:
        # bool is an int in Python; a JSON true is not a number here.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _Bad(where, f"应为数字 / expected a number, got {_kind(value)}")
        return float(value)
    if tp in (str, bool) and not isinstance(value, tp):
        raise _Bad(where, f"应为{'文本' if tp is str else 'true/false'} / expected {_kind(tp())}, got {_kind(value)}")
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(cls: type, value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise _Bad(where, f"应为对象 / expected an object, got {_kind(value)}")
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in value:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise _Bad(where, f"缺少「{f.name}」/ '{f.name}' is missing")
            continue
        kwargs[f.name] = _convert(hints[f.name], value[f.name], f"{where}.{f.name}" if where else f.name)
    return cls(**kwargs)


def from_dict(doc: Any) -> tuple[Report, list[bool]]:
    """A Report from a `Report.to_dict()`-shaped document, and for each file whether it was audited.

    Raises ValueError (with the JSON path of the problem) when the document is not of that shape.
    """
    try:
        if not isinstance(doc, dict) or "files" not in doc:
            raise _Bad("", "不是 yjzl 的报告（缺少「files」）/ not a yjzl report: no top-level 'files'")
        files = _convert(list[FileReport], doc["files"], "files")
        head = {k: doc.get(k) for k in ("tool", "version", "catalogue", "lang")}
        # A compute document may not carry every header; they only label the page.
        report = Report(*(v if isinstance(v, str) else d for v, d in zip(head.values(), ("yjzl", "", "", "zh"))))
    except _Bad as exc:
        raise ValueError(str(exc)) from None
    report.files = files
    computed = any(k in doc for k in COMPUTE_KEYS)
    audited = [not computed and isinstance(f, dict) and AUDIT_KEY in f for f in doc["files"]]
    return report, audited


# JSON has no NaN or Infinity (Python's json reads them anyway), and a number beyond a double
# (1e999, or an integer of 400 digits) is no count or rate yjzl wrote: refused, with the number.
def _no_constant(name: str) -> object:
    raise ValueError(f"{name} 不是 JSON 数字 / {name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"数字过大 / number out of range: {text[:40]}")
    return value


def _int(text: str) -> int | float:
    if len(text.lstrip("-")) > 308:  # beyond any double; also before int() meets Python's 4 300-digit limit
        raise ValueError(f"数字过大 / number out of range: {text[:40]}…")
    return int(text)


def load_json(path: Path) -> tuple[Report, list[LoadedFile]]:
    """Read one JSON file; an unreadable or misshapen one raises UnusableInput naming it."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from Windows editors is harmless
    except UnicodeDecodeError:
        raise UnusableInput(str(path), "不是 UTF-8 编码的 JSON / not UTF-8 encoded JSON") from None
    except OSError as exc:
        raise UnusableInput(str(path), f"无法打开 / cannot open: {exc.strerror or exc}") from None
    try:
        doc = json.loads(text, parse_constant=_no_constant, parse_int=_int, parse_float=_float)
    except json.JSONDecodeError as exc:
        raise UnusableInput(str(path), f"不是有效的 JSON / not valid JSON: {exc.msg}, line {exc.lineno} column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:  # a number JSON does not allow, or nesting too deep to follow
        raise UnusableInput(str(path), f"不是有效的 JSON / not valid JSON: {exc}") from None
    try:
        report, audited = from_dict(doc)
    except ValueError as exc:
        raise UnusableInput(str(path), str(exc)) from None
    return report, [LoadedFile(f, a) for f, a in zip(report.files, audited)]
