"""`yjzl report`: one self-contained HTML page (inline CSS and SVG, no scripts) over many submissions.

load (JSON back to dataclasses) → inputs (workbooks, folders, JSON) → model
(submissions, series, counts) → svg (charts) + page (HTML).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

SPLIT_ABOVE = 500  # submissions: above this, `report` writes an index page and parts (yjzl.htmlreport.split)

if TYPE_CHECKING:
    from yjzl.report import Report


def build_html(report: Report, target_set: str = "national", lang: str | None = None,
               set_names: dict[str, str] | None = None) -> str:
    """The whole page for a `yjzl.validate` report (library use; the command adds catalogue names)."""
    from yjzl import __version__
    from yjzl.htmlreport.load import LoadedFile
    from yjzl.htmlreport.model import build
    from yjzl.htmlreport.page import render

    files = [LoadedFile(f, True) for f in report.files]
    view = build(files, target_set, lang or report.lang, set_names, [report.catalogue] if report.catalogue else [])
    return render(view, "yjzl", __version__)
