"""Overlays: a province's (or a city's) additions to the national catalogue, stacked in order.

An overlay may add sources, target sets, whole forms, section headings and fields of existing
forms, indicators, checks, targets and qualitative targets; it may hide a national field from its
templates (with a reason), switch checks off and change their severity. It may not change, remove
or rename anything national: a field it names with a national id is refused, not merged.

Stacking (`--overlay province.yaml --overlay city.yaml`) merges the files in order. The same entry
added twice, identically, is merged once (a city may repeat its province's field); the same key
defined differently by two files is a conflict (YC012) that names both files and lines, which is
why overlay YAML is read with a loader that remembers where each entry starts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yjzl.catalogue.schema import Catalogue, FieldAddition, FieldDef, FormDef, Overlay, Section
from yjzl.catalogue.soundness.problem import Problem

_FIELD_KEYS = [f.name for f in dataclasses.fields(FieldDef)]
_PROVENANCE = ("source", "note", "definition", "label_en", "name_en", "title_en", "filled_by_en", "origin")


def _substance(entry: Any) -> Any:
    """An entry without its provenance keys, for telling alike from conflicting (tuples: each part)."""
    if isinstance(entry, tuple):
        return tuple(_substance(e) for e in entry)
    if dataclasses.is_dataclass(entry) and not isinstance(entry, type):
        keys = {f.name for f in dataclasses.fields(entry)} & set(_PROVENANCE)
        return dataclasses.replace(entry, **dict.fromkeys(keys))
    return entry


@dataclass
class OverlayFile:
    """One overlay as read: the validated entries and the line where each list entry starts."""

    path: Path
    overlay: Overlay
    lines: dict[tuple[str, int], int] = field(default_factory=dict)

    def at(self, key: str, index: int | None = None) -> str:
        """"file:line" of an entry (or of the file when the line is unknown)."""
        line = self.lines.get((key, index)) if index is not None else self.lines.get((key, -1))
        return f"{self.path}:{line}" if line else str(self.path)


def load_marked(text: bytes) -> tuple[Any, dict[tuple[str, int], int]]:
    """YAML → data, plus the 1-based line of each top-level list entry: (key, index) → line.

    A SafeLoader subclass records the start line of every mapping as it is built; only overlays
    are read this way (the pure-Python loader is ~10× slower than the C one the national catalogue
    uses, and an overlay is small).
    """
    import yaml

    marks: dict[int, int] = {}

    class MarkedLoader(yaml.SafeLoader):
        pass

    def mapping(loader: MarkedLoader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
        data: dict = {}
        marks[id(data)] = node.start_mark.line + 1
        yield data
        data.update(loader.construct_mapping(node))

    MarkedLoader.add_constructor("tag:yaml.org,2002:map", mapping)
    data = yaml.load(text, Loader=MarkedLoader)  # a SafeLoader subclass: no arbitrary objects
    lines: dict[tuple[str, int], int] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict) and id(value) in marks:
                lines[(str(key), -1)] = marks[id(value)]
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if id(item) in marks:
                        lines[(str(key), i)] = marks[id(item)]
    return data, lines


def base_problems(cat: Catalogue) -> list[Problem]:
    """The keys only the loader sets must not appear in the national catalogue."""
    out = []
    for form in cat.forms:
        for f in form.fields:
            if f.origin or f.hidden:
                out.append(Problem("YC010", f"forms[{form.id}].fields[{f.id}]",
                                   "origin/hidden 由覆盖层设置，不能写在目录中 / origin and hidden are set by overlays, not written"))
    return out


def _proof_where(key: tuple) -> str | None:
    """How the soundness proofs name the entry a merge key stands for (see soundness/)."""
    kind = key[0]
    if kind == "field":
        return f"forms[{key[1]}].fields[{key[2]}]"
    if kind == "section":
        return f"forms[{key[1]}].sections[{key[2]}]"
    if kind == "form":
        return f"forms[{key[1]}]"
    if kind == "target":
        return f"targets[{key[1]}@{key[2]}]"
    if kind in ("indicators", "checks", "target_sets", "sources"):
        return f"{kind}[{key[1]}]"
    return None


def locate(problems: list[Problem], places: dict[str, str]) -> list[Problem]:
    """Prefix the file and line of the overlay entry a proof's problem is about, where known."""
    out = []
    for p in problems:
        best = max((w for w in places if p.where == w or p.where.startswith((w + ".", w + "["))), key=len, default=None)
        out.append(Problem(p.code, f"{places[best]} {p.where}", p.message) if best else p)
    return out


