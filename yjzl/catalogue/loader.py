"""Load the catalogue: YAML → schema (via pydantic) → overlays → proofs → compiled.

The compiled result is pickled to a cache keyed by the bytes of every YAML file
and the code that defines the format, so a warm run skips YAML and pydantic
altogether (together they cost ~0.3 s; the cache costs ~10 ms). The cache is
private to the user and checked before it is read (`cached`); a cache folder that
cannot be used means a run without the cache, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yjzl.catalogue.compiled import Compiled, compile_catalogue
from yjzl.catalogue.schema import Catalogue, Overlay
from yjzl.errors import YjzlError

if TYPE_CHECKING:
    from yjzl.catalogue.overlay import OverlayFile
    from yjzl.catalogue.soundness import Problem

_PACKAGE = Path(__file__).resolve().parents[1]
CACHE_FORMAT = 4  # bump when Compiled changes shape


class CatalogueError(YjzlError):
    """The catalogue or an overlay cannot be read at all (exit 2)."""


class UnsoundCatalogue(YjzlError):
    """The catalogue reads but is not sound (exit 1 for `catalogue check`, 2 elsewhere)."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(
            f"指标目录有 {len(problems)} 个问题，请先运行 yjzl catalogue check / the catalogue has "
            f"{len(problems)} problem(s), run `yjzl catalogue check`; first: {first.where}: {first.message}"
        )
        self.problems = problems


def default_path() -> Path:
    """The national catalogue: $YJZL_CATALOGUE, the wheel's copy, or the checkout's."""
    env = os.environ.get("YJZL_CATALOGUE")
    if env:
        return Path(env)
    packaged = _PACKAGE / "indicators.yaml"
    return packaged if packaged.exists() else _PACKAGE.parent / "indicators.yaml"


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        text = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: 无法读取 / cannot read: {exc.strerror or exc}") from exc
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise CatalogueError(f"{path}{at}: YAML 语法错误 / YAML syntax error: {getattr(exc, 'problem', exc)}") from exc


def _where(data: Any, loc: tuple) -> str:
    """Turn a pydantic error location into a path people can find: forms[T1].fields[hukou]."""
    out, node = "", data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            ident = node.get("id") if isinstance(node, dict) else None
            out += f"[{ident if ident is not None else part}]"
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _validate(kind: type, data: Any, path: Path, lines: dict[tuple[str, int], int] | None = None) -> Any:
    from pydantic import TypeAdapter, ValidationError

    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: 顶层应为映射 / the top level must be a mapping")
    try:
        return TypeAdapter(kind).validate_python(data)
    except ValidationError as exc:
        out = [f"  {_line(path, lines, tuple(e['loc']))}{_where(data, tuple(e['loc']))}: {_msg(e)}" for e in exc.errors()[:20]]
        more = f"\n  … {exc.error_count() - 20} more" if exc.error_count() > 20 else ""
        raise CatalogueError(f"{path}: 不符合目录格式 / does not match the catalogue format:\n" + "\n".join(out) + more) from exc


def _line(path: Path, lines: dict[tuple[str, int], int] | None, loc: tuple) -> str:
    """"file:line " of the entry an error is in, where the reader recorded it (overlays)."""
    if not lines or len(loc) < 2 or not isinstance(loc[1], int):
        return ""
    line = lines.get((str(loc[0]), loc[1]))
    return f"{path}:{line}: " if line else ""


def _msg(error: dict) -> str:
    """pydantic's message, with the two that people meet most said in Chinese first."""
    if error["type"] == "missing":
        return f"缺少必填项 {error['loc'][-1]} / missing required key {error['loc'][-1]}"
    if error["type"] == "unexpected_keyword_argument":
        return f"未知的键 {error['loc'][-1]} / unknown key {error['loc'][-1]}"
    return str(error["msg"])


