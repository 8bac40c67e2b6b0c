"""Audit a run's workbooks one at a time, in input order, holding back only what pairing needs.

A lead form meets the member forms of its own workbook; a lead whose workbook has
none meets every member form of the run, but only when the run holds exactly one
lead of that form (yjzl.rules.engine). So most workbooks are audited as soon as
they are read and then dropped. What is held: the member forms seen while their
lead form has been seen at most once (once a second lead appears, no lead of that
form will meet the run's members, and they are let go), and a workbook whose lead
lacks its members, until a second lead of its form appears or the run ends.
Reports come out in input order, so the reports after a held workbook wait with it.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from yjzl.catalogue.compiled import Compiled
from yjzl.period import Period
from yjzl.report import FileReport
from yjzl.rules.engine import audit_book, member_forms
from yjzl.workbook.model import FormData, WorkbookData

if TYPE_CHECKING:
    from yjzl.rules.history import History


class _Pairing:
    def __init__(self, cat: Compiled) -> None:
        self.members = {f: member_forms(cat, f) for f in cat.forms}
        self.lead_of = {m: lead for lead, ms in self.members.items() for m in ms}
        self.leads: Counter[str] = Counter()
        self.kept: dict[str, list[FormData]] = {}  # member form → its forms in the run, while they may be needed

    def see(self, book: WorkbookData) -> None:
        for data in book.forms:
            if self.members.get(data.form_id):
                self.leads[data.form_id] += 1
                if self.leads[data.form_id] == 2:
                    for m in self.members[data.form_id]:
                        self.kept.pop(m, None)
        for data in book.forms:
            lead = self.lead_of.get(data.form_id)
            if lead is not None and self.leads[lead] < 2:
                self.kept.setdefault(data.form_id, []).append(data)

    def waiting_for(self, book: WorkbookData) -> list[str]:
        """The lead forms of this workbook that lack members here and may still meet the run's."""
        present = {d.form_id for d in book.forms}
        return [d.form_id for d in book.forms
                if self.members.get(d.form_id) and not present & set(self.members[d.form_id]) and self.leads[d.form_id] < 2]

    def run_forms(self, book: WorkbookData) -> list[FormData]:
        """The run as the engine should see it for a held workbook once the run is complete."""
        run = list(book.forms)
        for lead in book.forms:
            if self.leads[lead.form_id] == 1:
                for m in self.members.get(lead.form_id, []):
                    run += self.kept.get(m, [])
        return run


def audit_stream(cat: Compiled, items: Iterable[WorkbookData | FileReport], lang: str = "zh",
                 sets: set[str] | None = None, period: Period | None = None,
                 history: History | None = None) -> Iterator[FileReport]:
    """Each item's reports in input order (a table's rows: one report each); a FileReport (an unusable
    file) passes through as it is.

    period: --period, overriding every form's statistics period (yjzl.rules.engine.statistics_period);
    history: the units' earlier rounds (yjzl.rules.history, YJ203)."""
    pairing = _Pairing(cat)
    queue: deque[WorkbookData | list[FileReport]] = deque()  # non-empty only behind a held workbook
    for item in items:
        done: WorkbookData | list[FileReport] = [item] if isinstance(item, FileReport) else item
        if isinstance(done, WorkbookData):
            pairing.see(done)
            if not pairing.waiting_for(done):
                done = audit_book(cat, done, done.forms, lang, sets, period, history)  # final now: keep the reports, not the book
        if not queue and isinstance(done, list):
            yield from done
            continue
        queue.append(done)
        while queue:  # a second lead may have released the held workbook at the head
            head = queue[0]
            if isinstance(head, WorkbookData):
                if pairing.waiting_for(head):
                    break
                queue[0] = audit_book(cat, head, head.forms, lang, sets, period, history)
            yield from queue.popleft()  # type: ignore[misc]
    for rest in queue:  # the run is complete: a lead still held is the only one of its form
        yield from (audit_book(cat, rest, pairing.run_forms(rest), lang, sets, period, history) if isinstance(rest, WorkbookData) else rest)
