"""yjzl's mark on the workbooks it writes, read back: a result is never taken for a submission.

`yjzl compute -o x.xlsx`, `yjzl collect` and `validate --annotate` set the custom document property
OUTPUT_PROPERTY (as `yjzl template` sets `yjzl.forms`): which command wrote the file, when, and which of
its sheets are yjzl's own (the indicator tables, the 审核结果 sheet, the list of unreadable files). The
reader passes over those sheets without a word; a folder is read without the files yjzl wrote (one
line says so), while a file named on the command line is read (a collected summary table is a set of
submissions). An annotated copy saved since by a person (Excel, WPS and LibreOffice stamp the document's
modified time and its last author) is that person's workbook again, a submission: a hospital may correct
the copy it was sent back and return it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

# The header rows of the tables yjzl writes for people, for a sheet copied out of yjzl's workbook into
# another (document properties do not travel with a sheet): such a sheet is passed over silently too.
FINDINGS_HEADERS = {"zh": ("级别", "代码", "单元格", "问题", "说明"), "en": ("level", "code", "cell", "problem", "explanation")}
UNREADABLE_HEADERS = ("文件 / file", "原因 / reason")
OWN_HEADERS = (*FINDINGS_HEADERS.values(), UNREADABLE_HEADERS,
               ("文件", "工作表", "表", "名称", "机构代码"), ("file", "sheet", "form", "name", "organisation code"))
OUTPUT_PROPERTY = "yjzl.output"  # {"by": "compute"|"collect"|"annotate", "own": [sheet, …], "written": ISO time}
_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>([^<]*)</dcterms:modified>")
_MODIFIED_BY = re.compile(rb"<cp:lastModifiedBy>([^<]*)</cp:lastModifiedBy>")


def mark_of(properties: dict[str, str]) -> dict:
    """The parsed mark, or {} for a workbook yjzl did not write (or a mark that is not ours to read)."""
    raw = properties.get(OUTPUT_PROPERTY)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def own_sheets(properties: dict[str, str]) -> set[str]:
    """The sheets of a workbook that yjzl wrote for people to read, not forms to audit."""
    own = mark_of(properties).get("own")
    return {str(s) for s in own} if isinstance(own, list) else set()


SAVED_WITHIN = 120  # seconds between the mark's time and the document's save by yjzl (openpyxl stamps the save)


def _same_time(saved: str, written: str) -> bool:
    """The document was last saved by yjzl itself: its modified time is the mark's, give or take the save."""
    from datetime import datetime

    try:
        a, b = (datetime.fromisoformat(x.strip().rstrip("Z").split(".")[0]) for x in (saved, written))
    except ValueError:
        return False
    return 0 <= (a - b).total_seconds() <= SAVED_WITHIN


def written_by_yjzl(path: Path) -> str | None:
    """The command that wrote `path` (compute, collect, annotate) when it is yjzl's own output, as written;
    None for anything else (a submission, a template, an annotated copy a person has saved since)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    import zipfile
    from html import unescape

    from yjzl.workbook.xlsx import _PROPERTY

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "docProps/custom.xml" not in names:
                return None
            info = z.getinfo("docProps/custom.xml")
            if info.file_size > 1 << 20:  # ours is a few hundred bytes: a giant part is not our mark
                return None
            text = z.read(info).decode("utf-8", "replace")
            if "<!" in text:  # ours has no DTD nor comment: a part with one is not our mark (and not parsed here)
                return None
            mark = mark_of({unescape(k): unescape(v) for k, v in _PROPERTY.findall(text)})
            if not mark:
                return None
            small = "docProps/core.xml" in names and z.getinfo("docProps/core.xml").file_size < 1 << 20
            core = z.read("docProps/core.xml") if small else b""
    except Exception:  # not a zip, a broken one: the reader will say what it is
        return None
    by = str(mark.get("by") or "yjzl")
    if by == "annotate":
        found, who = _MODIFIED.search(core), _MODIFIED_BY.search(core)
        written = str(mark.get("written") or "")
        if (found and written and not _same_time(found.group(1).decode("ascii", "replace"), written)) or \
                (who and who.group(1) != b"yjzl"):
            return None  # saved since by a person: their workbook, a submission again
    return by


def looks_like_own(cells: dict[tuple[int, int], object]) -> bool:
    """A sheet whose header row (one of its first six, from column A) is one of yjzl's own tables'
    (OWN_HEADERS). A few dictionary lookups: a sheet of a million cells is not walked."""
    for r in range(1, 7):
        for head in OWN_HEADERS:
            for c, want in enumerate(head, 1):
                value = getattr(cells.get((r, c)), "value", None)
                if not (isinstance(value, str) and value.strip() == want):
                    break
            else:
                return True
    return False


_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # a zip package (.xlsx, .ods) or a compound file (.xls)


def someone_elses(path: Path, templates_too: bool = False) -> bool:
    """An existing workbook that yjzl may not replace even with --force: a spreadsheet it did not write
    (most likely somebody's submission, or an annotated copy a person has corrected since). A file that
    is no workbook (text, an empty file) and yjzl's own outputs are not; with `templates_too`, neither
    is a template yjzl wrote (the template command replacing its own)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return False
    if not head.startswith(_WORKBOOK_MAGIC):
        return False
    if written_by_yjzl(path):
        return False
    return not (templates_too and _is_template(path))


def _is_template(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/custom.xml")
            return info.file_size < 1 << 20 and b"yjzl.forms" in z.read(info)
    except Exception:  # not a zip, no custom properties: not a template
        return False
