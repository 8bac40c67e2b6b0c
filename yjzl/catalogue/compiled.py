"""The catalogue ready to run: entries indexed, expressions parsed, overlays applied.

A `Compiled` catalogue is what the rules engine, the reader and the template
writer use. It is built once from the validated schema objects and pickled to
the cache (see `loader.py`), so a warm run neither parses YAML nor imports
pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from yjzl.catalogue import expr
from yjzl.catalogue.schema import (
    Catalogue,
    CheckDef,
    FieldDef,
    FormDef,
    IndicatorDef,
    Severity,
    TargetDef,
    Text,
)
from yjzl.period import Period
from yjzl.text import label_key

# The stable code of each kind of check (see yjzl/rules/registry.py).
RULE_CODES = {"le": "YJ101", "eq": "YJ102", "range": "YJ201", "recompute": "YJ202"}


@dataclass(slots=True)
class Check:
    defn: CheckDef
    code: str
    severity: Severity
    terms: tuple[expr.Node, ...]
    expr: expr.Node | None
    formula: expr.Node | None
    when: expr.Node | None
    # Worked out once here, not for every finding of a batch:
    reads: frozenset[str] = field(init=False, default=frozenset())  # the form's fields any of its expressions read
    compared: tuple[str, ...] = field(init=False, default=())  # those its compared values read (not `when`), sorted

    def __post_init__(self) -> None:
        self.reads = frozenset().union(*(expr.fields(n) for n in self.nodes))
        compared = (n for n in (*self.terms, self.expr, self.formula) if n is not None)
        self.compared = tuple(sorted(set().union(*(expr.fields(n) for n in compared))))

    @property
    def id(self) -> str:
        return self.defn.id

    @property
    def nodes(self) -> list[expr.Node]:
        """Every expression the check reads: terms, expr, formula and its `when` guard."""
        return [*self.terms, *(n for n in (self.expr, self.formula, self.when) if n is not None)]

    @property
    def located(self) -> list[expr.Node]:
        """The expressions whose cells a finding names (validate and the template's live marks alike): a `le`/`eq`
        guard is half of the contradiction (否 beside 120 元), a range's or recompute's only says the value means
        something (discharges > 0), so those name the value's cells alone."""
        return self.nodes if self.defn.rule in ("le", "eq") else [n for n in self.nodes if n is not self.when]


@dataclass(slots=True)
class Indicator:
    defn: IndicatorDef
    numerator: expr.Node | None
    denominator: expr.Node | None
    of: expr.Node | None
    targets: list[TargetDef] = field(default_factory=list)
    unit_en: str | None = None  # the unit in English, from the catalogue's `units`

    @property
    def id(self) -> str:
        return self.defn.id


@dataclass(slots=True)
class Compiled:
    source: Catalogue
    overlays: list[str]
    forms: dict[str, FormDef]
    fields: dict[str, dict[str, FieldDef]]  # form id → local id → field
    labels: dict[str, dict[str, list[str]]]  # form id → label key → local ids (document order)
    indicators: dict[str, Indicator]
    checks: list[Check]
    disabled: set[str]
    overlay_files: list[str] = field(default_factory=list)  # the overlays' file names, as YJ013 advises them

    @property
    def version(self) -> str:
        return self.source.catalogue.version

    @property
    def label(self) -> str:
        """The catalogue as reports and templates name it: "<id> <version>[ + overlays]"."""
        meta = self.source.catalogue
        return f"{meta.id} {meta.version}" + (" + " + ", ".join(self.overlays) if self.overlays else "")

    def default_period(self) -> Period | None:
        """The evaluation's period as the catalogue declares it (S004: 2019-01-01 to 2019-06-30)."""
        p = self.source.catalogue.period
        return Period(p.start, p.end, "catalogue") if p else None

    def field(self, form_id: str, local_id: str) -> FieldDef:
        return self.fields[form_id][local_id]

    def find_form(self, name: str) -> FormDef | None:
        """A form by id (T3M), code (表3（成员单位）) or a sheet name it is known by."""
        key = label_key(name)
        for form in self.forms.values():
            names = [form.id, form.code, form.title, *form.sheet_names]
            if any(label_key(n) == key for n in names):
                return form
        return None

    def members_of(self, form_id: str) -> list[FormDef]:
        return [f for f in self.forms.values() if f.member_of == form_id]

    def indicators_for(self, form_id: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if form_id in i.defn.forms]

    def checks_for(self, form_id: str) -> list[Check]:
        return [c for c in self.checks if form_id in c.defn.forms]


def _parse(text: str | None) -> expr.Node | None:
    return None if text is None else expr.parse(text)


def _inherit_optional(form: FormDef) -> FormDef:
    """A 其中 part of an optional item is optional too (表3 20.–24. print （选填） on the item only).

    Derived here, once, rather than written on each part: the reader, the template and
    `catalogue show` then all see the same `optional`.
    """
    by_id = {d.id: d for d in form.fields}

    def optional(d: FieldDef) -> bool:
        seen: set[str] = set()
        node: FieldDef | None = d
        while node is not None and node.id not in seen:  # a cycle is refused by soundness; stay safe anyway
            if node.optional:
                return True
            seen.add(node.id)
            node = by_id.get(node.part_of) if node.part_of else None
        return False

    inherited = [replace(d, optional=True) if not d.optional and optional(d) else d for d in form.fields]
    return form if all(a is b for a, b in zip(inherited, form.fields)) else replace(form, fields=inherited)


def indicator_expression(d: IndicatorDef) -> str | None:
    """A ratio indicator's value as one expression of its form's fields (None for a trend)."""
    if d.kind != "ratio" or not d.numerator or not d.denominator:
        return None
    ratio = f"({d.numerator}) / ({d.denominator})"
    return f"(1 - {ratio}) * {d.factor:g}" if d.complement else f"{ratio} * {d.factor:g}"


def plausible_checks(cat: Catalogue) -> list[CheckDef]:
    """One range check (plausibility) per indicator with a `plausible:` range, on the indicator's own formula.

    Generated, not written, so the range and its indicator cannot drift apart; the message names the
    indicator, and the finding's cells are those of its numerator and denominator.
    """
    out = []
    for d in cat.indicators:
        text = indicator_expression(d)
        if d.plausible is None or text is None or (d.plausible.min is None and d.plausible.max is None):
            continue  # no range, or one declared unbounded (its note says why)
        unit = "" if d.unit in ("%", "‰") else f" {d.unit}"
        out.append(CheckDef(
            id=f"{d.id}.plausible", rule="range", forms=list(d.forms), severity="plausibility", source=d.source,
            expr=text, min=d.plausible.min, max=d.plausible.max, note=d.plausible.note,
            message=Text(f"「{d.name}」按本表数据为 {{value}}{d.unit if unit == '' else unit}，超出合理范围 {{min}}–{{max}}，请核实",
                         f"'{d.name_en or d.name}' is {{value}}{d.unit if unit == '' else unit} from this form's figures, "
                         "outside the plausible range {min}–{max}; please verify"),
        ))
    return out


def compile_catalogue(cat: Catalogue, overlays: list[str], disabled: set[str], severity: dict[str, Severity],
                      overlay_files: list[str] | None = None) -> Compiled:
    """Index a sound catalogue. Call only after soundness has passed."""
    forms = {f.id: _inherit_optional(f) for f in cat.forms}
    fields = {f.id: {d.id: d for d in f.fields} for f in forms.values()}
    labels: dict[str, dict[str, list[str]]] = {}
    for form in forms.values():
        index: dict[str, list[str]] = {}
        for d in form.fields:
            for text in (d.label, d.printed, *d.aliases):
                if text:
                    ids = index.setdefault(label_key(text), [])
                    if d.id not in ids:
                        ids.append(d.id)
        labels[form.id] = index
    indicators = {
        i.id: Indicator(i, _parse(i.numerator), _parse(i.denominator), _parse(i.of),
                        unit_en=cat.units.get(i.unit)) for i in cat.indicators
    }
    for t in cat.targets:
        indicators[t.indicator].targets.append(t)
    checks = [
        Check(
            defn=c,
            code=RULE_CODES[c.rule],
            severity=severity.get(c.id, c.severity),
            terms=tuple(expr.parse(t) for t in c.terms),
            expr=_parse(c.expr),
            formula=_parse(c.formula),
            when=_parse(c.when),
        )
        for c in [*cat.checks, *plausible_checks(cat)]
        if c.id not in disabled
    ]
    return Compiled(cat, overlays, forms, fields, labels, indicators, checks, disabled, list(overlay_files or overlays))
