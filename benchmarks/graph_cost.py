#!/usr/bin/env python3
"""What the import graph (IL103) adds to a whole-project run.

Copies a tree (default: Django 5.2.8's ``django/``, as ``run.py`` downloads
it) into a temporary project whose ``infralint.toml`` names layers (Django
has none of the default layer names, so zero-config builds no graph at
all), then times ``infralint check --exit-zero`` against the same command
with ``--ignore IL103``, alternating, and prints the medians: with the
cache (``.infralint_cache/``: per-file findings and grimp's graph), with
the graph's part of it removed before each run, and with ``--no-cache``.
A script, not a test: no timing is asserted anywhere.

    python benchmarks/graph_cost.py [--tree PATH] [--layers contrib,core,dispatch] [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

HERE = Path(__file__).resolve().parent
DJANGO = HERE / "_work" / "django-5.2.8" / "django"


def infralint_command() -> List[str]:
    local = HERE.parent / ".venv" / "bin" / "infralint"
    return [str(local) if local.exists() else "infralint"]


def timed(command: List[str], cwd: Path) -> Tuple[float, float]:
    """Wall time and CPU time (user + system, worker processes included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
        findings = subprocess.run(
            check + ["--select", "IL103", "--statistics"], cwd=project, capture_output=True, text=True
        ).stdout.strip().splitlines()
        timed(check, project)  # warms the page cache and grimp's cache
        times: Dict[str, List[Tuple[float, float]]] = {name: [] for name in ROWS}
        for _ in range(args.repeat):
            times["cache: --ignore IL103"].append(timed(check + ["--ignore", "IL103"], project))
            times["cache: with IL103"].append(timed(check, project))
            for graph_cache in project.glob(".infralint_cache/*/grimp"):
                shutil.rmtree(graph_cache)
            times["cache, graph's removed: with IL103"].append(timed(check, project))
            times["--no-cache --ignore IL103"].append(timed(check + ["--no-cache", "--ignore", "IL103"], project))
            times["--no-cache: with IL103"].append(timed(check + ["--no-cache"], project))
            times["in process: the graph and IL103 alone"].append(graph_alone(project))
    print(f"tree: {args.tree} · layers: {args.layers} · {args.repeat} runs each · IL103: {findings[-1] if findings else '?'}")
    print(f"  {'':<40} {'wall':>16} {'cpu':>16}")
    for name, base in ROWS.items():
        cells = []
        for column in (0, 1):
            median = statistics.median(sample[column] for sample in times[name])
            baseline = statistics.median(sample[column] for sample in times[base])
            cells.append(f"{median:6.2f} s" + ("" if base == name else f" ({median - baseline:+.2f})"))
        print(f"  {name:<40} {cells[0]:>16} {cells[1]:>16}")
    return 0


# Row -> the row it is compared with.
ROWS = {
    "cache: --ignore IL103": "cache: --ignore IL103",
    "cache: with IL103": "cache: --ignore IL103",
    "cache, graph's removed: with IL103": "cache: --ignore IL103",
    "--no-cache --ignore IL103": "--no-cache --ignore IL103",
    "--no-cache: with IL103": "--no-cache --ignore IL103",
    "in process: the graph and IL103 alone": "in process: the graph and IL103 alone",
}


def graph_alone(project: Path) -> Tuple[float, float]:
    """Engine.check_project (grimp's graph without its cache, IL103,
    suppressions) timed in a child process, without the rest of the run
    around it: wall and CPU time of that call alone."""
    code = (
        "import time\n"
        "from pathlib import Path\n"
        "from infralint.config import load_settings\n"
        "from infralint.discovery import discover\n"
        "from infralint.engine import Engine\n"
        "from infralint.project import Project\n"
        "settings = load_settings([])\n"
        "files = discover([settings.root], settings)\n"
        "engine = Engine(Project(settings, extra_files=files))\n"
        "start, cpu = time.perf_counter(), time.process_time()\n"
        "engine.check_project(files, None)\n"
        "print(time.perf_counter() - start, time.process_time() - cpu)\n"
    )
    python = Path(infralint_command()[0]).with_name("python")
    run = subprocess.run([str(python) if python.exists() else sys.executable, "-c", code], cwd=project, check=True, capture_output=True, text=True)
    wall, cpu = run.stdout.split()
    return float(wall), float(cpu)


if __name__ == "__main__":
    sys.exit(main())
