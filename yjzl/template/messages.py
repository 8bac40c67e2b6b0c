"""The texts a template shows: input messages (prompts) and error alerts, from the catalogue.

Excel refuses a workbook whose data-validation prompt exceeds 255 characters or
whose prompt title exceeds 32 (it offers to "repair" the file and drops the
validation), so every text is clipped here, at a line break where one is near,
and ends in "…" when something was cut. The order of the lines is the order of
importance: what to type, the definition, the indicators, the checks.
"""

from __future__ import annotations

from yjzl.catalogue import expr
from yjzl.catalogue.compiled import Compiled
from yjzl.catalogue.describe import check_text, checks_touching, formula
from yjzl.catalogue.schema import FieldDef, FormDef

PROMPT_MAX = 255  # Excel: DataValidation prompt
ERROR_MAX = 225  # Excel: DataValidation error (the alert's text)
TITLE_MAX = 32  # Excel: promptTitle / errorTitle
NUMERIC = ("count", "amount", "decimal", "percent", "permille")

# Short kind names for the prompt title (the long ones of describe.py do not fit in 32 characters).
KIND_TITLES = {
    "count": ("整数", "whole number"),
    "amount": ("金额", "amount"),
    "decimal": ("数值", "number"),
    "percent": ("百分比", "percent"),
    "permille": ("千分比", "per mille"),
    "yesno": ("是/否", "yes/no"),
    "text": ("文本", "text"),
    "code": ("代码", "code"),
}
HOW_TO_FILL = {
    "count": ("填非负整数；未开展填 0，未统计填 --", "A whole number ≥ 0; 0 if not carried out, -- if not counted"),
    "amount": ("填非负数；未开展填 0，未统计填 --", "A number ≥ 0; 0 if not carried out, -- if not counted"),
    "decimal": ("填非负数；未开展填 0，未统计填 --", "A number ≥ 0; 0 if not carried out, -- if not counted"),
    "percent": ("填百分数（85 表示 85%）；未统计填 --", "A percentage (85 means 85 %); -- if not counted"),
    "permille": ("填千分数（5 表示 5‰）；未统计填 --", "Per mille (5 means 5 ‰); -- if not counted"),
    "yesno": ("从下拉列表选择 是 或 否", "Choose 是 (yes) or 否 (no) from the list"),
    "text": ("填写文字", "Free text"),
    "code": ("按文本填写，保留前导零和连字符", "Typed as text; leading zeros and hyphens are kept"),
}
ERRORS = {
    "count": ("应为非负整数或 --", "a whole number ≥ 0, or --"),
    "amount": ("应为非负数或 --", "a number ≥ 0, or --"),
    "decimal": ("应为非负数或 --", "a number ≥ 0, or --"),
    "percent": ("应为非负数（百分数）或 --", "a number ≥ 0 (percent), or --"),
    "permille": ("应为非负数（千分数）或 --", "a number ≥ 0 (per mille), or --"),
    "yesno": ("请从下拉列表选择 是 或 否", "choose 是 or 否 from the list"),
}
NOTE_PROMPT = (
    "合理性审核提示数值异常而数值属实时，在此写明理由；审核时读取本列，写了说明的警告不计为待处理。",
    "When a plausibility check flags this row and the value is right, explain why here; "
    "the audit reads this column and counts an explained warning as settled.",
)


def _t(lang: str, pair: tuple[str, str]) -> str:
    return pair[1] if lang == "en" else pair[0]


def clip(text: str, limit: int) -> str:
    """`text` within `limit` characters; cut at a line break if one is in the last third, then "…"."""
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    cut = room.rfind("\n")
    if cut >= limit * 2 // 3:
        room = room[:cut]
    return room.rstrip("；;，, \n") + "…"


def marks(f: FieldDef) -> str:
    """The decorations the documents print after an optional or conditional label.

    Always in Chinese: they are part of the printed label, and the reader folds
    them away when it matches labels (yjzl.text.label_key).
    """
    local = f"（{f.origin}增补）" if f.origin else ""  # a field an overlay added: not on the national form
    return ("（选填）" if f.optional else "") + ("（中医医院填写）" if f.condition == "tcm_hospital" else "") + local


