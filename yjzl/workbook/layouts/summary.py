"""The summary table (汇总表): one row per submitter, one column per field.

    | 序号 | 医院名称 | 医院组织机构代码 | 实际开放总床日数 | 实际占用总床日数 | … | 说明 |
    |      |          |                  | 日               | 日               |   |      |
    | 1    | 甲医院   | 12345678-9       | 4272             | 1515             |   |      |

Chosen when a row near the top holds at least MIN_LABELS field labels of one
form. The header may take two rows (label, then unit); a 序号 column is skipped;
identity columns (名称/机构名称/医院名称, 机构代码, 地区, 统计年度) fill the
form's name, code, region and period fields; `<label>说明` is that field's
explanation, a lone 说明/备注 column explains the whole row; a 所属医联体/牵头医院
column names a member row's lead. Each data row becomes one FormData whose cells
are in that row. Problems of the table itself are findings in the row they touch:
two columns for one field that disagree (YJ020), a run of values failing their
kinds (a shifted row, YJ021), an empty identity cell (YJ022), a second row for
the same submitter (YJ023). Columns matching no field are listed as not read.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field

from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.schema import FormDef
from yjzl.text import label_key
from yjzl.workbook import values
from yjzl.workbook.cells import Cell, Sheet, col_letter
from yjzl.workbook.layouts.common import (
    COLLECT_HEADERS,
    CONSORTIUM_HEADERS,
    IDENTITY_HEADERS,
    NOTE_HEADERS,
    SEQ_HEADERS,
    Reading,
    absent,
    all_labels,
    end_table,
    field_lookup,
    header_keys,
    identity_role,
    quote,
    role_fields,
    rows_of,
    store,
    table_form,
    text_of,
)
from yjzl.workbook.layouts.printed import VALUE_HEADERS
from yjzl.workbook.model import FieldValue, FormData, InputIssue, SheetNote

NAME = "summary"
MIN_LABELS = 3  # fewer field labels in one row is no header: a printed form has one label per row
SHIFT_RUN = 3  # this many adjacent columns failing their kinds in one row: the row is shifted, not mistyped
KIND_FAILURES = {"YJ003", "YJ004", "YJ009", "YJ012"}
TOTAL_NAMES = {"合计", "总计", "小计", "全省", "全市", "total"}


@dataclass(slots=True)
class Shape:
    header_row: int
    form: FormDef | None  # the form whose labels the header holds most of (None: a header of too few labels)
    hits: int
    cells: list[str] = field(default_factory=list)  # a bad header's matched cells, for the message


def detect(sheet: Sheet, top: dict[int, dict[int, str]], cat: Compiled) -> Shape | None:
    """A header row with labels of one form across it; or a table header with too few of them."""
    identity = set().union(*IDENTITY_HEADERS.values())
    known = all_labels(cat)
    for r in sorted(top):
        if len(top[r]) < MIN_LABELS:
            continue  # a table's header has at least MIN_LABELS text cells; a printed form's rows mostly 1–2
        keys = {c: header_keys(t) for c, t in top[r].items()}
        if sum(1 for ks in keys.values() if any(k in known for k in ks)) < MIN_LABELS and not any(
                ks[0] in identity for ks in keys.values()):
            continue  # neither labels across nor a submitter column: no header (the common case, decided fast)
        best, hits, cols = None, 0, []
        for form in cat.forms.values():
            index = cat.labels[form.id]
            matched = [c for c, ks in keys.items() if any(k in index for k in ks)]
            if len(matched) > hits:
                best, hits, cols = form, len(matched), matched
        flat = [ks[0] for ks in keys.values()]
        others = [k for k in flat if k not in identity and k not in SEQ_HEADERS and k not in NOTE_HEADERS]
        tabular = any(k in identity for k in flat) and not any(k in VALUE_HEADERS for k in flat) and len(others) >= MIN_LABELS
        if (hits >= MIN_LABELS or tabular) and _labels_below(top, r, cat):
            return None  # labels in the next rows as well: a printed form in label|value pairs across
        if hits >= MIN_LABELS:
            return Shape(r, best, hits)
        if tabular:
            # Laid out as a table of submitters, but its columns are not the form's fields.
            return Shape(r, None, hits, [f"{col_letter(c)}{r}" for c in sorted(cols)])
    return None


def _labels_below(top: dict[int, dict[int, str]], r: int, cat: Compiled) -> bool:
    """The next rows hold labels too: a printed form laid out in several label|value pairs across, not a header."""
    below = [n for n in sorted(top) if n > r][:2]
    known = all_labels(cat)
    if not any(sum(1 for t in top[n].values() if any(k in known for k in header_keys(t))) >= MIN_LABELS for n in below):
        return False
    for form in cat.forms.values():
        index = cat.labels[form.id]
        if any(sum(1 for t in top[n].values() if any(k in index for k in header_keys(t))) >= MIN_LABELS for n in below):
            return True
    return False


@dataclass(slots=True)
class Columns:
    fields: dict[int, str] = field(default_factory=dict)  # column → field id
    twins: dict[str, list[int]] = field(default_factory=dict)  # field id → further columns that name it
    notes: dict[int, str] = field(default_factory=dict)  # field id's 说明 column → field id
    row_note: int | None = None
    consortium: int | None = None
    seq: int | None = None
    source: list[int] = field(default_factory=list)  # yjzl collect's own columns (来源文件, 错误数 …)
    unknown: list[str] = field(default_factory=list)  # "F1「…」（最接近「…」）"


def _columns(header: dict[int, str], form: FormDef, cat: Compiled, header_row: int) -> Columns:
    out = Columns()
    index = field_lookup(cat, form)
    roles = role_fields(form)
    used: dict[str, int] = {}  # field id → its column
    fields = cat.fields[form.id]
    for c in sorted(header):
        keys = header_keys(header[c])
        key = keys[0]
        ids = next((index[k] for k in keys if k in index), None)
        role = None if ids else next((identity_role(k, form) for k in keys if identity_role(k, form)), None)
        if role:
            ids = [roles[role]]
        if ids:
            free = [i for i in ids if i not in used]
            if free:
                used[free[0]] = c
                out.fields[c] = free[0]
            else:
                out.twins.setdefault(ids[0], []).append(c)
        elif key in SEQ_HEADERS:
            out.seq = c
        elif key in COLLECT_HEADERS:
            out.source.append(c)
        elif key in CONSORTIUM_HEADERS:
            out.consortium = c
        elif key in NOTE_HEADERS:
            out.row_note = c
        elif key.endswith(("说明", "备注")) and key[:-2] in index:
            out.notes[c] = index[key[:-2]][0]
        else:
            hint = difflib.get_close_matches(key, list(index), n=1, cutoff=0.5)
            best = f"（最接近「{fields[index[hint[0]][0]].label}」）" if hint else ""
            out.unknown.append(f"{col_letter(c)}{header_row}「{values.brief(header[c])}」{best}")
    return out


def _is_unit_row(row: dict[int, Cell], cols: Columns) -> bool:
    """The row under the header holds units (%, 人, 张 …) when it has text and no number in the field columns."""
    cells = [row[c] for c in cols.fields if c in row and row[c].value not in (None, "")]
    if not cells:
        return False
    for cell in cells:
        if isinstance(cell.value, float) or (isinstance(cell.value, str) and values.parse(cell, "decimal").problem is None):
            return False
    return True


def _describe(shape: Shape, form: FormDef, cols: Columns, unit_row: bool, header: dict[int, str]) -> str:
    idents = [f"{col_letter(c)}={values.brief(header[c])}" for c, fid in sorted(cols.fields.items())
              if any(f.id == fid and f.role for f in form.fields)]
    parts = [f"汇总表 summary：第{shape.header_row}行表头" + (f"、第{shape.header_row + 1}行单位" if unit_row else ""),
             f"{len(cols.fields)} 列字段", "标识列 " + " ".join(idents) if idents else "无标识列"]
    if cols.seq:
        parts.append(f"{col_letter(cols.seq)}=序号")
    if cols.row_note:
        parts.append(f"{col_letter(cols.row_note)}=说明")
    if cols.notes:
        parts.append(f"{len(cols.notes)} 列字段说明")
    if cols.consortium:
        parts.append(f"{col_letter(cols.consortium)}=所属医联体")
    parts.append(f"依据：第{shape.header_row}行有 {shape.hits} 个指标名称")
    return "；".join(parts)


def submissions(sheet: Sheet, shape: Shape, reading: Reading) -> Iterator[FormData]:
    """One submission per data row; a header naming too few fields, or no form, is said instead."""
    form, how = table_form(sheet, reading, shape.form)
    how = "header" if how == "labels" else how
    if form is None and reading.forced is not None:
        form, how = reading.forced, "--form"
    if shape.form is None or form is None:
        cells = "、".join(shape.cells) or "无 / none"
        reading.notes.append(SheetNote(
            sheet.name, f"第 {shape.header_row} 行像汇总表的表头，但只有 {shape.hits} 列对应到表单字段（{cells}），"
            f"至少要 {MIN_LABELS} 列：请用表单中的指标名称作列名 / row {shape.header_row} looks "
            f"like a summary table's header but only {shape.hits} column(s) name a field of the form"))
        return
    said: list[str] = []
    rows = 0
    for data in read(sheet, shape, form, reading.cat, reading.file, how, said, reading.consume):
        rows += 1
        yield data
    end_table(sheet, said, rows, reading.notes)


def read(sheet: Sheet, shape: Shape, form: FormDef, cat: Compiled, file: str, how: str, notes: list[str],
         consume: bool = False) -> Iterator[FormData]:
    """One FormData per data row, as each row is read; what was not read (unknown columns, total rows)
    goes to `notes`, in words. consume: take the rows' cells out of the sheet as they are read."""
    header = {c: t for (r, c), cell in sheet.cells.items() if r == shape.header_row
              and isinstance((t := cell.value), str) and t.strip()}
    cols = _columns(header, form, cat, shape.header_row)
    notes += [f"未读取的列 / columns not read: {x}" for x in cols.unknown]
    fields = cat.fields[form.id]
    roles = role_fields(form)
    ident = [roles[r] for r in ("name", "code") if r in roles and roles[r] in cols.fields.values()] or (
        [roles["region"]] if "region" in roles and roles["region"] in cols.fields.values() else [])
    key_field = roles.get("code") if roles.get("code") in cols.fields.values() else (ident[0] if ident else None)
    prefix = quote(sheet.name) + "!"
    letters = {c: prefix + col_letter(c) for c in (*cols.fields, *cols.notes, *(x for xs in cols.twins.values() for x in xs))}
    note_of = {fid: c for c, fid in cols.notes.items()}
    ordered = sorted(cols.fields.items())
    column = {fid: c for c, fid in ordered}
    seen: dict[str, str] = {}  # submitter key → the cell that first gave it
    start = shape.header_row + 1
    layout = ""
    for r, row in rows_of(sheet, start, consume):
        if r == start and _is_unit_row(row, cols):
            start = r + 1
            continue
        if not any(c in row and row[c].value not in (None, "") for c in cols.fields):
            continue  # a blank row, or one holding only a 序号
        first_text = next((text_of(row.get(c)) for c, _ in ordered if text_of(row.get(c))), "")
        if label_key(first_text) in TOTAL_NAMES:
            notes.append(f"第 {r} 行是合计行，未作为填报读取 / row {r} is a total, not read as a submission")
            continue
        if not layout:
            layout = _describe(shape, form, cols, start > shape.header_row + 1, header)
        data = FormData(file, sheet.name, form.id, how, layout=layout, layout_name=NAME, row=r)
        row_note = text_of(row.get(cols.row_note)) if cols.row_note else ""
        failed: list[tuple[int, str]] = []  # (column, field) whose value failed its kind
        for c, fid in ordered:
            nc = note_of.get(fid)
            note = (text_of(row.get(nc)) if nc else "") or row_note or None
            if fid in ident and text_of(row.get(c)) == "":
                data.values[fid] = FieldValue(None, letters[c], r)
                data.issues.append(InputIssue("YJ022", [f"{letters[c]}{r}"], fid))
                continue
            problem = store(data, fields[fid], row.get(c), letters[c], r, note)
            if problem in KIND_FAILURES:
                failed.append((c, fid))
        _shifted(data, ordered, failed)
        for fid, extra in cols.twins.items():
            _twin_columns(data, fid, [column[fid], *extra], row, letters, r)
        if key_field and (key := label_key(data.text(key_field) or "")):
            ref = data.values[key_field].cell
            if key in seen:
                data.issues.append(InputIssue("YJ023", [seen[key], ref], key_field, values.brief(data.text(key_field) or "")))
            else:
                seen[key] = ref
        if cols.consortium:
            data.consortium = text_of(row.get(cols.consortium)) or None
        absent(data, form)
        yield data


