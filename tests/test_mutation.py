"""Mutation test: the shipped example workbooks, damaged on purpose ~200 ways (a fixed seed), through
`yjzl validate`, `yjzl compute` and (for some) `validate --annotate`. Every run must end with exit
0, 1 or 2 and a message, never a traceback or exit 3.

Damage of four kinds: bit flips in the compressed data, in the central directory (names, sizes,
versions, offsets), truncation at offsets spread over the file, and edits of a part's XML (bytes
flipped, deleted, cut, or tokens inserted: quotes, entities, types, huge indices) re-zipped with a
valid CRC so that the XML decoders, not zlib, meet them. Mutants that once caused a traceback are
kept as named regression cases.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zipfile
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.xlsx"))
SEED = 20240601
TOKENS = [b"<", b">", b"/", b'"', b"&", b"&amp;", b"&#0;", b"&#xD800;", b"&bogus;", b' t="s"', b' t="e"', b' t="b"',
          b' t="inlineStr"', b' t="d"', b' s="99999"', b' s="-1"', b"<v>", b"</v>", b"<f>", b"<v>1e999</v>", b"<v>nan</v>",
          b"<v>-0</v>", b"\xff", b"\x00", b'r="XFD1048577"', b'r="A0"', b'r="ZZZ9999999"', b' hidden="1"',
          b'<row r="99999999999">', b"</c>", b'<c r="B2">', b"<![CDATA[x]]>", b"<!-- -->", b' state="hidden"',
          b'<v>99999999999999999999</v>', b'<c r="A1" t="s"><v>4294967296</v></c>', b"<mergeCell ref=\"A1:B2\"/>"]


def _flip(data: bytearray, rng: random.Random, lo: int, hi: int, n: int) -> None:
    for _ in range(n):
        p = rng.randrange(lo, hi)
        data[p] ^= 1 << rng.randrange(8)


def _central_directory(data: bytes) -> int:
    return data.find(b"PK\x01\x02")


def _xml_mutant(src: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(src)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = rng.choice(sorted(n for n in parts if n.endswith((".xml", ".rels"))))
    data = bytearray(parts[name])
    for _ in range(rng.randint(1, 6)):
        op, p = rng.random(), rng.randrange(len(data) + 1)
        if op < 0.3:
            data[p:p + 1] = bytes([rng.randrange(256)])
        elif op < 0.5:
            del data[p:p + rng.randint(1, 30)]
        elif op < 0.93:
            data[p:p] = rng.choice(TOKENS)
        else:
            del data[p:]
    parts[name] = bytes(data)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return buf.getvalue()


def mutants() -> list[tuple[str, bytes]]:
    """~200 damaged workbooks, the same on every run."""
    rng = random.Random(SEED)
    out: list[tuple[str, bytes]] = []
    for i in range(200):
        src = EXAMPLES[i % len(EXAMPLES)]
        data = bytearray(src.read_bytes())
        cd = _central_directory(data)
        kind = ("data", "directory", "truncate", "xml")[i % 4]
        if kind == "data":
            _flip(data, rng, 0, cd, rng.choice((1, 1, 2, 8)))
        elif kind == "directory":
            _flip(data, rng, cd, len(data), rng.randint(1, 4))
        elif kind == "truncate":
            cut = (i * 7919) % len(data) if i % 8 else rng.randrange(cd, len(data))  # spread, and in the directory
            data = data[:cut]
        else:
            data = bytearray(_xml_mutant(bytes(data), rng))
        out.append((f"{i:03d}-{kind}-{src.stem}", bytes(data)))
    return out


def regressions() -> list[tuple[str, bytes]]:
    """Mutants that once ended in a traceback or in a silent, wrong 'clean'."""
    src = (Path(__file__).parents[1] / "examples" / "表4（乡镇卫生院）-flawed.xlsx").read_bytes()
    cd = _central_directory(src)
    # 1. "version needed to extract" garbled to 20.0: zipfile raised NotImplementedError (exit 3).
    version = src[:cd + 6] + struct.pack("<H", 200) + src[cd + 8:]
    # 2. the sheet part's name garbled in the directory: the sheet was read as empty, the file reported clean
    #    (exit 0), and --annotate crashed in openpyxl ("At least one sheet must be visible").
    renamed = src[:cd] + src[cd:].replace(b"xl/worksheets/sheet1.xml", b"xl/worksheets/s:eet1.xml", 1)
    return [("regression-zip-version", version), ("regression-sheet-part-renamed", renamed)]


CASES = mutants() + regressions()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutants")


def _ends_well(r, path: Path, command: str) -> None:
    assert r.code in (0, 1, 2), (command, r.code, r.err[-2000:])
    assert "Traceback" not in r.err and "内部错误" not in r.err, (command, r.err[-2000:])
    assert (r.out + r.err).strip(), command
    if r.code == 2:
        assert str(path) in r.out + r.err, (command, r.out, r.err)  # the message names the file


@pytest.mark.parametrize(("name", "data"), CASES, ids=[c[0] for c in CASES])
def test_damaged_workbooks_end_with_a_message(run, folder: Path, name: str, data: bytes) -> None:
    path = folder / f"{name}.xlsx"
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    _ends_well(run("validate", path), path, "validate")
    _ends_well(run("compute", path, "--jobs", "1"), path, "compute")
    if name.startswith("regression") or (name.endswith(("clean", "flawed")) and int(name[:3]) % 5 == 0):
        out = folder / f"{name}-审核.xlsx"
        r = run("validate", path, "--annotate", out)
        _ends_well(r, path, "annotate")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # the input is never written


def test_regressions_are_refused_with_their_reasons(run, folder: Path) -> None:
    version, renamed = (folder / f"{n}.xlsx" for n, _ in regressions())
    for (_, data), path in zip(regressions(), (version, renamed)):
        path.write_bytes(data)
    r = run("validate", version)
    assert r.code == 2
    assert r.out.splitlines()[0] == f"{version}: 无法使用: 工作簿已损坏或不完整（可能被截断）: zip file version 20.0"
    r = run("validate", renamed)
    assert r.code == 2
    # The sheet whose part is missing is skipped and named (issue #12); it was the only one, so no form is left.
    assert r.out.splitlines()[0] == (f"{renamed}: 无法使用: 未找到可识别的表单（表4（乡镇卫生院）: "
                                     "工作表的数据不在文件中（xl/worksheets/sheet1.xml），未读取）")


def test_the_mutants_are_of_every_kind_and_outcome(run, folder: Path) -> None:
    """The corpus is not all refused at the door: some mutants are read (damage in a part that
    does not matter, or XML the decoders still read), some are refused."""
    codes = set()
    for name, data in CASES[::4] + CASES[3::4]:
        path = folder / f"{name}.xlsx"
        path.write_bytes(data)
        codes.add(run("validate", path).code)
    assert codes == {0, 1, 2}
