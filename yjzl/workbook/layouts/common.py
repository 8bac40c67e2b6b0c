"""What the three layouts share: what each is given, where the cells are, how a value is stored, the identity
columns, how a table's form is found."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FieldDef, FormDef
from yjzl.text import label_key
from yjzl.workbook import values
from yjzl.workbook.cells import Cell, Sheet
from yjzl.workbook.model import FieldValue, FormData, InputIssue, SheetNote

HEAD_ROWS = 15  # a header is found in the first rows, as people and platforms place it

# Column headers naming the submitter, by the role of the catalogue field they fill (label_key'd).
# Not 单位: in a printed form and a long table it is the unit column (人次, %).
# A form without a name/code field (表1, 表2: a province or a city) takes the name as its region.
IDENTITY_HEADERS: dict[str, set[str]] = {
    "name": {"名称", "机构名称", "医院名称", "单位名称", "填报单位", "填报单位名称", "医疗机构名称", "机构",
             "医院", "name", "organisation", "organization"},
    "code": {"机构代码", "组织机构代码", "医院代码", "单位代码", "统一社会信用代码", "代码", "org_code", "code"},
    "region": {"地区", "所在地区", "地市", "城市", "省份", "区县", "行政区划", "region"},
    "period": {"统计年度", "年度", "年份", "统计期", "period", "year"},
}
# The consortium a member row belongs to: its lead's name or code.
CONSORTIUM_HEADERS = {"所属医联体", "所属医共体", "牵头医院", "牵头单位", "牵头医院名称", "牵头医院代码", "医联体牵头医院",
                      "牵头医院组织机构代码", "所属医联体牵头医院", "consortium", "lead"}
NOTE_HEADERS = {"说明", "备注", "情况说明", "审核说明", "填报说明", "解释", "note", "explanation"}
SEQ_HEADERS = {"序号", "编号", "no", "no.", "#"}
# Columns `yjzl collect` writes beside the fields: where each row came from and its audit; not fields.
COLLECT_HEADERS = {"来源文件", "来源工作表", "来源单元格", "错误数", "警告数", "审核"}
FORM_HEADERS = {"表", "表单", "表名", "表号", "报表", "form"}
_UNIT = re.compile(r"\([^()]*\)$")  # 床位使用率(%) — a unit after the label


@dataclass(slots=True)
class Reading:
    """What a layout's `submissions` is given besides the sheet and the shape its `detect` found."""

    cat: Compiled
    file: str
    template: dict[str, str]  # sheet name → form id, from a yjzl template's properties
    forced: FormDef | None  # --form
    notes: list[SheetNote]  # what of the sheet was not read, and why
    consume: bool  # a table's cells may leave the sheet as its rows are read
    top: dict[int, dict[int, str]]  # the texts of the sheet's first rows (`head`)


def table_form(sheet: Sheet, reading: Reading, by_labels: FormDef | None) -> tuple[FormDef | None, str]:
    """A table's form: the template's property, its sheet name, its title, then its labels (`by_labels`)."""
    from yjzl.workbook.layout import form_by_sheet_name, form_by_title

    cat, template = reading.cat, reading.template
    if sheet.name in template and template[sheet.name] in cat.forms:
        return cat.forms[template[sheet.name]], "template"
    form = form_by_sheet_name(sheet.name, cat)
    if form:
        return form, "sheet name"
    form = form_by_title([t for r in sorted(reading.top)[:3] for t in reading.top[r].values()], cat)
    if form:
        return form, "title"
    return by_labels, "labels"


def end_table(sheet: Sheet, said: list[str], rows: int, notes: list[SheetNote]) -> None:
    """After a table's rows: what of it was not read, and a table without data rows said as such."""
    notes += [SheetNote(sheet.name, x) for x in said]
    if not rows:
        notes.append(SheetNote(sheet.name, "表格中没有数据行 / the table has no data rows"))


