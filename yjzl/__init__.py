"""yjzl: compute and audit China's tiered-diagnosis and medical-consortium evaluation indicators.

The library API (docs/api.md; every name is imported on first use, so `import yjzl` stays cheap):

    import yjzl
    cat = yjzl.load_catalogue()                       # the national catalogue
    bj = yjzl.load_catalogue(overlays=["examples/overlays/北京.yaml"])  # + a province's overlay(s)
    report = yjzl.validate("report.xlsx")              # findings and indicators of one workbook
    result = yjzl.compute(["2024/"], group_by="region") # every indicator of every submission, grouped
    result.rows("indicators")                          # tidy rows (list of dicts); result.to_pandas() with pandas
    yjzl.collect(["2024/"], "汇总.xlsx")                # one summary table per form
    book = yjzl.read_workbook("report.xls")            # the sheets and cells as read (.xlsx, .xls, .ods, .csv)
    seen = yjzl.inspect("report.xlsx")                 # which sheet holds which form, every field's cell and value

validate and compute raise FileNotFoundError for a path that names nothing; a file that exists
but cannot be used is reported, with its reason, in `result.unusable` and `result.files[i].error`.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    # functions
    "validate": ("yjzl.api", "validate"),
    "iter_validate": ("yjzl.api", "iter_validate"),
    "compute": ("yjzl.api", "compute"),
    "collect": ("yjzl.api", "collect"),
    "read_workbook": ("yjzl.api", "read_workbook"),
    "inspect": ("yjzl.api", "inspect"),
    "load_catalogue": ("yjzl.catalogue.loader", "load"),
    # results (yjzl.report)
    "Report": ("yjzl.report", "Report"),
    "ComputeReport": ("yjzl.report", "ComputeReport"),
    "FileReport": ("yjzl.report", "FileReport"),
    "FormFound": ("yjzl.report", "FormFound"),
    "Finding": ("yjzl.report", "Finding"),
    "IndicatorResult": ("yjzl.report", "IndicatorResult"),
    "TargetResult": ("yjzl.report", "TargetResult"),
    "GroupResult": ("yjzl.report", "GroupResult"),
    "ScoreResult": ("yjzl.report", "ScoreResult"),
    "RosterResult": ("yjzl.report", "RosterResult"),
    # errors (yjzl.errors)
    "YjzlError": ("yjzl.errors", "YjzlError"),
    "UsageProblem": ("yjzl.errors", "UsageProblem"),
    "UnusableInput": ("yjzl.errors", "UnusableInput"),
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value  # once found, an ordinary attribute
        return value
    raise AttributeError(f"module 'yjzl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
