"""The catalogue → spreadsheet formula translator (yjzl/template/formulas.py), string by string.

What the formulas compute is proved against `yjzl validate` in LibreOffice by
test_template_live.py; here each construct's exact text is pinned, so that a
change of translation is a visible change of these expected strings.
"""

from __future__ import annotations

import re

import pytest

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Check, Indicator
from yjzl.catalogue.schema import CheckDef, IndicatorDef, Tolerance
from yjzl.template import formulas
from yjzl.template.build import build_template, build_with_audit
from yjzl.template.entries import entry_status, is_dash, normalise

# Functions that Excel 2010, WPS and LibreOffice all have (no IFS, LET, LAMBDA, TEXTJOIN, CONCAT, dynamic arrays).
SHARED = {"IF", "AND", "OR", "NOT", "ISNUMBER", "ISERROR", "ABS", "ROUND", "MAX", "LEN", "TRIM", "VALUE",
          "INT", "MOD", "COUNTIF", "LEFT", "SUBSTITUTE", "COUNTA", "FIND", "MID", "RIGHT", "UPPER", "SEARCH"}


@pytest.fixture
def book(cat) -> formulas.Book:
    """表3 with a, b, c on rows 5–7 and two member sheets with x on row 9."""
    sheets = {"表3": "T3", "成员1": "T3M", "成员2": "T3M"}
    rows = {"表3": {"a": 5, "b": 6, "c": 7}, "成员1": {"x": 9}, "成员2": {"x": 9}}
    return formulas.Book(cat, sheets, rows, "H", "F")


def check(rule: str, severity: str = "logic", **kw) -> Check:
    d = CheckDef(id="t.x", rule=rule, forms=["T3"], severity=severity, source="test", **kw)
    parsed = [None if s is None else expr.parse(s) for s in (d.expr, d.formula, d.when)]
    return Check(d, "YJ101", severity, tuple(expr.parse(t) for t in d.terms), *parsed)


def name(fid: str) -> str:
    return fid.upper()


def test_expressions_translate_to_cells_of_the_normalised_column(book) -> None:
    ctx = formulas.Ctx(book, "表3", "表3")
    assert formulas.translate(expr.parse("a / (b + 2)"), ctx) == "($H$5/($H$6+2))"
    assert formulas.translate(expr.parse("-a * 0.5"), ctx) == "((-$H$5)*0.5)"
    assert formulas.translate(expr.parse("a >= 1 and not b == 0"), ctx) == "AND(($H$5>=1),NOT(($H$6=0)))"
    # On another sheet the reference names its sheet; on its own sheet it does not (a copied sheet reads itself).
    assert formulas.translate(expr.parse("a"), formulas.Ctx(book, "表3", "指标计算")) == "'表3'!$H$5"
    # Members: every sheet of the member form in the workbook; count() is how many there are. A sheet
    # deleted later leaves #REF! in its references and counts as gone.
    assert formulas.translate(expr.parse("sum(T3M.x)"), ctx) == \
        "(IF(ISERROR('成员1'!$H$9),0,'成员1'!$H$9)+IF(ISERROR('成员2'!$H$9),0,'成员2'!$H$9))"
    assert formulas.translate(expr.parse("count(T3M) + 1"), ctx) == \
        "((IF(ISERROR('成员1'!$A$1),0,1)+IF(ISERROR('成员2'!$A$1),0,1))+1)"
    present = ctx.present([expr.parse("sum(T3M.x) + a")])
    assert present == ["ISNUMBER($H$5)", "IF(ISERROR('成员1'!$H$9),TRUE,ISNUMBER('成员1'!$H$9))",
                       "IF(ISERROR('成员2'!$H$9),TRUE,ISNUMBER('成员2'!$H$9))"]


def test_a_field_without_a_row_cannot_be_translated(book) -> None:
    with pytest.raises(formulas.Untranslatable):
        formulas.translate(expr.parse("zzz"), formulas.Ctx(book, "表3", "表3"))


