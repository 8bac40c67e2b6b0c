"""Write .xlsx files from raw XML, to test the reader on what other writers produce
(shared strings, rich text, namespace prefixes, odd attribute order) and on damage."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="10"/></cellXfs></styleSheet>"""


def sheet_xml(rows: str, prefix: str = "") -> str:
    """A worksheet part around `rows` (the <row> elements)."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {ns}>'
            f"<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>")


def write_xlsx(path: Path, sheets: dict[str, str], shared: str | None = None, styles: str = STYLES,
               extra: dict[str, bytes | str] | None = None, hidden: set[str] = frozenset()) -> Path:
    """A complete package: sheets (name → worksheet XML), the sharedStrings part's XML if any, extra parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _content_types(len(sheets), shared is not None))
        z.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}">'
                   f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        state = ' state="hidden"'
        entries = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"{state if name in hidden else ""}/>'
                          for i, name in enumerate(sheets, 1))
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{entries}</sheets></workbook>')
        n = len(sheets)
        rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, n + 1))
        rels += f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
        if shared is not None:
            rels += f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>')
        for i, xml in enumerate(sheets.values(), 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        z.writestr("xl/styles.xml", styles)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def _content_types(sheets: int, shared: bool) -> str:
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = [f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>',
             f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>']
    parts += [f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>' for i in range(1, sheets + 1)]
    if shared:
        parts.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>')
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + "".join(parts) + "</Types>")


def write_parts(path: Path, parts: dict[str, str | bytes]) -> Path:
    """A package of exactly these parts (name → content), for packages laid out unlike write_xlsx's."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path
