"""Generators of hostile files (issue #22 §2, §3): small files that once cost gigabytes or ended in a traceback.

Each builder writes one file into a folder and returns its path; tests/test_hostile_limits.py says what yjzl must
answer for each. Nothing here is a stored binary: every byte is made by these functions.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.rawods import NS as ODS_NS
from tests.rawods import write_ods
from tests.rawxls import biff8, mulrk_rows
from tests.rawxlsx import MAIN, PKG, REL, STYLES, sheet_xml, write_xlsx

SST = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}"><si><t>门诊人次数</t></si></sst>'
ROWS = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>26000</v></c></row>'
# The quadratic blow-up: one 50 000-character entity, used 50 000 times (2.5 GB once expanded).
ENTITY = "A" * 50_000
USES = "&a;" * 50_000


def dtd(root: str) -> str:
    return f'<!DOCTYPE {root} [<!ENTITY a "{ENTITY}">]>'


def small_xlsx(path: Path, **parts: str | bytes) -> Path:
    """One sheet (A1 门诊人次数 from the shared strings, B1 26000); `parts` replace parts by name
    (sheet, sst, styles, workbook: xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/styles.xml, xl/workbook.xml)."""
    write_xlsx(path, {"表": sheet_xml(ROWS)}, SST)
    names = {"sheet": "xl/worksheets/sheet1.xml", "sst": "xl/sharedStrings.xml", "styles": "xl/styles.xml",
             "workbook": "xl/workbook.xml"}
    return replace_parts(path, {names[k]: v for k, v in parts.items()})


def replace_parts(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path) as z:
        old = {n: z.read(n) for n in z.namelist()}
    old.update({n: v.encode() if isinstance(v, str) else v for n, v in parts.items()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in old.items():
            z.writestr(n, data)
    return path


def _sheet_with(prolog: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
            f'<c r="A1" t="inlineStr"><is><t>{USES}</t></is></c></row></sheetData></worksheet>')


def dtd_after_comment(path: Path) -> Path:
    return small_xlsx(path, sheet=_sheet_with("<!-- a comment first -->" + dtd("worksheet")))


def dtd_after_whitespace(path: Path) -> Path:
    return small_xlsx(path, sheet=_sheet_with(" " * 5000 + "\n" + dtd("worksheet")))  # past the old 4 096-byte look


def dtd_deep(path: Path) -> Path:
    """The DTD after a megabyte of comment, in the shared strings."""
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><!-- {"x" * (1 << 20)} -->{dtd("sst")}<sst xmlns="{MAIN}"><si>'
           f"<t>{USES}</t></si></sst>")
    return small_xlsx(path, sst=sst)


def dtd_utf16_workbook(path: Path) -> Path:
    """workbook.xml in UTF-16 (with its BOM), the sheet's name the blown-up entity (8.8 GB in the issue)."""
    book = (f'<?xml version="1.0" encoding="UTF-16"?>{dtd("workbook")}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            f'<sheet name="{USES}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    return small_xlsx(path, workbook=book.encode("utf-16"))


def dtd_ods(path: Path) -> Path:
    write_ods(path, {"表": [["门诊人次数", 26000]]})
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{dtd("office:document-content")}<office:document-content {ODS_NS}>'
               f'<office:body><office:spreadsheet><table:table table:name="T"><table:table-row>'
               f'<table:table-cell office:value-type="string"><text:p>{USES}</text:p></table:table-cell>'
               "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>")
    return replace_parts(path, {"content.xml": content})