def test_le_fails_one_pair_at_a_time_after_the_inputs_are_present(book) -> None:
    live = formulas.live_check(check("le", terms=["a", "b + c"]), book, "表3", name)
    # a ≤ b + c fails when a > b + c + EPS (kinds.le); skipped (0) while a, b or c is not a number,
    # and while b + c is an error; no 说明 matters for a logic check.
    assert live.status == ["IF(AND(ISNUMBER($H$5),ISNUMBER($H$6),ISNUMBER($H$7)),"
                           "IF(OR(ISERROR(($H$6+$H$7))),0,IF($H$5>($H$6+$H$7)+1E-9,1,0)),0)"]
    assert live.rows == [("表3", "a"), ("表3", "b"), ("表3", "c")]
    assert live.failures[0].sides == {"le_lhs": {"a"}, "le_rhs": {"b", "c"}}
    three = formulas.live_check(check("le", terms=["a", "b", "c"]), book, "表3", name)
    assert [f.condition for f in three.failures] == ["$H$5>$H$6+1E-9", "$H$6>$H$7+1E-9"]  # one finding per pair


def test_plausibility_is_explained_by_a_note_on_any_row_of_its_terms(book) -> None:
    live = formulas.live_check(check("le", "plausibility", terms=["a", "b"]), book, "表3", name)
    assert live.status == ["IF(AND(ISNUMBER($H$5),ISNUMBER($H$6)),"
                           "IF($H$5>$H$6+1E-9,IF(OR(LEN(TRIM($F$5))>0,LEN(TRIM($F$6))>0),3,2),0),0)"]


def test_when_guards_the_check_and_its_fields_must_be_present(book) -> None:
    live = formulas.live_check(check("le", terms=["a", "0"], when="b == 0"), book, "表3", name)
    assert live.status == ["IF(AND(ISNUMBER($H$5),ISNUMBER($H$6)),"
                           "IF(OR(ISERROR(($H$6=0))),0,IF(($H$6=0),IF($H$5>0+1E-9,1,0),0)),0)"]


def test_tolerances_as_the_engine_uses_them(book) -> None:
    exact = formulas.live_check(check("eq", terms=["a", "b"]), book, "表3", name).failures[0]
    assert exact.condition == "NOT(ABS($H$5-$H$6)<=1E-9*MAX(1,ABS($H$6)))"
    both = check("recompute", "plausibility", expr="a", formula="b / c * 100", tolerance=Tolerance(abs=0.5, rel=0.15))
    cond = formulas.live_check(both, book, "表3", name).failures[0].condition
    e = "(($H$6/$H$7)*100)"
    assert cond == f"NOT(OR(ABS($H$5-{e})<=0.5+1E-9,ABS($H$5-{e})<=0.15*ABS({e})+1E-9))"
    rng = formulas.live_check(check("range", "plausibility", expr="a", min=1, max=30), book, "表3", name).failures[0]
    assert rng.condition == "OR($H$5<1-1E-9,$H$5>30+1E-9)"
    assert rng.args["min"] == '"1"' and rng.args["max"] == '"30"'


def test_an_unknown_kind_of_check_is_untranslatable(book, monkeypatch) -> None:
    monkeypatch.delitem(formulas.KINDS, "range")
    with pytest.raises(formulas.Untranslatable):
        formulas.live_check(check("range", "plausibility", expr="a", min=1), book, "表3", name)


def test_a_message_template_becomes_a_concatenation() -> None:
    args = {"rhs": '"总手术量"', "rhs_value": "ROUND($H$6,2)"}
    assert formulas.fill("✗ 不应大于 {rhs}（{rhs_value}）", args) == '"✗ 不应大于 "&"总手术量"&"（"&ROUND($H$6,2)&"）"'
    assert formulas.text('说"明"') == '"说""明"""'


