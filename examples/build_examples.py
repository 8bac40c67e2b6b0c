"""Build the example workbooks in examples/ from the clean data sets and the planted flaws.

    python examples/build_examples.py

The clean data sets (examples/data/<FORM>.yaml) are written by hand: realistic 2019 H1 figures
(the catalogue's default statistics period) anchored on the published 2019 national totals, with
the anchors and the scaling in each file's header. They validate with no finding at all, also as a
full year (flows doubled, `--period 2019`; tests/test_period.py).

For every form: `<表>-clean.xlsx` (plain layout 指标 | 数值 | 说明) and
`<表>-flawed.xlsx` (numbered layout 序号 | 指标名称 | 填报值 | 单位 | 说明) with
the flaws of FLAWS planted. `表3-医联体.xlsx` holds a lead hospital with two
member hospitals, for the cross-form checks. tests/test_examples.py asserts the
exact findings of each.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.builders import SheetSpec, write_workbook  # noqa: E402
from yjzl.catalogue.loader import load  # noqa: E402

# form → {field: value typed}, {field: 说明}, fields whose row is removed.
FLAWS: dict[str, dict] = {
    "T1": {
        "values": {"urban_hukou_population": "__hukou_population+1", "signup_fee": "__signup_fee+10",
                   "gps": "12.5", "alos_tertiary": 500, "counties": None, "poor_population": "--"},
        "notes": {"alos_tertiary": "本省有精神专科医院，平均住院日确实较长"},
    },
    "T2": {
        "values": {"alos_tertiary_2": "__alos_tertiary+3", "counties_300k": "__counties+5",
                   "telemedicine_pricing_policy": "也许"},
    },
    "T3": {
        "values": {"day_surgery_cases": "__total_surgeries+1", "day_surgery_cases_2": "__total_surgeries+1",
                   "bed_occupancy": 250, "referrals_total": "__referrals_total+7", "critical_rescues": "约100"},
    },
    "T3M": {
        "values": {"outpatient_visits": "__outpatient_emergency_visits+100", "bed_occupancy": 0.85},
    },
    "T4": {
        "values": {"grade34_surgeries": "__total_surgeries+2", "dispatch_visits": -3, "alos": "＿"},
    },
    "T4M": {
        "values": {"outpatient_revenue": "__hospital_revenue+1000"},
        "omit": ["admissions"],
    },
}


def clean(form_id: str) -> dict[str, object]:
    return yaml.safe_load((HERE / "data" / f"{form_id}.yaml").read_text(encoding="utf-8"))


def flawed(form_id: str) -> tuple[dict[str, object], dict[str, str], set[str]]:
    """The clean values with the flaws planted; `__x+n` means the clean value of x plus n."""
    vals = clean(form_id)
    spec = FLAWS[form_id]
    for fid, v in spec["values"].items():
        if isinstance(v, str) and v.startswith("__"):
            base, _, add = v[2:].partition("+")
            v = vals[base] + float(add)
            v = int(v) if float(v).is_integer() else round(v, 2)
        vals[fid] = v
    return vals, dict(spec.get("notes", {})), set(spec.get("omit", []))


def build(out: Path = HERE) -> list[Path]:
    cat = load()
    written = []
    for form_id, form in cat.forms.items():
        path = out / f"{form.code}-clean.xlsx"
        write_workbook(path, cat, [SheetSpec(form.code, form_id, clean(form_id))], layout="plain")
        vals, notes, omit = flawed(form_id)
        bad = out / f"{form.code}-flawed.xlsx"
        write_workbook(bad, cat, [SheetSpec(form.code, form_id, vals, notes, omit)], layout="numbered")
        written += [path, bad]
    # Two member hospitals, each its own name and organisation code (check digits by GB 32100-2015).
    codes = {1: "126101004352022110", 2: "126101004352022123"}
    members = [SheetSpec(f"成员单位{i}", "T3M", {**clean("T3M"), "hospital_name": f"成员医院{i}", "org_code": codes[i]})
               for i in (1, 2)]
    lead = {**clean("T3"), "consortium_members": 2}  # lead + 2 members = 3 > 2: x.t3_member_count
    consortium = out / "表3-医联体.xlsx"
    write_workbook(consortium, cat, [SheetSpec("表3", "T3", lead), *members])
    return [*written, consortium]


if __name__ == "__main__":
    for p in build():
        print(p.relative_to(HERE.parent))
