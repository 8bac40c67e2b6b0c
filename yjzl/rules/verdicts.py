"""A verdict for every result of a hospital: its target, else the direction of its change, else its place among peers.

The documents judge a region against numbers (≥ 65 %); for a hospital they mostly set a direction
(缩短平均住院日, 下转人次增长, 控制不合理医疗费用) or nothing at all. So a result is judged by,
in this order (issue 25 §2):

1. **target**: the indicator has a target in the chosen sets (the target results say met or not);
2. **direction**: a trend (growth, change) whose indicator declares `direction:` (better: lower/higher):
   against the earlier period it moved the better way, the worse way, or not at all;
3. **peers**: on a form with `peers:` (表3, 表4 and their member forms), its place among the results of the same
   indicator on the same form and level in the same run: rank (1 = highest value, or the best one when the
   indicator has a direction) and the quarter of the ranking it falls in.

A result without a value has no verdict; its status says why. Everything here is generic: the
directions and the peer groups are data in indicators.yaml.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.report import FileReport, FormFound, IndicatorResult, Verdict

UNGRADED = ("未注明级别", "level not stated")  # a level text that names no group: its own group


def peer_group(form: FormDef, text: str | None) -> str | None:
    """The peer group of a hospital from its level text (三级甲等 → 三级); None for a form without peers."""
    if form.peers is None:
        return None
    level = "".join((text or "").split())
    for g in form.peers.groups:
        if any(level.startswith(m) for m in g.match):
            return g.label
    return UNGRADED[0]


def _group_label(cat: Compiled, found: FormFound, lang: str) -> str:
    form = cat.forms[found.form]
    label = found.peer_group or UNGRADED[0]
    if lang == "en":
        named = {g.label: g.label_en or g.label for g in form.peers.groups} if form.peers else {}
        return f"{form.code_en or form.code} {named.get(label, UNGRADED[1] if label == UNGRADED[0] else label)}"
    return f"{form.code} {label}"


class Peers:
    """The values of one run, per (form, peer group, indicator), sorted once when the first place is asked."""

    def __init__(self, cat: Compiled) -> None:
        self.cat = cat
        self.values: dict[tuple[str, str, str], array] = {}
        self._sorted = False

    def add(self, found: FormFound, results: Iterable[IndicatorResult]) -> None:
        if self.cat.forms[found.form].peers is None:
            return
        group = found.peer_group or UNGRADED[0]
        for r in results:
            if r.value is not None:
                self.values.setdefault((found.form, group, r.id), array("d")).append(r.value)
        self._sorted = False

    def place(self, found: FormFound, r: IndicatorResult, lower_better: bool) -> tuple[int, int] | None:
        """(rank, of): 1 + how many peers did better (a tie shares the rank)."""
        if r.value is None:
            return None
        if not self._sorted:
            self.values = {k: array("d", sorted(v)) for k, v in self.values.items()}
            self._sorted = True
        values = self.values.get((found.form, found.peer_group or UNGRADED[0], r.id))
        if not values:
            return None
        better = bisect_left(values, r.value) if lower_better else len(values) - bisect_right(values, r.value)
        return better + 1, len(values)


def quartile(rank: int, of: int) -> int | None:
    """The quarter of the ranking a rank falls in (1: the first quarter); None when there is nobody to compare with."""
    if of < 2:
        return None
    return 1 + (4 * (rank - 1)) // of


def judge(cat: Compiled, found: FormFound, results: Sequence[IndicatorResult], peers: Peers | None, lang: str,
          sets: set[str] | None = None) -> None:
    """Give each result of one submission its verdict (in place). `sets`: the target sets the reader is shown
    (None: every target the result carries); a target of another set is not this reader's verdict."""
    ranked = cat.forms[found.form].peers is not None and peers is not None
    for r in results:
        if r.id not in cat.indicators:
            continue  # a result of another catalogue (a JSON report): left as it came
        d = cat.indicators[r.id].defn
        r.verdict = None
        if r.value is None:
            continue  # its status says why there is nothing to judge
        if any(sets is None or x.set in sets for x in r.targets):
            r.verdict = Verdict("target")
        elif d.direction is not None and d.kind in ("growth", "change"):
            outcome = "same" if r.value == 0 else ("better" if (r.value < 0) == (d.direction.better == "lower") else "worse")
            r.verdict = Verdict("direction", better=d.direction.better, outcome=outcome)
        elif ranked:
            lower = d.direction is not None and d.direction.better == "lower"
            where = peers.place(found, r, lower)  # type: ignore[union-attr]
            if where is not None:
                rank, of = where
                r.verdict = Verdict("peers", better=d.direction.better if d.direction else None, rank=rank, of=of,
                                    quartile=quartile(rank, of), group=_group_label(cat, found, lang))


