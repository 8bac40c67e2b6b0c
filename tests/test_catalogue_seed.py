"""Walk the form lists of seed 004 and prove every printed field is in the catalogue.

The form text is cut out of the seed, cleaned with the catalogue's own label
rule, and every catalogue label (or its `printed` text) and section heading is
removed from it, longest first. What remains must hold no Chinese text: a field
the catalogue lacks would remain.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEEDS
from yjzl.text import clean_label

SEED = SEEDS / "004_4dca3a86e03f15ed.txt"
pytestmark = pytest.mark.skipif(not SEED.exists(), reason=f"seed 004 not found at {SEED} (shared/ must sit beside the checkout)")
# Each form's block: from its first marker to the next form's.
MARKERS = [
    ("T1", "表 1 分级诊疗制度第三方评估省级层面评价考核表"),
    ("T2", "表 2 分级诊疗制度第三方评估市级层面评价考核表"),
    ("T3", "表 3  城市医联体效果评价考核表"),
    ("T3M", "（城市医联体成员单位（帮扶医院）填报）"),
    ("T4", "表 4  县域医疗联合体效果评价考核表"),
    ("T4M", "（县域医疗联合体帮扶的乡镇卫生院填报）"),
    ("END", "二、部分评估考核指标说明"),
]
DECORATIONS = ["其中：", "其中，", "其中:", "（选填）", "（中医医院填写）"]
# Lines of the block that are not fields: the title lines and who fills the form.
FRAMING = ["省（区、市），新疆生产建设兵团", "（省级卫生健康行政部门填报）", "（市级卫生健康行政部门填报）",
           "（城市医联体牵头医院填报）", "（县域医疗联合体牵头医院填报）",
           "（城市医联体成员单位（帮扶医院）填报）", "（县域医疗联合体帮扶的乡镇卫生院填报）"]


def blocks() -> dict[str, str]:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("评价考核指标框架")
    pos = [(form, text.index(marker, start)) for form, marker in MARKERS]
    out = {}
    for (form, a), (_, b) in zip(pos, pos[1:]):
        lines = [ln for ln in text[a:b].splitlines() if not re.fullmatch(r"\s*\d+\s*", ln)]  # page numbers
        out[form] = clean_label("\n".join(lines))
    return out


@pytest.mark.parametrize("form_id", ["T1", "T2", "T3", "T3M", "T4", "T4M"])
def test_every_printed_field_is_in_the_catalogue(cat, form_id: str) -> None:
    rest = blocks()[form_id]
    form = cat.forms[form_id]
    # Fields and headings in one pass, longest first: a heading may contain a field's label.
    texts = [(clean_label(f.printed or f.label), True) for f in form.fields if not f.supplement]
    texts += [(clean_label(t), False) for t in [s.label for s in form.sections] + [form.title, form.code] + FRAMING]
    for t, is_field in sorted(texts, key=lambda x: len(x[0]), reverse=True):
        assert t in rest or not is_field, f"{form_id}: catalogue label not found in the seed (or used twice): {t}"
        rest = rest.replace(t, "", 1)
    for t, is_field in texts:  # a heading split around a field's label is whole again now
        if not is_field:
            rest = rest.replace(t, "", 1)
    for d in DECORATIONS:
        rest = rest.replace(d, "")
    left = re.sub(r"[^\u4e00-\u9fff]", "", rest)
    assert left == "", f"{form_id}: printed text the catalogue does not hold: {rest!r}"


@pytest.mark.parametrize("form_id", ["T1", "T2", "T3", "T3M", "T4", "T4M"])
def test_fields_are_in_document_order(cat, form_id: str) -> None:
    text = blocks()[form_id]
    pos = 0
    for f in (f for f in cat.forms[form_id].fields if not f.supplement):
        t = clean_label(f.printed or f.label)
        found = text.find(t, pos)
        assert found >= 0, f"{form_id}.{f.id} is out of document order: {t}"
        pos = found + 1
