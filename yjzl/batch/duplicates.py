"""Suspected duplicates without a roster (疑似重复报送): one form from one submitter for one period, twice.

A hospital that sends its 表3 again (a corrected copy) is otherwise added into the
group totals twice without a word. With a roster the unit is known and the later
copies are set aside (yjzl.batch.progress.match); without one, two submissions are
the same submitter's when they have the same form, the same statistics period and
the same normalised organisation code, or, when neither prints a code, the same
normalised name. A form without a name is matched by its region only where the
region is the submitter: a province's 表1 (catalogue `level: province`). A city's
表2 prints the same header “省（区、市），新疆生产建设兵团” (seed 004, lines 346 and
617), so its region is its province, shared by every city of it: two 表2 without
a 填报单位 are never taken for one. This is a guess, so every copy still counts;
it is said, with the roster's order of which copy would count (progress.choose)
and the hint to give a roster.

Memory: a national batch is 100 000 submissions (~2 kB of compact record each).
A dict of every submitter's key would add ~130 bytes each (measured: 13 MB at
100 000); instead a first pass sets one bit per key in a bitmap of 64 bits per
submission (16 bytes each, two bitmaps), and a second pass keys only the
submissions whose bit was set twice, grouping them by their exact keys (a bit
shared by chance is never taken for a match).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TypeVar

from yjzl.batch.progress import Identity, choose, names_of
from yjzl.catalogue.compiled import Compiled
from yjzl.report import Duplicate

T = TypeVar("T")
Key = tuple[str, str, str, str]  # (form, period, "org_code" | "name", normalised code or name)


def key_of(i: Identity, regional: Collection[str] = ()) -> Key | None:
    """What makes two submissions the same: form, statistics period and the submitter's surest name.
    `regional`: the forms (codes) whose region is their submitter (表1)."""
    names = names_of(i, i.form in regional)
    if not names:
        return None  # names nobody (a 表1 without 所在地区, a 表2 without 填报单位): nothing to match it by
    by, value = names[0]  # a code when it has one: two copies, one with and one without a code, are not matched
    return i.form, i.statistics_period or i.period or "", by, value


def regional_forms(cat: Compiled) -> frozenset[str]:
    """The forms whose region is their submitter: a province's own form (表1)."""
    return frozenset(f.code for f in cat.forms.values() if f.level == "province")


def suspected(records: Sequence[T], identity: Callable[[T], Identity], lang: str = "zh",
              regional: Collection[str] = ()) -> list[Duplicate]:
    """The suspected duplicates among `records` (in the order their first copy came), each copy once;
    `regional`: see regional_forms."""
    # Pass 1: two bitmaps of 64 bits a record (a key's hash picks its bit): seen once, seen again.
    size = 1 << max(16, (64 * len(records)).bit_length())
    seen, again = bytearray(size >> 3), bytearray(size >> 3)
    for r in records:
        k = key_of(identity(r), regional)
        if k is not None:
            b = hash(k) & (size - 1)
            if seen[b >> 3] & (1 << (b & 7)):
                again[b >> 3] |= 1 << (b & 7)
            else:
                seen[b >> 3] |= 1 << (b & 7)
    del seen
    # Pass 2: only the records whose bit came twice (the duplicates, and about one in 64 by chance) are keyed.
    groups: dict[Key, list[int]] = {}
    for n, r in enumerate(records):
        k = key_of(identity(r), regional)
        if k is not None and again[(b := hash(k) & (size - 1)) >> 3] & (1 << (b & 7)):
            groups.setdefault(k, []).append(n)
    out = []
    for (_form, _period, by, _value), found in groups.items():  # in the order of their first record
        if len(found) < 2:
            continue  # only the bit was shared
        ordered, why = choose([identity(records[n]) for n in found], lang)
        head = ordered[0]
        out.append(Duplicate(head.form, head.name, head.org_code, head.region, head.statistics_period,
                             [i.key for i in ordered], by, why))
    return out
