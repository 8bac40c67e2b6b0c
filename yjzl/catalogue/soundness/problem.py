"""A problem found in a catalogue."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    code: str  # YC0xx, see yjzl/catalogue/soundness/__init__.py
    where: str  # the entry, e.g. "checks[t12.x]" or "forms[T1].fields[hukou]"
    message: str
