#!/usr/bin/env python3
"""What the import graph (IL103) adds to a whole-project run.

Copies a tree (default: Django 5.2.8's ``django/``, as ``run.py`` downloads
it) into a temporary project whose ``infralint.toml`` names layers (Django
has none of the default layer names, so zero-config builds no graph at
all), then times ``infralint check --exit-zero`` against the same command
with ``--ignore IL103``, alternating, and prints the medians: with grimp's
cache warm (``.infralint_cache/grimp`` kept between runs) and cold (removed
before each run). A script, not a test: no timing is asserted anywhere.

    python benchmarks/graph_cost.py [--tree PATH] [--layers contrib,core,dispatch] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

HERE = Path(__file__).resolve().parent
DJANGO = HERE / "_work" / "django-5.2.8" / "django"


def infralint_command() -> List[str]:
    local = HERE.parent / ".venv" / "bin" / "infralint"
    return [str(local) if local.exists() else "infralint"]


def timed(command: List[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=DJANGO, help="a package directory (default: Django's django/)")
    parser.add_argument("--layers", default="contrib,core,dispatch", help="layer names, outer to inner")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.tree.is_dir():
        sys.exit(f"{args.tree}: no such directory (run benchmarks/run.py once to download Django)")
    order = ", ".join(f'"{name}"' for name in args.layers.split(","))
    check = infralint_command() + ["check", "--exit-zero"]
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        shutil.copytree(args.tree, project / args.tree.name)
        (project / "infralint.toml").write_text(f"[layers]\norder = [{order}]\n", encoding="utf-8")
        grimp_cache = project / ".infralint_cache" / "grimp"
        findings = subprocess.run(
            check + ["--select", "IL103", "--statistics"], cwd=project, capture_output=True, text=True
        ).stdout.strip().splitlines()
        timed(check, project)  # warms the page cache and grimp's cache
        times: Dict[str, List[float]] = {"with IL103, warm": [], "--ignore IL103": [], "with IL103, cold": []}
        for _ in range(args.repeat):
            times["with IL103, warm"].append(timed(check, project))
            times["--ignore IL103"].append(timed(check + ["--ignore", "IL103"], project))
            shutil.rmtree(grimp_cache, ignore_errors=True)
            times["with IL103, cold"].append(timed(check, project))
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians["--ignore IL103"]
    print(f"tree: {args.tree} · layers: {args.layers} · {args.repeat} runs each · IL103: {findings[-1] if findings else '?'}")
    for name, median in medians.items():
        extra = "" if name == "--ignore IL103" else f"  (+{median - baseline:.2f} s)"
        print(f"  {name:<18} {median:6.2f} s{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
