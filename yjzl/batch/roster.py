"""Read a roster (名单): the units a supervisor expects a submission from.

A roster is a sheet (.xlsx, .csv, or whatever the workbook reader reads) with a
header row naming its columns: 名称 and 机构代码 (at least one filled per row),
and optionally 地区, 表 and 上级. Headers are matched forgivingly (单位名称,
统一社会信用代码, 行政区划代码 … are accepted; see COLUMNS). A unit's code may be
an organisation code or a 6-digit administrative division code (the national
platform's user names: 370000 a province, 370282 a county-level city); where
the roster gives no 地区, the province and prefecture are derived from the code,
else taken from its 上级 when the roster lists that unit. 截止日期 (a unit's deadline) and 收到日期 (when the
supervisor received its form) are optional dates (yjzl.batch.progress: 逾期).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from yjzl.catalogue.compiled import Compiled
from yjzl.errors import UnusableInput, UsageProblem
from yjzl.report import RosterUnit

# Each column and the header words that name it (compared after normalising, see _norm).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "单位名称", "机构名称", "医疗机构名称", "医联体名称", "填报单位", "name"),
    "org_code": ("机构代码", "组织机构代码", "统一社会信用代码", "行政区划代码", "代码", "用户名", "code"),
    "region": ("地区", "所在地区", "行政区划", "region"),
    "form": ("表", "表单", "报表", "form"),
    "parent": ("上级", "上级单位", "牵头单位", "parent"),
    "deadline": ("截止日期", "报送截止日期", "截止时间", "deadline"),
    "received": ("收到日期", "接收日期", "报送日期", "received"),
}
HEADER_ROWS = 10  # a title may sit above the header row
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b-\u200f\ufeff]+")


def normalise_name(text: str) -> str:
    """Names compare after NFKC (full-width → half-width), without spaces, case-folded."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def normalise_code(text: str) -> str:
    """Codes compare without spaces or hyphens, upper-case (统一社会信用代码 letters)."""
    return re.sub(r"[\s\-‐–—_]", "", unicodedata.normalize("NFKC", text)).upper()


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    import yaml

    text = (Path(__file__).resolve().parents[1] / "data" / "divisions.yaml").read_text(encoding="utf-8")
    doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # the C loader when there is one
    return {str(k): v for k, v in doc["provinces"].items()}


def division_of(code: str | None) -> str | None:
    """The 6-digit division code in a code: the code itself, or digits 3–8 of a 统一社会信用代码."""
    if not code:
        return None
    c = normalise_code(code)
    if re.fullmatch(r"\d{6}", c):
        div = c
    elif re.fullmatch(r"[0-9A-Z]{2}\d{6}[0-9A-Z]{10}", c):
        div = c[2:8]
    else:
        return None
    return div if div[:2] in provinces() else None


def region_of(code: str | None, names: dict[str, str]) -> str | None:
    """Province, and prefecture where the code is below one: 370282 → 山东省青岛市 when the roster names 370200.

    `names` maps division codes to the names the roster gives them; a prefecture it does not name is named by
    the division table (yjzl.batch.divisions), else shown by its code (山东省3799), so units of one prefecture
    still count together.
    """
    div = division_of(code)
    if div is None:
        return None
    province = provinces()[div[:2]]
    if div[2:4] == "00":
        return province
    prefecture = div[:4] + "00"
    if prefecture in names:
        return province + names[prefecture]
    from yjzl.batch.divisions import table

    known = table().get(prefecture)
    return province + (known.name if known and known.level == "city" else div[:4])


def division_names(units: Sequence[RosterUnit]) -> dict[str, str]:
    """The names the roster gives divisions: units whose code is a bare 6-digit division code (青岛市 370200)."""
    return {c: u.name for u in units if u.org_code and re.fullmatch(r"\d{6}", c := normalise_code(u.org_code))}


def _norm(header: object) -> str:
    return normalise_name(str(header)).strip(":：*")


def _find_header(rows: dict[int, dict[int, str]]) -> tuple[int, dict[str, int]] | None:
    words = {normalise_name(w): col for col, ws in COLUMNS.items() for w in ws}
    for r in sorted(rows)[:HEADER_ROWS]:
        found: dict[str, int] = {}
        for c, text in rows[r].items():
            col = words.get(_norm(text))
            if col and col not in found:
                found[col] = c
        if "name" in found or "org_code" in found:
            return r, found
    return None


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number: 370282.0 → 370282
    return "" if value is None else str(value).strip()


def load(path: str | Path, cat: Compiled) -> list[RosterUnit]:
    from yjzl.batch.batches import read_date
    from yjzl.workbook.cells import cell_ref
    from yjzl.workbook.xlsx import read_workbook

    try:
        book = read_workbook(path)
    except UnusableInput as exc:
        raise UsageProblem(f"--roster {path}: {exc.reason}") from exc
    for sheet in (s for s in book.sheets if not s.hidden):
        rows: dict[int, dict[int, str]] = {}
        for (r, c), cell in sheet.cells.items():
            if (t := _text(cell.value)):
                rows.setdefault(r, {})[c] = t
        header = _find_header(rows)
        if header is None:
            continue
        head_row, cols = header
        units: list[RosterUnit] = []
        seen: dict[tuple[str, str | None], int] = {}
        for r in sorted(k for k in rows if k > head_row):
            get = {col: rows[r].get(c, "") for col, c in cols.items()}
            name, code = get.get("name", ""), get.get("org_code", "")
            if not (name or code):
                if any(get.values()):
                    raise UsageProblem(f"--roster {path}: {sheet.name}!{cell_ref(r, cols.get('name', cols.get('org_code', 1)))}: "
                                       f"这一行没有名称也没有机构代码 / the row has neither a name nor a code")
                continue
            form = None
            if get.get("form"):
                f = cat.find_form(get["form"])
                if f is None:
                    raise UsageProblem(f"--roster {path}: {sheet.name}!{cell_ref(r, cols['form'])}: 没有这个表单 / "
                                       f"no such form: {get['form']}")
                form = f.code
            key = (normalise_code(code) if code else "name:" + normalise_name(name), form)
            if key in seen:
                raise UsageProblem(f"--roster {path}: {sheet.name} 第 {r} 行与第 {seen[key]} 行是同一单位 / "
                                   f"rows {seen[key]} and {r} name the same unit")
            seen[key] = r
            for col in ("deadline", "received"):
                if get.get(col) and read_date(get[col]) is None:
                    raise UsageProblem(f"--roster {path}: {sheet.name}!{cell_ref(r, cols[col])}: 不是日期 / not a date: {get[col]}")
            units.append(RosterUnit(name or code, code or None, get.get("region") or None, form, get.get("parent") or None, r,
                                    get.get("deadline") or None, get.get("received") or None))
        names = division_names(units)
        for u in units:
            if u.region is None:
                u.region = region_of(u.org_code, names)
        by_name = {normalise_name(u.name): u for u in units}
        for u in units:  # no region and no division in the code: the region of its 上级, when the roster lists it
            parent = by_name.get(normalise_name(u.parent)) if u.parent else None
            if u.region is None and parent is not None and parent is not u:
                u.region = parent.region
        if not units:
            raise UsageProblem(f"--roster {path}: {sheet.name}: 表头下没有单位 / no units below the header")
        return units
    raise UsageProblem(f"--roster {path}: 找不到表头（需要“名称”或“机构代码”列）/ no header row with 名称 or 机构代码")
