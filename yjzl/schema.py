"""The JSON Schemas of `validate --format json` and `compute --format json`, from the report model.

    python -m yjzl.schema            # writes docs/report.schema.json and docs/compute.schema.json
"""

from __future__ import annotations

import json
from pathlib import Path

_REPORT_COUNTS = ("files", "unusable", "errors", "warnings", "open_warnings", "explained_warnings")
_COMPUTE_COUNTS = ("files", "unusable", "submissions", "passed", "failed", "indicators", "ok", "missing_input", "denominator_zero")


def _schema(model: type, title: str, counts: tuple[str, ...]) -> dict:
    from pydantic import TypeAdapter

    schema = TypeAdapter(model).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    schema["properties"]["summary"] = {
        "type": "object", "description": "counts over all files",
        "properties": {k: {"type": "integer"} for k in counts},
    }
    schema["required"] = [*schema.get("required", []), "summary"]
    return schema


def report_schema() -> dict:
    from yjzl.report import Report

    return _schema(Report, "yjzl validate report", _REPORT_COUNTS)


def compute_schema() -> dict:
    from yjzl.report import ComputeReport

    return _schema(ComputeReport, "yjzl compute result", _COMPUTE_COUNTS)


def dump(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    docs = Path(__file__).resolve().parents[1] / "docs"
    (docs / "report.schema.json").write_text(dump(report_schema()), encoding="utf-8")
    (docs / "compute.schema.json").write_text(dump(compute_schema()), encoding="utf-8")