def test_indicator_value_rounded_undefined_at_zero_and_trends_left_out(book) -> None:
    d = IndicatorDef(id="i", name="率", forms=["T3"], unit="%", source="t", numerator="a", denominator="b + c",
                     factor=100, complement=True, decimals=1)
    live = formulas.live_indicator(Indicator(d, expr.parse("a"), expr.parse("b + c"), None), book, "表3", "指标计算", "分母为 0")
    n, den = "'表3'!$H$5", "('表3'!$H$6+'表3'!$H$7)"
    guard = "IF(AND(ISNUMBER('表3'!$H$5),ISNUMBER('表3'!$H$6),ISNUMBER('表3'!$H$7)),IF(OR(ISERROR(" + den + ")),\"\","
    # (1 − a ÷ (b + c)) × 100, rounded to one decimal as compute shows it; "" while an input is missing or b + c = 0.
    assert live.value == guard + f'IF({den}=0,"",ROUND((1-{n}/{den})*100,1))),"")'
    assert live.numerator == f'IF(ISNUMBER({n}),{n},"")'
    trend = IndicatorDef(id="g", name="增长", forms=["T3"], unit="%", source="t", kind="growth", of="a")
    with pytest.raises(formulas.Untranslatable):
        formulas.live_indicator(Indicator(trend, None, None, expr.parse("a")), book, "表3", "指标计算", "")


def test_normalised_values_mirror_what_validate_reads() -> None:
    yesno = normalise("yesno", "C5")  # the reader's words for yes and no, from yjzl/workbook/values.py
    assert yesno.startswith("IF(OR(") and 'TRIM(C5)="是"' in yesno and 'TRIM(C5)="有"' in yesno
    assert yesno.index('TRIM(C5)="否"') > yesno.index(",1,IF(OR(") and yesno.endswith(',0,""))')
    count = normalise("count", "C5")
    assert count.startswith('IF(ISNUMBER(C5),IF(AND(C5>=0,C5=INT(C5)),C5,""),IF(ISERROR(VALUE(TRIM(C5))),"",')
    assert "INT(" not in normalise("amount", "C5")


@pytest.mark.parametrize("forms", [["表1"], ["表2"], ["表3"], ["表4"], ["all"]])
def test_every_formula_uses_shared_functions_within_excel_limits(cat, forms) -> None:
    wb = build_template(cat, forms)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    seen += 1
                    body = re.sub(r'"(?:[^"]|"")*"', '""', c.value)  # function names outside string literals
                    assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", body)) <= SHARED, c.coordinate
                    assert len(c.value) <= 8192  # Excel's limit on a formula's length
                    assert all(len(s) <= 257 for s in re.findall(r'"(?:[^"]|"")*"', c.value))  # 255 per literal
        for dv in ws.data_validations.dataValidation:
            assert len(dv.formula1 or "") <= 255  # Excel drops a longer validation formula
    assert seen > 100


def test_a_check_without_formula_gets_a_row_note_and_is_counted(cat, monkeypatch) -> None:
    """No kind lacks a translator today; take one away to see what a template says then."""
    monkeypatch.delitem(formulas.KINDS, "range")
    wb, audit = build_with_audit(cat, ["表3"])
    ranges = [c.id for c in cat.checks_for("T3") if c.defn.rule == "range"]
    assert audit.untranslated_checks["表3"] == ranges
    notes = [c.comment.text for row in wb["表3"].iter_rows(min_col=4, max_col=4) for c in row if c.comment]
    assert notes and all(n.startswith("以下审核不能在表格中实时计算，上报审核时检查：\n") for n in notes)
    assert not any("yjzl" in n or ".plausible" in n for n in notes)  # no command, no internal id
    # the header's 可以上报 promises no more than the sheet checks: it says how many run on submission
    assert f"另有 {len(ranges)} 项审核不能在表格中实时计算，上报审核时检查" in wb["表3"]["B2"].value
    assert build_with_audit(cat, ["表3"])[1].untranslated_checks  # still gone within this test
    monkeypatch.undo()
    assert build_with_audit(cat, ["表3"])[1].untranslated_checks == {}


