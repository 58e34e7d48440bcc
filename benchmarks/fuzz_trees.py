"""The long fuzz job: hostile trees (tests/hostile_trees.py) one after the
other, every run of hostile_trees.RUNS and a few `--fix --stdin-filename`
runs on each, until --trees trees or --minutes minutes. Prints each problem
(a traceback, an internal error, an exit code other than 0/1/2, a file
outside the tree touched, a file inside changed other than by a fix, a fix
that no longer parses, a hang) with the seed that rebuilds its tree, and
exits 1 if there was any. Not part of the test suite (tests/test_fuzz.py
is its bounded version).

    .venv/bin/python benchmarks/fuzz_trees.py --trees 50 --seed 1000
    .venv/bin/python benchmarks/fuzz_trees.py --minutes 30 --keep /tmp/trees
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile_trees import fuzz  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trees", type=int, default=20, help="how many trees (default 20)")
    parser.add_argument("--minutes", type=float, default=None, help="stop starting trees after this long")
    parser.add_argument("--seed", type=int, default=0, help="the first tree's seed; the next ones count up")
    parser.add_argument("--files", type=int, default=25, help="Python files per tree (default 25)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the trees with problems under this directory")
    options = parser.parse_args()
    started = time.monotonic()
    problems_total = 0
    trees = 0
    for seed in range(options.seed, options.seed + options.trees):
        if options.minutes is not None and time.monotonic() - started > options.minutes * 60:
            break
        work = Path(tempfile.mkdtemp(prefix=f"infralint-fuzz-{seed}-"))
        try:
            problems = fuzz(work, seed, files=options.files)
        finally:
            trees += 1
        for problem in problems:
            print(problem, flush=True)
        problems_total += len(problems)
        if problems and options.keep is not None:
            shutil.move(str(work), str(options.keep / work.name))
        else:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(f"{trees} trees, {problems_total} problems, {elapsed:.0f} s", flush=True)
    return 1 if problems_total else 0


if __name__ == "__main__":
    sys.exit(main())
