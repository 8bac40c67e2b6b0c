"""Overlays that add fields and forms: merging, placement, hiding, stacking, conflicts, the cache, YJ013."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl
import pytest
import yaml

import yjzl
from tests.builders import template_rows
from tests.conftest import ROOT

FIELD = {"form": "T3", "after": "referrals_received", "id": "booked_referrals", "label": "经预约转诊的上转病人例数",
         "kind": "count", "unit": "例", "section": "s4_6", "part_of": "referrals_received", "source": "YJZL test"}
OVERLAY = {
    "overlay": {"id": "demo", "name": "示例省补充指标", "short": "示例省"},
    "forms": [{
        "id": "DM", "code": "示例省补充表", "title": "示例省补充表", "filled_by": "市卫生健康委", "level": "city",
        "source": "YJZL test", "sections": [{"id": "basic", "label": "基本信息"}],
        "fields": [{"id": "city", "label": "市名称", "kind": "text", "section": "basic", "role": "name", "source": "YJZL test"},
                   {"id": "beds", "label": "康复床位数", "kind": "count", "unit": "张", "section": "basic", "source": "YJZL test"}],
    }],
    "sections": [{"form": "T3M", "id": "demo", "label": "示例省补充指标"}],
    "fields": [FIELD, {"form": "T3M", "id": "home_beds", "label": "家庭病床数", "kind": "count", "unit": "张",
                       "section": "demo", "source": "YJZL test"}],
    "hide": [{"form": "T3", "field": "cmi", "reason": "本省不采集CMI指数"}],
    "indicators": [{"id": "booked_referral_share", "name": "预约转诊比例", "forms": ["T3"], "numerator": "booked_referrals",
                    "denominator": "referrals_received", "factor": 100, "unit": "%", "source": "YJZL test"}],
    "checks": [{"id": "demo.booked_le_received", "rule": "le", "forms": ["T3"],
                "terms": ["booked_referrals", "referrals_received"], "severity": "logic", "source": "YJZL test"}],
}


def write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def check(run, *overlays: Path) -> tuple[int, list[dict]]:
    args = [a for p in overlays for a in ("--overlay", p)]
    res = run("catalogue", "check", *args, "--format", "json")
    return res.code, json.loads(res.out)["problems"] if res.out.strip().startswith("{") else []


def test_fields_and_forms_are_added_in_place(run, tmp_path: Path) -> None:
    from yjzl.catalogue.loader import load

    path = write(tmp_path, "demo.yaml", OVERLAY)
    assert check(run, path) == (0, [])
    cat = load(None, [path])
    ids = [f.id for f in cat.forms["T3"].fields]
    assert ids[ids.index("referrals_received") + 1] == "booked_referrals"  # after the named field
    assert cat.field("T3", "booked_referrals").origin == "示例省"
    assert [f.id for f in cat.forms["T3M"].fields][-1] == "home_beds"  # at the end of its (new) section
    assert cat.forms["DM"].origin == "示例省" and cat.find_form("示例省补充表").id == "DM"
    cmi = cat.field("T3", "cmi")  # hidden, not removed: still read if a workbook has it, no longer required
    assert cmi.hidden == "本省不采集CMI指数" and cmi.optional
    assert cat.label == "national 2019.1 + demo"


def test_the_template_shows_local_fields_marked_and_hides_what_the_overlay_hides(run, tmp_path: Path) -> None:
    path = write(tmp_path, "demo.yaml", OVERLAY)
    out = tmp_path / "t.xlsx"
    assert run("template", "表3", "示例省补充表", "--overlay", path, "-o", out).code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["表3", "表3（成员单位）", "示例省补充表"]  # (then any sheet the template adds)
    ws = wb["表3"]
    rows = template_rows(ws)
    (booked,), (received,) = rows["经预约转诊的上转病人例数"], rows["接收下级医院上转的例(次数)"]
    assert booked == received + 1 and ws.cell(booked, 2).value == "经预约转诊的上转病人例数（示例省增补）"
    assert "cmi指数" not in rows and "去上级医院学习进修的人数" in rows
    labels = [c.value for c in wb["示例省补充表"]["B"] if isinstance(c.value, str) and not c.value.startswith("=")]
    assert labels[-4:] == ["指标", "基本信息", "市名称", "康复床位数"]  # a whole new form: its fields unmarked


def test_a_filled_overlay_template_validates_and_computes(run, tmp_path: Path) -> None:
    from tests.builders import fill_template_sheet
    from yjzl.catalogue.loader import load
    from yjzl.template.build import build_template

    path = write(tmp_path, "demo.yaml", OVERLAY)
    cat = load(None, [path])
    wb = build_template(cat, [cat.forms["DM"]])
    fill_template_sheet(wb["示例省补充表"], cat.forms["DM"], {"city": "甲市", "beds": 12})
    book = tmp_path / "filled.xlsx"
    wb.save(book)
    assert yjzl.validate(book, cat).files[0].findings == []
    # Read without the overlay: the sheet is no national form; the skip names the overlay's file.
    res = run("validate", book)
    assert res.code == 2 and "示例省补充表: 覆盖层的表单，请加 --overlay demo.yaml" in res.out


def test_without_the_overlay_the_new_rows_are_unknown_with_it_they_are_read(tmp_path: Path) -> None:
    from tests.builders import fill_template_sheet
    from yjzl.catalogue.loader import load

    path = write(tmp_path, "demo.yaml", OVERLAY)
    cat = load(None, [path])
    from yjzl.template.build import build_template

    wb = build_template(cat, [cat.forms["T3"]])
    for name in wb.sheetnames[1:]:  # only 表3
        del wb[name]
    values = {f.id: 0 for f in cat.forms["T3"].fields if f.kind not in ("text", "code", "yesno")}
    values.update({f.id: "否" for f in cat.forms["T3"].fields if f.kind == "yesno"})
    values.update({f.id: "甲" for f in cat.forms["T3"].fields if f.kind in ("text", "code")})
    values.update(referrals_received=40, referrals_total=40, booked_referrals=30, org_code="12345678-5")
    fill_template_sheet(wb["表3"], cat.forms["T3"], values)
    book = tmp_path / "t3.xlsx"
    wb.save(book)
    with_overlay = {f.code for f in yjzl.validate(book, cat).files[0].findings}
    without = [f for f in yjzl.validate(book, load()).files[0].findings if f.code == "YJ006"]
    assert "YJ006" not in with_overlay
    assert [f.message for f in without] == ["无法识别的指标名称“经预约转诊的上转病人例数（示例省增补）”，最接近的是「上转病人例数」"]
    result = yjzl.compute([book], cat)
    share = next(r for r in result.files[0].indicators if r.id == "booked_referral_share")
    assert share.value == 75.0  # 30 ÷ 40 × 100


@pytest.mark.parametrize(("change", "code", "says"), [
    # a national id: a rename or a redefinition of a national field
    (lambda o: o["fields"][0].update(id="referrals_up", label="上转患者人次"), "YC010", "不能修改或改名国家字段 T3.referrals_up"),
    # a national label under a new id: the same field renamed
    (lambda o: o["fields"][0].update(label="上转病人例数"), "YC010", "与国家字段 T3.referrals_up 同名"),
    (lambda o: o["fields"][0].update(after="no_such_field"), "YC002", "after 指向不存在的字段"),
    (lambda o: o["fields"][0].update(form="T9"), "YC002", "表单不存在"),
    (lambda o: o["hide"][0].update(field="booked_referrals"), "YC010", "国家目录中没有字段"),
    (lambda o: o["forms"][0].update(id="T3"), "YC010", "表单 T3 已存在"),
    (lambda o: o["fields"][0].update(section="s9", after=None), "YC002", "章节不存在"),
    (lambda o: o["fields"][0].update(section="s4_7"), "YC010", "新字段须在同一章节"),
])
def test_overlays_may_not_change_national_fields(run, tmp_path: Path, change, code: str, says: str) -> None:
    ov = copy.deepcopy(OVERLAY)
    change(ov)
    rc, found = check(run, write(tmp_path, "bad.yaml", ov))
    assert rc == 1 and any(p["code"] == code and says in p["message"] for p in found), found
    # the problem names the overlay file and the line of the entry
    assert all("bad.yaml:" in p["where"] for p in found if p["code"] == code), found


def test_an_overlay_has_no_way_to_remove_a_field(run, tmp_path: Path) -> None:
    ov = dict(copy.deepcopy(OVERLAY), remove=[{"form": "T3", "field": "cmi"}])
    res = run("catalogue", "check", "--overlay", write(tmp_path, "rm.yaml", ov))
    assert res.code == 2 and "remove: 未知的键 remove\n" in res.err


def test_a_new_field_needs_a_source(run, tmp_path: Path) -> None:
    ov = copy.deepcopy(OVERLAY)
    del ov["fields"][0]["source"]
    path = write(tmp_path, "nosource.yaml", ov)
    res = run("catalogue", "check", "--overlay", path)
    line = path.read_text(encoding="utf-8").splitlines().index("fields:") + 2  # the entry starts below `fields:`
    assert res.code == 2 and "Traceback" not in res.err
    assert f"nosource.yaml:{line}: fields[booked_referrals].source: 缺少必填项 source\n" in res.err


def test_stacked_overlays_conflict_with_both_files_and_lines(run, tmp_path: Path) -> None:
    a = write(tmp_path, "province.yaml", OVERLAY)
    city = {"overlay": {"id": "city", "name": "示例市"}, "fields": [dict(FIELD, kind="decimal", unit="例")]}
    b = write(tmp_path, "city.yaml", city)
    rc, found = check(run, a, b)
    line_a = a.read_text(encoding="utf-8").splitlines().index("fields:") + 2
    line_b = b.read_text(encoding="utf-8").splitlines().index("fields:") + 2
    assert rc == 1 and [p["code"] for p in found] == ["YC012"]
    assert found[0]["where"] == f"{b}:{line_b} fields[T3.booked_referrals]"
    assert f"{a}:{line_a} fields[T3.booked_referrals]" in found[0]["message"] and "定义不同" in found[0]["message"]


def test_stacked_overlays_may_repeat_an_entry_alike(run, tmp_path: Path) -> None:
    """A city repeating its province's field (citing another document) merges once."""
    from yjzl.catalogue.loader import load

    a = write(tmp_path, "province.yaml", OVERLAY)
    b = write(tmp_path, "city.yaml", {"overlay": {"id": "city", "name": "示例市"},
                                       "fields": [dict(FIELD, source="YJZL city", note="同省")]})
    assert check(run, a, b) == (0, [])
    cat = load(None, [a, b])
    assert [f.id for f in cat.forms["T3"].fields].count("booked_referrals") == 1
    assert cat.label == "national 2019.1 + demo, city"


