"""Build examples/overlays/北京-医联体.xlsx: a Beijing overlay template filled in as a district and its lead hospital would.

    python examples/overlays/build_example.py

The workbook is made with `yjzl template` for the national catalogue + 北京.yaml, so it carries
the overlay's fields in place (marked （北京增补）) and the sheet 北京市医联体补充表. 表3 takes the
national values of examples/data/T3.yaml and adds the Beijing rows below; the supplement is all
Beijing's. tests/test_overlays.py computes the local indicators from it against their targets.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent
sys.path.insert(0, str(EXAMPLES.parent))

from tests.builders import fill_template_sheet  # noqa: E402
from yjzl.catalogue.loader import load  # noqa: E402
from yjzl.template.build import build_template  # noqa: E402

OVERLAY = HERE / "北京.yaml"
OUT = HERE / "北京-医联体.xlsx"

# One district (区) and one lead hospital, in the units of the rows.
SUPPLEMENT = {
    "district": "示例区",
    "region": "北京市",
    "period": "2019",
    "resident_population": 1_234_000,
    "consortium_covered_residents": 1_234_000,
    "rehab_nursing_beds": 650,
    "close_consortium_pilots": 2,
}
LEAD_HOSPITAL = {
    "referrals_from_community": 40,
    "referrals_from_community_booked": 38,
    "critical_referrals": 20,
    "critical_referrals_48h": 20,
    "critical_referrals_24h": 15,
    "timed_appointment_visits": 1000,
    "study_clinic_days": 0,  # set below to a third of the national study_days
}


def national_t3() -> dict[str, object]:
    return yaml.safe_load((EXAMPLES / "data" / "T3.yaml").read_text(encoding="utf-8"))


def build(out: Path = OUT) -> Path:
    cat = load(None, [OVERLAY])
    t3 = {**national_t3(), **LEAD_HOSPITAL}
    t3["study_clinic_days"] = -(-int(t3["study_days"]) // 3)  # ⌈study_days ÷ 3⌉: at least a third
    for part, whole in (("timed_appointment_visits", "outpatient_visits"), ("critical_referrals", "referrals_received"),
                        ("referrals_from_community", "referrals_received")):
        if t3[part] > t3[whole]:  # the national example data changed: keep the Beijing rows consistent
            raise SystemExit(f"{part} {t3[part]} > {whole} {t3[whole]}: adjust LEAD_HOSPITAL")
    wb = build_template(cat, [cat.forms["T3"], cat.forms["BJ"]])  # these two forms (no member sheet), and the live sheet
    fill_template_sheet(wb["表3"], cat.forms["T3"], t3)
    fill_template_sheet(wb["北京市医联体补充表"], cat.forms["BJ"], SUPPLEMENT)
    wb.save(out)
    return out


if __name__ == "__main__":
    print(build())
