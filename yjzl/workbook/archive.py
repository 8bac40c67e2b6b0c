"""Open an .xlsx as a zip and read its parts within limits of size and ratio.

Hostile files are refused before they are read: a part whose declared size or
compression ratio is absurd (a zip bomb), a file that is not a zip, an
encrypted workbook or an old binary .xls (both OLE containers).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from yjzl.errors import UnusableInput

MAX_PART_BYTES = 256 * 1024 * 1024  # one inflated XML part
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all parts read from one workbook
MAX_RATIO = 200  # inflated / compressed: real sheet XML compresses 5–30×
RATIO_FLOOR = 10_000_000  # below this size a high ratio is harmless (a blank sheet compresses 1000×)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Archive:
    """A zip whose parts are read with limits on size and ratio."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = 0
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
            raise UnusableInput(str(path), "这是旧版 .xls 或加密的工作簿，请在 Excel/WPS 中取消密码并另存为 .xlsx / "
                                "an old binary .xls or a password-protected workbook: remove the password and save as .xlsx")
        if not head.startswith(b"PK"):
            raise UnusableInput(str(path), "不是 .xlsx 工作簿（可能是改了扩展名的文本或其他文件）/ not an .xlsx workbook")
        try:
            fh.seek(0)
            self.zip = zipfile.ZipFile(fh)
            self.names = set(self.zip.NameToInfo)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnusableInput(str(path), f"工作簿已损坏或不完整（可能被截断）/ the workbook is damaged or truncated: {exc}") from exc

    def _admit(self, name: str) -> zipfile.ZipInfo:
        info = self.zip.getinfo(name)
        ratio = info.file_size / info.compress_size if info.compress_size else 0
        if info.file_size > MAX_PART_BYTES or (ratio > MAX_RATIO and info.file_size > RATIO_FLOOR):
            raise UnusableInput(str(self.path), f"{name} 解压后过大（{info.file_size} 字节），拒绝读取 / "
                                f"a part inflates to {info.file_size} bytes: refused")
        self.total += info.file_size
        if self.total > MAX_TOTAL_BYTES:
            raise UnusableInput(str(self.path), "工作簿解压后过大，拒绝读取 / the workbook inflates beyond the limit: refused")
        return info

    def open(self, name: str):
        return self.zip.open(self._admit(name))

    def crc(self, name: str) -> tuple[int, int] | None:
        """A part's CRC and size, from the directory: a key for caching without inflating it."""
        info = self.zip.NameToInfo.get(name)
        return None if info is None else (info.CRC, info.file_size)

    def read(self, name: str) -> bytes | None:
        """The part's bytes (CRC-checked by zipfile), or None when absent."""
        if name not in self.names:
            return None
        info = self._admit(name)
        with self.zip.open(info) as fh:
            # Read at most the declared size plus one byte: a lying header cannot inflate past the limit.
            data = fh.read(info.file_size + 1)
        if len(data) > info.file_size:
            raise UnusableInput(str(self.path), f"{name} 的大小与声明不符 / a part is larger than its header says: refused")
        return data

    def close(self) -> None:
        fp = self.zip.fp
        self.zip.close()
        if fp is not None:
            fp.close()
