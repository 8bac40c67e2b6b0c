"""What the reader makes of one form in one sheet: values, their cells, explanations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from yjzl.catalogue.expr import MISSING, Value


@dataclass(slots=True)
class FieldValue:
    value: object  # float, str, MISSING, or None (blank / unreadable)
    column: str  # the cell's sheet and column, "表1!C": one string shared by every row of a table
    row: int
    explanation: str | None = None  # text in the 说明 column of the same row
    raw: object = None  # what the cell held, kept only when it could not be read as the field's kind (for collect)

    @property
    def cell(self) -> str:
        """"表1!C5". Made when asked: a table of 100 000 rows × 80 fields would hold 8 million of them."""
        return f"{self.column}{self.row}"


@dataclass(slots=True)
class InputIssue:
    """A problem with one cell or one field, found while reading (codes YJ0xx)."""

    code: str
    cells: list[str]
    field_id: str | None = None
    detail: str = ""  # what was typed, or a hint


@dataclass(slots=True)
class FormData:
    file: str
    sheet: str
    form_id: str
    identified_by: str  # "sheet name" | "title" | "template" | "labels" | "header" | "form column" | "--form"
    values: dict[str, FieldValue] = field(default_factory=dict)
    issues: list[InputIssue] = field(default_factory=list)
    layout: str = ""  # e.g. "B=指标 C=数值 E=说明"
    layout_name: str = "form"  # the layout unit that read it: form | summary | long (yjzl/workbook/layouts/)
    row: int | None = None  # a table's row holding this submission (its first row in a long table)
    consortium: str | None = None  # a member row's lead (name or code), from a 所属医联体/牵头医院 column

    def get(self, field_id: str) -> Value:
        """A field's number for the rules engine; MISSING for --, blanks and bad cells."""
        fv = self.values.get(field_id)
        if fv is None or not isinstance(fv.value, float):
            return MISSING
        return fv.value

    def numbers(self) -> Iterator[tuple[str, float]]:
        """(field id, number) of the fields that hold one (what `get` reads as not MISSING), for
        yjzl.period.getter, which makes them its one dict."""
        return ((fid, fv.value) for fid, fv in self.values.items() if isinstance(fv.value, float))  # type: ignore[misc]

    def text(self, field_id: str) -> str | None:
        fv = self.values.get(field_id)
        if fv is None or fv.value is None or fv.value is MISSING:
            return None
        return fv.value if isinstance(fv.value, str) else f"{fv.value:g}"


@dataclass(slots=True)
class SheetNote:
    """A sheet that was not read as a form, and why."""

    sheet: str
    reason: str


@dataclass(slots=True)
class WorkbookData:
    file: str
    forms: list[FormData] = field(default_factory=list)
    skipped: list[SheetNote] = field(default_factory=list)
