"""Shared fixtures: the catalogue (loaded once, cache in a temporary folder) and a CLI runner."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("YJZL_SEEDS") or ROOT.parent / "shared" / "seeds")  # a worktree: YJZL_SEEDS=/work/shared/seeds
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["YJZL_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables fit COLUMNS when it is set (pytest may set it): tests that measure widths set it themselves."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(scope="session")
def cat():
    from yjzl.catalogue.loader import load

    return load()


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run `yjzl ARGS` in-process through the real entry point (exit code, stdout, stderr)."""
    from yjzl.cli.main import main

    def _run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """Skipped tests are said even with -q: one line per reason with how many it skipped (64 tests that need
    ../shared/ are one line, not 64), so a short run never hides what it did not test."""
    from collections import Counter

    reasons: Counter[str] = Counter()
    for rep in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(rep, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    for reason, count in sorted(reasons.items(), key=lambda x: -x[1]):
        terminalreporter.write_line(f"skipped {count}: {reason}")
