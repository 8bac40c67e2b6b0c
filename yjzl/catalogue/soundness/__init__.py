"""Proofs that a catalogue is sound, beyond what the schema's types can say.

Each proof is a small function that yields `Problem`s; `PROOFS` lists them in
the order they run. A catalogue with any problem is refused by every command
except `catalogue check`, which reports them all.

| code  | proof |
|-------|-------|
| YC001 | ids are well formed and unique (and no field is named like a period quantity) |
| YC002 | every reference resolves (sections, fields, forms, indicators, sets, sources) |
| YC003 | no two fields of a form share a label (unless declared duplicate_of) |
| YC004 | no cycles (part_of, duplicate_of, sections, member_of) |
| YC005 | expressions parse and read existing numeric fields of every form named |
| YC006 | ≤ and = only between comparable units; twins (duplicate_of, equated fields, one id on several forms) share a unit |
| YC007 | rule shape (terms, bounds, tolerance, when; ratio, growth and change parts; supplement fields optional) |
| YC008 | factor consistent with unit |
| YC009 | targets possible for their indicator's unit |
| YC010 | overlays change only what exists and add only what is new; no national field changed or renamed |
| YC011 | every share (a % of a subset) is backed by a logic check numerator ≤ denominator; every other rate has a plausible range (or, a % that is not a share, a ≤ check) |
| YC012 | stacked overlays do not define the same entry differently (both files and lines named) |
| YC013 | ranges agree with their notes and report a condition once (no max 100 on a share or a non-share); a range with min > 0 on a hospital form has a `when:` guard |
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from yjzl.catalogue.schema import Catalogue
from yjzl.catalogue.soundness.bounds import bounds
from yjzl.catalogue.soundness.problem import Problem
from yjzl.catalogue.soundness.semantics import expressions, indicators, period, targets, twin_units
from yjzl.catalogue.soundness.shares import shares
from yjzl.catalogue.soundness.structure import cycles, ids, labels, references

PROOFS: list[Callable[[Catalogue], Iterator[Problem]]] = [
    ids, references, labels, cycles, expressions, indicators, targets, twin_units, shares, bounds, period,
]


def prove(cat: Catalogue) -> list[Problem]:
    """Run every proof; an empty list means the catalogue is sound."""
    return [p for proof in PROOFS for p in proof(cat)]


__all__ = ["PROOFS", "Problem", "prove"]
