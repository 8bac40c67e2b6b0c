"""Every shipped overlay names what it adds in English too, so `--lang en` shows no Chinese label of it.

Checked on every examples/overlays/*.yaml, so that an overlay added there later cannot forget:
the overlay's name, its target sets, its forms (code and title), their sections and fields, the
sections and fields it adds to national forms, and its indicators each have an English name
without CJK characters. Then `yjzl catalogue list --kind field --lang en` with each overlay shows
no CJK in the label of any field the overlay adds (the national catalogue's own gaps are not
this test's business).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

OVERLAY_FILES = sorted((ROOT / "examples" / "overlays").glob("*.yaml"))
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def named(path: Path) -> list[tuple[str, str, object]]:
    """(where, English key, its value) for every entry of the overlay that needs an English name."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: list[tuple[str, str, object]] = [("overlay", "name_en", doc["overlay"].get("name_en"))]
    out += [(f"target set {s['id']}", "name_en", s.get("name_en")) for s in doc.get("target_sets", [])]
    for form in doc.get("forms", []):
        out += [(f"form {form['id']}", key, form.get(key)) for key in ("title_en", "code_en", "filled_by_en")]
        out += [(f"section {form['id']}.{s['id']}", "label_en", s.get("label_en")) for s in form.get("sections", [])]
        out += [(f"field {form['id']}.{f['id']}", "label_en", f.get("label_en")) for f in form.get("fields", [])]
    out += [(f"section {s['form']}.{s['id']}", "label_en", s.get("label_en")) for s in doc.get("sections", [])]
    out += [(f"field {f['form']}.{f['id']}", "label_en", f.get("label_en")) for f in doc.get("fields", [])]
    out += [(f"indicator {i['id']}", "name_en", i.get("name_en")) for i in doc.get("indicators", [])]
    return out


def test_the_overlays_are_found() -> None:
    assert {p.stem for p in OVERLAY_FILES} >= {"北京", "陕西", "陕西-西安", "阳江"}


@pytest.mark.parametrize("path", OVERLAY_FILES, ids=lambda p: p.stem)
def test_everything_an_overlay_adds_has_an_english_name(path: Path) -> None:
    entries = named(path)
    assert len(entries) > 1
    missing = [f"{where}: {key}" for where, key, value in entries if not value]
    assert missing == [], f"{path.name}: no English name for {missing}"
    chinese = [f"{where}: {value}" for where, _, value in entries if CJK.search(str(value))]
    assert chinese == [], f"{path.name}: Chinese in an English name: {chinese}"


def test_a_chinese_or_missing_english_name_is_caught(tmp_path: Path) -> None:
    overlay = tmp_path / "x.yaml"
    overlay.write_text("overlay: {id: x, name: 某省, name_en: Some province}\n"
                       "fields:\n  - {form: T1, id: a, label: 甲, label_en: 甲 count}\n  - {form: T1, id: b, label: 乙}\n",
                       encoding="utf-8")
    entries = named(overlay)
    assert [(w, v) for w, _, v in entries] == [("overlay", "Some province"), ("field T1.a", "甲 count"), ("field T1.b", None)]
    with pytest.raises(AssertionError, match=r"field T1\.b: label_en"):
        test_everything_an_overlay_adds_has_an_english_name(overlay)


def fields_listed(run, *overlays: Path) -> dict[str, str]:
    args = [a for p in overlays for a in ("--overlay", str(p))]
    res = run("catalogue", "list", "--kind", "field", "--lang", "en", "--format", "json", *args)
    assert res.code == 0, res.err
    return {row["id"]: row["label"] for row in json.loads(res.out)}


def test_catalogue_list_in_english_shows_no_chinese_label_of_an_overlay_field(run) -> None:
    national = fields_listed(run)
    stacks = [[p] for p in OVERLAY_FILES if p.stem != "陕西-西安"] + [[ROOT / "examples/overlays/陕西.yaml",
                                                                      ROOT / "examples/overlays/陕西-西安.yaml"]]
    for stack in stacks:
        added = {k: v for k, v in fields_listed(run, *stack).items() if k not in national}
        assert added, stack
        assert {k: v for k, v in added.items() if CJK.search(v)} == {}, stack
