"""Fill-in workbooks for the forms of the catalogue (`yjzl template`).

    from yjzl.template.build import build_template, write_template
    write_template(cat, ["表3"], "表3-模板.xlsx")    # 表3 and 表3（成员单位）

`build.py` lays out the sheets; `messages.py` writes the input messages from
the catalogue. Nothing here imports openpyxl until a workbook is built.
"""
