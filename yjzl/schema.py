"""The JSON Schema of `validate --format json` (docs/report.schema.json), from the report model.

    python -m yjzl.schema > docs/report.schema.json
"""

from __future__ import annotations

import json


def report_schema() -> dict:
    from pydantic import TypeAdapter

    from yjzl.report import Report

    schema = TypeAdapter(Report).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "yjzl validate report"
    schema["properties"]["summary"] = {
        "type": "object", "description": "counts over all files",
        "properties": {k: {"type": "integer"} for k in ("files", "unusable", "errors", "warnings", "open_warnings", "explained_warnings")},
    }
    schema["required"] = [*schema.get("required", []), "summary"]
    return schema


if __name__ == "__main__":
    print(json.dumps(report_schema(), ensure_ascii=False, indent=2))
