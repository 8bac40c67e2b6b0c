"""The hostile corpus: every kind of bad or odd file yjzl meets, built deterministically in a folder.

Nothing here is a binary blob: each file is generated from code, so that what it contains is
plain to read. `build(folder, cat)` writes them all and returns {name: path}; `CASES` says what
each one is. The forms are 表4（乡镇卫生院）(T4M, 17 fields) filled with the clean example data
(examples/data/T4M.yaml), with one thing changed per file; `ROW[field]` is the row of a field.

Old binary .xls and encrypted workbooks are both OLE2 "compound files" (CFB, [MS-CFB]); `cfb()`
writes a minimal valid one by hand: a header, one FAT sector, one directory sector and the streams
in 512-byte sectors (each stream ≥ 4096 bytes, so no mini stream is needed). An encrypted .xlsx
holds the streams EncryptionInfo and EncryptedPackage ([MS-OFFCRYPTO] 2.3.4); an .xls holds
Workbook (BIFF8). The contents of the streams are filler: yjzl refuses both from the directory.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from tests.rawods import write_ods
from tests.rawxlsx import MAIN, REL, STYLES, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
SHEET = "表4（乡镇卫生院）"
CLEAN: dict[str, object] = yaml.safe_load((ROOT / "examples" / "data" / "T4M.yaml").read_text(encoding="utf-8"))
FIELDS = list(CLEAN)  # document order: hospital_name … new_projects_helped
ROW = {fid: n for n, fid in enumerate(FIELDS, 3)}  # row 1 the title, row 2 the header
BIG_ROWS = 100_000
HUGE_CELL = 1_000_000
GIB = 1 << 30
BOMB_BYTES = 3 * GIB  # a single part that inflates to 3 GiB from ~3 MB

# Style indices of tests.rawxlsx.STYLES: 0 general, 1 "0.0%", 2 a date (numFmtId 14), 3 "0.00%".
DATE_STYLE = 2


class Raw(str):
    """A cell given as its own XML; `{ref}` is replaced by the cell's reference."""


def cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Raw):
        return value.format(ref=ref)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def worksheet(rows: list[list[object]], hidden: set[int] = frozenset(), merged: list[str] = (),
              start: int = 1) -> str:
    """A worksheet part: rows of cells (A, B, C …) numbered from `start`; `hidden` row numbers."""
    out = []
    for r, cells in enumerate(rows, start):
        attrs = ' hidden="1"' if r in hidden else ""
        body = "".join(cell_xml(f"{chr(65 + c)}{r}", v) for c, v in enumerate(cells))
        out.append(f'<row r="{r}"{attrs}>{body}</row>')
    merge = (f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged) + "</mergeCells>"
             if merged else "")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
            f"<sheetData>{''.join(out)}</sheetData>{merge}</worksheet>")


def t4m_rows(values: dict[str, object] | None = None, labels: dict[str, str] | None = None,
             notes: dict[str, object] | None = None, cat=None) -> list[list[object]]:
    """表4（乡镇卫生院）: title, header 指标 | 数值 | 说明, then one row per field (ROW[field])."""
    assert cat is not None
    form = cat.forms["T4M"]
    label = {f.id: f.label for f in form.fields}
    vals = {**CLEAN, **(values or {})}
    rows: list[list[object]] = [[f"{form.code} {form.title}"], ["指标", "数值", "说明"]]
    for fid in FIELDS:
        rows.append([(labels or {}).get(fid, label[fid]), vals[fid], (notes or {}).get(fid)])
    return rows


def write_book(path: Path, sheets: dict[str, str], shared: list[str] | None = None, hidden: set[str] = frozenset(),
               styles: str = STYLES) -> Path:
    """A workbook of raw worksheet parts (name → XML), with an optional shared-strings table."""
    sst = None
    if shared is not None:
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
        sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               f'<sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>')
    return write_xlsx(path, sheets, sst, styles, hidden=hidden)


