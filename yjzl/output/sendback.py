"""Send failing units back in one step: an annotated copy of every file with findings, and one 退回清单.

`yjzl validate 第1批/ 第2批/ --annotate 退回/` audits the round and writes, into the folder the user names
(never an input folder nor one inside it; an existing non-empty folder only with --force):

- for every file whose counting copy has errors or open warnings, an annotated copy (yjzl.output.annotate),
  at the file's path below its input (第2批/甲医院.xlsx → 退回/第2批/甲医院-审核.xlsx);
- 退回清单.xlsx: one row per unit sent back (unit, form, file, errors, open warnings, the first thing to fix,
  its copy), sorted by unit; a second sheet 重报 lists every unit whose form arrived more than once, the copy
  that counts and why (yjzl.batch.progress.choose: the later period, batch or 填报日期; never a file time).

A superseded copy is neither annotated nor listed: the unit is judged on the copy that counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yjzl.errors import UsageProblem
from yjzl.report import FileReport, FormFound

LIST_NAME = {"zh": "退回清单.xlsx", "en": "sendback-list.xlsx"}
SUFFIX = {"zh": "-审核", "en": "-marked"}
HEADERS = {
    "zh": ["单位", "表", "文件", "错误", "待说明警告", "首先要改", "标注副本", "备注"],
    "en": ["unit", "form", "file", "errors", "open warnings", "fix first", "marked-up copy", "note"],
}
RESUBMIT_HEADERS = {"zh": ["单位", "表", "以此为准", "另收到", "原因"],
                    "en": ["unit", "form", "counts", "also received", "why"]}


@dataclass(slots=True)
class Unit:
    """One file as a unit's submission: its merged report (a table's rows together)."""

    report: FileReport
    name: str
    form: str
    superseded_by: str | None = None
    copies: list[str] = field(default_factory=list)  # every copy of the unit, the counting one first
    why: str | None = None


def prepare_target(folder: Path, items: Sequence[str | Path], force: bool) -> None:
    """The folder's rules, checked before any work: not a file; its parent exists; not an input folder or
    one inside it (copies are never written beside the inputs, and a rerun would read them); an existing
    non-empty folder only with --force."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageProblem(f"{folder}: 这是一个文件，不是目录 / this is a file, not a folder")
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise UsageProblem(f"{folder}: 目录不存在 / the folder does not exist: {parent}")
    target = folder.resolve()
    for item in items:
        p = Path(item)
        home = p.resolve() if p.is_dir() else p.resolve().parent
        if target == home or home in target.parents:
            raise UsageProblem(f"{folder}: 标注副本不能写在输入文件夹 {item} 中，请另选目录 / "
                               f"the marked-up copies cannot go inside the input folder {item}: choose another folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageProblem(f"{folder}: 目录已存在且不为空，如需写入请加 --force / the folder exists and is not empty: "
                           "add --force to write into it")


def merged(files: Sequence[FileReport]) -> list[FileReport]:
    """One report per file: a table's rows (reports of their own) together, in input order."""
    out: dict[str, FileReport] = {}
    for f in files:
        whole = out.setdefault(f.file, FileReport(f.file, error=f.error))
        if whole is not f:
            whole.forms += f.forms
            whole.findings += f.findings
            whole.error = whole.error or f.error
    return list(out.values())


def units(files: Sequence[FileReport], items: Sequence[str | Path], cat_regional: frozenset[str], lang: str) -> list[Unit]:
    """Each file as a unit's submission; a unit's copies in several files are paired (yjzl.batch.duplicates.key_of)
    and all but the one that counts are marked superseded."""
    from yjzl.batch.batches import Batches
    from yjzl.batch.duplicates import key_of
    from yjzl.batch.progress import Identity, choose

    batches = Batches(list(items))
    out: list[Unit] = []
    by_key: dict[tuple, list[tuple[Unit, Identity]]] = {}
    for rep in merged(files):
        lead = rep.forms[0] if rep.forms else None
        name = (lead.name or lead.region if lead else None) or Path(rep.file).stem
        unit = Unit(rep, name, lead.code if lead else "")
        out.append(unit)
        if lead is None:
            continue
        ident = Identity(rep.file, rep.file, lead.code, False, lead.name, lead.org_code, lead.region, lead.period,
                         statistics_period=lead.statistics_period, batch=batches.of(rep.file), filled_on=lead.filled_on,
                         label=_shown(rep.file, items))
        key = key_of(ident, cat_regional)
        if key is not None:
            by_key.setdefault(key, []).append((unit, ident))
    for copies in by_key.values():
        if len(copies) < 2:
            continue
        ordered, why = choose([i for _, i in copies], lang)
        first = ordered[0]
        names = [i.label or i.key for i in ordered]
        for unit, ident in copies:
            unit.copies, unit.why = names, why
            if ident is not first:
                unit.superseded_by = first.label or first.key
    return out