def title(f: FieldDef, lang: str) -> str:
    kind = _t(lang, KIND_TITLES[f.kind])
    text = f"{kind}（{f.unit}）" if f.unit and f.unit not in ("%", "‰") else kind
    if f.optional:
        text += _t(lang, (" · 选填", " · optional"))
    if f.condition == "tcm_hospital":
        text += _t(lang, (" · 中医医院填写", " · TCM hospitals"))
    if f.duplicate_of:
        text += _t(lang, (" · 重复项", " · repeated"))
    return clip(text, TITLE_MAX)


def error(kind: str, lang: str) -> tuple[str, str]:
    return _t(lang, ("输入有误", "Not accepted")), clip(_t(lang, ERRORS[kind]), ERROR_MAX)



def prompt(cat: Compiled, form: FormDef, f: FieldDef, lang: str, cell_of: dict[str, str]) -> str:
    """The input message of a value cell; `cell_of` maps field ids of the form to their value cells.

    What to type and the definition always come first. Indicator and check lines follow while
    they fit; the ones left out are counted, with the command that shows them all, so a clipped
    message still says where the rest is.
    """
    head = []
    if f.condition == "tcm_hospital":
        head.append(_t(lang, ("仅中医医院填写，其他医院可留空。", "TCM hospitals only; others leave it blank.")))
    if getattr(f, "supplement", False):  # getattr: older compiled catalogues have no such attribute
        head.append(_t(lang, ("文件表式中没有此项，为 yjzl 补充的选填项。", "Not on the printed form: added by yjzl, optional.")))
    elif f.optional:
        head.append(_t(lang, ("选填，可留空。", "Optional: may be left blank.")))
    if f.duplicate_of and f.duplicate_of in cell_of:
        head.append(_t(lang, (f"文件中重复印刷的项目，应与 {cell_of[f.duplicate_of]} 相同。",
                              f"Printed twice in the documents: must equal {cell_of[f.duplicate_of]}.")))
    unit = _t(lang, ("单位：", "Unit: ")) + f.unit + _t(lang, ("，", "; ")) if f.unit else ""
    head.append(unit + _t(lang, HOW_TO_FILL[f.kind]) + _t(lang, ("。", ".")))
    if f.definition:
        head.append(_t(lang, ("定义：", "Definition: ")) + f.definition)
    extra = []
    for ind in cat.indicators_for(form.id):
        if any(n is not None and f.id in expr.fields(n) for n in (ind.numerator, ind.denominator, ind.of)):
            name = (ind.defn.name_en or ind.defn.name) if lang == "en" else ind.defn.name
            extra.append(_t(lang, ("指标 ", "Indicator ")) + f"{name} = {formula(cat, ind, form.id, lang)}")
    for c in checks_touching(cat, form.id, {f.id}):
        kind = _t(lang, ("逻辑审核：", "Must hold: ") if c.severity == "logic" else ("合理性审核：", "Should hold: "))
        anchor = form.id if form.id in c.defn.forms else c.defn.forms[0]
        extra.append(kind + check_text(cat, c, anchor, lang))
    return _fit(head, extra, f"{form.id}.{f.id}", lang)


def _fit(head: list[str], extra: list[str], ref: str, lang: str) -> str:
    text = "\n".join(head)
    if len(text) + sum(len(x) + 1 for x in extra) <= PROMPT_MAX:
        return "\n".join([*head, *extra])
    tail = _t(lang, ("…另有 {n} 条审核涉及本项", "… and {n} more check(s) on this item"))  # no command: a template has no terminal
    room = PROMPT_MAX - len(tail.format(n=len(extra))) - 1
    text = clip(text, room)
    left = 0
    for line in extra:  # in order, skipping a line too long for what is left
        if len(text) + 1 + len(line) <= room:
            text += "\n" + line
        else:
            left += 1
    return text + "\n" + tail.format(n=left) if left else text


def note_prompt(lang: str) -> tuple[str, str]:
    return clip(_t(lang, ("说明", "Explanation")), TITLE_MAX), clip(_t(lang, NOTE_PROMPT), PROMPT_MAX)