def encoded(part: str, encoding: str) -> Callable[[Path], Path]:
    """A workbook whose `part` declares `encoding` (its bytes are plain ASCII/UTF-8 still)."""
    def build(path: Path) -> Path:
        if part in ("content.xml", "meta.xml"):
            write_ods(path, {"表": [["门诊人次数", 26000]]})
            with zipfile.ZipFile(path) as z:
                data = z.read("content.xml").decode() if part == "content.xml" else (
                    '<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
                    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
            return replace_parts(path, {part: data.replace('encoding="UTF-8"', f'encoding="{encoding}"', 1)})
        write_xlsx(path, {"表": sheet_xml(ROWS)}, SST)
        with zipfile.ZipFile(path) as z:
            data = z.read(part).decode()
        if not data.startswith("<?xml"):
            data = '<?xml version="1.0" encoding="UTF-8"?>' + data
        return replace_parts(path, {part: data.replace('encoding="UTF-8"', f'encoding="{encoding}"', 1)})
    return build


def ods_spaces(path: Path) -> Path:
    """<text:s text:c="…"/> asking for 10¹³ spaces, and 1 000 cells of 4.3 million spaces each (~30 KB of XML)."""
    huge = '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="10000000000000"/>b</text:p></table:table-cell>'
    many = '<table:table-cell office:value-type="string"><text:p><text:s text:c="4300000"/>x</text:p></table:table-cell>'
    rows = "".join(f"<table:table-row>{many * 10}</table:table-row>" for _ in range(100))
    return write_ods(path, {}, tail=f'<table:table table:name="T"><table:table-row>{huge}</table:table-row>{rows}</table:table>')


def ods_hidden_rows(path: Path) -> Path:
    """30 runs of a million hidden, empty rows (30 million hidden rows claimed; 32 KB in the issue)."""
    run = ('<table:table-row table:visibility="collapse" table:number-rows-repeated="1000000">'
           '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    first = '<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'
    return write_ods(path, {}, tail=f'<table:table table:name="T">{first}{run * 30}</table:table>')


def ods_repeated_cells(path: Path) -> Path:
    """4.9 million cells with content, claimed by repetition (1 000 × 1 000 per row group, five groups)."""
    group = ('<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="980" '
             'office:value-type="float" office:value="1"/></table:table-row>')
    return write_ods(path, {}, tail=f'<table:table table:name="T">{group * 5}</table:table>')


def twelve_sheets_one_part(path: Path, form: str) -> Path:
    """Twelve sheets whose relationships all name one 9.9 MB worksheet part, beside a filled form (`form`: its XML)."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>内科门诊</t></is></c></row>'
                   for r in range(1, 125_000))
    big = sheet_xml(rows)
    write_xlsx(path, {"表4（乡镇卫生院）": form, "明细": big})
    entries = "".join(f'<sheet name="明细{i}" sheetId="{i + 1}" r:id="rId2"/>' for i in range(1, 13))
    book = (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="表4（乡镇卫生院）" sheetId="1" r:id="rId1"/>'
            f"{entries}</sheets></workbook>")
    return replace_parts(path, {"xl/workbook.xml": book})


def big_csv(path: Path) -> Path:
    """16 MB of short fields: 5.4 million cells."""
    row = ",".join(["12"] * 2000) + "\r\n"
    path.write_bytes((row * 2700).encode())
    return path


def big_xls(path: Path) -> Path:
    """An Excel 97–2003 record stream of 6.1 million cells in 37 MB (MULRK records of 256 cells). xlrd reads a bare
    BIFF8 stream as it reads one in a compound file; this one is bare (the test corpus's compound-file writer holds
    one FAT sector)."""
    path.write_bytes(biff8({"明细": {(1, 1): "门诊"}}, extra={"明细": mulrk_rows(24_000, 256)}))
    return path


def million_rows(path: Path, form: str) -> Path:
    """A filled form and a sheet of 1 000 000 one-cell rows (~40 MB of XML): for `validate --annotate`."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r % 997}</v></c></row>' for r in range(1, 1_000_001))
    return write_xlsx(path, {"表4（乡镇卫生院）": form, "明细": sheet_xml(rows)})


def package(path: Path, parts: dict[str, str | bytes]) -> Path:
    """A zip of exactly these parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name), data)
    return path


__all__ = ["MAIN", "PKG", "REL", "STYLES"]
