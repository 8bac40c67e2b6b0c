"""Growth and change indicators a run could not compute at all: said once, not as a gap in every submission.

A trend compares a submission with the same submitter's earlier period. When the
run was given no earlier period, every submission's trend result is "missing"
with the engine's "needs the period … back" reason. The page says that in one
line, in its reader's words (no command-line option), and leaves those results
out of the per-submission tables and charts. A trend that some submission could
compute, or that failed for a submission's own reason (no earlier submission
from the same submitter), stays per submission.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from yjzl.report import IndicatorResult


class _Lag:
    """Just enough of a catalogue Indicator for `needs_history` to word its reason (it reads defn.lag)."""

    def __init__(self, lag: int) -> None:
        self.defn = self
        self.lag = lag


@functools.lru_cache(maxsize=256)  # a run repeats a few reasons over thousands of submissions
def history_lag(reason: str | None) -> int | None:
    """The periods back a result needed, when its reason is the engine's own "needs an earlier period" (in either
    language: a JSON document may come from an English run); None for any other reason."""
    if not reason:
        return None
    from yjzl.rules.indicators import needs_history

    return next((k for k in range(1, 10) for lang in ("zh", "en") if reason == needs_history(_Lag(k), lang)), None)  # type: ignore[arg-type]


def uncomputed_trends(results: Iterable[tuple[IndicatorResult, str]]) -> dict[tuple[str, str], tuple[str, str, int]]:
    """(result, its form's code) of every submission → the trends none has a value for, each for want of an earlier
    period: (form id, indicator id) → (name, form code, periods back)."""
    seen: dict[tuple[str, str], tuple[str, str, int]] = {}
    spoilt: set[tuple[str, str]] = set()
    for r, code in results:
        key = (r.form, r.id)
        lag = history_lag(r.reason) if r.value is None else None
        if lag is None:
            spoilt.add(key)
        elif key not in seen:
            seen[key] = (r.name, code, lag)
    return {k: v for k, v in seen.items() if k not in spoilt}
