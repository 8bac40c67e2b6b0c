"""A template switches Excel's "number stored as text" marker off on its value cells (ignoredErrors).

The element must stand at its place in CT_Worksheet, or Excel calls the file damaged; Excel is
not here, so the order of every written sheet's children is checked against the schema's sequence.
The file must still open everywhere we have: openpyxl, calamine, yjzl and LibreOffice; and the
annotated copy of a template keeps the element (openpyxl alone would drop it).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

import yjzl
from examples.build_examples import flawed
from tests.builders import fill_template_sheet
from tests.conftest import ROOT
from yjzl.output import ignored_errors
from yjzl.template.build import build_template, write_template

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# CT_Worksheet, ECMA-376 Part 1 (5th ed.), 18.3.1.99 worksheet, and the schema sml.xsd: its children in order.
CT_WORKSHEET = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
    "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst",
)
SINGLE = set(CT_WORKSHEET) - {"conditionalFormatting"}  # the one child that may repeat (maxOccurs unbounded)


def children(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)
    assert root.tag == NS + "worksheet"
    return [c.tag.removeprefix(NS) for c in root]


def assert_schema_order(names: list[str]) -> None:
    at = [CT_WORKSHEET.index(n) for n in names]  # ValueError: a child CT_Worksheet does not have
    assert at == sorted(at), names
    assert all(names.count(n) == 1 for n in SINGLE & set(names)), names


def sheets_xml(path_or_bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes)
    return {name: z.read(part) for name, part in ignored_errors.sheet_parts(z).items()}


def cells(sqref: str) -> set[str]:
    """C5:C7 C9 → {C5, C6, C7, C9} (one column per range, as the template writes them)."""
    out = set()
    for part in sqref.split():
        a, _, b = part.partition(":")
        col, first = re.fullmatch(r"([A-Z]+)(\d+)", a).groups()
        last = int(re.fullmatch(r"[A-Z]+(\d+)", b or a).group(1))
        out |= {f"{col}{r}" for r in range(int(first), last + 1)}
    return out


def ignored_of(xml: bytes) -> list[dict[str, str]]:
    return [dict(e.attrib) for e in ElementTree.fromstring(xml).iter(NS + "ignoredError")]


@pytest.fixture(scope="module")
def template_all(cat, tmp_path_factory) -> Path:
    return write_template(cat, ["all"], tmp_path_factory.mktemp("ign") / "all.xlsx")


@pytest.mark.parametrize("overlay", [None, "北京.yaml"])
def test_every_sheet_keeps_the_schema_order_and_each_form_sheet_ignores_its_value_cells(cat, template_all, overlay,
                                                                                          tmp_path) -> None:
    if overlay:  # an overlay's own form (a sheet of its own) and its fields added to national forms
        cat = yjzl.load_catalogue(overlays=[ROOT / "examples" / "overlays" / overlay])
        template_all = write_template(cat, ["all"], tmp_path / "overlay.xlsx")
    xml = sheets_xml(template_all)
    wb = openpyxl.load_workbook(template_all)  # openpyxl loads it (and drops the element: see the annotate test)
    assert list(xml) == wb.sheetnames
    for name, data in xml.items():
        assert_schema_order(children(data))
        if name == "指标计算":
            assert "ignoredErrors" not in children(data)  # no text-formatted cell there
            continue
        ws = wb[name]
        # The value cells, found by the layout and not by their format: column C of every row numbered in A.
        values = {f"C{r}" for r in range(4, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)}
        assert len(values) == sum(1 for f in cat.find_form(name).fields if not f.hidden)
        [ignored] = ignored_of(data)
        assert ignored.pop("numberStoredAsText") == "1"
        assert cells(ignored.pop("sqref")) == values
        assert ignored == {}  # nothing else switched off
        assert ws["F5"].number_format != "@"  # the 说明 cells are General: a number there is a number


def test_the_element_goes_before_what_follows_it_and_replaces_an_old_one() -> None:
    head = '<worksheet xmlns="{ns}" xmlns:r="r"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lt;drawing </t></is></c></row></sheetData>'
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    item = [{"sqref": "C5:C7 C9", "numberStoredAsText": "1"}]
    tails = [
        "<pageMargins/><headerFooter/></worksheet>",  # nothing after: at the end
        "<pageMargins/><drawing r:id='x'/><legacyDrawing r:id='y'/><tableParts count='0'/></worksheet>",
        "<rowBreaks/><colBreaks/><ignoredErrors><ignoredError sqref='A1' evalError='1'/></ignoredErrors>"
        "<legacyDrawing r:id='y'/><extLst/></worksheet>",  # an old element: replaced, not doubled
        "<cellWatches/><smartTags/></worksheet>",
    ]
    for tail in tails:
        out = ignored_errors.insert(head.format(ns=ns) + tail, item)
        names = children(out.encode())
        assert_schema_order(names)
        assert names.count("ignoredErrors") == 1
        assert ignored_of(out.encode()) == item
    # A sheet that prefixes the main namespace: the element declares it, and stays in it.
    prefixed = f'<x:worksheet xmlns:x="{ns}"><x:sheetData/><x:pageMargins/><x:drawing/></x:worksheet>'
    out = ignored_errors.insert(prefixed, item).encode()
    assert children(out) == ["sheetData", "pageMargins", "ignoredErrors", "drawing"]
    assert ignored_of(out) == item
    # Nothing to ignore: an old element removed, nothing added.
    assert "ignoredErrors" not in ignored_errors.insert(head.format(ns=ns) + tails[2], [])


def test_read_finds_the_element_of_a_sheet_that_prefixes_the_namespace(tmp_path) -> None:
    """As some other programs write it: x:worksheet with single-quoted declarations, a relative rel target."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    path = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}"><Relationship Id="r1" Type="{rel}/officeDocument" '
                                  'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{pkg}"><Relationship Id="s1" '
                                                 f'Type="{rel}/worksheet" Target="worksheets/a.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<x:workbook xmlns:x="{ns}" xmlns:r="{rel}"><x:sheets>'
                                      '<x:sheet name="甲" sheetId="1" r:id="s1"/></x:sheets></x:workbook>')
        z.writestr("xl/worksheets/a.xml", f"<x:worksheet xmlns:x='{ns}'><x:sheetData/><x:ignoredErrors>"
                                          "<x:ignoredError sqref='B2:B9' numberStoredAsText='1'/>"
                                          "<x:ignoredError sqref='D4' formula='1'/></x:ignoredErrors></x:worksheet>")
    assert ignored_errors.read(path) == {"甲": [{"sqref": "B2:B9", "numberStoredAsText": "1"},
                                               {"sqref": "D4", "formula": "1"}]}