def of_submission(f: FileReport, x: FormFound) -> list[IndicatorResult]:
    """The results of one submission of a file (a consortium workbook holds several forms)."""
    return [r for r in f.indicators if r.form == x.form and r.sheet in (x.sheet, None)]


def judge_files(cat: Compiled, files: Sequence[FileReport], lang: str, sets: set[str] | None = None) -> None:
    """Verdicts for audited files (the report): peers are every submission of these files; `sets` as in `judge`."""
    peers = Peers(cat)
    pairs = [(x, of_submission(f, x)) for f in files if not f.error for x in f.forms if x.form in cat.forms]
    for x, results in pairs:
        peers.add(x, results)
    for x, results in pairs:
        judge(cat, x, results, peers, lang, sets)


def words(v: Verdict | None, lang: str) -> str:
    """The verdict in a sentence of the output language (the target kind: said by the target columns)."""
    if v is None or v.kind == "target":
        return ""
    zh = lang != "en"
    if v.kind == "direction":
        way = {"lower": ("越低越好", "lower is better"), "higher": ("越高越好", "higher is better")}[v.better or "higher"]
        if v.outcome == "same":
            return f"与前期持平（{way[0]}）" if zh else f"unchanged on the earlier period ({way[1]})"
        moved = ("下降" if v.better == "lower" else "上升") if v.outcome == "better" else ("上升" if v.better == "lower" else "下降")
        moved_en = ("fell" if v.better == "lower" else "rose") if v.outcome == "better" else ("rose" if v.better == "lower" else "fell")
        if zh:
            return f"较前期{moved}，{'向好' if v.outcome == 'better' else '向差'}（{way[0]}）"
        return f"{moved_en} on the earlier period: {'better' if v.outcome == 'better' else 'worse'} ({way[1]})"
    if v.quartile is None:
        return f"同级（{v.group}）仅此1家，无从比较" if zh else f"no peer to compare with ({v.group})"
    if zh:
        order = "" if v.better else "按数值由高到低"
        lag = "，居后" if v.better and v.quartile == 4 else ""
        return f"同级（{v.group}）{order}第{v.rank}/{v.of}位，第{v.quartile}四分位{lag}"
    order = "" if v.better else " by value, highest first"
    lag = ", lagging" if v.better and v.quartile == 4 else ""
    return f"rank {v.rank} of {v.of} among peers ({v.group}){order}, quarter {v.quartile}{lag}"


def code(v: Verdict | None) -> str:
    """The verdict in a CSV cell: stable English words (target · direction: better/worse/same · peers: rank/of Qn)."""
    if v is None:
        return ""
    if v.kind == "target":
        return "target"
    if v.kind == "direction":
        return f"direction: {v.outcome} ({v.better} is better)"
    q = f" Q{v.quartile}" if v.quartile else ""
    return f"peers: {v.rank}/{v.of}{q} ({v.group})"


def tally(results: Iterable[IndicatorResult]) -> dict[str, int]:
    """How the results were judged: target, direction, peers, none (no value, or no peers to rank among)."""
    out = {"target": 0, "direction": 0, "peers": 0, "none": 0}
    for r in results:
        out[r.verdict.kind if r.verdict else "none"] += 1
    return out
