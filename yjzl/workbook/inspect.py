"""What yjzl sees in a workbook (`yjzl inspect`): the sheets, which hold which form and how each was recognised,
the layout, every field with its cell, what the cell holds and what was read from it, and why sheets were skipped.

A plain, JSON-ready dictionary: the CLI prints it as tables (Chinese first, English with --lang en) or as JSON.
"""

from __future__ import annotations

from pathlib import Path

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.expr import MISSING
from yjzl.workbook.cells import Cell, Workbook

# How a form was recognised (FormData.identified_by), for people.
HOW = {
    "sheet name": ("工作表名称", "sheet name"),
    "title": ("表头标题", "title"),
    "template": ("模板记录的表单", "template property"),
    "labels": ("指标名称", "labels"),
    "--form": ("--form 指定", "--form"),
    "header": ("汇总表表头中的指标名称", "labels in a summary table's header"),
    "form column": ("长表的“表”列", "a long table's form column"),
}
# Layout roles as FormData.layout names them ("B=指标 C=数值 E=说明"), in English.
ROLES_EN = {"指标": "label", "数值": "value", "说明": "note"}


def raw_text(cell: Cell | None) -> str:
    """What the cell holds, as a person would describe it: text, a number and its format, an error, a formula."""
    if cell is None:
        return ""
    if cell.error:
        return cell.error
    if not cell.cached:
        return "=…（未计算 / never calculated）"
    value = cell.value
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = f"{value:g}" if abs(value) < 1e15 else repr(value)
        if cell.percent:
            text += "（百分比格式 / percent format）"
        elif cell.date:
            text += "（日期格式 / date format）"
    else:
        text = "" if value is None else str(value)
    return ("=" + text) if cell.formula else text


def shown(value: object) -> object:
    """A field's parsed value for output: MISSING (--, not counted) as "--", blank as None."""
    if value is MISSING:
        return "--"
    return value


def _cell_of(book: Workbook, sheet: str, ref: str) -> Cell | None:
    from yjzl.workbook.cells import split_ref

    target = next((s for s in book.sheets if s.name == sheet), None)
    rc = split_ref(ref.rsplit("!", 1)[-1])
    return target.cells.get(rc) if target is not None and rc else None


def inspect_workbook(path: str | Path, cat: Compiled, form: str | None = None) -> dict:
    """Everything `yjzl inspect` shows, as plain data (UnusableInput when the file cannot be read at all)."""
    from yjzl.workbook.reader import read_book
    from yjzl.workbook.xlsx import read_workbook

    book = read_workbook(path)
    data = read_book(book, cat, form, require_form=False)
    forms = []
    for fd in data.forms:
        fdef = cat.forms[fd.form_id]
        issues: dict[str, list[str]] = {}
        for issue in fd.issues:
            if issue.field_id:
                issues.setdefault(issue.field_id, []).append(issue.code)
        fields = []
        for f in fdef.fields:
            fv = fd.values.get(f.id)
            fields.append({
                "id": f.id, "label": f.label, "label_en": f.label_en, "kind": f.kind,
                "cell": fv.cell if fv else None,
                "raw": raw_text(_cell_of(book, fd.sheet, fv.cell)) if fv else None,
                "value": shown(fv.value) if fv else None,
                "explanation": fv.explanation if fv else None,
                "codes": issues.get(f.id, []),
            })
        forms.append({
            "sheet": fd.sheet, "form": fdef.code, "form_en": fdef.code_en, "form_id": fdef.id, "title": fdef.title, "title_en": fdef.title_en,
            "identified_by": fd.identified_by, "layout": fd.layout, "layout_name": fd.layout_name, "row": fd.row,
            "fields": fields,
            "other_issues": [{"code": i.code, "cells": i.cells, "detail": i.detail} for i in fd.issues if not i.field_id],
        })
    return {
        "file": str(path),
        "sheets": [{"name": s.name, "hidden": s.hidden, "cells": len(s.cells), "rows": s.max_row} for s in book.sheets],
        "forms": forms,
        "skipped": [{"sheet": s.sheet, "reason": s.reason} for s in data.skipped],
    }
