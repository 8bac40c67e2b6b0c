"""docs/report.schema.json is current, and real reports validate against the model."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT


def test_the_documented_schemas_are_the_models_schemas() -> None:
    from yjzl.schema import compute_schema, report_schema

    for name, schema in (("report", report_schema()), ("compute", compute_schema())):
        assert json.loads((ROOT / "docs" / f"{name}.schema.json").read_text(encoding="utf-8")) == schema, \
            "regenerate with: python -m yjzl.schema"


def test_a_real_report_matches_the_schema(run, tmp_path: Path) -> None:
    from pydantic import TypeAdapter

    from yjzl.report import Report

    out = run("validate", ROOT / "examples" / "表3-flawed.xlsx", "--format", "json").out
    doc = json.loads(out)
    summary = doc.pop("summary")
    report = TypeAdapter(Report).validate_python(doc)
    assert report.summary() == summary and report.files[0].findings
