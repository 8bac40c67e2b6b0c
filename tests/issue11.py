"""Helpers for the issue-11 precision tests: audit a small real workbook, look findings up."""

from __future__ import annotations

from pathlib import Path

from tests.builders import SheetSpec, write_workbook


def audit(tmp_path: Path, cat, form_id: str, values: dict, name: str = "f.xlsx", **spec):
    """Write one sheet of `form_id` holding `values`, validate it; return (findings, {field: cell})."""
    import yjzl

    path = tmp_path / name
    code = cat.forms[form_id].code
    where = write_workbook(path, cat, [SheetSpec(code, form_id, values, **spec)])
    rep = yjzl.validate(path, catalogue=cat)
    from yjzl.workbook.reader import _quote

    cells = {fid: f"{_quote(code)}!{c}" for (_, fid), c in where.items()}
    return rep.files[0].findings, cells


def by_check(findings, check_id: str) -> list:
    return [f for f in findings if f.check == check_id]
