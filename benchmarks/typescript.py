"""TypeScript speed: infralint against a bare tree-sitter parse loop and
dependency-cruiser, on a real TypeScript / JavaScript tree, in one run.

    .venv/bin/python benchmarks/typescript.py --tree PATH --depcruise PATH/TO/depcruise --repeat 3

Rows (medians of ``--repeat`` runs, from a copy of the tree in a temporary
directory, with a layers configuration for both tools written there):

- parse loop: read and parse every file infralint lints with tree-sitter's
  TypeScript / TSX grammar, single process: the floor;
- infralint cold: ``infralint check --exit-zero --no-cache .`` (all rules,
  IL103 included, worker processes as infralint chooses: one per CPU);
- infralint cold -j 1: the same in one process, as the parse loop;
- infralint warm: ``infralint check --exit-zero .`` after a run that filled
  the cache;
- dependency-cruiser: ``depcruise --config .dependency-cruiser.cjs
  --output-type err .`` with the same layer rules as ``forbidden`` rules
  (its own resolution; ``typescript`` must be installed beside it, or
  it reads the JavaScript files only).

Goals (issue 19): cold within 1.5x the parse loop, warm within 0.2x, faster
than dependency-cruiser. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# Layers for trees that are not layered by name: directories of the corpus
# (typeorm's, rxjs's and effect's) mapped to three layers, outer to inner.
LAYERS_TOML = """\
[layers]
order = ["outer", "middle", "core"]

[layers.names]
outer = ["driver", "cache", "platform"]
middle = ["query-builder", "repository", "entity-manager", "operators", "internal"]
core = ["metadata", "common", "util", "scheduler"]
"""

DEPCRUISE_CONFIG = """\
// The layer order of infralint.toml: an inner layer must not import an outer one.
const layer = (names) => `(^|/)(${names.join("|")})/`;
const outer = layer(["driver", "cache", "platform"]);
const middle = layer(["query-builder", "repository", "entity-manager", "operators", "internal"]);
const core = layer(["metadata", "common", "util", "scheduler"]);
module.exports = {
  forbidden: [
    { name: "middle-to-outer", severity: "error", from: { path: middle }, to: { path: outer } },
    { name: "core-to-outer", severity: "error", from: { path: core }, to: { path: outer } },
    { name: "core-to-middle", severity: "error", from: { path: core }, to: { path: middle } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
  },
};
"""

PARSE_LOOP = """\
import os, sys
from infralint.filetypes import is_typescript_name
from infralint.languages.typescript import parser
count = 0
for directory, names, files in os.walk(sys.argv[1]):
    names[:] = [n for n in names if n != "node_modules" and not n.startswith(".")]
    for name in files:
        if is_typescript_name(name):
            with open(os.path.join(directory, name), "rb") as stream:
                parser.parse(stream.read(), name)
            count += 1
print(count)
"""


def timed(command: Sequence[str], cwd: Path, timeout: float) -> float:
    start = time.perf_counter()
    result = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - start
    # depcruise exits with its number of violations; a bad configuration
    # says ERROR and exits fast: that must not pass for a time.
    failed = "ERROR:" in result.stdout + result.stderr or (result.returncode not in (0, 1) and "depcruise" not in command[0])
    if failed:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {(result.stdout + result.stderr)[-2000:]}")
    return elapsed


def median(command: Sequence[str], cwd: Path, repeat: int, timeout: float, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        times.append(timed(command, cwd, timeout))
    return statistics.median(times)


def count_files(tree: Path) -> int:
    output = subprocess.run([sys.executable, "-c", PARSE_LOOP, str(tree)], capture_output=True, text=True, check=True)
    return int(output.stdout.strip())


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, required=True, help="the TypeScript / JavaScript tree to lint")
    parser.add_argument("--depcruise", type=Path, help="dependency-cruiser's depcruise executable")
    parser.add_argument("--infralint", type=Path, default=REPO / ".venv" / "bin" / "infralint")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--findings", type=Path, help="also write infralint's JSON findings there")
    arguments = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="infralint-ts-bench-") as temporary:
        tree = Path(temporary) / "tree"
        shutil.copytree(arguments.tree, tree, symlinks=True, ignore=shutil.ignore_patterns("node_modules", ".git"))
        (tree / "infralint.toml").write_text(LAYERS_TOML, encoding="utf-8")
        (tree / ".dependency-cruiser.cjs").write_text(DEPCRUISE_CONFIG, encoding="utf-8")
        files = count_files(tree)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        infralint = str(arguments.infralint)
        rows: Dict[str, float] = {}
        rows["parse loop"] = median([sys.executable, "-c", PARSE_LOOP, str(tree)], tree, arguments.repeat, arguments.timeout)
        rows["infralint cold"] = median(
            [infralint, "check", "--exit-zero", "--no-cache", "."], tree, arguments.repeat, arguments.timeout
        )
        rows["infralint cold -j 1"] = median(
            [infralint, "check", "--exit-zero", "--no-cache", "-j", "1", "."], tree, arguments.repeat, arguments.timeout
        )
        timed([infralint, "check", "--exit-zero", "."], tree, arguments.timeout)  # fills the cache
        rows["infralint warm"] = median([infralint, "check", "--exit-zero", "."], tree, arguments.repeat, arguments.timeout)
        if arguments.depcruise is not None:
            rows["dependency-cruiser"] = median(
                [str(arguments.depcruise), "--config", ".dependency-cruiser.cjs", "--output-type", "err", "."],
                tree,
                arguments.repeat,
                arguments.timeout,
            )
        if arguments.findings is not None:
            output = subprocess.run(
                [infralint, "check", "--exit-zero", "--no-cache", "--format", "json", "."],
                cwd=tree, capture_output=True, text=True, check=True,
            )
            arguments.findings.write_text(output.stdout, encoding="utf-8")

    floor = rows["parse loop"]
    after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{files} files, {os.cpu_count()} CPUs; {arguments.repeat} runs per row, medians; "
        f"load average {load:.2f} at the start, {after:.2f} at the end\n"
    )
    print("| row | median wall | ratio to parse loop |")
    print("| --- | --- | --- |")
    for row, seconds in rows.items():
        print(f"| {row} | {seconds:.2f} s | {seconds / floor:.2f}x |")
    print()
    goals: List[str] = [
        f"cold within 1.5x the parse loop: {rows['infralint cold'] / floor:.2f}x "
        f"({'met' if rows['infralint cold'] <= 1.5 * floor else 'not met'}; "
        f"one process: {rows['infralint cold -j 1'] / floor:.2f}x, "
        f"{'met' if rows['infralint cold -j 1'] <= 1.5 * floor else 'not met'})",
        f"warm within 0.2x: {rows['infralint warm'] / floor:.2f}x "
        f"({'met' if rows['infralint warm'] <= 0.2 * floor else 'not met'})",
    ]
    if "dependency-cruiser" in rows:
        ratio = rows["dependency-cruiser"] / rows["infralint cold"]
        goals.append(f"faster than dependency-cruiser: {ratio:.1f}x ({'met' if ratio > 1 else 'not met'})")
    print("\n".join(f"- {goal}" for goal in goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
