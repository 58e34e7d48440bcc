#!/usr/bin/env python3
"""Paired start-up runs: infralint builds taking turns on the one-file check.

    python benchmarks/startup_ab.py OLD/bin/infralint NEW/bin/infralint [--repeat 21] [--instructions]

Copies Django 5.2.8's ``django/`` and its ``pyproject.toml`` into a temporary
directory (as ``run.py`` does; ``--tree`` for a directory without a
``pyproject.toml`` instead), then runs ``INFRALINT check --exit-zero
--no-cache django/db/models/constants.py`` for each build in turn, the order
reversed every other round, with the first build's interpreter alone
(``python -c pass``) as the floor. It prints the minimum and the median of
the wall and CPU (user + system) times per command, and the load average
before and after: on a shared machine only runs taken together compare.
``--instructions`` adds one run of each under valgrind's callgrind and its
instruction count, which the machine's load does not move. Give regular
installs (``pip install .``): an editable one adds an import hook to every
start-up. A script, not a test: no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (run.py beside this script: the tree and the interpreter)

ONE_FILE = "django/db/models/constants.py"


def timed(argv: Sequence[str], cwd: Path, env: Dict[str, str]) -> Tuple[float, float]:
    """Wall and CPU milliseconds of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if status != 0:
        sys.exit(f"{' '.join(argv)}: exit status {status}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def instructions(argv: Sequence[str], cwd: Path, env: Dict[str, str]) -> Optional[int]:
    """The instructions callgrind counts for one run; None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )
    counts = [line.rsplit(" ", 1)[-1] for line in done.stderr.splitlines() if "Collected :" in line]
    return int(counts[-1]) if counts else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("builds", nargs="+", help="infralint executables (console scripts of regular installs)")
    parser.add_argument("--repeat", type=int, default=21, help="runs per command (default: 21)")
    parser.add_argument("--tree", type=Path, help="a directory holding django/ to run in, as it is")
    parser.add_argument("--instructions", action="store_true", help="also count instructions with callgrind")
    arguments = parser.parse_args()
    # Children compile their bytecode once and keep it, as an installed package does.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    floor = [run.interpreter_of(arguments.builds[0], sys.executable), "-c", "pass"]
    commands: List[List[str]] = [floor] + [[build, "check", "--exit-zero", "--no-cache", ONE_FILE] for build in arguments.builds]
    with tempfile.TemporaryDirectory() as scratch:
        cwd = arguments.tree or run.django_workspace(sys.executable, Path(scratch))[0]
        for command in commands:  # compile the bytecode, warm the page cache
            timed(command, cwd, env)
        times: Dict[int, List[Tuple[float, float]]] = {index: [] for index in range(len(commands))}
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        for round_number in range(arguments.repeat):
            order = range(len(commands)) if round_number % 2 == 0 else reversed(range(len(commands)))
            for index in order:
                times[index].append(timed(commands[index], cwd, env))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print("| command | wall min | wall median | CPU min | CPU median | instructions |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for index, command in enumerate(commands):
            walls = [wall for wall, _ in times[index]]
            cpus = [cpu for _, cpu in times[index]]
            counted = instructions(command, cwd, env) if arguments.instructions else None
            shown = f"{counted / 1e6:.1f} M" if counted is not None else "—"
            print(
                f"| `{' '.join(command)}` | {min(walls):.1f} ms | {statistics.median(walls):.1f} ms"
                f" | {min(cpus):.1f} ms | {statistics.median(cpus):.1f} ms | {shown} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
