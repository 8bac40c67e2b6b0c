"""Benchmark: time and peak memory of `yjzl compute` and `yjzl validate` as the batch grows.

    python benchmarks/bench_scale.py [SIZES...] [--jobs-compare N] [--report N] [--keep DIR]

For each size (default 1000 10000 100000) it generates that many submissions in the
real form layout *as LibreOffice writes them*: the shipped clean examples of every form
are re-saved once by LibreOffice headless (soffice must be installed), then copied with
the numbers of each copy varied (every plain number cell v becomes v + i mod 7), so no
two files are byte-identical. Then it runs, each as its own process:
- `yjzl compute DIR --format csv -o out.csv --jobs 1` (streaming)
- `yjzl compute DIR --format jsonl -o out.jsonl --jobs 1`
- `yjzl validate DIR --format csv -o out.csv` (streaming)
and prints wall time and the peak resident memory of the largest process (RUSAGE_CHILDREN
ru_maxrss), per size, with the ratios between sizes. Targets (issue 18): memory at 10 000
within 1.5x of that at 1 000, under 300 MB at 100 000; two cores at least 1.35x one
core on 10 000 files (`--jobs-compare 10000`); with `--report 10000`, the report's index page
under 5 MB and loaded by headless Chromium in under 3 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?(?: t="n")?>)<v>(\d+)</v>')


def seeds(cache: Path) -> list[Path]:
    """The clean examples, re-saved by LibreOffice (once; kept in `cache`)."""
    cache.mkdir(parents=True, exist_ok=True)
    done = sorted(cache.glob("*.xlsx"))
    if done:
        return done
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("bench_scale: LibreOffice (soffice) is needed to write the seed files: apt-get install libreoffice-calc")
    profile = Path(tempfile.mkdtemp(prefix="lo-bench-"))
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(cache), *map(str, sorted((ROOT / "examples").glob("*-clean.xlsx")))],
                   check=True, capture_output=True)
    shutil.rmtree(profile, ignore_errors=True)
    return sorted(cache.glob("*.xlsx"))


def _vary(xml: bytes, i: int) -> bytes:
    return NUMBER.sub(lambda m: m.group(1) + b"<v>" + str(int(m.group(2)) + i % 7).encode() + b"</v>", xml)


def generate(folder: Path, n: int, seed_files: list[Path]) -> None:
    """n workbooks in `folder` (in subfolders of 1 000, as a province's archive would be)."""
    parts = []
    for p in seed_files:
        with zipfile.ZipFile(p) as z:
            parts.append((p.stem, [(info, z.read(info)) for info in z.infolist()]))
    for i in range(n):
        stem, members = parts[i % len(parts)]
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(sub / f"{i:06d}-{stem}.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info, data in members:
                out.writestr(info.filename, _vary(data, i) if info.filename.startswith("xl/worksheets/") else data)


def measure(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB of the largest process) of one command, run in a fresh wrapper process."""
    probe = ("import resource,subprocess,sys,time;t=time.perf_counter();"
             "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
             "d=time.perf_counter()-t;"
             "r.returncode>1 and sys.exit(r.stderr.decode()[-400:]);"  # a refused run is no measurement
             "print(d,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    if out.stderr:
        print(out.stderr, file=sys.stderr)
    seconds, kb = out.stdout.split()
    return float(seconds), int(kb) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    ap.add_argument("--jobs-compare", type=int, default=0, metavar="N", help="also time --jobs 1 vs --jobs 2 on N files")
    ap.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    ap.add_argument("--report", type=int, default=0, metavar="N", help="also time `yjzl report` over N submissions")
    args = ap.parse_args()
    env_yjzl = [sys.executable, "-m", "yjzl"]  # every run rewrites its output: --force where it writes
    work = args.keep or Path(tempfile.mkdtemp(prefix="yjzl-scale-"))
    seed_files = seeds(work / "seeds")
    print(f"{len(seed_files)} LibreOffice-written seed workbooks; {os.cpu_count()} cores")
    rows: list[tuple[int, str, float, float]] = []
    for n in sorted(set(args.sizes + ([args.jobs_compare] if args.jobs_compare else []))):
        folder = work / f"n{n}"
        if not folder.exists():
            t = time.perf_counter()
            generate(folder, n, seed_files)
            print(f"generated {n} files in {time.perf_counter() - t:.1f} s")
        out = work / "out"
        out.mkdir(exist_ok=True)
        runs = {
            "compute csv": [*env_yjzl, "compute", str(folder), "--jobs", "1", "-o", str(out / "c.csv"), "--force"],
            "compute jsonl": [*env_yjzl, "compute", str(folder), "--jobs", "1", "--format", "jsonl", "-o", str(out / "c.jsonl"), "--force"],
            "validate csv": [*env_yjzl, "validate", str(folder), "--format", "csv", "-o", str(out / "v.csv"), "--force"],
        }
        if n not in args.sizes:
            runs = {}
        for name, cmd in runs.items():
            s, mb = measure(cmd)
            rows.append((n, name, s, mb))
            print(f"{n:>7} {name:<14} {s:8.1f} s  {1000 * s / n:6.2f} ms/file  peak {mb:7.1f} MB", flush=True)
        if n == args.jobs_compare:
            one, _ = measure([*env_yjzl, "compute", str(folder), "--jobs", "1", "-o", str(out / "j1.csv"), "--force"])
            two, _ = measure([*env_yjzl, "compute", str(folder), "--jobs", "2", "-o", str(out / "j2.csv"), "--force"])
            same = (out / "j1.csv").read_bytes() == (out / "j2.csv").read_bytes()
            print(f"{n:>7} --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s: speed-up {one / two:.2f}x (target >= 1.35); "
                  f"outputs identical: {same}")
    print("\nratios of peak memory and of time per file, against the smallest size:")
    base = {name: (s / n, mb) for n, name, s, mb in rows if n == min(args.sizes)}
    for n, name, s, mb in rows:
        if n != min(args.sizes):
            print(f"{n:>7} {name:<14} memory x{mb / base[name][1]:.2f}  time/file x{(s / n) / base[name][0]:.2f}")
    if args.report:
        report(env_yjzl, work, args.report, seed_files)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def report(env_yjzl: list[str], work: Path, n: int, seed_files: list[Path]) -> None:
    """`yjzl report` over n submissions: the index page's size and the time headless Chromium takes to load it."""
    folder = work / f"n{n}"
    if not folder.exists():
        generate(folder, n, seed_files)
    out = work / "report"
    s, mb = measure([*env_yjzl, "report", str(folder), "-o", str(out), "--force"])
    index = out / "index.html"
    parts = list(out.glob("part-*.html"))
    print(f"report {n}: {s:.1f} s, peak {mb:.0f} MB; index {index.stat().st_size / 1e6:.2f} MB (target < 5), "
          f"{len(parts)} parts, largest {max(p.stat().st_size for p in parts) / 1e6:.1f} MB")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("  (no chromium: load time not measured)")
        return
    profile = Path(tempfile.mkdtemp(prefix="chromium-bench-"))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}"]
    blank = work / "blank.html"
    blank.write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    times = {}
    for name, page in (("blank page", blank), ("index", index)):
        t = time.perf_counter()
        subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, check=True, timeout=120)
        times[name] = time.perf_counter() - t
    shutil.rmtree(profile, ignore_errors=True)
    print(f"  headless Chromium loads the index in {times['index']:.2f} s (target < 3), a blank page in "
          f"{times['blank page']:.2f} s: the index itself costs {times['index'] - times['blank page']:.2f} s")


if __name__ == "__main__":
    main()
