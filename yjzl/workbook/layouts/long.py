"""The long table: one row per value, as a platform's data-value export gives it.

    | 机构代码   | 单位名称 | 表  | 指标             | 数值 | 说明 |
    | 12345678-9 | 甲医院   | 表3 | 实际开放总床日数 | 4272 |      |
    | 12345678-9 | 甲医院   | 表3 | 实际占用总床日数 | 1515 |      |

Chosen when a header row near the top names a submitter column (单位/名称/机构名称
… or 机构代码 …), a field column (指标/指标名称/项目/字段/指标编号) and a value column
(数值/值/填报值 …). The field is a label or a catalogue field id; an optional
表 column names each row's form, else the sheet's form is found like a printed
form's (sheet name, title, the labels in the field column). Rows are gathered
by form and submitter (code, else name) into one FormData each, every value
cited at its own row. A field given twice for one submitter is YJ010; a row
with no submitter is YJ022 (gathered apart, never joined to a neighbour).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.text import label_key
from yjzl.workbook import values
from yjzl.workbook.cells import Sheet, col_letter
from yjzl.workbook.layouts.common import (
    CONSORTIUM_HEADERS,
    FORM_HEADERS,
    IDENTITY_HEADERS,
    NOTE_HEADERS,
    Reading,
    absent,
    end_table,
    field_lookup,
    quote,
    role_fields,
    rows_of,
    store,
    table_form,
    text_of,
)
from yjzl.workbook.layouts.printed import VALUE_HEADERS
from yjzl.workbook.model import FieldValue, FormData, InputIssue

NAME = "long"
FIELD_HEADERS = {"指标", "指标名称", "项目", "项目名称", "字段", "字段名称", "指标项", "指标编号", "指标代码", "字段编号",
                 "考核指标", "填报项目", "field", "indicator", "item", "data_element", "dataelement"}


@dataclass(slots=True)
class Shape:
    header_row: int
    field: int
    value: int
    name: int | None = None
    code: int | None = None
    region: int | None = None
    period: int | None = None
    note: int | None = None
    form: int | None = None
    consortium: int | None = None

    def describe(self) -> str:
        named = [(self.code, "机构代码"), (self.name, "名称"), (self.region, "地区"), (self.period, "统计年度"),
                 (self.form, "表"), (self.field, "指标"), (self.value, "数值"), (self.note, "说明"),
                 (self.consortium, "所属医联体")]
        cols = " ".join(f"{col_letter(c)}={w}" for c, w in sorted((c, w) for c, w in named if c))
        return f"长表 long：第{self.header_row}行表头；{cols}；依据：表头有单位、指标、数值三列"


def detect(sheet: Sheet, top: dict[int, dict[int, str]], cat: Compiled) -> Shape | None:
    for r in sorted(top):
        if len(top[r]) < 3:
            continue  # submitter, field and value: three text cells at least
        keys = {c: label_key(t) for c, t in top[r].items()}
        words = set(keys.values())
        if words.isdisjoint(FIELD_HEADERS) or words.isdisjoint(VALUE_HEADERS):
            continue  # no field and value columns: not this row (the common case, decided fast)

        def col(words: set[str], exclude: tuple[int | None, ...] = (), keys: dict[int, str] = keys) -> int | None:
            return next((c for c, k in sorted(keys.items()) if k in words and c not in exclude), None)

        name = col(IDENTITY_HEADERS["name"] - {"名称"}) or col({"名称"})
        code = col(IDENTITY_HEADERS["code"])
        fld = col(FIELD_HEADERS, (name,))
        value = col(VALUE_HEADERS)
        if fld and value and (name or code):
            return Shape(r, fld, value, name, code, col(IDENTITY_HEADERS["region"]), col(IDENTITY_HEADERS["period"]),
                         col(NOTE_HEADERS), col(FORM_HEADERS), col(CONSORTIUM_HEADERS))
    return None


def form_by_labels(sheet: Sheet, shape: Shape, cat: Compiled) -> FormDef | None:
    """The form whose labels or ids the field column holds most of (at least 3)."""
    keys = {label_key(c.value) for (r, col), c in sheet.cells.items() if col == shape.field and r > shape.header_row
            and isinstance(c.value, str)}
    best, score = None, 0
    for form in cat.forms.values():
        hits = len(keys & field_lookup(cat, form).keys())
        if hits > score:
            best, score = form, hits
    return best if score >= 3 else None


def submissions(sheet: Sheet, shape: Shape, reading: Reading) -> Iterator[FormData]:
    """The sheet's submissions: its form found as a table's (or by its 表 column, row by row)."""
    cat = reading.cat
    form, how = table_form(sheet, reading, None)
    if form is None and shape.form is None:
        form, how = form_by_labels(sheet, shape, cat), "labels"
    if form is None and reading.forced is not None:
        form, how = reading.forced, "--form"
    names: dict[str, FormDef | None] = {}
    if shape.form:
        from yjzl.workbook.layout import form_by_sheet_name

        for (r, c), cell in sheet.cells.items():
            if c == shape.form and r > shape.header_row and isinstance(cell.value, str):
                k = label_key(cell.value)
                if k not in names:
                    names[k] = form_by_sheet_name(cell.value, cat)
        how = "form column" if form is None else how
    forms, said = read(sheet, shape, form, cat, reading.file, how, names)
    yield from forms
    end_table(sheet, said, len(forms), reading.notes)


def read(sheet: Sheet, shape: Shape, default: FormDef | None, cat: Compiled, file: str, how: str,
         form_of: dict[str, FormDef | None]) -> tuple[list[FormData], list[str]]:
    """One FormData per form and submitter; and the rows not read, in words.

    form_of: a 表 column's text (label_key'd) → its form, filled by the caller's matcher.
    """
    prefix = quote(sheet.name) + "!"
    value_col = prefix + col_letter(shape.value)
    layout = shape.describe()
    groups: dict[tuple[str, str], FormData] = {}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    lookups: dict[str, dict[str, list[str]]] = {}
    hints: dict[str, str] = {}
    notes: list[str] = []
    for r, row in rows_of(sheet, shape.header_row + 1):
        label = text_of(row.get(shape.field))
        if not label and text_of(row.get(shape.value)) == "":
            continue
        form = default
        if shape.form:
            named = text_of(row.get(shape.form))
            form = form_of.get(label_key(named), default) if named else default
        if form is None:
            notes.append(f"第 {r} 行：未识别出表单 / row {r}: no form recognised（{values.brief(text_of(row.get(shape.form)) if shape.form else '')}）")
            continue
        code = text_of(row.get(shape.code)) if shape.code else ""
        name = text_of(row.get(shape.name)) if shape.name else ""
        who = label_key(code or name)
        key = (form.id, who)
        data = groups.get(key)
        if data is None:
            data = groups[key] = FormData(file, sheet.name, form.id, how, layout=layout, layout_name=NAME, row=r)
            counts[key] = {}
            _identity(data, form, cat, shape, row, prefix, r)
        if not who:
            cells = [prefix + col_letter(c) + str(r) for c in (shape.code, shape.name) if c]
            roles = role_fields(form)
            data.issues.append(InputIssue("YJ022", cells, roles.get("code") or roles.get("name")))
        if shape.consortium and not data.consortium:
            data.consortium = text_of(row.get(shape.consortium)) or None
        index = lookups.get(form.id) or lookups.setdefault(form.id, field_lookup(cat, form))
        fkey = label_key(label)
        ids = index.get(fkey)
        label_ref = prefix + col_letter(shape.field) + str(r)
        if not ids:
            if fkey not in hints:
                hint = difflib.get_close_matches(fkey, list(index), n=1, cutoff=0.5) if len(hints) < 500 else []
                hints[fkey] = cat.fields[form.id][index[hint[0]][0]].label if hint else ""
            data.issues.append(InputIssue("YJ006", [label_ref], None, f"{values.brief(label)}|{hints[fkey]}"))
            continue
        n = counts[key].get(fkey, 0)
        counts[key][fkey] = n + 1
        if n >= len(ids):
            first = data.values[ids[0]].cell
            data.issues.append(InputIssue("YJ010", [first, prefix + col_letter(shape.value) + str(r)], ids[0], values.brief(label)))
            continue
        fid = ids[n]
        if fid in data.values and data.values[fid].row != r and cat.fields[form.id][fid].role:
            del data.values[fid]  # the identity columns gave it; a row naming the field itself is the value
            data.issues = [i for i in data.issues if i.field_id != fid]
        note = text_of(row.get(shape.note)) if shape.note else ""
        store(data, cat.fields[form.id][fid], row.get(shape.value), value_col, r, note or None)
    out = []
    for (form_id, who), data in groups.items():
        if who:
            absent(data, cat.forms[form_id])
        out.append(data)
    return out, notes


def _identity(data: FormData, form: FormDef, cat: Compiled, shape: Shape, row: dict, prefix: str, r: int) -> None:
    """The submitter's own columns fill the form's name, code, region and period fields."""
    roles = role_fields(form)
    for role, col in (("name", shape.name), ("code", shape.code), ("region", shape.region), ("period", shape.period)):
        target = role if role in roles else ("region" if role == "name" and "region" in roles and not shape.region else None)
        if col and target and text_of(row.get(col)):
            fid = roles[target]
            cell = row.get(col)
            parsed = values.parse(cell, cat.fields[form.id][fid].kind)
            data.values[fid] = FieldValue(parsed.value, prefix + col_letter(col), r)
