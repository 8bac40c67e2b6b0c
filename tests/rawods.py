"""Write a minimal OpenDocument spreadsheet from cells, to test the .ods reader without LibreOffice."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')


def cell_xml(value: object) -> str:
    """One <table:table-cell>: a number, text, or raw XML (a str starting with "<table:")."""
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, str) and value.startswith("<table:"):
        return value
    if isinstance(value, bool):
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(value).lower()}"/>'
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[list[object]]], hidden: set[str] = frozenset(), tail: str = "") -> Path:
    """sheets: name → rows of values; LibreOffice's padding (a million repeated empty rows) after each sheet."""
    tables = []
    for name, rows in sheets.items():
        body = "".join("<table:table-row>" + "".join(cell_xml(v) for v in row)
                       + '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>' for row in rows)
        body += '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        style = "hid" if name in hidden else "vis"
        tables.append(f"<table:table table:name={quoteattr(name)} table:style-name=\"{style}\">{body}</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles>'
               '<style:style style:name="vis" style:family="table"><style:table-properties table:display="true"/></style:style>'
               '<style:style style:name="hid" style:family="table"><style:table-properties table:display="false"/></style:style>'
               f'</office:automatic-styles><office:body><office:spreadsheet>{"".join(tables)}{tail}'
               "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return path
