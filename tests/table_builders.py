"""Build summary tables (one row per submitter) and long tables (one row per value) with openpyxl.

`write_summary` / `write_long` return where each (row index, field id) value went ({(i, fid): "D5"}),
so that tests can name the exact cell of a planted problem.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from yjzl.catalogue.compiled import Compiled


def summary_sheet(ws, cat: Compiled, form_id: str, rows: list[dict[str, object]], *, units: bool = False,
                  seq: bool = True, extra: dict[str, list[object]] | None = None) -> dict[tuple[int, str], str]:
    """Header of field labels (catalogue order), optional unit row, one row per submitter; `extra`: more columns."""
    from openpyxl.utils import get_column_letter

    form = cat.forms[form_id]
    fields = [f for f in form.fields if not f.supplement or any(f.id in r for r in rows)]
    header = (["序号"] if seq else []) + [f.label for f in fields] + list(extra or {})
    ws.append(header)
    if units:
        ws.append(([""] if seq else []) + [f.unit or "" for f in fields] + [""] * len(extra or {}))
    where = {}
    for i, values in enumerate(rows):
        line = ([i + 1] if seq else []) + [values.get(f.id) for f in fields] + [col[i] for col in (extra or {}).values()]
        ws.append(line)
        for j, f in enumerate(fields):
            where[(i, f.id)] = f"{get_column_letter(j + 1 + int(seq))}{ws.max_row}"
    return where


def write_summary(path: Path, cat: Compiled, sheet: str, form_id: str, rows: list[dict[str, object]], **kw) -> dict:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    where = summary_sheet(ws, cat, form_id, rows, **kw)
    wb.save(path)
    return where


def write_long(path: Path, cat: Compiled, sheet: str, submissions: list[tuple[str, dict[str, object]]],
               by_id: bool = False) -> dict[tuple[int, str], str]:
    """机构代码 | 表 | 指标 | 数值: one row per value; the field named by its label (or its catalogue id)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["机构代码", "单位名称", "表", "指标", "数值", "说明"])
    where = {}
    for i, (form_id, values) in enumerate(submissions):
        form = cat.forms[form_id]
        roles = {f.role: f.id for f in form.fields if f.role}
        code, name = values.get(roles.get("code", ""), f"CODE{i}"), values.get(roles.get("name", ""), f"单位{i}")
        for f in form.fields:
            if f.id not in values:
                continue
            ws.append([code, name, form.code, f.id if by_id else f.label, values[f.id], None])
            where[(i, f.id)] = f"E{ws.max_row}"
    wb.save(path)
    return where