def _read_overlay(path: Path) -> OverlayFile:
    """An overlay, validated, with the line of each entry for the messages of `catalogue check`."""
    import yaml

    from yjzl.catalogue.overlay import OverlayFile, load_marked

    try:
        text = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: 无法读取 / cannot read: {exc.strerror or exc}") from exc
    try:
        data, lines = load_marked(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise CatalogueError(f"{path}{at}: YAML 语法错误 / YAML syntax error: {getattr(exc, 'problem', exc)}") from exc
    return OverlayFile(path, _validate(Overlay, data, path, lines), lines)


def read(path: Path | None = None, overlays: list[Path] | tuple[Path, ...] = ()) -> tuple[Catalogue, list[str], set[str], dict[str, str], list[Problem]]:
    """The slow path: read, validate, merge and prove. Raises CatalogueError."""
    from yjzl.catalogue.overlay import apply_overlays, base_problems, locate
    from yjzl.catalogue.soundness import prove
    path = path or default_path()
    overlays = _chain(path, overlays)
    cat = _validate(Catalogue, _read_yaml(path), path)
    problems = base_problems(cat) + prove(cat)
    files = [_read_overlay(Path(p)) for p in overlays]
    names = [of.overlay.overlay.id for of in files]
    disabled: set[str] = set()
    severity: dict[str, str] = {}
    if files:
        cat, found, disabled, severity, places = apply_overlays(cat, files)
        problems += found
        seen = set(problems)  # prove the merged whole again: overlay entries must be sound too
        problems += locate([p for p in prove(cat) if p not in seen], places)
    return cat, names, disabled, severity, problems


def _chain(path: Path, overlays: Sequence[str | Path]) -> list[Path]:
    """The overlays in merge order, each after the one it `extends`, the chain completed from their folders."""
    from yjzl.catalogue.chain import ChainError, base_id, resolve

    if not overlays:
        return []
    try:
        return resolve([Path(p) for p in overlays], base_id(path))
    except ChainError as exc:
        raise CatalogueError(str(exc)) from None


def _cache_file(paths: list[Path]) -> Path | None:
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version_info[:2]}".encode())
    try:
        # text.py too: the compiled label index is built with its label_key, so a change there must miss the cache.
        for p in [*paths, *sorted((_PACKAGE / "catalogue").rglob("*.py")), _PACKAGE / "text.py"]:
            digest.update(str(p).encode())
            digest.update(p.read_bytes())
    except OSError:
        return None  # an unreadable file: let the slow path report it
    root = os.environ.get("YJZL_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "yjzl"
    )
    return Path(root) / f"catalogue-{digest.hexdigest()[:24]}.pickle"


def load(path: str | Path | None = None, overlays: Sequence[str | Path] = (), use_cache: bool = True) -> Compiled:
    """The compiled catalogue; raises CatalogueError or UnsoundCatalogue. Overlays apply in order."""
    path = Path(path) if path else default_path()
    overlays = _chain(path, overlays)  # an overlay brings the overlays it extends (yjzl/catalogue/chain.py)
    cache = _cache_file([path, *overlays]) if use_cache and os.environ.get("YJZL_NO_CACHE") != "1" else None
    if cache is not None:
        compiled = cached(cache)
        if compiled is not None:
            return compiled
    cat, names, disabled, severity, problems = read(path, overlays)
    if problems:
        raise UnsoundCatalogue(problems)
    compiled = compile_catalogue(cat, names, disabled, severity, [p.name for p in overlays])
    if cache is not None:
        _store(cache, compiled)
    return compiled


# The cache is a pickle, and unpickling runs code: a file someone else could plant must never be read.
# So it lives in a private folder (created 0700) and is read only when the folder and the file are
# owned by this user and writable by nobody else, checked on the opened file (no race between check
# and read; a symlink is not followed). A header holds the SHA-256 of the payload, so a truncated or
# damaged file is noticed and rebuilt rather than half-read. (A keyed MAC would add nothing: its key
# would sit in the same folder, readable by exactly the people these checks already trust.)
# Anything wrong — unreadable, someone else's, damaged — means the slow path, never an error.
MAGIC = b"yjzl-catalogue-cache 1\n"


def _private(st: os.stat_result) -> bool:
    """Owned by this user, writable by no one else (on systems without owners: trusted as a user's folder)."""
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _private_dir(folder: Path, create: bool) -> bool:
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and _private(st)


def cached(cache: Path) -> Compiled | None:
    """The compiled catalogue from the cache when it is there, private and intact; else None."""
    if not _private_dir(cache.parent, create=False):
        return None
    try:
        fd = os.open(cache, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fh.fileno())
            if not (stat.S_ISREG(st.st_mode) and _private(st)):
                return None
            data = fh.read()
        except OSError:
            return None
    head, body = data[:len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if head[:len(MAGIC)] != MAGIC or hashlib.sha256(body).digest() != head[len(MAGIC):]:
        return None
    try:
        compiled = pickle.loads(body)
    except Exception:  # an older yjzl's classes: rebuild
        return None
    return compiled if isinstance(compiled, Compiled) else None


def _store(cache: Path, compiled: Compiled) -> None:
    """Write the cache atomically into its private folder; a folder that cannot be made or written
    (a read-only home, someone else's folder) just means no cache."""
    import tempfile

    if not _private_dir(cache.parent, create=True):
        return
    body = pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")  # 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + hashlib.sha256(body).digest() + body)
        os.replace(tmp, cache)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
