"""Open an .xlsx as a zip and read its parts within limits of size and ratio.

Hostile files are refused before they are read: a part whose declared size or
compression ratio is absurd (a zip bomb), a file that is not a zip, an
encrypted workbook or an old binary .xls (both OLE containers, told apart by
the stream names in the container's directory), a part that declares a DTD
(entity definitions, which no .xlsx has). Every way zipfile and zlib can fail
on a damaged file becomes an UnusableInput naming the part.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from yjzl.errors import UnusableInput
from yjzl.workbook import budget
from yjzl.workbook.budget import Budget

# Reading costs ~10 MB of memory per MB of sheet XML (benchmarks/bench_limits.py, docs/limits.md). The workbook's
# budget (bytes, cells, characters: yjzl/workbook/budget.py) bounds the whole; this bounds one part and its ratio.
DEFAULT_PART_MB = budget.DEFAULT_MB
MOST_MB = 1024  # the largest part a refusal suggests raising the limit for (~10 GB of memory); past it, a bomb
LIMIT_ENV = budget.LIMIT_ENV  # a larger part limit for one run: a summary table of 100 000 rows is ~300 MB of XML
part_limit_mb = budget.unit_mb  # the part limit in MB: DEFAULT_PART_MB, or more when YJZL_MAX_MB asks for it (never less)
MAX_PART_BYTES = budget.UNIT << 20  # one inflated XML part
# The ratio a part may compress by falls as its inflated size grows: MAX_RATIO at MAX_PART_BYTES, and
# MAX_RATIO × MAX_PART_BYTES / size below it. Real sheet XML compresses 5–30×, a sheet of one repeated long
# string 211× (LibreOffice's re-save of SheetJS large_strings: 56 MB, allowed 343×); deflate cannot exceed
# ~1030×, so parts under ~19 MB are never refused for their ratio, and a bomb near the size cap is (48 MB at
# 1000×: allowed 400×). Equivalently, a part of n bytes must arrive as at least n² / (MAX_RATIO × MAX_PART_BYTES).
MAX_RATIO = 300
RATIO_FLOOR = 10_000_000  # below this size a high ratio is harmless (a blank sheet compresses 1000×)


def ratio_limit(size: int) -> float:
    """The highest compression ratio accepted for a part that inflates to `size` bytes."""
    return float("inf") if size <= RATIO_FLOOR else MAX_RATIO * MAX_PART_BYTES / size

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_SCAN_BYTES = 64 * 1024 * 1024  # how far an OLE container is searched for its stream names
# What a damaged zip raises, from zipfile, zlib and the file itself.
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)

ENCRYPTED = ("工作簿设置了打开密码（已加密），请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空）后另存为 .xlsx / "
             "the workbook is password-protected (encrypted): remove the password in Excel/WPS and save it again as .xlsx")
OLD_XLS = ("这是旧版 Excel 97-2003 工作簿（.xls），请在 Excel/WPS 中另存为 .xlsx 格式（文件 → 另存为 → Excel 工作簿）/ "
           "an old Excel 97-2003 workbook (.xls): save it as .xlsx in Excel/WPS (File → Save As → Excel Workbook)")
OTHER_OLE = ("这是 Office 复合文档（如旧版 .doc/.xls 或加密文件），不是 .xlsx 工作簿，请另存为 .xlsx / "
             "an Office compound file (an old .doc/.xls or an encrypted file), not an .xlsx workbook: save it as .xlsx")


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB" if n >= 1 << 20 else f"{n} B"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def ole_reason(path: Path) -> str:
    """Why an OLE compound file is refused.

    An encrypted .xlsx is a compound file holding the streams EncryptionInfo and EncryptedPackage
    ([MS-OFFCRYPTO] 2.3.4); an .xls holds a Workbook (or, before Excel 97, Book) stream. The
    directory entries name them in UTF-16, so a bounded scan finds them without parsing the container.
    """
    # Stream names are compared case-insensitively ([MS-CFB] 2.6.4): WORKBOOK and BOOK exist in the wild.
    encrypted = (_utf16("encryptedpackage\0"), _utf16("encryptioninfo\0"))
    workbook = (_utf16("workbook\0"), _utf16("book\0"))
    xls = False
    tail = b""
    try:
        with path.open("rb") as fh:
            while fh.tell() < OLE_SCAN_BYTES:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                window = (tail + chunk).lower()  # ASCII letters only: the UTF-16 zero bytes stay
                if any(n in window for n in encrypted):
                    return ENCRYPTED
                xls = xls or any(n in window for n in workbook)
                tail = chunk[-40:]  # a name may straddle two chunks
    except OSError:
        pass
    return OLD_XLS if xls else OTHER_OLE


class OleFile(UnusableInput):
    """Not a zip but an OLE compound file: an .xls (reason OLD_XLS, read by yjzl.workbook.xls), an encrypted
    .xlsx, a .doc … The reason says which."""


class Archive:
    """A zip whose parts are read with limits on size and ratio."""

    def __init__(self, path: Path, spend: Budget | None = None) -> None:
        self.path = path
        self.budget = spend or Budget(str(path))
        self.kind = ".xlsx"  # the format named in a refusal; the .ods reader sets ".ods"
        try:
            fh = path.open("rb")  # opened once: the zip reads from the same handle
            head = fh.read(8)
        except OSError as exc:
            raise UnusableInput(str(path), f"无法打开 / cannot open: {exc.strerror or exc}") from exc
        try:
            self._open(path, fh, head)
        except BaseException:
            fh.close()
            raise

    def _open(self, path: Path, fh, head: bytes) -> None:
        if not head:
            raise UnusableInput(str(path), "文件为空 / the file is empty")
        if head == _OLE_MAGIC:
            raise OleFile(str(path), ole_reason(path))
        if not head.startswith(b"PK"):
            raise UnusableInput(str(path), "不是 .xlsx 工作簿（可能是改了扩展名的文本或其他文件）/ not an .xlsx workbook")
        try:
            fh.seek(0)
            self.zip = zipfile.ZipFile(fh)
            self.names = set(self.zip.NameToInfo)
            # Part names are case-insensitive (ECMA-376 Part 2, 6.2.2.3): xl/SharedStrings.xml exists in the wild;
            # some Windows tools store xl\workbook.xml with the Windows separator.
            self.folded = {n.lower().replace("\\", "/"): n for n in sorted(self.names, reverse=True)}
        except DAMAGE as exc:  # NotImplementedError: a directory entry garbled into an unknown zip version
            raise UnusableInput(str(path), f"工作簿已损坏或不完整（可能被截断）/ the workbook is damaged or truncated: {exc}") from exc

    def _admit(self, name: str) -> zipfile.ZipInfo:
        """The part's directory entry, once its declared size and ratio are within the limits."""
        info = self.zip.getinfo(name)
        ratio = info.file_size / info.compress_size if info.compress_size else 0
        if info.file_size > MAX_PART_BYTES:
            need = -(-info.file_size // (1 << 20))
            zh, en = "", ""
            if need <= MOST_MB:  # a big summary table, not a bomb: say how to read it anyway
                zh = f"；确需读取（如 10 万行的汇总表）时设置环境变量 {LIMIT_ENV}={need}（每 MB 约需 10 MB 内存）"
                en = f"; to read it anyway (a 100 000-row summary table) set {LIMIT_ENV}={need} (about 10 MB of memory per MB)"
            raise UnusableInput(str(self.path), f"{name} 解压后有 {_mb(info.file_size)}，超过上限 {_mb(MAX_PART_BYTES)}，拒绝读取{zh} / "
                                f"a part inflates to {_mb(info.file_size)}, over the limit of {_mb(MAX_PART_BYTES)}: refused{en}")
        if ratio > ratio_limit(info.file_size):
            raise UnusableInput(str(self.path), f"{name} 解压后有 {_mb(info.file_size)}，压缩比 {ratio:.0f}:1 异常（疑似压缩炸弹），拒绝读取 / "
                                f"a part inflates to {_mb(info.file_size)} at a ratio of {ratio:.0f}:1 (a zip bomb?): refused")
        self.budget.add_bytes(info.file_size)
        return info

    def find(self, name: str) -> str | None:
        """The stored name of a part, matched case-insensitively (and \\ as /); None when absent."""
        return name if name in self.names else self.folded.get(name.lower())

    def has(self, name: str) -> bool:
        return self.find(name) is not None

    def crc(self, name: str) -> tuple[int, int] | None:
        """A part's CRC and size, from the directory: a key for caching without inflating it."""
        found = self.find(name)
        info = self.zip.NameToInfo.get(found) if found else None
        return None if info is None else (info.CRC, info.file_size)

    def read(self, name: str) -> bytes | None:
        """The part's bytes (CRC-checked by zipfile), or None when absent."""
        found = self.find(name)
        if found is None:
            return None
        info = self._admit(found)
        if info.flag_bits & 0x1:
            raise UnusableInput(str(self.path), f"{name} 用 zip 密码加密，无法读取，请在 Excel/WPS 中另存为 .xlsx / "
                                "the part is zip-encrypted: save the workbook again as .xlsx in Excel/WPS")
        try:
            with self.zip.open(info) as fh:
                # Read at most the declared size plus one byte: a lying header cannot inflate past the limit
                # (zipfile stops at the declared size, and the CRC then fails).
                data = fh.read(info.file_size + 1)
        except DAMAGE as exc:
            raise UnusableInput(str(self.path), f"工作簿已损坏，无法读取 {name} / the workbook is damaged: {name}: "
                                f"{type(exc).__name__}: {exc}") from exc
        if len(data) > info.file_size:
            raise UnusableInput(str(self.path), f"{name} 的大小与声明不符 / a part is larger than its header says: refused")
        if name != "mimetype":
            self._check_xml(name, data)
        return data

    def _check_xml(self, name: str, data: bytes) -> None:
        """Refuse a part that declares a DTD (in any encoding, after any comment or whitespace: the XML parser
        itself reads the prolog) or an encoding no parser here reads; anything else is the decoders' to judge."""
        found = prolog(data)
        wide = data.startswith((b"\xfe\xff", b"\xff\xfe")) or b"\0" in data[:4]  # UTF-16 (no other part has a NUL)
        marks = _DOCTYPES[1:] if wide else _DOCTYPES[:1]
        if found == DTD or any(data.find(mark) >= 0 for mark in marks):  # a DOCTYPE out of place too
            raise UnusableInput(str(self.path), f"{name} 含有 DTD（实体定义），{self.kind} 文件不应有，拒绝读取 / "
                                f"the part declares a DTD (entity definitions), which no {self.kind} has: refused")
        if found is not None:
            raise UnusableInput(str(self.path), f"{name} 声明的编码“{found}”无法读取（应为 UTF-8 或 UTF-16），请在 Excel/WPS 中另存为 "
                                f"{self.kind} / the part declares an encoding that cannot be read, “{found}” (it should be "
                                f"UTF-8 or UTF-16): save it again as {self.kind} in Excel/WPS")

    def close(self) -> None:
        fp = self.zip.fp
        self.zip.close()
        if fp is not None:
            fp.close()


DTD = "\0dtd"  # what prolog() returns for a DTD (no encoding is named so)
_DOCTYPES = tuple("<!DOCTYPE".encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be"))
_ENCODING = re.compile(rb"encoding\s*=\s*[\"']([A-Za-z][\w.:-]{0,39})")
PROLOG_CHUNK = 1 << 16
_ROOT = re.compile(rb"<[A-Za-z_:]")  # a start tag (the prolog's <?, <!-- and <!DOCTYPE do not match)


class _Root(Exception):
    """The root element began: the prolog is over."""


class _Doctype(Exception):
    pass


def _stop(*args: object) -> None:
    raise _Root


def _doctype(*args: object) -> None:
    raise _Doctype


def prolog(data: bytes) -> str | None:
    """What is wrong with an XML part's prolog, read by expat (the parser ElementTree uses, so in whatever encoding
    the part is): DTD when it declares a document type, the declared encoding's name when expat cannot read that
    encoding (Python's codecs know no "KTF-8" or "x-user-defined"; expat reads no multi-byte one), else None.
    It stops at the root element's start, so it costs the prolog's length, not the part's (a DOCTYPE hidden from it,
    say in a comment's text, is still found by the caller's search of the whole part)."""
    import xml.parsers.expat as expat

    if not data.startswith((b"\xfe\xff", b"\xff\xfe")) and b"\0" not in data[:4]:
        root = _ROOT.search(data)  # in an ASCII-compatible encoding: expat need not see past the root's start
        data = data[:root.end() + 256] if root else data
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _doctype
    parser.StartElementHandler = _stop
    try:
        for at in range(0, len(data), PROLOG_CHUNK):
            parser.Parse(data[at:at + PROLOG_CHUNK], False)
        parser.Parse(b"", True)
    except (_Root, RecursionError):
        return None
    except _Doctype:
        return DTD
    except (LookupError, ValueError, expat.ExpatError) as exc:
        unknown = (expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING],
                   expat.errors.codes[expat.errors.XML_ERROR_INCORRECT_ENCODING])
        if isinstance(exc, expat.ExpatError) and exc.code not in unknown:
            return None  # not well-formed: the decoder that reads the part says where
        m = _ENCODING.search(data[:200].replace(b"\0", b""))
        return m.group(1).decode("ascii") if m else "?"
    return None