def test_problems_of_overlay_entries_found_by_the_proofs_name_file_and_line(run, tmp_path: Path) -> None:
    ov = copy.deepcopy(OVERLAY)
    ov["indicators"][0]["numerator"] = "no_such_field"
    path = write(tmp_path, "bad.yaml", ov)
    rc, found = check(run, path)
    line = path.read_text(encoding="utf-8").splitlines().index("indicators:") + 2
    assert rc == 1 and [p["where"] for p in found if p["code"] == "YC005"] == [f"{path}:{line} indicators[booked_referral_share].numerator"]


def test_the_national_catalogue_cannot_set_what_only_overlays_set(run, tmp_path: Path) -> None:
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    anchor = "    - id: hukou_population\n"
    bad = tmp_path / "cat.yaml"
    bad.write_text(text.replace(anchor, anchor + "      origin: 北京\n", 1), encoding="utf-8")
    res = run("catalogue", "check", "--catalogue", bad, "--format", "json")
    found = json.loads(res.out)["problems"]
    assert res.code == 1 and [p["code"] for p in found] == ["YC010"]


def test_the_cache_is_keyed_on_the_overlays_bytes(tmp_path: Path) -> None:
    from yjzl.catalogue.loader import _cache_file, load

    path = write(tmp_path, "demo.yaml", OVERLAY)
    first = load(None, [path])
    key = _cache_file([ROOT / "indicators.yaml", path])
    assert key is not None and key.exists()
    changed = copy.deepcopy(OVERLAY)
    changed["fields"][0]["label"] = "经预约转诊的上转病人数"
    write(tmp_path, "demo.yaml", changed)
    assert _cache_file([ROOT / "indicators.yaml", path]) != key
    assert load(None, [path]).field("T3", "booked_referrals").label == "经预约转诊的上转病人数"
    assert first.field("T3", "booked_referrals").label == "经预约转诊的上转病人例数"