# ---- the live audit (live.py): short texts on the row of a field, by the side of the check it is on ----
# The arguments are those of the catalogue's messages (`messages:` in indicators.yaml); a row that is on
# no side (a `when` condition, a member form's field) shows the check's whole catalogue message.
ROW_TEXTS = {
    "le_lhs": ("不应大于 {rhs}（{rhs_value}）", "must not exceed {rhs} ({rhs_value})"),
    "le_rhs": ("不应小于 {lhs}（{lhs_value}）", "must not be below {lhs} ({lhs_value})"),
    "eq_lhs": ("应等于 {rhs}（{rhs_value}）", "must equal {rhs} ({rhs_value})"),
    "eq_rhs": ("应等于 {lhs}（{lhs_value}）", "must equal {lhs} ({lhs_value})"),
    "range": ("为 {value}，超出合理范围 {min}–{max}", "is {value}, outside {min}–{max}"),
    "recompute_expr": ("按 {formula} 计算约为 {expected}", "{formula} gives about {expected}"),
    "recompute_formula": ("{expr} 填报为 {value}，与计算值 {expected} 不符", "{expr} is {value}, computed {expected}"),
}
MARKS = {"logic": "✗ ", "plausibility": "⚠ "}  # conditional formatting colours the row by these marks
EXPLAINED = ("✓ 已说明 ", "✓ explained ")
AUDIT_HEADER = ("审核", "Audit")
SUMMARY = (
    ("逻辑审核 ", " 处错误、合理性审核 ", " 处待说明、", " 项未填或填写有误", "：可以上报", "：请修改后上报"),
    ("Logic checks: ", " errors; plausibility: ", " to explain; ", " blank or not readable", ": ready to submit",
     ": fix before submitting"),
)
FRACTION = ("百分数填成了小数？85 表示 85%", "a fraction in a per-cent field? 85 means 85 %")
CODE_WRONG = (("代码校验位不对：最后一位应为 ", "，请核对"), ("wrong check digit: the code should end in ", "; please check it"))
REQUIRED = ("○ 必填", "○ required")  # a blank required row while nothing is typed on the sheet yet: a quiet mark
BLANK = {  # … and once the filler has started: what to type, by the field's kind (validate's YJ001 hints)
    "number": ("● 尚未填写：未开展填 0，未统计填 --", "● not filled in: 0 if not carried out, -- if not counted"),
    "yesno": ("● 尚未填写：请选择 是 或 否", "● not filled in: choose 是 or 否"),
    "text": ("● 尚未填写（必填项）", "● not filled in (required)"),
}
ONLY_ON_SUBMISSION = ("；另有 {n} 项审核不能在表格中实时计算，上报审核时检查", "; {n} more check(s) run when the form is submitted")
UNTRANSLATED = ("以下审核不能在表格中实时计算，上报审核时检查：", "Not checked live in the sheet; checked when the form is submitted: ")
INDICATOR_SHEET = ("指标计算", "指标计算")  # the name must contain 指标 (issue 15)
INDICATOR_HEADER = (("表", "指标", "分子", "分母", "数值", "单位", "目标", "达标情况", "说明"),
                    ("Form", "Indicator", "Numerator", "Denominator", "Value", "Unit", "Target", "Status", "Note"))
INDICATOR_TITLE = ("指标实时计算（由各表填报值按指标目录公式计算；缺项时为空）",
                   "Indicators computed live from the filled forms (empty while an input is missing)")
MET = ("达标", "met")
NOT_MET = ("未达标", "not met")
NOT_DUE = ("未到期", "not due yet")
ZERO = ("分母为 0，指标无定义（不是 0）", "the denominator is 0: undefined, not 0")
TREND = ("需要上一期的数据，本表不计算（汇总时与上一期一起计算）", "needs the previous period: not computed here (computed with it when the forms are gathered)")


def t(lang: str, pair: tuple) -> object:
    """The Chinese or English member of a pair."""
    return pair[1] if lang == "en" else pair[0]
