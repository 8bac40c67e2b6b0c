"""Every kind of finding yjzl reports, with its stable code, name and default severity.

Codes never change meaning once released; new kinds get new codes.

- YJ0xx: reading the workbook (one cell or one field);
- YJ1xx: logic checks of the catalogue (表内表间审核: must be fixed);
- YJ2xx: plausibility checks (合理性审核: may stand, explained): the catalogue's, and YJ203, a value against
  the unit's own earlier rounds (yjzl/rules/history.py), whose message is here.

A catalogue check may override the default severity of its kind (a `le` check
can be a plausibility check). The messages of YJ1xx/YJ2xx come from the
catalogue (`messages:` and each check's own `message:`); the messages of the
YJ0xx kinds are here, because they concern the workbook, not the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    code: str
    name: str
    severity: str  # default: "error" | "warning"
    doc: str
    zh: str = ""
    en: str = ""


KINDS: dict[str, Kind] = {k.code: k for k in [
    Kind("YJ001", "blank-required", "error", "A required field's value cell is blank.",
         "「{label}」未填写{hint}", "'{label}' is blank{hint}"),  # the hint by the field's kind (engine.BLANK_HINTS)
    Kind("YJ002", "required-absent", "error", "A required field has no row in the sheet.",
         "工作表「{detail}」缺少必填指标「{label}」：找不到这一行", "sheet '{detail}' has no row for the required field '{label}'"),
    Kind("YJ003", "not-a-number", "error", "A numeric field holds text that is not a number.",
         "「{label}」应为数字，填的是“{detail}”", "'{label}' must be a number, not '{detail}'"),
    Kind("YJ004", "not-whole", "error", "A count is not a whole number.",
         "「{label}」是计数，应为整数，填的是 {detail}", "'{label}' is a count and must be whole, not {detail}"),
    Kind("YJ005", "negative", "error", "A number is negative.",
         "「{label}」不能为负数，填的是 {detail}", "'{label}' cannot be negative: {detail}"),
    Kind("YJ006", "unknown-label", "warning", "A row's label matches no field of the form.",
         "无法识别的指标名称“{detail}”{hint}", "unrecognised label '{detail}'{hint}"),
    Kind("YJ007", "formula-not-computed", "error", "A formula cell has no computed value.",
         "「{label}」是公式，但文件中没有计算结果：请在 Excel/WPS 中打开并保存后再审核",
         "'{label}' is a formula with no computed value: open and save the file in Excel/WPS first"),
    Kind("YJ008", "excel-error", "error", "A cell holds an Excel error value.",
         "「{label}」的单元格是错误值 {detail}", "'{label}' holds the Excel error {detail}"),
    Kind("YJ009", "not-yes-no", "error", "A yes/no field holds something other than 是/否.",
         "「{label}」应填“是”或“否”，填的是“{detail}”", "'{label}' must be 是 or 否 (yes/no), not '{detail}'"),
    Kind("YJ010", "duplicate-label", "error", "A field's label appears in more rows than the form prints it.",
         "指标「{label}」在表中出现了不止一次，请只保留一行", "'{label}' appears in more than one row: keep one"),
    Kind("YJ011", "percent-as-fraction", "warning", "A percent field holds a number ≤ 1 typed without %.",
         "「{label}」以百分数填报（85 表示 85%），填的是 {detail}：如果是小数形式，请改为 {percent}",
         "'{label}' is in per cent (85 means 85 %), but holds {detail}: if that is a fraction, enter {percent}"),
    Kind("YJ012", "date-in-number", "error", "A numeric field's cell is formatted as a date.",
         "「{label}」应为数字，但单元格是日期格式（{detail}），请将单元格格式改为“常规”或“数值”",
         "'{label}' must be a number, but the cell is formatted as a date ({detail}): use General or Number"),
    Kind("YJ013", "template-catalogue", "warning", "The template was made from another catalogue version or overlays.",
         "工作簿由指标目录 {detail} 的模板填报，本次审核用的是 {hint}：表样可能已变，请用 yjzl template 重新生成模板",
         "the workbook was filled in a template of catalogue {detail}, audited against {hint}: regenerate the template"),
    Kind("YJ014", "period-unreadable", "warning", "The form's 统计年度 cannot be read as a statistics period.",
         "「{label}」填的是“{detail}”，无法识别为统计周期（可写 2019、2019年上半年、2019-01-01:2019-06-30）；按{hint}审核",
         "'{label}' holds '{detail}', not a statistics period (write 2019, 2019H1 or 2019-01-01:2019-06-30); audited as {hint}"),
    Kind("YJ015", "org-code-check-digit", "warning", "An organisation code's check digit is wrong (GB 32100 / GB 11714).",
         "「{label}」“{detail}”的校验位不对：按 {hint} 最后一位应为 {expected}，请核对代码",
         "'{label}' '{detail}' has a wrong check digit: by {hint} the last character should be {expected}"),
    Kind("YJ020", "table-columns-disagree", "error", "Two columns of a summary table name one field and differ in this row.",
         "「{label}」在表中有两列，本行两列的值不同：请只保留一列", "'{label}' has two columns that differ in this row: keep one"),
    Kind("YJ021", "table-row-shifted", "error", "A run of adjacent values in one table row fails their kinds: the row looks shifted.",
         "本行从「{label}」起连续 {detail} 列的值与列的类型不符，疑似错列（整行左移或右移）：请对齐后再审核",
         "{detail} adjacent values from '{label}' on do not fit their columns: the row looks shifted"),
    Kind("YJ022", "table-identity-blank", "error", "A table row has no submitter name or code.",
         "本行没有填报单位的名称或代码（{label}）：每行须写明是哪个单位", "this row names no submitter ({label} is blank)"),
    Kind("YJ023", "table-duplicate-submitter", "error", "A second table row for the same submitter (same code or name).",
         "「{label}」为 {detail} 的单位在表中已有一行：重复的行不会合并，请删除一行",
         "a row for the submitter with '{label}' {detail} already exists: duplicate rows are not merged"),
    Kind("YJ101", "le", "error", "Catalogue check: each term ≤ the next (≤ notes, 其中 items, subsets)."),
    Kind("YJ102", "eq", "error", "Catalogue check: the terms are equal (= notes, totals of parts, twins)."),
    Kind("YJ201", "range", "warning", "Catalogue check: a value lies in a plausible range."),
    Kind("YJ202", "recompute", "warning", "Catalogue check: a reported rate or average agrees with its recomputation."),
    Kind("YJ203", "history", "warning",
         "A value far outside the unit's own earlier rounds (--previous; thresholds in yjzl/data/history.yaml).",
         "「{label}」本期为 {value}，与本单位前 {n} 期（{history}）相差过大（合理范围约 {low}–{high}）：请核对；"
         "如确实如此，请在说明栏写明原因",
         "'{label}' is {value}, far from this unit's {n} earlier round(s) ({history}; plausible about {low}–{high}): "
         "check it, or explain it in the 说明 column"),
]}

SEVERITY = {"logic": "error", "plausibility": "warning"}


def kind(code: str) -> Kind:
    return KINDS[code]
