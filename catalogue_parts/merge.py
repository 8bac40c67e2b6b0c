"""Temporary: merge the fragments into ../indicators.yaml, keeping comments (deleted after the merge)."""
import re, sys, yaml
ORDER = ["catalogue", "sources", "messages", "target_sets", "forms", "indicators", "checks", "targets", "frameworks"]
FILES = ["header.yaml", "t12.yaml", "t3.yaml", "t4.yaml", "t34_common.yaml", "targets_frameworks.yaml"]
blocks = {k: [] for k in ORDER}
data = {}
for name in FILES:
    text = open(name, encoding="utf-8").read()
    loaded = yaml.safe_load(text) or {}
    for k, v in loaded.items():
        if isinstance(v, list):
            data.setdefault(k, []).extend(v)
        else:
            data[k] = v
    cur = None
    shift = None
    for line in text.splitlines():
        m = re.match(r"^([a-z_]+):\s*(.*)$", line)
        if m:
            cur = m.group(1)
            if m.group(2) and not m.group(2).startswith("#"):
                blocks[cur].append(f"  # inline from {name}")  # should not happen for lists
                raise SystemExit(f"{name}: inline top-level value for {cur}")
            blocks[cur].append(f"  # ---- from {name} ----")
            shift = None
            continue
        if cur is None:
            continue
        if shift is None and line.strip() and not line.lstrip().startswith("#"):
            shift = 2 - (len(line) - len(line.lstrip()))  # re-indent the block to two spaces
        if shift and line.strip():
            line = " " * shift + line if shift > 0 else line[-shift:]
        blocks[cur].append(line)
out = ["# yjzl national indicator catalogue. Format: docs/catalogue-format.md.",
       "# Every entry names its source (S004 = seed 004 …); decisions where the documents are",
       "# ambiguous are written in `note:` next to the entry and pinned by tests.", ""]
for k in ORDER:
    if blocks[k]:
        out.append(f"{k}:")
        out.extend(blocks[k])
        out.append("")
text = "\n".join(out) + "\n"
merged = yaml.safe_load(text)
assert merged == data, "textual merge differs from data merge"
open("../indicators.yaml", "w", encoding="utf-8").write(text)
print("merged", {k: len(v) if isinstance(v, list) else 1 for k, v in merged.items()})