def quote(sheet: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it has spaces or punctuation."""
    return f"'{sheet}'" if any(ch in sheet for ch in " -()'!,;") else sheet


def head(sheet: Sheet, rows: int = HEAD_ROWS) -> dict[int, dict[int, str]]:
    """The text cells of the first rows, by row and column.

    The readers give cells row by row (xlsx and CSV alike), so the scan stops at the first cell
    below the head: a table of 100 000 rows is not walked to find its header.
    """
    out: dict[int, dict[int, str]] = {}
    for (r, c), cell in sheet.cells.items():
        if r > rows:
            break
        if isinstance(cell.value, str) and cell.value.strip():
            out.setdefault(r, {})[c] = cell.value
    return out


def rows_of(sheet: Sheet, start: int, consume: bool = False) -> Iterator[tuple[int, dict[int, Cell]]]:
    """The sheet's rows from `start` on, each as {column: cell}, in row order.

    consume: take each row's cells out of the sheet as it is handed out, so that a table of 100 000 rows
    never holds both all its cells and all its submissions (only for a sheet no one else will read).
    """
    cells = sheet.cells
    ordered = all(a <= b for a, b in zip(_row_numbers(cells), _row_numbers(cells, 1)))
    keys: list[tuple[int, int] | None] = list(cells) if ordered else sorted(cells)  # type: ignore[arg-type]
    row: dict[int, Cell] = {}
    current = 0
    for i, key in enumerate(keys):
        r, c = key  # type: ignore[misc]
        if r < start:
            continue
        if r != current:
            if row:
                yield current, row
            row, current = {}, r
        if consume:
            row[c] = cells.pop(key)  # type: ignore[arg-type]
            keys[i] = None  # the key tuple goes with its cell
        else:
            row[c] = cells[key]  # type: ignore[index]
    if row:
        yield current, row


def _row_numbers(cells: dict[tuple[int, int], Cell], skip: int = 0) -> Iterator[int]:
    it = iter(cells)
    for _ in range(skip):
        next(it, None)
    return (r for r, _ in it)


@lru_cache(maxsize=1 << 14)
def header_keys(text: str) -> tuple[str, ...]:
    """The keys a header cell may match: as typed, then without a trailing (unit)."""
    key = label_key(text)
    bare = _UNIT.sub("", key)
    return (key, bare) if bare and bare != key else (key,)


_ALL_LABELS: dict[int, frozenset[str]] = {}


def all_labels(cat: Compiled) -> frozenset[str]:
    """Every form's label keys, once per catalogue: most sheets' rows are ruled out by one set lookup per cell."""
    found = _ALL_LABELS.get(id(cat))
    if found is None:
        found = _ALL_LABELS[id(cat)] = frozenset(k for index in cat.labels.values() for k in index)
    return found


def role_fields(form: FormDef) -> dict[str, str]:
    """Role (name, code, region, period) → the form's field id."""
    return {f.role: f.id for f in form.fields if f.role}


def identity_role(key: str, form: FormDef) -> str | None:
    """The role a header names (名称 → name), mapped onto a role the form has."""
    roles = role_fields(form)
    for role, words in IDENTITY_HEADERS.items():
        if key in words:
            if role in roles:
                return role
            if role == "name" and "region" in roles and "name" not in roles:
                return "region"  # 表1/表2: the submitter is a province or a city, named by its region
    return None


def field_lookup(cat: Compiled, form: FormDef) -> dict[str, list[str]]:
    """A header or a label key → the field ids it names: labels (in document order) and catalogue ids."""
    index = {k: list(v) for k, v in cat.labels[form.id].items()}
    for fid in cat.fields[form.id]:
        index.setdefault(label_key(fid), [fid])
    return index


def store(data: FormData, f: FieldDef, cell: Cell | None, column: str, row: int, note: str | None) -> str | None:
    """Parse one cell (at `column` + `row`, e.g. "表3汇总!BD" 5) into the form's values; return the problem
    code, if any (already recorded)."""
    parsed = values.parse(cell, f.kind)
    if parsed.problem:
        data.values[f.id] = FieldValue(parsed.value, column, row, note, cell.value if cell is not None else None)
        data.issues.append(InputIssue(parsed.problem, [f"{column}{row}"], f.id, parsed.detail))
        return parsed.problem
    data.values[f.id] = FieldValue(parsed.value, column, row, note)
    if parsed.value is None and not (f.optional or f.condition or f.duplicate_of):
        data.issues.append(InputIssue("YJ001", [f"{column}{row}"], f.id))
    elif parsed.note == "fraction":
        data.issues.append(InputIssue("YJ011", [f"{column}{row}"], f.id, f"{parsed.value:g}"))
    return None


def absent(data: FormData, form: FormDef) -> None:
    """Required fields with no row (printed form, long table) or no column (summary table) at all."""
    for f in form.fields:
        if f.id not in data.values and not (f.optional or f.condition or f.duplicate_of):
            data.issues.append(InputIssue("YJ002", [], f.id, data.sheet))


def text_of(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    return (f"{v:g}" if isinstance(v, float) else str(v)).strip()