def test_catalogue_show_and_list_know_overlay_entries(run, tmp_path: Path) -> None:
    path = write(tmp_path, "demo.yaml", OVERLAY)
    res = run("catalogue", "show", "预约转诊比例", "--overlay", path)
    assert res.code == 0 and "经预约转诊的上转病人例数" in res.out
    res = run("catalogue", "list", "--form", "示例省补充表", "--kind", "field", "--overlay", path)
    assert res.code == 0 and "康复床位数" in res.out
    assert run("catalogue", "show", "预约转诊比例").code == 2


def test_show_and_list_say_what_is_local_and_when_targets_are_due(run) -> None:
    overlay = ROOT / "examples" / "overlays" / "北京.yaml"
    res = run("catalogue", "show", "T3.referrals_from_community", "--overlay", overlay)
    assert any(x.split() == ["地方增补", "北京增补（覆盖层）"] for x in res.out.splitlines())
    res = run("catalogue", "show", "每千常住人口康复护理床位数", "--overlay", overlay)
    line = next(x for x in res.out.splitlines() if "北京市2017 ≥ 0.5" in x)  # the target set by name, ≥ as printed
    assert "2020" in line and "各区应按每千常住人口0.5张康复护理床位的要求" in line
    res = run("catalogue", "list", "--kind", "target", "--overlay", overlay, "--format", "json")
    rows = json.loads(res.out)
    words = [r for r in rows if r["target"] == "定性"]
    assert any(r["wording"] == "2020年实现全市社区卫生服务机构互联互通" and r["by"] == "2020" for r in words), rows


def test_a_city_adds_a_field_to_its_provinces_new_form(run, tmp_path: Path) -> None:
    from yjzl.catalogue.loader import load

    a = write(tmp_path, "province.yaml", OVERLAY)
    b = write(tmp_path, "city.yaml", {
        "overlay": {"id": "city", "name": "示例市", "short": "示例市"},
        "fields": [{"form": "DM", "after": "beds", "id": "nursing_beds", "label": "护理床位数", "kind": "count",
                    "unit": "张", "section": "basic", "source": "YJZL test"}]})
    assert check(run, a, b) == (0, [])
    assert check(run, b)[0] == 1  # alone, the province's form is not there: YC002 表单不存在
    form = load(None, [a, b]).forms["DM"]
    assert [f.id for f in form.fields] == ["city", "beds", "nursing_beds"] and form.fields[-1].origin == "示例市"
