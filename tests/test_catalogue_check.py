"""`yjzl catalogue check` passes on the catalogue and catches deliberately broken ones."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

RAW = yaml.safe_load((ROOT / "indicators.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "broken.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def problems(run, path: Path, *extra: str) -> tuple[int, list[dict]]:
    res = run("catalogue", "check", "--catalogue", path, *extra, "--format", "json")
    return res.code, json.loads(res.out)["problems"] if res.out.strip().startswith("{") else []


def test_the_national_catalogue_is_sound(run) -> None:
    res = run("catalogue", "check")
    assert res.code == 0, res.out
    assert "目录完好" in res.out and "6 张表" in res.out


def form(data: dict, form_id: str) -> dict:
    return next(f for f in data["forms"] if f["id"] == form_id)


def field(data: dict, form_id: str, fid: str) -> dict:
    return next(f for f in form(data, form_id)["fields"] if f["id"] == fid)


BREAKS = {
    "duplicate field id": (lambda d: form(d, "T1")["fields"].append(copy.deepcopy(field(d, "T1", "counties")) | {"label": "新字段"}), "YC001", "forms[T1].fields[counties]"),
    "unknown section": (lambda d: field(d, "T1", "counties").update(section="nowhere"), "YC002", "forms[T1].fields[counties]"),
    "duplicate label": (lambda d: field(d, "T1", "counties").update(label="户籍总人数"), "YC003", "forms[T1].fields["),
    "part_of cycle": (lambda d: field(d, "T1", "hukou_population").update(part_of="urban_hukou_population"), "YC004", "forms[T1].part_of"),
    "unknown field in a check": (lambda d: d["checks"][0].update(terms=["no_such_field", "counties"]), "YC005", "checks["),
    "text field in a formula": (lambda d: next(i for i in d["indicators"] if i["id"] == "gp_per_10k_urban").update(forms=["T3"]), "YC005", "indicators[gp_per_10k_urban]"),
    "incomparable units": (lambda d: d["checks"].append({"id": "t3.bad_units", "rule": "le", "forms": ["T3"], "terms": ["bed_occupancy", "total_surgeries"], "severity": "logic", "source": "S004 test"}), "YC006", "checks[t3.bad_units]"),
    "factor without %": (lambda d: next(i for i in d["indicators"] if i["id"] == "primary_visit_share").update(unit="人"), "YC008", "indicators[primary_visit_share]"),
    "unreachable target": (lambda d: d["targets"][0].update(value=120), "YC009", "targets["),
    "unknown target set": (lambda d: d["targets"][0].update(set="mars"), "YC002", "targets["),
    "undeclared source": (lambda d: field(d, "T1", "counties").update(source="某文件"), "YC002", "forms[T1].fields[counties]"),
    "range without bounds": (lambda d: d["checks"].append({"id": "t3.no_bounds", "rule": "range", "forms": ["T3"], "expr": "alos", "severity": "plausibility", "source": "S004 test"}), "YC007", "checks[t3.no_bounds]"),
    "required supplement field": (lambda d: field(d, "T2", "region").update(optional=False), "YC007", "forms[T2].fields[region]"),
    "change with a numerator": (lambda d: next(i for i in d["indicators"] if i["id"] == "alos_change").update(numerator="alos"), "YC007", "indicators[alos_change]"),
    "condition that is not one": (lambda d: d["checks"][0].update(when="counties + 1"), "YC007", "checks["),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_broken_catalogues_are_caught(run, tmp_path: Path, name: str) -> None:
    data = copy.deepcopy(RAW)
    breaker, code, where = BREAKS[name]
    breaker(data)
    rc, found = problems(run, write(tmp_path, data))
    assert rc == 1
    assert any(p["code"] == code and p["where"].startswith(where) for p in found), found
    assert all(p["message"] for p in found)


def test_unreadable_catalogues_exit_2_with_a_place(run, tmp_path: Path) -> None:
    bad = tmp_path / "syntax.yaml"
    bad.write_text("forms: [\n  - id: T1\n", encoding="utf-8")
    res = run("catalogue", "check", "--catalogue", bad)
    assert res.code == 2 and "syntax.yaml:" in res.err and "YAML" in res.err
    data = copy.deepcopy(RAW)
    field(data, "T1", "counties")["colour"] = "red"
    res = run("catalogue", "check", "--catalogue", write(tmp_path, data))
    assert res.code == 2 and "forms[T1].fields[counties].colour" in res.err
    assert "Traceback" not in res.err
    res = run("catalogue", "check", "--catalogue", tmp_path / "missing.yaml")
    assert res.code == 2 and "missing.yaml" in res.err


GOOD_OVERLAY = {
    "overlay": {"id": "demo_province", "name": "示例省补充指标"},
    "target_sets": [{"id": "demo_2020", "name": "示例省2020年目标", "source": "YJZL test"}],
    "indicators": [{"id": "emergency_share", "name": "急诊人次占门急诊人次的比例", "forms": ["T3", "T4"],
                    "numerator": "outpatient_emergency_visits - outpatient_visits", "denominator": "outpatient_emergency_visits",
                    "factor": 100, "unit": "%", "source": "YJZL test"}],
    "targets": [{"indicator": "primary_visit_share", "set": "national", "op": ">=", "value": 70, "source": "YJZL test"}],
    "disable": ["t34.alos_range"],
    "severity": {"t34.bed_occupancy_recompute": "logic"},
}


def test_a_sound_overlay_is_applied(run, tmp_path: Path, cat) -> None:
    path = tmp_path / "province.yaml"
    path.write_text(yaml.safe_dump(GOOD_OVERLAY, allow_unicode=True), encoding="utf-8")
    res = run("catalogue", "check", "--overlay", path)
    assert res.code == 0, res.out
    from yjzl.catalogue.loader import load

    merged = load(None, [path])
    assert "emergency_share" in merged.indicators
    assert [t.value for t in merged.indicators["primary_visit_share"].targets if t.set == "national"] == [70]
    assert "t34.alos_range" not in {c.id for c in merged.checks}
    assert next(c for c in merged.checks if c.id == "t34.bed_occupancy_recompute").severity == "logic"


@pytest.mark.parametrize(("change", "code"), [
    (lambda o: o["indicators"][0].update(id="primary_visit_share"), "YC010"),
    (lambda o: o.update(disable=["no.such_check"]), "YC010"),
    (lambda o: o["indicators"][0].update(numerator="no_such_field"), "YC005"),
    (lambda o: o["targets"][0].update(value=101), "YC009"),
])
def test_broken_overlays_are_caught(run, tmp_path: Path, change, code: str) -> None:
    ov = copy.deepcopy(GOOD_OVERLAY)
    change(ov)
    path = tmp_path / "bad_overlay.yaml"
    path.write_text(yaml.safe_dump(ov, allow_unicode=True), encoding="utf-8")
    rc, found = problems(run, ROOT / "indicators.yaml", "--overlay", str(path))
    assert rc == 1 and any(p["code"] == code for p in found), found
