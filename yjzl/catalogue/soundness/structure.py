"""Structural proofs: ids, references, labels and cycles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from yjzl.catalogue.schema import Catalogue, FieldDef
from yjzl.catalogue.soundness.problem import Problem
from yjzl.text import label_key

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FORM_ID = re.compile(r"^[A-Z][A-Z0-9]*$")
_CHECK_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def _dupes(items: list[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in items if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def ids(cat: Catalogue) -> Iterator[Problem]:
    """Ids are well formed and unique in their scope."""
    for d in _dupes([f.id for f in cat.forms]):
        yield Problem("YC001", f"forms[{d}]", f"表单编号重复 / duplicate form id {d}")
    for form in cat.forms:
        if not _FORM_ID.match(form.id):
            yield Problem("YC001", f"forms[{form.id}]", "表单编号应为大写字母数字 / form id must match [A-Z][A-Z0-9]*")
        for d in _dupes([f.id for f in form.fields]):
            yield Problem("YC001", f"forms[{form.id}].fields[{d}]", f"字段编号重复 / duplicate field id {d}")
        for d in _dupes([s.id for s in form.sections]):
            yield Problem("YC001", f"forms[{form.id}].sections[{d}]", f"章节编号重复 / duplicate section id {d}")
        for f in form.fields:
            if not _ID.match(f.id):
                yield Problem("YC001", f"forms[{form.id}].fields[{f.id}]", "字段编号应为小写英文 / field id must be snake_case")
    for name, items in (
        ("indicators", [i.id for i in cat.indicators]),
        ("checks", [c.id for c in cat.checks]),
        ("sources", [s.id for s in cat.sources]),
        ("target_sets", [t.id for t in cat.target_sets]),
        ("frameworks", [i.id for fw in cat.frameworks for i in fw.items] + [fw.id for fw in cat.frameworks]),
        ("targets", [f"{t.indicator}@{t.set}" for t in cat.targets]),
    ):
        for d in _dupes(items):
            yield Problem("YC001", f"{name}[{d}]", f"编号重复 / duplicate id {d}")
    for i in cat.indicators:
        if not _ID.match(i.id):
            yield Problem("YC001", f"indicators[{i.id}]", "指标编号应为小写英文 / indicator id must be snake_case")
    for c in cat.checks:
        if not _CHECK_ID.match(c.id):
            yield Problem("YC001", f"checks[{c.id}]", "审核编号应为 前缀.名称 / check id must look like t12.name")


def references(cat: Catalogue) -> Iterator[Problem]:
    """Every section, parent, twin, form, indicator, set and source named exists."""
    forms = {f.id: f for f in cat.forms}
    sources = {s.id for s in cat.sources}
    sets = {s.id for s in cat.target_sets}
    inds = {i.id for i in cat.indicators}

    def cited(where: str, text: str) -> Iterator[Problem]:
        if sources and text.split(" ", 1)[0] not in sources:
            yield Problem("YC002", where, f"出处应以已声明的文献编号开头 / source must start with a declared source id: {text!r}")

    for form in cat.forms:
        secs = {s.id for s in form.sections}
        local = {f.id for f in form.fields}
        yield from cited(f"forms[{form.id}]", form.source)
        if form.member_of and form.member_of not in forms:
            yield Problem("YC002", f"forms[{form.id}]", f"member_of 指向不存在的表单 / unknown form {form.member_of}")
        for s in form.sections:
            if s.parent and s.parent not in secs:
                yield Problem("YC002", f"forms[{form.id}].sections[{s.id}]", f"上级章节不存在 / unknown parent {s.parent}")
        for f in form.fields:
            where = f"forms[{form.id}].fields[{f.id}]"
            yield from cited(where, f.source)
            if f.section not in secs:
                yield Problem("YC002", where, f"章节不存在 / unknown section {f.section}")
            for ref in (f.part_of, f.duplicate_of):
                if ref and ref not in local:
                    yield Problem("YC002", where, f"引用的字段不存在 / unknown field {ref}")
            if f.supplement and not f.optional:  # the documents' forms lack the row: it cannot be required
                yield Problem("YC007", where, "补充字段须为选填 / a supplement field must be optional")
    for i in cat.indicators:
        yield from cited(f"indicators[{i.id}]", i.source)
        for fid in i.forms:
            if fid not in forms:
                yield Problem("YC002", f"indicators[{i.id}]", f"表单不存在 / unknown form {fid}")
    for c in cat.checks:
        yield from cited(f"checks[{c.id}]", c.source)
        for fid in c.forms + ([c.across] if c.across else []):
            if fid not in forms:
                yield Problem("YC002", f"checks[{c.id}]", f"表单不存在 / unknown form {fid}")
    for t in cat.targets:
        where = f"targets[{t.indicator}@{t.set}]"
        yield from cited(where, t.source)
        if t.indicator not in inds:
            yield Problem("YC002", where, f"目标值指向不存在的指标 / unknown indicator {t.indicator}")
        if t.set not in sets:
            yield Problem("YC002", where, f"目标集不存在 / unknown target set {t.set}")
    for q in cat.qualitative_targets:
        where = f"qualitative_targets[{q.label[:20]}]"
        yield from cited(where, q.source)
        if q.set not in sets:
            yield Problem("YC002", where, f"目标集不存在 / unknown target set {q.set}")
        if q.indicator is not None and q.indicator not in inds:
            yield Problem("YC002", where, f"关联的指标不存在 / unknown indicator {q.indicator}")
    for form in cat.forms:
        if form.peers is not None:
            where = f"forms[{form.id}].peers"
            yield from cited(where, form.peers.source)
            if form.peers.by not in {f.id for f in form.fields}:
                yield Problem("YC002", where, f"字段不存在 / unknown field {form.peers.by}")
    for i in cat.indicators:
        if i.direction is not None:
            yield from cited(f"indicators[{i.id}].direction", i.direction.source)
    for fw in cat.frameworks:
        yield from cited(f"frameworks[{fw.id}]", fw.source)
        for item in fw.items:
            for ind in item.indicators:
                if ind not in inds:
                    yield Problem("YC002", f"frameworks[{item.id}]", f"关联的指标不存在 / unknown indicator {ind}")


def labels(cat: Catalogue) -> Iterator[Problem]:
    """Within a form no two fields share a label, unless one is the other's second printing."""
    for form in cat.forms:
        owner: dict[str, FieldDef] = {}
        for f in form.fields:
            for text in {label_key(t) for t in (f.label, f.printed, *f.aliases) if t}:
                other = owner.get(text)
                if other is None:
                    owner[text] = f
                elif f.duplicate_of != other.id and other.duplicate_of != f.id:
                    yield Problem(
                        "YC003", f"forms[{form.id}].fields[{f.id}]",
                        f"与 {other.id} 标签重复（未声明 duplicate_of）/ label clashes with {other.id}: {text}",
                    )


def cycles(cat: Catalogue) -> Iterator[Problem]:
    """part_of, duplicate_of, section parents and member_of never loop."""
    graphs: list[tuple[str, dict[str, str | None]]] = [("forms.member_of", {f.id: f.member_of for f in cat.forms})]
    for form in cat.forms:
        graphs.append((f"forms[{form.id}].sections", {s.id: s.parent for s in form.sections}))
        graphs.append((f"forms[{form.id}].part_of", {f.id: f.part_of for f in form.fields}))
        graphs.append((f"forms[{form.id}].duplicate_of", {f.id: f.duplicate_of for f in form.fields}))
    for where, parent in graphs:
        for start in parent:
            seen, node = [start], parent.get(start)
            while node is not None and node in parent:
                if node in seen:
                    if node == start:
                        yield Problem("YC004", where, "循环引用 / cycle: " + " → ".join([*seen, node]))
                    break
                seen.append(node)
                node = parent.get(node)
