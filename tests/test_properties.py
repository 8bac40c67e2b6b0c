"""Property-based tests (hypothesis) of the two functions every cell passes through:
the value parser (`yjzl.workbook.values.parse`) and the label matcher (`yjzl.text.label_key`)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from yjzl.catalogue.expr import MISSING
from yjzl.rules.registry import KINDS
from yjzl.text import label_key
from yjzl.workbook.cells import MAX_CELL_CHARS, Cell
from yjzl.workbook.values import BRIEF_CHARS, NUMERIC, Parsed, parse

KIND_NAMES = ["count", "amount", "decimal", "percent", "permille", "text", "code", "yesno"]
ERRORS = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What a cell can hold, as the reader makes it: text of any kind, any float, a boolean, nothing.
texts = st.text(max_size=40) | st.sampled_from(["--", "—", "－－", "85%", "1,234", "１２３", "是", "否", "0.85", " 12 ", "1e999",
                                                 "-0", "+5", "nan", "inf", "∞", "٣", "1e-400", "9" * 400, "‰", "%"])
floats = st.floats(allow_nan=True, allow_infinity=True)
raw_values = st.none() | st.booleans() | floats | texts
cells = st.builds(Cell, raw_values, st.none() | st.sampled_from(ERRORS) | st.text(max_size=5), st.booleans(), st.booleans(),
                  st.booleans(), st.booleans())


@SETTINGS
@given(cells, st.sampled_from(KIND_NAMES))
@example(Cell("x" * MAX_CELL_CHARS), "count")
@example(Cell(float("nan"), date=True), "count")
@example(Cell("1e309"), "amount")
@example(Cell("-0"), "amount")
@example(Cell(-0.0), "decimal")
@example(Cell(None, error="#" * 10_000), "count")
def test_parse_never_raises_and_gives_a_value_or_a_known_problem(cell: Cell, kind: str) -> None:
    p = parse(cell, kind)
    assert isinstance(p, Parsed)
    if p.problem is not None:
        assert p.problem in KINDS and p.problem.startswith("YJ0")
        assert p.value is None
        assert len(p.detail) <= BRIEF_CHARS + 30  # what was typed, cut short for the message
    elif p.value is not None and p.value is not MISSING:
        if kind in NUMERIC or kind == "yesno":
            assert isinstance(p.value, float) and math.isfinite(p.value) and p.value >= 0
            assert not math.copysign(1, p.value) < 0  # never -0.0
            if kind == "count":
                assert p.value.is_integer()
            if kind == "yesno":
                assert p.value in (0.0, 1.0)
        else:
            assert isinstance(p.value, str)


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _full_width(s: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in s)


@SETTINGS
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from([",", "，"]), st.booleans(), st.sampled_from(["", " ", "\u3000", "\u00a0"]))
def test_counts_written_as_text_read_as_the_same_number(n: int, sep: str, wide: bool, pad: str) -> None:
    for typed in (str(n), _grouped(n, sep)):
        typed = _full_width(typed) if wide else typed
        p = parse(Cell(pad + typed + pad), "count")
        assert p == Parsed(float(n)), typed


@SETTINGS
@given(st.integers(min_value=0, max_value=10**12))
def test_counts_stored_as_numbers_read_as_themselves(n: int) -> None:
    assert parse(Cell(float(n)), "count") == Parsed(float(n))


DASH_CHARS = ["-", "—", "－", "–", "─", "―", "‐", "_", "＿", "\u2212"]


@SETTINGS
@given(st.lists(st.sampled_from(DASH_CHARS), min_size=1, max_size=4), st.sampled_from(["", " ", "\u3000", "\u200b"]),
       st.sampled_from([*KIND_NAMES[:5], "yesno"]))
def test_dashes_mean_not_counted(dashes: list[str], pad: str, kind: str) -> None:
    assert parse(Cell(pad + "".join(dashes) + pad), kind) == Parsed(MISSING)


# --- label_key ---------------------------------------------------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3000", "\u00a0", " ", "\t", "\u202f"]
NUMBERING = ["1.", "1、", "12、", "（1）", "(1)", "1)", "１．", "3.", "一、", "（二）", "⑴", "⒈"]
label_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@pytest.fixture(scope="module")
def catalogue_labels(cat) -> list[tuple[str, str, str]]:
    return [(form.id, d.id, d.label) for form in cat.forms.values() for d in form.fields]


@SETTINGS
@given(label_text)
@example("其中其中其中门诊人次")
@example("(选(选填)填)")
@example("(选填)其中x")
@example("e\u200b\u0301")
@example("İ")
def test_label_key_is_idempotent(text: str) -> None:
    key = label_key(text)
    assert label_key(key) == key


@SETTINGS
@given(label_text, st.lists(st.tuples(st.integers(0, 40), st.sampled_from(INVISIBLE)), max_size=6))
@example("e\u0301", [(1, "\u200b")])
@example("门诊人次数", [(2, "\u3000"), (0, "\ufeff")])
def test_label_key_ignores_invisible_characters_anywhere(text: str, inserts: list[tuple[int, str]]) -> None:
    typed = text
    for pos, ch in inserts:
        pos = min(pos, len(typed))
        typed = typed[:pos] + ch + typed[pos:]
    assert label_key(typed) == label_key(text)


HALF = "()：:,;."  # each with its full-width twin
FULL = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", ".": "．"}


@SETTINGS
@given(st.data())
def test_label_key_ignores_width_of_punctuation(catalogue_labels, data) -> None:
    _, _, label = data.draw(st.sampled_from(catalogue_labels))
    flips = data.draw(st.lists(st.booleans(), min_size=len(label), max_size=len(label)))
    half = "".join(ch.translate(str.maketrans({v: k for k, v in FULL.items()})) for ch in label)
    mixed = "".join(FULL.get(ch, ch) if flip else ch for ch, flip in zip(half, flips))
    assert label_key(mixed) == label_key(label) == label_key(half)


@SETTINGS
@given(st.data())
def test_label_key_ignores_leading_numbering(catalogue_labels, data) -> None:
    _, _, label = data.draw(st.sampled_from(catalogue_labels))
    numbering = data.draw(st.sampled_from(NUMBERING))
    space = data.draw(st.sampled_from(["", " ", "\u3000"]))
    assert label_key(numbering + space + label) == label_key(label)
    assert label_key("其中：" + numbering + label) == label_key("其中：" + label)


def test_every_catalogue_label_finds_its_field(cat, catalogue_labels) -> None:
    for form_id, field_id, label in catalogue_labels:
        assert field_id in cat.labels[form_id][label_key(label)], (form_id, field_id, label)
        for typed in (f"  {label}：", f"1. {label}", f"（1）{label}", label.replace("（", "(").replace("）", ")"),
                      "\u200b" + label + "\u3000"):
            assert field_id in cat.labels[form_id].get(label_key(typed), []), (form_id, field_id, typed)


@pytest.mark.parametrize("typed", ["①门诊人次数", "❶ 门诊人次数", "⑴门诊人次数", "⒈门诊人次数", "其中：①门诊人次数"])
def test_circled_and_parenthesised_numbers_are_numbering(typed: str) -> None:
    assert label_key(typed) == label_key("门诊人次数")
