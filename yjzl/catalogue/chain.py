"""Overlays that stack: each names the overlay it builds on (`extends: shaanxi`), or the base catalogue.

`resolve` turns the overlays a person gives into the list the loader merges: every overlay after the
one it extends, the missing links of a chain found beside the overlay that names them (a file whose
`overlay: id` is the name; 陕西-西安.yaml extends shaanxi → 陕西.yaml in the same folder), each file once.
A link that is nowhere to be found, or a cycle, is a ChainError (the loader's CatalogueError, exit 2)
that names the file and the id.

Only each file's `overlay:` header is read here (a few lines, through PyYAML on that block alone), so
the cache key can be worked out from the whole chain before anything big is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from yjzl.errors import YjzlError

# the top-level `overlay:` (or `catalogue:`) mapping: flow style on one line, or its indented block
_HEADER = r"^{key}:[ \t]*(\{{[^\n]*\}})[ \t]*$|^{key}:[ \t]*(?:#[^\n]*)?\n((?:(?:[ \t]+[^\n]*|[ \t]*)\n)+)"


class ChainError(YjzlError):
    """An overlay's chain cannot be completed (exit 2, like any unreadable catalogue)."""


@dataclass(frozen=True, slots=True)
class Header:
    path: Path
    id: str
    extends: str


def header_of(path: Path, key: str = "overlay") -> dict | None:
    """The mapping under the top-level `key:` of a YAML file, or None when it has none (or is unreadable)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    m = re.search(_HEADER.format(key=key), text, re.MULTILINE)
    if m is None:
        return None
    block = m.group(1) if m.group(1) is not None else "\n" + m.group(2)
    try:
        data = yaml.safe_load(f"{key}: {block}")
    except yaml.YAMLError:
        return None
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else None


def _header(path: Path) -> Header | None:
    h = header_of(path)
    if h is None or not isinstance(h.get("id"), str):
        return None  # the loader reports what is wrong with the file itself
    return Header(path, h["id"], str(h.get("extends") or "national"))


def _beside(folder: Path, overlay_id: str) -> Path | None:
    """The overlay with this id in `folder` (the first by name, for a stable choice)."""
    try:
        candidates = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:
        return None
    for p in candidates:
        h = _header(p)
        if h is not None and h.id == overlay_id:
            return p
    return None


def resolve(overlays: list[Path], base_id: str) -> list[Path]:
    """The overlays in merge order, each after the overlay it extends, the chain completed."""
    given = [(p, _header(p)) for p in overlays]
    by_id = {h.id: p for p, h in given if h is not None}
    out: list[Path] = []
    done: set[Path] = set()

    def visit(path: Path, header: Header | None, trail: tuple[str, ...]) -> None:
        key = path.resolve()
        if key in done:
            return
        if header is not None and header.extends != base_id:
            if header.extends in trail:
                raise ChainError(f"{path}: 覆盖层循环扩展 / overlays extend each other in a cycle: "
                                 f"{' → '.join([*trail, header.extends])}")
            parent = by_id.get(header.extends) or _beside(path.parent, header.extends)
            if parent is None:
                raise ChainError(
                    f"{path}: 建立在覆盖层 {header.extends} 之上（extends: {header.extends}），但没有给出它，"
                    f"{path.parent} 中也没有 id 为 {header.extends} 的覆盖层：请用 --overlay 给出 / builds on the "
                    f"overlay {header.extends}, which was not given and is not in {path.parent}: pass it with --overlay")
            by_id.setdefault(header.extends, parent)
            above = _header(parent)
            visit(parent, above, (*trail, above.id) if above else trail)
        done.add(key)
        out.append(path)

    for path, header in given:
        visit(path, header, (header.id,) if header else ())
    return out


def base_id(path: Path) -> str:
    """The base catalogue's id (its `catalogue: id`), `national` when the header cannot be read here."""
    h = header_of(path, "catalogue")
    return str(h["id"]) if h and isinstance(h.get("id"), str) else "national"


__all__ = ["ChainError", "base_id", "header_of", "resolve"]
