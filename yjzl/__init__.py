"""yjzl: compute and audit China's tiered-diagnosis and medical-consortium evaluation indicators.

The library API (imported lazily, so `import yjzl` stays cheap):

    import yjzl
    cat = yjzl.load_catalogue()                       # the national catalogue
    bj = yjzl.load_catalogue(overlays=["examples/overlays/北京.yaml"])  # + a province's overlay(s)
    report = yjzl.validate("report.xlsx")              # findings and indicators of one workbook
    result = yjzl.compute(["2024/"], group_by="region") # every indicator of every submission, grouped
    yjzl.collect(["2024/"], "汇总.xlsx")                # one summary table per form
    book = yjzl.read_workbook("report.xls")            # the sheets and cells as read (.xlsx, .xls, .ods, .csv)
    seen = yjzl.inspect("report.xlsx")                 # which sheet holds which form, every field's cell and value
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "load_catalogue": ("yjzl.catalogue.loader", "load"),
    "validate": ("yjzl.api", "validate"),
    "compute": ("yjzl.api", "compute"),
    "collect": ("yjzl.api", "collect"),
    "read_workbook": ("yjzl.api", "read_workbook"),
    "inspect": ("yjzl.api", "inspect"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(name)