# --- OLE2 compound files ([MS-CFB]) ---------------------------------------------------------------

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _dir_entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    return struct.pack("<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, left, right, child, b"\0" * 16, 0, 0, 0, start, size)


def cfb(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding `streams` (each padded to ≥ 4096 bytes and declared so) in the root storage.

    The directory's red-black tree is all black and degenerate: the root's child is the first
    stream, each stream's right sibling the next, so the names must be given in CFB order
    (shorter names first, then by upper-case code points).
    """
    names = list(streams)
    assert len(names) <= 3 and names == sorted(names, key=lambda n: (len(n), n.upper()))
    datas = [s.ljust(4096, b"\0") if len(s) < 4096 else s + b"\0" * (-len(s) % 512) for s in streams.values()]
    fat = [_FATSECT, _END]  # sector 0: the FAT; sector 1: the directory
    starts = []
    for d in datas:
        n = len(d) // 512
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(n - 1)] + [_END]
    assert len(fat) <= 128, "one FAT sector holds 128 entries"
    fat += [_FREE] * (128 - len(fat))
    entries = [_dir_entry("Root Entry", 5, _NOSTREAM, _NOSTREAM, 1, _END, 0)]
    for i, (name, d) in enumerate(zip(names, datas), 1):
        right = i + 1 if i < len(names) else _NOSTREAM
        entries.append(_dir_entry(name, 2, _NOSTREAM, right, _NOSTREAM, starts[i - 1], len(d)))
    free = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0)
    directory = b"".join(entries) + free * (4 - len(entries))  # one sector: four entries
    header = (OLE_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<109I", 0, *([_FREE] * 108)))
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + directory + b"".join(datas)


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected .xlsx: the package encrypted inside a compound file."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"  # agile encryption, version 4.4 (filler XML)
    package = struct.pack("<Q", 8192) + bytes(range(256)) * 32  # the encrypted zip's size, then ciphertext
    return cfb({"EncryptionInfo": info, "EncryptedPackage": package})


def binary_xls() -> bytes:
    """An Excel 97–2003 .xls: a compound file with a Workbook stream beginning with a BIFF8 BOF record."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0106)
    return cfb({"Workbook": bof})


# --- zip bombs --------------------------------------------------------------------------------------

def _local_and_central(name: str, data: bytes, crc: int, csize: int, usize: int, offset: int) -> tuple[bytes, bytes]:
    n = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, usize, len(n), 0) + n
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize, usize, len(n), 0, 0, 0, 0, 0,
                          offset) + n
    return local + data, central