def test_runs_of_rows() -> None:
    assert ignored_errors.runs("C", [9, 5, 6, 7, 12, 13]) == ["C5:C7", "C9", "C12:C13"]
    assert ignored_errors.runs("C", []) == []


def filled(cat, keep: bool) -> bytes:
    """The 表1 template filled with the flawed example (numbers typed as text, as in a text cell),
    saved with (`keep`) or without the ignoredErrors."""
    wb = build_template(cat, ["表1"])
    values, notes, omit = flawed("T1")
    typed = {k: str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for k, v in values.items()}
    fill_template_sheet(wb["表1"], cat.forms["T1"], typed, notes, omit)
    buf = io.BytesIO()
    wb.save(buf)
    return ignored_errors.add_to_package(buf.getvalue(), ignored_errors.numbers_as_text(wb)) if keep else buf.getvalue()


def test_a_filled_template_reads_the_same_with_and_without_the_element(cat, tmp_path) -> None:
    from python_calamine import CalamineWorkbook

    paths = {}
    for keep in (True, False):
        paths[keep] = tmp_path / f"filled-{keep}.xlsx"
        paths[keep].write_bytes(filled(cat, keep))
    assert "ignoredErrors" in children(sheets_xml(paths[True])["表1"])
    assert "ignoredErrors" not in children(sheets_xml(paths[False])["表1"])
    a, b = (CalamineWorkbook.from_path(str(paths[k])).get_sheet_by_name("表1").to_python() for k in (True, False))
    assert a == b and any(row[2] not in ("", None) for row in a)
    ra, rb = (yjzl.validate(paths[k], cat).files[0] for k in (True, False))
    assert [(f.code, f.cells, f.message) for f in ra.findings] == [(f.code, f.cells, f.message) for f in rb.findings]
    assert any(f.severity == "error" for f in ra.findings)  # the flawed example: there is something to agree on


def test_the_annotated_copy_keeps_the_element(cat, run, template_all, tmp_path) -> None:
    src = tmp_path / "filled.xlsx"
    src.write_bytes(filled(cat, True))
    # Why the copy needs help: openpyxl loads a workbook without its ignoredErrors and saves none.
    openpyxl.load_workbook(src).save(tmp_path / "resaved.xlsx")
    assert all("ignoredErrors" not in children(x) for x in sheets_xml(tmp_path / "resaved.xlsx").values())
    out = tmp_path / "marked.xlsx"
    res = run("validate", str(src), "--annotate", str(out))
    assert res.code == 1, res.err  # the flawed example has errors
    before, after = sheets_xml(src), sheets_xml(out)
    assert ignored_of(after["表1"]) == ignored_of(before["表1"]) != []
    for data in after.values():
        assert_schema_order(children(data))  # with the comments' legacyDrawing after it
    assert "legacyDrawing" in children(after["表1"])
    # A workbook without one (the flawed example made by openpyxl) gets none: the copy adds nothing of its own.
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(filled(cat, False))
    run("validate", str(plain), "--annotate", str(tmp_path / "plain-marked.xlsx"))
    assert all("ignoredErrors" not in children(x) for x in sheets_xml(tmp_path / "plain-marked.xlsx").values())


def test_libreoffice_opens_and_recalculates_it_as_it_does_without(cat, tmp_path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc")
    from tests.test_template_live import RECALC

    files = []
    for keep in (True, False):
        files.append(tmp_path / f"lo-{keep}.xlsx")
        files[-1].write_bytes(filled(cat, keep))
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC, encoding="utf-8")
    out = tmp_path / "lo"
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                           "--outdir", str(out), *map(str, files)], capture_output=True, text=True, timeout=300)
    shown = []
    for f in files:
        assert (out / f.name).exists(), f"LibreOffice wrote no {f.name}: {proc.stdout} {proc.stderr}"
        ws = openpyxl.load_workbook(out / f.name, data_only=True)["表1"]
        shown.append([[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=4)])
    assert shown[0] == shown[1]
    assert any(isinstance(v, str) and v.startswith("✗") for row in shown[0] for v in row)  # the live audit ran
