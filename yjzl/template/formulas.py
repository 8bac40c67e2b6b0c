"""Translate the catalogue's expressions, checks and indicators into spreadsheet formulas.

One generic translator: an expression node becomes a formula over the hidden
"normalised value" cells of a template (see live.py: a number ≥ 0, 是 → 1,
否 → 0, and "" for a blank, `--` or anything yjzl would not read as a number,
so that ISNUMBER() says "present" exactly where `FormData.get` says not
MISSING). Each kind of check is one small function registered in KINDS, the
twin of `yjzl.rules.kinds.EVALUATORS`; nothing here knows a check or an
indicator by id.

Missing inputs and undefined rates are handled as the engine does: a check is
evaluated only when every field it reads is present (ISNUMBER) and none of its
expressions is an error (a division by zero is #DIV/0!, the engine's UNDEFINED).
IF() short-circuits in Excel, WPS and LibreOffice; AND()/OR() do not, so the
guards are nested IFs. Only functions the three share are used: IF, AND, OR,
NOT, ISNUMBER, ISERROR, ABS, ROUND, MAX, LEN, TRIM here, and VALUE, INT, MOD,
SUBSTITUTE, LEFT, COUNTIF, SEARCH in entries.py and live.py (no IFS, LET,
LAMBDA, TEXTJOIN, CONCAT, dynamic arrays; tests/test_template_formulas.py
checks every formula of every template against that list).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Check, Compiled, Indicator
from yjzl.period import QUANTITIES, Period
from yjzl.rules.kinds import EPS

_EPS = f"{EPS:.0E}".replace("E-0", "E-")  # the engine's EPS as a formula constant: 1E-9
LOGIC, PENDING, EXPLAINED = 1, 2, 3  # status cell values; 0 = passed, skipped or not applicable


class Untranslatable(ValueError):
    """A construct with no spreadsheet formula (the template notes it on the row instead)."""


@dataclass(slots=True)
class Book:
    """Where the template keeps each field's normalised value, and which sheets relate.

    `sheets`: sheet name → form id, in workbook order; `rows[sheet][field id]` the field's row;
    `value_col` the (hidden) column of normalised values; `note_col` the 说明 column.
    """

    cat: Compiled
    sheets: dict[str, str]
    rows: dict[str, dict[str, int]]
    value_col: str
    note_col: str
    # The statistics period the live audit assumes (the catalogue's default, S004's 2019 H1): its days and
    # working days are constants of the template (`period_days` → 181), as `yjzl validate` reads them
    # without --period or 统计年度. None: a check that reads the period has no formula.
    period: Period | None = None

    def quantity(self, name: str) -> str:
        """A period quantity (period_days, period_working_days) as a constant of the template."""
        if self.period is None:
            raise Untranslatable(f"no statistics period for {name}")
        return number(float(QUANTITIES[name][0](self.period)))

    def ref(self, sheet: str, fid: str, here: str, col: str | None = None) -> str:
        """The cell of a field as written in a formula on sheet `here` (unqualified on its own sheet,
        so that a copied sheet reads its own cells)."""
        row = self.rows[sheet].get(fid)
        if row is None:
            raise Untranslatable(f"{sheet}: no row for {fid}")
        cell = f"${col or self.value_col}${row}"
        return cell if sheet == here else f"{quote(sheet)}!{cell}"

    def members(self, sheet: str, form_id: str) -> list[str]:
        """The sheets of `form_id` that a check of `sheet` aggregates (the engine's relation, one book)."""
        from yjzl.rules.engine import member_forms

        if form_id not in member_forms(self.cat, self.sheets[sheet]):
            return []
        return [s for s, f in self.sheets.items() if f == form_id]


def field_ids(node: expr.Node) -> set[str]:
    """The form fields a node reads: its cells (the period's quantities are constants, not cells)."""
    return expr.fields(node) - QUANTITIES.keys()


def quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def text(s: str) -> str:
    """A string literal (Excel caps one literal at 255 characters)."""
    return '"' + s[:250].replace('"', '""') + '"'


def number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def shown(formula: str) -> str:
    """A number as yjzl writes it in a message (kinds.fmt): at most two decimals, no trailing zeros."""
    return f"ROUND({formula},2)"


@dataclass(slots=True)
class Ctx:
    book: Book
    sheet: str  # the sheet whose values the expression reads (the check's or indicator's form)
    here: str  # the sheet the formula is written on

    def value(self, node: expr.Node) -> str:
        return translate(node, self)

    def present(self, nodes: list[expr.Node]) -> list[str]:
        """One ISNUMBER() per input cell the nodes read (own fields, and member fields via sum())."""
        cells: list[str] = []
        for n in nodes:
            for fid in sorted(field_ids(n)):
                cells.append(self.book.ref(self.sheet, fid, self.here))
            for form_id, fid in sorted(expr.member_refs(n), key=str):
                if fid is not None:  # a deleted member sheet leaves #REF!: no longer a member, not missing
                    cells += [f"IF(ISERROR({r}),TRUE,ISNUMBER({r}))" for r in self.member_cells(form_id, fid)]
        return [c if c.startswith("IF(") else f"ISNUMBER({c})" for c in dict.fromkeys(cells)]

    def member_cells(self, form_id: str, fid: str) -> list[str]:
        return [self.book.ref(m, fid, self.here) for m in self.book.members(self.sheet, form_id)]


_OPS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def translate(node: expr.Node, ctx: Ctx) -> str:
    """An expression node as a formula (no leading "=")."""
    tag = node[0]
    if tag == "n":
        return number(node[1])
    if tag == "f":
        if node[1] in QUANTITIES:
            return ctx.book.quantity(node[1])
        return ctx.book.ref(ctx.sheet, node[1], ctx.here)
    if tag in ("+", "-", "*", "/"):
        return f"({translate(node[1], ctx)}{tag}{translate(node[2], ctx)})"
    if tag == "neg":
        return f"(-{translate(node[1], ctx)})"
    # Member sheets: those of the workbook when the template was made. One the user deletes turns its
    # references into #REF!, and it drops out of count() and sum() as it drops out of `yjzl validate`.
    if tag == "count":
        refs = [f"{quote(m)}!$A$1" for m in ctx.book.members(ctx.sheet, node[1])]
        return "(" + "+".join(f"IF(ISERROR({r}),0,1)" for r in refs) + ")" if refs else "0"
    if tag == "sum":
        refs = ctx.member_cells(node[1], node[2])
        return "(" + "+".join(f"IF(ISERROR({r}),0,{r})" for r in refs) + ")" if refs else "0"
    if tag == "cmp":
        return f"({translate(node[2], ctx)}{_OPS[node[1]]}{translate(node[3], ctx)})"
    if tag in ("and", "or"):
        return f"{tag.upper()}({translate(node[1], ctx)},{translate(node[2], ctx)})"
    if tag == "not":
        return f"NOT({translate(node[1], ctx)})"
    raise Untranslatable(f"no formula for the construct {tag!r}")


def guarded(ctx: Ctx, nodes: list[expr.Node], then: str, otherwise: str) -> str:
    """`then` when every input is present and no expression is an error (÷ 0), else `otherwise`."""
    present = ctx.present(nodes)
    errors = [f"ISERROR({ctx.value(n)})" for n in nodes if n[0] not in ("n", "f")]
    inner = f"IF(OR({','.join(errors)}),{otherwise},{then})" if errors else then
    if not present:
        return inner
    test = present[0] if len(present) == 1 else f"AND({','.join(present)})"
    return f"IF({test},{inner},{otherwise})"


# ---- checks ------------------------------------------------------------------------------------

@dataclass(slots=True)
class Failure:
    """One way a check fails (one finding of `yjzl validate`): its condition and its texts.

    `condition` is a formula true when the check fails, valid once the inputs are guarded;
    `args` the message arguments of the catalogue's templates as formulas of text;
    `sides` which fields' rows get which short text key ("lhs": the value that is too big …).
    """

    condition: str
    args: dict[str, str]
    sides: dict[str, set[str]] = field(default_factory=dict)


def _within(value: str, expected: str, check: Check) -> str:
    """kinds._within as a formula."""
    tol = check.defn.tolerance
    diff = f"ABS({value}-{expected})"
    if tol is None:
        return f"{diff}<={_EPS}*MAX(1,ABS({expected}))"
    parts = []
    if tol.abs is not None:
        parts.append(f"{diff}<={number(tol.abs)}+{_EPS}")
    if tol.rel is not None:
        parts.append(f"{diff}<={number(tol.rel)}*ABS({expected})+{_EPS}")
    return parts[0] if len(parts) == 1 else f"OR({','.join(parts)})"


def _le(check: Check, ctx: Ctx, name: Callable[[str], str]) -> list[Failure]:
    out = []
    for a, b in zip(check.terms, check.terms[1:]):
        x, y = ctx.value(a), ctx.value(b)
        out.append(Failure(f"{x}>{y}+{_EPS}", {
            "lhs": text(expr.render(a, name)), "lhs_value": shown(x), "rhs": text(expr.render(b, name)), "rhs_value": shown(y)},
            {"le_lhs": field_ids(a), "le_rhs": field_ids(b)}))
    return out


def _eq(check: Check, ctx: Ctx, name: Callable[[str], str]) -> list[Failure]:
    first, x = check.terms[0], ctx.value(check.terms[0])
    out = []
    for b in check.terms[1:]:
        y = ctx.value(b)
        out.append(Failure(f"NOT({_within(x, y, check)})", {
            "lhs": text(expr.render(first, name)), "lhs_value": shown(x), "rhs": text(expr.render(b, name)),
            "rhs_value": shown(y), "diff": shown(f"ABS({x}-{y})")},
            {"eq_lhs": field_ids(first), "eq_rhs": field_ids(b)}))
    return out


def _range(check: Check, ctx: Ctx, name: Callable[[str], str]) -> list[Failure]:
    d, v = check.defn, ctx.value(check.expr)  # type: ignore[arg-type]
    tests = ([f"{v}<{number(d.min)}-{_EPS}"] if d.min is not None else []) + (
        [f"{v}>{number(d.max)}+{_EPS}"] if d.max is not None else [])
    cond = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
    lo = number(d.min) if d.min is not None else "−∞"
    hi = number(d.max) if d.max is not None else "∞"
    return [Failure(cond, {"expr": text(expr.render(check.expr, name)), "value": shown(v),  # type: ignore[arg-type]
                           "min": text(lo), "max": text(hi)}, {"range": field_ids(check.expr)})]  # type: ignore[arg-type]


def _recompute(check: Check, ctx: Ctx, name: Callable[[str], str]) -> list[Failure]:
    v, e = ctx.value(check.expr), ctx.value(check.formula)  # type: ignore[arg-type]
    tol = check.defn.tolerance
    tolerance = " / ".join(x for x in (
        number(tol.abs) if tol and tol.abs is not None else "",
        f"{tol.rel:.0%}" if tol and tol.rel is not None else "") if x)
    return [Failure(f"NOT({_within(v, e, check)})", {
        "expr": text(expr.render(check.expr, name)), "value": shown(v),  # type: ignore[arg-type]
        "formula": text(expr.render(check.formula, name)), "expected": shown(e), "tolerance": text(tolerance)},  # type: ignore[arg-type]
        {"recompute_expr": field_ids(check.expr), "recompute_formula": field_ids(check.formula)})]  # type: ignore[arg-type]


# One translator per kind of check, as kinds.EVALUATORS has one evaluator per kind.
KINDS: dict[str, Callable[[Check, Ctx, Callable[[str], str]], list[Failure]]] = {
    "le": _le, "eq": _eq, "range": _range, "recompute": _recompute}


@dataclass(slots=True)
class LiveCheck:
    """A check ready for the sheet: one status formula per failure, and what to show on which rows."""

    check: Check
    sheet: str
    failures: list[Failure]
    status: list[str]  # formulas giving 0 / LOGIC / PENDING / EXPLAINED, written on `sheet`
    rows: list[tuple[str, str]]  # (sheet, field id) of every cell the check reads, as validate lists them
    first_status_row: int = 0  # set by the sheet writer: where its status cells begin


def live_check(check: Check, book: Book, sheet: str, name: Callable[[str], str]) -> LiveCheck:
    """Translate one check of the form on `sheet`; raises Untranslatable."""
    if check.defn.rule not in KINDS:
        raise Untranslatable(f"no formula for the kind of check {check.defn.rule!r}")
    ctx = Ctx(book, sheet, sheet)
    failures = KINDS[check.defn.rule](check, ctx, name)
    own = [*check.terms, *(n for n in (check.expr, check.formula) if n is not None)]
    if check.severity == "logic":
        flag = str(LOGIC)
    else:  # explained when a 说明 is written on any row the check's terms read (engine._explanations)
        notes = sorted({book.ref(sheet, f, sheet, book.note_col) for n in own for f in field_ids(n)})
        flag = f"IF(OR({','.join(f'LEN(TRIM({c}))>0' for c in notes)}),{EXPLAINED},{PENDING})" if notes else str(PENDING)
    status = []
    for fail in failures:
        inner = f"IF({fail.condition},{flag},0)"
        if check.when is not None:
            inner = f"IF({ctx.value(check.when)},{inner},0)"
        inner = guarded(ctx, check.nodes, inner, "0")
        if check.defn.across:  # every member sheet deleted: validate skips the check, so do we
            inner = f"IF({translate(('count', check.defn.across), ctx)}>0,{inner},0)"
        status.append(inner)
    rows = [(sheet, f) for n in check.located for f in sorted(field_ids(n))]
    for n in check.located:
        for form_id, fid in sorted(expr.member_refs(n), key=str):
            if fid is not None:
                rows += [(m, fid) for m in book.members(sheet, form_id)]
    return LiveCheck(check, sheet, failures, status, list(dict.fromkeys(rows)))


def fill(template: str, args: dict[str, str]) -> str:
    """A message template with `{arg}` places as a concatenation formula of its literal parts and args."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            parts.append(text(literal))
        if name is not None:
            parts.append(args[name])  # & turns a number into its text as General shows it
    return "&".join(parts) or '""'


# ---- indicators --------------------------------------------------------------------------------

@dataclass(slots=True)
class LiveIndicator:
    numerator: str  # formula texts, each "" while an input is missing
    denominator: str
    value: str
    note: str  # "" or why there is no value: the denominator is 0


def live_indicator(ind: Indicator, book: Book, sheet: str, here: str, zero_text: str) -> LiveIndicator:
    """Numerator, denominator and value of a ratio indicator (yjzl.rules.indicators.value_of), rounded
    to its decimals; raises Untranslatable for a trend, which needs an earlier period."""
    if ind.defn.kind != "ratio" or ind.numerator is None or ind.denominator is None:
        raise Untranslatable("a trend needs the previous period")
    ctx = Ctx(book, sheet, here)
    nodes = [ind.numerator, ind.denominator]
    num, den = ctx.value(ind.numerator), ctx.value(ind.denominator)
    ratio = f"(1-{num}/{den})" if ind.defn.complement else f"{num}/{den}"
    value = f"ROUND({ratio}*{number(ind.defn.factor)},{ind.defn.decimals})"
    return LiveIndicator(
        guarded(ctx, [ind.numerator], num, '""'),
        guarded(ctx, [ind.denominator], den, '""'),
        guarded(ctx, nodes, f"IF({den}=0,\"\",{value})", '""'),
        guarded(ctx, nodes, f"IF({den}=0,{text(zero_text)},\"\")", '""'),
    )
