"""The history check (YJ203): a value far outside the unit's own earlier rounds, as a plausibility warning.

A unit's own previous rounds are the best plausibility check there is: 出院患者人次数 jumping ×8, 床位使用率
from 85 % to 8 %, a count falling to 0 all pass every rule of the form. One generic check, for every number
of the form, with its thresholds in data (yjzl/data/history.yaml, by field kind): DHIS2-style min–max, the
unit's own minimum and maximum over its earlier rounds widened by a factor (counts, amounts) or a margin
(rates). A robust z-score was not chosen: it needs a spread, so several rounds; min–max works with one.

- Like with like: an earlier round counts when its statistics period is the same span in an earlier year
  (2018年上半年 for 2019年上半年). A form without 统计年度 is taken to be like (as compute's trends do).
- The unit is found in each earlier round by its organisation code, then its name, then (表1, 表2, which
  print neither) its region; a round holding it twice (ambiguous) is not used.
- No earlier round: nothing is said. It never blocks: a warning, which a 说明 on the field's row explains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from yjzl.catalogue.compiled import Compiled
from yjzl.period import Period
from yjzl.report import Finding
from yjzl.rules.kinds import fmt
from yjzl.rules.registry import KINDS
from yjzl.text import label_key
from yjzl.workbook.model import FormData, WorkbookData

CODE = "YJ203"


@dataclass(frozen=True, slots=True)
class Threshold:
    factor: float | None = None  # bounds min ÷ factor … max × factor
    floor: float = 0.0  # below it, value and history alike: nothing said
    margin: float | None = None  # bounds min − margin … max + margin


@lru_cache(maxsize=1)
def thresholds() -> tuple[dict[str, Threshold], dict[str, Threshold]]:
    """(by field kind, by field id) from yjzl/data/history.yaml."""
    import yaml

    text = (Path(__file__).resolve().parents[1] / "data" / "history.yaml").read_text(encoding="utf-8")
    doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return ({k: Threshold(**v) for k, v in (doc.get("kinds") or {}).items()},
            {k: Threshold(**v) for k, v in (doc.get("fields") or {}).items()})


@dataclass(slots=True)
class Past:
    """One earlier round of one unit's form: its period (when stated) and its numbers."""

    period: Period | None
    label: str  # how the message names the round: 2018年上半年, or the file when no period is stated
    numbers: dict[str, float] = field(default_factory=dict)


def _code(text: str) -> str:
    return re.sub(r"[\s\-‐–—_]", "", text).upper()


def keys(cat: Compiled, data: FormData) -> list[tuple[str, str]]:
    """Who submitted a form, most certain first: its code, its name, else its region."""
    roles = {f.role: f.id for f in cat.forms[data.form_id].fields if f.role}
    code = data.text(roles["code"]) if "code" in roles else None
    name = data.text(roles["name"]) if "name" in roles else None
    region = data.text(roles["region"]) if "region" in roles else None
    out = [*([("code", _code(code))] if code else []), *([("name", label_key(name))] if name else [])]
    return out or ([("region", label_key(region))] if region else [])


class History:
    """The earlier rounds, each an index (form, key) → its submissions; built once, read for every form."""

    def __init__(self) -> None:
        self.rounds: list[dict[tuple[str, str, str], list[Past]]] = []

    def add_round(self, cat: Compiled, books: Iterable[WorkbookData], lang: str = "zh") -> None:
        from yjzl.rules.engine import statistics_period

        index: dict[tuple[str, str, str], list[Past]] = {}
        for book in books:
            for data in book.forms:
                used, _ = statistics_period(cat, data, None, lang)
                stated = used if used is not None and used.origin == "form" else None
                label = stated.label(lang) if stated else Path(book.file).name
                past = Past(stated, label, dict(data.numbers()))
                for kind, value in keys(cat, data):
                    index.setdefault((data.form_id, kind, value), []).append(past)
        self.rounds.append(index)

    def earlier(self, cat: Compiled, data: FormData, period: Period | None) -> list[Past]:
        """This unit's like earlier rounds, nearest first."""
        out = []
        for index in self.rounds:
            for kind, value in keys(cat, data):
                hits = index.get((data.form_id, kind, value), [])
                if hits:
                    if len(hits) == 1 and _like(hits[0].period, period):
                        out.append(hits[0])
                    break  # found by its surest key: a second key is no second chance (nor two hits a choice)
        return out

    def findings(self, cat: Compiled, data: FormData, period: Period | None, lang: str = "zh") -> list[Finding]:
        rounds = self.earlier(cat, data, period)
        if not rounds:
            return []
        by_kind, by_field = thresholds()
        k = KINDS[CODE]
        from yjzl.catalogue.describe import namer

        name = namer(cat, data.form_id, lang, plain=True)
        out = []
        for f in cat.forms[data.form_id].fields:
            fv = data.values.get(f.id)
            rule = by_field.get(f.id) or by_kind.get(f.kind or "")
            if rule is None or fv is None or not isinstance(fv.value, float):
                continue
            then = [(p.label, p.numbers[f.id]) for p in rounds if f.id in p.numbers]
            if not then:
                continue
            bounds = _bounds(rule, fv.value, [v for _, v in then])
            if bounds is None:
                continue
            low, high = bounds
            shown = ("；" if lang == "zh" else "; ").join(f"{label} {fmt(v)}" for label, v in then)
            text = (k.en if lang == "en" else k.zh).format(label=name(f.id), value=fmt(fv.value), n=len(then),
                                                          history=shown, low=fmt(low), high=fmt(high))
            out.append(Finding(k.severity, k.code, k.name, text, [fv.cell], data.form_id,  # type: ignore[arg-type]
                               explained=bool(fv.explanation), explanation=fv.explanation,
                               period=period.text if period else None))
        return out


def _like(then: Period | None, now: Period | None) -> bool:
    """An earlier round is like this one: the same span in an earlier year, or a period not stated."""
    if then is None or now is None:
        return True
    same_span = (then.start.month, then.start.day, then.end.month, then.end.day, then.end.year - then.start.year) == (
        now.start.month, now.start.day, now.end.month, now.end.day, now.end.year - now.start.year)
    return same_span and then.start < now.start


def _bounds(rule: Threshold, value: float, history: Sequence[float]) -> tuple[float, float] | None:
    """The bounds the value is outside of, or None when it is within them (or all are below the floor)."""
    lo, hi = min(history), max(history)
    if max(abs(value), abs(hi), abs(lo)) < rule.floor:
        return None
    if rule.factor is not None:
        low, high = lo / rule.factor, hi * rule.factor
    elif rule.margin is not None:
        low, high = lo - rule.margin, hi + rule.margin
    else:
        return None
    return (low, high) if value < low or value > high else None

