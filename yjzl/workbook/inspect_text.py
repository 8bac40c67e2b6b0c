"""`yjzl inspect` as text: Chinese by default, English with --lang en."""

from __future__ import annotations

from yjzl.workbook.inspect import HOW, ROLES_EN

_ZH = {"file": "文件", "sheet": "工作表", "hidden": "隐藏", "how": "识别依据", "layout": "版式", "skipped": "跳过的工作表",
       "none": "未找到可识别的表单", "headers": ["字段", "单元格", "原始内容", "读取值", "说明", "问题"],
       "no_row": "（无此行）", "other": "其他问题", "cells": "个单元格"}
_EN = {"file": "file", "sheet": "sheet", "hidden": "hidden", "how": "recognised by", "layout": "layout",
       "skipped": "sheets skipped", "none": "no form recognised", "headers": ["field", "cell", "raw", "value", "note", "codes"],
       "no_row": "(no row)", "other": "other issues", "cells": "cells"}


def _layout(layout: str, lang: str) -> str:
    if lang == "zh":
        return layout
    for zh, en in ROLES_EN.items():
        layout = layout.replace(f"={zh}", f"={en}")
    return layout


def _value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


LABEL_WIDTH = 36  # a field's label is cut to this many columns (the longest printed label is over 80)


def _cut(text: str, limit: int = LABEL_WIDTH) -> str:
    from yjzl.output.table import width

    if width(text) <= limit:
        return text
    while width(text) > limit - 1:
        text = text[:-1]
    return text + "…"


def render(doc: dict, lang: str) -> str:
    from yjzl.output.table import render as table

    zh = lang == "zh"
    t = _ZH if zh else _EN
    q = (lambda s: f"「{s}」") if zh else (lambda s: f'"{s}"')
    lines = [f"{t['file']}: {doc['file']}"]
    for s in doc["sheets"]:
        hidden = (f"（{t['hidden']}）" if zh else f" ({t['hidden']})") if s["hidden"] else ""
        lines.append(f"  {t['sheet']} {q(s['name'])}{hidden}: {s['cells']} {t['cells']}")
    for form in doc["forms"]:
        how = HOW.get(form["identified_by"], (form["identified_by"],) * 2)[0 if zh else 1]
        title = form["title"] if zh else (form["title_en"] or form["title"])
        code = form["form"] if zh else (form.get("form_en") or form["form"])
        what = f"{t['how']}: {how}{'；' if zh else '; '}{t['layout']}: {_layout(form['layout'], lang)}"
        row = form.get("row")  # a table's row: one submission of many in the sheet
        where = q(form["sheet"]) + ((f" 第 {row} 行" if zh else f" row {row}") if row is not None else "")
        lines += ["", f"{t['sheet']} {where} → {code} {title}" + (f"（{what}）" if zh else f" ({what})")]
        rows = []
        for f in form["fields"]:
            label = _cut(f["label"] if zh else (f["label_en"] or f["label"]))
            cell = f["cell"].rsplit("!", 1)[-1] if f["cell"] else t["no_row"]
            rows.append((label, cell, f["raw"] or "", _value(f["value"]), f["explanation"] or "", " ".join(f["codes"])))
        lines.append(table(rows, headers=t["headers"]))
        if form["other_issues"]:
            lines.append(f"{t['other']}: " + "；".join(
                f"{i['code']} {' '.join(c.rsplit('!', 1)[-1] for c in i['cells'])} {i['detail'].split('|')[0]}".rstrip()
                for i in form["other_issues"]))
    if not doc["forms"]:
        lines += ["", t["none"]]
    if doc["skipped"]:
        lines += ["", f"{t['skipped']}:"]
        from yjzl.bilingual import in_language

        lines += [f"  {q(s['sheet'])}: {in_language(s['reason'], lang)}" for s in doc["skipped"]]  # in the run's language
    return "\n".join(lines)