class _Merger:
    """Merges overlay files one after another, remembering who added each key."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.forms: dict[str, FormDef] = {f.id: f for f in cat.forms}
        self.national_fields = {(f.id, d.id) for f in cat.forms for d in f.fields}
        self.owner: dict[tuple, tuple[str, Any]] = {}  # key → (file:line, entry)
        self.problems: list[Problem] = []
        self.after_last: dict[tuple[str, str], str] = {}  # (form, anchor) → the last field put after it
        self.places: dict[str, str] = {}  # an entry as the proofs name it → "file:line" that added it
        self.merged: set[str] = set()  # the overlays merged so far, by id: what a later one may extend

    def claim(self, key: tuple, where: str, entry: Any, what: tuple[str, str]) -> bool:
        """True if the entry is new; False if already added alike; a conflict (YC012) otherwise.

        Alike means equal but for where it comes from and why (source, note, definition, English
        names): a province and a city may cite different documents for the same field.
        """
        place = _proof_where(key)
        if place is not None and " " in where:
            self.places.setdefault(place, where.rsplit(" ", 1)[0])
        prior = self.owner.get(key)
        if prior is None:
            self.owner[key] = (where, entry)
            return True
        if _substance(prior[1]) != _substance(entry):
            self.problems.append(Problem(
                "YC012", where, f"与 {prior[0]} 冲突：两个覆盖层对{what[0]}的定义不同 / conflicts with {prior[0]}: "
                f"two overlays define {what[1]} differently"))
        return False

    def add(self, of: OverlayFile) -> None:
        ov = of.overlay
        short = ov.overlay.short or ov.overlay.name
        if ov.overlay.extends != self.cat.catalogue.id and ov.overlay.extends not in self.merged:
            self.problems.append(Problem("YC010", of.at("overlay"),
                                         f"extends 应为 {self.cat.catalogue.id} 或先合并的覆盖层 / extends must name the base catalogue "
                                         f"or an overlay merged before it, not {ov.overlay.extends}"))
        self.merged.add(ov.overlay.id)
        self._simple(of, "sources", ov.sources, self.cat.sources, "出处")
        self._simple(of, "target_sets", ov.target_sets, self.cat.target_sets, "目标集")
        for i, form in enumerate(ov.forms):
            where = f"{of.at('forms', i)} forms[{form.id}]"
            if form.id in {f.id for f in self.cat.forms} and ("form", form.id) not in self.owner:
                self.problems.append(Problem("YC010", where, f"表单 {form.id} 已存在，覆盖层只能新增表单 / form {form.id} exists: an overlay adds new forms only"))
                continue
            marked = dataclasses.replace(form, origin=short)  # its fields are not marked: the whole form is local
            if self.claim(("form", form.id), where, marked, (f"表单 {form.id}", f"form {form.id}")):
                self.forms[form.id] = marked
        for i, sec in enumerate(ov.sections):
            self._section(of, i, sec)
        for i, fa in enumerate(ov.fields):
            self._field(of, i, fa, short)
        for i, h in enumerate(ov.hide):
            where = f"{of.at('hide', i)} hide[{h.form}.{h.field}]"
            if (h.form, h.field) not in self.national_fields:
                self.problems.append(Problem("YC010", where, f"国家目录中没有字段 {h.form}.{h.field} / no national field {h.form}.{h.field} to hide"))
            elif self.claim(("hide", h.form, h.field), where, h, (f"隐藏字段 {h.form}.{h.field}", f"hiding {h.form}.{h.field}")):
                form = self.forms[h.form]
                fields = [dataclasses.replace(d, hidden=h.reason, optional=True) if d.id == h.field else d for d in form.fields]
                self.forms[h.form] = dataclasses.replace(form, fields=fields)
        self._simple(of, "indicators", ov.indicators, self.cat.indicators, "指标")
        self._simple(of, "checks", ov.checks, self.cat.checks, "审核规则")
        replaced = []
        for i, t in enumerate(ov.targets):
            if self.claim(("target", t.indicator, t.set), f"{of.at('targets', i)} targets[{t.indicator}@{t.set}]", t, (f"目标值 {t.indicator}@{t.set}", f"target {t.indicator}@{t.set}")):
                replaced.append(t)
        keys = {(t.indicator, t.set) for t in replaced}
        quals = [q for i, q in enumerate(ov.qualitative_targets)
                 if self.claim(("qualitative", q.set, q.label), f"{of.at('qualitative_targets', i)}", q, (f"定性目标 {q.label}", f"qualitative target {q.label}"))]
        self.cat = dataclasses.replace(
            self.cat,
            targets=[t for t in self.cat.targets if (t.indicator, t.set) not in keys] + replaced,
            qualitative_targets=[*self.cat.qualitative_targets, *quals],
        )

    def _simple(self, of: OverlayFile, name: str, new: list, old: list, what: str) -> None:
        """Entries with an id that an overlay may only add (sources, sets, indicators, checks)."""
        existing = {e.id for e in old}
        added = []
        for i, e in enumerate(new):
            where = f"{of.at(name, i)} {name}[{e.id}]"
            if e.id in existing and (name, e.id) not in self.owner:
                if name == "sources" and e in old:
                    continue  # repeating a national source verbatim is harmless
                self.problems.append(Problem("YC010", where, f"{what} {e.id} 已存在，覆盖层只能新增 / {e.id} already exists: an overlay adds new {name} only"))
            elif self.claim((name, e.id), where, e, (f"{what} {e.id}", f"{name} {e.id}")):
                added.append(e)
        self.cat = dataclasses.replace(self.cat, **{name: [*getattr(self.cat, name), *added]})

    def _section(self, of: OverlayFile, i: int, sec: Any) -> None:
        where = f"{of.at('sections', i)} sections[{sec.form}.{sec.id}]"
        form = self.forms.get(sec.form)
        if form is None:
            self.problems.append(Problem("YC002", where, f"表单不存在 / unknown form {sec.form!r}"))
            return
        plain = Section(**{f.name: getattr(sec, f.name) for f in dataclasses.fields(Section)})
        if any(s.id == sec.id for s in form.sections) and ("section", sec.form, sec.id) not in self.owner:
            self.problems.append(Problem("YC010", where, f"章节 {sec.id} 已存在 / section {sec.id} already exists in {sec.form}"))
        elif self.claim(("section", sec.form, sec.id), where, plain, (f"章节 {sec.form}.{sec.id}", f"section {sec.form}.{sec.id}")):
            self.forms[sec.form] = dataclasses.replace(form, sections=[*form.sections, plain])

    def _field(self, of: OverlayFile, i: int, fa: FieldAddition, short: str) -> None:
        where = f"{of.at('fields', i)} fields[{fa.form}.{fa.id}]"
        form = self.forms.get(fa.form)
        if form is None:
            self.problems.append(Problem("YC002", where, f"表单不存在 / unknown form {fa.form!r}: a new field names the form it goes in"))
            return
        new = FieldDef(**{k: getattr(fa, k) for k in _FIELD_KEYS})
        new = dataclasses.replace(new, origin=short)
        if (fa.form, fa.id) in self.national_fields:
            old = next(d for d in form.fields if d.id == fa.id)
            self.problems.append(Problem("YC010", where, f"覆盖层不能修改或改名国家字段 {fa.form}.{fa.id}（{old.label}）；"
                                         f"可用 hide 在模板中隐藏它并新增字段 / an overlay cannot change or rename the national field "
                                         f"{fa.form}.{fa.id}; hide it and add a field of its own"))
            return
        national = next((d for d in form.fields if d.label == fa.label and (fa.form, d.id) in self.national_fields), None)
        if national is not None:
            self.problems.append(Problem("YC010", where, f"新字段与国家字段 {fa.form}.{national.id} 同名，等于改名 / a new field with the label "
                                         f"of the national field {fa.form}.{national.id} would rename it: an overlay cannot"))
            return
        if not self.claim(("field", fa.form, fa.id), where, (new, fa.after), (f"字段 {fa.form}.{fa.id}", f"field {fa.form}.{fa.id}")):
            return
        fields = list(form.fields)
        if fa.after is not None:
            anchor = self.after_last.get((fa.form, fa.after), fa.after)
            pos = next((j for j, d in enumerate(fields) if d.id == anchor), None)
            if pos is None:
                self.problems.append(Problem("YC002", where, f"after 指向不存在的字段 / after names no field of {fa.form}: {fa.after}"))
                return
            if fields[pos].section != fa.section:  # the template prints a heading once, before its first field
                self.problems.append(Problem("YC010", where, f"after 所指字段 {fa.after} 在章节 {fields[pos].section}，新字段须在同一章节 / "
                                             f"after names a field of section {fields[pos].section}: the new field must be in that section"))
                return
            self.after_last[(fa.form, fa.after)] = fa.id
        else:  # the end of its section
            in_section = [j for j, d in enumerate(fields) if d.section == fa.section]
            pos = in_section[-1] if in_section else len(fields) - 1
        fields.insert(pos + 1, new)
        self.forms[fa.form] = dataclasses.replace(form, fields=fields)


def apply_overlays(cat: Catalogue, files: list[OverlayFile]) -> tuple[Catalogue, list[Problem], set[str], dict[str, str], dict[str, str]]:
    """Merge the overlays in order; return the catalogue, problems, disabled check ids, severity
    changes, and where each added entry was written (for `locate`)."""
    merger = _Merger(cat)
    disabled: set[str] = set()
    severity: dict[str, str] = {}
    for of in files:
        merger.add(of)
        ov = of.overlay
        check_ids = {c.id for c in merger.cat.checks}
        for cid in [*ov.disable, *ov.severity]:
            if cid not in check_ids:
                merger.problems.append(Problem("YC010", f"{of.path} {cid}", f"没有这个审核规则 / no such check: {cid}"))
        disabled |= set(ov.disable)
        severity.update(ov.severity)
    national_ids = [f.id for f in cat.forms]
    forms = [merger.forms[i] for i in national_ids] + [f for i, f in merger.forms.items() if i not in national_ids]
    return dataclasses.replace(merger.cat, forms=forms), merger.problems, disabled, severity, merger.places