def zip_of(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of deflated parts given as (name, deflate stream, crc, declared inflated size)."""
    body, directory = b"", b""
    for name, stream, crc, usize in parts:
        local, central = _local_and_central(name, stream, crc, len(stream), usize, len(body))
        body += local
        directory += central
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    return body + directory + end


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def zeros_stream(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes (a multiple of 1 MiB) and its CRC, without inflating it.

    After a full flush deflate's state is reset, so every 1 MiB block compresses to the same bytes:
    the stream is one block repeated (~1 KB per MiB).
    """
    mib = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    n = size >> 20
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(mib, crc)
    return block * n + c.flush(), crc


def bomb(huge: tuple[bytes, int], usize: int, declared: int | None = None) -> bytes:
    """A workbook whose sheet part is `huge` (a deflate stream of `usize` bytes); `declared` lies about it."""
    stream, crc = huge
    book = f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    return zip_of([("xl/workbook.xml", *_deflate(book.encode())), ("xl/_rels/workbook.xml.rels", *_deflate(rels.encode())),
                   ("xl/worksheets/sheet1.xml", stream, crc, usize if declared is None else declared)])


# --- the corpus -------------------------------------------------------------------------------------

def _big_sheet() -> str:
    """门诊明细: a 100 000-row export (date, department, visits) pasted beside the form."""
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c><c r="B1" t="inlineStr"><is><t>科室</t></is></c>' \
           '<c r="C1" t="inlineStr"><is><t>门诊人次</t></is></c></row>'
    depts = ["内科", "外科", "儿科", "妇产科", "中医科", "全科"]
    rows = [head]
    for r in range(2, BIG_ROWS + 2):
        rows.append(f'<row r="{r}"><c r="A{r}" s="{DATE_STYLE}"><v>{45292 + r % 366}</v></c>'
                    f'<c r="B{r}" t="inlineStr"><is><t>{depts[r % 6]}</t></is></c><c r="C{r}"><v>{r % 97}</v></c></row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
            f"<sheetData>{''.join(rows)}</sheetData></worksheet>")


CASES = {
    "text-renamed.xlsx": "a text file renamed .xlsx",
    "binary-renamed.xlsx": "binary bytes (no container, no text) renamed .xlsx",
    "empty.xlsx": "an empty file",
    "truncated.xlsx": "a workbook cut off half way (an e-mail gateway)",
    "truncated-tail.xlsx": "a workbook missing only its last 10 bytes (the end of the central directory)",
    "old-binary.xls": "an Excel 97–2003 .xls cut down to its first record (damaged; whole ones are read: test_formats.py)",
    "old-binary-renamed.xlsx": "the same .xls renamed .xlsx (told by its content, not its name)",
    "wps.et": "a WPS Spreadsheets .et file",
    "encrypted.xlsx": "a password-protected workbook",
    "old-word.xlsx": "a Word 97–2003 .doc renamed .xlsx (another compound file)",
    "表4（乡镇卫生院）-utf8.csv": "the form as CSV (指标,数值), UTF-8 with BOM",
    "表4（乡镇卫生院）-gbk.csv": "the form as CSV, GBK (what Excel saves on a Chinese Windows)",
    "junk.csv": "binary junk named .csv",
    "no-form.xlsx": "a workbook with no recognisable form",
    "duplicate-labels.xlsx": "门诊人次数 twice",
    "merged.xlsx": "labels merged across A:B, values in C; a value merged across two rows",
    "hidden.xlsx": "a hidden sheet, and a hidden row holding a field",
    "errors.xlsx": "Excel error values #DIV/0! and #N/A",
    "dates.xlsx": "a date typed into a count field",
    "formulas.xlsx": "formula cells with and without cached values",
    "spaces.xlsx": "labels with zero-width, full-width and no-break spaces and full-width punctuation",
    "big-rows.xlsx": "the form and a 100 000-row sheet",
    "pasted-below.xlsx": "the form with a 100 000-row export pasted below it",
    "huge-cell.xlsx": "a million-character cell (inline and shared string)",
    "bomb.xlsx": "a part that inflates to 3 GiB (a zip bomb)",
    "bomb-ratio.xlsx": "a part that inflates to 48 MB at ~1000:1",
    "bomb-lying.xlsx": "a part whose header says 1 KB but which inflates to 300 MB",
    "xml-bomb.xlsx": "a sheet with nested entity definitions (billion laughs)",
    "unclosed-cells.xlsx": "60 000 cells, none closed (quadratic for a naive decoder)",
    "strict.xlsx": "a Strict Open XML workbook",
    "calc.ods": "the clean form as an OpenDocument spreadsheet",
    "damaged.ods": "an OpenDocument spreadsheet whose content.xml is not well-formed",
    "letter.docx": "a Word document",
    "missing-part.xlsx": "a workbook whose sheet part is missing from the zip",
    "all-hidden.xlsx": "a workbook whose only sheet is hidden",
}


def build(folder: Path, cat) -> dict[str, Path]:
    """Write every file of CASES into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def put(name: str, data: bytes | str) -> Path:
        p = folder / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        out[name] = p
        return p

    def book(name: str, sheets: dict[str, str], **kw) -> Path:
        out[name] = write_book(folder / name, sheets, **kw)
        return out[name]

    clean = worksheet(t4m_rows(cat=cat))
    whole = write_book(folder / "clean.xlsx", {SHEET: clean}).read_bytes()
    out["clean.xlsx"] = folder / "clean.xlsx"

    put("text-renamed.xlsx", "指标,数值\n门诊人次数,2242\n")
    put("binary-renamed.xlsx", bytes(range(256)) * 4)
    put("empty.xlsx", b"")
    put("truncated.xlsx", whole[: len(whole) // 2])
    put("truncated-tail.xlsx", whole[:-10])
    put("old-binary.xls", binary_xls())
    put("old-binary-renamed.xlsx", binary_xls())
    put("encrypted.xlsx", encrypted_xlsx())
    put("old-word.xlsx", cfb({"WordDocument": b"\xec\xa5\xc1\x00"}))  # a Word 97 .doc, renamed

    form = cat.forms["T4M"]
    lines = ["指标,数值,说明"] + [f"{f.label},{CLEAN[f.id]}," for f in form.fields if f.id in CLEAN]
    lines[ROW["outpatient_visits"] - 2] = '门诊人次数,"26,000",'  # thousands separators, quoted (examples/data/T4M.yaml)
    put("表4（乡镇卫生院）-utf8.csv", "\ufeff" + "\r\n".join(lines) + "\r\n")
    lines[ROW["admissions"] - 2] = "住院人次数,约780,"  # the GBK one has a flaw, at B11 (record 11)
    put("表4（乡镇卫生院）-gbk.csv", ("\r\n".join(lines) + "\r\n").encode("gbk"))
    put("junk.csv", bytes(range(128, 256)) * 4)

    book("no-form.xlsx", {"采购清单": worksheet([["物品", "数量"], ["打印纸", 3], ["硒鼓", 1]])})

    rows = t4m_rows(cat=cat)
    rows.append(["门诊人次数", 9999, None])  # row 20: the same field again
    book("duplicate-labels.xlsx", {SHEET: worksheet(rows)})

    # Merged: every label merged across A:B (the value column is C, as the header says);
    # 门诊人次数's value merged down over 住院人次数's row (one number for two fields).
    rows = [[r[0], None, *r[1:]] for r in t4m_rows(cat=cat)]
    rows[1] = ["指标", None, "数值", "说明"]
    merged = [f"A{r}:B{r}" for r in range(2, 2 + len(FIELDS) + 1)]
    o, a = ROW["outpatient_visits"], ROW["admissions"]
    rows[a - 1][2] = None
    merged.append(f"C{o}:C{a}")
    book("merged.xlsx", {SHEET: worksheet(rows, merged=merged)})

    # Hidden: an old copy in a hidden sheet; 住院人次数's row hidden, and its value negative.
    rows = t4m_rows({"admissions": -5}, cat=cat)
    book("hidden.xlsx", {SHEET: worksheet(rows, hidden={ROW["admissions"]}), "表4（旧）": worksheet(t4m_rows(cat=cat))},
         hidden={"表4（旧）"})

    err = Raw('<c r="{ref}" t="e"><f>A1/0</f><v>#DIV/0!</v></c>')
    na = Raw('<c r="{ref}" t="e"><v>#N/A</v></c>')
    book("errors.xlsx", {SHEET: worksheet(t4m_rows({"outpatient_visits": err, "referrals_up": na}, cat=cat))})

    date = Raw(f'<c r="{{ref}}" s="{DATE_STYLE}"><v>45323</v></c>')  # 2024-02-01 typed as 2024/2/1
    book("dates.xlsx", {SHEET: worksheet(t4m_rows({"admissions": date}, cat=cat))})

    cached = Raw('<c r="{ref}"><f>20000+6000</f><v>26000</v></c>')  # saved by Excel: the result is there
    uncached = Raw('<c r="{ref}"><f>700+80</f></c>')  # written by a program, never opened in Excel
    book("formulas.xlsx", {SHEET: worksheet(t4m_rows({"outpatient_visits": cached, "admissions": uncached}, cat=cat))})

    labels = {
        "outpatient_visits": "\u200b门诊\u3000人次数\u200d",  # zero-width space and joiner, ideographic space
        "admissions": "住院\u00a0人次数：",  # no-break space, full-width colon
        "referrals_up": "（1）上转病人例数",  # full-width numbering
        "referrals_down": "\ufeff２．下转病人例数",  # BOM, full-width digit and full stop
        "hospital_revenue": "医院收入 ",
    }
    book("spaces.xlsx", {SHEET: worksheet(t4m_rows(labels=labels, cat=cat))})

    book("big-rows.xlsx", {SHEET: clean, "门诊明细": _big_sheet()})
    below = t4m_rows(cat=cat) + [[f"门诊明细第{i}行 内科", i % 97] for i in range(BIG_ROWS)]
    book("pasted-below.xlsx", {SHEET: worksheet(below)})

    # A page pasted into a count field (inline string), into a text field (shared string) and into a 说明.
    rows = t4m_rows({"diseases_assured": "约" + "一" * (HUGE_CELL - 1), "report_type": Raw('<c r="{ref}" t="s"><v>0</v></c>')},
                    notes={"outpatient_visits": "长" * HUGE_CELL}, cat=cat)
    book("huge-cell.xlsx", {SHEET: worksheet(rows)}, shared=["乡" + "镇" * (HUGE_CELL - 1)])

    put("bomb.xlsx", bomb(zeros_stream(BOMB_BYTES), BOMB_BYTES))
    put("bomb-ratio.xlsx", bomb(zeros_stream(48 << 20), 48 << 20))  # under the size limit, at ~1000:1
    put("bomb-lying.xlsx", bomb(zeros_stream(300 << 20), 300 << 20, declared=1024))

    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    rows = t4m_rows({"hospital_name": Raw('<c r="{ref}" t="inlineStr"><is><t>&l9;</t></is></c>')}, cat=cat)
    xml = worksheet(rows).replace("<worksheet", f'<!DOCTYPE worksheet [<!ENTITY l0 "ha">{laughs}]>\n<worksheet', 1)
    book("xml-bomb.xlsx", {SHEET: xml})

    # 60 000 cells none of which is closed: a decoder that searches for each one's end is quadratic.
    body = "".join(f'<row r="{r}"><c r="A{r}" t="e"><v>#N/A</v>' for r in range(1, 60_001))
    book("unclosed-cells.xlsx", {SHEET: f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'})

    strict = worksheet(t4m_rows(cat=cat)).replace(MAIN, "http://purl.oclc.org/ooxml/spreadsheetml/main")
    p = write_book(folder / "strict.xlsx", {SHEET: strict})
    with zipfile.ZipFile(p) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    put("strict.xlsx", _zip(parts))

    out["calc.ods"] = write_ods(folder / "calc.ods", {SHEET: t4m_rows(cat=cat)})
    put("damaged.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office:document-content/>"}))
    put("wps.et", cfb({"Workbook": b"\0" * 16}))
    put("letter.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}))

    with zipfile.ZipFile(folder / "clean.xlsx") as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "xl/worksheets/sheet1.xml"}
    put("missing-part.xlsx", _zip(parts))

    book("all-hidden.xlsx", {SHEET: clean}, hidden={SHEET})
    return out


def _zip(parts: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()
