"""Seeded mutation fuzz (issue #22): 600 damaged workbooks, the same on every run, through the library (yjzl.validate
and yjzl.compute in this process: a CLI process each would cost minutes). Each must be read, or refused with
UnusableInput (exit 2 at the CLI); any other exception is a bug (exit 3), and fails the test with its mutant's name.

Sources: the shipped examples (.xlsx), and one filled form written here as .ods, .xls and CSV (tests/rawods.py,
tests/rawxls.py). Damage: bit flips anywhere, truncation, and edits of one XML part re-zipped with a valid CRC, so
the decoders and not zlib meet them: tokens that once crashed or cost gigabytes (unknown encodings, DTDs, lowercase
addresses, repeats, text:s counts, huge indices), bytes changed or deleted; zip entry names changed (case, backslash).
tests/test_mutation.py runs a further 200 through the CLI.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from tests.corpus import CLEAN, cfb
from tests.rawods import write_ods
from tests.rawxls import biff8
from tests.test_mutation import TOKENS
from yjzl.errors import UnusableInput

SEED = 20261207
COUNT = 600
EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.xlsx"))
MORE_TOKENS = [b'encoding="KTF-8"', b'encoding="x-user-defined"', b'encoding="UTF-16"', b"<!DOCTYPE x>",
               b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', b"&a;", b' r="e1"', b' r="$b$2"', b"\xef\xbb\xbf", b"\xff\xfe",
               b'<text:s text:c="99999999999999"/>', b' table:number-columns-repeated="99999999"',
               b' table:number-rows-repeated="99999999"', b' table:number-rows-repeated="-5"', b' office:value-type="date"',
               b'<table:covered-table-cell office:value-type="float" office:value="1"/>', b' office:value="x"',
               b' calcext:value-type="error"', b' table:visibility="collapse"', b' numFmtId="31"', b' numFmtId="-1"']


DECLARED = [b"KTF-8", b"bogus", b"x-user-defined", b"gb18030", b"UTF-16", b"cp037", b"windows-1252", b"US-ASCII"]
PROLOGS = [b'<!DOCTYPE x [<!ENTITY a "' + b"a" * 1000 + b'">]>', b"<!-- c -->" + b" " * 5000 + b"<!DOCTYPE x>",
           b"\n" * 5000 + b'<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">']


def _form_rows(cat) -> list[list[object]]:
    form = cat.forms["T4M"]
    return [["指标", "数值"]] + [[f.label, CLEAN[f.id]] for f in form.fields if f.id in CLEAN]


def sources(folder: Path, cat) -> list[Path]:
    rows = _form_rows(cat)
    ods = write_ods(folder / "表4（乡镇卫生院）.ods", {"表4（乡镇卫生院）": rows})
    xls = folder / "表4（乡镇卫生院）.xls"
    cells = {(r, c): v if isinstance(v, str) else float(v) for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1)}
    xls.write_bytes(cfb({"Workbook": biff8({"表4（乡镇卫生院）": cells})}))
    csv = folder / "表4（乡镇卫生院）.csv"
    csv.write_text("\n".join(",".join(str(v) for v in row) for row in rows), encoding="utf-8")
    return [*EXAMPLES, ods, xls, csv]


def _edit_xml(data: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = sorted(n for n in parts if n.endswith((".xml", ".rels")))
    name = rng.choice(xml)
    part = bytearray(parts[name])
    if rng.random() < 0.15:  # the declaration itself: an encoding no parser here reads, or a DTD after it
        head = part.find(b"?>") + 2 if part.startswith(b"<?xml") else 0
        if rng.random() < 0.5 and head:
            part[:head] = b'<?xml version="1.0" encoding="' + rng.choice(DECLARED) + b'"?>'
        else:
            part[head:head] = rng.choice(PROLOGS)
    for _ in range(rng.randint(0 if part != parts[name] else 1, 5)):
        op, at = rng.random(), rng.randrange(len(part) + 1)
        if op < 0.2:
            part[at:at + 1] = bytes([rng.randrange(256)])
        elif op < 0.35:
            del part[at:at + rng.randint(1, 40)]
        elif op < 0.95:
            part[at:at] = rng.choice(TOKENS + MORE_TOKENS)
        else:
            del part[at:]
    parts[name] = bytes(part)
    renamed = {}
    for n, d in parts.items():
        if rng.random() < 0.03:
            n = n.upper() if rng.random() < 0.5 else n.replace("/", "\\")
        renamed[n] = d
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in renamed.items():
            z.writestr(n, d)
    return buf.getvalue()


def mutant(src: bytes, rng: random.Random, zipped: bool) -> tuple[str, bytes]:
    data = bytearray(src)
    kind = rng.choice(("flip", "truncate", "xml", "xml", "xml") if zipped else ("flip", "flip", "truncate", "insert"))
    if kind == "flip":
        for _ in range(rng.choice((1, 2, 4, 16))):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        del data[rng.randrange(len(data)):]
    elif kind == "insert":
        at = rng.randrange(len(data) + 1)
        data[at:at] = rng.choice(TOKENS + MORE_TOKENS + [b'"', b"\0", b"sep=;\n", b"\r"])
    else:
        data = bytearray(_edit_xml(bytes(data), rng))
    return kind, bytes(data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def test_600_mutants_end_read_or_refused(folder: Path, cat) -> None:
    import yjzl

    rng = random.Random(SEED)
    (folder / "src").mkdir()
    srcs = [(p, p.read_bytes()) for p in sources(folder / "src", cat)]
    outcomes: dict[str, int] = {}
    for i in range(COUNT):
        src, data = srcs[i % len(srcs)]
        kind, bad = mutant(data, rng, zipfile.is_zipfile(io.BytesIO(data)))
        path = folder / f"{i:03d}-{kind}{src.suffix}"
        path.write_bytes(bad)
        try:
            report = yjzl.validate([path], cat)
            outcome = "refused" if report.files[0].error else "read"
            yjzl.compute([path], cat)
        except UnusableInput:
            outcome = "refused"
        except Exception as exc:  # a bug: exit 3 at the command line
            raise AssertionError(f"mutant {path.name} of {src.name}: {type(exc).__name__}: {exc}") from exc
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        path.unlink()
    print(f"\n{COUNT} mutants: {outcomes}")
    assert sum(outcomes.values()) == COUNT and outcomes.get("read", 0) > 50 and outcomes.get("refused", 0) > 50, outcomes