def resubmission_lines(leads: dict[str, FormFound], items: Sequence[str | Path], regional: frozenset[str],
                       lang: str) -> list[str]:
    """One line per unit whose form arrived more than once: the copy that counts and why (validate's stderr)."""
    reps = [FileReport(file, forms=[lead]) for file, lead in leads.items()]
    out = []
    for u in units(reps, items, regional, lang):
        if u.copies and u.superseded_by is None:
            out.append(f"重报：{u.name}（{u.form}）以 {u.copies[0]} 为准（{u.why}）；另收到 {'、'.join(u.copies[1:])}"
                       if lang == "zh" else
                       f"resubmitted: {u.name} ({u.form}): {u.copies[0]} counts ({u.why}); also received {', '.join(u.copies[1:])}")
    return out


def _shown(file: str, items: Sequence[str | Path]) -> str:
    """A file as the user named it: its path below the input folder that holds it, with that folder's name."""
    rel = relative(file, items)
    return str(rel)


def relative(file: str, items: Sequence[str | Path]) -> Path:
    """Where a file's copy goes below the target: its path below its input folder, under that folder's name."""
    path = Path(file)
    for item in items:
        p = Path(item)
        if p.is_dir():
            try:
                return Path(p.resolve().name or "input") / path.resolve().relative_to(p.resolve())
            except ValueError:
                continue
    return Path(path.name)


def failing(u: Unit) -> bool:
    r = u.report
    return u.superseded_by is None and bool(r.error or r.errors or r.open_warnings)


def first_to_fix(r: FileReport, lang: str) -> str:
    """The first error (else the first open warning) as `cell message`; the sheet order of the findings."""
    if r.error:
        return r.error
    pick = next((f for f in r.findings if f.severity == "error"), None) or next(
        (f for f in r.findings if f.severity == "warning" and not f.explained), None)
    if pick is None:
        return ""
    return f"{pick.cells[0]} {pick.message}" if pick.cells else pick.message


def send_back(files: Sequence[FileReport], items: Sequence[str | Path], folder: Path, regional: frozenset[str],
              lang: str) -> tuple[int, int, Path]:
    """Write the copies and the 退回清单 into `folder` (checked by prepare_target). Returns (units listed,
    copies written, the list's path)."""
    from yjzl.errors import UnusableInput
    from yjzl.output.annotate import annotate_copy

    lang = "en" if lang == "en" else "zh"
    zh = lang == "zh"
    folder = Path(folder)
    folder.mkdir(exist_ok=True)
    rows: list[list[object]] = []
    written = 0
    used: set[Path] = set()
    everyone = units(files, items, regional, lang)
    for u in everyone:
        if not failing(u):
            continue
        r = u.report
        copy, notes = "", []
        if u.copies:
            notes.append(f"已重报，以此份为准：{u.why}" if zh else f"resubmitted, this copy counts: {u.why}")
        if r.error:
            notes.append("文件无法读取，未写标注副本" if zh else "the file cannot be read: no marked-up copy")
        elif Path(r.file).suffix.lower() not in (".xlsx", ".xlsm"):
            notes.append("不是 .xlsx 工作簿，未写标注副本：请另存为 .xlsx" if zh else "not an .xlsx workbook: no marked-up copy")
        else:
            rel = relative(r.file, items)
            out = folder / rel.parent / f"{rel.stem}{SUFFIX[lang]}.xlsx"
            n = 2
            while out in used:  # two inputs with one name below the target
                out = folder / rel.parent / f"{rel.stem}{SUFFIX[lang]}-{n}.xlsx"
                n += 1
            used.add(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            try:
                annotate_copy(Path(r.file), r, out, lang)
                copy = str(out.relative_to(folder))
                written += 1
            except UnusableInput as exc:
                notes.append(exc.reason)
        rows.append([u.name, u.form, r.file, r.errors + (1 if r.error else 0), r.open_warnings,
                     first_to_fix(r, lang), copy, "；".join(notes) if zh else "; ".join(notes)])
    rows.sort(key=lambda row: (_unit_key(str(row[0])), str(row[2])))
    again = sorted(({(u.name, u.form, tuple(u.copies), u.why) for u in everyone if u.copies}), key=lambda x: (_unit_key(x[0]), x[1]))
    resubmitted = [[name, form, copies[0], "; ".join(copies[1:]), why] for name, form, copies, why in again]
    path = folder / LIST_NAME[lang]
    write_list(path, rows, resubmitted, lang)
    return len(rows), written, path


def _unit_key(name: str) -> str:
    from yjzl.batch.roster import normalise_name

    return normalise_name(name)


def write_list(path: Path, rows: list[list[object]], resubmitted: list[list[object]], lang: str) -> None:
    """The 退回清单 workbook: a sheet of units sent back, a sheet of resubmissions, through the shared
    writer (yjzl.output.xlsx_sheet: text stays text, styled frozen header, print setup, yjzl's mark)."""
    import openpyxl

    from yjzl.output import xlsx_sheet as X
    from yjzl.output.atomic import write_bytes

    wb = openpyxl.Workbook(write_only=True)
    titles = ("退回清单", "重报") if lang == "zh" else ("send back", "resubmitted")
    wrap = {"首先要改", "备注", "原因", "fix first", "note", "why"}
    for title, head, body in ((titles[0], HEADERS[lang], rows), (titles[1], RESUBMIT_HEADERS[lang], resubmitted)):
        X.table(wb, title, [X.Column(h, wrap=h in wrap) for h in head], body, freeze_cols=1, footer=title)
    X.mark(wb, "validate", titles)
    write_bytes(path, wb.save)