def test_trend_indicators_are_counted_and_rows_follow_the_sheets(cat) -> None:
    wb, audit = build_with_audit(cat, ["表4"])
    expected = [(s, i.id) for s, f in (("表4", "T4"), ("表4（乡镇卫生院）", "T4M")) for i in cat.indicators_for(f)]
    assert audit.indicator_rows == expected
    trends = sum(i.defn.kind != "ratio" for _, f in (("", "T4"), ("", "T4M")) for i in cat.indicators_for(f))
    assert audit.trend_indicators == trends
    ws = wb["指标计算"]
    for r, (sheet, ind_id) in enumerate(expected, start=3):
        assert ws.cell(r, 1).value == sheet and ws.cell(r, 2).value == cat.indicators[ind_id].defn.name


def test_a_target_due_later_reads_not_due_before_its_year(cat, monkeypatch) -> None:
    """The hook for a target's due year (`by`): 未到期 while the period ends before the year's end."""
    from types import SimpleNamespace

    ind = next(i for i in cat.indicators_for("T1") if i.targets and i.defn.kind == "ratio")
    due = SimpleNamespace(set="national", op=">=", value=95.0, by=2020)
    monkeypatch.setattr(ind, "targets", [due])
    ws = build_template(cat, ["表1"])["指标计算"]
    r = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 2).value == ind.defn.name)
    assert ws.cell(r, 7).value == "≥95"
    status = ws.cell(r, 8).value
    assert status.startswith(f'=IF(ISNUMBER($E${r}),IF($E${r}>=95,"达标",IF(ISERROR(VALUE(LEFT(TRIM(')
    # An approximation's tolerance (where the catalogue has one): ≥ 90 within 1 is ≥ 89; == 100 within 5.
    from yjzl.template.live import _met
    assert _met(SimpleNamespace(op=">=", value=90.0, tolerance=1.0), "E5") == "E5>=89"
    assert _met(SimpleNamespace(op="<=", value=10.0, tolerance=0.5), "E5") == "E5<=10.5"
    assert _met(SimpleNamespace(op="==", value=100.0, tolerance=5.0), "E5") == "ABS(E5-100)<=5+1E-9"
    assert _met(SimpleNamespace(op="==", value=100.0), "E5") == "ABS(E5-100)<=0+1E-9"
    assert "VALUE(LEFT(TRIM('表1'!$C$" in status  # the year of the form's period field (role: period)
    # due when the period ends on or after 2020-12-31 (issue 25 §1): an earlier year, or 2020's first half, is 未到期
    assert '<2020,AND(VALUE(LEFT(TRIM(' in status and '=2020,OR(ISNUMBER(SEARCH("上半年",' in status
    assert ')),"未到期","未达标")' in status


def test_entry_statuses_mirror_the_readers_input_findings() -> None:
    dash = is_dash("C5")  # every character of values._DASHES (after NFKC) removed, nothing left
    assert dash.startswith("LEN(SUBSTITUTE(") and dash.count("SUBSTITUTE(") == 13 and '"－"' in dash
    # Blank: 4 when required (YJ001), else 0; a number: 0; dashes: 0 (not counted); anything else: 1.
    assert entry_status("count", "C5", "H5", "F5", True) == f"IF(LEN(TRIM(C5))=0,4,IF(ISNUMBER(H5),0,IF({dash},0,1)))"
    assert entry_status("text", "C5", "H5", "F5", True) == "IF(LEN(TRIM(C5))=0,4,0)"
    assert entry_status("text", "C5", "H5", "F5", False) == "0"  # optional text: nothing to check
    # 0 < x ≤ 1 in a per-cent field: 2, or 3 with a 说明 on the row (YJ011 explained).
    assert "IF(AND(H5>0,H5<=1),IF(LEN(TRIM(F5))>0,3,2),0)" in entry_status("percent", "C5", "H5", "F5", True)
