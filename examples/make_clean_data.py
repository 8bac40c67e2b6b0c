"""Derive a consistent ("clean") data set for each form from the catalogue's own checks.

Run once to (re)create examples/data/<FORM>.yaml; the files are committed and
reviewed like any other data. Start from seeded random values of each field's
kind, then repair every failing check until the form passes them all.

    python examples/make_clean_data.py
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import yaml

from yjzl.catalogue import expr
from yjzl.catalogue.loader import load
from yjzl.rules import kinds

HERE = Path(__file__).parent
CHECKS: list = []  # the form being solved


def start(kind: str, rng: random.Random) -> object:
    return {
        "count": lambda: float(rng.randint(200, 5000)),
        "amount": lambda: round(rng.uniform(100, 2000), 2),
        "decimal": lambda: round(rng.uniform(3, 15), 1),
        "percent": lambda: round(rng.uniform(40, 95), 2),
        "permille": lambda: round(rng.uniform(2, 8), 2),
        "yesno": lambda: 1.0,
    }.get(kind, lambda: None)()


def _set(vals: dict, kinds_: dict, node: expr.Node, target: float) -> bool:
    """Make a single-field term (or a sum of fields) take about `target`."""
    if node[0] == "f":
        fid = node[1]
        new = float(max(0, math.floor(target))) if kinds_[fid] == "count" else round(max(0.0, target), 2)
        if vals.get(fid) != new:
            vals[fid] = new
            return True
        return False
    if node[0] == "+":
        parts = sorted(expr.fields(node))
        total = sum(vals[p] for p in parts)
        scale = target / total if total else 0
        for p in parts:
            vals[p] = float(math.floor(vals[p] * scale)) if kinds_[p] == "count" else round(vals[p] * scale, 2)
        return True
    return False


def _ranks(cat, form_id: str) -> dict[str, int]:
    """rank(b) > rank(a) for every a ≤ b and total = parts, capped at 4."""
    rank: dict[str, int] = {}
    pairs = []
    for c in cat.checks_for(form_id):
        if c.defn.rule == "le" and not c.defn.across:
            pairs += [(expr.fields(a), expr.fields(b)) for a, b in zip(c.terms, c.terms[1:])]
        if c.defn.rule == "eq" and len(c.terms) == 2 and c.terms[0][0] == "f" and c.terms[1][0] == "+":
            pairs.append((expr.fields(c.terms[1]), expr.fields(c.terms[0])))
    for _ in range(6):
        for small, big in pairs:
            need = max((rank.get(f, 0) for f in small), default=0) + 1
            for f in big:
                rank[f] = min(4, max(rank.get(f, 0), need))
    return rank


def _repair(vals: dict, kinds_: dict, check, get) -> bool:
    """Make the formula's numerator agree with the reported value (ranges stay met)."""
    expected = expr.evaluate(check.formula, get)
    bounds = [(r.defn.min, r.defn.max) for r in CHECKS if r.defn.rule == "range" and r.expr == check.expr]
    if isinstance(expected, float) and all((lo is None or expected >= lo) and (hi is None or expected <= hi) for lo, hi in bounds):
        return _set(vals, kinds_, check.expr, expected)
    node, scale = check.formula, 1.0
    if node[0] == "*" and node[2][0] == "n":
        node, scale = node[1], node[2][1]
    if node[0] == "/" and node[1][0] == "f":
        want = expr.evaluate(check.expr, get) / scale * expr.evaluate(node[2], get)
        return _set(vals, kinds_, node[1], want)
    return _set(vals, kinds_, check.expr, expr.evaluate(check.formula, get))


def solve(cat, form_id: str, seed: int = 2019) -> dict[str, object]:
    rng = random.Random(seed)
    CHECKS[:] = cat.checks_for(form_id)
    form = cat.forms[form_id]
    kinds_ = {f.id: f.kind for f in form.fields}
    vals: dict[str, object] = {f.id: start(f.kind, rng) for f in form.fields}
    for fid, r in _ranks(cat, form_id).items():  # wholes an order of magnitude above their parts
        if kinds_[fid] == "count":
            vals[fid] = float(rng.randint(200, 900) * 10 ** r)
    for f in form.fields:
        if f.kind == "text":
            vals[f.id] = "示例医院" if f.role == "name" else "示例"
        elif f.kind == "code":
            vals[f.id] = "12345678-9"
    for _ in range(300):
        changed = False
        scope = kinds.Scope(lambda k: vals[k] if isinstance(vals.get(k), float) else expr.MISSING, {}, str)
        for check in cat.checks_for(form_id):
            if check.defn.across:
                continue
            out = kinds.run(check, scope)
            if out.status != "failed":
                continue
            d = check.defn
            get = scope.get
            if d.rule == "le":
                for a, b in zip(check.terms, check.terms[1:]):
                    x, y = expr.evaluate(a, get), expr.evaluate(b, get)
                    if x > y:
                        changed |= _set(vals, kinds_, a, y * rng.uniform(0.6, 0.95)) or _set(vals, kinds_, b, x * 1.2 + 1)
            elif d.rule == "eq":
                changed |= _set(vals, kinds_, check.terms[0], expr.evaluate(check.terms[1], get)) or _set(
                    vals, kinds_, check.terms[1], expr.evaluate(check.terms[0], get))
            elif d.rule == "range":
                lo, hi = d.min if d.min is not None else 0, d.max if d.max is not None else 1e6
                changed |= _set(vals, kinds_, check.expr, lo + (hi - lo) * rng.uniform(0.2, 0.5))
            elif d.rule == "recompute":
                changed |= _repair(vals, kinds_, check, get)
        if not changed:
            break
    return {k: (int(v) if isinstance(v, float) and kinds_[k] == "count" else v) for k, v in vals.items()}


def main() -> None:
    cat = load()
    out = HERE / "data"
    out.mkdir(exist_ok=True)
    for form_id in cat.forms:
        data = solve(cat, form_id)
        yes_no = {f.id for f in cat.forms[form_id].fields if f.kind == "yesno"}
        data = {k: ("是" if v == 1.0 else "否") if k in yes_no else v for k, v in data.items()}
        (out / f"{form_id}.yaml").write_text(
            f"# Clean data for {form_id} ({cat.forms[form_id].code}); made by make_clean_data.py\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(f"{form_id}: {len(data)} fields", file=sys.stderr)


if __name__ == "__main__":
    main()