def _shifted(data: FormData, ordered: list[tuple[int, str]], failed: list[tuple[int, str]]) -> None:
    """Adjacent columns failing their kinds in a run: one YJ021 for the run instead of one finding per cell."""
    if len(failed) < SHIFT_RUN:
        return
    position = {c: i for i, (c, _) in enumerate(ordered)}
    runs: list[list[tuple[int, str]]] = [[failed[0]]]
    for item in failed[1:]:
        if position[item[0]] == position[runs[-1][-1][0]] + 1:
            runs[-1].append(item)
        else:
            runs.append([item])
    for run in runs:
        if len(run) < SHIFT_RUN:
            continue
        fids = {fid for _, fid in run}
        cells = [data.values[fid].cell for _, fid in run]
        data.issues = [i for i in data.issues if not (i.field_id in fids and i.code in KIND_FAILURES)]
        data.issues.append(InputIssue("YJ021", cells, run[0][1], f"{len(run)}"))


def _twin_columns(data: FormData, fid: str, cols: list[int], row: dict[int, Cell], letters: dict[int, str], r: int) -> None:
    """Two columns name one field: agreeing, they are one value; disagreeing, neither is guessed (YJ020)."""
    fv = data.values.get(fid)
    if fv is None:
        return
    first = label_key(text_of(row.get(cols[0])))
    for c in cols[1:]:
        if label_key(text_of(row.get(c))) != first:
            data.issues = [i for i in data.issues if i.field_id != fid]
            data.issues.append(InputIssue("YJ020", [fv.cell, f"{letters[c]}{r}"], fid))
            fv.value = None  # neither column is taken: the checks skip the field
            return
