"""Build real submission workbooks with openpyxl, in the layouts people use.

- plain:    指标 | 数值 | 说明, a title row above, section headings between fields;
- numbered: 序号 | 指标名称 | 填报值 | 单位 | 说明.

`write_workbook` returns where each field's value went ({(sheet, field_id): "B5"}),
so tests can name the exact cell of every planted problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from yjzl.catalogue.compiled import Compiled


@dataclass
class SheetSpec:
    name: str
    form_id: str
    values: dict[str, object]
    notes: dict[str, str] = field(default_factory=dict)
    omit: set[str] = field(default_factory=set)  # fields whose row is left out
    labels: dict[str, str] = field(default_factory=dict)  # a field's label as typed


def write_workbook(path: Path, cat: Compiled, sheets: list[SheetSpec], layout: str = "plain") -> dict[tuple[str, str], str]:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    where: dict[tuple[str, str], str] = {}
    for spec in sheets:
        form = cat.forms[spec.form_id]
        unknown = set(spec.values) - set(cat.fields[spec.form_id])
        assert not unknown, f"{spec.form_id} has no fields {sorted(unknown)}"  # a typo must not pass silently
        ws = wb.create_sheet(spec.name)
        ws.append([f"{form.code} {form.title}"])
        ws.append(["指标", "数值", "说明"] if layout == "plain" else ["序号", "指标名称", "填报值", "单位", "说明"])
        section = None
        n = 0
        for f in form.fields:
            if f.id in spec.omit or (f.supplement and f.id not in spec.values):
                continue  # yjzl's supplement rows (地区, 统计年度) only when a test fills them
            if f.section != section:  # a heading only above rows written (no empty 填报信息 section at the end)
                section = f.section
                heading = next(s.label for s in form.sections if s.id == section)
                ws.append([heading] if layout == "plain" else [None, heading])
            n += 1
            label = spec.labels.get(f.id, f.label)
            value = spec.values.get(f.id)
            note = spec.notes.get(f.id)
            if layout == "plain":
                ws.append([label, value, note])
                col = "B"
            else:
                ws.append([n, label, value, f.unit or "", note])
                col = "C"
            where[(spec.name, f.id)] = f"{col}{ws.max_row}"
    wb.save(path)
    return where


def header_row(ws) -> int:
    """The row of the template's header 序号 | 指标 | 数值 …"""
    return next(r for r in range(1, 10) if ws.cell(r, 2).value == "指标")


def template_rows(ws) -> dict[str, list[int]]:
    """The rows of a `yjzl template` sheet by label key (a label printed twice has two rows)."""
    from yjzl.text import label_key

    rows: dict[str, list[int]] = {}
    for r in range(header_row(ws) + 1, ws.max_row + 1):
        if ws.cell(r, 2).value:
            rows.setdefault(label_key(ws.cell(r, 2).value), []).append(r)
    return rows


def fill_template_sheet(ws, form, values: dict, notes: dict | None = None, omit: set[str] = frozenset()) -> dict[str, int]:
    """Type values (and 说明 notes) into a template sheet as a person would; return {field id: row}.

    A field in `omit` has its label emptied: openpyxl's delete_rows would leave the row's data
    validation behind, and a row without a label is skipped by the reader, as if it were gone.
    """
    from yjzl.text import label_key

    rows = template_rows(ws)
    head = header_row(ws)
    note_col = next(c for c in range(1, 10) if ws.cell(head, c).value == "说明")
    seen: dict[str, int] = {}
    placed = {}
    for f in form.fields:
        if f.hidden:  # an overlay left it out of the template
            continue
        key = label_key(f.label)
        r = rows[key][seen.get(key, 0)]
        seen[key] = seen.get(key, 0) + 1
        if f.id in omit:
            ws.cell(r, 2).value = None
            continue
        ws.cell(r, 3).value = values.get(f.id)
        if notes and f.id in notes:
            ws.cell(r, note_col).value = notes[f.id]
        placed[f.id] = r
    return placed
