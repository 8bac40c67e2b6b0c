"""Issue 25 §5: an overlay names the overlay it builds on (`extends: shaanxi`); loading it loads its chain.

S001 一、（二）: “每个设区市至少建成一个有明显成效的紧密型医联体，西安市、宝鸡市、延安市要组建2—3个紧密型医联体”
— the city overlay 陕西-西安.yaml uses the province overlay's close_consortium_count and adds the 2—3 floor.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import yjzl
from tests.conftest import SEEDS
from yjzl.catalogue.chain import header_of
from yjzl.catalogue.loader import CatalogueError, load

OVERLAYS = Path(__file__).resolve().parents[1] / "examples" / "overlays"
CITY, PROVINCE = OVERLAYS / "陕西-西安.yaml", OVERLAYS / "陕西.yaml"


def test_the_city_overlay_names_its_province_and_its_three_cities() -> None:
    head = header_of(CITY)
    assert (head["id"], head["extends"], head["short"]) == ("shaanxi_xian", "shaanxi", "西安、宝鸡、延安")
    assert header_of(PROVINCE)["id"] == "shaanxi"
    seed = SEEDS / "001_6ff89d21d4a1d7ed.txt"
    if seed.exists():
        assert "西安市、宝鸡市、延安市要组建2—3个紧密型医联体" in seed.read_text(encoding="utf-8")


@pytest.mark.parametrize("given", [[CITY], [PROVINCE, CITY], [CITY, PROVINCE]])
def test_loading_the_city_loads_its_chain_once_in_order(given) -> None:
    cat = load(None, given)
    assert cat.label == "national 2019.1 + shaanxi, shaanxi_xian"
    assert cat.overlay_files == ["陕西.yaml", "陕西-西安.yaml"]
    # the province's every-city floor (≥ 1) and the three cities' (≥ 2), S001 一、（二）
    assert [(t.set, t.value) for t in cat.indicators["close_consortium_count"].targets] == [
        ("shaanxi_2017", 1), ("shaanxi_2017_xian", 2)]


def test_the_cli_loads_the_chain(run) -> None:
    res = run("catalogue", "check", "--overlay", CITY)
    assert res.code == 0 and "目录完好" in res.out, res.out
    res = run("catalogue", "show", "close_consortium_count", "--overlay", CITY)
    assert res.code == 0 and "≥ 2" in res.out, res.out


def test_a_missing_link_is_named(run, tmp_path: Path) -> None:
    lone = tmp_path / "陕西-西安.yaml"
    shutil.copy(CITY, lone)  # without 陕西.yaml beside it
    with pytest.raises(CatalogueError) as err:
        load(None, [lone])
    assert "extends: shaanxi" in str(err.value) and str(lone) in str(err.value) and "--overlay" in str(err.value)
    res = run("catalogue", "check", "--overlay", lone)
    assert res.code == 2 and "shaanxi" in res.err and "Traceback" not in res.err
    res = run("validate", OVERLAYS.parent / "表2-clean.xlsx", "--overlay", lone)
    assert res.code == 2 and "shaanxi" in res.err
    # given explicitly from elsewhere, the province completes the chain
    assert load(None, [lone, PROVINCE]).label == "national 2019.1 + shaanxi, shaanxi_xian"


def _overlay(path: Path, oid: str, extends: str, set_id: str) -> Path:
    doc = {"overlay": {"id": oid, "name": f"{oid} 补充", "name_en": oid, "extends": extends},
           "target_sets": [{"id": set_id, "name": f"{oid} 目标", "name_en": oid, "source": "S001"}],
           "targets": [{"indicator": "primary_visit_share", "set": set_id, "op": ">=", "value": 66, "by": 2020,
                        "source": "S001"}]}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_a_cycle_is_named(tmp_path: Path, run) -> None:
    a = _overlay(tmp_path / "a.yaml", "aa", "bb", "set_a")
    _overlay(tmp_path / "b.yaml", "bb", "aa", "set_b")
    res = run("catalogue", "check", "--overlay", a)
    assert res.code == 2 and "aa → bb → aa" in res.err, res.err


def test_a_chain_of_three_in_flow_style(tmp_path: Path) -> None:
    # the header may be written in flow style, as docs/catalogue-format.md shows it
    _overlay(tmp_path / "省.yaml", "prov", "national", "set_p")
    _overlay(tmp_path / "市.yaml", "city", "prov", "set_c")
    town = _overlay(tmp_path / "县.yaml", "town", "city", "set_t")
    text = town.read_text(encoding="utf-8")
    town.write_text(text.replace(text[text.index("overlay:"):text.index("target_sets:")],
                                 "overlay: {id: town, name: 县补充, name_en: town, extends: city}\n"), encoding="utf-8")
    cat = yjzl.load_catalogue(overlays=[town])
    assert cat.label == "national 2019.1 + prov, city, town"


def test_extends_must_be_merged_before(tmp_path: Path) -> None:
    # two overlays given in the wrong order are put in order; one naming an unknown base says so
    bad = _overlay(tmp_path / "x.yaml", "xx", "no_such_overlay", "set_x")
    with pytest.raises(CatalogueError, match="no_such_overlay"):
        load(None, [bad])
